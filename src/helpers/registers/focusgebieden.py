"""The area registry ``params/focusgebieden.yml``: load, validate, resolve names, look up codes.

Each focus area (focusgebied) is a set of CBS wijk (and optionally buurt) codes per indeling
year. The registry is declarative; this module only reads and checks it.

Code formats follow CBS: ``GM`` + 4 digits; ``WK`` + 4 gemeente digits + 2 characters;
``BU`` + 4 gemeente digits + 4 characters. The trailing characters are digits almost
everywhere, but Amsterdam uses letters since its 2022 redrawing (``WK0363FB``,
``BU0363AA01``), so they may be digits or capital letters.

Indeling years not listed for an area fall back to the latest listed year before them (or the
earliest listed year if none precedes them): see :func:`indelingsjaar`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers.core import config
from helpers.core.errors import RegistryError
from helpers.core.yamlfile import parse_yaml

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

# The pseudo area id for "all focus areas together" (notebook parameter, run folder, column).
ALLE = "alle"
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
GEMEENTE_RE = re.compile(r"^GM\d{4}$")
CODE_RE = {
    "wijk": re.compile(r"^WK(\d{4})[0-9A-Z]{2}$"),
    "buurt": re.compile(r"^BU(\d{4})[0-9A-Z]{4}$"),
}
CODE_EXPECTED = {
    "wijk": "WK + 4 cijfers gemeentecode + 2 tekens (bijv. WK034403)",
    "buurt": "BU + 4 cijfers gemeentecode + 4 tekens (bijv. BU03440311)",
}
NIVEAUS = ("wijk", "buurt")
REQUIRED_KEYS = ("id", "naam", "gemeente", "wijken")


class OnbekendGebiedError(RegistryError, LookupError):
    """An area name that matches no id, name or alias (also a :class:`LookupError`)."""


@dataclass(frozen=True)
class Focusgebied:
    """One focus area.

    ``wijken``/``buurten`` map an indeling year (int) to a tuple of CBS codes.
    """

    id: str
    naam: str
    aliassen: tuple[str, ...] = ()
    gemeente: str = ""
    wijken: dict[int, tuple[str, ...]] = field(default_factory=dict)
    buurten: dict[int, tuple[str, ...]] = field(default_factory=dict)
    toelichting: str = ""
    # Codes whose area is the same in every listed indeling year although CBS names it
    # differently (the registry's statement "zelfde code, ongewijzigde grens").
    ongewijzigd: tuple[str, ...] = ()

    def __hash__(self) -> int:  # dicts are not hashable; the id is the identity
        return hash(self.id)

    @property
    def jaren(self) -> tuple[int, ...]:
        """Indeling years for which codes are listed (wijk or buurt), ascending."""
        return tuple(sorted(set(self.wijken) | set(self.buurten)))


# ---------------------------------------------------------------------------------------------
# Normalisation and name resolution


def normalise(naam: str) -> str:
    """Normalised form of an area name: lowercase, no diacritics, only letters and digits.

    ``"Den Haag Zuid-west"`` -> ``"denhaagzuidwest"``; ``"Nijlân"`` -> ``"nijlan"``.
    """
    text = unicodedata.normalize("NFKD", str(naam))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]", "", text.lower())


# ---------------------------------------------------------------------------------------------
# Loading and validation


_CACHE: dict[tuple[str, int, int], list[Focusgebied]] = {}


def load_focusgebieden(path: Path | str | None = None) -> list[Focusgebied]:
    """Load and validate the registry (default :data:`helpers.core.config.FOCUSGEBIEDEN_YML`).

    Cached by path, modification time and size. Raises :class:`RegistryError` (Dutch message
    naming the area) for a missing file, invalid YAML, missing keys, duplicate ids, a bad id,
    duplicate names/aliases across areas, bad code formats, codes of another gemeente,
    non-integer years or duplicate codes within a year.
    """
    p = Path(path) if path is not None else config.FOCUSGEBIEDEN_YML
    try:
        st = p.stat()
    except FileNotFoundError:
        raise RegistryError(f"gebiedenregister '{p}' bestaat niet") from None
    key = (str(p.resolve()), st.st_mtime_ns, st.st_size)
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = parse_focusgebieden(p.read_text(encoding="utf-8"), source=str(p))
    return list(_CACHE[key])


def parse_focusgebieden(text: str, source: str = "<tekst>") -> list[Focusgebied]:
    """Parse and validate registry YAML text (see :func:`load_focusgebieden`)."""
    # the C loader when libyaml is available (keeps the runner's skip path fast); a syntax
    # error is a YamlSyntaxError naming file, line and column
    data = parse_yaml(text, source)
    if not isinstance(data, list) or not data:
        raise RegistryError(
            f"gebiedenregister '{source}': verwacht een niet-lege lijst van focusgebieden"
        )
    areas = [_parse_entry(entry, i, source) for i, entry in enumerate(data, start=1)]
    _check_unique(areas, source)
    return areas


def _parse_entry(entry: Any, nr: int, source: str) -> Focusgebied:
    if not isinstance(entry, dict):
        raise RegistryError(f"gebiedenregister '{source}': item {nr} is geen mapping")
    label = entry.get("id", f"item {nr}")
    where = f"gebiedenregister '{source}', focusgebied '{label}'"
    missing = [k for k in REQUIRED_KEYS if k not in entry]
    if missing:
        raise RegistryError(f"{where}: ontbrekende sleutel(s) {', '.join(missing)}")
    unknown = set(entry) - {*REQUIRED_KEYS, "aliassen", "buurten", "toelichting", "ongewijzigd"}
    if unknown:
        raise RegistryError(f"{where}: onbekende sleutel(s) {', '.join(sorted(map(str, unknown)))}")
    gid = entry["id"]
    if not isinstance(gid, str) or not ID_RE.match(gid):
        raise RegistryError(
            f"{where}: ongeldige id {gid!r} (verwacht: kleine letters, cijfers en koppeltekens, "
            "bijv. utrecht-overvecht)"
        )
    naam = entry["naam"]
    if not isinstance(naam, str) or not naam.strip():
        raise RegistryError(f"{where}: 'naam' moet een niet-lege tekst zijn")
    aliassen = entry.get("aliassen") or []
    if not isinstance(aliassen, list) or not all(
        isinstance(a, str) and a.strip() for a in aliassen
    ):
        raise RegistryError(f"{where}: 'aliassen' moet een lijst van niet-lege teksten zijn")
    gemeente = entry["gemeente"]
    if not isinstance(gemeente, str) or not GEMEENTE_RE.match(gemeente):
        raise RegistryError(
            f"{where}: ongeldige gemeentecode {gemeente!r} (verwacht: GM + 4 cijfers, bijv. GM0344)"
        )
    wijken = _parse_codes(entry["wijken"], "wijk", gemeente, where)
    buurten = _parse_codes(entry.get("buurten") or {}, "buurt", gemeente, where)
    if not wijken and not buurten:
        raise RegistryError(f"{where}: geen wijk- of buurtcodes opgegeven")
    toelichting = entry.get("toelichting") or ""
    if not isinstance(toelichting, str):
        raise RegistryError(f"{where}: 'toelichting' moet tekst zijn")
    ongewijzigd = entry.get("ongewijzigd") or []
    leden = {c for v in (*wijken.values(), *buurten.values()) for c in v}
    if not isinstance(ongewijzigd, list) or not all(isinstance(c, str) for c in ongewijzigd):
        raise RegistryError(f"{where}: 'ongewijzigd' moet een lijst van codes zijn")
    vreemd = sorted(set(ongewijzigd) - leden)
    if vreemd:
        raise RegistryError(f"{where}: 'ongewijzigd' noemt code(s) {', '.join(vreemd)} die niet "
                            "onder 'wijken' of 'buurten' staan (verwacht: codes van dit gebied)")
    return Focusgebied(
        id=gid,
        naam=naam.strip(),
        aliassen=tuple(a.strip() for a in aliassen),
        gemeente=gemeente,
        wijken=wijken,
        buurten=buurten,
        toelichting=" ".join(toelichting.split()),
        ongewijzigd=tuple(ongewijzigd),
    )


def _parse_codes(value: Any, niveau: str, gemeente: str, where: str) -> dict[int, tuple[str, ...]]:
    key = "wijken" if niveau == "wijk" else "buurten"
    if not isinstance(value, dict):
        raise RegistryError(f"{where}: '{key}' moet een mapping jaar -> lijst van codes zijn")
    out: dict[int, tuple[str, ...]] = {}
    for jaar, codes in value.items():
        if isinstance(jaar, bool) or not isinstance(jaar, int) or not 1900 <= jaar <= 2100:
            raise RegistryError(
                f"{where}: indelingsjaar {jaar!r} onder '{key}' is geen jaartal (verwacht: geheel "
                "getal zoals 2024)"
            )
        if not isinstance(codes, list) or not codes:
            raise RegistryError(f"{where}: '{key}' {jaar} moet een niet-lege lijst van codes zijn")
        for code in codes:
            m = CODE_RE[niveau].match(code) if isinstance(code, str) else None
            if not m:
                raise RegistryError(
                    f"{where}: ongeldige {niveau}code {code!r} in {jaar} "
                    f"(verwacht: {CODE_EXPECTED[niveau]})"
                )
            if m.group(1) != gemeente[2:]:
                raise RegistryError(
                    f"{where}: {niveau}code {code} in {jaar} hoort niet bij gemeente {gemeente} "
                    f"(verwacht een code die begint met {key[:2].upper()}{gemeente[2:]})"
                )
        dup = sorted({c for c in codes if codes.count(c) > 1})
        if dup:
            raise RegistryError(f"{where}: dubbele {niveau}code(s) in {jaar}: {', '.join(dup)}")
        out[jaar] = tuple(codes)
    return dict(sorted(out.items()))


def _check_unique(areas: list[Focusgebied], source: str) -> None:
    seen_ids: set[str] = set()
    for a in areas:
        if a.id in seen_ids:
            raise RegistryError(f"gebiedenregister '{source}': dubbele id '{a.id}'")
        seen_ids.add(a.id)
    owner: dict[str, tuple[str, str]] = {}
    for a in areas:
        names = {normalise(n): n for n in (a.id, a.naam, *a.aliassen)}
        for norm, name in names.items():
            if norm in owner and owner[norm][0] != a.id:
                other, other_name = owner[norm]
                raise RegistryError(
                    f"gebiedenregister '{source}', focusgebied '{a.id}': naam of alias '{name}' "
                    f"is niet uniek (ook focusgebied '{other}' heet '{other_name}')"
                )
            owner[norm] = (a.id, name)


# ---------------------------------------------------------------------------------------------
# Lookup


def focusgebied_ids(path: Path | str | None = None) -> list[str]:
    """The ids of all focus areas, in registry order."""
    return [a.id for a in load_focusgebieden(path)]


def load_focusgebied(focusgebied: str, path: Path | str | None = None) -> Focusgebied:
    """The focus area with id ``gebied_id``; names and aliases are resolved too.

    Raises :class:`RegistryError` for an unknown name, with close matches.
    """
    areas = load_focusgebieden(path)
    by_id = {a.id: a for a in areas}
    if focusgebied in by_id:
        return by_id[focusgebied]
    return by_id[resolve_gebied(focusgebied, path)]


def _unknown(name: str, path: Path | str | None) -> None:
    areas = load_focusgebieden(path)
    lookup = _name_index(areas)
    close = difflib.get_close_matches(normalise(name), list(lookup), n=10, cutoff=0.6)
    naam_by_id = {a.id: a.naam for a in areas}
    suggestions: list[str] = []
    for c in close:
        label = f"{naam_by_id[lookup[c][0]]} ({lookup[c][0]})"
        if label not in suggestions:
            suggestions.append(label)
    suggestions = suggestions[:3]
    hint = f"; bedoelde u: {', '.join(suggestions)}?" if suggestions else ""
    raise OnbekendGebiedError(
        f"onbekend focusgebied '{name}'{hint} (geldige ids: {', '.join(a.id for a in areas)})"
    )


def _name_index(areas: list[Focusgebied]) -> dict[str, tuple[str, str]]:
    index: dict[str, tuple[str, str]] = {}
    for a in areas:
        for n in (a.id, a.naam, *a.aliassen):
            index.setdefault(normalise(n), (a.id, n))
    return index


def resolve_gebied(naam: str, path: Path | str | None = None) -> str:
    """The id of the focus area called ``naam`` (id, naam or alias).

    Case, spaces, hyphens, punctuation and diacritics are ignored. Raises
    :class:`OnbekendGebiedError` (a :class:`RegistryError` and :class:`LookupError`) for an
    unknown name, listing close matches.
    """
    areas = load_focusgebieden(path)
    hit = _name_index(areas).get(normalise(naam))
    if hit is None or not normalise(naam):
        _unknown(naam, path)
    return hit[0]


def indelingsjaar(focusgebied: Focusgebied | str, jaar: int, niveau: str = "wijk") -> int | None:
    """The registry year whose codes apply to indeling year ``jaar``.

    ``jaar`` itself if listed; else the latest listed year before it; else the earliest listed
    year. ``None`` when the area lists no codes at this level. Callers that get a year other
    than ``jaar`` should flag the area definition as borrowed.
    """
    g = load_focusgebied(focusgebied) if isinstance(focusgebied, str) else focusgebied
    table = _level(g, niveau)
    if not table:
        return None
    if jaar in table:
        return jaar
    earlier = [j for j in table if j < jaar]
    return max(earlier) if earlier else min(table)


def codes(focusgebied: Focusgebied | str, jaar: int, niveau: str = "wijk") -> tuple[str, ...]:
    """CBS codes of ``gebied`` (object, id or alias) at ``niveau`` for indeling year ``jaar``.

    Uses :func:`indelingsjaar` for years that are not listed; empty tuple when the area has no
    codes at this level.
    """
    g = load_focusgebied(focusgebied) if isinstance(focusgebied, str) else focusgebied
    j = indelingsjaar(g, jaar, niveau)
    return () if j is None else _level(g, niveau)[j]


def member_codes(focusgebied: Focusgebied, jaar: int) -> tuple[int | None, tuple[str, ...]]:
    """The codes that define ``gebied`` for data of indeling year ``jaar``.

    Wijk codes when the area lists any, else buurt codes; the registry year is chosen by
    :func:`indelingsjaar`. Returns ``(registry year used, codes)``; ``(None, ())`` for an area
    without codes.
    """
    niveau = "wijk" if focusgebied.wijken else "buurt"
    j = indelingsjaar(focusgebied, jaar, niveau)
    return (None, ()) if j is None else (j, tuple(str(c).strip() for c in _level(focusgebied, niveau)[j]))


def _level(g: Focusgebied, niveau: str) -> dict[int, tuple[str, ...]]:
    if niveau not in NIVEAUS:
        raise ValueError(f"niveau must be one of {NIVEAUS}, got {niveau!r}")
    return g.wijken if niveau == "wijk" else g.buurten


# ---------------------------------------------------------------------------------------------
# Validation against the region table of the data in use


def validate_against_regions(areas: list[Focusgebied], regions: pd.DataFrame) -> None:
    """Check that every listed code exists in the region table for its indeling year.

    ``regions`` has at least ``code``, ``soort`` and ``indelingsjaar`` (the processed
    ``regions.parquet``; ``gemeente`` is used when present). An (area, year) pair is checked
    when the data in use cover the area's gemeente in that indeling year (a row for the gemeente
    itself or for any of its wijken/buurten); years the data do not cover are not checked.
    Raises ONE :class:`RegistryError` listing every area, year and missing code.
    """
    import pandas as pd

    need = {"code", "soort", "indelingsjaar"}
    missing_cols = need - set(regions.columns)
    if missing_cols:
        raise RegistryError(
            f"regiotabel mist kolom(men) {', '.join(sorted(missing_cols))} voor de controle van "
            "het gebiedenregister"
        )
    frame = pd.DataFrame(
        {
            "code": regions["code"].astype(str).str.strip(),
            "soort": regions["soort"].astype(str).str.strip(),
            "jaar": regions["indelingsjaar"].astype(int),
        }
    )
    present = {int(j): set(g) for j, g in frame.groupby("jaar")["code"]}
    local = frame[frame["soort"].isin(["gemeente", "wijk", "buurt"])]
    covered = {int(j): set(g.str.slice(2, 6)) for j, g in local.groupby("jaar")["code"]}
    problems: list[str] = []
    for a in areas:
        for niveau in NIVEAUS:
            for jaar, cs in _level(a, niveau).items():
                if a.gemeente[2:] not in covered.get(jaar, set()):
                    continue
                absent = [c for c in cs if c not in present.get(jaar, set())]
                if absent:
                    problems.append(
                        f"- {a.id} ({a.naam}), indelingsjaar {jaar}: {niveau}code(s) "
                        f"{', '.join(absent)} ontbreken"
                    )
    if problems:
        raise RegistryError(
            "gebiedenregister past niet bij de regio-indeling van de gebruikte data; "
            "ontbrekende codes:\n" + "\n".join(problems)
        )
