"""Structure of raw files before any reader parses them (issue 12, point 6): every data line has
as many fields as the header, no quoted field runs to the end of the file, no cell outside the
header of a sheet. Corrupted copies of the real files, made in ``tmp_path``."""

from __future__ import annotations

import pytest

from badinput_helpers import assert_build_refuses, corrupt_text_copy, set_cell
from helpers.core.errors import InputError
from helpers.ingest.build import read_file

LBM = "Leefbaarometer-scores wijken 2002-2022.csv"


def test_fewer_fields_than_header(real_file, tmp_path):
    """Leefbaarometer line 5 without its last field (missing fields used to become empty)."""
    raw = tmp_path / "raw"

    def drop_last(lines):
        lines[4] = lines[4].rsplit(",", 1)[0]

    corrupt_text_copy(real_file("lbm_wijk"), raw, drop_last)
    msg = assert_build_refuses(
        raw, tmp_path, LBM, "regel 5", "kolom 'won'", "9 velden", "verwacht: 10 velden"
    )
    assert "te weinig" in msg


def test_more_fields_than_header(real_file, tmp_path):
    """KWB 2024 StatLine line 4 with an extra field (extra fields used to be dropped or to shift
    the columns)."""
    raw = tmp_path / "raw"

    def add_field(lines):
        lines[3] = lines[3] + ';"9"'

    corrupt_text_copy(real_file("kwb2024_statline"), raw, add_field)
    msg = assert_build_refuses(
        raw,
        tmp_path,
        "kwb-2024-bevolking-statline.csv",
        "regel 4",
        "14 velden",
        "verwacht: 13 velden",
    )
    assert "te veel" in msg and "kolom 'veld 14" in msg


def test_more_fields_in_leefbaarometer_are_not_dropped(real_file, tmp_path):
    raw = tmp_path / "raw"

    def add_field(lines):
        lines[6] = lines[6] + ",7"

    corrupt_text_copy(real_file("lbm_wijk"), raw, add_field)
    assert_build_refuses(raw, tmp_path, LBM, "regel 7", "11 velden", "te veel")


def test_quoted_field_running_to_end_of_file(real_file, tmp_path):
    """An opening quote without a closing one: a Dutch error with the file name and the line and
    column where the quote opens — not a pandas traceback."""
    raw = tmp_path / "raw"
    seen = {}

    def open_quote(lines):
        last_quote = max(i for i, line in enumerate(lines) if '"' in line)
        target = len(lines) - 10
        assert target > last_quote + 1  # no later quote can close it
        seen["line"] = target + 1
        set_cell(lines, target + 1, 1, '"' + lines[target].split(",")[1], ",")

    corrupt_text_copy(real_file("lbm_wijk"), raw, open_quote)
    msg = assert_build_refuses(
        raw,
        tmp_path,
        LBM,
        f"regel {seen['line']}",
        "kolom 'wk_naam'",
        "aanhalingsteken",
        "einde van het bestand",
    )
    assert "ParserError" not in msg and "EOF" not in msg


def test_quote_closed_far_away_names_where_it_opens(real_file, tmp_path):
    """Line 100 opens a quote that only the next quoted name (line 4839) closes."""
    raw = tmp_path / "raw"

    def open_quote(lines):
        set_cell(lines, 100, 1, '"' + lines[99].split(",")[1], ",")

    corrupt_text_copy(real_file("lbm_wijk"), raw, open_quote)
    assert_build_refuses(raw, tmp_path, LBM, "regel 100", "kolom 'wk_naam'", "pas op regel 4839")


def test_unclosed_quote_in_statline_copy(real_file, tmp_path):
    """In a file where every cell is quoted, a missing closing quote shifts the pairing; the
    error still names the file and a line."""
    raw = tmp_path / "raw"

    def drop_quote(lines):
        lines[-3] = lines[-3].replace('";', ";", 1)

    corrupt_text_copy(real_file("seswoa2019_statline"), raw, drop_quote)
    assert_build_refuses(raw, tmp_path, "ses-woa-2019-amsterdam-statline.csv", "regel ")


def test_multiline_quoted_field_and_blank_lines_are_fine(tmp_path):
    p = tmp_path / "lbm.csv"
    p.write_text(
        "wk_code,wk_naam,jaar,lbm,afw,fys,onv,soc,vrz,won\n"
        'WK001400,"Centrum\nnoord",2022,4.1,0.1,NA,NA,NA,NA,NA\n'
        "WK001401,Oost,2022,4.0,0.0,NA,NA,NA,NA,NA\n",
        encoding="utf-8",
    )
    lbm = read_file(p).tables["leefbaarometer"]
    assert lbm["code"].tolist() == ["WK001400", "WK001401"]


def test_read_file_checks_structure(tmp_path):
    p = tmp_path / "lbm.csv"
    p.write_text(
        "wk_code,wk_naam,jaar,lbm,afw,fys,onv,soc,vrz,won\n"
        "WK001400,Centrum,2022,4.1,0.1,NA,NA,NA,NA\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        read_file(p)
    assert (exc.value.line, exc.value.column) == (2, "won")


# --------------------------------------------------------------------------- xlsx extent


def _xlsx_copy(src, dest, *, dimension: str | None = None, extra_cell: str | None = None):
    """Copy the workbook ``src`` with the first sheet's <dimension> claim replaced and/or one
    extra row holding a value in ``extra_cell`` (e.g. ``XFD1048576``)."""
    import re
    import zipfile

    with zipfile.ZipFile(src) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    if dimension:
        sheet = re.sub(
            r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', sheet, count=1
        )
    if extra_cell:
        row = re.search(r"\d+$", extra_cell).group(0)
        sheet = sheet.replace(
            "</sheetData>", f'<row r="{row}"><c r="{extra_cell}"><v>1</v></c></row></sheetData>'
        )
    parts["xl/worksheets/sheet1.xml"] = sheet.encode("utf-8")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return dest


def test_xlsx_with_a_value_in_xfd1048576_is_refused_without_allocating(real_file, tmp_path):
    """The sheet claims and uses A1:XFD1048576: the spreadsheet library would allocate 17
    billion cells and abort the process (checked in a child process with 3 GB of address
    space, so the old behaviour cannot take the test run down)."""
    import os
    import resource
    import subprocess
    import sys
    from pathlib import Path

    from badinput_helpers import snapshot

    raw = tmp_path / "raw"
    _xlsx_copy(
        real_file("kwb2023_xlsx"),
        raw / "kwb-2023-utrecht.xlsx",
        dimension="A1:XFD1048576",
        extra_cell="XFD1048576",
    )
    before = snapshot(raw)
    out = tmp_path / "verwerkt"

    def limit():  # pragma: no cover - runs in the child
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    import helpers

    src = Path(helpers.__file__).resolve().parents[1]  # the package under test
    res = subprocess.run(
        [sys.executable, "-m", "helpers.cli", "build", "--raw", str(raw), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(src)},
        preexec_fn=limit,
        check=False,
    )
    text = res.stdout + res.stderr
    assert res.returncode == 1, f"rc={res.returncode}\n{text[-2000:]}"
    assert "kwb-2023-utrecht.xlsx" in text and "regel 1048576" in text
    assert "kolom 'XFD'" in text and "verwacht:" in text and "Traceback" not in text
    assert not out.exists() or not any(out.rglob("*"))
    assert snapshot(raw) == before


def test_xlsx_dimension_claim_alone_is_ignored(real_file, tmp_path):
    """A wrong <dimension> claim without cells out there reads exactly like the original."""
    bad = _xlsx_copy(
        real_file("kwb2023_xlsx"), tmp_path / "kwb-2023-utrecht.xlsx", dimension="A1:XFD1048576"
    )
    got, want = read_file(bad).tables, read_file(real_file("kwb2023_xlsx")).tables
    assert set(got) == set(want)
    for name in want:
        assert got[name].equals(want[name]), name


def test_xlsx_value_right_of_header_is_refused(real_file, tmp_path):
    raw = tmp_path / "raw"
    _xlsx_copy(real_file("kwb2023_xlsx"), raw / "kwb-2023-utrecht.xlsx", extra_cell="ZZ5")
    assert_build_refuses(
        raw, tmp_path, "kwb-2023-utrecht.xlsx", "regel 5", "kolom 'ZZ'", "rechts van de kopregel"
    )
