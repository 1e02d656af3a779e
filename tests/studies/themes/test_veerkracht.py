"""Veerkracht en weerbaarheid: categories from the register, element frequencies with
suppression, elements per category. Hand-computed expectations."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.ingest.readers import segmenten
from helpers.studies.themes import common, veerkracht

KOP = "bron,respondent_of_sessie,focusgebied,segment,codes,toestemming,vrijgegeven,thema,interventie\n"


def test_categories_are_the_five_of_the_study():
    assert list(veerkracht.categorieen().values()) == [
        "Beter en eerder bereiken van jongeren", "Online weerbaarheid",
        "Positieve identiteitsontwikkeling", "Vroegsignalering van risicovol gedrag",
        "Sociale cohesie in de buurt"]


def test_categorie_overzicht_counts():
    o = veerkracht.categorie_overzicht().set_index("categorie")
    # register: 14 interventions in 7 areas (chapter 5 table)
    assert o["interventies"].sum() == 14
    assert o.loc["positieve_identiteit", "interventies"] == 8
    assert o.loc["positieve_identiteit", "fase_2"] == 4      # BuurtBazen + three in Vlaardingen
    assert o.loc["online_weerbaarheid", "focusgebieden"] == 1
    v = veerkracht.categorie_overzicht("vlaardingen-westwijk").set_index("categorie")
    assert v["interventies"].sum() == 5 and v["fase_2"].sum() == 5
    leeg = veerkracht.categorie_overzicht("breda-noord")
    assert len(leeg) == 5 and leeg["interventies"].sum() == 0


@pytest.fixture
def segs(tmp_path):
    rows = []
    # 12 respondents name vertrouwde_uitvoerders (>= MIN_N), 3 name positieve_insteek
    for i in range(12):
        rows.append(f"interview,v{i},Vlaardingen Westwijk,Fragment {i},"
                    f"werkzame_elementen/vertrouwde_uitvoerders,ja,ja,veerkracht,Out of the Bokx")
    for i in range(3):
        rows.append(f"interview,w{i},Rotterdam-Zuid,Ander fragment {i},"
                    f'"werkzame_elementen/positieve_insteek;knelpunten/capaciteit",ja,nee,veerkracht,(Be)Invloed')
    rows.append("interview,w9,Rotterdam-Zuid,Zonder interventie,werkzame_elementen/laagdrempelig,ja,ja,veerkracht,")
    rows.append("interview,x1,Lelystad,Ander thema,werkzame_elementen/laagdrempelig,ja,ja,sociale_cohesie,")
    p = tmp_path / "s.csv"
    p.write_text(KOP + "\n".join(rows) + "\n", encoding="utf-8")
    return segmenten.read_segments(p)


def test_thema_segmenten_and_frequencies_with_suppression(segs):
    s = common.thema_segmenten(segs, "veerkracht")
    assert len(s) == 16
    f = common.thema_frequenties(s, "werkzame_elementen").set_index("code")
    top = f.loc["werkzame_elementen/vertrouwde_uitvoerders"]
    assert top["respondenten"] == 12 and top["segmenten"] == 12
    assert top["aandeel_segmenten"] == pytest.approx(100 * 12 / 16)
    klein = f.loc["werkzame_elementen/positieve_insteek"]
    assert klein["onderdrukt"] == "primair"
    assert pd.isna(klein["respondenten"]) and pd.isna(klein["segmenten"])
    assert len(common.thema_segmenten(segs, "veerkracht", "rotterdam-zuid")) == 4
    assert common.thema_segmenten(segs, "veerkracht", "breda-noord").empty


def test_elementen_per_categorie(segs):
    s = common.thema_segmenten(segs, "veerkracht")
    m = veerkracht.elementen_per_categorie(s)
    assert m.loc["werkzame_elementen/vertrouwde_uitvoerders", "positieve_identiteit"] == 12
    assert m.loc["werkzame_elementen/positieve_insteek", "online_weerbaarheid"] == 3
    # the segment without a registered intervention does not count
    assert "werkzame_elementen/laagdrempelig" not in m.index
    assert list(m.columns) == list(veerkracht.categorieen())


def test_fragmenten_only_released(segs):
    s = common.thema_segmenten(segs, "veerkracht")
    r = common.show_fragmenten(s, "werkzame_elementen/positieve_insteek").gegevens
    assert r.empty     # consent but not released
    w = common.show_fragmenten(s, "werkzame_elementen", max_aantal=3)
    r = w.gegevens
    assert len(r) == 3 and "respondent_of_sessie" not in r.columns
    assert w.data.count("> ") == 6 and "<" not in w.data.replace("&lt;", "")  # quotes, escaped
