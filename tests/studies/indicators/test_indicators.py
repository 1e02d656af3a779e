"""Indicator base on small hand-built processed tables: registry, aggregation, references,
changes, bands, bad input, the written files."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers.core.errors import InputError, RegistryError
from helpers.registers.focusgebieden import Focusgebied
from helpers.registers.indicatoren import load_indicatoren
from helpers.studies.indicators import base as ind
from helpers.studies.indicators import membership


@pytest.fixture(autouse=True)
def _landelijk(monkeypatch):
    # The toy world has 4 municipalities; let 'nederland' be computed from its wijken.
    monkeypatch.setattr(membership, "MIN_GEMEENTEN_LANDELIJK", 1)


def _regions(codes_namen: dict[str, str], jaar: int, wijziging: dict | None = None) -> pd.DataFrame:
    rows = []
    for code, naam in codes_namen.items():
        soort = {"NL": "land", "GM": "gemeente", "WK": "wijk", "BU": "buurt"}[code[:2]]
        rows.append({"code": code, "naam": naam, "soort": soort,
                     "gemeente": None if code == "NL00" else "GM" + code[2:6],
                     "indelingsjaar": jaar,
                     "indelingswijziging": (wijziging or {}).get(code, 1)})
    return pd.DataFrame(rows)


WIJKEN_2022 = {"WK000101": "Noord", "WK000102": "Zuid", "WK000103": "West",
               "WK000201": "Centrum", "WK000302": "Nieuw-Oost", "WK000303": "Nieuw-West",
               "WK000401": "Bedrijventerrein"}
INW_2022 = {"WK000101": 1000, "WK000102": 3000, "WK000103": 2000, "WK000201": 4000,
            "WK000302": 1500, "WK000303": 500, "WK000401": 50}
JONG_2022 = {"WK000101": 100, "WK000102": 600, "WK000103": 200, "WK000201": 400,
             "WK000302": 300, "WK000303": 100, "WK000401": 0}
HH_2022 = {"WK000101": 500, "WK000102": 1500, "WK000103": 1000, "WK000201": 2000,
           "WK000302": 700, "WK000303": 300, "WK000401": 30}
OSM_2022 = {"WK000101": 10.0, "WK000102": 20.0, "WK000103": 5.0, "WK000201": 8.0,
            "WK000302": 12.0, "WK000303": 4.0, "WK000401": np.nan}
LBM = {  # code -> {jaar: score}
    "WK000101": {2020: 3.9, 2022: 4.0}, "WK000102": {2020: 3.1, 2022: 3.0},
    "WK000103": {2020: 4.2, 2022: 4.3}, "WK000201": {2020: 4.1, 2022: 4.2},
    "WK000301": {2020: 3.8}, "WK000302": {2022: 3.7}, "WK000303": {2022: 3.9},
    "WK000401": {2020: 3.5, 2022: 3.6},
}


def _world(**overrides):
    """Processed tables of a toy country with 4 municipalities (GM0003 redrew its wijken
    between 2020 and 2022: WK000301 -> WK000302 + WK000303)."""
    reg = [
        _regions({"NL00": "Nederland", "GM0001": "Eenstad", "GM0002": "Tweedorp",
                  "GM0003": "Driehoven", "GM0004": "Vierwerk",
                  **{c: f"Wijk {c[-2:]} {n}" for c, n in WIJKEN_2022.items()}}, 2022),
        _regions({c: n for c, n in WIJKEN_2022.items() if c not in ("WK000302", "WK000303")}
                 | {"WK000301": "Oud"}, 2020),
        _regions({c: n for c, n in WIJKEN_2022.items()}, 2022).iloc[0:0],
    ]
    regions = pd.concat(reg, ignore_index=True)
    kwb = []
    for var, vals in (("a_inw", INW_2022), ("a_00_14", JONG_2022), ("a_hh", HH_2022),
                      ("p_hh_osm", OSM_2022)):
        for code, v in vals.items():
            kwb.append({"code": code, "jaar": 2022, "variabele": var, "waarde": float(v)})
    tot = {"GM0001": (6000, 900, 3000), "GM0002": (4000, 400, 2000),
           "GM0003": (2000, 400, 1000), "GM0004": (50, 0, 30)}
    for gm, (inw, jong, hh) in tot.items():
        kwb += [{"code": gm, "jaar": 2022, "variabele": "a_inw", "waarde": float(inw)},
                {"code": gm, "jaar": 2022, "variabele": "a_00_14", "waarde": float(jong)},
                {"code": gm, "jaar": 2022, "variabele": "a_hh", "waarde": float(hh)}]
    kwb = pd.DataFrame(kwb)
    lbm_rows = []
    for code, per in LBM.items():
        for jaar, s in per.items():
            lbm_rows.append({"code": code, "niveau": "wijk", "jaar": jaar, "lbm": s,
                             "afw": s - 4.102265, "fys": 0.01, "onv": -0.02, "soc": 0.0,
                             "vrz": 0.03, "won": -0.01})
    lbm = pd.DataFrame(lbm_rows)
    out = {"regions": regions, "kwb": kwb, "lbm": lbm}
    out.update(overrides)
    return out


GEBIEDEN = [
    Focusgebied(id="test-a", naam="Test A", gemeente="GM0001",
            wijken={2022: ("WK000101", "WK000102")}, buurten={}),
    Focusgebied(id="test-c", naam="Test C", gemeente="GM0003",
            wijken={2020: ("WK000301",), 2022: ("WK000302", "WK000303")}, buurten={}),
]


def _build(world=None, gebieden=GEBIEDEN, nulmeting=2022):
    w = world or _world()
    return ind.build_indicatorbasis(w["regions"], w["kwb"], w["lbm"], gebieden,
                                   load_indicatoren(), nulmeting)


@pytest.fixture(scope="module")
def res_std():
    """The default toy build (shared: building is the slow part)."""
    mp = pytest.MonkeyPatch()
    mp.setattr(membership, "MIN_GEMEENTEN_LANDELIJK", 1)
    try:
        yield _build()
    finally:
        mp.undo()


def _rij(basis, gebied, indicator, jaar):
    sel = basis[(basis["focusgebied"] == gebied) & (basis["indicator"] == indicator)
                & (basis["jaar"] == jaar)]
    assert len(sel) == 1, (gebied, indicator, jaar)
    return sel.iloc[0]


def test_registry_loads_and_has_the_required_indicators():
    reg = load_indicatoren()
    for iid in ("lbm", "lbm_fys", "lbm_onv", "lbm_soc", "lbm_vrz", "lbm_won", "inwoners",
                "p_0_14", "p_65plus", "p_hh_osm", "p_hh_110", "bijstand", "jeugdzorg",
                "wmo", "g_ink_pi", "p_wcorpw", "ses_woa"):
        assert iid in reg.ids
    assert reg.get("lbm").richting == "hoger_beter"
    assert "HuishOnderOfRondSociaalMinimum_79" in reg.get("p_hh_osm").kolommen_voor(2019)
    assert "p_hh_osm" in reg.get("p_hh_osm").kolommen_voor(2023)


@pytest.mark.parametrize("wijziging, bericht", [
    ("regel: gemiddeld", "aggregatie.regel"),
    ("gewicht: bestaatniet", "onbekende indicator 'bestaatniet'"),
])
def test_registry_errors_name_indicator_and_field(tmp_path, wijziging, bericht):
    tekst = ind.config.INDICATOREN_YML.read_text(encoding="utf-8")
    if wijziging.startswith("regel"):
        tekst = tekst.replace("aggregatie: {regel: som}", "aggregatie: {regel: gemiddeld}", 1)
    else:
        tekst = tekst.replace("gewicht: huishoudens,", "gewicht: bestaatniet,", 1)
    p = tmp_path / "indicatoren.yml"
    p.write_text(tekst, encoding="utf-8")
    with pytest.raises(RegistryError, match=bericht) as e:
        load_indicatoren(p)
    assert str(p) in str(e.value)
    assert "indicator '" in str(e.value)


def test_registry_duplicate_id(tmp_path):
    p = tmp_path / "i.yml"
    p.write_text(ind.config.INDICATOREN_YML.read_text(encoding="utf-8").replace(
        "- id: lbm_fys", "- id: lbm"), encoding="utf-8")
    with pytest.raises(RegistryError, match="'lbm': id komt dubbel voor"):
        load_indicatoren(p)


def test_multi_wijk_area_weighted_by_inhabitants_with_references(res_std):
    res = res_std
    r = _rij(res.basis, "test-a", "lbm", 2022)
    assert r["waarde"] == pytest.approx((4.0 * 1000 + 3.0 * 3000) / 4000)
    assert r["gemeente_rest"] == pytest.approx(4.3)
    assert r["gemeente"] == pytest.approx((4.0 * 1000 + 3.0 * 3000 + 4.3 * 2000) / 6000)
    all_w = sum(INW_2022.values())
    nl = sum(LBM[c][2022] * INW_2022[c] for c in INW_2022) / all_w
    assert r["nederland"] == pytest.approx(nl)
    fg = (4.0 * 1000 + 3.0 * 3000 + 3.7 * 1500 + 3.9 * 500) / 6000
    assert r["focusgebieden"] == pytest.approx(fg)
    assert r["referentieniveau"] == pytest.approx(4.102265)
    assert r["dekking"] == 1.0
    assert r["gewichtjaar"] == 2022 and not r["gewicht_geleend"]
    assert r["gewichtstatus"] == "zelfde indeling"
    assert _rij(res.basis, "test-a", "lbm_fys", 2022)["referentieniveau"] == 0.0


def test_borrowed_weights_are_flagged_with_their_year(res_std):
    res = res_std
    r = _rij(res.basis, "test-a", "lbm", 2020)
    assert r["waarde"] == pytest.approx((3.9 * 1000 + 3.1 * 3000) / 4000)
    assert r["gewichtjaar"] == 2022
    assert r["gewicht_geleend"]
    assert r["gewichtstatus"] == "geleend"


def test_indeling_change_uses_the_codes_of_each_year(res_std):
    res = res_std
    # 2022: the two new wijken, weighted 1500/500.
    r22 = _rij(res.basis, "test-c", "lbm", 2022)
    assert r22["waarde"] == pytest.approx((3.7 * 1500 + 3.9 * 500) / 2000)
    assert r22["n_leden"] == 2
    # 2020: the old code WK000301 exists only in the 2020 indeling: no same-area weight in
    # any KWB year -> no weight, no silent value.
    r20 = _rij(res.basis, "test-c", "lbm", 2020)
    assert r20["n_leden"] == 1
    assert math.isnan(r20["waarde"])
    assert r20["dekking"] == 0
    assert "zonder bruikbaar gewicht" in r20["reden"]
    # KWB 2022 counts are summed over the new codes.
    assert _rij(res.basis, "test-c", "inwoners", 2022)["waarde"] == 2000


def test_percentages_recomputed_and_approximated_bases_flagged(res_std):
    res = res_std
    r = _rij(res.basis, "test-a", "p_0_14", 2022)
    assert r["waarde"] == pytest.approx(100 * 700 / 4000)
    # gemeente from the CBS total row of GM0001 (900 / 6000)
    assert r["gemeente"] == pytest.approx(100 * 900 / 6000)
    assert not r["benadering"]
    osm = _rij(res.basis, "test-a", "p_hh_osm", 2022)
    assert osm["waarde"] == pytest.approx((10 * 500 + 20 * 1500) / 2000)
    assert osm["benadering"]  # base approximated by all households


def test_missing_source_column_gives_missing_with_reason_never_zero(res_std):
    res = res_std
    r = _rij(res.basis, "test-a", "bijstand", 2022)
    assert math.isnan(r["waarde"])
    assert "bronkolom ontbreekt" in r["reden"] and "a_soz_wb" in r["reden"]


def test_changes_since_nulmeting_and_previous():
    res = _build(nulmeting=2020)
    r = _rij(res.basis, "test-a", "lbm", 2022)
    assert r["nulmetingjaar"] == 2020
    assert r["verschil_nulmeting"] == pytest.approx(3.25 - 3.3)
    assert r["vorige_jaar"] == 2020
    assert r["verschil_vorige"] == pytest.approx(3.25 - 3.3)
    res2 = _build(nulmeting=2022)
    assert _rij(res2.basis, "test-a", "lbm", 2022)["verschil_nulmeting"] == 0


def test_bands_against_references(res_std):
    res = res_std
    r = _rij(res.basis, "test-a", "lbm", 2022)
    sd = pd.Series([4.0, 3.0, 4.3, 4.2, 3.7, 3.9]).std()  # WK000401 is small: left out
    assert r["spreiding"] == pytest.approx(sd)
    d = r["waarde"] - r["gemeente_rest"]  # -1.05, well beyond 0.75 sd
    assert d < -0.75 * sd and r["band_gemeente_rest"] == "duidelijk lager"
    assert pd.isna(_rij(res.basis, "test-a", "inwoners", 2022)["band_nederland"])  # counts


def test_small_wijk_flagged_and_value_suppressed_below_min_basis():
    geb = [Focusgebied(id="test-d", naam="Test D", gemeente="GM0004",
                   wijken={2022: ("WK000401",)}, buurten={})]
    res = _build(gebieden=geb)
    r = _rij(res.basis, "test-d", "lbm", 2022)
    assert r["n_klein"] == 1
    assert r["onderdrukt"] and math.isnan(r["waarde"])
    assert "onderdrukt" in r["reden"]
    w = res.wijken
    assert w[(w["code"] == "WK000401") & (w["indicator"] == "lbm")]["klein"].all()


def test_absent_codes_named_with_area_and_year():
    geb = [Focusgebied(id="test-x", naam="Test X", gemeente="GM0001",
                   wijken={2022: ("WK000101", "WK000199")}, buurten={})]
    res = _build(gebieden=geb)
    m = res.meldingen
    tekst = " ".join(m[m["soort"] == "codes ontbreken"]["tekst"])
    assert "focusgebied 'test-x'" in tekst and "in jaar 2022" in tekst and "WK000199" in tekst
    r = _rij(res.basis, "test-x", "lbm", 2022)
    assert r["waarde"] == 4.0 and r["n_leden"] == 1


def test_negative_counts_and_impossible_percentages_are_flagged_not_used():
    w = _world()
    kwb = w["kwb"].copy()
    kwb.loc[(kwb["code"] == "WK000101") & (kwb["variabele"] == "a_inw"), "waarde"] = -5.0
    kwb.loc[(kwb["code"] == "WK000102") & (kwb["variabele"] == "p_hh_osm"), "waarde"] = 130.0
    res = _build(_world(kwb=kwb))
    m = res.meldingen
    ong = " ".join(m[m["soort"] == "ongeldige waarde"]["tekst"])
    assert "negatief aantal in kolom 'a_inw' (KWB 2022)" in ong and "WK000101=-5" in ong
    assert "percentage buiten 0-100 in kolom 'p_hh_osm'" in ong and "WK000102=130" in ong
    r = _rij(res.basis, "test-a", "inwoners", 2022)
    assert r["waarde"] == 3000 and r["dekking"] < 1  # never -5 silently in the sum
    osm = _rij(res.basis, "test-a", "p_hh_osm", 2022)
    assert osm["waarde"] == pytest.approx(10.0)


def test_zero_weights_flagged():
    w = _world()
    kwb = w["kwb"].copy()
    kwb.loc[kwb["variabele"] == "a_hh", "waarde"] = 0.0
    res = _build(_world(kwb=kwb))
    m = res.meldingen
    assert (m["soort"] == "gewicht nul of ontbrekend").any()
    assert "'huishoudens'" in " ".join(m["tekst"])
    osm = _rij(res.basis, "test-a", "p_hh_osm", 2022)
    assert math.isnan(osm["waarde"])


def test_processed_table_missing_column(tmp_path):
    w = _world()
    w["lbm"].drop(columns=["lbm"]).to_parquet(tmp_path / "leefbaarometer.parquet")
    with pytest.raises(InputError) as e:
        ind.build_uit_map(tmp_path, gebieden=GEBIEDEN)
    assert "leefbaarometer.parquet" in str(e.value) and "'lbm'" in str(e.value)


def test_written_files_and_report(tmp_path, res_std):
    res = res_std
    paden = ind.write_indicatorbasis(res, tmp_path, ["iets ontbreekt"], {})
    assert [p.name for p in paden] == ["indicatorbasis.parquet", "indicatorwijken.parquet",
                                       "datakwaliteit.md"]
    b = pd.read_parquet(tmp_path / "indicatorbasis.parquet")
    for col in ("focusgebied", "indicator", "jaar", "waarde", "gemeente_rest", "gemeente",
                "focusgebieden", "nederland", "eenheid", "bron", "dekking", "gewichtjaar",
                "referentieniveau", "verschil_nulmeting", "verschil_vorige", "band_nederland"):
        assert col in b.columns
    assert not b.duplicated(["focusgebied", "indicator", "jaar"]).any()
    md = (tmp_path / "datakwaliteit.md").read_text(encoding="utf-8")
    for kop in ("## Dekking per focusgebied en jaar", "## Geleende gewichten",
                "## Indelingswijzigingen", "## Benaderingen", "## Onderdrukte en ongeldige waarden",
                "## Wijken met weinig inwoners", "iets ontbreekt"):
        assert kop in md
    assert not list(tmp_path.glob(".*.tmp"))


def test_member_codes_fallbacks():
    from helpers.registers.focusgebieden import member_codes

    g = GEBIEDEN[1]
    assert member_codes(g, 2020) == (2020, ("WK000301",))
    assert member_codes(g, 2024) == (2022, ("WK000302", "WK000303"))
    assert member_codes(g, 2014) == (2020, ("WK000301",))


def test_generated_sentences_are_descriptive_with_composition_caveat(res_std):
    from helpers.studies.indicators import figures as fi

    b = res_std.basis.copy()
    b["nulmetingjaar"] = b["nulmetingjaar"].where(b["indicator"] != "lbm", 2020)
    lbm = b["indicator"] == "lbm"
    b.loc[lbm, "verschil_nulmeting"] = b.loc[lbm, "waarde"] - 3.3
    z = fi.zinnen(b, "test-a", "Test A")["lbm"]
    assert "In Test A was de waarde van 'Leefbaarometer totaalscore' in 2022 3,250" in z
    assert "0,050 lager dan bij de nulmeting (2020)" in z
    assert "duidelijk lager dan de rest van de gemeente" in z
    assert fi.SAMENSTELLING in z
    laag = f" {z.lower()} "
    for woord in fi.CAUSAAL:
        assert f" {woord} " not in laag
    tabel = fi.kerntabel(res_std.basis, "test-a", ["gemeente_rest", "nederland"])
    assert "Leefbaarometer totaalscore" in set(tabel["Indicator"])
    assert "lbm" not in set(tabel["Indicator"])
    assert {"t.o.v. rest van de gemeente", "t.o.v. Nederland", "Dekking"} <= set(tabel.columns)
    # helper indicators (bases) are not shown
    assert "Inwoners van 0 tot 15 jaar" not in set(tabel["Indicator"])


def test_adding_an_indicator_is_one_registry_edit(tmp_path):
    extra = """
  - id: p_koopw
    label: Koopwoningen
    thema: context
    soort: context
    bron: kwb
    kolommen: {2022: [p_koopw], alle: [PercentageKoopwoningen_40]}
    eenheid: procent
    richting: neutraal
    basis: woningvoorraad (benaderd met huishoudens)
    aggregatie: {regel: gewogen_gemiddelde, gewicht: huishoudens, benadering: true}
"""
    p = tmp_path / "indicatoren.yml"
    p.write_text(ind.config.INDICATOREN_YML.read_text(encoding="utf-8") + extra, encoding="utf-8")
    w = _world()
    koop = pd.DataFrame({"code": ["WK000101", "WK000102"], "jaar": 2022, "variabele": "p_koopw",
                         "waarde": [60.0, 20.0]})
    kwb = pd.concat([w["kwb"], koop], ignore_index=True)
    res = ind.build_indicatorbasis(w["regions"], kwb, w["lbm"], GEBIEDEN, load_indicatoren(p))
    r = _rij(res.basis, "test-a", "p_koopw", 2022)
    assert r["waarde"] == pytest.approx((60 * 500 + 20 * 1500) / 2000)
    assert r["label"] == "Koopwoningen" and r["benadering"] and r["bronkolom"] == "p_koopw"


def test_registry_code_with_another_name_in_a_data_year_is_reported():
    w = _world()
    reg = w["regions"].copy()
    reg.loc[(reg["code"] == "WK000101") & (reg["indelingsjaar"] == 2020), "naam"] = "Haven"
    geb = [Focusgebied(id="test-a", naam="Test A", gemeente="GM0001",
                   wijken={2022: ("WK000101", "WK000102")}, buurten={})]
    res = _build(_world(regions=reg), gebieden=geb)
    m = res.meldingen
    t = " ".join(m[m["soort"] == "andere naam"]["tekst"])
    assert "focusgebied 'test-a': code WK000101 heet in 2020 'Haven'" in t
    assert "registerjaar 2022 'Wijk 01 Noord'" in t


def test_nulmeting_year_drives_tables_and_sentences_at_run_time(tmp_path, monkeypatch):
    """The base is stored with one nulmeting (build); load_basis(nulmeting=...) recomputes the
    change since the nulmeting from the stored values, so tables and sentences follow the
    notebook's jaar_nulmeting (issue 15, point 2)."""
    from helpers.core import config
    from helpers.studies.indicators import sentences, tables
    from helpers.studies.indicators.nulmeting import build_nulmeting

    w = _world()
    res = _build(w, nulmeting=2022)
    res.basis.to_parquet(tmp_path / "indicatorbasis.parquet")
    w["regions"].to_parquet(tmp_path / config.REGIONS_PARQUET)
    monkeypatch.setattr(ind, "load_focusgebieden", lambda: GEBIEDEN)
    for jaar, verwacht in ((2020, 2020), (2022, 2022), (2019, 2020), (2030, 2022)):
        b = ind.load_basis(tmp_path, nulmeting=jaar)
        assert b.attrs["nulmeting"] == jaar
        assert list(b.columns) == list(res.basis.columns)
        r = _rij(b, "test-a", "lbm", 2022)
        assert r["nulmetingjaar"] == verwacht  # the year itself, else the latest before, else after
        assert r["verschil_nulmeting"] == pytest.approx(3.25 - (3.3 if verwacht == 2020 else 3.25))
    b2020 = ind.load_basis(tmp_path, nulmeting=2020)
    gebouwd = _build(w, nulmeting=2020).basis
    for kolom in ("nulmetingjaar", "waarde_nulmeting", "verschil_nulmeting", "nulmeting_benadering"):
        pd.testing.assert_series_equal(b2020[kolom], gebouwd[kolom])
    kt = tables.kerntabel(b2020, "test-a", ["gemeente_rest"])
    lbm = kt[kt["Indicator"] == _rij(b2020, "test-a", "lbm", 2022)["label"]].iloc[0]
    assert "(t.o.v. 2020)" in lbm["Verschil sinds nulmeting"]
    assert any("nulmeting (2020)" in z for z in sentences.zinnen(b2020, "test-a", "Test A").values())
    assert not any("nulmeting (2020)" in z for z in sentences.zinnen(
        ind.load_basis(tmp_path, nulmeting=2022), "test-a", "Test A").values())
    kt22 = tables.kerntabel(ind.load_basis(tmp_path, nulmeting=2022), "test-a", ["gemeente_rest"])
    assert "(t.o.v. 2020)" not in " ".join(kt22["Verschil sinds nulmeting"])
    # a CBS boundary change (indelingswijziging 3) of a member wijk between the nulmeting and
    # the latest year makes the change an approximation, read from regions.parquet at run time
    assert bool(_rij(b2020, "test-a", "lbm", 2022)["nulmeting_benadering"]) is False
    regions = w["regions"].copy()
    regions.loc[(regions["code"] == "WK000101") & (regions["indelingsjaar"] == 2022),
                "indelingswijziging"] = 3
    regions.to_parquet(tmp_path / config.REGIONS_PARQUET)
    gewijzigd = ind.load_basis(tmp_path, nulmeting=2020)
    assert bool(_rij(gewijzigd, "test-a", "lbm", 2022)["nulmeting_benadering"]) is True
    assert "benadering: andere wijkindeling" in " ".join(
        tables.kerntabel(gewijzigd, "test-a", ["gemeente_rest"])["Verschil sinds nulmeting"])
    assert build_nulmeting(res.basis.iloc[0:0], 2020, GEBIEDEN, w["regions"]).empty
