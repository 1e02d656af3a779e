"""Reading the YAML files in ``params/`` (the registries researchers edit) with Dutch errors.

Every registry loader parses its file through :func:`parse_yaml` / :func:`read_yaml`, so that a
YAML syntax error becomes one :class:`helpers.core.errors.YamlSyntaxError` naming the file,
the line and the column (1-based, as an editor shows them) and what was expected, in Dutch —
never a PyYAML traceback. The C loader (libyaml) is used when available.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers.core.errors import RegistryError, YamlSyntaxError

# PyYAML problem text (substring) -> (Dutch explanation, what was expected).
_PROBLEMS: tuple[tuple[str, str, str], ...] = (
    (
        "mapping values are not allowed",
        "een ':' op een plek waar geen nieuwe sleutel kan beginnen",
        "'sleutel: waarde' op een eigen regel, of de waarde tussen aanhalingstekens",
    ),
    (
        "did not find expected ',' or ']'",
        "een lijst tussen [ ] wordt niet goed afgesloten",
        "een ',' tussen de elementen en een ']' aan het eind",
    ),
    (
        "did not find expected ',' or '}'",
        "een woordenboek tussen { } wordt niet goed afgesloten",
        "een ',' tussen de paren en een '}' aan het eind",
    ),
    (
        "found unexpected end of stream",
        "het bestand houdt op binnen een tekst tussen aanhalingstekens",
        "een sluitend aanhalingsteken",
    ),
    (
        "did not find expected key",
        "de inspringing klopt niet of er staat tekst na een gesloten waarde",
        "een sleutel ('naam: ...') op dezelfde inspringing als de sleutels erboven",
    ),
    (
        "did not find expected '-' indicator",
        "de inspringing van een lijst klopt niet",
        "elk element van de lijst op een eigen regel met '- ' op dezelfde inspringing",
    ),
    ("could not find expected ':'", "een sleutel zonder ':'", "'sleutel: waarde'"),
    (
        "found character '\\t' that cannot start any token",
        "een tab-teken",
        "spaties om in te springen (YAML staat geen tabs toe)",
    ),
    (
        "found character that cannot start any token",
        "een teken waarmee geen YAML-waarde kan beginnen (bijvoorbeeld een tab of '@')",
        "spaties om in te springen; tekst met bijzondere tekens tussen aanhalingstekens",
    ),
    (
        "found undefined alias",
        "een verwijzing '*naam' naar een anker dat niet bestaat",
        "een anker '&naam' eerder in het bestand, of de tekst tussen aanhalingstekens",
    ),
    (
        "expected alphabetic or numeric character",
        "een '*' of '&' zonder naam",
        "tekst die met '*' of '&' begint tussen aanhalingstekens",
    ),
    (
        "found unknown escape character",
        "een onbekende escape-reeks ('\\...') tussen dubbele aanhalingstekens",
        "enkele aanhalingstekens, of '\\\\' voor een backslash",
    ),
)


def _explain(problem: str) -> tuple[str, str]:
    for fragment, uitleg, verwacht in _PROBLEMS:
        if fragment in problem:
            return uitleg, verwacht
    return f"ongeldige YAML ({problem})", "geldige YAML (zie de regel en kolom)"


def parse_yaml(text: str, source: str | Path) -> Any:
    """Parse YAML ``text`` read from ``source`` (a path or a name, for messages).

    Raises :class:`YamlSyntaxError` (a :class:`RegistryError`) with file, 1-based line and
    column and a Dutch explanation on a syntax error.
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        uitleg, verwacht = _explain(str(exc.problem or exc.context or ""))
        start = exc.context_mark
        if start is not None and mark is not None and start.line != mark.line:
            uitleg += f" (begonnen op regel {start.line + 1}, kolom {start.column + 1})"
        raise YamlSyntaxError(
            source,
            f"YAML-syntaxfout: {uitleg}",
            line=None if mark is None else mark.line + 1,
            column=None if mark is None else mark.column + 1,
            expected=verwacht,
        ) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(source, f"YAML-syntaxfout: {exc}", expected="geldige YAML") from None


def read_yaml(path: str | Path, missing: str | None = None) -> Any:
    """Read and parse the YAML file ``path`` (UTF-8); see :func:`parse_yaml`.

    Raises :class:`RegistryError` when the file does not exist (``missing`` says what it should
    hold) or is not UTF-8, :class:`YamlSyntaxError` on a syntax error.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise RegistryError(
            f"bestand '{p}' ontbreekt" + (f" (verwacht: {missing})" if missing else "")
        ) from exc
    except UnicodeDecodeError as exc:
        line = p.read_bytes()[: exc.start].count(b"\n") + 1
        raise YamlSyntaxError(
            p, "tekencodering niet herkend", line=line, expected="een UTF-8-tekstbestand"
        ) from None
    return parse_yaml(text, p)
