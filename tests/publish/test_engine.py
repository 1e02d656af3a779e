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
