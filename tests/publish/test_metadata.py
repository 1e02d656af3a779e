"""Registry values in the documents' metadata (issue 13, point 1, metadata part): an area
``naam`` (``params/focusgebieden.yml``) and ``titel``/``ondertitel`` (``params/publicatie.yml``)
go into the pandoc YAML front matter as title and subtitle. They must arrive as inert text:
markup in them shows as literal text in the HTML and the PDF, never as an element."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest
import yaml

from helpers.publish import render
from helpers.publish.content import PUBLICATIE_YML
from publish_fixtures import GEBIEDEN, make_bronnen, make_runs, render_kwargs

ONERROR = "<img src=x onerror=alert(1)>"
ONLOAD = '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onload=alert(2)>'
MARKDOWN = "*[klik](javascript:alert(3))* & `code` <b>vet</b>"


class _Elementen(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def _elementen(tekst: str) -> _Elementen:
    p = _Elementen()
    p.feed(tekst)
    return p


def _recht(tekst: str) -> str:
    """Straight quotes for pandoc's typographic ones (its ``smart`` extension, as in the body)."""
    return tekst.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"}))


def _plat(tekst: str) -> str:
    return " ".join(_recht(html.unescape(tekst)).split())


@pytest.fixture(scope="module")
def editie(tmp_path_factory):
    base = tmp_path_factory.mktemp("metadata")
    gebieden = [(GEBIEDEN[0][0], f"Utrecht Overvecht {ONERROR}"),
                (GEBIEDEN[1][0], f"Rotterdam Zuid {ONLOAD}")]
    runs = make_runs(base, gebieden=GEBIEDEN[:2])
    processed = make_bronnen(base)
    cfg = yaml.safe_load(PUBLICATIE_YML.read_text(encoding="utf-8"))
    cfg["titel"] = f"Monitor {ONLOAD}"
    cfg["ondertitel"] = f"Samenvatting {MARKDOWN}"
    cfg_pad = base / "publicatie.yml"
    cfg_pad.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    kwargs = render_kwargs(base, runs, processed, gebieden=gebieden)
    kwargs["afbakening"] = {g: "Werkdefinitie." for g, _ in gebieden}
    return render(**kwargs, cfg_pad=cfg_pad), gebieden


def _geen_actieve_inhoud(tekst: str, pagina: str) -> None:
    p = _elementen(tekst)
    handlers = [(t, a) for t, a in p.tags if any(k.startswith("on") for k in a)]
    assert not handlers, f"{pagina}: event handlers {handlers}"
    assert not [a for t, a in p.tags if t == "img" and a.get("src") == "x"], pagina
    assert not [t for t, _ in p.tags if t == "b"], f"{pagina}: <b> from metadata"
    assert not [a for t, a in p.tags if "javascript:" in (a.get("href") or "")], pagina


def test_area_name_in_factsheet_title_is_literal_text(editie):
    resultaat, gebieden = editie
    for (gid, naam), payload in zip(gebieden, (ONERROR, ONLOAD), strict=True):
        tekst = (resultaat.output / f"factsheet-{gid}.html").read_text(encoding="utf-8")
        _geen_actieve_inhoud(tekst, gid)
        assert html.escape(payload, quote=False) in _recht(tekst), \
            f"{gid}: name not shown as escaped text"
        assert f"Factsheet {naam}" in _plat(tekst)
        assert _recht(_elementen(tekst).title).strip().startswith(f"Factsheet {naam}")


def test_titel_and_ondertitel_are_literal_text(editie):
    resultaat, _ = editie
    tekst = (resultaat.output / "publiekssamenvatting.html").read_text(encoding="utf-8")
    _geen_actieve_inhoud(tekst, "publiekssamenvatting")
    plat = _plat(tekst)
    assert f"Monitor {ONLOAD}" in plat
    assert f"Samenvatting {MARKDOWN}" in plat  # markdown punctuation kept, not interpreted
    for gid, _ in editie[1]:
        fs = (resultaat.output / f"factsheet-{gid}.html").read_text(encoding="utf-8")
        # the two-page factsheet has no subtitle; wherever the titel appears it is text
        _geen_actieve_inhoud(fs, gid)


def test_pdf_shows_the_names_as_text(editie):
    from pypdf import PdfReader

    resultaat, gebieden = editie
    eerste = PdfReader(resultaat.output / f"factsheet-{gebieden[0][0]}.pdf").pages[0]
    tekst = " ".join((eerste.extract_text() or "").split())
    assert "onerror=alert(1)>" in tekst
