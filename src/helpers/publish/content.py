"""What the publication is built from: the registry ``params/publicatie.yml`` and the notebooks'
``uitvoer.json`` files (see :mod:`helpers.kit.output` for their shape).

Nothing here formats or checks content; :mod:`helpers.publish.guards` checks it and
:mod:`helpers.publish.layout` turns it into markdown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers.core import config
from helpers.core.errors import InputError
from helpers.core.io import read_table
from helpers.core.yamlfile import read_yaml
from helpers.kit.output import UITVOER_JSON
from helpers.registers import focusgebieden
from helpers.runner.status import GEEN_GEGEVENS

PUBLICATIE_YML: Path = config.PARAMS / "publicatie.yml"
# Source files of the publication (templates, narrative, assets): always from the checkout,
# never from the WIJKMONITOR_REPORTS override (which only moves outputs).
BRON_REPORTS: Path = config.ROOT / "reports"


@dataclass
class Resultaat:
    """One notebook's ``uitvoer.json`` for one area, with the folder its files live in."""

    gebied: str
    notebook: str
    map: Path
    data: dict

    @property
    def index(self) -> Path:
        return self.map / UITVOER_JSON

    @property
    def demo(self) -> bool | None:
        """The ``demo`` flag as written (``None`` when the key is missing)."""
        value = self.data.get("demo")
        return value if isinstance(value, bool) else None

    @property
    def geen_gegevens(self) -> bool:
        """True when this edition has no data for the run (status ``geen gegevens``, written
        by the runner when the run's sources were absent; see :mod:`helpers.runner.absent`)."""
        return self.data.get("status") == GEEN_GEGEVENS

    @property
    def ontbrekende_bronnen(self) -> list[str]:
        """The absent sources in reader terms (only for a run without data)."""
        return [str(b) for b in self.data.get("ontbrekende_bronnen") or []]

    @property
    def melding(self) -> str:
        """The reader statement that this edition has no data for this part ('' otherwise)."""
        return str(self.data.get("melding") or "") if self.geen_gegevens else ""

    @property
    def figuren(self) -> dict[str, dict]:
        return self.data.get("figuren") or {}

    @property
    def tabellen(self) -> dict[str, dict]:
        return self.data.get("tabellen") or {}

    @property
    def kerncijfers(self) -> dict[str, dict]:
        return self.data.get("kerncijfers") or {}

    @property
    def teksten(self) -> dict[str, str]:
        return self.data.get("teksten") or {}

    def pad(self, bestand: str) -> Path:
        """Path of a file named in ``uitvoer.json`` (relative to the notebook's output folder)."""
        return self.map / bestand

    def load_tabel(self, naam: str) -> Any:
        """The table ``naam`` as a DataFrame (read with :func:`helpers.core.io.read_table`, so
        text neutralised for spreadsheets comes back as written). Raises :class:`InputError`
        for a missing or unreadable CSV."""
        meta = self.tabellen[naam]
        path = self.pad(str(meta.get("bestand", f"{naam}.csv")))
        if not path.exists():
            raise InputError(self.index, f"tabel '{naam}' verwijst naar een ontbrekend bestand "
                             f"'{path.name}'", column="tabellen", expected="bestaand CSV-bestand")
        try:
            return read_table(path)
        except (ValueError, UnicodeDecodeError) as exc:
            raise InputError(path, f"tabel '{naam}' is geen leesbare CSV: {exc}",
                             expected="UTF-8 CSV met kopregel") from exc


def load_config(path: Path | None = None) -> dict:
    """The publication registry (``params/publicatie.yml``), validated.

    Raises :class:`InputError` naming the file and the key when a required key is missing.
    """
    path = Path(path or PUBLICATIE_YML)
    data = read_yaml(path, missing="de publicatie-instellingen") or {}
    for key in ("titel", "hoofdstukken", "factsheet", "stigmatiserend", "causaal"):
        if key not in data:
            raise InputError(path, f"sleutel '{key}' ontbreekt", column=key)
    for nr, h in enumerate(data["hoofdstukken"], start=1):
        for key in ("id", "titel", "tekst"):
            if key not in h:
                raise InputError(path, f"hoofdstuk {nr} mist de sleutel '{key}'", column=key)
        h.setdefault("notebooks", [])
        h["notebooks"] = list(h["notebooks"] or [])
    data["factsheet"].setdefault("notebooks", [])
    data["factsheet"].setdefault("gebied_kolommen", ["gebied"])
    data.setdefault("attributie", [])
    data.setdefault("respondent_kolommen", [])
    return data


def benodigde_notebooks(cfg: dict) -> list[str]:
    """Every notebook whose ``alle`` outputs the publication and factsheets use (in order)."""
    seen: list[str] = []
    for h in cfg["hoofdstukken"]:
        for nb in h["notebooks"]:
            if nb not in seen:
                seen.append(nb)
    for nb in cfg["factsheet"]["notebooks"]:
        if nb not in seen:
            seen.append(nb)
    return seen


def load_resultaat(runs: Path, focusgebied: str, notebook: str) -> Resultaat | None:
    """The ``uitvoer.json`` of ``runs/<gebied>/<notebook>/`` (``None`` when the notebook has not
    run). Raises :class:`InputError` when the file is not valid JSON or not an object."""
    folder = Path(runs) / focusgebied / notebook
    index = folder / UITVOER_JSON
    if not index.exists():
        return None
    try:
        data = json.loads(index.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(index, f"geen geldige JSON: {exc.msg}", line=exc.lineno,
                         expected="uitvoer.json zoals helpers.kit.output.Uitvoer.schrijf() die "
                         "schrijft") from exc
    if not isinstance(data, dict):
        raise InputError(index, "verwacht een JSON-object", expected="object met 'figuren', "
                         "'tabellen', 'kerncijfers', 'teksten' en 'demo'")
    for key in ("figuren", "tabellen", "kerncijfers", "teksten"):
        if key in data and not isinstance(data[key], dict):
            raise InputError(index, f"'{key}' moet een object zijn", column=key)
    return Resultaat(gebied=focusgebied, notebook=notebook, map=folder, data=data)


def load_resultaten(runs: Path, notebooks: list[str], focusgebied: str = "alle") -> dict[str, Resultaat]:
    """The results of ``notebooks`` for ``gebied`` that exist, by notebook name."""
    out: dict[str, Resultaat] = {}
    for nb in notebooks:
        r = load_resultaat(runs, focusgebied, nb)
        if r is not None:
            out[nb] = r
    return out


def load_tekst(naam: str, teksten: Path | None = None) -> str:
    """A researcher-written markdown file from ``reports/teksten/`` ('' when absent)."""
    path = (teksten or BRON_REPORTS / "teksten") / naam
    return path.read_text(encoding="utf-8").strip() if path.exists() else ""


def gebieden() -> list[tuple[str, str]]:
    """``[(id, naam), ...]`` of the 20 focus areas from the area focusgebieden."""

    return [(g.id, g.naam) for g in focusgebieden.load_focusgebieden()]
