"""The markdown subset both render paths (Quarto, pandoc+typst) handle alike."""

from __future__ import annotations

import pytest

from helpers.core import config
from helpers.core.errors import PublicationGuardError
from helpers.publish import check_subset, subset_problemen
from helpers.publish.layout import md_tekst

GOED = """---
title: "Monitor"
format:
  html:
    include-before-body: _banner.html
---

## Hoofdstuk

Tekst met **nadruk**, *cursief*, een [link](downloads/x.csv) en een voetnoot.[^1]

### Sub

| Groep | n |
|:--|--:|
| a | 1.234 |

: Tabel 1. Titel. Bron: CBS.

![Figuur 1. Titel. Bron: CBS, 2024.](figuren/a.png){fig-alt="Beschrijving" width=80%}

> Een citaat.

[^1]: Voetnoot.
"""


def test_allowed_subset_passes():
    check_subset(GOED)
    assert subset_problemen(GOED) == []


@pytest.mark.parametrize(
    ("regel", "wat"),
    [
        ("```{python}\nprint(1)\n```", "uitvoerbaar codeblok"),
        ("```{r}\n1\n```", "uitvoerbaar codeblok"),
        ("Het is `{python} x` graden.", "uitvoerbare inline code"),
        ("{{< pagebreak >}}", "shortcode"),
        ("{{% include x %}}", "shortcode"),
        ("```{=html}\n<b>x</b>\n```", "raw blok"),
        ("Tekst `<b>`{=html} hier.", "raw blok"),
        ("<div class='x'>tekst</div>", "ruwe HTML"),
        ("Een <script>alert(1)</script> erin.", "ruwe HTML"),
        ("<!-- commentaar -->", "ruwe HTML"),
        ("::: {.callout-note}\nLet op\n:::", "callout"),
        ("::: {layout-ncol=2}\nx\n:::", "Quarto-layout"),
        ("Zie @fig-trend voor de trend.", "kruisverwijzing"),
        ("Zoals bekend [@smith2020].", "literatuurverwijzing"),
        ("![x](a.png){#fig-a}", "label voor kruisverwijzing"),
        ("Formule $x^2$ hier.", "TeX-formule"),
        ("#### Te diep", "kop dieper dan niveau 3"),
    ],
)
def test_constructs_outside_subset_are_refused(regel, wat):
    tekst = "## Kop\n\n" + regel + "\n"
    with pytest.raises(PublicationGuardError) as exc:
        check_subset(tekst, bron="test.qmd")
    msg = str(exc.value)
    assert wat in msg
    assert "test.qmd, regel 3" in msg


def test_escaped_free_text_stays_inside_subset():
    vrij = "<script>alert(1)</script> {{< x >}} @fig-a $5$ [@a] `{python} 1` | * _"
    assert subset_problemen("## Kop\n\n" + md_tekst(vrij) + "\n") == []


def test_front_matter_is_not_checked():
    assert subset_problemen('---\ntitle: "<b>x</b> {{< y >}}"\n---\n\nTekst\n') == []


def test_templates_and_narrative_are_inside_subset():
    """The researcher-editable narrative files must stay inside the subset."""
    teksten = sorted((config.ROOT / "reports" / "teksten").glob("publicatie_*.md"))
    assert len(teksten) >= 9
    for pad in teksten:
        assert subset_problemen(pad.read_text(encoding="utf-8"), pad.name) == [], pad.name
