"""Readers, one module per raw source format (see :mod:`helpers.ingest.readers.base`).

How to add a format (e.g. a survey export or a theme registration CSV):

1. Write ``helpers/readers/<name>.py`` with a module-level ``READER`` object that has
   ``formaat`` (short id), ``beschrijving`` (one Dutch line naming the key columns, shown when a
   file matches no format), ``matches(header) -> bool`` (key columns only; never the file name)
   and ``read(header) -> ReadResult`` (see :mod:`helpers.ingest.readers.base`). Use the helpers in
   :mod:`helpers.ingest.readers.common` for encoding, numbers, codes and error messages.
2. Add ``"<name>"`` to :data:`FORMAT_MODULES` in :mod:`helpers.ingest.readers.catalogue` (one line).
3. Register a pandera schema for every table name your reader returns in
   :data:`helpers.core.schemas.SCHEMAS` (``unique=[...]`` declares the key).
"""

from __future__ import annotations

from helpers.ingest.readers.catalogue import FORMAT_MODULES, load_readers

__all__ = ["FORMAT_MODULES", "load_readers"]
