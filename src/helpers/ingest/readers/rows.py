"""Shared parsing of the small registration CSVs read row by row (bewonersinitiatieven,
kernpersonen): recognising the layout from its columns, iterating the data rows with their
line numbers, and the cell checks both use (focus area, integer within bounds).

A reader of such a layout subclasses :class:`RowsReader` (``matches`` from the columns,
``read`` through :func:`read_rows` with a per-row parser that returns the row's record or
raises :class:`helpers.core.errors.InputError` naming file, line and column).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers.core.errors import InputError
from helpers.ingest.readers.base import LINE_COL, Header, ReadResult
from helpers.registers.focusgebieden import resolve_gebied

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def read_rows(
    header: Header,
    kolommen: list[str],
    register_schema: Callable[[], None],
    row: Callable[[Path, int, dict[str, str]], dict[str, Any]],
) -> pd.DataFrame:
    """Register the table's schema, parse every data row with ``row(path, line, cells)`` and
    return the records as a DataFrame with the source line in :data:`LINE_COL` (header = 1).

    Raises :class:`InputError` from :func:`rijen` (empty file, missing column, wrong number of
    cells, no data rows) or from ``row``; nothing is returned partially.
    """
    import pandas as pd

    register_schema()
    return pd.DataFrame(
        [{**row(header.path, line, r), LINE_COL: line} for line, r in rijen(header, kolommen)]
    )


def rijen(header: Header, kolommen: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, {column: stripped cell})`` for every non-blank data row of a text file.

    Raises :class:`InputError` for an empty file, a missing column (line 1), a row with more or
    fewer cells than the header, or a file without data rows.
    """
    path = header.path
    data = header.data if header.data is not None else path.read_bytes()
    try:
        text = data.decode(header.encoding or "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            path, f"tekencodering klopt niet ({exc.reason})", expected="UTF-8"
        ) from None
    delim = header.delimiter or ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        kop = [c.replace("\ufeff", "").strip() for c in next(reader)]
    except StopIteration:
        raise InputError(
            path, "leeg bestand", line=1, expected="kopregel met " + ", ".join(kolommen)
        ) from None
    for k in kolommen:
        if k not in kop:
            raise InputError(
                path, f"kolom '{k}' ontbreekt", line=1, column=k, expected=", ".join(kolommen)
            )
    n = 0
    for cellen in reader:
        line = reader.line_num
        if not any(c.strip() for c in cellen):
            continue
        if len(cellen) != len(kop):
            raise InputError(
                path,
                f"{len(cellen)} cellen in plaats van {len(kop)}",
                line=line,
                expected=f"{len(kop)} cellen gescheiden door '{delim}'",
            )
        n += 1
        yield line, {k: c.strip() for k, c in zip(kop, cellen, strict=True)}
    if n == 0:
        raise InputError(
            path, "geen gegevens onder de kopregel", line=2, expected="minstens één rij"
        )


def gebied(waarde: str, path, line: int, column: str = "focusgebied") -> str:
    """Resolve a focus-area id/name/alias through the registry, or raise InputError."""

    try:
        return resolve_gebied(waarde)
    except Exception:
        raise InputError(
            path,
            f"onbekend focusgebied '{waarde}'",
            line=line,
            column=column,
            expected="een id, naam of alias uit params/focusgebieden.yml",
        ) from None


def geheel(
    waarde: str,
    path,
    line: int,
    column: str,
    *,
    minimum: int = 0,
    maximum: int | None = None,
    leeg: bool = False,
) -> int | None:
    """Parse an integer cell within bounds (``leeg``: empty allowed -> None)."""
    if waarde == "" and leeg:
        return None
    bereik = f"geheel getal >= {minimum}" + (f" en <= {maximum}" if maximum is not None else "")
    if not re.fullmatch(r"-?\d+", waarde):
        raise InputError(
            path, f"geen geheel getal: '{waarde}'", line=line, column=column, expected=bereik
        )
    v = int(waarde)
    if v < minimum or (maximum is not None and v > maximum):
        raise InputError(
            path, f"waarde {v} buiten bereik", line=line, column=column, expected=bereik
        )
    return v


def check_unique(
    df: pd.DataFrame,
    keys: list[str],
    path: Path,
    *,
    column: str,
    expected: str,
    message: Callable[[pd.Series], str],
) -> None:
    """Raise :class:`InputError` at the first row (its source line) that repeats ``keys``;
    ``message(row)`` says in Dutch what repeats."""
    dup = df.duplicated(keys)
    if dup.any():
        rij = df.loc[dup.idxmax()]
        raise InputError(
            path, message(rij), line=int(rij[LINE_COL]), column=column, expected=expected
        )


@dataclass(frozen=True)
class RowsReader:
    """A reader (protocol :class:`helpers.ingest.readers.base.Reader`) of a registration CSV
    read row by row, configured rather than subclassed.

    ``kolommen``: the columns that identify the layout (all must be in the header);
    ``register_schema()``: registers the pandera schema of ``tabel``; ``read_row(path, line,
    cells)``: one record, or :class:`InputError` naming the cell; ``typen``: column -> dtype
    applied to the whole table; ``uniek``: the key columns no two rows may share (the first is
    named in the error), ``dubbel(row)``: the Dutch message for a repeated key,
    ``uniek_verwacht``: what was expected.
    """

    formaat: str
    beschrijving: str
    tabel: str
    kolommen: list[str]
    register_schema: Callable[[], None]
    read_row: Callable[[Path, int, dict[str, str]], dict[str, Any]]
    typen: dict[str, str]
    uniek: list[str]
    dubbel: Callable[[pd.Series], str]
    uniek_verwacht: str

    def matches(self, header: Header) -> bool:
        """A text file (not a sheet) whose header holds every column of ``kolommen``."""
        return header.sheet is None and set(self.kolommen) <= set(header.columns)

    def read(self, header: Header) -> ReadResult:
        """All rows as table ``tabel``; ``jaar`` of the result is the latest year in the file."""
        df = read_rows(header, self.kolommen, self.register_schema, self.read_row)
        df = df.astype(self.typen)
        check_unique(
            df,
            self.uniek,
            header.path,
            column=self.uniek[0],
            expected=self.uniek_verwacht,
            message=self.dubbel,
        )
        return ReadResult(
            tables={self.tabel: df}, formaat=self.formaat, jaar=int(df["jaar"].max()), rijen=len(df)
        )
