"""Structural checks of a raw tabular file, before any reader parses it.

A delimited text file must have, on every non-blank data line, exactly as many fields as its
header (a missing field would silently become empty and an extra one be dropped or shift the
columns), and no quoted field may run to the end of the file (an opening quote without a
closing one). A sheet may hold no value to the right of its header. Each failure is an
:class:`~helpers.core.errors.InputError` naming the file, the line (header = line 1), the
column and what was expected.

The check parses the text once with the C tokenizer of :mod:`csv` (about 0.1 s per 10 MB), so
that the line numbers it reports are the physical lines an editor shows, also when a quoted
field spans several lines.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from typing import TYPE_CHECKING

from helpers.core.errors import InputError
from helpers.ingest.readers.base import Header

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

_DELIMITER_NAME = {";": "';'", ",": "','", "\t": "tab"}


def _text_of(header: Header) -> str:
    enc = header.encoding or "utf-8-sig"
    return header.data.decode(enc)  # sniffing decoded it already: cannot fail here


def _field_error(header: Header, line: int, n: int) -> InputError:
    width = len(header.columns)
    sep = _DELIMITER_NAME.get(header.delimiter or ",", repr(header.delimiter))
    if n < width:
        return InputError(
            header.path,
            f"te weinig velden: {n} velden, de kopregel heeft er {width}",
            line=line,
            column=header.columns[n] or f"veld {n + 1}",
            expected=f"{width} velden gescheiden door {sep}, zoals de kopregel",
        )
    return InputError(
        header.path,
        f"te veel velden: {n} velden, de kopregel heeft er {width}",
        line=line,
        column=f"veld {width + 1} (na '{header.columns[-1]}')",
        expected=f"{width} velden gescheiden door {sep}, zoals de kopregel",
    )


def _quoted_field(header: Header, text: str, start: int) -> str:
    """The column whose quote opens the runaway field of the record starting on line ``start``:
    the last field of that line read on its own."""
    line = text.split("\n", start)[start - 1]
    row = next(csv.reader([line], delimiter=header.delimiter or ","), [])
    i = max(len(row) - 1, 0)
    return header.columns[i] if i < len(header.columns) and header.columns[i] else f"veld {i + 1}"


def _quote_error(header: Header, text: str, start: int, end: int, eof: bool) -> InputError:
    line, column = start, _quoted_field(header, text, start)
    if eof:
        msg = (
            "een veld tussen aanhalingstekens wordt niet gesloten en loopt door tot het einde "
            "van het bestand"
        )
    elif end > line:
        msg = (
            f"een veld tussen aanhalingstekens wordt pas op regel {end} gesloten, en daar volgt "
            "geen scheidingsteken (ontbreekt hier een sluitend aanhalingsteken?)"
        )
    else:
        msg = "aanhalingstekens kloppen niet: na een sluitend aanhalingsteken volgt geen scheidingsteken"
    return InputError(
        header.path,
        msg,
        line=line,
        column=column,
        expected='een sluitend aanhalingsteken (") aan het eind van het veld; '
        'een aanhalingsteken binnen de tekst verdubbeld ("")',
    )


def check_text_rows(header: Header) -> None:
    """Raise :class:`InputError` at the first data line of a delimited text file whose number of
    fields differs from the header's, or when a quoted field runs to the end of the file.

    Blank lines (only whitespace) are allowed and skipped. A quote inside a quoted field must be
    doubled (``""``), as CSV prescribes.
    """
    if header.data is None:
        return
    text = _text_of(header)
    width = len(header.columns)
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=header.delimiter or ",", quotechar='"', strict=True
    )
    start = 1
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))  # a runaway field may be the whole file
    try:
        for row in reader:
            if start > 1 and len(row) != width and any(c.strip() for c in row):
                raise _field_error(header, start, len(row))
            start = reader.line_num + 1
    except csv.Error as exc:
        eof = "unexpected end of data" in str(exc)
        raise _quote_error(header, text, start, reader.line_num, eof) from None
    finally:
        csv.field_size_limit(limit)


def excel_column(i: int) -> str:
    """Excel column letters of 0-based column ``i`` (0 -> ``A``, 16383 -> ``XFD``)."""
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def check_sheet_rows(path: Path, rows: list[list], width: int) -> None:
    """Raise :class:`InputError` at the first row of a sheet holding a value right of the
    header's last column (``rows[0]`` is the header, Excel row 1)."""
    for r, row in enumerate(rows[1:], start=2):
        if len(row) <= width:
            continue
        for c in range(width, len(row)):
            v = row[c]
            if v is not None and not (isinstance(v, str) and not v.strip()):
                raise InputError(
                    path,
                    f"waarde '{v}' rechts van de kopregel (de kopregel heeft {width} kolommen)",
                    line=r,
                    column=excel_column(c),
                    expected=f"waarden alleen in de kolommen A-{excel_column(width - 1)} "
                    "onder een kolomnaam",
                )


# A national kwb-YYYY.xlsx uses about 17,000 rows x 130 columns (2.2 million cells).
MAX_SHEET_CELLS = 20_000_000
# a cell holding something: <c r="XFD1048576" ...> not self-closed (an empty styled cell is)
_CELL_RE = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"[^>]*?(?<!/)>')
_DIMENSION_RE = re.compile(rb'<dimension ref="([^"]*)"')


def column_number(letters: str) -> int:
    """1-based number of Excel column letters (``A`` -> 1, ``XFD`` -> 16384)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part (``xl/worksheets/sheet1.xml``) -> the sheet name Excel shows."""
    try:
        book = zf.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return {}
    targets = {
        m.group(1): m.group(2)
        for m in re.finditer(r'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)
    }
    out = {}
    for m in re.finditer(r'<sheet\b[^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', book):
        target = targets.get(m.group(2), "").lstrip("/")
        out[target if target.startswith("xl/") else "xl/" + target] = m.group(1)
    return out


def check_sheet_size(path: Path, data: bytes) -> None:
    """Raise :class:`InputError` before a workbook is opened when one of its worksheets has cells
    spread over more than :data:`MAX_SHEET_CELLS` (e.g. a value in cell ``XFD1048576``): the
    spreadsheet library would allocate the whole rectangle (about 17 billion cells) and abort
    the process. Only the cells that hold something count; the sheet's ``<dimension>`` claim is
    not trusted (a wrong claim alone is harmless and ignored). Files that are not zip archives
    (``.xls``) are left to the workbook reader.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return
    with zf:
        for info in zf.infolist():
            name = info.filename
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            try:
                xml = zf.read(name)
            except (zipfile.BadZipFile, OSError, ValueError):
                return  # let the workbook reader report a damaged file
            rows = cols = 0
            last_row = last_col = ""
            for m in _CELL_RE.finditer(xml):
                c, r = column_number(m.group(1).decode()), int(m.group(2))
                if r > rows:
                    rows, last_row = r, m.group(0)
                if c > cols:
                    cols, last_col = c, m.group(0)
            if rows * cols <= MAX_SHEET_CELLS:
                continue
            far = _CELL_RE.match(last_row if rows >= cols else last_col)
            letters, line = far.group(1).decode(), int(far.group(2))
            claim = _DIMENSION_RE.search(xml[:4096])
            claimed = f" (het blad zegt zelf '{claim.group(1).decode()}')" if claim else ""
            sheet = _sheet_names(zf).get(name, name.rsplit("/", 1)[-1])
            raise InputError(
                path,
                f"werkblad '{sheet}' heeft een waarde in cel "
                f"{letters}{line}: het gebruikte bereik zou {rows:,} rijen x {cols:,} kolommen "
                f"beslaan{claimed}".replace(",", "."),
                line=line,
                column=letters,
                expected=f"een tabel van hooguit {MAX_SHEET_CELLS:,} cellen; verwijder de waarden "
                "buiten de tabel".replace(",", "."),
            )
