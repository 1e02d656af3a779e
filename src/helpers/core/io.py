"""The one way the workbench writes files: atomically, and tables in one place.

Every file the workbench writes (processed tables, run outputs, notebooks, manifests,
downloads, demo files) goes through :func:`write_atomic`: the content is written to a hidden
temporary file in the target folder and moved over the target with :func:`os.replace`, so a
reader never sees a half-written file and a failure leaves the old file (or nothing) behind.
The temporary file gets the normal file mode (umask), not ``mkstemp``'s 0600.

Tables go through :func:`write_table` (CSV or XLSX, by the file's suffix) so that every
spreadsheet the workbench produces (downloads, notebook outputs in ``reports/runs``, the tables
of ``wijkmonitor survey``) is written the same way and is safe to open in a spreadsheet program:

- numbers are stored as numbers (numeric columns are never touched, XLSX number cells);
- a text cell (or column header) starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return is neutralised by prefixing a single quote ``'`` (the OWASP rule against CSV/formula
  injection), so ``=HYPERLINK(...)`` becomes the inert text ``'=HYPERLINK(...)``. Not neutralised:
  the publication's own symbols standing alone (:data:`PUBLICATIE_SYMBOLEN`, such as CBS's ``-``
  for nihil) and text that is a plain number (``-3,5``, ``+12%``), which no spreadsheet reads as
  a formula. A text already starting with quotes before a trigger gets one quote more, so
  :func:`read_table` gives back exactly the text that was written;
- XLSX cells are written one by one as number, boolean or string cells (XlsxWriter with
  formula, URL and number conversion off): never a formula, never a hyperlink.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import numbers
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def _tmp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")


def write_atomic(path: str | Path, write: Callable[[Path], Any]) -> Path:
    """Call ``write(tmp)`` to fill a temporary file next to ``path``, then move it over ``path``.

    Creates the parent folder. On any exception the temporary file is removed and the target
    is left as it was. Returns ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_name(path)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_text(path: str | Path, text: str, *, bom: bool = False, newline: str | None = None) -> Path:
    """Write ``text`` as UTF-8 (optionally with a byte-order mark) atomically."""

    def _write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8-sig" if bom else "utf-8", newline=newline) as f:
            f.write(text)

    return write_atomic(path, _write)


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` atomically."""
    return write_atomic(path, lambda tmp: tmp.write_bytes(data))


def write_json(path: str | Path, data: Any, *, sort_keys: bool = True) -> Path:
    """Write ``data`` as indented UTF-8 JSON (non-ASCII kept, trailing newline) atomically."""
    return write_text(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=sort_keys,
                                       default=str) + "\n")


def write_files_together(out: str | Path, writers: Mapping[str, Callable[[Path], Any]], *,
                         remove: Sequence[str] = ()) -> list[Path]:
    """Write several files into ``out`` as one step: ``writers`` maps a file name to a function
    that fills the given path. Every file is first written into a temporary folder beside
    ``out``; only when all succeeded are they moved in (``os.replace`` each, same
    filesystem), then the file names in ``remove`` are deleted from ``out``. On any exception
    nothing in ``out`` changes. Returns the paths written, in the order of ``writers``."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        for name, write in writers.items():
            write(tmp / name)
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for name in writers:
            os.replace(tmp / name, out / name)
            paths.append(out / name)
        for name in remove:
            if name not in writers:
                (out / name).unlink(missing_ok=True)
        return paths
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def move_into_place(source: str | Path, target: str | Path) -> Path:
    """Move the file or folder ``source`` to ``target`` (atomic rename on one filesystem; copy
    and delete across filesystems). A folder ``target`` must not exist or be empty."""
    try:
        os.replace(source, target)
    except OSError:
        shutil.move(str(source), str(target))
    return Path(target)


# --------------------------------------------------------------------------- tables
# First characters that make a spreadsheet program read a text cell as a formula (OWASP).
FORMULE_TEKENS = ("=", "+", "-", "@", "\t", "\r")
# Symbols the publication uses on their own in a cell (CBS: '-' nihil, '.' unknown, 'x'
# secret; '–' suppressed): kept as they are.
PUBLICATIE_SYMBOLEN = frozenset({"-", "–", "—", ".", "x", "?"})
_GETAL = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)*|[.,]\d+)(?:[eE][+-]?\d+)?%?")
_FORMULE_KLASSE = "[" + re.escape("".join(FORMULE_TEKENS)) + "]"
_TE_NEUTRALISEREN = re.compile("'*" + _FORMULE_KLASSE)
_GENEUTRALISEERD = re.compile("'+" + _FORMULE_KLASSE)
XLSX_BLAD = "Tabel"
_XLSX_OPTIES = {"strings_to_formulas": False, "strings_to_urls": False,
                "strings_to_numbers": False}


def neutralise_cell(value: Any) -> Any:
    """A cell as it is written to CSV or XLSX: text starting with a formula character (after
    any leading quotes) gets a ``'`` in front; everything else is returned unchanged (numbers,
    missing values, lone :data:`PUBLICATIE_SYMBOLEN`, texts that are plain numbers)."""
    if not isinstance(value, str) or value in PUBLICATIE_SYMBOLEN or _GETAL.fullmatch(value):
        return value
    return "'" + value if _TE_NEUTRALISEREN.match(value) else value


def restore_cell(value: Any) -> Any:
    """The inverse of :func:`neutralise_cell` (one added quote removed)."""
    if isinstance(value, str) and _GENEUTRALISEERD.match(value):
        return value[1:]
    return value


def _check_columns(df: pd.DataFrame) -> None:
    import pandas as pd

    if isinstance(df.columns, pd.MultiIndex):
        raise ValueError("write_table: kolommen met meerdere niveaus worden niet ondersteund")


def _map_text(df: pd.DataFrame, fn: Callable[[Any], Any]) -> pd.DataFrame:
    import pandas as pd

    _check_columns(df)
    out = df.copy()
    out.columns = [fn(c) if isinstance(c, str) else c for c in df.columns]
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if col.dtype == object or isinstance(col.dtype, (pd.StringDtype, pd.CategoricalDtype)):
            if isinstance(col.dtype, pd.CategoricalDtype):
                col = col.astype(object)
            out.isetitem(i, col.map(fn, na_action="ignore"))
    return out


def neutralise_table(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell and column header through :func:`neutralise_cell`
    (numeric columns untouched)."""
    return _map_text(df, neutralise_cell)


def _xlsx_cell(ws: Any, row: int, col: int, value: Any, fmt: Any = None) -> None:
    """Write one cell as a number, boolean or string cell (missing values stay blank)."""
    import numpy as np
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return
    if isinstance(value, (bool, np.bool_)):
        ws.write_boolean(row, col, bool(value), fmt)
    elif isinstance(value, numbers.Number) and not isinstance(value, complex):
        v = float(value)
        if math.isnan(v):
            return
        if math.isinf(v):
            ws.write_string(row, col, "inf" if v > 0 else "-inf", fmt)
        else:
            ws.write_number(row, col, value if isinstance(value, (int, float)) else
                            (value.item() if hasattr(value, "item") else v), fmt)
    elif isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        ws.write_string(row, col, value.isoformat(), fmt)
    else:
        ws.write_string(row, col, str(neutralise_cell(str(value))), fmt)


def _write_xlsx(tmp: Path, bladen: Mapping[str, pd.DataFrame],
                koppen: Mapping[str, Sequence[str]]) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(tmp), _XLSX_OPTIES)
    try:
        vet = wb.add_format({"bold": True})
        for naam, df in bladen.items():
            ws = wb.add_worksheet(naam)
            kop = list(koppen.get(naam) or [])
            for r, tekst in enumerate(kop):
                _xlsx_cell(ws, r, 0, tekst)
            start = len(kop) + 1 if kop else 0
            for c, kolom in enumerate(df.columns):
                _xlsx_cell(ws, start, c, kolom, vet)
            for r, rij in enumerate(df.itertuples(index=False, name=None), start=start + 1):
                for c, value in enumerate(rij):
                    _xlsx_cell(ws, r, c, value)
    except BaseException:
        with contextlib.suppress(Exception):
            wb.close()
        raise
    wb.close()


def write_table(path: str | Path, table: pd.DataFrame | Mapping[str, pd.DataFrame], *,
                koppen: Mapping[str, Sequence[str]] | None = None) -> Path:
    """Write a table atomically as CSV (UTF-8, no index, CRLF) or, for a ``.xlsx`` path, as a
    workbook; spreadsheet-safe as described in the module docstring.

    ``table``: one DataFrame, or for XLSX a mapping sheet name -> DataFrame (one sheet per
    entry, in order). ``koppen`` (XLSX only): per sheet, lines of text (title, attribution)
    written in column A above the table, followed by one empty row. Raises ``ValueError`` for
    an unknown suffix, several tables for a CSV, or multi-level column headers.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        bladen = table if isinstance(table, Mapping) else {XLSX_BLAD: table}
        for df in bladen.values():
            _check_columns(df)
        return write_atomic(path, lambda tmp: _write_xlsx(tmp, bladen, koppen or {}))
    if suffix != ".csv":
        raise ValueError(f"write_table: onbekend tabelformaat '{path.suffix}' (.csv of .xlsx)")
    if isinstance(table, Mapping) or koppen:
        raise ValueError("write_table: een CSV-bestand bevat één tabel zonder kopregels")
    safe = neutralise_table(table)
    # CRLF as in RFC 4180: the csv module then also quotes a text holding a lone CR, which
    # would otherwise end the record early (with "\n" as terminator it is written bare).
    return write_atomic(path, lambda tmp: safe.to_csv(tmp, index=False, encoding="utf-8",
                                                      lineterminator="\r\n"))


def read_table(path: str | Path, **kwargs: Any) -> pd.DataFrame:
    """Read a CSV written by :func:`write_table` back (``pandas.read_csv`` with ``kwargs``),
    undoing the neutralisation: text cells and headers are exactly what was written."""
    import pandas as pd

    return _map_text(pd.read_csv(path, encoding="utf-8", **kwargs), restore_cell)


def write_parquet(path: str | Path, df: pd.DataFrame, **kwargs: Any) -> Path:
    """Write a table as Parquet (no index) atomically."""
    return write_atomic(path, lambda tmp: df.to_parquet(tmp, index=False, **kwargs))


# --------------------------------------------------------------------------- reads
# Every file a notebook's helpers read is recorded here (issue 13, point 4): the runner puts
# the files a run really read, with their hashes, into the skip decision, so a changed table
# re-runs every notebook that reads it, declared or not. A process-wide, read-only cache of
# Parquet tables keyed on the file's SHA-256 serves repeated reads; a cached read is still
# recorded as a read.

#: Environment variable naming the read log of the current run (set by the runner per run):
#: one absolute path per line, appended as files are read.
READ_LOG_ENV = "WIJKMONITOR_LEESLOG"
_READS: dict[str, None] = {}  # paths read in this process, in order (an ordered set)
_LOGGED_TO: list[str | None] = [None]  # the read log _READS was last written to
_CACHE: dict[str, tuple[str, Any]] = {}  # path -> (sha256 of its bytes, DataFrame)


def _append_log(log: str, paths: Sequence[str]) -> None:
    with open(log, "a", encoding="utf-8") as f:
        f.write("".join(f"{p}\n" for p in paths))


def record_read(path: str | Path) -> Path:
    """Note that this process read ``path`` (also when the file turned out to be absent or the
    content came from the cache: the result depends on it either way). Returns the absolute
    path. With :data:`READ_LOG_ENV` set, the path is appended to that log; a new log first
    gets every earlier read of this process (reads made before a fork, e.g. by preloaded
    modules, belong to every run that inherits them)."""
    p = str(Path(path).absolute())
    log = os.environ.get(READ_LOG_ENV)
    if log and _LOGGED_TO[0] != log:
        start_read_log()
    if p not in _READS:
        _READS[p] = None
        if log:
            _append_log(log, [p])
    return Path(p)


def new_read_log() -> str:
    """Create an empty read log (a temporary file) for one run; returns its path."""
    import tempfile

    fd, path = tempfile.mkstemp(prefix="wijkmonitor-gelezen-", suffix=".txt")
    os.close(fd)
    return path


def start_read_log() -> None:
    """Write every read so far to the log named by :data:`READ_LOG_ENV` (no-op without one).

    The runner's forked kernels call this right after the fork, so reads the warm parent made
    (preloaded modules) are recorded for the run too."""
    log = os.environ.get(READ_LOG_ENV)
    if log:
        _LOGGED_TO[0] = log
        _append_log(log, list(_READS))


def recorded_reads() -> list[str]:
    """The absolute paths this process has read so far (in order of first read)."""
    return list(_READS)


def read_parquet(path: str | Path, *, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Read a Parquet table (recorded with :func:`record_read`) through the read-only cache.

    The cache is keyed on the file's SHA-256, so a changed file is always read again; every
    call returns its own copy, so callers may modify it freely. ``columns``: a subset. Raises
    ``FileNotFoundError`` like ``pandas.read_parquet`` when the file is missing (the attempt
    is still recorded).
    """
    import hashlib
    import io as _io

    import pandas as pd

    p = record_read(path)
    data = p.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    hit = _CACHE.get(str(p))
    if hit is None or hit[0] != digest:
        hit = (digest, pd.read_parquet(_io.BytesIO(data)))
        _CACHE[str(p)] = hit
    df = hit[1]
    return (df[list(columns)] if columns is not None else df).copy(deep=True)


def warm_cache(folder: str | Path, max_bytes: int = 64 << 20) -> list[Path]:
    """Fill the read cache with every ``*.parquet`` in ``folder`` *without* recording reads
    (the runner's warm parent does this once; each run that then reads a table is recorded
    when it does). Files larger than ``max_bytes`` (e.g. the national KWB table, which no
    notebook reads) and unreadable files are left out. Returns the files cached."""
    import hashlib
    import io as _io

    import pandas as pd

    cached = []
    for p in sorted(Path(folder).glob("*.parquet")):
        try:
            if p.stat().st_size > max_bytes:
                continue
            data = p.absolute().read_bytes()
            _CACHE[str(p.absolute())] = (hashlib.sha256(data).hexdigest(),
                                         pd.read_parquet(_io.BytesIO(data)))
        except Exception:  # noqa: BLE001 - a broken table fails later, in the run that reads it
            continue
        cached.append(p)
    return cached
