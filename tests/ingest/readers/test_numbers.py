"""Number cells per source (issue 12, point 6): CBS symbols only for CBS sources, the text
``nan`` never a value. Corrupted copies of the real files, made in ``tmp_path``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from badinput_helpers import assert_build_refuses, corrupt_text_copy, set_cell
from helpers.core.errors import InputError
from helpers.ingest.build import read_file

LBM = "Leefbaarometer-scores wijken 2002-2022.csv"
KWB = "kwb-2024-bevolking-statline.csv"


@pytest.mark.parametrize("symbol", ["-", ".", "x"])
def test_cbs_symbols_not_applied_to_leefbaarometer(real_file, tmp_path, symbol):
    """Line 2 of the Leefbaarometer file has ``NA`` for ``fys``; a CBS symbol there (``-`` used
    to become 0, ``.``/``x`` missing) is refused."""
    raw = tmp_path / "raw"

    def put(lines):
        assert set_cell(lines, 2, 5, symbol, ",") == "NA"

    corrupt_text_copy(real_file("lbm_wijk"), raw, put)
    assert_build_refuses(
        raw, tmp_path, LBM, "regel 2", "kolom 'fys'", f"'{symbol}' is geen getal", "'NA'"
    )


def test_nihil_is_zero_in_cbs_files(real_file, tmp_path):
    raw = tmp_path / "raw"

    def put(lines):  # line 3: gemeente Aa en Hunze, 'Mannen (aantal)'
        set_cell(lines, 3, 6, '"-"', ";")

    p = corrupt_text_copy(real_file("kwb2024_statline"), raw, put)
    kwb = read_file(p).tables["kwb"]
    row = kwb[
        (kwb["code"] == "GM1680") & (kwb["variabele"] == "Bevolking/Geslacht/Mannen (aantal)")
    ]
    assert row["waarde"].tolist() == [0.0]


def test_text_nan_not_a_missing_value_leefbaarometer(real_file, tmp_path):
    raw = tmp_path / "raw"

    def put(lines):
        set_cell(lines, 10, 3, "nan", ",")

    corrupt_text_copy(real_file("lbm_wijk"), raw, put)
    assert_build_refuses(raw, tmp_path, LBM, "regel 10", "kolom 'lbm'", "'nan' is geen getal")


@pytest.mark.parametrize("text", ["nan", "NaN", "inf"])
def test_text_nan_not_a_missing_value_statline(real_file, tmp_path, text):
    raw = tmp_path / "raw"

    def put(lines):
        set_cell(lines, 4, 5, text, ";")

    corrupt_text_copy(real_file("kwb2024_statline"), raw, put)
    assert_build_refuses(
        raw,
        tmp_path,
        KWB,
        "regel 4",
        "kolom 'Bevolking/Aantal inwoners (aantal)'",
        f"'{text}' is geen getal",
    )


def test_symbols_per_source_unit():
    from helpers.ingest.readers.numbers import CBS, LEEFBAAROMETER, to_numbers

    p = Path("x.csv")
    cbs = pd.Series(["  12", "       .", "", "x", "-", " 2,5 ", None], dtype=object)
    got = to_numbers(cbs, p, "c", CBS)
    assert got.iloc[0] == 12 and got.iloc[4] == 0 and got.iloc[5] == 2.5
    assert got.iloc[[1, 2, 3, 6]].isna().all()
    assert (
        to_numbers(pd.Series(["NA", " 4.1"], dtype=object), p, "c", LEEFBAAROMETER).iloc[1] == 4.1
    )
    for symbols, bad in (
        (CBS, "NA"),
        (LEEFBAAROMETER, "-"),
        (LEEFBAAROMETER, "."),
        (CBS, "nan"),
        (CBS, "Infinity"),
    ):
        with pytest.raises(InputError, match=r"regel 3, kolom 'c'.*is geen getal"):
            to_numbers(pd.Series(["1", bad], dtype=object), p, "c", symbols)
    with pytest.raises(InputError, match="geen getal"):  # a float inf from a spreadsheet cell
        to_numbers(pd.Series([1.0, float("inf")]), p, "c", CBS)


# --------------------------------------------------------------------------- counts, percentages


def test_negative_count_refused(real_file, tmp_path):
    raw = tmp_path / "raw"

    def put(lines):  # line 4: Wijk 00 Annen, 'Bevolking/Aantal inwoners (aantal)'
        set_cell(lines, 4, 5, "-5", ";")

    corrupt_text_copy(real_file("kwb2024_statline"), raw, put)
    assert_build_refuses(
        raw,
        tmp_path,
        KWB,
        "regel 4",
        "kolom 'Bevolking/Aantal inwoners (aantal)'",
        "aantal -5 is negatief",
        "geheel getal van 0 of meer",
    )


def test_fractional_count_refused(real_file, tmp_path):
    """OData keys carry no unit: AantalInwoners_5 is a count by its name and the registry."""
    raw = tmp_path / "raw"

    def put(lines):
        set_cell(lines, 3, 6, '"3590.5"', ";")

    corrupt_text_copy(real_file("kwb2019_odata"), raw, put)
    assert_build_refuses(
        raw,
        tmp_path,
        "kwb-2019-amsterdam-84583NED-odata.csv",
        "regel 3",
        "kolom 'AantalInwoners_5'",
        "3590.5 is geen geheel getal",
    )


@pytest.mark.parametrize("value", ['"   120.0"', '"    -0.5"'])
def test_percentage_outside_0_100_refused(real_file, tmp_path, value):
    raw = tmp_path / "raw"

    def put(lines):  # line 3: Burgwallen-Oude Zijde, 'Opleidingsniveau/Laag/Waarde (%)'
        set_cell(lines, 3, 4, value, ";")

    corrupt_text_copy(real_file("seswoa2019_statline"), raw, put)
    assert_build_refuses(
        raw,
        tmp_path,
        "ses-woa-2019-amsterdam-statline.csv",
        "regel 3",
        "kolom 'Opleidingsniveau/Laag/Waarde (%)'",
        "ligt buiten 0-100",
    )


def test_units_of_source_columns():
    from helpers.ingest.readers.numbers import registry_units, unit_of

    known = registry_units()
    assert known["a_inw"] == "aantal" and known["p_hh_osm"] == "procent"
    assert known["InBezitWoningcorporatie_42"] == "procent"  # no unit in the OData key itself
    assert unit_of("Huishoudens/Gemiddelde huishoudensgrootte (aantal)", known) is None
    assert unit_of("SES-WOA/Totaalscore/Gemiddelde score (Getal)", known) is None
    assert unit_of("Wonen/Woningvoorraad (aantal)", {}) == "aantal"
    assert unit_of("GeboorteRelatief_25", known) is None
