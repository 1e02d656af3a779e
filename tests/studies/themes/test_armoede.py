"""Theme study preventie armoede en schulden: network counts, shares with Wilson intervals,
inconsistent registrations, suppression, and the raw layout reader."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from helpers.core.errors import InputError
from helpers.studies.themes import armoede as ar
from helpers.studies.themes.study import weergave

Z = 1.959963984540054


def wilson_hand(x: int, n: int) -> tuple[float, float]:
    p = x / n
    noemer = 1 + Z**2 / n
    midden = (p + Z**2 / (2 * n)) / noemer
    half = Z / noemer * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2))
    return midden - half, midden + half


def rij(gebied, periode, bereikt, nieuw, verwezen, behandeling, afgerond, afgehaakt,
        sleutel=(1, 10), ervaring=(2, 0), vrijwillig=(0, 5)):
    return dict(focusgebied=gebied, periode=periode,
                sleutelpersonen_betaald=sleutel[0], sleutelpersonen_onbetaald=sleutel[1],
                ervaringsdeskundigen_betaald=ervaring[0], ervaringsdeskundigen_onbetaald=ervaring[1],
                vrijwilligers_betaald=vrijwillig[0], vrijwilligers_onbetaald=vrijwillig[1],
                huishoudens_bereikt=bereikt, huishoudens_nieuw=nieuw,
                doorverwijzingen_schuldhulp=verwezen, schuldhulp_in_behandeling=behandeling,
                schuldhulp_afgerond=afgerond, schuldhulp_afgehaakt=afgehaakt)


def maat(kern, gebied, naam):
    return kern[(kern["focusgebied"] == gebied) & (kern["maat"] == naam)].iloc[0]


def test_shares_hand_computed():
    df = pd.DataFrame([rij("tilburg-noordwest", "2024-H1", 60, 21, 20, 9, 5, 2),
                       rij("tilburg-noordwest", "2024-H2", 40, 19, 10, 4, 3, 1)])
    kern = ar.kengetallen(df, min_n=3)
    verwacht = {"nieuw in beeld": (40, 100), "doorverwezen": (30, 100),
                "in behandeling": (13, 30), "afgerond": (8, 30), "afgehaakt": (3, 30),
                "wachtend of onbekend": (6, 30)}
    for naam, (x, n) in verwacht.items():
        r = maat(kern, "tilburg-noordwest", naam)
        assert (r["teller"], r["n"]) == (x, n)
        lo, hi = wilson_hand(x, n)
        assert r["aandeel"] == pytest.approx(x / n)
        assert (r["ondergrens"], r["bovengrens"]) == pytest.approx((lo, hi), abs=1e-12)
    # follow-up shares partition the referrals
    vervolg = kern[(kern["focusgebied"] == "tilburg-noordwest")
                   & kern["maat"].isin(["in behandeling", "afgerond", "afgehaakt",
                                        "wachtend of onbekend"])]
    assert vervolg["aandeel"].sum() == pytest.approx(1.0)


def test_numerator_below_min_n_is_not_shown():
    """A base of 30 referrals is large enough, but 8, 3 and 6 households are not: no count, no
    share, no interval; the display shows '< 10' (issue 13, disclosure policy)."""
    df = pd.DataFrame([rij("tilburg-noordwest", "2024-H1", 60, 21, 20, 9, 5, 2),
                       rij("tilburg-noordwest", "2024-H2", 40, 19, 10, 4, 3, 1)])
    kern = ar.kengetallen(df, min_n=10)
    for naam in ("afgerond", "afgehaakt", "wachtend of onbekend"):
        r = maat(kern, "tilburg-noordwest", naam)
        assert r["n"] == 30 and r["onderdrukt"] == "primair", naam
        assert pd.isna(r[["teller", "aandeel", "ondergrens", "bovengrens"]]).all(), naam
    r = maat(kern, "tilburg-noordwest", "in behandeling")
    assert r["teller"] == 13 and r["onderdrukt"] == ""
    toon = weergave(kern, ["focusgebied", "maat"], min_n=10)
    cel = toon.loc[kern["maat"].eq("afgerond").to_numpy(), "percentage (95%-interval)"]
    assert set(cel) == {"< 10"}


def test_network_counts_paid_and_unpaid():
    df = pd.DataFrame([rij("tilburg-noordwest", "2024-H1", 60, 21, 20, 9, 5, 2, sleutel=(3, 38)),
                       rij("tilburg-noordwest", "2024-H2", 40, 19, 10, 4, 3, 1, sleutel=(2, 30))])
    net = ar.netwerk(df).set_index("rol")
    assert (net.loc["sleutelpersonen", "betaald"], net.loc["sleutelpersonen", "onbetaald"]) == (5, 68)
    assert net.loc["sleutelpersonen", "aandeel_betaald"] == pytest.approx(5 / 73)
    assert net.loc["ervaringsdeskundigen", "totaal"] == 4
    assert net.loc["vrijwilligers", "aandeel_betaald"] == 0.0


def test_inconsistent_registrations_reported_and_left_out():
    df = pd.DataFrame([
        rij("dordrecht-west", "2024-H1", 30, 35, 10, 4, 3, 1),   # nieuw > bereikt
        rij("dordrecht-west", "2024-H2", 30, 10, 10, 6, 4, 2),   # follow-up 12 > 10 referrals
        rij("dordrecht-west", "2025-H1", 50, 20, 12, 6, 4, 1),
    ])
    fouten = ar.ketenfouten(df)
    assert len(fouten) == 2
    a = fouten[fouten["periode"] == "2024-H1"].iloc[0]
    assert (a["focusgebied"], a["stap"], a["aantal"], a["eerdere_stap"], a["aantal_eerder"]) == (
        "dordrecht-west", "huishoudens_nieuw", 35, "huishoudens_bereikt", 30)
    b = fouten[fouten["periode"] == "2024-H2"].iloc[0]
    assert b["stap"] == "schuldhulp_in_behandeling+schuldhulp_afgerond+schuldhulp_afgehaakt"
    assert (b["aantal"], b["aantal_eerder"]) == (12, 10)
    kern = ar.kengetallen(df, min_n=1)
    assert maat(kern, "dordrecht-west", "nieuw in beeld")["n"] == 50


def test_suppression_small_area_and_secondary():
    df = pd.DataFrame([rij("nieuwegein-centrale-as", "2024-H1", 7, 3, 2, 1, 1, 0),
                       rij("dordrecht-west", "2024-H1", 30, 10, 10, 6, 3, 1),
                       rij("tilburg-noordwest", "2024-H1", 90, 30, 25, 10, 8, 2)])
    kern = ar.kengetallen(df, min_n=10)
    r = maat(kern, "nieuwegein-centrale-as", "nieuw in beeld")
    assert r["onderdrukt"] == "primair" and math.isnan(r["aandeel"]) and math.isnan(r["teller"])
    assert maat(kern, "dordrecht-west", "nieuw in beeld")["onderdrukt"] == "secundair"
    assert maat(kern, "tilburg-noordwest", "nieuw in beeld")["onderdrukt"] == ""
    # referrals: 2 (primary), 10 and 25: the 10 is hidden too (now already for its
    # numerator of 3 households, below min_n)
    assert maat(kern, "dordrecht-west", "afgerond")["onderdrukt"] == "primair"
    per = ar.bereik_per_periode(df[df["focusgebied"] == "nieuwegein-centrale-as"],
                                "nieuwegein-centrale-as", min_n=10)
    assert per["onderdrukt"].iloc[0] == "primair" and math.isnan(per["huishoudens_nieuw"].iloc[0])


# --------------------------------------------------------------------------- reader

KOP = ("focusgebied;periode;sleutelpersonen_betaald;sleutelpersonen_onbetaald;"
       "ervaringsdeskundigen_betaald;ervaringsdeskundigen_onbetaald;vrijwilligers_betaald;"
       "vrijwilligers_onbetaald;huishoudens_bereikt;huishoudens_nieuw;doorverwijzingen_schuldhulp;"
       "schuldhulp_in_behandeling;schuldhulp_afgerond;schuldhulp_afgehaakt")
GOED = "tilburg-noordwest;2024-H1;3;38;1;2;0;0;140;50;35;15;10;4"


def read(tmp_path: Path, tekst: str, encoding: str = "utf-8"):
    from helpers.ingest.build import match_reader, sniff
    from helpers.ingest.readers import load_readers

    p = tmp_path / "netwerken.csv"
    p.write_bytes(tekst.encode(encoding))
    header = sniff(p, p.read_bytes())
    return match_reader(header, load_readers()).read(header)


def test_reader_valid_comma_separated(tmp_path):
    res = read(tmp_path, KOP.replace(";", ",") + "\n" + GOED.replace(";", ",") + "\n")
    df = res.tables["armoede_netwerken"]
    assert res.formaat == "armoede-netwerken-csv" and res.jaar == 2024
    assert df.loc[0, "sleutelpersonen_onbetaald"] == 38 and df.loc[0, "huishoudens_bereikt"] == 140


@pytest.mark.parametrize("regel,kolom,verwacht", [
    (GOED.replace(";140;", ";1,5;"), "huishoudens_bereikt", "geheel getal >= 0"),
    (GOED.replace("2024-H1", "2024"), "periode", "JJJJ-H1 of JJJJ-H2"),
    (GOED.replace("tilburg-noordwest", "Tilburg Noordwest"), "focusgebied", "focusgebied-id"),
    (GOED.replace(";3;38;", ";;38;"), "sleutelpersonen_betaald", "geheel getal >= 0"),
])
def test_reader_bad_input(tmp_path, regel, kolom, verwacht):
    with pytest.raises(InputError) as exc:
        read(tmp_path, KOP + "\n" + GOED.replace("2024-H1", "2023-H2") + "\n" + regel + "\n")
    assert exc.value.line == 3 and exc.value.column == kolom
    assert verwacht in str(exc.value) and "netwerken.csv" in str(exc.value)


def test_reader_duplicate_area_period(tmp_path):
    with pytest.raises(InputError, match=r"regel 3, kolom 'periode': dubbele sleutel"):
        read(tmp_path, KOP + "\n" + GOED + "\n" + GOED + "\n")


def test_indicator_context_latest_year_register_areas_and_suppression(tmp_path):
    from helpers.studies.themes.study import indicatorcontext

    basis = pd.DataFrame([
        dict(focusgebied="tilburg-noordwest", indicator="p_hh_osm", jaar=2023, waarde=9.0,
             publiceren=True, onderdrukt=False),
        dict(focusgebied="tilburg-noordwest", indicator="p_hh_osm", jaar=2024, waarde=9.4,
             publiceren=True, onderdrukt=False),
        dict(focusgebied="lelystad", indicator="p_hh_osm", jaar=2024, waarde=float("nan"),
             publiceren=True, onderdrukt=True),
        dict(focusgebied="lelystad", indicator="p_hh_osm", jaar=2023, waarde=10.1,
             publiceren=True, onderdrukt=False),
        dict(focusgebied="delft-west", indicator="p_hh_osm", jaar=2024, waarde=7.0,
             publiceren=True, onderdrukt=False),
        dict(focusgebied="tilburg-noordwest", indicator="huishoudens", jaar=2024, waarde=5000.0,
             publiceren=False, onderdrukt=False),
    ])
    basis.to_parquet(tmp_path / "indicatorbasis.parquet")
    ctx = indicatorcontext(["p_hh_osm", "huishoudens"], "alle", tmp_path,
                           gebieden=["tilburg-noordwest", "lelystad"])
    assert list(zip(ctx["focusgebied"], ctx["jaar"], ctx["waarde"], strict=True)) == [
        ("lelystad", 2023, 10.1), ("tilburg-noordwest", 2024, 9.4)]
    assert indicatorcontext(["p_hh_osm"], "roosendaal", tmp_path) is None
    assert indicatorcontext(["p_hh_osm"], "alle", tmp_path / "leeg") is None
