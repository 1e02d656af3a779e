"""Plain Dutch (issue 14, point 3): short sentences in the body prose, statistical terms only in
the final section "Verantwoording"."""

from __future__ import annotations

import re

import pytest

from helpers.publish import content, leesbaarheid

TEKSTEN = content.BRON_REPORTS / "teksten"


def _pagina(main: str, nav: str = "") -> str:
    return (
        f"<html><head><title>t</title></head><body><nav>{nav}</nav><main>{main}</main>"
        "</body></html>"
    )


def test_sentences_and_their_length():
    zinnen = leesbaarheid.build_zinnen(
        ["Dit is kort. Nog een zin met zes woorden! Klaar?", "Een lijstpunt zonder punt"]
    )
    assert zinnen == [
        "Dit is kort.",
        "Nog een zin met zes woorden!",
        "Klaar?",
        "Een lijstpunt zonder punt",
    ]
    assert leesbaarheid.show_zinslengte(["Een twee drie. Vier vijf."]) == pytest.approx(2.5)
    # numbers with a decimal comma or a thousands point do not end a sentence
    assert len(leesbaarheid.build_zinnen(["Het waren 1.562 huishoudens, 36,7% nieuw."])) == 1


def test_body_prose_leaves_out_tables_figures_quotes_and_the_verantwoording():
    html = _pagina(
        "<h2>Hoofdstuk</h2><p>Lopende tekst hier.</p><table><tr><td><p>Cel.</p></td>"
        "</tr></table><figure><figcaption>Figuur 1.</figcaption></figure>"
        "<blockquote><p>Een verhaal.</p></blockquote><ul><li>Punt.</li></ul>"
        "<h2>Bijlage</h2><p>Overslaan.</p><h2>Verantwoording</h2><p>Methode.</p>"
    )
    assert leesbaarheid.build_lopende_tekst(html, zonder=["Bijlage"]) == [
        "Lopende tekst hier.",
        "Punt.",
    ]


def test_statistical_terms_only_in_the_verantwoording():
    termen = ["(95%-)?interval(len)?", "Wilson", "sha-?256"]
    goed = _pagina(
        "<h2>Hoofdstuk</h2><p>Gewone woorden.</p><h2>Verantwoording</h2>"
        "<p>Een 95%-interval (Wilson), sha256.</p>",
        nav="<a>Verantwoording</a>",
    )
    assert leesbaarheid.check_termen(goed, termen, pagina="p.html") == []
    fout = _pagina(
        "<h2>Hoofdstuk</h2><p>Met een interval.</p><table><tr><th>Sha256</th></tr>"
        "</table><h2>Verantwoording</h2>"
    )
    problemen = leesbaarheid.check_termen(fout, termen, pagina="p.html")
    assert [p.split("'")[1] for p in problemen] == ["interval", "Sha256"]
    assert problemen[0].startswith("p.html: statistische term 'interval' buiten de Verantwoording")


def _platte_markdown(tekst: str) -> list[str]:
    """Paragraphs and list items of a narrative file as plain text (headings left out)."""
    tekst = re.sub(r"\{\{[^}]+\}\}", "12", tekst)  # a number from the data
    blokken = []
    for blok in re.split(r"\n\s*\n|\n(?=\s*(?:[-*]|\d+\.) )", tekst):
        blok = blok.strip()
        if not blok or blok.startswith("#"):
            continue
        blok = re.sub(r"^\s*(?:[-*]|\d+\.)\s+", "", blok)
        blokken.append(" ".join(re.sub(r"[*_`]", "", blok).split()))
    return blokken


def _hoofdstuk_teksten() -> dict[str, str]:
    cfg = content.load_config()
    return {
        h["tekst"]: (TEKSTEN / h["tekst"]).read_text(encoding="utf-8") for h in cfg["hoofdstukken"]
    }


def test_narrative_sentences_average_at_most_twenty_words():
    for naam, tekst in _hoofdstuk_teksten().items():
        lengte = leesbaarheid.show_zinslengte(_platte_markdown(tekst))
        assert 0 < lengte <= leesbaarheid.MAX_ZINSLENGTE, (naam, lengte)


def test_narrative_uses_no_statistical_terms():
    termen = content.load_config()["statistische_termen"]
    assert len(termen) >= 10
    for naam, tekst in _hoofdstuk_teksten().items():
        for term in termen:
            m = re.search(rf"(?<![\w-])(?:{term})(?![\w-])", tekst, flags=re.I)
            assert m is None, (naam, m and m.group(0))


def test_rendered_body_prose_is_plain_dutch(tmp_path):
    from helpers.publish import render
    from publish_fixtures import make_bronnen, make_runs, render_kwargs

    editie = render(**render_kwargs(tmp_path, make_runs(tmp_path), make_bronnen(tmp_path)))
    html = (editie.output / "publiekssamenvatting.html").read_text(encoding="utf-8")
    proza = leesbaarheid.build_lopende_tekst(html, zonder=["Bijlage: tabellen", "Colofon"])
    assert sum(len(p.split()) for p in proza) > 2000
    assert leesbaarheid.show_zinslengte(proza) <= leesbaarheid.MAX_ZINSLENGTE
    cfg = content.load_config()
    assert leesbaarheid.check_termen(html, cfg["statistische_termen"], pagina="p") == []
    verantwoording = html.split(">Verantwoording</h2>", 1)[1]
    assert "sha256" in verantwoording.lower() and "editie.json" in verantwoording
