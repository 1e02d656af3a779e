"""Plain Dutch for readers: sentence length of the body prose and statistical terms that may
appear only in the final section "Verantwoording".

The reader's text of a rendered HTML page is read with lxml: paragraphs and list items inside
``<main>``, without tables, figures, captions and quotes (stories are the participants' words).
:func:`build_zinnen` cuts it into sentences; :func:`show_zinslengte` gives the average number of
words per sentence. :func:`controleer_termen` lists every term of ``statistische_termen``
(``params/publicatie.yml``, regular expressions, case-insensitive, word bounds) found in the text
of a page before its "Verantwoording" heading (attributes, the table of contents and the
Verantwoording itself excluded).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import lxml.html

VERANTWOORDING = "Verantwoording"
MAX_ZINSLENGTE = 20.0
_NIET_LOPEND = {"table", "figure", "figcaption", "blockquote", "nav", "header", "caption"}
_ZINSEINDE = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[A-ZÀ-Ý0-9€“\"(])")
_WOORD = re.compile(r"[0-9A-Za-zÀ-ÿ€%][\w%€,.'’-]*")


def _kop_tekst(el) -> str:
    return " ".join(el.text_content().split())


def _in(el, tags: set[str]) -> bool:
    return any(isinstance(a.tag, str) and a.tag in tags for a in el.iterancestors())


def build_lopende_tekst(
    html_tekst: str, *, tot: str | None = VERANTWOORDING, zonder: Iterable[str] = ()
) -> list[str]:
    """The body prose of a page: the text of every ``<p>`` and ``<li>`` in ``<main>`` (tables,
    figures, captions, quotes and the TOC left out), up to the level-2 heading ``tot``.
    ``zonder``: level-2 headings whose chapters are skipped (e.g. an annex of tables)."""
    doc = lxml.html.document_fromstring(html_tekst)
    main = doc.find(".//main")
    root = main if main is not None else doc
    overslaan = set(zonder)
    uit: list[str] = []
    actief = True
    for el in root.iter("h2", "p", "li"):
        if el.tag == "h2":
            kop = _kop_tekst(el)
            if tot and kop == tot:
                break
            actief = kop not in overslaan
            continue
        if not actief or _in(el, _NIET_LOPEND):
            continue
        if el.tag == "p" and _in(el, {"li"}):
            continue  # counted with its list item
        tekst = " ".join(el.text_content().split())
        if tekst:
            uit.append(tekst)
    return uit


def build_zinnen(teksten: Iterable[str]) -> list[str]:
    """Sentences of running text; a paragraph or list item without a full stop is one sentence."""
    zinnen: list[str] = []
    for tekst in teksten:
        zinnen += [z.strip() for z in _ZINSEINDE.split(tekst) if _WOORD.search(z)]
    return zinnen


def show_zinslengte(teksten: Iterable[str]) -> float:
    """Average number of words per sentence (0 for no text)."""
    zinnen = build_zinnen(teksten)
    if not zinnen:
        return 0.0
    return sum(len(_WOORD.findall(z)) for z in zinnen) / len(zinnen)


def check_termen(html_tekst: str, termen: Iterable[str], *, pagina: str) -> list[str]:
    """Statistical terms in the reader's text before the "Verantwoording" heading, as problems
    'pagina: term '...' buiten de Verantwoording (in: ...)'."""
    doc = lxml.html.document_fromstring(html_tekst)
    for weg in list(doc.iter("script", "style", "head", "nav")):  # the TOC repeats headings
        weg.drop_tree()
    body = doc.find(".//body")
    tekst_delen: list[str] = []
    for el in (body if body is not None else doc).iter():
        if el.tag == "h2" and _kop_tekst(el) == VERANTWOORDING:
            break
        if isinstance(el.tag, str):
            tekst_delen += [el.text or ""]
        tekst_delen.append(el.tail or "")
    tekst = " ".join(" ".join(tekst_delen).split())
    problemen = []
    for term in termen:
        for m in re.finditer(rf"(?<![\w-])(?:{term})(?![\w-])", tekst, flags=re.I):
            context = tekst[max(0, m.start() - 40) : m.end() + 40]
            problemen.append(
                f"{pagina}: statistische term '{m.group(0)}' buiten de "
                f"Verantwoording (in: '…{context}…')"
            )
            break
    return problemen
