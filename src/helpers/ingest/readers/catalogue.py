"""The catalogue of raw formats: which reader modules exist, in matching order."""

from __future__ import annotations

import importlib

# Module names (inside helpers.ingest.readers) that define a READER. Order matters only when two
# formats could match the same header: the first match wins.
FORMAT_MODULES: list[str] = [
    "leefbaarometer",
    "odata",
    "statline",
    "kwb_xlsx",
    "ve_bereik", "reintegratie", "armoede",  # theme registrations (jonge kind, re-integratie, armoede)
    "segmenten", "bewonersinitiatieven", "kernpersonen",  # coded segments; sociale cohesie
    "sprockler",  # Sprockler-export procesevaluatie (vraagteksten uit params/sprockler.yml)
]


def load_readers() -> list:
    """The ``READER`` objects of all :data:`FORMAT_MODULES`, in order."""
    return [importlib.import_module(f"helpers.ingest.readers.{m}").READER for m in FORMAT_MODULES]
