"""The PDF as a tagged PDF/UA-1 document (issue 14, points 6 and 7), checked with pypdf: a
structure tree with headings, tables and figures, every figure with its alternative text, the
document language, the title, the PDF/UA identifier and the page budget of a factsheet."""

from __future__ import annotations

import pytest

from helpers.publish import render
from helpers.publish.engine import RenderError, typst_pdf
from publish_fixtures import (
    GEBIEDEN,
    make_bronnen,
    make_runs,
    pdf_ua_problemen,
    render_kwargs,
    structuur,
)

FACTSHEET_PAGINAS = 2


@pytest.fixture(scope="module")
def editie(tmp_path_factory):
    base = tmp_path_factory.mktemp("pdfua")
    runs = make_runs(base, gebieden=GEBIEDEN[:2])
    return render(**render_kwargs(base, runs, make_bronnen(base), gebieden=GEBIEDEN[:2]))


def test_publication_is_tagged_pdf_ua(editie):
    from pypdf import PdfReader

    pad = editie.output / "publiekssamenvatting.pdf"
    assert pdf_ua_problemen(pad, titel="Publiekssamenvatting") == []
    elementen = structuur(PdfReader(pad))
    soorten = {e["S"] for e in elementen}
    assert {"/H2", "/Table", "/TH", "/TD", "/Figure"} <= soorten
    alts = [str(e["Alt"]) for e in elementen if e["S"] == "/Figure"]
    assert "Lijn die licht stijgt van 3,8 naar 3,95" in alts


@pytest.mark.parametrize("gebied", GEBIEDEN[:2], ids=[g for g, _ in GEBIEDEN[:2]])
def test_factsheet_is_tagged_pdf_ua_within_its_page_budget(editie, gebied):
    from pypdf import PdfReader

    gid, naam = gebied
    pad = editie.output / f"factsheet-{gid}.pdf"
    assert pdf_ua_problemen(pad, titel=f"Factsheet {naam}") == []
    assert len(PdfReader(pad).pages) <= FACTSHEET_PAGINAS
    alts = [str(e["Alt"]) for e in structuur(PdfReader(pad)) if e["S"] == "/Figure"]
    assert any(a.startswith(f"{naam} scoort ") and a.endswith(f"Trend van de leefbaarheid in {naam}")
               for a in alts), alts


def test_an_untagged_pdf_fails_the_check(tmp_path):
    """The check itself can fail: a PDF written without PDF/UA lacks what it looks for."""
    import typst

    typ = tmp_path / "a.typ"
    typ.write_text(
        '#set document(title: [A])\n#set text(lang: "nl")\n= Kop\n\nTekst.\n', encoding="utf-8"
    )
    pad = tmp_path / "a.pdf"
    typst.compile(str(typ), output=str(pad), root=str(tmp_path), pdf_tags=False)
    problemen = pdf_ua_problemen(pad, titel="A")
    assert any("getagd" in p for p in problemen) and any(
        "PDF/UA" in p or "structuur" in p for p in problemen
    )


def test_typst_refuses_a_figure_without_alternative_text(tmp_path):
    """With PDF/UA-1 typst refuses an image without alt text instead of writing the PDF."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2, 1))
    ax.plot([1, 2])
    fig.savefig(tmp_path / "f.png")
    plt.close(fig)
    typ = tmp_path / "a.typ"
    typ.write_text(
        '#set document(title: [A])\n#set text(lang: "nl")\n= Kop\n\n'
        '#figure(image("f.png"), caption: [F])\n',
        encoding="utf-8",
    )
    with pytest.raises(RenderError, match="(?i)alt"):
        typst_pdf(typ, tmp_path / "a.pdf", root=tmp_path)
    assert not (tmp_path / "a.pdf").exists()


def _typst_bron(tmp_path, markdown: str) -> str:
    """The typst source pandoc writes for ``markdown`` with the project's template and filter."""
    import shutil

    from helpers.publish.content import BRON_REPORTS
    from helpers.publish.engine import pandoc_typst

    shutil.copytree(BRON_REPORTS / "assets", tmp_path / "assets")
    qmd = tmp_path / "a.qmd"
    qmd.write_text("---\ntitle: A\nlang: nl\n---\n\n" + markdown, encoding="utf-8")
    return pandoc_typst(qmd, tmp_path / "a.typ", demo=False).read_text(encoding="utf-8")


def _kolombreedtes(typ: str) -> list[float]:
    import re

    m = re.search(r"columns: \(([^)]*)\)", typ)
    assert m, "geen kolombreedtes in de typst-bron"
    return [float(w.rstrip("%")) for w in m.group(1).split(",") if w.strip()]


def test_pdf_tables_give_the_label_column_room_and_never_break_a_number(tmp_path):
    """Typst's automatic widths squeeze a label column next to numeric columns with long
    headers (labels over three lines, half the annex): the filter sets widths from the text."""
    label = "Huishoudens met een inkomen onder of rond het sociaal minimum"
    rijen = "\n".join(f"| {label} {i} | € 28.900 | 4,5 |" for i in range(3))
    typ = _typst_bron(tmp_path, "| Indicator | Persoonlijke ontwikkeling en eigen regie | "
                      "Eerdere signalering en betere samenwerking |\n|:--|--:|--:|\n" + rijen
                      + "\n\n: Tabel 1. Test. Bron: test.\n")
    breedtes = _kolombreedtes(typ)
    assert len(breedtes) == 3 and abs(sum(breedtes) - 100) < 0.5
    assert breedtes[0] > 2 * max(breedtes[1:])  # the labels get the room
    # '€ 28.900' (8 characters at 8.5 pt) fits on one line in its column of 470 pt text width
    assert breedtes[1] / 100 * 470 >= 8 * 5.0


def test_only_the_annex_gets_compact_tables(tmp_path):
    typ = _typst_bron(tmp_path, "## Hoofdstuk\n\nTekst.\n\n## Bijlage: tabellen {.bijlage}\n\n"
                      "| A | B |\n|:--|--:|\n| x | 1 |\n\n: Tabel 1. Test. Bron: test.\n")
    hoofdstuk, _, bijlage = typ.partition("Bijlage: tabellen")
    assert "inset: (x: 3pt, y: 2pt)" in bijlage and "inset: (x: 3pt" not in hoofdstuk
