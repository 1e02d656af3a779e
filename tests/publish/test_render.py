"""The rendered publication as a reader gets it: HTML parsed, PDF text extracted, pages rasterised.

One module-scoped render of hand-made notebook outputs (three areas) feeds most tests.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.core import config
from helpers.core.provenance import DEMO_LABEL
from helpers.publish import guards, render
from publish_fixtures import GEBIEDEN, XSS, make_bronnen, make_runs, render_kwargs

HOOFDSTUKKEN = ["Inleiding", "De wijken in cijfers", "Effectiviteit en samenhang",
                "Re-integratie: groepsaanpak en wijkbanen",
                "Procesevaluatie: de samenwerking in de focusgebieden", "Bijlage: tabellen", "Colofon",
                "Verantwoording"]


@pytest.fixture(scope="module")
def editie(tmp_path_factory):
    base = tmp_path_factory.mktemp("publicatie")
    runs = make_runs(base)
    processed = make_bronnen(base)
    resultaat = render(**render_kwargs(base, runs, processed))
    return resultaat


def _html(editie, naam: str) -> str:
    return (editie.output / naam).read_text(encoding="utf-8")


def _plat(tekst: str) -> str:
    """HTML source unescaped with whitespace normalised (pandoc wraps long lines)."""
    return " ".join(html.unescape(tekst).split())


def _pdf_teksten(pad: Path) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() or "" for p in PdfReader(pad).pages]


def test_all_documents_written(editie):
    namen = {p.name for p in editie.output.iterdir()}
    verwacht = {"publiekssamenvatting.html", "publiekssamenvatting.pdf", "editie.json"}
    verwacht |= {f"factsheet-{g}.{ext}" for g, _ in GEBIEDEN for ext in ("html", "pdf")}
    assert verwacht <= namen
    assert editie.demo is True
    assert editie.renderer["naam"] == "pandoc+typst"


@pytest.mark.parametrize("pagina", ["publiekssamenvatting.html",
                                    *[f"factsheet-{g}.html" for g, _ in GEBIEDEN]])
def test_html_as_a_reader_gets_it(editie, pagina):
    tekst = _html(editie, pagina)
    lezer = guards.read_html(tekst)
    assert lezer.lang == "nl"
    assert guards.kopvolgorde(lezer.koppen) == []
    assert lezer.banners == 1
    assert lezer.scripts_body == 0 and "<script" not in tekst
    assert lezer.afbeeldingen, "every page has at least one figure"
    for img in lezer.afbeeldingen:
        assert img["src"].startswith("data:image/"), "self-contained: images embedded"
        assert img.get("alt", "").strip()
    for href in lezer.links:
        if not href.startswith(("http", "#", "mailto:")):
            assert (editie.output / href).exists(), href
    assert guards.check_html(tekst, pagina=pagina, map=editie.output, demo=True) == []


def test_every_figure_present_with_alt_and_caption(editie):
    lezer = guards.read_html(_html(editie, "publiekssamenvatting.html"))
    alts = [i["alt"] for i in lezer.afbeeldingen]
    assert alts == ["Lijn die licht stijgt van 3,8 naar 3,95"]
    tekst = _html(editie, "publiekssamenvatting.html")
    assert ("Figuur 1. Leefbaarometer-score in de focusgebieden. Bron: Leefbaarometer 3.0 (BZK), "
            "2022.") in _plat(tekst)
    fs = guards.read_html(_html(editie, "factsheet-rotterdam-zuid.html"))
    # the finding from the data first (issue 14.5), then the figure's own description
    assert [i["alt"] for i in fs.afbeeldingen] == [
        "Rotterdam Zuid scoort 3,92 (2024). Trend van de leefbaarheid in Rotterdam Zuid"]


def test_headings_in_order(editie):
    koppen = [t for n, t in guards.read_html(_html(editie, "publiekssamenvatting.html")).koppen
              if n == 2]
    for h in HOOFDSTUKKEN:
        assert h in koppen
    assert koppen.index("Inleiding") < koppen.index("Procesevaluatie: de samenwerking in de focusgebieden") \
        < koppen.index("Colofon")


def test_free_text_is_escaped(editie):
    tekst = _html(editie, "publiekssamenvatting.html")
    assert XSS not in tekst
    assert html.escape(XSS, quote=False) in tekst
    assert "ideeën &amp; plannen" in tekst


def test_dutch_numbers_and_suppression(editie):
    tekst = _plat(_html(editie, "publiekssamenvatting.html"))
    # key numbers inside the narrative ({{NB/kerncijfer}}), with their unit
    assert "samen 3,91" in tekst and "2024 was de score" in tekst
    assert "42,4%" in tekst
    assert "3,91" in tekst and "3.91" not in tekst
    assert "12.345" in tekst
    assert "2 december 2026" in tekst
    assert "Tekens: x = niet gepubliceerd" in tekst
    # the residents' group (n = 6) shows no shares and no n below min_n: '< 10' (issue 13)
    assert "| bewoner |" not in tekst
    assert re.search(r"<td[^>]*>bewoner</td> <td[^>]*>< 10</td> <td[^>]*>x</td> <td[^>]*>x</td>",
                     tekst)
    assert not re.search(r"<td[^>]*>bewoner</td> <td[^>]*>6</td>", tekst)


def test_factsheet_shows_only_its_area(editie):
    tekst = _plat(_html(editie, "factsheet-rotterdam-zuid.html"))
    assert "Factsheet Rotterdam Zuid" in tekst
    assert "13.345" in tekst
    assert "Utrecht Overvecht" not in tekst
    assert "Werkdefinitie van Rotterdam Zuid." in tekst
    assert "Rest van de gemeente" in tekst  # Dutch header from params/publicatie.yml
    assert "13.345 inwoners (2024)" in tekst  # inhabitants in the header


def test_factsheet_for_readers_on_two_pages(editie):
    """Issue 14.4: name, inhabitants, how to read it, map and trend, at most twelve key
    indicators with their bands, the area's interventions; provenance only in the
    publication's Verantwoording; two A4 pages."""
    from pypdf import PdfReader

    from helpers.publish.factsheet import MAX_INDICATOREN

    for g, _naam in GEBIEDEN:
        html_tekst = _html(editie, f"factsheet-{g}.html")
        koppen = [t for n, t in guards.read_html(html_tekst).koppen if n == 2]
        assert koppen == ["Zo lees je deze factsheet", "Kaart en Leefbaarometer", "Kerncijfers",
                          "Aanpakken in de verdiepende studies"], g
        tekst = _plat(html_tekst)
        for intern in ("sha256", "bronnen.json", "editie.json", "commit", "assumptions-caveats"):
            assert intern not in tekst.lower(), (g, intern)
        assert len(PdfReader(editie.output / f"factsheet-{g}.pdf").pages) <= 2, g
        kern = html_tekst.split(">Kerncijfers</h2>", 1)[1].split("</table>", 1)[0]
        assert 1 <= kern.count("<tr") - 1 <= MAX_INDICATOREN
    rz = _plat(_html(editie, "factsheet-rotterdam-zuid.html"))
    assert "Kind en Werkgeluk" in rz and "Re-integratie:" in rz  # from params/interventies.yml


def test_pdf_text_headings_and_banner_on_every_page(editie):
    pagina_s = _pdf_teksten(editie.output / "publiekssamenvatting.pdf")
    assert len(pagina_s) >= 3
    for i, t in enumerate(pagina_s, start=1):
        assert DEMO_LABEL in t, f"banner missing on page {i}"
    alles = "\n".join(pagina_s)
    for h in ("Inleiding", "Colofon", "Procesevaluatie: de samenwerking in de focusgebieden"):
        assert h in alles
    assert "<script>alert(1)</script>" in alles  # shown as text
    for g, naam in GEBIEDEN:
        fs = _pdf_teksten(editie.output / f"factsheet-{g}.pdf")
        assert all(DEMO_LABEL in t for t in fs)
        assert f"Factsheet {naam}" in fs[0]


def test_pdf_pages_rasterised_for_review(editie, tmp_path):
    """Render every PDF page to PNG (pypdfium2) and check the red banner strip at the top."""
    import numpy as np
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(editie.output / "publiekssamenvatting.pdf"))
    for i in range(len(pdf)):
        beeld = pdf[i].render(scale=0.6).to_pil().convert("RGB")
        beeld.save(tmp_path / f"pagina-{i + 1}.png")
        boven = beeld.crop((0, 0, beeld.width, int(beeld.height * 0.08)))
        a = np.asarray(boven)
        rood = int(((a[..., 0] > 150) & (a[..., 1] < 40) & (a[..., 2] < 60)).sum())
        assert rood > 500, f"no demo banner at the top of page {i + 1}"
    assert len(list(tmp_path.glob("pagina-*.png"))) == len(pdf)


def test_edition_record(editie):
    record = json.loads((editie.output / "editie.json").read_text(encoding="utf-8"))
    assert record["demo"] is True
    assert record["renderer"]["pandoc"] == "3.6.1"
    assert record["renderer"]["typst"] == "0.15.2"
    assert record["code"]["commit"] is None or len(record["code"]["commit"]) == 40
    assert {b["formaat"] for b in record["bronnen"]} == {"kwb-statline", "leefbaarometer-csv"}
    nbs = {n["notebook"]: n for n in record["notebookuitvoer"]}
    assert set(nbs) == {"10_indicatorbasis", "20_procesevaluatie", "40_samenhang"}
    assert len(nbs["10_indicatorbasis"]["sha256"]) == 64
    assert "dimensies_lbm.png" in nbs["10_indicatorbasis"]["bestanden"]
    assert "publiekssamenvatting.pdf" in record["uitvoer"]
    assert record["parameters"]["gebieden"] == [g for g, _ in GEBIEDEN]


def test_downloads_csv_and_xlsx_with_attribution(editie):
    import pandas as pd
    from openpyxl import load_workbook

    dl = editie.output / "downloads"
    csv = pd.read_csv(dl / "10_indicatorbasis-kerncijfers_per_gebied.csv")
    # reader labels as headers (the publication's), ids kept in the cells for data users
    assert list(csv["Focusgebied"].unique()) == [g for g, _ in GEBIEDEN]
    assert {"Rest van de gemeente", "Nederland", "n"} <= set(csv.columns)
    codeboek = pd.read_excel(dl / "publiekssamenvatting-tabellen.xlsx", sheet_name="Codeboek")
    assert list(codeboek.columns) == ["blad", "kolom", "id", "label", "eenheid", "bron"]
    rij = codeboek[(codeboek["id"] == "gemeente_rest")].iloc[0]
    assert rij["kolom"] == "Rest van de gemeente" and rij["bron"] == "Bron: CBS"
    assert (dl / "codeboek.csv").exists()
    wb = load_workbook(dl / "publiekssamenvatting-tabellen.xlsx")
    assert "Metadata" in wb.sheetnames
    meta = pd.read_excel(dl / "publiekssamenvatting-tabellen.xlsx", sheet_name="Metadata")
    attributie = dict(zip(meta["bestand"], meta["attributie"], strict=True))
    assert attributie["10_indicatorbasis-kerncijfers_per_gebied.csv"] == "Bron: CBS"
    assert "Sprockler" in attributie["20_procesevaluatie-bipolen.csv"]
    blad = wb[meta.loc[meta.bestand.str.contains("kerncijfers"), "blad"].iloc[0]]
    assert blad["A2"].value == "Bron: CBS"
    assert DEMO_LABEL in blad["A3"].value
    # stories are never offered as a download
    assert not any("verhalen" in p.name for p in dl.iterdir())
    assert (dl / "aannames-en-kanttekeningen.md").exists()


def test_non_demo_edition_has_no_banner(tmp_path):
    runs = make_runs(tmp_path, gebieden=GEBIEDEN[:1], demo=False)
    processed = make_bronnen(tmp_path, demo=False)
    r = render(**render_kwargs(tmp_path, runs, processed, gebieden=GEBIEDEN[:1]))
    assert r.demo is False
    tekst = (r.output / "publiekssamenvatting.html").read_text(encoding="utf-8")
    assert guards.read_html(tekst).banners == 0
    assert DEMO_LABEL not in "".join(_pdf_teksten(r.output / "publiekssamenvatting.pdf"))


def test_rerender_replaces_output_atomically(tmp_path):
    runs = make_runs(tmp_path, gebieden=GEBIEDEN[:2])
    processed = make_bronnen(tmp_path)
    render(**render_kwargs(tmp_path, runs, processed, gebieden=GEBIEDEN[:2]))
    r = render(**render_kwargs(tmp_path, runs, processed, gebieden=GEBIEDEN[:1]))
    namen = {p.name for p in r.output.iterdir()}
    assert f"factsheet-{GEBIEDEN[1][0]}.html" not in namen  # stale factsheet gone
    rest = list(tmp_path.rglob("_output.tmp-*")) + list(tmp_path.rglob("_output.oud-*"))
    assert rest == []


def test_engine_pins():
    """pandoc 3.6.1 (pypandoc-binary 1.15) and typst 0.15.2 (PDF/UA-1) are the pinned pair."""
    import pypandoc
    import typst

    from helpers.publish.engine import renderer_info

    assert pypandoc.get_pandoc_version() == "3.6.1"
    assert renderer_info()["typst"] == "0.15.2"
    assert hasattr(typst, "compile")


@pytest.mark.slow
def test_cli_renders_twenty_factsheets(tmp_path):
    """End to end through the CLI: ``wijkmonitor render --no-run`` for all 20 registry areas."""
    from helpers.registers import focusgebieden as registry

    gebieden = [(g.id, g.naam) for g in registry.load_focusgebieden()]
    reports = tmp_path / "reports"
    make_runs(reports, gebieden=gebieden)
    processed = make_bronnen(tmp_path)
    env = {**os.environ, "WIJKMONITOR_REPORTS": str(reports),
           "WIJKMONITOR_PROCESSED": str(processed)}
    exe = Path(sys.executable).parent / "wijkmonitor"
    proc = subprocess.run([str(exe), "render", "--no-run", "--jobs", "2"], env=env,
                          capture_output=True, text=True, timeout=600, cwd=config.ROOT)
    assert proc.returncode == 0, proc.stderr
    out = reports / "_output"
    assert len(list(out.glob("factsheet-*.html"))) == 20
    assert len(list(out.glob("factsheet-*.pdf"))) == 20
    assert "fictieve demonstratiedata" in proc.stdout


def test_pdf_figures_carry_alt_text(editie):
    """The fallback path passes fig-alt into typst's image(alt: ...) (PDF accessibility)."""
    typ = (editie.output.parent / "_gegenereerd" / "publiekssamenvatting.typ").read_text(
        encoding="utf-8")
    assert '#image("figuren/alle/10_indicatorbasis/dimensies_lbm.png", alt: "Lijn die licht ' \
           'stijgt van 3,8 naar 3,95")' in typ


def _koppen(editie, naam: str) -> list[tuple[int, str]]:
    return guards.read_html(_html(editie, naam)).koppen


def test_theme_chapters_keep_their_sections_without_data(editie):
    """The fixture edition has no theme notebooks: every theme chapter keeps all its headings,
    shows its intervention table from the registry and says in one sentence that data are
    missing."""
    from helpers.publish.chapters import GEEN_CIJFERS

    koppen = _koppen(editie, "publiekssamenvatting.html")
    titels = [t for _, t in koppen]
    for thema in ("Preventie armoede en schulden: informele netwerken",
                  "Jonge kind: bereik van voorschoolse educatie"):
        i = titels.index(thema)
        volgende = titels[i + 1:i + 9]
        assert volgende == ["Kernboodschap", "Inleiding", "(Vernieuwende) aanpakken",
                            "Wat de cijfers laten zien", "Ervaren effecten", "Werkzame elementen",
                            "Knelpunten", "Aanbevelingen"]
    tekst = _plat(_html(editie, "publiekssamenvatting.html"))
    assert tekst.count(GEEN_CIJFERS) >= 5
    tabellen = set(re.findall(r'Tabel \d+\. \(Vernieuwende\) aanpakken: ([^.<"]+)', tekst))
    assert len(tabellen) == 5, tabellen  # one table per theme, all five
    assert "In fase 2 ging de studie dieper in op" in tekst


def test_colofon_for_readers_and_provenance_only_in_the_verantwoording(editie):
    import yaml

    cfg = yaml.safe_load((config.PARAMS / "publicatie.yml").read_text(encoding="utf-8"))
    tekst = _plat(_html(editie, "publiekssamenvatting.html"))
    body, _, verantwoording = tekst.rpartition('id="verantwoording"')
    colofon = body.rpartition('id="colofon"')[2]
    for waarde in (cfg["colofon"]["uitgever"], cfg["colofon"]["contact"], "2 december 2026",
                   "Bron: CBS"):
        assert waarde in colofon, waarde
    for intern in ("editie.json", "sha256", "commit", "bronnen.json", "assumptions-caveats"):
        assert intern not in body.split('id="downloads"')[0].lower(), intern
    assert "editie.json" in verantwoording and "sha256" in verantwoording.lower()
