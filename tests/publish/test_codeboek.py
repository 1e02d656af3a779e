"""Downloads: reader headers and codebook units say what the cells hold."""

from __future__ import annotations

import pandas as pd

from helpers.publish import codeboek


def test_share_stored_as_fraction_is_not_labelled_percent():
    df = pd.DataFrame({"aandeel": [0.38, 0.54], "aandeel_pct": [38.0, 54.0],
                       "negatief": [14.5, 20.1], "n": [325, 183]})
    koppen = codeboek.build_koppen(df, koppen={}, labels={}, eenheden={})
    assert koppen["aandeel"] == "Aandeel (fractie 0–1)"
    assert "%" not in koppen["aandeel"]
    assert koppen["aandeel_pct"].endswith("(%)")
    rijen = {r["id"]: r for r in codeboek.build_codeboek("t", df, koppen, eenheden={}, labels={},
                                                         bron="demo")}
    assert rijen["aandeel"]["eenheid"] == codeboek.FRACTIE
    assert rijen["aandeel"]["label"] == "Aandeel"
    assert rijen["aandeel_pct"]["eenheid"] == "%"


def test_share_above_one_is_a_percentage():
    df = pd.DataFrame({"aandeel": [23.0, 19.5]})
    koppen = codeboek.build_koppen(df, koppen={}, labels={}, eenheden={})
    assert koppen["aandeel"] == "Aandeel (%)"
