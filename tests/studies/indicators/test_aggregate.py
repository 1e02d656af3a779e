"""Hand-computed aggregation cases for helpers.studies.indicators.aggregate."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers.core.codes import gemeente_of
from helpers.studies.indicators.aggregate import (
    GEWICHT_GELEEND,
    GEWICHT_GRENZEN,
    GEWICHT_ONBEKEND,
    GEWICHT_ZELFDE,
    aggregate_rows,
    band,
    choose_gewichten,
    normalise_naam,
)

REGELS = {
    "score": {"regel": "gewogen_gemiddelde"},
    "aantal": {"regel": "som"},
    "pct": {"regel": "ratio", "factor": 100.0},
}


def _waarden(rows):
    cols = ["indicator", "code", "jaar", "x", "teller", "noemer", "w", "inw"]
    return pd.DataFrame(rows, columns=cols)


def _leden(codes, groep="focusgebied", gebied="a", jaar=2022):
    return pd.DataFrame({"groep": groep, "gebied": gebied, "jaar": jaar, "code": codes})


def test_weighted_mean_unequal_weights():
    # (4.0 * 1000 + 3.0 * 3000) / 4000 = 3.25 -- not the plain mean 3.5.
    w = _waarden([
        ("score", "WK000101", 2022, 4.0, np.nan, np.nan, 1000, 1000),
        ("score", "WK000102", 2022, 3.0, np.nan, np.nan, 3000, 3000),
    ])
    out = aggregate_rows(w, _leden(["WK000101", "WK000102"]), REGELS)
    r = out.iloc[0]
    assert r["waarde"] == pytest.approx(3.25)
    assert r["basis"] == 4000
    assert r["dekking"] == 1.0
    assert r["n_leden"] == 2 and r["n_met_waarde"] == 2


def test_percentage_recomputed_from_counts():
    # 10/100 and 90/300: the area has 100/400 = 25 %, not the mean of 10 % and 30 % (20 %).
    w = _waarden([
        ("pct", "WK000101", 2022, 10.0, 10, 100, np.nan, 200),
        ("pct", "WK000102", 2022, 30.0, 90, 300, np.nan, 600),
    ])
    out = aggregate_rows(w, _leden(["WK000101", "WK000102"]), REGELS)
    assert out.iloc[0]["waarde"] == pytest.approx(25.0)
    assert out.iloc[0]["basis"] == 400


def test_sum_of_counts_and_missing_member_is_not_zero():
    w = _waarden([
        ("aantal", "WK000101", 2022, 120.0, np.nan, np.nan, np.nan, 1000),
        ("aantal", "WK000102", 2022, np.nan, np.nan, np.nan, np.nan, 3000),
    ])
    out = aggregate_rows(w, _leden(["WK000101", "WK000102"]), REGELS)
    r = out.iloc[0]
    assert r["waarde"] == 120.0
    assert r["dekking"] == pytest.approx(0.25)  # 1000 of 4000 inhabitants covered
    assert r["n_met_waarde"] == 1


def test_missing_members_dekking_below_one_and_value_from_the_rest():
    # Member 3 is not in the values table at all; member 2 has no score.
    w = _waarden([
        ("score", "WK000101", 2022, 4.0, np.nan, np.nan, 1000, 1000),
        ("score", "WK000102", 2022, np.nan, np.nan, np.nan, 1000, 1000),
    ])
    out = aggregate_rows(w, _leden(["WK000101", "WK000102", "WK000103"]), REGELS)
    r = out.iloc[0]
    assert r["waarde"] == 4.0
    assert r["n_leden"] == 3 and r["n_met_waarde"] == 1
    # member 3 has unknown inhabitants: counted with the mean of the known ones (1000).
    assert r["dekking"] == pytest.approx(1 / 3)


def test_all_members_missing_gives_nan_never_zero():
    w = _waarden([("score", "WK000101", 2022, np.nan, np.nan, np.nan, 1000, 1000)])
    out = aggregate_rows(w, _leden(["WK000101"]), REGELS)
    assert math.isnan(out.iloc[0]["waarde"])
    assert out.iloc[0]["dekking"] == 0


def test_zero_weight_is_not_used():
    w = _waarden([
        ("score", "WK000101", 2022, 4.0, np.nan, np.nan, 0, 0),
        ("score", "WK000102", 2022, 3.0, np.nan, np.nan, 500, 500),
    ])
    out = aggregate_rows(w, _leden(["WK000101", "WK000102"]), REGELS)
    assert out.iloc[0]["waarde"] == 3.0
    assert out.iloc[0]["n_met_waarde"] == 1


def test_memberships_per_source_do_not_mix():
    w = _waarden([
        ("score", "WK000101", 2022, 4.0, np.nan, np.nan, 1, 1),
        ("aantal", "GM0001", 2022, 50.0, np.nan, np.nan, np.nan, 50),
    ])
    w["bron"] = ["lbm", "kwb"]
    leden = pd.concat([_leden(["WK000101"]).assign(bron="lbm"),
                       _leden(["GM0001"], groep="gemeente", gebied="GM0001").assign(bron="kwb")])
    out = aggregate_rows(w, leden, REGELS)
    assert set(zip(out["groep"], out["indicator"], strict=True)) == {
        ("focusgebied", "score"), ("gemeente", "aantal")}


def test_weight_choice_rules_reused_code_and_boundary_change():
    doel = pd.DataFrame({"code": ["WK060605", "WK034403", "WK035604", "WK999901", "WK000101"],
                         "jaar": [2022, 2022, 2022, 2022, 2024]})
    bron = pd.DataFrame({
        "code": ["WK060605", "WK034403", "WK034403", "WK035604", "WK000101"],
        "jaar": [2024, 2023, 2024, 2024, 2024],
        "gewicht": [9000.0, 31000.0, 32000.0, 5000.0, 700.0],
    })
    namen = pd.DataFrame({
        "code": ["WK060605", "WK060605", "WK034403", "WK034403", "WK034403", "WK035604",
                 "WK035604"],
        "jaar": [2022, 2024, 2022, 2023, 2024, 2022, 2024],
        "naam": ["Wijk 05 Nieuw Mathenesse", "Wijk 05 Kethel", "Overvecht", "Wijk 03 Overvecht",
                 "Wijk 03 Overvecht", "Blokhoeve", "Wijk 04 Blokhoeve"],
    })
    wijz = pd.DataFrame({"code": ["WK035604"], "jaar": [2024]})
    out = choose_gewichten(doel, bron, namen, wijz).set_index("code")
    # Reused code: another area in 2024 -> its weight is never borrowed.
    assert out.loc["WK060605", "gewichtstatus"] == GEWICHT_ONBEKEND
    assert math.isnan(out.loc["WK060605", "gewicht"])
    # Same name, nearest year (2023 before 2024).
    assert out.loc["WK034403", "gewichtstatus"] == GEWICHT_GELEEND
    assert out.loc["WK034403", "gewichtjaar"] == 2023
    assert out.loc["WK034403", "gewicht"] == 31000.0
    # Boundary change recorded between 2022 and 2024 -> flagged approximation.
    assert out.loc["WK035604", "gewichtstatus"] == GEWICHT_GRENZEN
    # No candidate at all.
    assert out.loc["WK999901", "gewichtstatus"] == GEWICHT_ONBEKEND
    assert out.loc["WK000101", "gewichtstatus"] == GEWICHT_ZELFDE


def test_names_and_gemeente():
    s = normalise_naam(pd.Series(["Wijk 01 Lariks", "Lariks", None, "Nijlân"]))
    assert s.iloc[0] == s.iloc[1] == "lariks"
    assert pd.isna(s.iloc[2])
    assert s.iloc[3] == "nijlan"
    g = gemeente_of(pd.Series(["WK034403", "BU03440000", "GM0344", "NL00"]))
    assert list(g[:3]) == ["GM0344"] * 3 and pd.isna(g.iloc[3])


def test_bands():
    d = pd.Series([-1.0, -0.3, 0.0, 0.1, 0.3, 1.0, np.nan])
    k = pd.Series([0.2] * 7)
    g = pd.Series([0.6] * 7)
    b = band(d, k, g)
    assert list(b[:6]) == ["duidelijk lager", "lager", "gelijk", "gelijk", "hoger",
                           "duidelijk hoger"]
    assert pd.isna(b.iloc[6])


def _schiedam_denhaag():
    doel = pd.DataFrame({"code": ["WK060605", "WK051833", "WK050301"], "jaar": [2022] * 3})
    bron = pd.DataFrame({"code": ["WK060605", "WK051833", "WK050301"], "jaar": [2024] * 3,
                         "gewicht": [5530.0, 29530.0, 800.0]})
    namen = pd.DataFrame({
        "code": ["WK060605", "WK060607", "WK060605", "WK060607", "WK051833", "WK051833",
                 "WK050301", "WK050301"],
        "jaar": [2022, 2022, 2024, 2024, 2022, 2024, 2022, 2024],
        "naam": ["Wijk 05 Nieuw Mathenesse", "Wijk 07 Groenoord en Kethel", "Wijk 05 Kethel",
                 "Wijk 07 Groenoord", "Wijk 33 Bouwlust en Vrederust", "Wijk 33 Bouwlust",
                 "Oud", "Nieuw"],
    })
    # CBS marks every 2024 code unchanged since 2023 (ind_wbi 1), as in the real KWB 2024.
    vast = pd.DataFrame({"code": ["WK060605", "WK060607", "WK051833", "WK050301"], "jaar": [2024] * 4})
    return doel, bron, namen, vast


def test_unchanged_code_wins_over_a_name_variation_but_not_over_a_reused_code():
    doel, bron, namen, vast = _schiedam_denhaag()
    out = choose_gewichten(doel, bron, namen, None, vast).set_index("code")
    # Den Haag Bouwlust (en Vrederust): same code, unchanged -> the 2024 weight is borrowed.
    assert out.loc["WK051833", "gewichtstatus"] == GEWICHT_GELEEND
    assert out.loc["WK051833", "gewicht"] == 29530.0
    # Schiedam: "Kethel" was part of WK060607 in 2022 -> the code is reused, another area.
    assert out.loc["WK060605", "gewichtstatus"] == GEWICHT_ONBEKEND
    # Name change, unchanged code, not reused: the same area.
    assert out.loc["WK050301", "gewichtstatus"] == GEWICHT_GELEEND
    # Without the unchanged mark, a name variation is not enough.
    zonder = choose_gewichten(doel, bron, namen).set_index("code")
    assert (zonder["gewichtstatus"] == GEWICHT_ONBEKEND).all()


def test_registry_statement_confirms_a_code_and_a_boundary_change_still_counts():
    doel, bron, namen, _ = _schiedam_denhaag()
    out = choose_gewichten(doel, bron, namen, None, None, {"WK051833"}).set_index("code")
    assert out.loc["WK051833", "gewichtstatus"] == GEWICHT_GELEEND
    assert out.loc["WK050301", "gewichtstatus"] == GEWICHT_ONBEKEND
    # A name change together with a boundary change is another area, even when confirmed.
    wijz = pd.DataFrame({"code": ["WK051833"], "jaar": [2024]})
    out = choose_gewichten(doel, bron, namen, wijz, None, {"WK051833"}).set_index("code")
    assert out.loc["WK051833", "gewichtstatus"] == GEWICHT_ONBEKEND

