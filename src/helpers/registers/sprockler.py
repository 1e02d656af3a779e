"""The mapping file ``params/sprockler.yml``: export column -> question id, type and metadata.

:func:`load_mapping` reads and validates it into a :class:`Mapping`. Errors in the mapping file
itself raise :class:`helpers.core.errors.RegistryError` naming the question and the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers.core import config
from helpers.core.errors import RegistryError
from helpers.core.yamlfile import read_yaml
from helpers.registers import monitor

TYPES = {"id", "verhaal", "titel", "bipool", "tripool", "beeld", "classificatie", "toestemming",
         "vrijgegeven", "negeren"}
GROEPEN = ("bewoner", "gemeente", "programmabureau", "uitvoerende_organisatie", "onbekend")
ONBEKEND = "onbekend"


@dataclass(frozen=True)
class Vraag:
    """One question of the mapping (``spec`` keeps the raw YAML entry)."""

    id: str
    type: str
    spec: dict

    @property
    def label(self) -> str:
        return str(self.spec.get("label") or self.id)

    @property
    def bouwsteen(self) -> str | None:
        return self.spec.get("bouwsteen")

    def kolommen(self) -> list[str]:
        """Every export column this question reads (for the presence check)."""
        s = self.spec
        cols: list[str] = []
        if "kolom" in s:
            cols.append(s["kolom"])
        if s.get("nvt_kolom"):
            cols.append(s["nvt_kolom"])
        if self.type == "tripool":
            cols.extend((s.get("kolommen") or {}).values())
            xy = s.get("xy") or {}
            cols.extend(v for k, v in xy.items() if k in ("x", "y"))
        if self.type == "beeld":
            cols.extend([s["x_kolom"], s["y_kolom"]])
        return cols


@dataclass(frozen=True)
class Mapping:
    """The validated mapping: questions by id plus classification, groups and thresholds."""

    path: Path
    vragen: dict[str, Vraag]
    negatief_onder: float
    positief_boven: float
    min_n: int
    signaal_n: int
    bouwstenen: dict[str, str]
    groep_regels: list[dict]
    groep_labels: dict[str, str]
    groeperingen: list[str]
    jaar: int | None = None
    bron: str = ""
    extra: dict = field(default_factory=dict)

    def van_type(self, *types: str) -> list[Vraag]:
        return [v for v in self.vragen.values() if v.type in types]

    @property
    def bipolen(self) -> list[Vraag]:
        return self.van_type("bipool")

    def een(self, type_: str) -> Vraag | None:
        found = self.van_type(type_)
        return found[0] if found else None


def _need(spec: dict, key: str, qid: str) -> Any:
    if key not in spec or spec[key] in (None, ""):
        raise RegistryError(f"koppelbestand: vraag '{qid}' mist '{key}'")
    return spec[key]


def _check_vraag(qid: str, spec: dict, bouwstenen: dict) -> Vraag:
    if not isinstance(spec, dict):
        raise RegistryError(f"koppelbestand: vraag '{qid}' is geen mapping")
    t = _need(spec, "type", qid)
    if t not in TYPES:
        raise RegistryError(f"koppelbestand: vraag '{qid}' heeft onbekend type '{t}' "
                            f"(verwacht: {', '.join(sorted(TYPES))})")
    if t in {"id", "verhaal", "titel", "bipool", "classificatie", "toestemming", "vrijgegeven",
             "negeren"}:
        _need(spec, "kolom", qid)
    if t == "bipool":
        _need(spec, "pool_links", qid)
        _need(spec, "pool_rechts", qid)
    if t == "tripool":
        polen = _need(spec, "polen", qid)
        cols = spec.get("kolommen") or {}
        xy = spec.get("xy") or {}
        if cols and set(cols) != set(polen):
            raise RegistryError(f"koppelbestand: tripool '{qid}': 'kolommen' en 'polen' moeten "
                                "dezelfde drie sleutels hebben")
        if len(polen) != 3:
            raise RegistryError(f"koppelbestand: tripool '{qid}' heeft precies drie polen nodig")
        if not cols and not {"x", "y", "hoeken"} <= set(xy):
            raise RegistryError(f"koppelbestand: tripool '{qid}' heeft 'kolommen' of "
                                "'xy' (x, y, hoeken) nodig")
    if t == "beeld":
        _need(spec, "x_kolom", qid)
        _need(spec, "y_kolom", qid)
        for g in _need(spec, "gebieden", qid):
            if not {"naam", "x", "y"} <= set(g):
                raise RegistryError(f"koppelbestand: beeld '{qid}': gebied zonder naam/x/y")
    b = spec.get("bouwsteen")
    if b is not None and b not in bouwstenen:
        raise RegistryError(f"koppelbestand: vraag '{qid}' noemt onbekende bouwsteen '{b}'")
    return Vraag(qid, t, dict(spec))


def load_mapping(path: str | Path | None = None, *, min_n: int | None = None,
                 signaal_n: int | None = None) -> Mapping:
    """Read and validate a mapping file (default ``params/sprockler.yml``).

    ``min_n`` / ``signaal_n`` override the run-wide values of ``params/monitor.yml`` (notebook
    parameters).

    Raises :class:`RegistryError` for a missing file, invalid YAML, unknown types, missing keys,
    unknown bouwstenen, or group rules naming unknown groups or classifiers.
    """

    p = Path(path) if path else config.SPROCKLER_YML
    if not p.exists():
        raise RegistryError(f"koppelbestand '{p}' bestaat niet")
    raw = read_yaml(p) or {}
    bouwstenen = dict(raw.get("bouwstenen") or {})
    vragen = {qid: _check_vraag(qid, spec, bouwstenen)
              for qid, spec in (raw.get("vragen") or {}).items()}
    ids = [v for v in vragen.values() if v.type == "id"]
    if len(ids) != 1:
        raise RegistryError(f"koppelbestand '{p}': precies één vraag van type 'id' nodig")
    ind = raw.get("indeling") or {}
    neg, pos = float(ind.get("negatief_onder", 100 / 3)), float(ind.get("positief_boven", 200 / 3))
    if not 0 <= neg <= pos <= 100:
        raise RegistryError(f"koppelbestand '{p}': indeling vraagt 0 <= negatief_onder <= "
                            f"positief_boven <= 100, gekregen {neg} en {pos}")
    if "drempels" in raw:
        raise RegistryError(f"koppelbestand '{p}': 'drempels' staan nu in params/monitor.yml "
                            "(min_n, signaal_n); haal ze hier weg")
    groepen = raw.get("groepen") or {}
    regels = list(groepen.get("regels") or [])
    classifiers = {v.id for v in vragen.values() if v.type == "classificatie"}
    for i, r in enumerate(regels, 1):
        if r.get("groep") not in GROEPEN:
            raise RegistryError(f"koppelbestand '{p}': groepsregel {i} noemt onbekende groep "
                                f"'{r.get('groep')}' (verwacht: {', '.join(GROEPEN)})")
        for key in r:
            if key != "groep" and key not in classifiers:
                raise RegistryError(f"koppelbestand '{p}': groepsregel {i} noemt onbekende "
                                    f"classificatie '{key}'")
    groeperingen = list(raw.get("groeperingen") or ["groep"])
    for g in groeperingen:
        if g != "groep" and g not in classifiers:
            raise RegistryError(f"koppelbestand '{p}': groepering '{g}' is geen classificatie")
    labels = {g: g for g in GROEPEN} | dict(groepen.get("labels") or {})
    return Mapping(
        path=p, vragen=vragen, negatief_onder=neg, positief_boven=pos,
        min_n=monitor.min_n(min_n), signaal_n=monitor.signaal_n(signaal_n),
        bouwstenen=bouwstenen, groep_regels=regels, groep_labels=labels,
        groeperingen=groeperingen, jaar=raw.get("jaar"), bron=str(raw.get("bron", "")),
    )
