"""Import a Sprockler(-style) export into a pseudonymised respondent table.

Input: CSV (UTF-8 with or without BOM, or Excel's cp1252; delimiter ``;``, ``,`` or tab;
stories may span lines inside quotes) or XLSX (first sheet), one row per respondent, question
texts as headers. The mapping (:mod:`helpers.registers.sprockler`) names the columns.

Output (:func:`read_export`): one row per respondent with

- ``respondent``: keyed pseudonym (:func:`helpers.core.privacy.pseudonym`); the raw id is dropped;
- ``focusgebied``: registry id (via ``helpers.registers.focusgebieden.resolve_gebied``) or ``onbekend``;
- one column per classifier (answer codes from the mapping, blank -> ``onbekend``) and ``groep``
  (reporting group from the mapping's rules);
- one float column per bipole (0-100, NaN when blank or "niet van toepassing") and a boolean
  ``<id>_nvt`` for bipoles with a "niet van toepassing" box;
- ``<tripool>_<pool>`` (closed weights, sum 1) and ``<beeld>_x`` / ``<beeld>_y`` (0-100);
- ``toestemming`` and ``vrijgegeven`` (bool);
- story columns (``verhaal``/``titel`` types) **only for respondents with consent and release**;
  otherwise null: unreleased text never leaves the import (data minimisation).

Bad input raises :class:`helpers.core.errors.InputError` naming file, line (header = 1; for CSV the
physical line where the record starts) and column: missing mapped column, duplicate or blank
respondent id, slider outside 0-100 or not a number, tripole weights negative / not summing to
1 within the mapping's tolerance, picture coordinates outside 0-100, unknown classifier value or
area name, unreadable yes/no flag, an empty file.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.core.errors import InputError, RegistryError
from helpers.core.parsing import parse_flag
from helpers.core.privacy import pseudonym, pseudonym_key
from helpers.core.provenance import is_demo_export
from helpers.registers.focusgebieden import resolve_gebied
from helpers.registers.sprockler import ONBEKEND, Mapping, Vraag

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

# A ticked "niet van toepassing" box also counts as yes (see helpers.ingest.readers.common.parse_flag).
NVT_JA = frozenset({"niet van toepassing", "nvt", "n.v.t."})
EXPECTED_SLIDER = "een getal van 0 tot en met 100 (decimale punt of komma), of leeg"


# --------------------------------------------------------------------------- raw reading
def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (BOM removed) or, failing that, cp1252 (Excel's Dutch CSV)."""
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        return data.decode("cp1252"), "cp1252"


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: 0 for d in (";", ",", "\t")}
    quoted = False
    for ch in first:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    return max(counts, key=lambda d: counts[d])


def read_text(data: bytes, path: Path) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, rows (list of str cells) and the starting line of each row of a text export."""
    text, _ = decode(data)
    if not text.strip():
        raise InputError(path, "het bestand is leeg", expected="een kopregel met vraagteksten")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    start = 1
    for row in reader:
        if header is None:
            header = [c.strip().strip('"').strip() for c in row]
        elif any(c.strip() for c in row):
            rows.append(row)
            lines.append(start)
        start = reader.line_num + 1
    return header or [], rows, lines


def read_excel_frame(frame: pd.DataFrame) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, rows and Excel row numbers from a sheet read with header row 1."""
    header = [str(c).strip() for c in frame.columns]
    rows, lines = [], []
    for i, rec in enumerate(frame.itertuples(index=False, name=None)):
        cells = ["" if v is None or (isinstance(v, float) and math.isnan(v)) else
                 (f"{v:g}" if isinstance(v, float) else str(v)) for v in rec]
        if any(c.strip() for c in cells):
            rows.append(cells)
            lines.append(i + 2)
    return header, rows, lines


def read_raw(path: Path) -> tuple[list[str], list[list[str]], list[int]]:
    """Read a CSV or XLSX export into header, rows and line numbers."""
    import pandas as pd

    path = Path(path)
    if not path.exists():
        raise InputError(path, "bestand bestaat niet")
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        frame = pd.read_excel(path, sheet_name=0, dtype=object)
        return read_excel_frame(frame)
    return read_text(path.read_bytes(), path)


# --------------------------------------------------------------------------- cell parsing
def _number(cell: str, path: Path, line: int, column: str, expected: str) -> float:
    s = cell.strip().replace(",", ".")
    if s == "":
        return math.nan
    try:
        v = float(s)
    except ValueError:
        raise InputError(path, f"'{cell}' is geen getal", line=line, column=column,
                         expected=expected) from None
    if math.isnan(v) or math.isinf(v):
        raise InputError(path, f"'{cell}' is geen geldig getal", line=line, column=column,
                         expected=expected)
    return v


def _slider(cell: str, path: Path, line: int, column: str) -> float:
    v = _number(cell, path, line, column, EXPECTED_SLIDER)
    if not math.isnan(v) and not 0 <= v <= 100:
        raise InputError(path, f"schuifwaarde {cell.strip()} ligt buiten 0-100", line=line,
                         column=column, expected=EXPECTED_SLIDER)
    return v


def _tripool(cells: dict[str, str], vraag: Vraag, path: Path, line: int,
             cols: dict[str, str]) -> dict[str, float]:
    """Closed weights of one tripole answer (NaN for all three when blank)."""
    spec = vraag.spec
    schaal = float(spec.get("schaal", 1))
    tol = float(spec.get("tolerantie", 0.02))
    expected = (f"drie gewichten van 0 tot {schaal:g} die samen {schaal:g} zijn "
                f"(marge {tol:g} na herschaling naar 1)")
    vals = {p: _number(cells[c], path, line, c, expected) for p, c in cols.items()}
    if all(math.isnan(v) for v in vals.values()):
        return {p: math.nan for p in vals}
    for p, v in vals.items():
        if math.isnan(v):
            raise InputError(path, "tripoolgewicht ontbreekt terwijl de andere zijn ingevuld",
                             line=line, column=cols[p], expected=expected)
        if v < 0:
            raise InputError(path, f"negatief tripoolgewicht {v:g}", line=line, column=cols[p],
                             expected=expected)
    total = sum(vals.values()) / schaal
    if abs(total - 1) > tol:
        raise InputError(path, f"tripoolgewichten tellen op tot {total:.3f} in plaats van 1",
                         line=line, column=" + ".join(cols.values()), expected=expected)
    return {p: v / schaal / total for p, v in vals.items()}


def _barycentric(x: float, y: float, hoeken: dict[str, list[float]]) -> dict[str, float]:
    """Weights of point (x, y) w.r.t. a triangle with the given corner coordinates."""
    (a, (xa, ya)), (b, (xb, yb)), (c, (xc, yc)) = list(hoeken.items())
    det = (yb - yc) * (xa - xc) + (xc - xb) * (ya - yc)
    wa = ((yb - yc) * (x - xc) + (xc - xb) * (y - yc)) / det
    wb = ((yc - ya) * (x - xc) + (xa - xc) * (y - yc)) / det
    return {a: wa, b: wb, c: 1 - wa - wb}


def _tripool_xy(cells: dict[str, str], vraag: Vraag, path: Path, line: int) -> dict[str, float]:
    """Weights from the x/y of a dot in the triangle (SenseMaker-style triad export)."""
    xy = vraag.spec["xy"]
    tol = float(vraag.spec.get("tolerantie", 0.02))
    x = _number(cells[xy["x"]], path, line, xy["x"], "een coördinaat in de driehoek")
    y = _number(cells[xy["y"]], path, line, xy["y"], "een coördinaat in de driehoek")
    polen = list(vraag.spec["polen"])
    if math.isnan(x) or math.isnan(y):
        return {p: math.nan for p in polen}
    w = _barycentric(x, y, xy["hoeken"])
    if min(w.values()) < -tol:
        raise InputError(path, f"punt ({x:g}, {y:g}) ligt buiten de driehoek", line=line,
                         column=f"{xy['x']} + {xy['y']}", expected="een punt in de driehoek")
    w = {p: max(v, 0.0) for p, v in w.items()}
    s = sum(w.values())
    return {p: w[p] / s for p in polen}


# --------------------------------------------------------------------------- groups / areas
def assign_groep(record: dict[str, str], mapping: Mapping) -> str:
    """Reporting group of one respondent by the mapping's ordered rules (else ``onbekend``)."""
    for regel in mapping.groep_regels:
        conditions = {k: v for k, v in regel.items() if k != "groep"}
        if all(record.get(k) in v for k, v in conditions.items()):
            return regel["groep"]
    return ONBEKEND


def _gebied(cell: str, path: Path, line: int, column: str, cache: dict[str, str]) -> str:

    name = cell.strip()
    if not name:
        return ONBEKEND
    if name not in cache:
        try:
            cache[name] = resolve_gebied(name)
        except RegistryError as exc:
            raise InputError(path, str(exc), line=line, column=column,
                             expected="een focusgebied uit params/focusgebieden.yml "
                                      "(naam, id of alias)") from None
    return cache[name]


# --------------------------------------------------------------------------- main
def parse_rows(header: list[str], rows: list[list[str]], lines: list[int], mapping: Mapping,
               path: Path, key: bytes) -> pd.DataFrame:
    """Validate and convert raw rows into the respondent table (see module docstring)."""
    import pandas as pd


    path = Path(path)
    if not rows:
        raise InputError(path, "het bestand bevat geen respondenten",
                         expected="minstens één rij onder de kopregel")
    pos = {c: i for i, c in enumerate(header)}
    for vraag in mapping.vragen.values():
        if vraag.type == "negeren":
            continue
        for col in vraag.kolommen():
            if col not in pos:
                raise InputError(path, f"kolom uit het koppelbestand ontbreekt (vraag "
                                       f"'{vraag.id}')", line=1, column=col,
                                 expected="een kolomkop die precies gelijk is aan de vraagtekst "
                                          f"in {mapping.path.name}")
    id_vraag = mapping.een("id")
    seen: dict[str, int] = {}
    area_cache: dict[str, str] = {}
    records = []
    for row, line in zip(rows, lines, strict=True):
        cells = {c: (row[i] if i < len(row) else "") for c, i in pos.items()}
        rid = cells[id_vraag.spec["kolom"]].strip()
        if not rid:
            raise InputError(path, "respondentnummer ontbreekt", line=line,
                             column=id_vraag.spec["kolom"], expected="een uniek respondentnummer")
        if rid in seen:
            raise InputError(path, f"respondentnummer komt dubbel voor (ook op regel {seen[rid]})",
                             line=line, column=id_vraag.spec["kolom"],
                             expected="een uniek respondentnummer per rij")
        seen[rid] = line
        rec: dict[str, object] = {"respondent": pseudonym(rid, key)}
        for v in mapping.vragen.values():
            s = v.spec
            if v.type == "bipool":
                val = _slider(cells[s["kolom"]], path, line, s["kolom"])
                if s.get("omgekeerd") and not math.isnan(val):
                    val = 100 - val
                if s.get("nvt_kolom"):
                    nvt = parse_flag(cells[s["nvt_kolom"]], path, line, s["nvt_kolom"], NVT_JA)
                    rec[f"{v.id}_nvt"] = nvt
                    if nvt:  # the box wins over a slider that was touched before ticking it
                        val = math.nan
                rec[v.id] = val
            elif v.type == "tripool":
                if s.get("kolommen"):
                    w = _tripool(cells, v, path, line, s["kolommen"])
                else:
                    w = _tripool_xy(cells, v, path, line)
                for p in s["polen"]:
                    rec[f"{v.id}_{p}"] = w[p]
            elif v.type == "beeld":
                for axis in ("x", "y"):
                    col = s[f"{axis}_kolom"]
                    rec[f"{v.id}_{axis}"] = _slider(cells[col], path, line, col)
                if math.isnan(rec[f"{v.id}_x"]) != math.isnan(rec[f"{v.id}_y"]):
                    raise InputError(path, "beeldwijzer: alleen x of alleen y ingevuld",
                                     line=line, column=s["x_kolom"], expected="x en y, of beide leeg")
            elif v.type == "classificatie":
                raw = cells[s["kolom"]].strip()
                if s.get("gebied"):
                    rec[v.id] = _gebied(raw, path, line, s["kolom"], area_cache)
                elif not raw:
                    rec[v.id] = ONBEKEND
                else:
                    waarden = s.get("waarden") or {}
                    lookup = {str(k).strip().lower(): c for k, c in waarden.items()}
                    if raw.lower() not in lookup:
                        raise InputError(path, f"onbekende antwoordwaarde '{raw}'", line=line,
                                         column=s["kolom"],
                                         expected="een van: " + "; ".join(map(str, waarden)))
                    rec[v.id] = lookup[raw.lower()]
            elif v.type in ("toestemming", "vrijgegeven"):
                rec[v.type] = parse_flag(cells[s["kolom"]], path, line, s["kolom"], NVT_JA)
            elif v.type in ("verhaal", "titel"):
                rec[v.id] = cells[s["kolom"]].strip()
        rec.setdefault("toestemming", False)
        rec.setdefault("vrijgegeven", False)
        rec["groep"] = assign_groep({k: str(x) for k, x in rec.items()}, mapping)
        if not (rec["toestemming"] and rec["vrijgegeven"]):
            for v in mapping.van_type("verhaal", "titel"):
                rec[v.id] = None
        records.append(rec)
    df = pd.DataFrame.from_records(records)
    for v in mapping.van_type("verhaal", "titel"):
        df[v.id] = df[v.id].astype(object).where(df[v.id].notna() & (df[v.id] != ""), None)
    kinds = respondent_columns(mapping)
    for c, kind in kinds.items():
        if kind == "float":
            df[c] = df[c].astype("float64")
        elif kind == "bool":
            df[c] = df[c].astype(bool)
    return df[list(kinds)]


def respondent_columns(mapping: Mapping) -> dict[str, str]:
    """Columns of the respondent table in order, with their kind (``str``, ``float``,
    ``bool``, ``tekst`` = nullable story text)."""
    cols: dict[str, str] = {"respondent": "str"}
    for v in mapping.van_type("classificatie"):
        cols[v.id] = "str"
    cols["groep"] = "str"
    for v in mapping.vragen.values():
        if v.type == "bipool":
            cols[v.id] = "float"
            if v.spec.get("nvt_kolom"):
                cols[f"{v.id}_nvt"] = "bool"
        elif v.type == "tripool":
            cols.update({f"{v.id}_{p}": "float" for p in v.spec["polen"]})
        elif v.type == "beeld":
            cols.update({f"{v.id}_x": "float", f"{v.id}_y": "float"})
    cols["toestemming"] = "bool"
    cols["vrijgegeven"] = "bool"
    for v in mapping.van_type("titel", "verhaal"):
        cols[v.id] = "tekst"
    return cols


def read_export(path: str | Path, mapping: Mapping, key: bytes | None = None) -> pd.DataFrame:
    """Read, validate and pseudonymise a Sprockler export (CSV or XLSX).

    ``key``: pseudonymisation key; default :func:`helpers.core.privacy.pseudonym_key`, with
    the public demo key only for an export the demo-data generator marked as demo in its
    content (:func:`helpers.core.provenance.is_demo_export`; the file name does not count).
    Every other export needs ``$WIJKMONITOR_PSEUDONIEM_SLEUTEL``.
    """

    path = Path(path)
    header, rows, lines = read_raw(path)
    if key is None:
        key = pseudonym_key(demo=is_demo_export(header, rows), bron=path)
    return parse_rows(header, rows, lines, mapping, path, key)
