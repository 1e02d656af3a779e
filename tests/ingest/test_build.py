"""Ingest: classification, generic combination/validation, atomic writing, bad input, CLI."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from badinput_helpers import assert_build_refuses
from helpers.cli import app
from helpers.core import schemas
from helpers.core.errors import InputError
from helpers.ingest.build import run_ingest

LBM_HEADER = "wk_code,wk_naam,jaar,lbm,afw,fys,onv,soc,vrz,won\n"
KWB_HEADER = ('"Wijken en buurten";"Regioaanduiding/Gemeentenaam (naam)";'
              '"Regioaanduiding/Soort regio (omschrijving)";"Regioaanduiding/Codering (code)";'
              '"Regioaanduiding/Indelingswijziging gemeente, wijk, buurt (code)";'
              '"Bevolking/Aantal inwoners (aantal)"\n')
TABLES = ("regions.parquet", "kwb.parquet", "leefbaarometer.parquet", "bronnen.json")


def _checksums(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _lbm(folder: Path, rows: str, name: str = "lbm-wijken.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text(LBM_HEADER + rows, encoding="utf-8")
    return p


def _kwb(folder: Path, rows: str, name: str = "kwb-2022-test.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text("\ufeff" + KWB_HEADER + rows, encoding="utf-8")
    return p


GOOD_LBM = ("WK034403,Wijk 03 Overvecht,2022,3.84,-0.26,NA,NA,NA,NA,NA\n"
            "WK034401,West,2022,4.0,-0.1,NA,NA,NA,NA,NA\n")


# --------------------------------------------------------------------------- real data


def test_ingest_real_folder(real_dir, tmp_path):
    before = _checksums(real_dir)
    out = tmp_path / "processed"
    res = run_ingest(real_dir, out)
    assert _checksums(real_dir) == before  # raw files never written
    # Properties of what was read, not the folder's file list (the folder grows): every tabular
    # file was recognised, nothing tabular was skipped, and the four real formats are among them.
    assert all(not n.lower().endswith((".csv", ".xlsx")) for n in res.overgeslagen)
    assert {"leefbaarometer-csv", "statline-csv", "cbs-odata-csv", "cbs-kwb-xlsx"} <= {
        f.formaat for f in res.bestanden}

    lbm = pd.read_parquet(out / "leefbaarometer.parquet")
    assert list(lbm.columns) == ["code", "niveau", "jaar", "lbm", "afw", "fys", "onv", "soc",
                                 "vrz", "won"]
    assert len(lbm) == 26366
    ov = lbm[(lbm["code"] == "WK034403") & (lbm["jaar"] == 2022)]
    assert round(float(ov["lbm"].iloc[0]), 4) == 3.8411

    kwb = pd.read_parquet(out / "kwb.parquet")
    assert list(kwb.columns) == ["code", "jaar", "variabele", "waarde"]
    nl = kwb[(kwb["code"] == "NL00") & (kwb["variabele"] == "Bevolking/Aantal inwoners (aantal)")]
    assert nl["waarde"].tolist() == [17942942.0] and nl["jaar"].tolist() == [2024]
    assert kwb["code"].dtype == object and kwb["waarde"].dtype == "float64"

    reg = pd.read_parquet(out / "regions.parquet")
    assert list(reg.columns) == ["code", "naam", "soort", "gemeente", "indelingsjaar",
                                 "indelingswijziging"]
    assert not reg.duplicated(["code", "indelingsjaar"]).any()
    # 2019 Amsterdam: OData (voorrang, indelingswijziging) merged with SES-WOA (names)
    a = reg[(reg["code"] == "WK036300") & (reg["indelingsjaar"] == 2019)].iloc[0]
    assert a["naam"] == "Burgwallen-Oude Zijde" and a["indelingswijziging"] == 1
    # the 99 Amsterdam wijk codes of the Leefbaarometer 2022 are kept with indelingsjaar 2022
    ams22 = reg[(reg["gemeente"] == "GM0363") & (reg["soort"] == "wijk") & (reg["indelingsjaar"] == 2022)]
    assert len(ams22) == 99

    bronnen = json.loads((out / "bronnen.json").read_text(encoding="utf-8"))
    assert bronnen["demo"] is False
    assert bronnen["overgeslagen"] == res.overgeslagen
    by_name = {b["pad"]: b for b in bronnen["bestanden"]}
    b = by_name["Leefbaarometer-scores wijken 2002-2022.csv"]
    raw_bytes = (real_dir / b["pad"]).read_bytes()
    assert b["sha256"] == hashlib.sha256(raw_bytes).hexdigest()
    assert (b["formaat"], b["rijen"], b["demo"]) == ("leefbaarometer-csv", 26366, False)
    assert by_name["kwb-2024-bevolking-statline.csv"]["jaar"] == 2024
    assert bronnen["tabellen"]["leefbaarometer"] == 26366
    assert not list(tmp_path.glob(".*ingest*"))  # temp folder cleaned up


def test_cli_end_to_end_real(real_dir, tmp_path):
    out = tmp_path / "x"
    result = CliRunner().invoke(app, ["ingest", "--raw", str(real_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Overgeslagen" in result.output
    assert "README.md" in result.output and "toelichting-variabelen-kwb-2024.pdf" in result.output
    assert "leefbaarometer-csv" in result.output and "26.366" in result.output
    for name in TABLES:
        assert (out / name).exists()


def test_cli_lbm_without_lbm_column(real_file, tmp_path):
    """Done-when: a folder holding only the real Leefbaarometer file without `lbm` fails,
    naming the file and `lbm`, and writes no parquet."""
    raw = tmp_path / "raw"
    raw.mkdir()
    df = pd.read_csv(real_file("lbm_wijk"), dtype=str, keep_default_na=False)
    bad = raw / "Leefbaarometer-scores wijken 2002-2022.csv"
    df.drop(columns="lbm").to_csv(bad, index=False)
    out = tmp_path / "x"
    result = CliRunner().invoke(app, ["ingest", "--raw", str(raw), "--out", str(out)])
    assert result.exit_code == 1
    text = result.output + (result.stderr if hasattr(result, "stderr") else "")
    assert "Leefbaarometer-scores wijken 2002-2022.csv" in text
    assert "kolom 'lbm'" in text and "ontbreekt" in text
    assert not list(tmp_path.rglob("*.parquet"))


# --------------------------------------------------------------------------- bad input


def _fails(raw: Path, out: Path) -> InputError:
    with pytest.raises(InputError) as ei:
        run_ingest(raw, out)
    assert not out.exists() or not list(out.glob("*.parquet"))
    return ei.value


def test_unknown_tabular_format(tmp_path):
    raw = tmp_path / "raw"
    _lbm(raw, GOOD_LBM)
    (raw / "notities.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    e = _fails(raw, tmp_path / "out")
    msg = str(e)
    assert "notities.csv" in msg and "geen bekend formaat" in msg and "regel 1" in msg
    for formaat in ("leefbaarometer-csv", "statline-csv", "cbs-odata-csv", "cbs-kwb-xlsx"):
        assert formaat in msg


def test_unparseable_number_names_line(tmp_path):
    raw = tmp_path / "raw"
    p = _lbm(raw, GOOD_LBM + "WK034404,Noordoost,2022,4.1,0.0,NA,NA,1.2.3,NA,NA\n")
    e = _fails(raw, tmp_path / "out")
    assert (e.file, e.line, e.column) == (str(p), 4, "soc")
    assert "'1.2.3' is geen getal" in str(e) and "verwacht: een getal" in str(e)


def test_duplicate_key_within_file(tmp_path):
    raw = tmp_path / "raw"
    p = _lbm(raw, GOOD_LBM + "WK034403,Wijk 03 Overvecht,2022,3.9,-0.2,NA,NA,NA,NA,NA\n")
    e = _fails(raw, tmp_path / "out")
    assert (e.file, e.line) == (str(p), 2)
    msg = str(e)
    assert "dubbele sleutel" in msg and "code=WK034403" in msg and "jaar=2022" in msg
    assert "regel 4" in msg


def test_duplicate_key_across_files(tmp_path):
    raw = tmp_path / "raw"
    rows = '"Utrecht";"Utrecht";"Gemeente";"GM0344";"1";"361924"\n'
    a = _kwb(raw, rows, "kwb-2022-a.csv")
    b = _kwb(raw, rows, "kwb-2022-b.csv")
    e = _fails(raw, tmp_path / "out")
    msg = str(e)
    assert e.file == str(a) and str(b) in msg and "tabel 'kwb'" in msg and "code=GM0344" in msg


@pytest.mark.parametrize("code", ["WK12", "XX034403"])
def test_code_of_wrong_form(tmp_path, code):
    raw = tmp_path / "raw"
    p = _lbm(raw, GOOD_LBM + f"{code},Fout,2022,4.0,0.0,NA,NA,NA,NA,NA\n")
    e = _fails(raw, tmp_path / "out")
    assert (e.file, e.line, e.column) == (str(p), 4, "wk_code")
    assert f"code '{code}'" in str(e) and "WK + 4 cijfers" in str(e)


def test_empty_file(tmp_path):
    raw = tmp_path / "raw"
    _lbm(raw, GOOD_LBM)
    (raw / "leeg.csv").write_bytes(b"")
    e = _fails(raw, tmp_path / "out")
    assert e.file.endswith("leeg.csv") and e.line == 1 and "leeg" in str(e)


def test_missing_required_column(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "lbm.csv").write_text("wk_code,wk_naam,jaar,afw,fys,onv,soc,vrz,won\n"
                                 "WK034403,Overvecht,2022,0,0,0,0,0,0\n", encoding="utf-8")
    e = _fails(raw, tmp_path / "out")
    assert e.column == "lbm" and "verplichte kolom 'lbm' ontbreekt" in str(e)
    assert "lbm.csv" in str(e)


def test_failed_ingest_leaves_previous_output(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    _lbm(raw, GOOD_LBM)
    run_ingest(raw, out)
    (out / "indicatorbasis.parquet").write_bytes(b"other module's table")
    good = _checksums(out)
    (raw / "kapot.csv").write_text(LBM_HEADER + "WK12,x,2022,1,1,1,1,1,1,1\n", encoding="utf-8")
    with pytest.raises(InputError):
        run_ingest(raw, out)
    assert _checksums(out) == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "raw"]  # no temp leftovers


def test_out_inside_raw_is_refused(tmp_path):
    raw = tmp_path / "raw"
    _lbm(raw, GOOD_LBM)
    with pytest.raises(InputError, match="binnen de map met ruwe bestanden"):
        run_ingest(raw, raw / "processed")


# --------------------------------------------------------------------------- combination


def test_regions_merge_prefers_kwb(tmp_path):
    """Same region + indelingsjaar from KWB and Leefbaarometer: one row, KWB's name and code."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    _lbm(raw, GOOD_LBM, "a-lbm.csv")
    _kwb(raw, '"Nederland";"Nederland";"Land";"NL00";".";"17590672"\n'
              '"Utrecht";"Utrecht";"Gemeente";"GM0344";"1";"361924"\n'
              '"Overvecht";"Utrecht";"Wijk";"WK034403  ";"3";"35000"\n', "z-kwb-2022.csv")
    res = run_ingest(raw, out)
    reg = pd.read_parquet(out / "regions.parquet")
    assert len(reg) == 4  # NL00, GM0344, WK034403 (merged), WK034401
    ov = reg[reg["code"] == "WK034403"].iloc[0]
    assert (ov["naam"], ov["indelingswijziging"], ov["indelingsjaar"]) == ("Overvecht", 3, 2022)
    west = reg[reg["code"] == "WK034401"].iloc[0]
    assert west["naam"] == "West" and pd.isna(west["indelingswijziging"])
    assert res.tabellen == {"regions": 4, "kwb": 3, "leefbaarometer": 2, "grenzen": 0}
    assert reg["code"].tolist() == sorted(reg["code"])  # sorted by key


def test_demo_flag_and_skipped_files(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    _lbm(raw / "lbm", GOOD_LBM, "leefbaarometer-demo.csv")
    for name in ("README.md", "kaart.png", "metadata.json", "notitie.txt", ".DS_Store"):
        (raw / name).write_bytes(b"x")
    res = run_ingest(raw, out)
    assert res.demo is True
    bronnen = json.loads((out / "bronnen.json").read_text(encoding="utf-8"))
    assert bronnen["demo"] is True and bronnen["bestanden"][0]["demo"] is True
    assert bronnen["bestanden"][0]["pad"] == "lbm/leefbaarometer-demo.csv"
    assert bronnen["overgeslagen"] == [".DS_Store", "README.md", "kaart.png", "metadata.json",
                                       "notitie.txt"]
    kwb = pd.read_parquet(out / "kwb.parquet")  # core tables exist even when empty
    assert len(kwb) == 0 and list(kwb.columns) == ["code", "jaar", "variabele", "waarde"]


def test_ingest_is_idempotent_and_timestamp_moves_only_on_change(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    _lbm(raw, GOOD_LBM, "leefbaarometer-demo.csv")
    run_ingest(raw, out)
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    bronnen = json.loads(first["bronnen.json"])
    bronnen["aangemaakt"] = "2000-01-01T00:00:00+00:00"  # as if ingested long ago
    (out / "bronnen.json").write_text(json.dumps(bronnen), encoding="utf-8")
    run_ingest(raw, out)  # same raw files: nothing changes, not even the timestamp
    again = json.loads((out / "bronnen.json").read_text(encoding="utf-8"))
    assert again["aangemaakt"] == "2000-01-01T00:00:00+00:00"
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.suffix == ".parquet"} == {
        k: v for k, v in first.items() if k.endswith(".parquet")}
    (raw / "README.md").write_text("nieuw")  # the inputs changed: a new timestamp
    run_ingest(raw, out)
    assert json.loads((out / "bronnen.json").read_text(encoding="utf-8"))["aangemaakt"] != (
        "2000-01-01T00:00:00+00:00")


class _ThemeReader:
    """A reader another engineer might add: a theme registration CSV."""

    formaat = "test-registratie"
    beschrijving = "testregistratie (activiteit_id, gebied, deelnemers)"

    def matches(self, header):
        return "activiteit_id" in header.columns

    def read(self, header):
        from helpers.ingest.readers import common
        from helpers.ingest.readers.base import LINE_COL, ReadResult

        df = common.read_text_table(header)
        out = pd.DataFrame({
            "activiteit_id": df["activiteit_id"].str.strip(),
            "deelnemers": common.to_numbers(df["deelnemers"], header.path, "deelnemers"),
        })
        out[LINE_COL] = common.lines_of(df)
        return ReadResult(tables={"test_registratie": out}, formaat=self.formaat, rijen=len(df))


@pytest.fixture
def theme_reader(monkeypatch):
    import pandera.pandas as pa

    import helpers.ingest.readers as readers

    original = readers.load_readers
    monkeypatch.setattr(readers, "load_readers", lambda: [*original(), _ThemeReader()])
    monkeypatch.setitem(schemas.SCHEMAS, "test_registratie", pa.DataFrameSchema(
        {"activiteit_id": pa.Column(schemas.STR),
         "deelnemers": pa.Column("float64", pa.Check.ge(0), nullable=True)},
        unique=["activiteit_id"], strict=True, ordered=True))


def test_extra_table_from_registered_reader(theme_reader, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "registratie.csv").write_text("activiteit_id;deelnemers\nA1;12\nA2;.\n", encoding="utf-8")
    res = run_ingest(raw, out)
    t = pd.read_parquet(out / "test_registratie.parquet")
    assert t["activiteit_id"].tolist() == ["A1", "A2"] and pd.isna(t["deelnemers"].iloc[1])
    assert res.tabellen["test_registratie"] == 2
    # a second file with the same key: error naming both files (no merge for this table)
    (raw / "registratie2.csv").write_text("activiteit_id;deelnemers\nA2;3\n", encoding="utf-8")
    e = _fails(raw, tmp_path / "out2")
    assert "registratie.csv" in e.file and "registratie2.csv" in str(e) and "regel 3" in str(e)


def test_schema_violation_names_file_and_line(theme_reader, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "registratie.csv").write_text("activiteit_id;deelnemers\nA1;12\nA2;-4\n", encoding="utf-8")
    e = _fails(raw, tmp_path / "out")
    assert e.file.endswith("registratie.csv") and e.line == 3 and e.column == "deelnemers"
    assert "voldoet niet aan het schema" in str(e)


def test_real_lbm_copy_without_lbm_column_run_ingest(real_file, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(real_file("lbm_wijk"), raw / "scores.csv")
    df = pd.read_csv(raw / "scores.csv", dtype=str, keep_default_na=False)
    df.drop(columns="lbm").to_csv(raw / "scores.csv", index=False)
    e = _fails(raw, tmp_path / "out")
    assert e.column == "lbm" and e.file.endswith("scores.csv")


def test_read_regions_writes_nothing(tmp_path):
    from helpers.ingest.build import read_regions

    raw = tmp_path / "raw"
    _lbm(raw, GOOD_LBM)
    reg = read_regions(raw)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw"]
    assert reg["code"].tolist() == ["WK034401", "WK034403"]
    assert reg["naam"].dtype == object and reg["indelingswijziging"].isna().all()
    assert reg["gemeente"].tolist() == ["GM0344", "GM0344"]


# --------------------------------------------------------------------------- symlinks (issue 12, point 6)


def test_symlink_pointing_outside_raw_is_refused(real_file, tmp_path):
    """A link in --raw to a file outside it is not followed: ingest stays inside the folder."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(real_file("seswoa2019_statline"), raw / "ses-woa-2019.csv")
    (raw / "kwb-2024.csv").symlink_to(real_file("kwb2024_statline"))
    assert_build_refuses(raw, tmp_path, "kwb-2024.csv", "symbolische koppeling",
                         "buiten de map", "verwacht:")


def test_symlinked_folder_outside_raw_is_refused(real_dir, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "echt").symlink_to(real_dir, target_is_directory=True)
    assert_build_refuses(raw, tmp_path, "echt", "symbolische koppeling", "buiten de map")


def test_symlink_inside_raw_is_read(tmp_path):
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    (raw / "sub" / "lbm.csv").write_text(
        "wk_code,wk_naam,jaar,lbm,afw,fys,onv,soc,vrz,won\n"
        "WK001400,Centrum,2022,4.1,0.1,NA,NA,NA,NA,NA\n", encoding="utf-8")
    (raw / "kopie.csv").symlink_to(raw / "sub" / "lbm.csv")
    with pytest.raises(InputError, match="dubbele sleutel"):  # read twice, not refused
        run_ingest(raw, tmp_path / "out")


# --------------------------------------------------------------------------- schema errors (issue 12, point 6)


def test_schema_error_names_the_column_the_file_has(real_file, tmp_path):
    """A year out of range in the Leefbaarometer's ``jaar`` is reported as ``jaar`` (the file's
    column), not as the internal table column ``indelingsjaar``."""
    from badinput_helpers import corrupt_text_copy, set_cell

    raw = tmp_path / "raw"

    def put(lines):
        set_cell(lines, 10, 2, "1850", ",")

    corrupt_text_copy(real_file("lbm_wijk"), raw, put)
    msg = assert_build_refuses(raw, tmp_path, "Leefbaarometer-scores wijken 2002-2022.csv",
                               "regel 10", "kolom 'jaar'", "'1850'", "verwacht:")
    assert "indelingsjaar" not in msg


def test_schema_error_in_statline_names_the_header_text(real_file, tmp_path):
    """SES-WOA's period column is ``Perioden`` in the file (``jaar``/``indelingsjaar`` in the
    tables)."""
    from badinput_helpers import corrupt_text_copy, set_cell

    raw = tmp_path / "raw"

    def put(lines):
        set_cell(lines, 5, 0, '"1985"', ";")

    corrupt_text_copy(real_file("seswoa2019_statline"), raw, put)
    msg = assert_build_refuses(raw, tmp_path, "ses-woa-2019-amsterdam-statline.csv", "regel 5",
                               "kolom 'Perioden'", "'1985'")
    assert "indelingsjaar" not in msg and "kolom 'jaar'" not in msg
