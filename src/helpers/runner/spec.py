"""Notebook declarations and run plans: parameters cell, metadata, defaults, validation.

A notebook ``notebooks/NN_name.ipynb`` declares

- its parameters in the first code cell tagged ``parameters``, one annotated assignment per
  line: ``groepering: str = "groep"  # comment``. Parameters that carry a run-wide value
  (``jaar_nulmeting``, ``min_n``, ``signaal_n``) must default to ``None``: their value lives in
  ``params/monitor.yml`` only, and the runner injects it. Allowed types: ``str``, ``int``, ``float``,
  ``bool``, ``list``, ``dict`` (``list[str]`` etc. count as ``list``/``dict``). Every
  notebook has ``focusgebied: str``;
- in notebook metadata ``"wijkmonitor": {"titel": ..., "inputs": [...], "alle": bool,
  "per_gebied": bool}`` its inputs (paths relative to the project root, or with the
  placeholders ``{processed}``, ``{raw}``, ``{runs}``, ``{params}``) and whether it runs for the
  national view ``alle`` and/or per focus area.

Defaults may be overridden in ``params/notebooks.yml`` (see :func:`load_defaults`). Everything
is validated here, before any kernel starts; errors are :class:`RunnerError` with Dutch
messages. Only the standard library and PyYAML are imported (the skip path must be fast).
"""

from __future__ import annotations

import ast
import io
import json
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers.core import config
from helpers.core.errors import WijkmonitorError
from helpers.core.yamlfile import parse_yaml
from helpers.registers.monitor import PARAMETERS as RUN_WIDE
from helpers.registers.monitor import load_monitor

NAME_RE = re.compile(r"^\d{2}_[a-z0-9_]+$")
TYPES: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool, "list": list,
                          "dict": dict}
TYPE_NL = {"str": "tekst (str)", "int": "geheel getal (int)", "float": "getal (float)",
           "bool": "waar/onwaar (bool)", "list": "lijst (list)", "dict": "woordenboek (dict)"}


class RunnerError(WijkmonitorError):
    """A run cannot start: bad notebook declaration, parameter, area id or notebook name."""


@dataclass(frozen=True)
class Parameter:
    """One declared parameter: name, type name (``str``...), default value and comment."""

    naam: str
    type: str
    standaard: Any
    toelichting: str = ""


@dataclass
class NotebookSpec:
    """What a notebook declares about itself."""

    naam: str
    pad: Path
    titel: str
    parameters: dict[str, Parameter]
    inputs: list[str]
    alle: bool
    per_gebied: bool
    bron_hash: str = ""
    defaults: dict[str, Any] = field(default_factory=dict)  # from params/notebooks.yml

    def input_paths(self) -> list[Path]:
        """The declared inputs as absolute paths (placeholders resolved at call time)."""
        return [resolve_input(p) for p in self.inputs]


def resolve_input(spec: str) -> Path:
    """Absolute path of a declared input: ``{processed}/kwb.parquet`` or ``data/x.csv``.

    Placeholders: ``{processed}`` (:data:`config.DATA_PROCESSED`), ``{raw}``, ``{runs}``,
    ``{params}``; other paths are relative to the project root. Raises :class:`RunnerError`
    for an unknown placeholder.
    """
    mapping = {"processed": config.DATA_PROCESSED, "raw": config.DATA_RAW, "runs": config.RUNS,
               "params": config.PARAMS}
    m = re.match(r"^\{(\w+)\}/?(.*)$", spec)
    if m:
        if m.group(1) not in mapping:
            raise RunnerError(
                f"onbekende plaatshouder '{{{m.group(1)}}}' in invoer '{spec}' "
                f"(verwacht: {', '.join('{' + k + '}' for k in mapping)})"
            )
        return mapping[m.group(1)] / m.group(2)
    p = Path(spec)
    return p if p.is_absolute() else config.ROOT / p


def _type_name(node: ast.expr, where: str) -> str:
    if isinstance(node, ast.Subscript):  # list[str], dict[str, int]
        node = node.value
    if isinstance(node, ast.Name) and node.id in TYPES:
        return node.id
    raise RunnerError(
        f"{where}: type '{ast.unparse(node)}' wordt niet ondersteund "
        f"(verwacht: {', '.join(TYPES)})"
    )


def _comments(source: str) -> dict[int, str]:
    out: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                out[tok.start[0]] = tok.string.lstrip("#").strip()
    except (tokenize.TokenError, IndentationError):
        pass
    return out


def parse_parameters(source: str, where: str = "parametercel") -> dict[str, Parameter]:
    """Parse a parameters cell into :class:`Parameter` objects (name -> parameter).

    Each statement must be an annotated assignment with a literal default
    (``naam: int = 3``). Raises :class:`RunnerError` naming the line otherwise, and when the
    default does not match the declared type.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise RunnerError(f"{where}, regel {exc.lineno}: syntaxfout ({exc.msg})") from exc
    comments = _comments(source)
    params: dict[str, Parameter] = {}
    for stmt in tree.body:
        loc = f"{where}, regel {stmt.lineno}"
        if not (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
                and stmt.value is not None):
            raise RunnerError(
                f"{loc}: alleen toewijzingen met type zijn toegestaan "
                f"(verwacht: naam: type = standaardwaarde)"
            )
        naam = stmt.target.id
        typ = _type_name(stmt.annotation, loc)
        try:
            default = ast.literal_eval(stmt.value)
        except ValueError as exc:
            raise RunnerError(
                f"{loc}: standaardwaarde van '{naam}' is geen letterlijke waarde "
                f"(verwacht: tekst, getal, lijst of woordenboek)"
            ) from exc
        if naam in RUN_WIDE:
            if default is not None:
                raise RunnerError(
                    f"{loc}: '{naam}' is een run-brede waarde uit params/monitor.yml "
                    f"(verwacht: {naam}: {typ} = None)"
                )
        elif not type_ok(default, typ):
            raise RunnerError(
                f"{loc}: standaardwaarde {default!r} van '{naam}' past niet bij type {typ} "
                f"(verwacht: {TYPE_NL[typ]})"
            )
        if naam in params:
            raise RunnerError(f"{loc}: parameter '{naam}' staat twee keer in de parametercel")
        params[naam] = Parameter(naam, typ, default, comments.get(stmt.lineno, ""))
    return params


def type_ok(value: Any, typ: str) -> bool:
    """True if ``value`` fits the declared type (``int`` excludes ``bool``; ``float`` accepts ints)."""
    if typ == "float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if typ == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, TYPES[typ])


def _source_hash(nb: dict) -> str:
    """Hash of what determines a notebook's result: cell types and sources, its metadata key."""
    import hashlib

    cells = [(c.get("cell_type"), _text(c.get("source", ""))) for c in nb.get("cells", [])]
    meta = nb.get("metadata", {}).get("wijkmonitor", {})
    payload = json.dumps([cells, meta], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _text(src: Any) -> str:
    return "".join(src) if isinstance(src, list) else str(src)


def load_spec(path: Path) -> NotebookSpec:
    """Read the declarations of one notebook file. Raises :class:`RunnerError` when invalid."""
    naam = path.stem
    if not NAME_RE.match(naam):
        raise RunnerError(
            f"notebook '{path.name}': naam voldoet niet aan de conventie "
            f"(verwacht: NN_naam.ipynb, bijv. 10_indicatorbasis.ipynb)"
        )
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RunnerError(f"notebook '{path.name}' is niet te lezen: {exc}") from exc
    cells = nb.get("cells", [])
    pcells = [c for c in cells if c.get("cell_type") == "code"
              and "parameters" in c.get("metadata", {}).get("tags", [])]
    if not pcells:
        raise RunnerError(
            f"notebook '{path.name}': geen cel met tag 'parameters' "
            f"(verwacht: eerste codecel met tag 'parameters')"
        )
    params = parse_parameters(_text(pcells[0].get("source", "")),
                              f"notebook '{path.name}', parametercel")
    if "focusgebied" not in params or params["focusgebied"].type != "str":
        raise RunnerError(
            f"notebook '{path.name}': parametercel mist 'focusgebied: str = ...' "
            f"(verwacht: focusgebied: str = \"alle\")"
        )
    meta = nb.get("metadata", {}).get("wijkmonitor")
    if not isinstance(meta, dict):
        raise RunnerError(
            f"notebook '{path.name}': metadata 'wijkmonitor' ontbreekt "
            f"(verwacht: titel, inputs, alle, per_gebied)"
        )
    inputs = meta.get("inputs", [])
    if not isinstance(inputs, list) or not all(isinstance(i, str) for i in inputs):
        raise RunnerError(
            f"notebook '{path.name}': metadata wijkmonitor.inputs moet een lijst van paden zijn"
        )
    for key in ("alle", "per_gebied"):
        if key in meta and not isinstance(meta[key], bool):
            raise RunnerError(
                f"notebook '{path.name}': metadata wijkmonitor.{key} moet true of false zijn"
            )
    return NotebookSpec(
        naam=naam, pad=path, titel=str(meta.get("titel", naam)), parameters=params,
        inputs=list(inputs), alle=bool(meta.get("alle", True)),
        per_gebied=bool(meta.get("per_gebied", True)), bron_hash=_source_hash(nb),
    )


def load_defaults(path: Path | None = None) -> dict[str, Any]:
    """Read ``params/notebooks.yml`` (absent = no overrides).

    Shape::

        algemeen:                 # for every notebook that declares the parameter
          jaar_nulmeting: 2022
        notebooks:
          10_indicatorbasis:      # only for this notebook; it must declare each key
            parameters: {referentie: gemeente}
            inputs: ["{processed}/kwb.parquet"]   # added to the notebook's declared inputs

    Raises :class:`RunnerError` for a malformed file.
    """
    path = path or config.NOTEBOOKS_YML
    if not path.exists():
        return {"algemeen": load_monitor().as_parameters(), "notebooks": {}}
    data = parse_yaml(path.read_text(encoding="utf-8"), path) or {}  # libyaml when available
    if not isinstance(data, dict) or set(data) - {"algemeen", "notebooks", "voorladen"}:
        raise RunnerError(
            f"bestand '{path.name}': onverwachte sleutels "
            f"(verwacht: algemeen, notebooks, voorladen)"
        )
    algemeen = data.get("algemeen") or {}
    notebooks = data.get("notebooks") or {}
    if not isinstance(algemeen, dict) or not isinstance(notebooks, dict):
        raise RunnerError(f"bestand '{path.name}': 'algemeen' en 'notebooks' moeten tabellen zijn")
    # Run-wide values (params/monitor.yml) are the defaults of the parameters that carry them;
    # notebooks.yml and the CLI may still override them per run.
    algemeen = {**load_monitor().as_parameters(), **algemeen}
    return {"algemeen": algemeen, "notebooks": notebooks,
            "voorladen": list(data.get("voorladen") or [])}


def load_specs(notebooks_dir: Path | None = None, defaults_path: Path | None = None
               ) -> dict[str, NotebookSpec]:
    """All notebooks ``NN_name.ipynb`` of ``notebooks_dir`` (sorted by name) with their defaults.

    Defaults of ``params/notebooks.yml`` are checked against the declarations: a key the
    notebook does not declare, or a value of the wrong type, raises :class:`RunnerError`.
    """
    d = notebooks_dir or config.NOTEBOOKS
    specs = {p.stem: load_spec(p) for p in sorted(d.glob("[0-9][0-9]_*.ipynb"))}
    defaults = load_defaults(defaults_path)
    src = (defaults_path or config.NOTEBOOKS_YML).name
    for naam, entry in defaults["notebooks"].items():
        if naam not in specs:
            raise RunnerError(
                f"bestand '{src}': onbekend notebook '{naam}' "
                f"(bekend: {', '.join(specs) or 'geen'})"
            )
        values = (entry or {}).get("parameters", {}) if isinstance(entry, dict) else None
        if not isinstance(values, dict):
            raise RunnerError(f"bestand '{src}': notebooks.{naam}.parameters moet een tabel zijn")
        check_parameters(specs[naam], values, f"bestand '{src}', notebook '{naam}'")
        specs[naam].defaults.update(values)
        extra = (entry or {}).get("inputs", [])
        if not isinstance(extra, list) or not all(isinstance(i, str) for i in extra):
            raise RunnerError(f"bestand '{src}': notebooks.{naam}.inputs moet een lijst van paden zijn")
        specs[naam].inputs += [i for i in extra if i not in specs[naam].inputs]
    for spec in specs.values():
        for key, value in defaults["algemeen"].items():
            if key in spec.parameters and key not in spec.defaults:
                check_parameters(spec, {key: value}, f"bestand '{src}', algemeen")
                spec.defaults[key] = value
    return specs


def check_parameters(spec: NotebookSpec, values: dict[str, Any], where: str) -> None:
    """Raise :class:`RunnerError` for unknown keys or wrong types in ``values``."""
    for key, value in values.items():
        if key not in spec.parameters:
            raise RunnerError(
                f"{where}: onbekende parameter '{key}' voor notebook '{spec.naam}' "
                f"(bekend: {', '.join(spec.parameters)})"
            )
        typ = spec.parameters[key].type
        if not type_ok(value, typ):
            raise RunnerError(
                f"{where}: parameter '{key}' van notebook '{spec.naam}' heeft waarde "
                f"{value!r} van type {type(value).__name__} (verwacht: {TYPE_NL[typ]})"
            )


def resolve_parameters(spec: NotebookSpec, focusgebied: str, overrides: dict[str, Any] | None = None
                       ) -> dict[str, Any]:
    """Full parameter set for one run: declared defaults < params/notebooks.yml < overrides.

    ``focusgebied`` is always ``gebied``. Raises :class:`RunnerError` for unknown keys and
    wrong types in ``overrides``.
    """
    overrides = dict(overrides or {})
    if "focusgebied" in overrides:
        raise RunnerError(
            "parameter 'focusgebied' wordt door de runner gezet (gebruik --gebied of --alle)"
        )
    check_parameters(spec, overrides, "opgegeven parameters")
    values = {k: p.standaard for k, p in spec.parameters.items()}
    values.update(spec.defaults)
    values.update(overrides)
    values["focusgebied"] = focusgebied
    return values
