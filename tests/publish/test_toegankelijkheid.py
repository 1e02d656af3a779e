"""Accessibility of the publication's own styling: WCAG 2.1 contrast of every CSS colour pair,
the colour-blind-safe palette, and the demo banner styles in HTML and typst."""

from __future__ import annotations

import re

import pytest

from helpers.core import config
from helpers.publish import build as bouw

CSS = config.ROOT / "reports" / "assets" / "publicatie.css"
TYPST = config.ROOT / "reports" / "assets" / "publicatie.typst"
WIT = "#ffffff"
TEKST = "#1a1a1a"


def luminantie(hex_kleur: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour '#rrggbb'."""
    h = hex_kleur.lstrip("#")
    kanalen = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in kanalen]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio (1..21)."""
    la, lb = sorted((luminantie(a), luminantie(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_formula_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def _regels(css: str) -> list[tuple[str, dict[str, str]]]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    uit = []
    for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        decl = dict(re.findall(r"([\w-]+)\s*:\s*([^;]+);?", body))
        uit.append((sel.strip(), {k: v.strip() for k, v in decl.items()}))
    return uit


def test_every_css_text_colour_has_aa_contrast():
    """Each rule's text colour against its own background (or white), >= 4.5:1 (AA)."""
    regels = _regels(CSS.read_text(encoding="utf-8"))
    gecontroleerd = 0
    for sel, decl in regels:
        kleur = decl.get("color")
        achtergrond = decl.get("background-color")
        if kleur and kleur.startswith("#"):
            tegen = achtergrond if achtergrond and achtergrond.startswith("#") else WIT
            assert contrast(kleur, tegen) >= 4.5, (sel, kleur, tegen)
            gecontroleerd += 1
        elif achtergrond and achtergrond.startswith("#"):
            assert contrast(TEKST, achtergrond) >= 4.5, (sel, TEKST, achtergrond)
            gecontroleerd += 1
    assert gecontroleerd >= 8


def test_typst_template_colours_have_aa_contrast():
    kleuren = set(re.findall(r'rgb\("(#[0-9a-fA-F]{6})"\)', TYPST.read_text(encoding="utf-8")))
    tekstkleuren = kleuren - {"#bfbfbf"}  # table rule lines, not text
    for k in tekstkleuren:
        assert contrast(k, WIT) >= 4.5, k


def test_demo_banner_contrast_and_sticky():
    css = next(d for sel, d in _regels(CSS.read_text(encoding="utf-8")) if sel == ".demo-banner")
    assert css["position"] == "sticky" and css["top"] == "0"
    assert contrast(css["color"], css["background-color"]) >= 4.5
    kleur = re.search(r'fill: rgb\("(#[0-9a-fA-F]{6})"\)', bouw.banner_typst()).group(1)
    assert contrast(WIT, kleur) >= 4.5
    assert 'class="demo-banner"' in bouw.banner_html()
    assert "fictieve demonstratiedata" in bouw.banner_html()


def test_palette_is_colour_blind_safe_okabe_ito():
    from helpers.kit.display import PALET

    okabe_ito = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
                 "#000000"}
    assert set(PALET) == okabe_ito


# --- the rendered HTML as a screen-reader user and a phone user get it -------------------------

SCROLL = "tabel-scroll"


@pytest.fixture(scope="module")
def editie(tmp_path_factory):
    from helpers.publish import render
    from publish_fixtures import make_bronnen, make_runs, render_kwargs

    base = tmp_path_factory.mktemp("toegankelijk")
    return render(**render_kwargs(base, make_runs(base), make_bronnen(base)))


def _pagina(editie, naam: str):
    import lxml.html

    return lxml.html.document_fromstring((editie.output / naam).read_text(encoding="utf-8"))


def _paginas(editie) -> list[str]:
    return sorted(p.name for p in editie.output.glob("*.html"))


def test_every_page_has_one_main_landmark_with_the_content(editie):
    for naam in _paginas(editie):
        doc = _pagina(editie, naam)
        mains = doc.findall(".//main")
        assert len(mains) == 1, naam
        main = mains[0]
        assert main.findall(".//h2"), f"{naam}: de hoofdstukken staan niet in <main>"
        assert main.find(".//h1") is None, f"{naam}: het titelblok hoort vóór <main>"
        assert not main.xpath(".//*[contains(@class, 'demo-banner')]"), naam
        assert main.find(".//nav") is None, f"{naam}: de inhoudsopgave hoort buiten <main>"
        # nothing with text outside a landmark (axe 'region'): banner region, header, nav, main
        for kind in doc.find("body"):
            if kind.tag in ("main", "header", "nav", "script", "style"):
                continue
            assert kind.get("role") == "region" and kind.get("aria-label"), (naam, kind.tag)


def test_page_titles_name_the_document(editie):
    titel = _pagina(editie, "publiekssamenvatting.html").findtext(".//title")
    assert titel.startswith("Publiekssamenvatting Monitor SPUK Kansrijke Wijk"), titel
    from publish_fixtures import GEBIEDEN

    for gid, naam in GEBIEDEN:
        assert _pagina(editie, f"factsheet-{gid}.html").findtext(".//title") == f"Factsheet {naam}"


def test_every_header_cell_has_a_scope_and_rows_have_row_headers(editie):
    tabellen = 0
    for naam in _paginas(editie):
        for tabel in _pagina(editie, naam).iter("table"):
            tabellen += 1
            assert all(th.get("scope") == "col" for th in tabel.findall("thead//th")), naam
            for th in tabel.iter("th"):
                assert th.get("scope") in ("col", "row"), (naam, th.text_content())
            eerste_kop = tabel.find("thead//th")
            if "right" not in (eerste_kop.get("style") or ""):
                for tr in tabel.findall("tbody/tr"):
                    assert tr[0].tag == "th" and tr[0].get("scope") == "row", naam
    assert tabellen >= 4


def test_wide_tables_scroll_inside_a_labelled_focusable_region(editie):
    from helpers.publish import toegankelijkheid

    breed = 0
    for naam in _paginas(editie):
        for tabel in _pagina(editie, naam).iter("table"):
            ouder = tabel.getparent()
            if toegankelijkheid.kolommen(tabel) <= toegankelijkheid.SMAL_KOLOMMEN:
                continue
            breed += 1
            assert SCROLL in (ouder.get("class") or "").split(), naam
            assert ouder.get("role") == "region" and ouder.get("tabindex") == "0", naam
            label = ouder.get("aria-label") or ""
            assert label and "Bron:" not in label, (naam, label)
    assert breed >= 2
    regels = dict(_regels(CSS.read_text(encoding="utf-8")))
    assert regels[f".{SCROLL}"]["overflow-x"] == "auto"


def test_no_zero_width_spaces_inside_words(editie):
    from helpers.publish import layout

    assert layout.cel("werkzame_elementen/vertrouwen_nabijheid", "code").find("\u200b") == -1
    for naam in _paginas(editie):
        tekst = (editie.output / naam).read_text(encoding="utf-8")
        assert "\u200b" not in tekst and "&#8203;" not in tekst, naam


def test_postprocessing_is_idempotent_and_keeps_numeric_first_columns():
    from helpers.publish.toegankelijkheid import build_toegankelijke_html

    bron = ("<!DOCTYPE html><html lang='nl'><head><title>x</title></head><body>"
            "<header><h1>T</h1></header><h2>Hoofdstuk</h2><table><caption>Tabel 1. A. Bron: B."
            "</caption><thead><tr><th style='text-align: right;'>Jaar</th><th>a</th><th>b</th>"
            "<th>c</th></tr></thead><tbody><tr><td>2024</td><td>1</td><td>2</td><td>3</td></tr>"
            "</tbody></table><p>x\u200by</p></body></html>")
    een = build_toegankelijke_html(bron)
    assert build_toegankelijke_html(een) == een
    assert een.count("<main>") == 1 and "<td>2024</td>" in een and "xy" in een
    assert 'aria-label="Tabel 1. A"' in een


def test_table_of_contents_links_every_chapter(editie):
    doc = _pagina(editie, "publiekssamenvatting.html")
    links = {a.get("href") for a in doc.findall(".//nav//a")}
    hoofdstukken = {f"#{h.get('id')}" for h in doc.findall(".//main//h2")}
    assert hoofdstukken and hoofdstukken <= links
    assert not any(f"#{h.get('id')}" in links for h in doc.findall(".//main//h3"))


def test_axe_core_finds_no_violations_at_1280(editie):
    """axe-core (WCAG 2.1 A/AA and best practice) on every page at 1280 px (Debian chromium,
    playwright, axe-playwright-python; skipped where missing, failing in CI)."""
    from publish_fixtures import axe_overtredingen

    assert axe_overtredingen([editie.output / n for n in _paginas(editie)], 1280) == {}


def test_no_sideways_page_scroll_in_chromium(editie):
    """At 390 and 1280 px the page is never wider than the screen (Debian chromium, playwright;
    skipped where missing, failing in CI)."""
    from publish_fixtures import paginabreedtes

    for breedte in (390, 1280):
        breed = paginabreedtes([editie.output / n for n in _paginas(editie)], breedte)
        assert breed and all(b <= breedte for b in breed.values()), (breedte, breed)


# --- readers never see internals: ids of areas, indicators and notebooks ----------------------

VERANTWOORDING = {"Colofon", "Bronnen", "Verantwoording"}  # provenance may name files and ids


def _lezerstekst(doc) -> str:
    """Text of <main> up to the provenance section (Colofon/Bronnen/Verantwoording)."""
    main = doc.find(".//main")
    delen = []
    for el in main:
        if el.tag == "h2" and el.text_content().strip() in VERANTWOORDING:
            break
        delen.append(el.text_content())
    return " ".join(" ".join(delen).split())


def _geregistreerde_ids() -> set[str]:
    from helpers.registers.focusgebieden import focusgebied_ids
    from helpers.registers.indicatoren import load_indicatoren

    notebooks = {p.stem for p in (config.ROOT / "notebooks").glob("*.ipynb")}
    ids = set(focusgebied_ids()) | set(load_indicatoren().ids) | notebooks
    return {i for i in ids if re.search(r"[_/-]", i)}  # code-like: a reader word has none


@pytest.fixture(scope="module")
def editie_met_ids(tmp_path_factory):
    """An edition where a notebook table holds area ids and indicator ids in its cells."""
    import pandas as pd

    from helpers.kit.output import Uitvoer
    from helpers.publish import render
    from helpers.registers.indicatoren import load_indicatoren
    from publish_fixtures import (
        GEBIEDEN,
        make_bronnen,
        make_runs,
        record_in_manifest,
        render_kwargs,
    )

    base = tmp_path_factory.mktemp("internals")
    runs = make_runs(base)
    ind = next(i for i in load_indicatoren() if "_" in i.id)
    u = Uitvoer("alle", "31_armoede_schulden", demo=True, base=runs)
    u.tabel(pd.DataFrame({"focusgebied": [g for g, _ in GEBIEDEN],
                          "indicator": [ind.id] * len(GEBIEDEN),
                          "waarde": [1.5, 2.5, 3.5], ind.id: [4.5, 5.5, 6.5]}),
            "per_gebied", titel="Een indicator per gebied", bron="CBS")
    u.write()
    record_in_manifest(runs, ["31_armoede_schulden"])
    return render(**render_kwargs(base, runs, make_bronnen(base))), ind


def test_readers_see_no_registered_ids_in_the_body(editie_met_ids):
    editie, ind = editie_met_ids
    ids = _geregistreerde_ids()
    assert {"utrecht-overvecht", ind.id, "31_armoede_schulden"} <= ids
    for naam in _paginas(editie):
        tekst = _lezerstekst(_pagina(editie, naam))
        gevonden = sorted(i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", tekst))
        assert not gevonden, (naam, gevonden)
    doc = _pagina(editie, "publiekssamenvatting.html")
    tekst = _lezerstekst(doc)
    assert "Utrecht Overvecht" in tekst and ind.label in tekst
    koppen = {" ".join(th.text_content().split()) for th in doc.findall(".//thead//th")}
    assert ind.label in koppen, "een kolom met een indicator-id heeft het label als kop"


def test_a_long_word_in_a_narrow_table_does_not_widen_the_page_at_390(tmp_path):
    """A narrow table (no scroll container) with an unbreakable token, such as a code path,
    wraps inside its cell instead of pushing the page sideways (the 519 px demo edition)."""
    from publish_fixtures import paginabreedtes

    lang = "knelpunten/tijdelijke_financiering_en_borging_van_de_aanpak_na_afloop"
    pad = tmp_path / "p.html"
    pad.write_text(
        f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>T</title>'
        f"<style>{CSS.read_text(encoding='utf-8')}</style></head><body><main><h1>T</h1>"
        f"<table><caption>Tabel 1.</caption><thead><tr><th scope='col'>Code</th>"
        f"<th scope='col'>Indicator</th></tr></thead><tbody><tr><td>{lang}</td>"
        f"<td>Tijdelijke financiering en borging</td></tr></tbody></table></main></body></html>",
        encoding="utf-8")
    assert paginabreedtes([pad], 390)["p.html"] <= 390
