"""Where the data came from: the provenance log written by ingest, and the demo flag.

``data/processed/bronnen.json`` is written by :mod:`helpers.ingest.build` next to the processed
tables. Shape::

    {"demo": true,                       # any input file was demo data
     "aangemaakt": "2026-12-02T10:00:00+00:00",
     "bestanden": [{"pad": "...", "sha256": "...", "formaat": "leefbaarometer-csv",
                    "jaar": 2022, "rijen": 26366, "demo": false}, ...],
     "overgeslagen": ["README.md", ...]}

A raw file is demo data when its name contains ``demo`` (the generator guarantees this).
Every output built from demo data must say so visibly: :data:`DEMO_LABEL`.

The file name is only a label. Where it matters for privacy — whether a survey export may be
pseudonymised with the public demo key — the decision is made on the content: the demo-data
generator writes the column :data:`DEMO_KOLOM` with :data:`DEMO_WAARDE` in every row, and only
an export carrying that marker in every row counts as demo (:func:`is_demo_export`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from helpers.core import config, io

DEMO_LABEL = "fictieve demonstratiedata"
BRONNEN_JSON = "bronnen.json"
# The content marker of a survey export written by `wijkmonitor demo-data` (never by Sprockler).
DEMO_KOLOM = "wijkmonitor_demodata"
DEMO_WAARDE = f"{DEMO_LABEL} (wijkmonitor demo-data)"


#: Processed source tables in reader terms (Dutch), for messages such as "this edition has no
#: data for ...". Key: the table name (parquet file stem) a reader writes.
BRON_LABELS: dict[str, str] = {
    "regions": "de CBS-gebiedsindeling (wijken en buurten)",
    "kwb": "de CBS Kerncijfers wijken en buurten",
    "leefbaarometer": "de Leefbaarometer",
    "grenzen": "de CBS Wijk- en buurtkaart (wijkgrenzen)",
    "sprockler": "de vragenlijst van de procesevaluatie (Sprockler)",
    "armoede_netwerken": "de registratie van de informele netwerken rond armoede en schulden",
    "reintegratie": "de registratie van re-integratie (groepsaanpakken en wijkbanen)",
    "gecodeerde_segmenten": "de gecodeerde interviews en focusgroepen van de themastudies",
    "ve_bereik": "de registratie van toeleiding naar en bereik van voorschoolse educatie",
    "bewonersinitiatieven": "de registratie van bewonersinitiatieven",
    "kernpersonen_likert": "de vragenlijst onder kernpersonen van het leernetwerk "
                           "Bewonersbetrokkenheid",
}


def bron_label(tabel: str) -> str:
    """The reader term of processed table ``tabel`` (:data:`BRON_LABELS`; else a neutral
    description naming the table)."""
    return BRON_LABELS.get(tabel, f"de gegevens '{tabel}'")


def is_demo_file(path: str | Path) -> bool:
    """True for files written by the demo-data generator (their names contain ``demo``)."""
    return "demo" in Path(path).name.lower()


def is_demo_export(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bool:
    """True only for an export the demo-data generator wrote: the header has the column
    :data:`DEMO_KOLOM` and every data row holds exactly :data:`DEMO_WAARDE` in it. The file
    name plays no part; an export without the column, or with one row lacking the marker, is
    not demo (and so needs the real pseudonymisation key)."""
    kolommen = [str(c).strip() for c in header]
    if DEMO_KOLOM not in kolommen:
        return False
    i = kolommen.index(DEMO_KOLOM)
    return all(i < len(r) and str(r[i]).strip() == DEMO_WAARDE for r in rows)


def load_bronnen(processed: Path | None = None) -> dict:
    """The provenance log of a processed folder (empty dict when there is none)."""
    p = io.record_read((processed or config.DATA_PROCESSED) / BRONNEN_JSON)
    if not p.exists():
        return {}
    return json.loads(p.read_text(encoding="utf-8"))


def is_demo(processed: Path | None = None) -> bool:
    """True when the processed tables were built (partly) from demo data.

    With no provenance log (nothing ingested yet) this is ``False``.
    """
    return bool(load_bronnen(processed).get("demo", False))
