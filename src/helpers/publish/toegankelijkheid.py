"""Accessibility of a rendered HTML page: landmarks, table semantics, scroll containers.

pandoc's standalone HTML (and, where it is missing, Quarto's) is post-processed with lxml:

- the content after the demo banner, the title block and the table of contents goes into one
  ``<main>`` (the banner is a labelled region itself, see ``build.banner_html``);
- every ``<th>`` in a table head gets ``scope="col"``; where the first column is a text column
  (left-aligned: it names the row) its body cells become ``<th scope="row">``;
- a table with more than :data:`SMAL_KOLOMMEN` columns goes into a labelled, focusable scroll
  container ``<div class="tabel-scroll" role="region" aria-label="..." tabindex="0">``, so on
  a narrow screen the table scrolls, not the page (CSS in ``reports/assets/publicatie.css``);
- zero-width spaces are removed (they break search and copy).

Idempotent: a page that already has a ``<main>``, scopes or containers is left as it is.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html

SMAL_KOLOMMEN = 3
SCROLL_KLASSE = "tabel-scroll"
_ONZICHTBAAR = re.compile("[\u200b\u200c\u2060\ufeff]")
_BUITEN_MAIN = {"header", "nav", "script", "style"}


def _klassen(el) -> set[str]:
    return set((el.get("class") or "").split())


def _is_banner(el) -> bool:
    return "demo-banner" in _klassen(el)


def build_main(body) -> None:
    """Wrap the page content (everything after the banner, title block and TOC) in ``<main>``."""
    if body.find(".//main") is not None:
        return
    kinderen = list(body)
    start = 0
    while start < len(kinderen) and (kinderen[start].tag in _BUITEN_MAIN
                                     or _is_banner(kinderen[start])
                                     or not isinstance(kinderen[start].tag, str)):
        start += 1
    inhoud = [k for k in kinderen[start:] if not (isinstance(k.tag, str) and k.tag == "script")]
    if not inhoud:
        return
    main = lxml.html.Element("main")
    body.insert(body.index(inhoud[0]), main)
    for k in inhoud:
        main.append(k)  # moves the element, tail text included


def _tekst(el) -> str:
    return " ".join(el.text_content().split())


def _links_uitgelijnd(cel) -> bool:
    stijl = (cel.get("style") or "").replace(" ", "")
    return "text-align:right" not in stijl and "text-align:center" not in stijl


def build_tabel_koppen(tabel) -> None:
    """``scope="col"`` on head cells; the first column as row headers when it names the row."""
    kop = tabel.find("thead")
    koppen = kop.findall(".//th") if kop is not None else []
    for th in koppen:
        th.set("scope", th.get("scope") or "col")
    romp = tabel.find("tbody")
    if romp is None or not koppen or not _links_uitgelijnd(koppen[0]):
        return
    for tr in romp.findall("tr"):
        cellen = [c for c in tr if isinstance(c.tag, str)]
        if not cellen or not _tekst(cellen[0]):
            continue
        eerste = cellen[0]
        if eerste.tag == "td":
            eerste.tag = "th"
        eerste.set("scope", eerste.get("scope") or "row")


def kolommen(tabel) -> int:
    """Number of columns of a table (the widest row)."""
    return max((len([c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")])
                for tr in tabel.iter("tr")), default=0)


def build_scroll_container(tabel, nummer: int) -> None:
    """Put a wide table in a labelled, focusable scroll container (its caption is the label)."""
    ouder = tabel.getparent()
    if ouder is None or SCROLL_KLASSE in _klassen(ouder) or kolommen(tabel) <= SMAL_KOLOMMEN:
        return
    bijschrift = tabel.find("caption")
    label = _tekst(bijschrift) if bijschrift is not None else ""
    label = re.split(r"(?<=\.)\s+Bron:", label)[0].rstrip(".") or f"Tabel {nummer}"
    doos = lxml.html.Element("div")
    doos.set("class", SCROLL_KLASSE)
    doos.set("role", "region")
    doos.set("aria-label", label)
    doos.set("tabindex", "0")
    doos.tail, tabel.tail = tabel.tail, None
    ouder.replace(tabel, doos)
    doos.append(tabel)


def build_toegankelijke_html(html_tekst: str) -> str:
    """The accessible version of one standalone HTML page (see the module docstring)."""
    html_tekst = _ONZICHTBAAR.sub("", html_tekst)
    doc = lxml.html.document_fromstring(html_tekst)
    body = doc.find("body")
    if body is None:
        return html_tekst
    build_main(body)
    for i, tabel in enumerate(list(body.iter("table")), start=1):
        build_tabel_koppen(tabel)
        build_scroll_container(tabel, i)
    return lxml.html.tostring(doc, doctype="<!DOCTYPE html>", encoding="unicode",
                              method="html")


def write_toegankelijke_html(pad: Path) -> Path:
    """Rewrite a rendered HTML file in place with :func:`build_toegankelijke_html`."""
    tekst = pad.read_text(encoding="utf-8")
    pad.write_text(build_toegankelijke_html(tekst), encoding="utf-8")
    return pad
