"""HTML safe by construction: researcher texts on pandoc's AST, and an allow-list for the HTML.

Two lines of defence (issue 13, point 1):

- :func:`tekst_problemen` parses a researcher text (``reports/teksten/*.md``) with the same
  pandoc markdown reader that renders it (``pandoc -t json`` through pypandoc) and refuses, on
  the AST, every construct outside a strict subset: attributes on spans, divs, headings, images,
  links and code (``[x]{onmouseover=...}``, ``::: {onclick=...}``, ``![f](a.png){onload=...}``),
  raw HTML and raw blocks (``<img ...>``, ```` ```{=html} ````, TeX), math and citations; links
  only to ``https:`` URLs, to ``#anchors`` or to relative files that stay inside the build
  folder (which lives in ``reports/``); images only to such relative files. ``javascript:``,
  ``data:``, ``file:``, absolute paths (``/etc/passwd``), ``//host`` and ``..`` escapes are
  refused. Each problem names the source file, the line and the construct, in Dutch.
- :func:`html_problemen` parses every produced HTML page with lxml and compares it with an
  explicit allow-list of elements, attributes and URL schemes: no event handler, no
  ``javascript:``, no ``data:`` URL except the edition's own embedded images (byte-identical to a
  file in the build folder), no stylesheet except the edition's own (``assets/publicatie.css``)
  and pandoc's template block, no script — except Quarto's own assets when Quarto renders
  (a script whose bytes equal a file in Quarto's installation, or Quarto's inline
  ``quarto-*`` blocks).
"""

from __future__ import annotations

import base64
import hashlib
import json
import posixpath
import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

# --- researcher texts on the AST ---------------------------------------------------------------

# The reader of the render path without automatic heading ids: every attribute left in the AST
# was written by the author.
LEESFORMAAT = "markdown-auto_identifiers"
# Link classes pandoc itself sets on autolinks (<https://...>, <a@b.nl>).
AUTOLINK_KLASSEN = ({"uri"}, {"email"})

_MET_ATTRIBUUT = {  # node type -> index of its Attr in "c" (None: "c" is the Attr's holder)
    "Header": 1,
    "CodeBlock": 0,
    "Div": 0,
    "Figure": 0,
    "Table": 0,
    "Code": 0,
    "Link": 0,
    "Image": 0,
    "Span": 0,
}
_NAMEN = {
    "Header": "kop",
    "CodeBlock": "codeblok",
    "Div": "blok (:::)",
    "Figure": "figuur",
    "Table": "tabel",
    "Code": "inline code",
    "Link": "link",
    "Image": "afbeelding",
    "Span": "span ([...]{...})",
}
_VERBODEN = {
    "RawInline": "ruwe inline-opmaak (HTML, TeX of {=formaat})",
    "RawBlock": "ruw blok (HTML, TeX of {=formaat})",
    "Math": "TeX-formule",
    "Cite": "literatuurverwijzing",
}


def _ast(tekst: str) -> dict:
    import pypandoc

    return json.loads(pypandoc.convert_text(tekst, "json", format=LEESFORMAAT))


def _knopen(node):
    """Every pandoc element (dict with ``t``) under ``node``, depth first."""
    if isinstance(node, dict):
        if "t" in node:
            yield node
        for v in node.values():
            yield from _knopen(v)
    elif isinstance(node, list):
        for v in node:
            yield from _knopen(v)


def _attribuut_tekst(attr: list) -> str:
    ident, klassen, paren = attr
    delen = ([f"#{ident}"] if ident else []) + [f".{k}" for k in klassen]
    delen += [f"{k}={v}" for k, v in paren]
    return "{" + " ".join(delen) + "}"


def _zoeksleutel(attr: list) -> str:
    ident, klassen, paren = attr
    if paren:
        return paren[0][0]
    return ident or (klassen[0] if klassen else "{")


def doel_probleem(url: str, *, afbeelding: bool) -> str | None:
    """Why a link or image target is refused (``None``: allowed).

    Allowed: ``https:`` URLs (links only), ``#anchor`` (links only) and relative paths that stay
    inside the build folder after percent-decoding and normalisation.
    """
    ruw = url.strip()
    if any(ord(c) < 32 for c in unquote(ruw)) or "\\" in unquote(ruw):
        return "een doel met stuurtekens of backslashes"
    delen = urlsplit(ruw)
    schema = delen.scheme.lower()
    if schema:
        if schema == "https" and delen.netloc and not afbeelding:
            return None
        if schema == "https":
            return (
                "een afbeelding van buiten de editie (https:); afbeeldingen komen alleen uit "
                "bestanden in reports/"
            )
        return f"een doel met het schema '{schema}:' (alleen https: of een bestand in reports/)"
    if delen.netloc or ruw.startswith("//"):
        return "een doel op een andere server (//...)"
    if ruw.startswith("#"):
        return None if not afbeelding else "een afbeelding zonder bestand"
    pad = unquote(delen.path)
    if not pad:
        return "een leeg doel"
    if pad.startswith("/"):
        return f"een absoluut pad ('{pad}'); alleen bestanden in reports/"
    if posixpath.normpath(pad).split("/")[0] == "..":
        return f"een pad buiten reports/ ('{pad}', met ..)"
    return None


def _regel(regels: list[str], sleutel: str, gezien: dict[str, int]) -> int | None:
    """Line number (1-based) of the n-th occurrence of ``sleutel`` (n counts earlier reports)."""
    sleutel = sleutel.lower()
    nodig = gezien.get(sleutel, 0)
    teller = 0
    for nr, r in enumerate(regels, start=1):
        if sleutel and sleutel in r.lower():
            if teller == nodig:
                gezien[sleutel] = nodig + 1
                return nr
            teller += 1
    return None


def _knoop_problemen(knoop: dict) -> list[tuple[str, str]]:
    """(construct, search key) for every refused construct of one AST node."""
    t, c = knoop["t"], knoop.get("c")
    uit: list[tuple[str, str]] = []
    if t in _VERBODEN:
        inhoud = c[1] if t in ("RawInline", "RawBlock", "Math") else ""
        sleutel = str(inhoud).strip().splitlines()[0] if str(inhoud).strip() else "$"
        if t == "Cite":
            sleutel = "@" + c[0][0]["citationId"]
        elif t in ("RawInline", "RawBlock"):
            sleutel = f"{{={c[0]}}}\n{sleutel}"  # the fence naming the format, else the content
        uit.append(
            (
                f"{_VERBODEN[t]}: {str(inhoud).strip()[:60]!r}" if inhoud else _VERBODEN[t],
                sleutel[:40],
            )
        )
    if t in _MET_ATTRIBUUT:
        attr = c[_MET_ATTRIBUUT[t]]
        ident, klassen, paren = attr
        autolink = t == "Link" and not ident and not paren and set(klassen) in AUTOLINK_KLASSEN
        if (ident or klassen or paren) and not autolink:
            uit.append(
                (
                    f"{_NAMEN[t]} met attributen {_attribuut_tekst(attr)!r}; attributen "
                    "zijn niet toegestaan",
                    _zoeksleutel(attr),
                )
            )
    if t in ("Link", "Image"):
        url = c[2][0]
        reden = doel_probleem(url, afbeelding=t == "Image")
        if reden:
            uit.append((f"{_NAMEN[t]} naar {url[:60]!r}: {reden}", url[:40]))
    return uit


def tekst_problemen(tekst: str, bron: str) -> list[str]:
    """Every construct of a researcher text outside the strict subset, as Dutch sentences
    'bron, regel N: construct' (empty list = fine). Parsed with pandoc (the render path's
    reader); lines are located in the source by the construct's text."""
    if not tekst.strip():
        return []
    regels = tekst.splitlines()
    gezien: dict[str, int] = {}
    problemen = []
    for knoop in _knopen(_ast(tekst).get("blocks", [])):
        for wat, sleutel in _knoop_problemen(knoop):
            kandidaten = [*sleutel.split("\n"), unquote(sleutel)]
            nr = next((n for k in kandidaten if (n := _regel(regels, k, gezien))), None)
            waar = f"regel {nr}" if nr else "regel onbekend"
            problemen.append(
                f"{bron}, {waar}: {wat} (alleen de strikte markdown-deelverzameling "
                "voor eigen teksten)"
            )
    return problemen


# --- the produced HTML against an allow-list ---------------------------------------------------

ELEMENTEN = {
    "html",
    "head",
    "body",
    "meta",
    "title",
    "style",
    "header",
    "nav",
    "main",
    "section",
    "article",
    "aside",
    "footer",
    "div",
    "span",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "a",
    "img",
    "figure",
    "figcaption",
    "table",
    "caption",
    "colgroup",
    "col",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "blockquote",
    "em",
    "strong",
    "code",
    "pre",
    "sup",
    "sub",
    "br",
    "hr",
    "abbr",
    "small",
    "q",
    "cite",
    "del",
    "ins",
    "mark",
    "s",
    "u",
    "time",
}
ALGEMEEN = {"id", "class", "lang", "dir", "role", "title", "style", "tabindex", "hidden"}
PER_ELEMENT = {
    "html": {"xmlns", "xml:lang"},
    "meta": {"charset", "name", "content"},
    "style": {"type"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan", "headers"},
    "td": {"colspan", "rowspan", "headers"},
    "col": {"span"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "time": {"datetime"},
    "script": {"src", "id", "type"},
    "link": {"rel", "href", "id"},
}
# style attributes: pandoc's alignments and widths, never url(), expression() or escapes
STIJL = re.compile(r"^[\w\s:;.%#,-]*$")
AFBEELDING_DATA = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,([A-Za-z0-9+/=\s]+)$", re.I)
QUARTO_DATA = re.compile(
    r"^data:(?:application|text)/(?:javascript|css);base64,([A-Za-z0-9+/=\s]+)$", re.I
)


def _css_norm(css: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"/\*.*?\*/", "", css or "", flags=re.S))


@lru_cache(maxsize=1)
def _pandoc_stijl() -> str:
    """pandoc's own template style block when ``--css`` is given (normalised)."""
    import lxml.html
    import pypandoc

    html = pypandoc.convert_text(
        "x",
        "html5",
        format="markdown",
        extra_args=["--standalone", "--css", "eigen.css", "--metadata", "title=x"],
    )
    blokken = [e.text or "" for e in lxml.html.fromstring(html).iter("style")]
    return _css_norm(blokken[0]) if blokken else ""


def _hashes(map: Path, patroon: str = "*") -> set[str]:
    if not Path(map).is_dir():
        return set()
    return {
        hashlib.sha256(p.read_bytes()).hexdigest() for p in Path(map).rglob(patroon) if p.is_file()
    }


@lru_cache(maxsize=1)
def _quarto_hashes() -> frozenset[str]:  # pragma: no cover - needs Quarto
    """sha256 of every JS/CSS file in the Quarto installation (its share folder)."""
    q = shutil.which("quarto")
    if not q:
        return frozenset()
    try:
        uit = subprocess.run([q, "--paths"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    hashes: set[str] = set()
    for regel in uit.splitlines():
        if Path(regel.strip()).is_dir():
            for ext in ("*.js", "*.css"):
                hashes |= _hashes(Path(regel.strip()), ext)
    return frozenset(hashes)


def _data_bytes(url: str, patroon: re.Pattern[str]) -> bytes | None:
    m = patroon.match(url.strip())
    if not m:
        return None
    try:
        return base64.b64decode(re.sub(r"\s", "", m.group(m.lastindex)), validate=True)
    except ValueError:
        return None


def _href_probleem(href: str, map: Path) -> str | None:
    ruw = href.strip()
    if ruw.startswith("#"):
        return None
    schema = urlsplit(ruw).scheme.lower()
    if schema in ("https", "mailto"):
        return None
    if schema:
        return f"een link met het schema '{schema}:'"
    reden = doel_probleem(ruw, afbeelding=False)
    if reden:
        return reden
    return None


def _element_problemen(
    el, *, pagina: str, map: Path, eigen: set[str], quarto: bool, stijlen: set[str]
) -> list[str]:
    tag = el.tag
    waar = f"{pagina}: <{tag}>"
    problemen = []
    if tag in ("script", "link") and quarto:
        bron = el.get("src") if tag == "script" else el.get("href")
        if tag == "link" and (el.get("rel") or "").lower() != "stylesheet":
            problemen.append(f"{waar} met rel={el.get('rel')!r} is niet toegestaan")
        elif bron:
            data = _data_bytes(bron, QUARTO_DATA)
            pad = map / bron if not urlsplit(bron).scheme else None
            inhoud = (
                data
                if data is not None
                else (
                    pad.read_bytes()
                    if pad and pad.is_file() and doel_probleem(bron, afbeelding=False) is None
                    else None
                )
            )
            if inhoud is None or hashlib.sha256(inhoud).hexdigest() not in _quarto_hashes():
                problemen.append(f"{waar} laadt {bron[:60]!r}, geen bestand van Quarto zelf")
        elif tag == "script" and not (el.get("id") or "").startswith("quarto-"):
            problemen.append(f"{waar} met eigen code die niet van Quarto is")
    elif tag not in ELEMENTEN:
        problemen.append(f"{waar} staat niet op de lijst van toegestane elementen")
    for naam, waarde in el.attrib.items():
        naam_l = naam.lower()
        if naam_l.startswith("on"):
            problemen.append(f"{waar} heeft de event handler {naam}={waarde[:60]!r}")
            continue
        if not (
            naam_l in ALGEMEEN
            or naam_l.startswith("aria-")
            or naam_l in PER_ELEMENT.get(tag, set())
        ):
            problemen.append(f"{waar} heeft het niet toegestane attribuut {naam}")
            continue
        if naam_l == "style" and not STIJL.match(waarde):
            problemen.append(f"{waar} heeft een style-attribuut met {waarde[:60]!r}")
        if "javascript:" in re.sub(r"\s", "", unquote(waarde)).lower():
            problemen.append(f"{waar}: attribuut {naam} bevat 'javascript:'")
    if tag == "a" and el.get("href") is not None:
        reden = _href_probleem(el.get("href"), map)
        if reden:
            problemen.append(f"{waar} naar {el.get('href')[:60]!r}: {reden}")
    if tag == "img":
        src = el.get("src") or ""
        data = _data_bytes(src, AFBEELDING_DATA)
        if src.lower().startswith("data:"):
            if data is None or hashlib.sha256(data).hexdigest() not in eigen:
                problemen.append(
                    f"{waar}: data-URL {src[:40]!r}… is geen eigen afbeelding van de editie"
                )
        elif doel_probleem(src, afbeelding=True):
            problemen.append(f"{waar} naar {src[:60]!r}: {doel_probleem(src, afbeelding=True)}")
    if (
        tag == "meta"
        and el.get("content")
        and re.search(r"url\s*=|javascript:", el.get("content"), re.I)
    ):
        problemen.append(f"{waar} met content={el.get('content')[:60]!r}")
    if tag == "style" and _css_norm(el.text or "") not in stijlen:
        problemen.append(
            f"{waar} is niet het eigen stijlblad van de editie "
            "(assets/publicatie.css) of het vaste blok van pandoc"
        )
    return problemen


def build_eigen_hashes(build: Path) -> set[str]:
    """sha256 of the edition's own images and assets (``figuren/`` and ``assets/`` of the build
    folder; not the staging output, which also lives there)."""
    return _hashes(Path(build) / "figuren") | _hashes(Path(build) / "assets")


def html_problemen(
    html_tekst: str,
    *,
    pagina: str,
    map: Path,
    build: Path,
    quarto: bool = False,
    eigen: set[str] | None = None,
) -> list[str]:
    """Elements, attributes and URLs of a produced HTML page outside the allow-list.

    ``map``: the folder the page is served from (relative links resolve there); ``build``: the
    build folder whose files (figures, ``assets/publicatie.css``) are the edition's own;
    ``quarto``: whether Quarto rendered (its own scripts are then recognised); ``eigen``: the
    result of :func:`build_eigen_hashes` (computed here when not given).
    """
    import lxml.html

    doc = lxml.html.document_fromstring(html_tekst.encode("utf-8"))
    eigen = build_eigen_hashes(build) if eigen is None else eigen
    css = Path(build) / "assets" / "publicatie.css"
    stijlen = {_pandoc_stijl()} | (
        {_css_norm(css.read_text(encoding="utf-8"))} if css.is_file() else set()
    )
    problemen = []
    for el in doc.iter():
        if not isinstance(el.tag, str):  # comments and processing instructions carry no markup
            continue
        problemen += _element_problemen(
            el, pagina=pagina, map=Path(map), eigen=eigen, quarto=quarto, stijlen=stijlen
        )
    return problemen
