"""Theme study re-integratie: route shares with Wilson intervals, Aalen-Johansen cumulative
incidence with competing routes (hand-computed), deterministic tie breaking, suppression, and
the raw layout reader."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import pandas as pd
import pytest

from helpers.core.errors import InputError
from helpers.studies.themes import reintegratie as ri

Z = 1.959963984540054


def wilson_hand(x: int, n: int) -> tuple[float, float]:
    p = x / n
    noemer = 1 + Z**2 / n
    midden = (p + Z**2 / (2 * n)) / noemer
    half = Z / noemer * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2))
    return midden - half, midden + half


START = pd.Timestamp("2024-01-01")


def deelnemers(rijen, type_="wijkbaan", gebied="heerlen-noord", prefix="p"):
    """rijen: (days to outcome, outcome)."""
    return pd.DataFrame([dict(deelnemer=f"{prefix}{i}", focusgebied=gebied, interventietype=type_,
                              startdatum=START, jaren_bijstand=float(i % 7),
                              doelgroep="overig", uitkomst=u,
                              uitkomstdatum=START + pd.Timedelta(days=d))
                         for i, (d, u) in enumerate(rijen)])


# --------------------------------------------------------------------------- route shares


def test_route_shares_with_wilson_intervals():
    df = pd.concat([
        deelnemers([(30, "betaald werk")] * 4 + [(60, "scholing")] * 2 + [(90, "uitval")] * 3
                   + [(100, "nog in traject")] * 3, "wijkbaan"),
        deelnemers([(30, "vrijwilligerswerk")] * 5 + [(50, "dagbesteding")] * 3
                   + [(70, "betaald werk")] * 2 + [(80, "nog in traject")] * 2, "groepsaanpak",
                   prefix="g"),
    ], ignore_index=True)
    r = ri.routeaandelen(df, min_n=2).set_index(["interventietype", "uitkomst"])
    assert r.loc[("wijkbaan", "betaald werk"), "n"] == 12
    assert r.loc[("wijkbaan", "betaald werk"), "aandeel"] == pytest.approx(4 / 12)
    lo, hi = wilson_hand(4, 12)
    assert r.loc[("wijkbaan", "betaald werk"), "ondergrens"] == pytest.approx(lo, abs=1e-12)
    assert r.loc[("wijkbaan", "betaald werk"), "bovengrens"] == pytest.approx(hi, abs=1e-12)
    lo0, hi0 = wilson_hand(0, 12)
    assert r.loc[("wijkbaan", "dagbesteding"), "aandeel"] == 0
    assert r.loc[("wijkbaan", "dagbesteding"), "bovengrens"] == pytest.approx(hi0)
    assert r.loc[("alle", "betaald werk"), "aandeel"] == pytest.approx(6 / 24)
    # shares of one group over all six outcomes add up to 1
    assert r.loc["groepsaanpak", "aandeel"].sum() == pytest.approx(1.0)
    assert r.loc[("wijkbaan", "betaald werk"), "signaal"] == "signaal, geen conclusie"
    # with min_n 10 the base (12) is enough but 4 participants are not: no count, no share
    r10 = ri.routeaandelen(df, min_n=10).set_index(["interventietype", "uitkomst"])
    hid = r10.loc[("wijkbaan", "betaald werk")]
    assert hid["n"] == 12 and hid["onderdrukt"] == "primair"
    assert pd.isna(hid[["aantal", "aandeel", "ondergrens", "bovengrens"]]).all()


def test_route_shares_suppressed_for_small_type():
    df = pd.concat([deelnemers([(30, "betaald werk")] * 6, "groepsaanpak", prefix="g"),
                    deelnemers([(30, "uitval")] * 20 + [(40, "betaald werk")] * 20, "wijkbaan")],
                   ignore_index=True)
    r = ri.routeaandelen(df, min_n=10).set_index(["interventietype", "uitkomst"])
    assert r.loc[("groepsaanpak", "betaald werk"), "onderdrukt"] == "primair"
    assert math.isnan(r.loc[("groepsaanpak", "betaald werk"), "aandeel"])
    assert math.isnan(r.loc[("groepsaanpak", "betaald werk"), "aantal"])
    # with only two groups the other one would follow by subtraction from 'alle'
    assert r.loc[("wijkbaan", "betaald werk"), "onderdrukt"] == "secundair"
    assert r.loc[("alle", "betaald werk"), "aandeel"] == pytest.approx(26 / 46)


# --------------------------------------------------------------------------- competing risks


def tiny() -> pd.DataFrame:
    """5 participants: day 10 betaald werk; day 20 uitval AND scholing (a tie between routes);
    day 30 still in trajectory (censored); day 40 betaald werk."""
    return deelnemers([(10, "betaald werk"), (20, "uitval"), (20, "scholing"),
                       (30, "nog in traject"), (40, "betaald werk")])


def cif_at(cif: pd.DataFrame, route: str, dag: float, groep: str = "wijkbaan") -> float:
    d = cif[(cif["interventietype"] == groep) & (cif["route"] == route) & (cif["dagen"] <= dag)]
    return float(d.sort_values("dagen")["cif"].iloc[-1])


def test_aalen_johansen_hand_computed_with_competing_route():
    """By hand (n at risk, overall survival S before each time):
    t=10: n=5, 1 betaald werk   -> F_bw = 1/5 = 0.2;           S = 4/5
    t=20: n=4, 1 uitval, 1 scholing -> F_uit = F_sch = 0.8*1/4 = 0.2; S = 0.8*2/4 = 0.4
    t=30: censored
    t=40: n=1, 1 betaald werk   -> F_bw = 0.2 + 0.4*1/1 = 0.6;  S = 0
    One Kaplan-Meier per route would give 1 - KM_bw = 1.0 at day 40 (wrong)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no lifelines random-jitter warning: ties pre-broken
        cif = ri.cumulatieve_incidentie(tiny(), min_n=1)
    assert cif_at(cif, "betaald werk", 15) == pytest.approx(0.2)
    assert cif_at(cif, "betaald werk", 25) == pytest.approx(0.2)
    assert cif_at(cif, "uitval", 20) == pytest.approx(0.2)
    assert cif_at(cif, "scholing", 20) == pytest.approx(0.2)
    assert cif_at(cif, "betaald werk", 40) == pytest.approx(0.6)
    assert cif_at(cif, "vrijwilligerswerk", 40) == 0
    # at the end all cumulative incidences plus survival (0) add up to 1
    eind = sum(cif_at(cif, r, 40) for r in ri.ROUTES)
    assert eind == pytest.approx(1.0)
    # naive 1 - KM for betaald werk (other routes as censoring) overstates it
    from lifelines import KaplanMeierFitter

    t = ri.duur_en_route(tiny())
    km = KaplanMeierFitter().fit(t["dagen"], t["code"] == ri.ROUTECODE["betaald werk"])
    assert 1 - float(km.survival_function_.iloc[-1, 0]) == pytest.approx(1.0)
    # intervals are ordered and contain the estimate
    d = cif[(cif["route"] == "betaald werk") & (cif["cif"] > 0) & cif["ondergrens"].notna()]
    assert (d["ondergrens"] <= d["cif"]).all() and (d["cif"] <= d["bovengrens"]).all()


def test_tie_breaking_is_deterministic_and_only_between_routes():
    t = ri.duur_en_route(deelnemers([(20, "uitval"), (20, "scholing"), (20, "scholing"),
                                     (20, "nog in traject"), (0, "betaald werk"), (0, "uitval")]))
    a = ri.detach(t["dagen"], t["code"])
    b = ri.detach(t["dagen"], t["code"])
    assert a.equals(b)
    # scholing (code 2) keeps 20, uitval (code 5) moves just before; censored stays at 20
    assert a[1] == a[2] == 20 and a[0] == pytest.approx(20 - ri.EPSILON_DAGEN) and a[3] == 20
    # at day 0 the shift goes up instead of below zero
    assert a[4] == 0 and a[5] == pytest.approx(ri.EPSILON_DAGEN)


def test_curves_per_type_and_small_groups_get_none():
    df = pd.concat([tiny(), deelnemers([(15, "scholing")] * 3, "groepsaanpak", prefix="g")],
                   ignore_index=True)
    cif = ri.cumulatieve_incidentie(df, min_n=5)
    assert set(cif["interventietype"]) == {"wijkbaan", "alle"}
    assert cif_at(cif, "betaald werk", 40) == pytest.approx(0.6)
    # horizons in months: day 40 = 40 / 30.4375 months; beyond the last follow-up: left out
    horizon = ri.cif_op(ri.cumulatieve_incidentie(tiny(), min_n=1),
                        maanden=(0.5, 1.0, 40 / ri.DAGEN_PER_MAAND, 2.0))
    r = horizon[(horizon["interventietype"] == "wijkbaan") & (horizon["route"] == "betaald werk")]
    assert list(r["cif"]) == pytest.approx([0.2, 0.2, 0.6])
    assert list(r["at_risk"])[:2] == [4, 1]


def test_kenmerken_quartiles_and_suppression():
    df = deelnemers([(30, "uitval")] * 12)
    k = ri.kenmerken(df, min_n=10).set_index("interventietype")
    assert k.loc["wijkbaan", "n"] == 12
    assert k.loc["wijkbaan", "bijstand_mediaan"] == pytest.approx(df["jaren_bijstand"].median())
    klein = ri.kenmerken(df.head(5), min_n=10)
    assert klein["bijstand_mediaan"].isna().all()


# --------------------------------------------------------------------------- reader

KOP = "deelnemer;focusgebied;interventietype;startdatum;jaren_bijstand;doelgroep;uitkomst;uitkomstdatum"
GOED = "d1;heerlen-noord;wijkbaan;2024-01-15;6,5;langdurig werkzoekend;betaald werk;2024-09-01"


def read(tmp_path: Path, tekst: str):
    from helpers.ingest.build import match_reader, sniff
    from helpers.ingest.readers import load_readers

    p = tmp_path / "reintegratie.csv"
    p.write_text(tekst, encoding="utf-8")
    header = sniff(p, p.read_bytes())
    return match_reader(header, load_readers()).read(header)


def test_reader_valid_file_decimal_comma(tmp_path):
    res = read(tmp_path, KOP + "\n" + GOED + "\n"
               "d2;heerlen-noord;groepsaanpak;2024-02-01;12;statushouder;nog in traject;2025-10-01\n")
    df = res.tables["reintegratie"]
    assert res.formaat == "reintegratie-csv"
    assert df.loc[0, "jaren_bijstand"] == 6.5 and df.loc[1, "jaren_bijstand"] == 12.0
    assert str(df["startdatum"].dtype).startswith("datetime64")


@pytest.mark.parametrize("regel,kolom,verwacht", [
    (GOED.replace("wijkbaan", "werkplek"), "interventietype", "'groepsaanpak', 'wijkbaan'"),
    (GOED.replace("betaald werk", "werk"), "uitkomst", "'nog in traject'"),
    (GOED.replace("2024-01-15", "15-01-2024"), "startdatum", "JJJJ-MM-DD"),
    (GOED.replace("6,5", "zes"), "jaren_bijstand", "getal >= 0"),
    (GOED.replace("2024-09-01", "2023-12-31"), "uitkomstdatum", "op of na startdatum"),
    (GOED.replace("d1;", "d 1;"), "deelnemer", "zonder spaties"),
])
def test_reader_bad_input(tmp_path, regel, kolom, verwacht):
    with pytest.raises(InputError) as exc:
        read(tmp_path, KOP + "\n" + regel + "\n")
    assert exc.value.line == 2 and exc.value.column == kolom
    assert verwacht in str(exc.value) and "reintegratie.csv" in str(exc.value)


def test_reader_duplicate_participant(tmp_path):
    with pytest.raises(InputError, match=r"regel 3, kolom 'deelnemer': dubbele sleutel"):
        read(tmp_path, KOP + "\n" + GOED + "\n" + GOED + "\n")


# --------------------------------------------------------------------------- publication


def test_studie_publishes_without_participant_ids(tmp_path):
    """The whole publish path on a small processed table: outputs registered with n and
    minimum n, figures with alt text and source, and no participant code in any output."""
    import json

    import matplotlib

    from helpers.core.privacy import scan_outputs

    matplotlib.use("Agg")
    processed = tmp_path / "processed"
    processed.mkdir()
    rijen = ([(30 + i, "betaald werk") for i in range(8)] + [(60 + i, "scholing") for i in range(6)]
             + [(90, "uitval")] * 4 + [(400, "nog in traject")] * 6)
    df = pd.concat([deelnemers(rijen, "wijkbaan", prefix="wb-"),
                    deelnemers(rijen[:15], "groepsaanpak", prefix="ga-")], ignore_index=True)
    df.to_parquet(processed / "reintegratie.parquet")
    st = ri.studie("heerlen-noord", processed=processed, runs=tmp_path / "runs", demo=True, min_n=5)
    assert st.heeft_gegevens
    map_ = tmp_path / "runs" / "heerlen-noord" / "32_reintegratie"
    index = json.loads((map_ / "uitvoer.json").read_text(encoding="utf-8"))
    assert index["demo"] is True
    assert index["tabellen"]["routes"]["n_kolom"] == "n" and index["tabellen"]["routes"]["min_n"] == 5
    assert {"routes", "cif"} <= set(index["figuren"])
    assert all(f["alt"] and f["bron"] for f in index["figuren"].values())
    assert index["kerncijfers"]["betaald_werk"]["waarde"] == pytest.approx(100 * 16 / 39)
    assert scan_outputs([map_], list(df["deelnemer"])) == []
    # the curve stops where fewer than min_n are still at risk
    cif = pd.read_csv(map_ / "cif.csv")
    assert cif["at_risk"].min() >= 5
