"""Shared parsing helpers for the readers: sniffing, numbers, CBS codes, region rows.

Everything here is vectorised (pandas/numpy); Python loops only run over columns, or to find
the first bad cell for an error message.

Conventions (see also ``docs/data-dictionary.md`` and the "Inlezen" section of
``docs/aqa/assumptions-caveats.md``):

- Encoding: a text file is decoded as UTF-8 (a BOM is removed); when that fails it is read as
  cp1252 (Windows-1252, what Excel writes for "CSV (gescheiden door lijstscheidingsteken)").
- Delimiter: the one of ``;``, ``,`` and tab occurring most often in the header line outside
  quotes.
- Missing and nihil symbols are per source (:mod:`helpers.ingest.readers.numbers`): CBS ``''``,
  ``.`` (unknown/suppressed) and ``x`` (secret) become NaN — never 0 — and ``-`` (nihil) 0;
  the Leefbaarometer has only ``NA``/``''``. The text ``nan`` is never accepted.
- Numbers: surrounding spaces are stripped; a decimal comma is accepted (``1,8`` = 1.8). No
  thousands separators (CBS and Leefbaarometer exports have none).
- Codes: stripped of padding; ``NL`` + 2 digits, ``GM`` + 4 digits, ``WK`` + the 4 gemeente
  digits + 2 digits or capitals, ``BU`` + the 4 gemeente digits + 4 digits or capitals. Letters
  are real: Amsterdam's 2024 indeling uses codes such as ``WK0363AA`` and ``BU0363AA01``.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.core.codes import gemeente_of
from helpers.core.errors import InputError
from helpers.ingest.readers import structure
from helpers.ingest.readers.base import LINE_COL, Header
from helpers.ingest.readers.numbers import (  # noqa: F401 - re-exported for the readers
    CBS,
    LEEFBAAROMETER,
    Symbols,
    check_quantities,
    not_finite,
    to_int_codes,
    to_numbers,
)

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

TEXT_SUFFIXES = {".csv", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
TABULAR_SUFFIXES = TEXT_SUFFIXES | EXCEL_SUFFIXES


SOORTEN = ("land", "gemeente", "wijk", "buurt")
CODE_PREFIX = {"NL": "land", "GM": "gemeente", "WK": "wijk", "BU": "buurt"}
# Regex of the part after the two-letter prefix, per region kind.
CODE_BODY = {"land": r"\d{2}", "gemeente": r"\d{4}", "wijk": r"\d{4}[0-9A-Z]{2}",
             "buurt": r"\d{4}[0-9A-Z]{4}"}
CODE_FORM = {"land": "NL + 2 cijfers (NL00)", "gemeente": "GM + 4 cijfers (GM0344)",
             "wijk": "WK + 4 cijfers + 2 cijfers/hoofdletters (WK034403, WK0363AA)",
             "buurt": "BU + 4 cijfers + 4 cijfers/hoofdletters (BU03440000, BU0363AA01)"}
CODE_REGEX = r"^(?:NL\d{2}|GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$"

# Arrow-backed strings: vectorised strip/regex in C (object strings would loop in Python).
STR = "string[pyarrow]"

REGION_COLUMNS = ["code", "naam", "soort", "gemeente", "indelingsjaar", "indelingswijziging"]

_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


# --------------------------------------------------------------------------- sniffing


def _header_cells(line: str, delimiter: str) -> tuple[str, ...]:
    cells = next(csv.reader([line], delimiter=delimiter), [])
    return tuple(c.replace("\ufeff", "").strip().strip('"').strip() for c in cells)


def sniff_delimiter(first_line: str) -> str:
    """The delimiter (``;``, ``,`` or tab) occurring most often outside quotes in ``first_line``."""
    bare = re.sub(r'"[^"]*"', "", first_line)
    counts = {d: bare.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Decode ``data``: (text, encoding). UTF-8 (BOM removed) first, then cp1252.

    Raises :class:`InputError` when neither fits.
    """
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(path, "tekencodering niet herkend", line=line,
                         expected="UTF-8 (met of zonder BOM) of Windows-1252 (cp1252)") from exc


def empty_file_error(path: Path) -> InputError:
    return InputError(path, "het bestand is leeg", line=1,
                      expected="een kopregel met kolomnamen en ten minste één gegevensregel")


def sniff_text(path: Path, data: bytes) -> Header:
    """Header of a delimited text file whose bytes are ``data``. Raises on an empty file."""
    text, encoding = decode(data, path)
    first = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    if not text.strip() or not first.strip():
        raise empty_file_error(path)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else sniff_delimiter(first)
    header = Header(columns=_header_cells(first, delimiter), path=path, delimiter=delimiter,
                    encoding=encoding, data=data)
    structure.check_text_rows(header)  # field counts, unclosed quotes
    return header


def _excel_rows(path: Path, data: bytes) -> tuple[str, list[list]]:
    """(sheet name, rows of cell values) of the first sheet of a workbook.

    Uses python-calamine (Rust; reads xlsx and xls, ~30x faster than openpyxl on a national
    kwb-YYYY.xlsx) and falls back to openpyxl for xlsx when calamine is not installed.
    """
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # pragma: no cover - calamine is a dependency
        CalamineWorkbook = None
    structure.check_sheet_size(path, data)  # before any library allocates the used range
    if CalamineWorkbook is not None:
        try:
            wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheet = wb.sheet_names[0]
            return sheet, [list(r) for r in wb.get_sheet_by_index(0).to_python(skip_empty_area=False)]
        except Exception as exc:  # CalamineError, zip errors, ...
            raise InputError(path, f"geen leesbaar Excel-bestand ({exc})", line=1,
                             expected="een .xlsx- of .xls-werkmap") from exc
    if path.suffix.lower() == ".xls":  # pragma: no cover
        raise InputError(path, "het oude Excel-formaat .xls kan niet worden gelezen", line=1,
                         expected="een .xlsx-bestand (sla het bestand op als .xlsx)")
    import openpyxl  # pragma: no cover

    try:  # pragma: no cover
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # pragma: no cover
        raise InputError(path, f"geen leesbaar Excel-bestand ({exc})", line=1,
                         expected="een .xlsx-werkmap") from exc
    ws = wb.worksheets[0]  # pragma: no cover
    rows = [list(r) for r in ws.iter_rows(values_only=True)]  # pragma: no cover
    wb.close()  # pragma: no cover
    return ws.title, rows  # pragma: no cover


def sniff_excel(path: Path, data: bytes) -> Header:
    """Header of the first sheet of a workbook; the whole sheet is read once into ``frame``."""
    import pandas as pd

    sheet, rows = _excel_rows(path, data)
    # drop fully empty trailing rows
    while rows and all(v is None or (isinstance(v, str) and not v.strip()) for v in rows[-1]):
        rows.pop()
    if not rows:
        raise empty_file_error(path)
    header = ["" if v is None else str(v).strip() for v in rows[0]]
    while header and header[-1] == "":
        header.pop()
    width = len(header)
    if width == 0:
        raise empty_file_error(path)
    structure.check_sheet_rows(path, rows, width)
    body = [r[:width] + [None] * (width - len(r)) for r in rows[1:]]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    return Header(columns=tuple(header), path=path, sheet=str(sheet), frame=frame)


# --------------------------------------------------------------------------- reading


def read_text_table(header: Header, usecols: list[str] | None = None,
                    dtype: dict | type | None = str) -> pd.DataFrame:
    """Read the text file of ``header`` with the pandas C engine, all cells as raw strings
    (or ``dtype``), no NA conversion. The result's index is the 0-based data row; blank lines
    are kept as all-NaN rows so that line = index + 2, then dropped.
    """
    import pandas as pd

    df = pd.read_csv(
        io.BytesIO(header.data), sep=header.delimiter, encoding=header.encoding, dtype=dtype,
        keep_default_na=False, na_values=[], skip_blank_lines=False, usecols=usecols,
        engine="c", quotechar='"',
    )
    df.columns = [str(c).replace("\ufeff", "").strip() for c in df.columns]
    return drop_blank_rows(df)


def read_arrow_table(header: Header, column_types: dict[str, str],
                     symbols: Symbols = CBS) -> pd.DataFrame | None:
    """Fast path: read only ``column_types`` (name -> ``"string"``, ``"int64"``, ``"float64"``)
    with pyarrow's multithreaded CSV reader; strings become arrow-backed (:data:`STR`), the
    missing-value symbols of the source (``symbols.missing``) null. Returns ``None`` when any
    cell does not convert, a number column holds the text ``nan``/``inf`` (which pyarrow would
    accept) or a line is blank (the caller then uses the checked path, which names line and
    column), so that line = index + 2 holds for the rows returned.
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as pacsv

    types = {c: getattr(pa, t)() for c, t in column_types.items()}
    try:
        table = pacsv.read_csv(
            io.BytesIO(header.data),
            read_options=pacsv.ReadOptions(encoding="utf8" if header.encoding == "utf-8-sig"
                                           else header.encoding),
            parse_options=pacsv.ParseOptions(delimiter=header.delimiter, quote_char='"',
                                             ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=types, include_columns=list(column_types),
                null_values=list(symbols.missing), strings_can_be_null=False,
                quoted_strings_can_be_null=True),
        )
    except (pa.ArrowException, UnicodeError, LookupError, ValueError):
        return None
    if not_finite(table):
        return None
    df = table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)
    nulls = df.isna().all(axis=1).to_numpy()
    if nulls.any():
        df = df.loc[~nulls]
    return df


def read_wide(header: Header, variables: list[str], path: Path, symbols: Symbols = CBS
              ) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    """Read a wide table whose ``variables`` are numeric and the other columns text.

    Fast path :func:`read_arrow_table` (numbers parsed in C); when any cell does not convert
    (padded missing symbols, decimal commas, nihil, errors) the checked path reads raw strings
    and converts each variable with :func:`to_numbers`. Returns (frame, {variable: float64}).
    """
    types = {c: ("float64" if c in variables else "string") for c in header.columns}
    df = read_arrow_table(header, types, symbols) if len(types) == len(header.columns) else None
    if df is not None:
        return df, {c: df[c].astype("float64") for c in variables}
    df = read_text_table(header)
    return df, {c: to_numbers(df[c], path, c, symbols) for c in variables}


def drop_blank_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Drop rows in which every cell is empty/NaN (blank lines), keeping the index.

    Only rows whose first cell is empty are inspected further (cheap on big files).
    """
    import numpy as np

    if df.empty:
        return df
    first = df.iloc[:, 0]
    cand = first.isna()
    if first.dtype == object:
        cand = cand | (first.astype(STR).str.strip() == "").fillna(True)
    cand = cand.to_numpy(dtype=bool)
    if not cand.any():
        return df
    sub = df.loc[cand]
    blank = np.ones(len(sub), dtype=bool)
    for c in sub.columns:
        v = sub[c]
        e = v.isna()
        if v.dtype == object:
            e = e | (v.astype(str).str.strip() == "")
        blank &= e.to_numpy(dtype=bool)
    drop = sub.index[blank]
    return df.drop(index=drop) if len(drop) else df


def lines_of(df: pd.DataFrame) -> np.ndarray:
    """1-based source lines of the rows of ``df`` (index = 0-based data row; header = line 1)."""
    return df.index.to_numpy() + 2


def require_columns(header: Header, required: list[str], formaat: str) -> None:
    """Raise :class:`InputError` naming the first required column missing from the header."""
    for col in required:
        if col not in header.columns:
            raise InputError(
                header.path,
                f"verplichte kolom '{col}' ontbreekt (herkend als {formaat})",
                line=1, column=col, expected="kolommen " + ", ".join(required),
            )


def require_rows(df: pd.DataFrame, path: Path) -> None:
    """Raise when a file has a header but no data rows."""
    if len(df) == 0:
        raise InputError(path, "het bestand bevat alleen een kopregel, geen gegevens", line=2,
                         expected="ten minste één gegevensregel")


def year_from_name(path: Path) -> int | None:
    """The first four-digit year (1900-2099) in the file name, else ``None``."""
    m = _YEAR_RE.search(path.stem)
    return int(m.group(1)) if m else None


def years_from_column(values: pd.Series, path: Path, column: str) -> np.ndarray:
    """Years (int) from a period column such as StatLine ``Perioden`` (``2019``, ``2019JJ00``)."""
    s = values.astype("string").str.strip()
    y = s.str.extract(r"^((?:19|20)\d{2})", expand=False)
    bad = y.isna().to_numpy()
    if bad.any():
        i = int(bad.nonzero()[0][0])
        raise InputError(path, f"'{s.iloc[i]}' is geen periode", line=int(values.index[i]) + 2,
                         column=column, expected="een jaartal zoals 2019 of 2019JJ00")
    return y.astype(int).to_numpy()


# --------------------------------------------------------------------------- codes


def clean_codes(values: pd.Series, path: Path, column: str,
                soorten: tuple[str, ...] = SOORTEN) -> pd.Series:
    """Strip padding from CBS region codes and check their form; returns :data:`STR` strings.

    ``soorten`` limits the allowed region kinds (e.g. only ``wijk`` in a ``wk_code`` column).
    Raises :class:`InputError` at the first code of the wrong form.
    """
    import numpy as np

    s = values.astype(STR).str.strip()
    pattern = "^(?:" + "|".join(
        p + CODE_BODY[k] for p, k in CODE_PREFIX.items() if k in soorten) + ")$"
    ok = s.str.fullmatch(pattern).fillna(False).to_numpy(dtype=bool)
    if not ok.all():
        i = int(np.flatnonzero(~ok)[0])
        voorbeeld = " of ".join(CODE_FORM[k] for k in soorten)
        raw = values.iloc[i]
        shown = "" if raw is None or raw != raw else str(raw)
        raise InputError(path, f"code '{shown}' heeft niet de vorm van een CBS-gebiedscode",
                         line=int(values.index[i]) + 2,
                         column=column, expected=voorbeeld)
    return s


def soort_of(codes: pd.Series) -> pd.Series:
    """Region kind from the code prefix (``WK034403`` -> ``wijk``)."""
    return codes.astype(STR).str.slice(0, 2).astype(object).map(CODE_PREFIX)


def check_soort_column(values: pd.Series, soort: pd.Series, path: Path, column: str) -> None:
    """Check a source's region-type column (``Land``, ``Gemeente``, ``Wijk``, ``Buurt``, padded)
    against the kind implied by the code; raise at the first mismatch."""
    import numpy as np

    given = values.astype(STR).str.strip().str.lower()
    bad = (given != soort).fillna(True).to_numpy(dtype=bool)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(path, f"soort regio '{values.iloc[i]}' past niet bij de code",
                         line=int(values.index[i]) + 2, column=column,
                         expected=f"'{str(soort.iloc[i]).capitalize()}' (volgt uit de code)")


def region_rows(codes: pd.Series, naam: pd.Series | None, jaar, indelingswijziging=None
                ) -> pd.DataFrame:
    """A ``regions`` table (plus :data:`LINE_COL`) for stripped, checked ``codes``."""
    import pandas as pd

    if naam is None:
        naam_s = pd.Series(pd.NA, index=codes.index, dtype=STR)
    else:
        naam_s = naam.astype(STR).str.strip()
        naam_s = naam_s.where(naam_s != "")
    iw = (pd.Series(pd.NA, index=codes.index, dtype="Int64") if indelingswijziging is None
          else indelingswijziging.astype("Int64"))
    return pd.DataFrame({
        "code": codes.astype(STR),
        "naam": naam_s,
        "soort": soort_of(codes).astype(STR),
        "gemeente": gemeente_of(codes).astype(STR),
        "indelingsjaar": pd.Series(jaar, index=codes.index).astype("int64"),
        "indelingswijziging": iw,
        LINE_COL: codes.index.to_numpy() + 2,
    })


def long_table(codes: pd.Series, jaar, values: dict[str, pd.Series]) -> pd.DataFrame:
    """Wide numeric columns to the tidy ``kwb`` shape (code, jaar, variabele, waarde, line).

    Rows are ordered by source row, then by column order (vectorised with numpy).
    """
    import numpy as np
    import pandas as pd

    names = list(values)
    n, k = len(codes), len(names)
    if k == 0:
        return pd.DataFrame({"code": pd.Series(dtype=object), "jaar": pd.Series(dtype="int64"),
                             "variabele": pd.Series(dtype=object),
                             "waarde": pd.Series(dtype="float64"),
                             LINE_COL: pd.Series(dtype="int64")})
    mat = np.column_stack([values[c].to_numpy(dtype="float64") for c in names])
    jaar_arr = np.broadcast_to(np.asarray(jaar, dtype="int64"), (n,))
    codes = codes.astype(STR)
    return pd.DataFrame({
        "code": codes.array.take(np.repeat(np.arange(n), k)),
        "jaar": np.repeat(jaar_arr, k),
        "variabele": pd.array(np.tile(np.array(names, dtype=object), n), dtype=STR),
        "waarde": mat.reshape(-1),
        LINE_COL: np.repeat(codes.index.to_numpy() + 2, k),
    })
