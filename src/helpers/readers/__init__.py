"""Readers, one module per raw source format (see :mod:`helpers.readers.base`)."""

from __future__ import annotations

# Module names (inside helpers.readers) that define a READER. Order matters only when two
# formats could match the same header: the first match wins.
FORMAT_MODULES: list[str] = []
