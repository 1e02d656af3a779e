"""Raw files -> checked, tidy processed tables (parquet) plus ``bronnen.json``; atomically.

:func:`run_ingest` walks the raw folder (recursively, sorted by relative path):

- boundary files (the CBS wijk- en buurtkaart as GeoPackage, GeoJSON or TopoJSON; see
  :mod:`helpers.ingest.grenzen`) are checked, projected to RD New and written as
  ``grenzen.parquet`` (GeoParquet), with sha256 and CRS in ``bronnen.json``;
- other non-tabular files (README, ``.md``, ``.pdf``, images, ``.txt``, other ``.json``, hidden
  files) are listed as *overgeslagen*;
- every tabular file (``.csv``, ``.tsv``, ``.xlsx``, ``.xls``) is read from disk once, its header
  sniffed, and handed to the first reader of :data:`helpers.ingest.readers.FORMAT_MODULES` that
  recognises the header; a tabular file no reader recognises is an error.

The tables of all files are combined per table name and checked generically with the schema in
:data:`helpers.core.schemas.SCHEMAS` (duplicate keys within a file and across files, naming files and
lines; then the pandera schema). Only when everything succeeded are the tables and
``bronnen.json`` moved into ``out`` (written first to a temporary folder next to ``out``, then
``os.replace`` per file): a failed ingest leaves the previous output untouched. Raw files are
only read.

Adding a format needs no change here: see :mod:`helpers.ingest.readers` and :mod:`helpers.core.schemas`.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.core import config, schemas
from helpers.core.errors import InputError
from helpers.core.io import write_files_together
from helpers.core.nl import getal
from helpers.core.provenance import BRONNEN_JSON, DEMO_LABEL, is_demo_file
from helpers.ingest import grenzen as geo
from helpers.ingest import readers as formats
from helpers.ingest.readers import common
from helpers.ingest.readers.base import LINE_COL
from helpers.ingest.readers.common import TABULAR_SUFFIXES
from helpers.ingest.validate import FILE_COL, validate_table

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

_HELPERS = [FILE_COL, LINE_COL]


@dataclass
class FileResult:
    """One raw file that was read (a row of ``bronnen.json``)."""

    pad: str
    sha256: str
    formaat: str
    jaar: int | None
    rijen: int
    demo: bool
    tabellen: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # e.g. CRS of a boundary file

    def as_json(self) -> dict:
        return {"pad": self.pad, "sha256": self.sha256, "formaat": self.formaat,
                "jaar": self.jaar, "rijen": self.rijen, "demo": self.demo,
                "tabellen": self.tabellen, **self.extra}


@dataclass
class IngestResult:
    """What an ingest read, skipped and wrote."""

    out: Path
    bestanden: list[FileResult]
    overgeslagen: list[str]
    tabellen: dict[str, int]  # table name -> rows written
    demo: bool

    def pad(self, table: str) -> Path:
        return self.out / f"{table}.parquet"


# --------------------------------------------------------------------------- classification


def is_tabular(path: Path) -> bool:
    """True for files ingest must read (by extension): csv, tsv, xlsx/xlsm, xls."""

    return path.suffix.lower() in TABULAR_SUFFIXES


def _hidden(rel: Path) -> bool:
    return any(p.startswith(".") or p.startswith("~$") for p in rel.parts)


def list_raw(raw: Path) -> tuple[list[Path], list[Path]]:
    """(tabular files, skipped files) under ``raw``, recursively, sorted by relative path.

    Raises :class:`InputError` for a symbolic link (file or folder) pointing outside ``raw``:
    ingest reads only what lies inside the raw folder.
    """
    entries = sorted(raw.rglob("*"), key=lambda p: p.relative_to(raw).as_posix())
    for p in entries:
        if (p.is_symlink() or p.is_file()) and not _inside(p, raw):
            raise InputError(p, f"symbolische koppeling naar '{p.resolve()}', buiten de map "
                             f"met ruwe bestanden ('{raw}'); die wordt niet gevolgd",
                             expected="gewone bestanden binnen --raw (kopieer het bestand in de "
                             "map, of geef de map waarin het staat op met --raw)")
    files = [p for p in entries if p.is_file()]
    tabular, skipped = [], []
    for p in files:
        rel = p.relative_to(raw)
        (tabular if is_tabular(p) and not _hidden(rel) else skipped).append(p)
    return tabular, skipped


def sniff(path: Path, data: bytes):
    """The :class:`~helpers.ingest.readers.base.Header` of a tabular file whose bytes are ``data``."""

    if path.suffix.lower() in common.EXCEL_SUFFIXES:
        return common.sniff_excel(path, data)
    return common.sniff_text(path, data)


def match_reader(header, readers: list):
    """The first reader recognising ``header``; raises :class:`InputError` when none does."""
    for r in readers:
        if r.matches(header):
            return r
    bekend = "; ".join(f"{r.formaat}: {getattr(r, 'beschrijving', '')}".rstrip(": ")
                       for r in readers)
    kop = ", ".join(header.columns[:6]) + (", ..." if len(header.columns) > 6 else "")
    raise InputError(header.path, f"geen bekend formaat herkend aan de kopregel ({kop})",
                     line=1, expected=f"een van de bekende formaten — {bekend}")


def read_file(path: Path, readers: list | None = None):
    """Read one raw tabular file with the reader that recognises its header.

    Returns the :class:`~helpers.ingest.readers.base.ReadResult` (tables still carry
    :data:`~helpers.ingest.readers.base.LINE_COL`). Raises :class:`InputError` on bad input or an
    unknown format. Used by tests and by modules that read a single file.
    """

    path = Path(path)
    header = sniff(path, path.read_bytes())
    return match_reader(header, readers if readers is not None else formats.load_readers()).read(header)


# --------------------------------------------------------------------------- combination


def _dup_error(name: str, df: pd.DataFrame, key: list[str], files: list[Path]) -> InputError:
    dup = df.duplicated(key, keep=False)
    rows = df.loc[dup].sort_values([FILE_COL, LINE_COL], kind="stable")
    first = rows.iloc[0]
    same = rows[(rows[key] == first[key]).all(axis=1)]
    other = same.iloc[1]
    sleutel = ", ".join(f"{k}={first[k]}" for k in key)
    f1, f2 = files[int(first[FILE_COL])], files[int(other[FILE_COL])]
    waar = (f"regel {int(other[LINE_COL])}" if f1 == f2
            else f"bestand '{f2}', regel {int(other[LINE_COL])}")
    return InputError(f1, f"dubbele sleutel ({sleutel}) in tabel '{name}'; komt ook voor in {waar}",
                      line=int(first[LINE_COL]), column=", ".join(key),
                      expected="één rij per " + " + ".join(key))


def _check_unique_in_file(name: str, table: pd.DataFrame, fi: int, files: list[Path]) -> None:
    """Raise :class:`InputError` (file, both lines) when a key occurs twice within one file."""

    key = [k for k in schemas.key_columns(name) if k in table.columns]
    if not key or not table.duplicated(key).any():
        return
    f = table[key].copy()
    f[LINE_COL] = table[LINE_COL] if LINE_COL in table.columns else table.index.to_numpy() + 2
    f[FILE_COL] = fi
    raise _dup_error(name, f, key, files)


def combine(name: str, parts: list[tuple[int, int, pd.DataFrame]], files: list[Path],
            sources: dict[int, dict[str, dict[str, str]]] | None = None) -> pd.DataFrame:
    """Concatenate the ``parts`` (file index, voorrang, frame with :data:`LINE_COL`) of table
    ``name``, check keys and the schema; return the table sorted by key without helper columns.
    ``sources`` (file index -> the reader's ``bronkolommen``) lets a schema error name the
    column as the file spells it.

    Raises :class:`InputError` on a duplicate key across files (unless the table merges; keys
    within a file are checked by :func:`read_raw`) or a schema violation, naming file and line.
    """
    import pandas as pd


    schema = schemas.SCHEMAS[name]
    key = schemas.key_columns(name)
    cols = list(schema.columns)
    frames = []
    for fi, voorrang, df in parts:
        missing = [c for c in cols if c not in df.columns]
        if missing:
            raise InputError(files[fi], f"lezer leverde tabel '{name}' zonder kolom '{missing[0]}'",
                             column=missing[0], expected="kolommen " + ", ".join(cols))
        f = df[cols + ([LINE_COL] if LINE_COL in df.columns else [])].copy()
        if LINE_COL not in f.columns:
            f[LINE_COL] = f.index.to_numpy() + 2
        f[FILE_COL] = fi
        f["_voorrang"] = voorrang
        frames.append(f)
    if not frames:
        return schemas.empty_frame(name)
    df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].reset_index(drop=True)

    if key and len(frames) > 1 and df.duplicated(key).any():
        if schemas.merges_across_files(name):
            df = df.sort_values(["_voorrang", FILE_COL, LINE_COL], ascending=[False, True, True],
                                kind="stable")
            df = df.groupby(key, sort=False, dropna=False, as_index=False).first()
            df = df[[*cols, LINE_COL, FILE_COL, "_voorrang"]]
        else:
            raise _dup_error(name, df, key, files)
    df = df.drop(columns="_voorrang")
    df = (df.sort_values(key, kind="stable", ignore_index=True) if key
          else df.reset_index(drop=True))
    validate_table(name, df, files, sources)
    return df.drop(columns=_HELPERS)


# --------------------------------------------------------------------------- main


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _inside(child: Path, parent: Path) -> bool:
    try:
        child.resolve().relative_to(parent.resolve())
        return True
    except ValueError:
        return False


def read_raw(raw: Path) -> tuple[dict[str, pd.DataFrame], list[FileResult], list[str]]:
    """Read and check every raw file under ``raw`` without writing anything.

    Returns (tables by name — always ``regions``, ``kwb``, ``leefbaarometer`` and ``grenzen``, plus every
    other table a reader produced; string columns arrow-backed —, the files read, the files
    skipped as paths relative to ``raw``). Raises :class:`InputError` on bad input, when ``raw``
    is not a folder or when it holds no tabular file.
    """

    raw = Path(raw)
    if not raw.is_dir():
        raise InputError(raw, "de map met ruwe bestanden bestaat niet",
                         expected="een bestaande map (--raw)")
    readers = formats.load_readers()  # importing reader modules may register extra schemas
    tabular, skipped = list_raw(raw)
    if not tabular:
        raise InputError(raw, "geen tabelbestanden (.csv, .tsv, .xlsx) gevonden",
                         expected="ten minste één bestand in een bekend formaat")

    results: list[FileResult] = []
    parts: dict[str, list] = {}
    sources: dict[int, dict[str, dict[str, str]]] = {}
    for fi, path in enumerate(tabular):
        data = path.read_bytes()
        header = sniff(path, data)
        reader = match_reader(header, readers)
        res = reader.read(header)
        sources[fi] = res.bronkolommen
        for name, table in res.tables.items():  # in the reader's order: its main table first
            if name not in schemas.SCHEMAS:
                raise InputError(path, f"lezer '{res.formaat}' levert tabel '{name}' zonder schema",
                                 expected="een schema in helpers.core.schemas.SCHEMAS")
            _check_unique_in_file(name, table, fi, tabular)
            parts.setdefault(name, []).append((fi, res.voorrang, table))
        rijen = res.rijen if res.rijen is not None else max((len(t) for t in res.tables.values()),
                                                           default=0)
        results.append(FileResult(
            pad=path.relative_to(raw).as_posix(), sha256=_sha256(data), formaat=res.formaat,
            jaar=res.jaar, rijen=int(rijen), demo=is_demo_file(path),
            tabellen={k: len(v) for k, v in res.tables.items()}, notes=list(res.notes)))

    names = list(dict.fromkeys([*schemas.CORE_TABLES, *parts]))
    # pop: each table's parts are released once combined (lower peak memory)
    tables = {n: combine(n, parts.pop(n, []), tabular, sources) for n in names}
    tables[GRENZEN], skipped = _read_boundaries(raw, skipped, tables["regions"], results)
    return tables, results, [p.relative_to(raw).as_posix() for p in skipped]


GRENZEN = config.GRENZEN_PARQUET.removesuffix(".parquet")  # GeoParquet, see ingest.grenzen


def _read_boundaries(raw: Path, candidates: list[Path], regions: pd.DataFrame,
                     results: list[FileResult]) -> tuple[object, list[Path]]:
    """Read the boundary files among ``candidates`` (appending their :class:`FileResult`);
    returns (the combined boundary frame, empty without boundary files; the files still
    skipped)."""
    parts, rest = [], []
    for path in candidates:
        if _hidden(path.relative_to(raw)):
            rest.append(path)
            continue
        with open(path, "rb") as f:
            head = f.read(4000)
        if not geo.is_boundary_file(path, head):
            rest.append(path)
            continue
        data = path.read_bytes()
        g = geo.read_boundary_file(path, data, regions)
        parts.append((path, g))
        results.append(FileResult(
            pad=path.relative_to(raw).as_posix(), sha256=_sha256(data), formaat=g.formaat,
            jaar=g.jaar, rijen=len(g.frame), demo=is_demo_file(path),
            tabellen={GRENZEN: len(g.frame)}, notes=g.notes,
            extra={"crs_bron": g.crs_bron, "crs": geo.DOEL_CRS, "opmerkingen": g.notes}))
    return geo.combine_grenzen(parts), rest


def read_regions(raw: Path) -> pd.DataFrame:
    """The checked ``regions`` table of the raw files under ``raw`` (nothing is written);
    plain object string columns, as ``pd.read_parquet`` would return them."""
    tables, _, _ = read_raw(raw)
    return plain_strings(tables["regions"])


def plain_strings(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with arrow-backed string columns as object columns (missing = None)."""
    import pandas as pd

    out = df.copy()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.StringDtype):
            col = out[c].astype(object)
            out[c] = col.where(col.notna(), None)
    return out


def run_ingest(raw: Path, out: Path) -> IngestResult:
    """Read every raw file under ``raw`` and write the processed tables to ``out``.

    Writes ``<table>.parquet`` for every table produced (always ``regions``, ``kwb``, ``grenzen`` and
    ``leefbaarometer``, empty when no file contributes) and ``bronnen.json``. Atomic: nothing in
    ``out`` changes unless the whole ingest succeeds.

    Raises :class:`InputError` on bad input (naming file, line, column and what was expected),
    when ``raw`` is not a folder or holds no tabular file, or when ``out`` lies inside ``raw``.
    """
    raw, out = Path(raw), Path(out)
    if raw.is_dir() and _inside(out, raw):
        raise InputError(out, "de uitvoermap ligt binnen de map met ruwe bestanden",
                         expected="een uitvoermap buiten --raw (ruwe bestanden blijven ongewijzigd)")
    tables, results, skipped = read_raw(raw)
    demo = any(r.demo for r in results)
    bronnen = {
        "demo": demo,
        "aangemaakt": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        "bestanden": [r.as_json() for r in results],
        "overgeslagen": skipped,
        "tabellen": {n: len(t) for n, t in tables.items()},
    }
    _keep_timestamp_when_unchanged(out, bronnen)
    _write_atomic(out, tables, bronnen)
    return IngestResult(out=out, bestanden=results, overgeslagen=skipped,
                        tabellen=bronnen["tabellen"], demo=demo)


def _keep_timestamp_when_unchanged(out: Path, bronnen: dict) -> None:
    """Make ingest idempotent: when the previous ``bronnen.json`` in ``out`` describes exactly
    the same inputs and tables, keep its ``aangemaakt`` time so the file's bytes do not change.

    The runner hashes ``bronnen.json`` as a notebook input; a new timestamp on identical data
    would otherwise re-run every notebook that reads it.
    """
    path = out / BRONNEN_JSON
    try:
        previous = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    same = {k: v for k, v in previous.items() if k != "aangemaakt"} == {
        k: v for k, v in bronnen.items() if k != "aangemaakt"}
    if same and "aangemaakt" in previous:
        bronnen["aangemaakt"] = previous["aangemaakt"]


def _to_parquet(df: pd.DataFrame, path: Path) -> None:
    """Write ``df``; arrow-backed string columns are stored as plain strings so that
    ``pd.read_parquet`` returns ordinary object columns (missing = None)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(df, preserve_index=False)
    meta = json.loads(table.schema.metadata[b"pandas"])
    for col in meta["columns"]:
        if str(col.get("pandas_type")) == "unicode" or str(col.get("numpy_type", "")).startswith("string"):
            col["pandas_type"], col["numpy_type"], col["metadata"] = "unicode", "object", None
    table = table.replace_schema_metadata({**table.schema.metadata,
                                           b"pandas": json.dumps(meta).encode()})
    pq.write_table(table, path)


def _write_atomic(out: Path, tables: dict[str, pd.DataFrame], bronnen: dict) -> None:
    """Write tables + bronnen.json into ``out`` together (all or none, through
    :func:`helpers.core.io.write_files_together`).

    Tables listed in a previous ``bronnen.json`` of ``out`` but not produced now are removed
    (they would be stale); other files in ``out`` (e.g. the indicator base) are left alone.
    """
    previous = {}
    if (out / BRONNEN_JSON).exists():
        try:
            previous = json.loads((out / BRONNEN_JSON).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous = {}
    writers = {f"{name}.parquet": partial(geo.write_grenzen if name == GRENZEN else _to_parquet, df)
               for name, df in tables.items()}
    writers[BRONNEN_JSON] = lambda p: p.write_text(
        json.dumps(bronnen, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    stale = [f"{name}.parquet" for name in set(previous.get("tabellen", {})) - set(tables)]
    write_files_together(out, writers, remove=sorted(stale))


def ingest_cli(raw: Path, out: Path) -> IngestResult:
    """``wijkmonitor ingest``: run the ingest and print, in Dutch, what was read and skipped."""
    from rich.console import Console
    from rich.table import Table


    res = run_ingest(raw, out)
    console = Console()
    if console.width < 110:  # pipes/CI default to 80 columns: keep file names readable
        console = Console(width=110)
    t = Table(title=f"Ingelezen bestanden uit {raw}", title_justify="left")
    for col, just in (("Bestand", "left"), ("Formaat", "left"), ("Jaar", "right"),
                      ("Rijen", "right"), ("Tabellen", "left")):
        t.add_column(col, justify=just, overflow="fold")
    for f in res.bestanden:
        t.add_row(f.pad + (" (demo)" if f.demo else ""), f.formaat,
                  "meerdere" if f.jaar is None else str(f.jaar), getal(f.rijen),
                  ", ".join(f"{k} {getal(v)}" for k, v in f.tabellen.items()))
    console.print(t)
    if res.overgeslagen:
        console.print("[bold]Overgeslagen[/bold] (geen tabelbestand):")
        for p in res.overgeslagen:
            console.print(f"  - {p}")
    w = Table(title=f"Geschreven tabellen in {out}", title_justify="left")
    w.add_column("Tabel")
    w.add_column("Rijen", justify="right")
    for name, n in res.tabellen.items():
        w.add_row(f"{name}.parquet", getal(n))
    console.print(w)
    if res.demo:
        console.print(f"[bold red]Let op: (deels) {DEMO_LABEL}.[/bold red]")
    return res
