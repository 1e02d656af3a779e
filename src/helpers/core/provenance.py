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
"""

from __future__ import annotations

import json
from pathlib import Path

from helpers.core import config

DEMO_LABEL = "fictieve demonstratiedata"
BRONNEN_JSON = "bronnen.json"


def is_demo_file(path: str | Path) -> bool:
    """True for files written by the demo-data generator (their names contain ``demo``)."""
    return "demo" in Path(path).name.lower()


def load_bronnen(processed: Path | None = None) -> dict:
    """The provenance log of a processed folder (empty dict when there is none)."""
    p = (processed or config.DATA_PROCESSED) / BRONNEN_JSON
    if not p.exists():
        return {}
    return json.loads(p.read_text(encoding="utf-8"))


def is_demo(processed: Path | None = None) -> bool:
    """True when the processed tables were built (partly) from demo data.

    With no provenance log (nothing ingested yet) this is ``False``.
    """
    return bool(load_bronnen(processed).get("demo", False))
