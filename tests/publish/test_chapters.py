"""Chapters of the publiekssamenvatting (helpers.publish.chapters): narrative sections by heading,
numbers from the data, the intervention tables of all five themes, stories by a stated rule."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from helpers.publish import chapters, content
from helpers.publish.content import Resultaat
from helpers.registers import interventies

TEKSTEN = content.BRON_REPORTS / "teksten"
THEMA_SECTIES = [
    "Kernboodschap",
    "Inleiding",
    "(Vernieuwende) aanpakken",
    "Wat de cijfers laten zien",
    "Ervaren effecten",
    "Werkzame elementen",
    "Knelpunten",
    "Aanbevelingen",
]
ADRESSANTEN = re.compile(
    r"\b(Rijk|gemeenten|partners|uitvoerende partners|programmabureaus|"
    r"welzijnsorganisaties)\b"
)


def _resultaat(tmp_path, nb="31_x", kerncijfers=None, tabellen=None, figuren=None):
    return Resultaat(
        gebied="alle",
        notebook=nb,
        map=tmp_path / nb,
        data={
            "kerncijfers": kerncijfers or {},
            "tabellen": tabellen or {},
            "figuren": figuren or {},
            "teksten": {},
        },
    )


def _bronnen(resultaten=None, tabellen=None):
    teller = {"tabel": 0}

    def lezerstabel(df, *, titel, bron, koppen=None, legenda=None):
        teller["tabel"] += 1
        return f"TABEL {titel} ({len(df)} rijen) {legenda or ''}"

    return chapters.Bronnen(
        resultaten=resultaten or {},
        tabellen=tabellen or {},
        labels={"amsterdam-zuidoost": "Amsterdam Zuidoost"},
        figuur=lambda r, naam, meta: f"FIGUUR {naam}",
        tabel=lambda r, naam, meta, df: f"NBTABEL {naam}",
        lezerstabel=lezerstabel,
    )


def test_sections_are_cut_at_level_three_headings():
    tekst = "Intro.\n\n### Kernboodschap\n\nKern.\n\n### Inleiding\nVraag.\n```\n### geen kop\n```"
    secties = chapters.build_secties(tekst)
    assert [k for k, _ in secties] == ["", "Kernboodschap", "Inleiding"]
    assert secties[0][1] == "Intro."
    assert "### geen kop" in secties[2][1]


def test_numbers_in_the_narrative_come_from_the_data_with_units(tmp_path):
    r = _resultaat(
        tmp_path,
        kerncijfers={
            "aandeel": {"waarde": 36.68, "eenheid": "procent", "jaar": 2025},
            "budget": {"waarde": 162000.0, "eenheid": "euro"},
            "score": {"waarde": 4.0461, "eenheid": "score"},
            "aantal": {"waarde": 1562, "eenheid": "aantal"},
        },
    )
    tekst, mist = chapters.fill_cijfers(
        "In {{31_x/aandeel:jaar}} was {{31_x/aandeel}} nieuw; budget {{31_x/budget}}; score "
        "{{31_x/score}}; {{31_x/aantal}} huishoudens.",
        {"31_x": r},
    )
    assert tekst == "In 2025 was 37% nieuw; budget € 162.000; score 4,05; 1.562 huishoudens."
    assert mist == []


def test_a_paragraph_without_its_number_says_so_in_one_sentence(tmp_path):
    tekst, mist = chapters.fill_cijfers(
        "Eerst {{31_x/weg}}.\n\nDan {{32_y/ook_weg}}.\n\nGewone tekst.", {}
    )
    assert tekst == f"{chapters.GEEN_CIJFERS}\n\nGewone tekst."
    assert mist == ["31_x/weg", "32_y/ook_weg"]


def test_a_missing_required_section_is_a_problem(tmp_path):
    h = {"id": "armoede", "secties": ["Kernboodschap", "Knelpunten"], "blokken": {}}
    secties, problemen = chapters.build_hoofdstuk(
        h, "### Kernboodschap\n\nKern.", _bronnen(), bron="reports/teksten/x.md"
    )
    assert [s["kop"] for s in secties] == ["Kernboodschap"]
    assert problemen == [
        "reports/teksten/x.md: sectie '### Knelpunten' ontbreekt (verplicht in "
        "params/publicatie.yml, hoofdstuk 'armoede')"
    ]


def test_a_section_whose_data_are_missing_keeps_its_heading_and_says_so():
    h = {
        "id": "t",
        "secties": ["Wat de cijfers laten zien"],
        "blokken": {"Wat de cijfers laten zien": ["figuur 31_x/netwerk", "tabel 31_x/codes"]},
    }
    secties, problemen = chapters.build_hoofdstuk(
        h, "### Wat de cijfers laten zien\n\nTekst.", _bronnen(), bron="x.md"
    )
    assert problemen == []
    assert secties[0]["blokken"] == [chapters.GEEN_CIJFERS]


def test_blocks_follow_their_section(tmp_path):
    (tmp_path / "31_x").mkdir()
    (tmp_path / "31_x" / "netwerk.png").write_bytes(b"png")
    r = _resultaat(
        tmp_path,
        figuren={"netwerk": {"bestand": "netwerk.png"}},
        tabellen={"codes": {"bestand": "codes.csv"}},
    )
    b = _bronnen({"31_x": r}, {"31_x": {"codes": pd.DataFrame({"a": [1]})}})
    h = {"id": "t", "blokken": {"Cijfers": ["figuur 31_x/netwerk", "tabel 31_x/codes"]}}
    secties, _ = chapters.build_hoofdstuk(h, "### Cijfers\n\nTekst.", b, bron="x.md")
    assert secties[0]["blokken"] == ["FIGUUR netwerk", "NBTABEL codes"]
    assert b.geplaatst == {("31_x", "codes")}


@pytest.mark.parametrize("thema", list(interventies.THEMAS))
def test_intervention_table_and_phases_from_the_registry_for_every_theme(thema):
    df = interventies.load_interventies(thema)
    b = _bronnen()
    tabel = chapters.build_interventietabel(thema, b)
    assert tabel.startswith("TABEL (Vernieuwende) aanpakken") and f"({len(df)} rijen)" in tabel
    assert "x = in deze fase onderzocht" in tabel  # the symbol legend under the table
    zin = chapters.build_fasen(thema, b)
    een = df.loc[df["fase_1"] != "", "focusgebied"].nunique()
    if een:
        assert f"in {een} focusgebieden" in zin


def test_at_most_three_consented_stories_chosen_by_the_stated_rule():
    df = pd.DataFrame(
        {
            "bouwsteen": ["b", "a", "a", "c", "d", "a"],
            "kant": ["positief", "negatief", "positief", "positief", "negatief", "positief"],
            "titel": ["B+", "A-", "A+", "C+", "D-", "A+2"],
            "verhaal": ["vb", "va-", "va+", "vc", "vd", "va+2"],
            "toestemming": [True, True, False, True, True, True],
            "vrijgegeven": [True, True, True, True, True, True],
        }
    )
    uit = chapters.build_verhalen(df, ["a", "b", "c", "d"])
    assert uit.startswith(chapters.VERHALEN_REGEL)
    # a: first positive story with consent (A+ has none -> A+2); b: a negative one if any, else
    # the first; c: positive again; d is not reached (three at most)
    assert re.findall(r"\*\*(.+?)\*\*", uit) == ["A\\+2", "B\\+", "C\\+"]
    assert "va+" not in uit.replace("va\\+2", "")


def test_stories_without_consent_are_never_shown():
    df = pd.DataFrame({"verhaal": ["geheim"], "toestemming": [False], "vrijgegeven": [True]})
    assert chapters.build_verhalen(df) == chapters.GEEN_CIJFERS


def test_examples_table_has_at_most_eight_rows():
    import yaml

    data = yaml.safe_load((TEKSTEN / "publicatie_meervoudige_effecten.yml").read_text("utf-8"))
    assert 1 <= len(data["rijen"]) <= chapters.MAX_VOORBEELDEN
    assert len(data["kolommen"]) <= 6


# --- the project's own narrative -------------------------------------------------------------


def _hoofdstuk(hid: str) -> tuple[dict, str]:
    cfg = content.load_config()
    h = next(h for h in cfg["hoofdstukken"] if h["id"] == hid)
    return h, (TEKSTEN / h["tekst"]).read_text(encoding="utf-8")


def test_every_chapter_text_has_its_required_sections():
    cfg = content.load_config()
    for h in cfg["hoofdstukken"]:
        koppen = [k for k, _ in chapters.build_secties((TEKSTEN / h["tekst"]).read_text("utf-8"))]
        for kop in [*(h.get("secties") or []), *(h.get("blokken") or {})]:
            assert kop in koppen, (h["tekst"], kop)


def test_the_structure_of_the_source_document():
    cfg = content.load_config()
    ids = [h["id"] for h in cfg["hoofdstukken"]]
    assert (
        ids[:3] == ["inleiding", "wijken-in-cijfers", "samenhang"] and ids[-1] == "procesevaluatie"
    )
    assert _hoofdstuk("inleiding")[0]["secties"] == [
        "Het programma",
        "Wat de monitor vraagt",
        "Leeswijzer",
    ]
    themas = [
        h
        for h in cfg["hoofdstukken"]
        if any(s.startswith("interventies ") for b in (h.get("blokken") or {}).values() for s in b)
    ]
    assert sorted(
        s.split()[1]
        for h in themas
        for b in h["blokken"].values()
        for s in b
        if s.startswith("interventies ")
    ) == sorted(interventies.THEMAS)
    for h in themas:
        assert h["secties"] == THEMA_SECTIES, h["id"]
    proces = _hoofdstuk("procesevaluatie")[0]
    figuren = {k: v for k, v in proces["blokken"].items() if any(s.startswith("figuur") for s in v)}
    assert all(len(v) == 1 for v in figuren.values())  # one figure per building block
    assert proces["blokken"]["Verhalen van deelnemers"] == ["verhalen 20_procesevaluatie/verhalen"]


def test_cross_theme_recommendations_each_a_heading_a_paragraph_and_an_addressee():
    h, tekst = _hoofdstuk("samenhang")
    aanbevelingen = [
        (k, t) for k, t in chapters.build_secties(tekst) if k.startswith("Aanbeveling ")
    ]
    assert len(aanbevelingen) >= 3
    for kop, inhoud in aanbevelingen:
        alinea, _, voor = inhoud.rpartition("**Voor wie:**")
        assert len(alinea.split()) >= 20, kop
        assert ADRESSANTEN.search(voor), kop
    assert "Vragen voor de volgende monitor" in [k for k, _ in chapters.build_secties(tekst)]


@pytest.mark.parametrize(
    "hid", ["armoede-schulden", "reintegratie", "veerkracht", "jonge-kind", "sociale-cohesie"]
)
def test_theme_recommendations_name_their_addressee(hid):
    _, tekst = _hoofdstuk(hid)
    inhoud = dict(chapters.build_secties(tekst))["Aanbevelingen"]
    items = re.split(r"\n(?=\d+\. )", inhoud.strip())
    assert len(items) >= 3
    for item in items:
        assert "*Voor wie:*" in item and ADRESSANTEN.search(item.split("*Voor wie:*")[1]), item


def test_factsheet_bands_have_colour_sign_and_words():
    from helpers.publish import factsheet

    assert factsheet.build_band("duidelijk lager") == "[▼▼ duidelijk lager]{.band-lager}"
    assert factsheet.build_band("hoger") == "[▲ hoger]{.band-hoger}"
    assert factsheet.build_band(None) == "\\."
    cfg = content.load_config()
    assert 1 <= len(cfg["factsheet"]["indicatoren"]) <= factsheet.MAX_INDICATOREN
    css = (content.BRON_REPORTS / "assets" / "publicatie.css").read_text(encoding="utf-8")
    lua = (content.BRON_REPORTS / "assets" / "fig-alt.lua").read_text(encoding="utf-8")
    for klasse in ("band-lager", "band-hoger", "band-gelijk"):
        assert f".{klasse}" in css and f"['{klasse}']" in lua
    assert "=" not in factsheet.build_band("gelijk").split("]")[0]  # '=' opens a Typst heading


def test_factsheet_figures_alt_text_states_the_finding_from_the_data():
    from helpers.publish import factsheet

    df = pd.DataFrame({"focusgebied": ["utrecht-overvecht"], "indicator": ["lbm"],
                       "waarde": [3.8412], "peiljaar": [2024], "gemeente_rest": [4.1311],
                       "nederland": [4.16], "band_gemeente_rest": ["lager"],
                       "band_nederland": ["gelijk"]})
    zin = factsheet.build_bevinding(df, "utrecht-overvecht", "Overvecht", "Utrecht")
    assert zin == ("Overvecht scoort 3,84 (2024), lager dan de rest van Utrecht (4,13) en "
                   "ongeveer gelijk aan Nederland (4,16).")
    assert factsheet.build_bevinding(df, "elders", "X", "Y") == ""
