"""`wijkmonitor build` on the real open data in ../shared/data/real (issue 3, 'Done when')."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from helpers.cli import app
from helpers.registers.focusgebieden import load_focusgebied
from helpers.registers.monitor import load_monitor
from helpers.studies.indicators.sentences import zin_indicator
from helpers.studies.indicators.tables import kerncijfers_per_gebied, kerntabel


@pytest.fixture(scope="module")
def gebouwd(real_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("build-real")
    res = CliRunner().invoke(app, ["build", "--raw", str(real_dir), "--out", str(out)])
    assert res.exit_code == 0, res.output
    return out, res.output


@pytest.fixture(scope="module")
def basis(gebouwd):
    return pd.read_parquet(gebouwd[0] / "indicatorbasis.parquet")


@pytest.fixture(scope="module")
def lbm_wijken(real_file):
    df = pd.read_csv(real_file("lbm_wijk"), na_values=["NA"])
    return df


def _lbm(basis, jaar):
    return basis[(basis["indicator"] == "lbm") & (basis["jaar"] == jaar)].set_index("focusgebied")


def test_build_writes_outputs_and_lists_missing_sources(gebouwd):
    out, output = gebouwd
    for naam in ("indicatorbasis.parquet", "indicatorwijken.parquet", "datakwaliteit.md",
                 "leefbaarometer.parquet", "kwb.parquet", "regions.parquet"):
        assert (out / naam).exists(), naam
    assert "Ontbrekende bronnen" in output
    # Boundaries: named as missing exactly when ingest wrote no boundary table.
    heeft_grenzen = (out / "grenzen.parquet").exists() and len(pd.read_parquet(
        out / "grenzen.parquet", columns=["code"])) > 0
    assert heeft_grenzen == ("wijkgrenzen" not in output)
    md = (out / "datakwaliteit.md").read_text(encoding="utf-8")
    assert "geleend, grenzen gewijzigd" in md
    regel = next(r for r in md.splitlines() if r.startswith("| WK060605 |"))
    assert "andere naam in KWB 2024: Wijk 05 Kethel (ander gebied)" in regel


def test_overvecht_lbm_2022(basis):
    r = _lbm(basis, 2022).loc["utrecht-overvecht"]
    assert round(r["waarde"], 4) == 3.8411
    assert r["dekking"] == 1.0


def test_nederland_moves_and_is_plausible(basis):
    nl14 = _lbm(basis, 2014)["nederland"].unique()
    nl22 = _lbm(basis, 2022)["nederland"].unique()
    assert len(nl14) == 1 and len(nl22) == 1
    assert 4.05 <= nl14[0] <= 4.20 and 4.05 <= nl22[0] <= 4.20
    assert abs(nl22[0] - nl14[0]) > 0.01


def test_nederland_is_inhabitant_weighted_not_plain_mean(basis, lbm_wijken):
    plain = lbm_wijken[lbm_wijken["jaar"] == 2022]["lbm"].mean()
    nl22 = _lbm(basis, 2022)["nederland"].iloc[0]
    assert abs(nl22 - plain) > 0.005


def test_referentieniveau_is_the_fixed_benchmark(basis):
    for jaar in (2002, 2014, 2022):
        ref = _lbm(basis, jaar)["referentieniveau"].unique()
        assert len(ref) == 1 and round(ref[0], 4) == 4.1023
    assert not (_lbm(basis, 2022)["nederland"].round(4) == 4.1023).any()


def test_every_area_has_lbm_2022_within_its_member_range(basis, lbm_wijken):
    from helpers.registers.focusgebieden import load_focusgebieden

    r22 = _lbm(basis, 2022)
    gebieden = load_focusgebieden()
    assert len(gebieden) == 20
    w22 = lbm_wijken[lbm_wijken["jaar"] == 2022].set_index("wk_code")["lbm"]
    for g in gebieden:
        r = r22.loc[g.id]
        assert pd.notna(r["waarde"]), g.id
        assert 0 < r["dekking"] <= 1, g.id
        leden = w22.reindex(list(g.wijken[2022])).dropna()
        assert leden.min() - 1e-9 <= r["waarde"] <= leden.max() + 1e-9, g.id


def test_borrowed_weights_recorded(basis):
    r22 = _lbm(basis, 2022)
    # Only KWB 2019 (Amsterdam), 2023 (Utrecht) and 2024 (national) exist: 2022 borrows.
    assert r22["gewicht_geleend"].all()
    assert r22.loc["amsterdam-nieuw-west", "gewichtjaar"] == 2019  # 2022 codes absent in 2024
    assert r22.loc["utrecht-overvecht", "gewichtjaar"] == 2023
    # Nieuwegein's wijken changed boundaries in 2024 (indelingswijziging 3): flagged.
    nw = r22.loc["nieuwegein-centrale-as"]
    assert nw["gewichtstatus"] == "geleend, grenzen gewijzigd"
    assert nw["benadering"]


def test_schiedam_reused_code_gets_no_weight(gebouwd):
    w = pd.read_parquet(gebouwd[0] / "indicatorwijken.parquet")
    r = w[(w["code"] == "WK060605") & (w["jaar"] == 2022) & (w["indicator"] == "lbm")].iloc[0]
    assert r["gewichtstatus"] == "ontbreekt" and pd.isna(r["w"])
    b = pd.read_parquet(gebouwd[0] / "indicatorbasis.parquet")
    s = b[(b["focusgebied"] == "schiedam-nieuwland-oost") & (b["indicator"] == "lbm")
          & (b["jaar"] == 2022)].iloc[0]
    assert s["dekking_gemeente_rest"] < 1  # Nieuw Mathenesse counted as not covered


def test_kwb_only_where_the_sources_have_it(basis):
    inw = basis[(basis["indicator"] == "inwoners") & (basis["jaar"] == 2024)].set_index("focusgebied")
    assert inw["waarde"].notna().all()
    assert (inw["nederland"] == 17942942).all()  # the NL00 total row
    ov23 = basis[(basis["focusgebied"] == "utrecht-overvecht") & (basis["indicator"] == "bijstand")
                 & (basis["jaar"] == 2023)].iloc[0]
    assert ov23["waarde"] > 0
    assert pd.isna(basis[(basis["focusgebied"] == "arnhem-oost") & (basis["indicator"] == "inwoners")
                         & (basis["jaar"] == 2019)].iloc[0]["waarde"])


def test_den_haag_zuidwest_keeps_bouwlust_despite_its_name_variation(basis, gebouwd):
    # WK051833 is "Wijk 33 Bouwlust en Vrederust" in the Leefbaarometer 2022 and "Wijk 33
    # Bouwlust" in KWB 2024 (ind_wbi 1; registry: same code, unchanged boundary).
    r = _lbm(basis, 2022).loc["den-haag-zuidwest"]
    assert round(r["waarde"], 4) == 3.8811
    assert r["n_met_waarde"] == 4 and r["dekking"] == 1.0
    w = pd.read_parquet(gebouwd[0] / "indicatorwijken.parquet")
    b = w[(w["code"] == "WK051833") & (w["jaar"] == 2022) & (w["indicator"] == "lbm")].iloc[0]
    assert b["gewichtstatus"] == "geleend" and b["w"] == 29530


def test_unusable_wijk_counts_in_dekking_with_its_real_inhabitants(gebouwd):
    # Schiedam WK060605 has no usable weight (reused code) but is counted in the coverage with
    # its KWB 2024 inhabitants (5,530), not with the mean of the other wijken.
    w = pd.read_parquet(gebouwd[0] / "indicatorwijken.parquet")
    lbm = w[(w["jaar"] == 2022) & (w["indicator"] == "lbm")].set_index("code")
    assert pd.isna(lbm.loc["WK060605", "w"]) and lbm.loc["WK060605", "inw"] == 5530
    b = pd.read_parquet(gebouwd[0] / "indicatorbasis.parquet")
    s = b[(b["focusgebied"] == "schiedam-nieuwland-oost") & (b["indicator"] == "lbm")
          & (b["jaar"] == 2022)].iloc[0]
    eigen = set(load_focusgebied("schiedam-nieuwland-oost").wijken[2022])
    rest = lbm[lbm.index.str.startswith("WK0606") & ~lbm.index.isin(eigen)]
    verwacht = rest.loc[rest["w"].notna(), "inw"].sum() / rest["inw"].sum()
    assert s["dekking_gemeente_rest"] == pytest.approx(verwacht)
    assert s["dekking_gemeente_rest"] < 1


def test_alle_focusgebieden_only_with_enough_coverage(basis):
    drempel = load_monitor().min_dekking_focusgebieden
    inw = basis[basis["indicator"] == "inwoners"]
    # KWB 2019 holds only Amsterdam, kwb-2023 only Utrecht: no reference 'alle focusgebieden'.
    for jaar in (2019, 2023):
        r = inw[inw["jaar"] == jaar]
        assert r["focusgebieden"].isna().all(), jaar
        assert (r["dekking_focusgebieden"].dropna() < drempel).all(), jaar
    b23 = basis[(basis["jaar"] == 2023) & (basis["focusgebied"] == "utrecht-overvecht")]
    assert b23["band_focusgebieden"].isna().all()
    assert b23["waarde"].notna().any()
    # Leefbaarometer 2022 and KWB 2024 cover every area: the reference is there.
    l22 = _lbm(basis, 2022)
    assert l22["focusgebieden"].notna().all() and (l22["dekking_focusgebieden"] >= drempel).all()
    assert inw[inw["jaar"] == 2024]["focusgebieden"].notna().all()


def test_nulmeting_across_amsterdam_redrawing_is_flagged(basis):
    r = basis[(basis["focusgebied"] == "amsterdam-nieuw-west") & (basis["indicator"] == "inwoners")
              & (basis["jaar"] == 2024)].iloc[0]
    assert r["nulmetingjaar"] == 2019 and pd.notna(r["verschil_nulmeting"])
    assert bool(r["nulmeting_benadering"])
    a = basis[(basis["focusgebied"] == "arnhem-oost") & (basis["indicator"] == "lbm")
              & (basis["jaar"] == 2018)].iloc[0]
    assert a["nulmetingjaar"] == 2022 and not a["nulmeting_benadering"]
    tabel = kerntabel(basis, "amsterdam-nieuw-west", ["gemeente_rest"])
    rij = tabel[tabel["Verschil sinds nulmeting"].str.contains("2019")].iloc[0]
    assert "benadering: andere wijkindeling" in rij["Verschil sinds nulmeting"]
    zin = zin_indicator(basis[(basis["focusgebied"] == "amsterdam-nieuw-west")
                              & (basis["indicator"] == "inwoners")].iloc[-1], "Nieuw-West")
    assert "benadering" in zin


def test_key_table_shows_the_peiljaar_and_what_the_base_counts(basis):
    tabel = kerntabel(basis, "utrecht-overvecht", ["gemeente_rest"]).set_index("Indicator")
    lb = basis.drop_duplicates("indicator").set_index("indicator")["label"]
    bijstand = tabel.loc[lb["bijstand_per_1000"]]
    # kwb-2023: bijstand refers to 2022 (peiljaar = edition - 1); the edition is named.
    assert bijstand["Jaar"] == "2022" and "2023" in bijstand["Bron (editie)"]
    assert "inwoners" in bijstand["Basis"]
    assert tabel.loc[lb["lbm"], "Basis"].endswith("(inwoners)")
    assert tabel.loc[lb["inwoners"], "Basis"].endswith("(het aantal zelf)")
    kc = kerncijfers_per_gebied(basis).set_index(["focusgebied", "indicator"])
    r = kc.loc[("utrecht-overvecht", "bijstand_per_1000")]
    assert r["jaar"] == 2022 and r["editiejaar"] == 2023 and "inwoners" in r["basis_telt"]
