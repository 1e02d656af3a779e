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
