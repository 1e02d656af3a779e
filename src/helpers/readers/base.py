"""The reader protocol: every raw format is one module with one :class:`Reader`.

A reader recognises its format from the file's *header* (never from the file name) and turns
the file into one or more tidy tables, keyed by processed-table name (e.g. ``"kwb"``,
``"regions"``, ``"leefbaarometer"``). :mod:`helpers.ingest` concatenates the tables of all
recognised files, validates them with the pandera schema registered for that table name, and
writes them atomically to ``data/processed/<name>.parquet``.

To add a format: write a module in ``helpers/readers/`` with a ``READER`` object that satisfies
this protocol, and add the module name to ``FORMAT_MODULES`` in ``helpers/readers/__init__.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


@dataclass(frozen=True)
class Header:
    """What a reader may look at to recognise a file.

    ``columns``: the header cells, stripped of BOM, quotes and surrounding spaces.
    ``path``: the file (for messages and for a period in the file name, never for the format).
    ``sheet``: the sheet name for xlsx files, else ``None``.
    ``delimiter``: detected delimiter for text files (``;`` or ``,`` or tab), else ``None``.
    ``encoding``: detected encoding for text files.
    """

    columns: tuple[str, ...]
    path: Path
    sheet: str | None = None
    delimiter: str | None = None
    encoding: str | None = None


@dataclass
class ReadResult:
    """Tables a raw file contributes, plus facts for the provenance log (``bronnen.json``)."""

    tables: dict[str, pd.DataFrame]
    formaat: str
    jaar: int | None = None
    notes: list[str] = field(default_factory=list)


class Reader(Protocol):
    formaat: str  # short id, e.g. "leefbaarometer-csv", "statline-csv", "cbs-odata-csv"

    def matches(self, header: Header) -> bool:
        """True when the header identifies this format (key columns present)."""

    def read(self, header: Header) -> ReadResult:
        """Read and validate the whole file; raise :class:`helpers.errors.InputError` on bad input
        (naming file, line, column and what was expected)."""
