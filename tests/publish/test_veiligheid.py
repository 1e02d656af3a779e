"""HTML safe by construction (issue 13, point 1): researcher texts checked on pandoc's AST, every
produced HTML page against an allow-list, and the Typst output escaping hostile data as text."""

from __future__ import annotations

import base64
import re
import shutil

import pytest

from helpers.core.errors import PublicationGuardError
from helpers.publish import render
from helpers.publish.content import BRON_REPORTS
from helpers.publish.veiligheid import (
    build_eigen_hashes,
    doel_probleem,
    html_problemen,
    tekst_problemen,
)
from publish_fixtures import GEBIEDEN, make_bronnen, make_runs, render_kwargs

# --- researcher texts ---------------------------------------------------------------------------

GOEDE_TEKST = """## Een kop

Tekst met **nadruk**, *cursief*, een [link](https://www.nplv.nl/), een [anker](#inleiding) en
een voetnoot.[^1] Een autolink: <https://www.cbs.nl/>.

- een punt
- nog een punt

| Groep | n |
|:--|--:|
| a | 1.234 |

![Figuur 1. Titel.](figuren/alle/10_indicatorbasis/lbm.png)

> Een citaat &amp; meer.

```
gewone code zonder taal
```

[^1]: Voetnoot.
"""

HOSTIEL = [
    ("Tekst [x]{onmouseover=alert(1)} meer.", 1, "span", "onmouseover"),
    ("Intro.\n\n::: {onclick=alert(1)}\nBlok.\n:::\n", 3, "blok", "onclick"),
    ("![f](figuren/a.png){onload=alert(1)}", 1, "afbeelding", "onload"),
    ("Intro.\n\nKlik [x](javascript:alert(1)).", 3, "javascript", "schema"),
    ("Een\n\n![b](/etc/passwd)", 3, "/etc/passwd", "absoluut pad"),
    ("![b](../../params/focusgebieden.yml)", 1, "..", "buiten reports"),
    ("![b](data:image/png;base64,iVBORw0KGgo=)", 1, "data", "schema"),
    ("[x](//evil.example/x)", 1, "evil", "andere server"),
    ("[x](%2e%2e/%2e%2e/etc/passwd)", 1, "etc/passwd", "buiten reports"),
    ("Tekst <img src=x onerror=alert(1)> meer.", 1, "ruwe inline", "<img"),
    ("<div onclick=alert(1)>\nBlok\n</div>", 1, "onclick", "attributen"),
    ("```{=html}\n<script>alert(1)</script>\n```", 1, "ruw blok", "script"),
    ("Tekst `x`{onclick=alert(1)} meer.", 1, "inline code", "onclick"),
    ("## Kop {#kop onclick=alert(1)}", 1, "kop", "onclick"),
    ("Twee\n\n[x](https://a.nl){.knop}", 3, "link", "attributen"),
]


def test_allowed_researcher_text_passes():
    assert tekst_problemen(GOEDE_TEKST, "reports/teksten/goed.md") == []


@pytest.mark.parametrize(
    ("tekst", "regel", "construct", "reden"), HOSTIEL, ids=[h[0][:30] for h in HOSTIEL]
)
def test_hostile_construct_is_refused_with_file_line_and_construct(tekst, regel, construct, reden):
    problemen = tekst_problemen(tekst, "reports/teksten/publicatie_inleiding.md")
    assert problemen, tekst
    eerste = problemen[0]
    assert eerste.startswith(f"reports/teksten/publicatie_inleiding.md, regel {regel}:"), eerste
    assert construct.lower() in eerste.lower() and reden.lower() in " ".join(problemen).lower()


@pytest.mark.parametrize(
    ("doel", "afbeelding", "ok"),
    [
        ("https://www.cbs.nl/", False, True),
        ("https://www.cbs.nl/x.png", True, False),
        ("figuren/a.png", True, True),
        ("downloads/x.csv", False, True),
        ("#kop", False, True),
        ("JaVaScRiPt:alert(1)", False, False),
        ("file:///etc/passwd", True, False),
        ("http://www.cbs.nl/", False, False),
        ("mailto:a@b.nl", False, False),
        ("figuren/../../x.png", True, False),
        ("figuren\\..\\x.png", True, False),
    ],
)
def test_link_and_image_targets(doel, afbeelding, ok):
    assert (doel_probleem(doel, afbeelding=afbeelding) is None) is ok


def _teksten_met(tmp_path, naam: str, tekst: str):
    map_ = tmp_path / "teksten"
    shutil.copytree(BRON_REPORTS / "teksten", map_)
    (map_ / naam).write_text(tekst, encoding="utf-8")
    return map_


@pytest.mark.parametrize(
    "payload",
    [
        "[x]{onmouseover=alert(1)}",
        "::: {onclick=alert(1)}\nB\n:::",
        "![f](figuren/a.png){onload=alert(1)}",
        "[x](javascript:alert(1))",
        "![b](/etc/passwd)",
    ],
)
def test_render_refuses_a_hostile_researcher_text(tmp_path, payload):
    """Through the whole render: nothing is written, the message names file, line, construct."""
    runs = make_runs(tmp_path, gebieden=GEBIEDEN[:1])
    kwargs = render_kwargs(tmp_path, runs, make_bronnen(tmp_path), gebieden=GEBIEDEN[:1])
    kwargs["teksten_map"] = _teksten_met(
        tmp_path, "publicatie_inleiding.md", f"Inleiding.\n\n{payload}\n\nEinde.\n"
    )
    with pytest.raises(PublicationGuardError) as fout:
        render(**kwargs)
    assert "reports/teksten/publicatie_inleiding.md, regel 3" in str(fout.value)
    assert not (tmp_path / "_output").exists()


# --- the produced HTML against the allow-list ---------------------------------------------------

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAE"
    "hQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture
def bouwmap(tmp_path):
    (tmp_path / "figuren").mkdir()
    (tmp_path / "figuren" / "f.png").write_bytes(PNG)
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "publicatie.css").write_text(
        "/* eigen */\nbody { color: #1a1a1a; }\n", encoding="utf-8"
    )
    return tmp_path


def _pagina(body: str, stijl: str = "body{color:#1a1a1a;}") -> str:
    return (
        f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>T</title>'
        f'<style type="text/css">{stijl}</style></head><body><main>{body}</main></body></html>'
    )


def _png_url(data: bytes = PNG) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode()


def test_allow_list_accepts_the_editions_own_markup(bouwmap):
    body = (
        f'<h1 id="a">T</h1><p class="x">Tekst <a href="#a">anker</a> '
        f'<a href="https://www.cbs.nl/">CBS</a> <a href="downloads/x.csv">csv</a></p>'
        f'<figure><img src="{_png_url()}" alt="Een lijn" role="img" aria-label="Een lijn">'
        '<figcaption>F</figcaption></figure><div class="tabel-scroll" role="region" '
        'tabindex="0" aria-label="Tabel 1"><table><thead><tr><th scope="col" '
        'style="text-align: left;">a</th></tr></thead><tbody><tr><td>1</td></tr></tbody>'
        "</table></div>"
    )
    assert html_problemen(_pagina(body), pagina="p.html", map=bouwmap, build=bouwmap) == []


@pytest.mark.parametrize(
    ("body", "verwacht"),
    [
        ('<p onclick="alert(1)">x</p>', "event handler onclick"),
        ('<img src="x.png" alt="a" onerror="alert(1)">', "event handler onerror"),
        ('<a href="javascript:alert(1)">x</a>', "javascript"),
        ('<a href=" JAVA&#x09;SCRIPT:alert(1)">x</a>', "javascript"),
        (f'<img src="{_png_url(PNG + b"x")}" alt="a">', "geen eigen afbeelding"),
        ('<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" alt="a">', "geen eigen afbeelding"),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "schema 'data:'"),
        ('<img src="/etc/passwd" alt="a">', "absoluut pad"),
        ("<script>alert(1)</script>", "<script>"),
        ('<iframe src="https://evil.example/"></iframe>', "<iframe>"),
        ('<link rel="stylesheet" href="https://evil.example/x.css">', "<link>"),
        ("<style>body{background:url(https://evil.example/)}</style>", "eigen stijlblad"),
        ('<p style="background:url(javascript:alert(1))">x</p>', "style-attribuut"),
        ('<form action="https://evil.example/"><input name="q"></form>', "<form>"),
        ('<p formaction="x">x</p>', "niet toegestane attribuut formaction"),
        ('<svg><a href="#"><circle onload="alert(1)"/></a></svg>', "<svg>"),
    ],
)
def test_allow_list_refuses_active_content(bouwmap, body, verwacht):
    problemen = html_problemen(_pagina(body), pagina="p.html", map=bouwmap, build=bouwmap)
    assert any(verwacht in p for p in problemen), problemen
    assert all(p.startswith("p.html: ") for p in problemen)


def test_only_the_editions_own_stylesheet(bouwmap):
    eigen = _pagina("<p>x</p>", stijl="body {\n  color: #1a1a1a;\n}")  # minified or not
    assert html_problemen(eigen, pagina="p.html", map=bouwmap, build=bouwmap) == []
    vreemd = _pagina("<p>x</p>", stijl="body { color: red; }")
    assert html_problemen(vreemd, pagina="p.html", map=bouwmap, build=bouwmap)


def test_the_images_in_the_build_folder_are_the_editions_own(bouwmap):
    import hashlib

    assert hashlib.sha256(PNG).hexdigest() in build_eigen_hashes(bouwmap)


def test_render_refuses_html_outside_the_allow_list(tmp_path, monkeypatch):
    """The last line holds even when an earlier one fails: markup that slips into a produced
    page (here an event handler added after pandoc) stops the render and names the page."""
    from helpers.publish import engine

    echte = engine.render_documenten

    def met_handler(*args, **kwargs):
        paden = echte(*args, **kwargs)
        for p in paden:
            if p.suffix == ".html":
                p.write_text(
                    p.read_text(encoding="utf-8").replace(
                        "<main", '<main onmouseover="alert(1)"', 1
                    ),
                    encoding="utf-8",
                )
        return paden

    monkeypatch.setattr(engine, "render_documenten", met_handler)
    runs = make_runs(tmp_path, gebieden=GEBIEDEN[:1])
    with pytest.raises(PublicationGuardError) as fout:
        render(**render_kwargs(tmp_path, runs, make_bronnen(tmp_path), gebieden=GEBIEDEN[:1]))
    assert "publiekssamenvatting.html: <main> heeft de event handler onmouseover" in str(fout.value)
    assert not (tmp_path / "_output").exists()


# --- hostile data in the HTML and the Typst/PDF output ------------------------------------------

HOSTIELE_NAAM = 'Noord #read("/etc/passwd") $1+1$ <b onmouseover=alert(1)>x</b> @fig-x &amp; 50%'
HOSTIELE_TEKST = (
    'Zin met #sys.version en `#eval("1")` en [x](javascript:alert(1)) en '
    "<img src=x onerror=alert(2)> en \\#set page(fill: red) en ]) einde."
)


@pytest.fixture(scope="module")
def hostiele_editie(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostiel")
    gebieden = [(GEBIEDEN[0][0], HOSTIELE_NAAM)]
    # the text reaches the publication as a released story (and as a generated sentence)
    runs = make_runs(base, gebieden=gebieden, tekst=HOSTIELE_TEKST, verhaal=HOSTIELE_TEKST)
    kwargs = render_kwargs(base, runs, make_bronnen(base), gebieden=gebieden)
    return render(**kwargs)


def _recht(tekst: str) -> str:
    return tekst.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"}))


def test_hostile_data_is_text_in_the_html(hostiele_editie):
    import lxml.html

    for pagina in ("publiekssamenvatting.html", f"factsheet-{GEBIEDEN[0][0]}.html"):
        doc = lxml.html.parse(str(hostiele_editie.output / pagina)).getroot()
        assert not doc.xpath("//b | //*[@onmouseover] | //*[@onerror] | //img[@src='x']")
        assert not doc.xpath("//a[starts-with(@href, 'javascript')]")
    fs = lxml.html.parse(str(hostiele_editie.output / f"factsheet-{GEBIEDEN[0][0]}.html"))
    assert HOSTIELE_NAAM in _recht(" ".join(fs.getroot().text_content().split()))
    ps = lxml.html.parse(str(hostiele_editie.output / "publiekssamenvatting.html")).getroot()
    assert "#sys.version" in _recht(" ".join(ps.text_content().split()))


def test_hostile_data_is_text_in_the_typst_source_and_the_pdf(hostiele_editie):
    from pypdf import PdfReader

    build = hostiele_editie.output.parent / "_gegenereerd"
    typ = (build / f"factsheet-{GEBIEDEN[0][0]}.typ").read_text(encoding="utf-8")
    code = re.sub(r'alt: "(?:[^"\\]|\\.)*"', "", typ)  # Typst string literals are inert
    assert not re.search(r"(?<!\\)#read|(?<!\\)\$1|(?<!\\)<b |(?<!\\)@fig", code), (
        "data starts Typst code, maths, a label or a reference"
    )
    assert "\\#read" in code
    pdf = PdfReader(hostiele_editie.output / f"factsheet-{GEBIEDEN[0][0]}.pdf")
    tekst = _recht(" ".join(" ".join(p.extract_text() or "" for p in pdf.pages).split()))
    assert '#read("/etc/passwd")' in tekst and "<b onmouseover=alert(1)>" in tekst
    assert "root:" not in tekst  # /etc/passwd was never read
    ps = (build / "publiekssamenvatting.typ").read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)#(sys\.version|eval\(|set page\(fill: red)", ps)
    pdf = PdfReader(hostiele_editie.output / "publiekssamenvatting.pdf")
    tekst = _recht(" ".join(" ".join(p.extract_text() or "" for p in pdf.pages).split()))
    assert "#sys.version" in tekst and '#eval("1")' in tekst and "#set page(fill: red)" in tekst


def test_the_projects_own_researcher_texts_are_inside_the_strict_subset():
    """Every text the publication reads from reports/teksten/ passes the AST check."""
    from helpers.publish.content import load_config

    cfg = load_config()
    namen = {h["tekst"] for h in cfg["hoofdstukken"]} | {cfg["factsheet"]["tekst"]}
    namen |= {"publicatie_colofon.md"} & {p.name for p in (BRON_REPORTS / "teksten").glob("*.md")}
    problemen = []
    for naam in sorted(namen):
        pad = BRON_REPORTS / "teksten" / naam
        if pad.is_file():
            problemen += tekst_problemen(pad.read_text(encoding="utf-8"), f"reports/teksten/{naam}")
    assert len(namen) >= 5 and problemen == []
