"""Readers, one module per raw source format (see :mod:`helpers.ingest.readers.base`).

How to add a format (e.g. a survey export or a theme registration CSV):

1. Write ``helpers/readers/<name>.py`` with a module-level ``READER`` object that has
   ``formaat`` (short id), ``beschrijving`` (one Dutch line naming the key columns, shown when a
   file matches no format), ``matches(header) -> bool`` (key columns only; never the file name)
   and ``read(header) -> ReadResult`` (see :mod:`helpers.ingest.readers.base`). Use the helpers in
   :mod:`helpers.ingest.readers.common` for encoding, numbers, codes and error messages.
2. Add ``"<name>"`` to :data:`FORMAT_MODULES` below (one line).
3. Register a pandera schema for every table name your reader returns in
   :data:`helpers.core.schemas.SCHEMAS` (``unique=[...]`` declares the key).
"""

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
