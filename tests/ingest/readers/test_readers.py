"""Every reader on the real CBS and Leefbaarometer files, plus format quirks on small files."""

from __future__ import annotations

import math
import shutil

import pandas as pd
import pytest

from helpers.core.errors import InputError
from helpers.ingest.build import read_file
from helpers.ingest.readers.base import LINE_COL

LBM_HEADER = "wk_code,wk_naam,jaar,lbm,afw,fys,onv,soc,vrz,won\n"


def _row(df, **kw):
    q = df
    for k, v in kw.items():
        q = q[q[k] == v]
    assert len(q) == 1, f"expected one row for {kw}, got {len(q)}"
    return q.iloc[0]


# --------------------------------------------------------------------------- real files


def test_leefbaarometer_wijk_real(real_file):
    res = read_file(real_file("lbm_wijk"))
    assert res.formaat == "leefbaarometer-csv"
    lbm = res.tables["leefbaarometer"]
    assert len(lbm) == 26366
    assert set(lbm["niveau"]) == {"wijk"}
    assert sorted(lbm["jaar"].unique()) == [2002, 2008, 2012, 2014, 2016, 2018, 2020, 2022]
    ov = _row(lbm, code="WK034403", jaar=2022)
    assert round(ov["lbm"], 4) == 3.8411
    # lbm - afw is the fixed national benchmark in every row
    diff = (lbm["lbm"] - lbm["afw"]).to_numpy()
    assert diff == pytest.approx(4.102265, abs=1e-6)
    # NA -> NaN (never 0): dimensions are missing before 2014 and in 2016
    assert lbm.loc[lbm["jaar"].isin([2002, 2016]), ["fys", "onv", "soc", "vrz", "won"]].isna().all().all()
    assert lbm.loc[lbm["jaar"] == 2022, "fys"].notna().all()
    assert ov[LINE_COL] == 6405  # source line of WK034403 2022 in the file

    reg = res.tables["regions"]
    r = _row(reg, code="WK034403", indelingsjaar=2022)
    assert (r["naam"], r["soort"], r["gemeente"]) == ("Wijk 03 Overvecht", "wijk", "GM0344")
    assert reg["indelingswijziging"].isna().all()
    # a quoted name with commas stays one field
    assert _row(reg, code="WK026702", indelingsjaar=2002)["naam"] == \
        "Appel, Driedorp, Kruishaar, Prinsenkamp"


def test_kwb2024_statline_real(real_file):
    res = read_file(real_file("kwb2024_statline"))
    assert res.formaat == "statline-csv"
    assert res.jaar == 2024  # single-period export: year from the file name
    kwb, reg = res.tables["kwb"], res.tables["regions"]
    assert len(reg) == 18310
    assert reg["soort"].value_counts().to_dict() == {
        "buurt": 14574, "wijk": 3393, "gemeente": 342, "land": 1}
    nl = _row(kwb, code="NL00", variabele="Bevolking/Aantal inwoners (aantal)")
    assert nl["waarde"] == 17942942 and nl["jaar"] == 2024
    ov = _row(reg, code="WK034403")  # padded "WK034403  " stripped
    assert (ov["naam"], ov["soort"], ov["gemeente"], ov["indelingswijziging"]) == (
        "Wijk 03 Overvecht", "wijk", "GM0344", 1)
    assert _row(kwb, code="WK034403", variabele="Bevolking/Aantal inwoners (aantal)")["waarde"] == 35255
    land = _row(reg, code="NL00")
    assert land["soort"] == "land" and pd.isna(land["gemeente"])
    assert reg.loc[reg["code"] == "NL00", "indelingswijziging"].isna().all()  # '.' -> missing
    # Amsterdam's 2024 indeling has letters in its codes
    assert _row(reg, code="WK0363AA")["gemeente"] == "GM0363"
    # README trap: all 22 Nieuwegein wijken changed boundaries (code 3) with unchanged codes
    nwg = reg[(reg["gemeente"] == "GM0356") & (reg["soort"] == "wijk")]
    assert len(nwg) == 22 and set(nwg["indelingswijziging"]) == {3}
    # descriptive columns are not variables
    assert not kwb["variabele"].str.contains(r"\((?:naam|omschrijving|code)\)$").any()
    assert kwb["variabele"].nunique() == 8


def test_odata_2019_amsterdam_real(real_file):
    res = read_file(real_file("kwb2019_odata"))
    assert res.formaat == "cbs-odata-csv"
    assert res.jaar == 2019
    kwb, reg = res.tables["kwb"], res.tables["regions"]
    assert len(reg) == 579
    assert _row(kwb, code="GM0363", variabele="AantalInwoners_5")["waarde"] == 862965
    assert _row(kwb, code="GM0363", variabele="GemiddeldeHuishoudensgrootte_32")["waarde"] == 1.8
    assert _row(kwb, code="GM0363", variabele="HuishOnderOfRondSociaalMinimum_79")["waarde"] == 12.4
    # '.' -> NaN, never 0
    w = _row(kwb, code="WK036300", variabele="GemiddeldElektriciteitsverbruikTotaal_47")
    assert w["waarde"] == 1990
    assert math.isnan(_row(kwb, code="WK036300", variabele="TweeOnderEenKapWoning_51")["waarde"])
    assert not kwb["variabele"].str.startswith("MeestVoorkomendePostcode").any()
    assert {"ID", "WijkenEnBuurten", "Codering_3"}.isdisjoint(set(kwb["variabele"]))
    assert _row(reg, code="GM0363")["naam"] == "Amsterdam"
    wk = _row(reg, code="WK036300")
    assert wk["soort"] == "wijk" and wk["gemeente"] == "GM0363" and wk["indelingswijziging"] == 1
    assert reg["soort"].value_counts().to_dict() == {"buurt": 479, "wijk": 99, "gemeente": 1}


def test_kwb_xlsx_2023_utrecht_real(real_file):
    res = read_file(real_file("kwb2023_xlsx"))
    assert res.formaat == "cbs-kwb-xlsx"
    assert res.jaar == 2023  # from the sheet name kwb-2023
    kwb, reg = res.tables["kwb"], res.tables["regions"]
    assert len(reg) == 122
    assert _row(kwb, code="GM0344", variabele="a_inw")["waarde"] == 367947
    assert _row(kwb, code="GM0344", variabele="a_nl_all")["waarde"] == 222298  # number as text
    assert _row(kwb, code="GM0344", variabele="g_hhgro")["waarde"] == 1.9
    assert math.isnan(_row(kwb, code="GM0344", variabele="g_ele")["waarde"])  # '.'
    assert {"p_hh_osm", "a_soz_wb", "a_jz_tn", "a_wmo_t", "a_woning"} <= set(kwb["variabele"])
    assert "pst_mvp" not in set(kwb["variabele"]) and "ind_wbi" not in set(kwb["variabele"])
    ov = _row(reg, code="WK034403")
    assert ov["soort"] == "wijk" and ov["gemeente"] == "GM0344" and ov["indelingsjaar"] == 2023
    assert ov["naam"].endswith("Overvecht")


def test_seswoa_2019_statline_real(real_file):
    res = read_file(real_file("seswoa2019_statline"))
    assert res.formaat == "statline-csv"
    kwb, reg = res.tables["kwb"], res.tables["regions"]
    assert set(kwb["jaar"]) == {2019} and res.jaar == 2019  # from the Perioden column
    assert _row(kwb, code="GM0363", variabele="Particuliere huishoudens (Aantal)")["waarde"] == 457400
    assert _row(kwb, code="GM0363",
                variabele="SES-WOA/Totaalscore/Gemiddelde score (Getal)")["waarde"] == -0.1
    empty = kwb[(kwb["code"] == "BU03639801") & (kwb["variabele"] != "Particuliere huishoudens (Aantal)")]
    assert len(empty) == 5 and empty["waarde"].isna().all()
    assert _row(reg, code="BU03630000")["naam"] == "Kop Zeedijk"
    assert _row(reg, code="WK036300")["soort"] == "wijk"


def test_format_from_header_not_file_name(real_file, tmp_path):
    """A Leefbaarometer file named like a KWB file is still read as Leefbaarometer."""
    src = real_file("lbm_wijk")
    dst = tmp_path / "kwb-2024-statline.csv"
    dst.write_bytes(src.read_bytes()[:5000].rsplit(b"\n", 1)[0] + b"\n")
    assert read_file(dst).formaat == "leefbaarometer-csv"


# --------------------------------------------------------------------------- quirks


def test_leefbaarometer_buurt_semicolon_decimal_comma_cp1252(tmp_path):
    p = tmp_path / "lbm-buurten.csv"
    text = ("bu_code;bu_naam;jaar;lbm;afw;fys;onv;soc;vrz;won\r\n"
            'BU19000000 ;"Sûdwest, Fryslân";2022; 3,95 ;-0,152;NA;NA;;0,1;0\r\n'
            "\r\n"
            "BU03440000;Hoograven;2022;4,0;-0,1;0,01;0,02;0,03;0,04;0,05\r\n")
    p.write_bytes(text.encode("cp1252"))
    res = read_file(p)
    lbm, reg = res.tables["leefbaarometer"], res.tables["regions"]
    assert len(lbm) == 2 and set(lbm["niveau"]) == {"buurt"}
    r = _row(lbm, code="BU19000000")
    assert r["lbm"] == 3.95 and r["afw"] == -0.152 and r["vrz"] == 0.1 and r["won"] == 0.0
    assert math.isnan(r["fys"]) and math.isnan(r["onv"]) and math.isnan(r["soc"])
    assert _row(reg, code="BU19000000")["naam"] == "Sûdwest, Fryslân"
    assert _row(reg, code="BU03440000")["gemeente"] == "GM0344"
    assert _row(lbm, code="BU03440000")[LINE_COL] == 4  # blank line counted


def test_statline_nihil_and_padding(tmp_path):
    p = tmp_path / "kwb-2022-test.csv"
    p.write_text(
        '\ufeff"Wijken en buurten";"Regioaanduiding/Soort regio (omschrijving)";'
        '"Regioaanduiding/Codering (code)";"Bevolking/Aantal inwoners (aantal)";"Dichtheid (getal)"\n'
        '"Utrecht";"Gemeente  ";"GM0344    ";"  367947";"  3,5"\n'
        '"Wijk 03 Overvecht";"Wijk      ";"WK034403  ";"-";"x"\n', encoding="utf-8")
    res = read_file(p)
    kwb = res.tables["kwb"]
    assert res.jaar == 2022
    assert _row(kwb, code="GM0344", variabele="Dichtheid (getal)")["waarde"] == 3.5
    assert _row(kwb, code="WK034403", variabele="Bevolking/Aantal inwoners (aantal)")["waarde"] == 0
    assert math.isnan(_row(kwb, code="WK034403", variabele="Dichtheid (getal)")["waarde"])


@pytest.mark.parametrize(
    ("body", "line", "column", "fragment"),
    [
        ("WK034403,Overvecht,2022,abc,0,0,0,0,0,0\n", 3, "lbm", "'abc' is geen getal"),
        ("WK12,Overvecht,2022,3.8,0,0,0,0,0,0\n", 3, "wk_code", "code 'WK12'"),
        ("XX034403,Overvecht,2022,3.8,0,0,0,0,0,0\n", 3, "wk_code", "code 'XX034403'"),
        ("BU03440000,Overvecht,2022,3.8,0,0,0,0,0,0\n", 3, "wk_code", "code 'BU03440000'"),
        ("WK034403,Overvecht,twintig,3.8,0,0,0,0,0,0\n", 3, "jaar", "'twintig'"),
    ],
)
def test_leefbaarometer_bad_cells(tmp_path, body, line, column, fragment):
    p = tmp_path / "lbm.csv"
    p.write_text(LBM_HEADER + "WK034401,West,2022,4.0,0,0,0,0,0,0\n" + body, encoding="utf-8")
    with pytest.raises(InputError) as ei:
        read_file(p)
    e = ei.value
    assert (e.line, e.column) == (line, column)
    msg = str(e)
    assert str(p) in msg and f"regel {line}" in msg and f"kolom '{column}'" in msg
    assert fragment in msg and "verwacht:" in msg


def test_soort_column_must_match_code(tmp_path):
    p = tmp_path / "kwb-2024.csv"
    p.write_text('"Wijken en buurten";"Regioaanduiding/Soort regio (omschrijving)";'
                 '"Regioaanduiding/Codering (code)";"Inwoners (aantal)"\n'
                 '"Overvecht";"Buurt     ";"WK034403  ";"5"\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"regel 2, kolom 'Regioaanduiding/Soort regio") as ei:
        read_file(p)
    assert "'Wijk'" in str(ei.value)


def test_statline_without_year_is_an_error(tmp_path):
    p = tmp_path / "bevolking.csv"
    p.write_text('"Wijken en buurten";"Regioaanduiding/Codering (code)";"Inwoners (aantal)"\n'
                 '"Utrecht";"GM0344";"5"\n', encoding="utf-8")
    with pytest.raises(InputError, match="geen jaar gevonden") as ei:
        read_file(p)
    assert "Perioden" in str(ei.value)


def test_statline_without_code_column(tmp_path):
    p = tmp_path / "kwb-2024.csv"
    p.write_text('"Wijken en buurten";"Inwoners (aantal)"\n"Utrecht";"5"\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"kolom 'Regioaanduiding/Codering \(code\)'.*ontbreekt"):
        read_file(p)


def test_xlsx_missing_required_column(real_file, tmp_path):
    import openpyxl

    wb = openpyxl.load_workbook(real_file("kwb2023_xlsx"))
    ws = wb["kwb-2023"]
    col = [c.value for c in ws[1]].index("recs") + 1
    ws.delete_cols(col)
    p = tmp_path / "kwb-2023-kapot.xlsx"
    wb.save(p)
    with pytest.raises(InputError, match=r"kolom 'recs'") as ei:
        read_file(p)
    assert ei.value.line == 1


def test_empty_and_header_only(tmp_path):
    empty = tmp_path / "leeg.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="het bestand is leeg") as ei:
        read_file(empty)
    assert ei.value.line == 1
    only = tmp_path / "kop.csv"
    only.write_text(LBM_HEADER, encoding="utf-8")
    with pytest.raises(InputError, match="alleen een kopregel") as ei:
        read_file(only)
    assert ei.value.line == 2


def test_copy_is_not_written(real_file, tmp_path):
    """Readers only read: the file's bytes are unchanged after reading."""
    p = tmp_path / "x.csv"
    shutil.copy(real_file("seswoa2019_statline"), p)
    before = p.read_bytes()
    read_file(p)
    assert p.read_bytes() == before


def test_xlsx_blank_row_and_padded_code(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "kwb-2021"
    ws.append(["gwb_code_10", "gwb_code_8", "regio", "gm_naam", "recs", "gwb_code", "ind_wbi",
               "a_inw", "p_hh_osm", "pst_mvp"])
    ws.append(["GM0344  ", "0344", "Utrecht", "Utrecht", "Gemeente", "GM0344", 1, 361924, "8", 3511])
    ws.append([None] * 10)
    ws.append(["WK034403", "034403", "Wijk 03 Overvecht", "Utrecht", "Wijk", "WK034403", "1",
               "35000", ".", "3562"])
    ws.append(["WK034499", "034499", "Fout", "Utrecht", "Wijk", "WK034499", 1, "12,5x", 1, 1])
    p = tmp_path / "bestand-zonder-jaar.xlsx"
    wb.save(p)
    with pytest.raises(InputError) as ei:
        read_file(p)
    assert (ei.value.line, ei.value.column) == (5, "a_inw")  # Excel row of the bad cell
    ws.delete_rows(5)
    wb.save(p)
    res = read_file(p)
    assert res.jaar == 2021  # from the sheet name
    kwb = res.tables["kwb"]
    assert set(kwb["variabele"]) == {"a_inw", "p_hh_osm"}
    assert _row(kwb, code="GM0344", variabele="a_inw")["waarde"] == 361924
    assert math.isnan(_row(kwb, code="WK034403", variabele="p_hh_osm")["waarde"])
    assert _row(res.tables["regions"], code="WK034403")[LINE_COL] == 4


def test_cp1252_fast_path_and_header_sniff(tmp_path):
    """A plain cp1252 Excel export (no decimal commas): read by the fast path, names intact."""
    p = tmp_path / "export.csv"
    p.write_bytes((LBM_HEADER + "WK190000,Súdwest-Fryslân Noord,2020,4.2,0.1,NA,NA,NA,NA,NA\n"
                   ).encode("cp1252"))
    from helpers.ingest.build import sniff

    h = sniff(p, p.read_bytes())
    assert (h.encoding, h.delimiter) == ("cp1252", ",")
    res = read_file(p)
    assert _row(res.tables["regions"], code="WK190000")["naam"] == "Súdwest-Fryslân Noord"
    assert _row(res.tables["leefbaarometer"], code="WK190000")["lbm"] == 4.2


def test_unreadable_workbook(tmp_path):
    p = tmp_path / "kwb-2024.xlsx"
    p.write_bytes(b"geen zip maar tekst")
    with pytest.raises(InputError, match="geen leesbaar Excel-bestand") as ei:
        read_file(p)
    assert ei.value.line == 1 and str(p) in str(ei.value)


def test_to_numbers_paths():  # CBS symbols by default (see test_numbers.py for the Leefbaarometer)
    """Both conversion paths (vectorised and checked) agree on symbols, padding and errors."""
    from pathlib import Path

    from helpers.ingest.readers.common import to_numbers

    p = Path("x.csv")
    text = pd.Series(["  12", "       .", "", "x", "-", " 2.5 ", None], dtype=object)
    assert to_numbers(text, p, "c").tolist()[:1] == [12.0]
    got = to_numbers(text, p, "c")
    assert got.iloc[0] == 12 and got.iloc[4] == 0 and got.iloc[5] == 2.5
    assert got.iloc[[1, 2, 3, 6]].isna().all()
    comma = pd.Series(["3,5", "  .", "-0,25"], dtype=object)
    assert to_numbers(comma, p, "c").tolist()[0] == 3.5
    mixed = pd.Series([17.0, ".", "222298", 3], dtype=object)  # xlsx cells
    assert to_numbers(mixed, p, "c").iloc[[0, 2, 3]].tolist() == [17.0, 222298.0, 3.0]
    for bad in (["1", "nan"], ["1", "1.234,5"], [1.0, "abc"]):
        s = pd.Series(bad, dtype=object)
        with pytest.raises(InputError, match=r"regel 3, kolom 'c'.*is geen getal"):
            to_numbers(s, p, "c")


def test_statline_trailing_delimiter(tmp_path):
    p = tmp_path / "kwb-2024-export.csv"
    p.write_text('"Wijken en buurten";"Regioaanduiding/Codering (code)";"Inwoners (aantal)";\n'
                 '"Utrecht";"GM0344    ";"  367947";\n', encoding="utf-8")
    kwb = read_file(p).tables["kwb"]
    assert kwb["variabele"].tolist() == ["Inwoners (aantal)"] and kwb["waarde"].tolist() == [367947]


def test_parse_flag_values_and_error(tmp_path):
    from helpers.core.errors import InputError
    from helpers.core.parsing import parse_flag

    f = tmp_path / "x.csv"
    assert parse_flag(" Ja ", f, 2, "toestemming") is True
    assert parse_flag("", f, 2, "toestemming") is False
    assert parse_flag("nvt", f, 2, "nvt", frozenset({"nvt"})) is True
    with pytest.raises(InputError) as exc:
        parse_flag("nvt", f, 7, "toestemming")
    assert "regel 7" in str(exc.value) and "kolom 'toestemming'" in str(exc.value)
