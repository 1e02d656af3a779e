"""Demo data (CBS KWB + SES-WOA, Leefbaarometer, geometry): deterministic, in the real formats,
read by the same readers as the real files, covering every focus area, focus areas below their
city on average, counts and percentages consistent."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from helpers.demodata import geometry, kwb, leefbaarometer, wereld
from helpers.registers import focusgebieden as registry

MODULES = (kwb, leefbaarometer, geometry)
SEED = 2025


def _generate(out: Path, seed: int) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for m in MODULES:
        paths.extend(m.generate(out, seed))
    return sorted(paths)


def _digest(paths: list[Path]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("demo")
    return out, _generate(out, SEED)


@pytest.fixture(scope="module")
def processed(demo, tmp_path_factory) -> dict[str, pd.DataFrame]:
    """Demo files through the real ingest (the same readers as for the real files).

    One file per format (OData 2019, kwb.xlsx 2023, StatLine 2024, SES-WOA, Leefbaarometer);
    the other KWB years repeat these formats and are left out to keep the test fast.
    """
    import shutil

    from helpers.ingest.build import run_ingest

    raw = tmp_path_factory.mktemp("raw")
    for name in INGEST_FILES:
        shutil.copy(demo[0] / name, raw / name)
    out = tmp_path_factory.mktemp("processed")
    result = run_ingest(raw, out)
    return {t: pd.read_parquet(result.pad(t)) for t in ("regions", "kwb", "leefbaarometer")}


INGEST_FILES = (
    "kwb-2019-demo-84583NED-odata.csv",
    "kwb-2023-demo.xlsx",
    "kwb-2024-demo-statline.csv",
    "ses-woa-demo-statline.csv",
    "Leefbaarometer-scores wijken 2002-2024 demo.csv",
)


# ------------------------------------------------------------------------------------------
# Files and determinism


def test_file_names_contain_demo_and_are_complete(demo):
    _, paths = demo
    names = sorted(p.name for p in paths)
    assert all("demo" in n for n in names)
    assert names == sorted(
        [
            "kwb-2019-demo-84583NED-odata.csv",
            "kwb-2020-demo-statline.csv",
            "kwb-2021-demo.xlsx",
            "kwb-2022-demo-statline.csv",
            "kwb-2023-demo.xlsx",
            "kwb-2024-demo-statline.csv",
            "ses-woa-demo-statline.csv",
            "Leefbaarometer-scores wijken 2002-2024 demo.csv",
        ]
        + [f"wijkenbuurten-demo-{j}.geojson" for j in range(2019, 2025)]
    )
    assert not list(demo[0].glob("*.tmp*"))


def _clear_caches() -> None:
    for f in (wereld.stroom, wereld.latent, wereld.alle_regios, wereld.focus_codes, kwb.tabel):
        f.cache_clear()


def test_same_seed_same_bytes(demo, tmp_path):
    _clear_caches()  # nothing carried over from the first run
    again = _generate(tmp_path / "again", SEED)
    assert _digest(again) == _digest(demo[1])


def test_different_seed_different_values(demo, tmp_path):
    out = tmp_path / "other"
    out.mkdir()
    paths = leefbaarometer.generate(out, SEED + 1) + geometry.generate(out, SEED + 1)
    p = out / kwb.bestandsnaam(2024)
    kwb.write_statline(kwb.tabel(2024, SEED + 1), p)
    paths.append(p)
    before = _digest([demo[0] / q.name for q in paths])
    after = _digest(paths)
    assert all(before[n] != after[n] for n in after)


def test_xlsx_has_fixed_timestamps(demo):
    with zipfile.ZipFile(demo[0] / "kwb-2023-demo.xlsx") as zf:
        assert {i.date_time for i in zf.infolist()} == {(2024, 1, 1, 0, 0, 0)}
        core = zf.read("docProps/core.xml").decode()
    assert "2024-01-01T00:00:00Z" in core


# ------------------------------------------------------------------------------------------
# Same conventions as the real files


def _first_line(path: Path) -> bytes:
    return path.read_bytes().split(b"\n", 1)[0]


def test_odata_matches_real_layout(demo, real_file):
    real, ours = real_file("kwb2019_odata"), demo[0] / "kwb-2019-demo-84583NED-odata.csv"
    assert _first_line(ours) == _first_line(real)  # same BOM and the same 118 keys
    assert b"\r\n" not in ours.read_bytes()[:5000] and b"\r\n" not in real.read_bytes()[:5000]
    rows = list(csv.reader(io.StringIO(ours.read_text("utf-8-sig")), delimiter=";"))
    real_rows = list(csv.reader(io.StringIO(real.read_text("utf-8-sig")), delimiter=";"))
    wijk = next(r for r in rows if r[3].strip() == "Wijk")
    real_wijk = next(r for r in real_rows if r[3].strip() == "Wijk")
    for i in (1, 2, 3, 4, 6, 113):  # padded code, name, type, code, a number, postcode
        assert len(wijk[i]) == len(real_wijk[i]), rows[0][i]
    assert wijk[5] == "1"
    assert any(c == "       ." for r in rows for c in r[70:90])  # suppressed cells as in real


def test_statline_matches_real_layout(demo, real_file):
    real = real_file("kwb2024_statline").read_bytes()
    ours = (demo[0] / "kwb-2024-demo-statline.csv").read_bytes()
    assert ours[:3] == real[:3] == b"\xef\xbb\xbf"
    real_head, our_head = real.split(b"\r\n", 1)[0], ours.split(b"\r\n", 1)[0]
    # the real export's 13 columns come first, byte for byte; extra topics follow
    assert our_head.startswith(
        real_head.replace(b';"Bevolking/Aantal inwoners (aantal)"', b"", 1)[:200]
    )
    real_cols = next(csv.reader(io.StringIO(real[3:].decode().split("\r\n")[0]), delimiter=";"))
    our_cols = next(csv.reader(io.StringIO(ours[3:].decode().split("\r\n")[0]), delimiter=";"))
    assert set(real_cols) <= set(our_cols)
    assert our_cols[:5] == real_cols[:5]
    lines = ours.split(b"\r\n")
    assert lines[-1] == b"" and all(b"\n" not in ln for ln in lines)
    nl = lines[1].decode()
    assert nl.startswith(
        '"Nederland";"Nederland                               ";"Land      ";"NL00      ";"."'
    )
    assert any(b'"Wijk      ";"WK034403  "' in ln for ln in lines)
    assert b';"."' in ours  # suppressed numbers


def test_xlsx_matches_real_columns(demo, real_file):
    import openpyxl

    def head(path, n=4):
        wb = openpyxl.load_workbook(path, read_only=True)
        ws = wb.worksheets[0]
        rows = [[c.value for c in r] for r in ws.iter_rows(max_row=n)]
        names = wb.sheetnames
        wb.close()
        return names, rows

    _, real = head(real_file("kwb2023_xlsx"), 1)
    for jaar in (2021, 2023):
        names, rows = head(demo[0] / f"kwb-{jaar}-demo.xlsx")
        assert names == [f"kwb-{jaar}"]
        assert rows[0] == real[0]
        cols = rows[0]
        gm = dict(zip(cols, rows[2], strict=True))  # first gemeente after NL00
        assert gm["recs"] == "Gemeente" and isinstance(gm["a_inw"], int)
        # like the real file: some counts stored as text, '.' for unknown
        assert isinstance(gm["a_soz_wb"], str) and gm["a_soz_wb"].isdigit()
        assert gm["g_ele"] == "."


def test_ses_and_leefbaarometer_match_real_headers(demo, real_file):
    assert _first_line(demo[0] / "ses-woa-demo-statline.csv") == _first_line(
        real_file("seswoa2019_statline")
    )
    lbm = demo[0] / "Leefbaarometer-scores wijken 2002-2024 demo.csv"
    assert _first_line(lbm) == _first_line(real_file("lbm_wijk"))
    assert not lbm.read_bytes().startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(lbm)
    assert sorted(df.jaar.unique()) == [2002, 2008, 2012, 2014, 2016, 2018, 2020, 2022, 2024]
    assert ((df.lbm - df.afw - 4.102265).abs() < 1e-9).all()
    dims = ["fys", "onv", "soc", "vrz", "won"]
    no_dims = df.jaar.isin([2002, 2008, 2012, 2016])
    assert df.loc[no_dims, dims].isna().all().all() and df.loc[~no_dims, dims].notna().all().all()
    assert ((df.loc[~no_dims, dims].sum(axis=1) - df.loc[~no_dims, "afw"]).abs() < 1e-9).all()


def test_embedded_region_list_is_small_and_mirrors_real_codes(real_file):
    assert wereld.WIJKEN_CSV.stat().st_size < 400_000
    real19 = pd.read_csv(real_file("kwb2019_odata"), sep=";", encoding="utf-8-sig", dtype=str)
    real19_wijken = set(
        real19.loc[real19.SoortRegio_2.str.strip() == "Wijk", "Codering_3"].str.strip()
    )
    ams = {r.code for r in wereld.regios(2019, "wijk") if r.gemeente == "GM0363"}
    assert ams == real19_wijken
    real24 = pd.read_csv(real_file("kwb2024_statline"), sep=";", encoding="utf-8-sig", dtype=str)
    codes24 = real24["Regioaanduiding/Codering (code)"].str.strip()
    focus_gm = {g.gemeente[2:] for g in registry.load_focusgebieden()}
    real24_wijken = {c for c in codes24 if c.startswith("WK") and c[2:6] in focus_gm}
    assert {r.code for r in wereld.regios(2024, "wijk") if r.focusgemeente} == real24_wijken
    # the 2022 Leefbaarometer codes of Amsterdam equal KWB 2019's, not KWB 2024's
    ams22 = {r.code for r in wereld.regios(2022, "wijk") if r.gemeente == "GM0363"}
    assert ams22 == real19_wijken and not ams22 & real24_wijken


# ------------------------------------------------------------------------------------------
# Through the real readers


def test_ingest_reads_every_demo_file(processed):
    regions, kwbt, lbm = processed["regions"], processed["kwb"], processed["leefbaarometer"]
    assert sorted(kwbt.jaar.unique()) == [2019, 2020, 2021, 2022, 2023, 2024]  # SES: 2019-2022
    assert len(lbm) > 6000 and set(lbm.niveau) == {"wijk"}
    assert {2019, 2023, 2024} <= set(regions.query("code == 'NL00'").indelingsjaar)
    nieuwegein = regions.query("indelingsjaar == 2024 and soort == 'wijk' and gemeente == 'GM0356'")
    assert (nieuwegein.indelingswijziging == 3).all() and len(nieuwegein) == 22
    schiedam = regions.query("code == 'WK060605'").set_index("indelingsjaar").naam
    assert "Mathenesse" in schiedam[2022] and "Kethel" in schiedam[2024]
    # variables the indicator base needs, per format
    need = {
        2019: ["AantalInwoners_5", "HuishOnderOfRondSociaalMinimum_79",
               "PersonenPerSoortUitkeringBijstand_83", "JongerenMetJeugdzorgInNatura_87",
               "WmoClienten_89", "GemiddeldInkomenPerInwoner_72", "InBezitWoningcorporatie_42"],
        2023: ["a_inw", "a_00_14", "a_65_oo", "a_hh", "g_ink_pi", "p_hh_osm", "p_hh_110",
               "a_soz_wb", "a_jz_tn", "p_jz_tn", "a_wmo_t", "p_wmo_t", "a_woning", "p_wcorpw"],
        2024: list(kwb.STATLINE.values()),
    }  # fmt: skip
    for jaar, cols in need.items():
        have = set(kwbt.loc[kwbt.jaar == jaar, "variabele"])
        assert set(cols) <= have, (jaar, set(cols) - have)


def test_registry_codes_exist_in_demo_regions(processed):
    regions = processed["regions"]
    areas = registry.load_focusgebieden()
    registry.validate_against_regions(areas, regions)
    for jaar in (2022, 2024):
        have = set(regions.loc[regions.indelingsjaar == jaar, "code"])
        for a in areas:
            assert set(a.wijken[jaar]) <= have, (a.id, jaar)
    # every KWB year: the registry's (fallback) definition exists in the demo regions
    for jaar in sorted(set(regions.indelingsjaar) & set(range(2019, 2025))):
        have = set(regions.loc[regions.indelingsjaar == jaar, "code"])
        for a in areas:
            assert set(registry.codes(a, jaar)) <= have, (a.id, jaar)


# ------------------------------------------------------------------------------------------
# Plausible values


def _frame(jaar: int) -> pd.DataFrame:
    rows = kwb.tabel(jaar, SEED)
    df = pd.DataFrame(
        [{**r["waarden"], **{k: r[k] for k in ("code", "soort", "gemeente")}} for r in rows]
    )
    return df.set_index("code")


def test_focus_areas_below_their_city_on_average(demo):
    df = _frame(2024)
    lbm = pd.read_csv(demo[0] / "Leefbaarometer-scores wijken 2002-2024 demo.csv")
    lbm24 = lbm[lbm.jaar == 2024].set_index("wk_code")
    worse_osm = worse_lbm = 0
    areas = registry.load_focusgebieden()
    for a in areas:
        codes = list(a.wijken[2024])
        w = df.loc[codes]
        osm_area = (w.p_hh_osm * w.a_hh).sum() / w.loc[w.p_hh_osm.notna(), "a_hh"].sum()
        worse_osm += osm_area > df.loc[a.gemeente, "p_hh_osm"]
        city = df[(df.soort == "wijk") & (df.gemeente == a.gemeente)]
        wlbm = (lbm24.loc[city.index, "lbm"] * city.a_inw).sum() / city.a_inw.sum()
        area_lbm = (lbm24.loc[codes, "lbm"] * w.a_inw).sum() / w.a_inw.sum()
        worse_lbm += area_lbm < wlbm
    assert worse_osm >= 18 and worse_lbm >= 18


def test_counts_and_percentages_consistent():
    for jaar in (2019, 2024):
        df = _frame(jaar)
        wijken = df[df.soort == "wijk"]
        for gm, grp in wijken.groupby("gemeente"):
            assert abs(grp.a_inw.sum() - df.loc[gm, "a_inw"]) <= 3 * len(grp), gm
            assert (
                abs(grp.a_wmo_t.fillna(0).sum() - df.loc[gm, "a_wmo_t"])
                <= 0.02 * df.loc[gm, "a_wmo_t"] + 50
            )
        ok = wijken.dropna(subset=["a_wmo_t", "p_wmo_t"])
        ok = ok[ok.a_inw >= 1000]
        assert ((1000 * ok.a_wmo_t / ok.a_inw - ok.p_wmo_t).abs() < 3).all()
        assert ((wijken.p_koopw + wijken.p_huurw).dropna() == 100).all()
        own = wijken[["p_wcorpw", "p_huurw"]].dropna()
        assert (own.p_wcorpw <= own.p_huurw).all()
        assert (df.loc[df.soort != "land", "a_inw"].astype(float) >= 0).all()


def test_tiny_wijken_and_suppression():
    df = _frame(2024)
    wijken = df[df.soort == "wijk"]
    tiny = wijken[wijken.a_inw < 50]
    assert len(tiny) >= 5
    assert tiny.g_ink_pi.isna().all() and tiny.p_hh_osm.isna().all()
    assert df.p_jz_tn.isna().sum() > 10 and df.p_jz_tn.notna().sum() > 1000


def test_national_row_and_leefbaarometer_reference(demo):
    df = _frame(2022)
    assert 17_000_000 < df.loc["NL00", "a_inw"] < 18_500_000
    lbm = pd.read_csv(demo[0] / "Leefbaarometer-scores wijken 2002-2024 demo.csv")
    l22 = lbm[lbm.jaar == 2022].set_index("wk_code")
    w = df[df.soort == "wijk"]
    common = l22.index.intersection(w.index)
    nl = (l22.loc[common, "lbm"] * w.loc[common, "a_inw"]).sum() / w.loc[common, "a_inw"].sum()
    assert 4.05 < nl < 4.20


def test_geometry_is_valid_and_covers_every_focus_wijk(demo):
    import geopandas as gpd

    areas = registry.load_focusgebieden()
    for jaar in (2022, 2024):
        path = demo[0] / f"wijkenbuurten-demo-{jaar}.geojson"
        gdf = gpd.read_file(path)
        assert gdf.crs.to_epsg() == 4326
        assert {"wijkcode", "wijknaam", "gemeentecode"} <= set(gdf.columns)
        assert gdf.geometry.is_valid.all() and not gdf.wijkcode.duplicated().any()
        for a in areas:
            assert set(a.wijken[jaar]) <= set(gdf.wijkcode), (a.id, jaar)
        assert json.loads(path.read_text())["type"] == "FeatureCollection"
    g22 = gpd.read_file(demo[0] / "wijkenbuurten-demo-2022.geojson").set_index("wijkcode")
    g24 = gpd.read_file(demo[0] / "wijkenbuurten-demo-2024.geojson").set_index("wijkcode")
    # an unchanged wijk keeps its shape; Amsterdam's redrawn wijken are new
    assert g22.loc["WK034403"].geometry.equals(g24.loc["WK034403"].geometry)
    assert not set(g22.index[g22.gemeentecode == "GM0363"]) & set(g24.index)
