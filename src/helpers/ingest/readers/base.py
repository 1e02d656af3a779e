"""The reader protocol: every raw format is one module with one :class:`Reader`.

A reader recognises its format from the file's *header* (never from the file name) and turns
the file into one or more tidy tables, keyed by processed-table name (e.g. ``"kwb"``,
``"regions"``, ``"leefbaarometer"``). :mod:`helpers.ingest.build` concatenates the tables of all
recognised files, validates them with the pandera schema registered for that table name, and
writes them atomically to ``data/processed/<name>.parquet``.

To add a format: write a module in ``helpers/readers/`` with a ``READER`` object that satisfies
this protocol, and add the module name to ``FORMAT_MODULES`` in ``helpers/readers/__init__.py``.
Register a pandera schema for every table name it produces in :data:`helpers.core.schemas.SCHEMAS`
(its ``unique`` columns are the table's key). Helpers for the usual quirks (BOM, encoding,
delimiter, padded codes, ``.``/``NA`` as missing, decimal commas) are in
:mod:`helpers.ingest.readers.common`.

Each file is read from disk once: ingest reads the bytes (text) or the first sheet (xlsx) into
the :class:`Header` (``data`` / ``frame``), readers parse from there. Every table a reader returns
carries the helper column :data:`LINE_COL` (the 1-based line of the source row as an editor or
Excel shows it, header = line 1); ingest uses it in messages (duplicate keys, schema failures)
and drops it before writing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

# Helper column every table of a ReadResult carries: source line (header = 1). Dropped on write.
LINE_COL = "_regel"


@dataclass(frozen=True)
class Header:
    """What a reader may look at to recognise a file.

    ``columns``: the header cells, stripped of BOM, quotes and surrounding spaces.
    ``path``: the file (for messages and for a period in the file name, never for the format).
    ``sheet``: the sheet name for xlsx files, else ``None``.
    ``delimiter``: detected delimiter for text files (``;`` or ``,`` or tab), else ``None``.
    ``encoding``: detected encoding for text files (``utf-8-sig`` or ``cp1252``).
    ``data``: the raw bytes of a text file (read once; parse with ``io.BytesIO(data)``).
    ``frame``: for xlsx, the sheet as a DataFrame of raw cell values (object dtype), header
    row as column names, row ``i`` of the frame = Excel row ``i + 2``.
    """

    columns: tuple[str, ...]
    path: Path
    sheet: str | None = None
    delimiter: str | None = None
    encoding: str | None = None
    data: bytes | None = field(default=None, repr=False, compare=False)
    frame: Any = field(default=None, repr=False, compare=False)


@dataclass
class ReadResult:
    """Tables a raw file contributes, plus facts for the provenance log (``bronnen.json``)."""

    tables: dict[str, pd.DataFrame]
    formaat: str
    jaar: int | None = None
    notes: list[str] = field(default_factory=list)
    # Number of data rows in the source file (for bronnen.json).
    rijen: int | None = None
    # Precedence when several files give the same key of a table that merges across files
    # (``regions``): higher wins, lower-precedence rows only fill its missing values.
    voorrang: int = 0
    # Per table, table column -> the column as the file names it (``{"regions": {"indelingsjaar":
    # "jaar"}}``), so that schema errors name what the user sees. ``kwb.waarde`` is named by the
    # row's ``variabele``.
    bronkolommen: dict[str, dict[str, str]] = field(default_factory=dict)


class Reader(Protocol):
    formaat: str  # short id, e.g. "leefbaarometer-csv", "statline-csv", "cbs-odata-csv"

    def matches(self, header: Header) -> bool:
        """True when the header identifies this format (key columns present)."""

    def read(self, header: Header) -> ReadResult:
        """Read and validate the whole file; raise :class:`helpers.core.errors.InputError` on bad input
        (naming file, line, column and what was expected)."""
