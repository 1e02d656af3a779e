"""Reader tables of the indicator base: indicators without data in this edition."""

from __future__ import annotations

import pandas as pd

from helpers.studies.indicators.tables import indicatoren_zonder_waarde, zin_zonder_waarde


def test_registered_indicators_without_a_value_are_named_per_area():
    nan = float("nan")
    basis = pd.DataFrame(
        {
            "focusgebied": ["a"] * 6 + ["b"] * 6,
            "indicator": ["lbm", "lbm", "bijstand", "bijstand", "woningen", "woningen"] * 2,
            "label": [
                "Leefbaarometer",
                "Leefbaarometer",
                "Bijstand",
                "Bijstand",
                "Woningvoorraad",
                "Woningvoorraad",
            ]
            * 2,
            "jaar": [2019, 2024] * 6,
            "publiceren": [True, True, True, True, False, False] * 2,
            "waarde": [3.9, 4.0, nan, nan, nan, nan, 3.8, nan, 12.0, nan, nan, nan],
        }
    )
    # a: bijstand has no value in any year; woningen is a helper indicator (not published)
    assert indicatoren_zonder_waarde(basis, ["lbm", "bijstand", "woningen"]) == {"a": ["Bijstand"]}
    # registry order, not the (alphabetical) order of the base; a suppressed value is data
    twee = basis.assign(waarde=float("nan"), onderdrukt=[False, True] + [False] * 10)
    assert indicatoren_zonder_waarde(twee, ["lbm", "bijstand"]) == {
        "a": ["Bijstand"],
        "b": ["Leefbaarometer", "Bijstand"],
    }
    assert indicatoren_zonder_waarde(twee, ["bijstand", "lbm"])["b"] == [
        "Bijstand",
        "Leefbaarometer",
    ]
    assert zin_zonder_waarde(["Bijstand", "Wmo-cliënten per 1000 inwoners"]) == (
        "Geen gegevens in deze editie: Bijstand; Wmo-cliënten per 1000 inwoners."
    )
    assert zin_zonder_waarde([]) == ""
