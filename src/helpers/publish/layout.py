"""Markdown building blocks of the publication: escaped free text, Dutch-formatted pipe tables,
figures with alt text and a caption, key numbers and released stories.

Everything returned here is Pandoc/Quarto markdown inside the subset both render paths treat
alike (see :mod:`helpers.publish.subset`). Free text from data (stories, quotes, initiative
names, labels) is always passed through :func:`md_tekst`: HTML-escaped (``<`` ``>`` ``&``) and
with markdown punctuation backslash-escaped, so it renders as text and can never become markup,
raw HTML, a shortcode or a citation.
"""

from __future__ import annotations

import html
import math
import re
from typing import Any

from helpers.core import nl

# ASCII punctuation that has a meaning in Pandoc/Quarto markdown (escaped with a backslash).
_MD_SPECIAAL = set("\\`*_{}[]()#+-.!|$@~^:=")
_DIMENSIE = re.compile(r"(^|_)(jaar|jaren|code|volgorde|rang|nr|id)($|_)|jaar$", re.I)
_PROCENT = re.compile(r"(^|_)(pct|procent|percentage|perc|positief|neutraal|negatief)($|_)|%", re.I)
_TEKSTKOLOMMEN = {"signaal"}
VERBORGEN_KOLOMMEN = {"onderdrukt"}
ONDERDRUKT_TEKEN = "–"


def md_tekst(tekst: Any) -> str:
    """Free text as inert markdown inline text (one line): HTML-escaped, markdown-escaped.

    ``md_tekst("<script>alert(1)</script>")`` renders as the literal text in HTML, typst and
    PDF. Line breaks become spaces. ``None``/NaN give ''.
    """
    if tekst is None or (isinstance(tekst, float) and math.isnan(tekst)):
        return ""
    s = " ".join(str(tekst).split())
    s = "".join("\\" + c if c in _MD_SPECIAAL else c for c in s)
    return html.escape(s, quote=False)


def md_alinea(tekst: Any) -> str:
    """Free text as one or more escaped paragraphs (blank lines separate paragraphs)."""
    if tekst is None:
        return ""
    delen = re.split(r"\n\s*\n", str(tekst).strip())
    return "\n\n".join(md_tekst(d) for d in delen if d.strip())


def md_citaat(tekst: Any) -> str:
    """Free text (a story or a quote) as an escaped block quote."""
    return "\n>\n".join("> " + p for p in md_alinea(tekst).split("\n\n") if p)


def md_attribuut(tekst: Any) -> str:
    """A value for a markdown attribute in double quotes (``fig-alt="..."``)."""
    s = " ".join(str(tekst or "").split())
    return html.escape(s.replace("\\", "/").replace('"', "'"), quote=False)


def is_dimensie(kolom: str) -> bool:
    """True for columns that describe a row (year, code, order) rather than hold a result."""
    return bool(_DIMENSIE.search(str(kolom)))


def kolomkop(kolom: str, koppen: dict[str, str] | None = None) -> str:
    """Reader-facing column header: from ``koppen`` (``params/publicatie.yml``) or underscores
    to spaces with the first letter upper case."""
    if koppen and str(kolom) in koppen:
        return str(koppen[str(kolom)])
    s = str(kolom).replace("_", " ").strip()
    if s == "n":
        return "n"
    return s[:1].upper() + s[1:]


def decimalen(waarde: float) -> int:
    """Decimals shown for one number: 0 for whole numbers and from 1000 up, 2 below 10, else 1.

    Per value, because long tables mix units (counts, scores, shares) in one column.
    """
    v = abs(float(waarde))
    if float(waarde).is_integer() or v >= 1000:
        return 0
    return 2 if v < 10 else 1


def cel(waarde: Any, kolom: str, decimalen_: int | None = None) -> str:
    """One table cell, Dutch formatted: numbers via :mod:`helpers.core.nl`, years plain, text escaped.

    ``decimalen_``: fixed decimals, or ``None`` for :func:`decimalen` per value. Missing values
    show :data:`ONDERDRUKT_TEKEN`.
    """
    if waarde is None or (isinstance(waarde, float) and math.isnan(waarde)):
        return ONDERDRUKT_TEKEN
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    if isinstance(waarde, int | float) and not isinstance(waarde, bool):
        if is_dimensie(kolom) and float(waarde).is_integer():
            return str(int(waarde))
        dec = decimalen(waarde) if decimalen_ is None else decimalen_
        if _PROCENT.search(kolom):
            return nl.procent(float(waarde), dec)
        return nl.getal(float(waarde), dec)
    return md_tekst(waarde)


def build_lezerslabels(df: Any, labels: dict[str, str]) -> Any:
    """Text cells that are exactly a registered id (an area, an indicator) show its label:
    ``utrecht-overvecht`` becomes ``Utrecht Overvecht``, ``p_hh_osm`` its indicator label."""
    if not labels:
        return df
    uit = df.copy()
    for c in uit.columns:
        if uit[c].dtype == object:
            uit[c] = uit[c].map(lambda v: labels.get(v, v) if isinstance(v, str) else v)
    return uit


_MINDER_DAN = re.compile(r"^<\s*(\d+)$")


def build_legenda(df: Any, kolommen: list[str], numeriek: dict[str, bool],
                  min_n: int | None = None) -> list[str]:
    """The notes explaining every symbol a table shows (Dutch sentences, markdown-safe).

    ``–`` in a suppressed row (column ``onderdrukt``) means not published; ``–`` elsewhere
    (a missing number: no value in the source or edition, or nothing to compare with) means no
    value; a text cell ``< N`` means fewer than N. When ``–`` occurs with both meanings, one
    note gives both.
    """
    import pandas as pd

    onderdrukt = (df["onderdrukt"].fillna("").astype(str) != "") if "onderdrukt" in df.columns \
        else pd.Series(False, index=df.index)
    num = [c for c in kolommen if numeriek[c]]
    leeg = df[num].isna().any(axis=1) if num else pd.Series(False, index=df.index)
    grens = f"minder dan {nl.getal(min_n)}" if min_n else "te weinig"
    niet_gepubliceerd = (f"niet gepubliceerd: groep met {grens} waarnemingen, of een groep "
                         "waaruit zo'n groep af te leiden zou zijn")
    geen_waarde = "geen waarde: niet beschikbaar in de bron of in deze editie, of niet te berekenen"
    noten = []
    if onderdrukt.any() and (leeg & ~onderdrukt).any():
        noten.append(f"{ONDERDRUKT_TEKEN} = {niet_gepubliceerd}; in de overige rijen: {geen_waarde}.")
    elif onderdrukt.any():
        noten.append(f"{ONDERDRUKT_TEKEN} = {niet_gepubliceerd}.")
    elif leeg.any():
        noten.append(f"{ONDERDRUKT_TEKEN} = {geen_waarde}.")
    grenzen = sorted({int(m.group(1)) for c in kolommen if not numeriek[c]
                      for v in df[c].dropna().astype(str)
                      if (m := _MINDER_DAN.match(v.strip()))})
    for g in grenzen:
        noten.append(f"< {nl.getal(g)} = minder dan {nl.getal(g)}; het precieze aantal wordt niet "
                     "gepubliceerd.")
    return [md_tekst(n) for n in noten]


def pipe_tabel(df: Any, *, titel: str, bron: str, n_kolom: str | None = None,
               min_n: int | None = None, download: str | None = None,
               kolommen: list[str] | None = None, koppen: dict[str, str] | None = None,
               legenda: str | None = None, n_uitleg: str | None = None) -> str:
    """A DataFrame as a pipe table with caption ("Titel. Bron: ...") and Dutch numbers.

    Numeric columns are right-aligned; the column ``onderdrukt`` (helpers.core.privacy) and empty
    columns are not shown. Under the table a legend explains every symbol shown: ``legenda``
    (the caller's legend for its own symbols) and :func:`build_legenda` (``–``, ``< N``).
    ``kolommen``: the columns to show (the n column is always kept); ``koppen``: header texts;
    ``download``: relative link to the CSV; ``n_uitleg``: what n is when it is not a number of
    observations (e.g. the base of a figure), for the caption.
    """
    import pandas as pd

    keuze = [c for c in kolommen if c in df.columns] if kolommen else list(df.columns)
    if n_kolom and n_kolom in df.columns and n_kolom not in keuze:
        keuze.append(n_kolom)
    kolommen = [c for c in keuze if c not in VERBORGEN_KOLOMMEN
                and not df[c].fillna("").astype(str).str.strip().eq("").all()]
    if not kolommen or not len(df):
        # no rows (or only empty columns): a sentence, never a header-only pipe table, which
        # pandoc reads as a definition list (invalid list structure in a tagged PDF)
        link = f" [Download (CSV)]({download})." if download else ""
        return (f"**{md_tekst(titel)}** (bron: {md_tekst(bron)}). Deze tabel heeft in deze "
                f"editie geen rijen.{link}")
    numeriek = {c: pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
                and c not in _TEKSTKOLOMMEN for c in kolommen}
    kop = "| " + " | ".join(md_tekst(kolomkop(c, koppen)) for c in kolommen) + " |"
    lijn = "|" + "|".join("--:" if numeriek[c] else ":--" for c in kolommen) + "|"
    rijen = []
    for rec in df[kolommen].itertuples(index=False, name=None):
        cellen = []
        for c, v in zip(kolommen, rec, strict=True):
            if hasattr(v, "item"):
                v = v.item()
            if not numeriek[c] and (v is None or (isinstance(v, float) and math.isnan(v))):
                cellen.append("")
            else:
                cellen.append(cel(v, str(c)))
        rijen.append("| " + " | ".join(cellen) + " |")
    bijschrift = f"{md_tekst(titel)}. Bron: {md_tekst(bron)}."
    if n_kolom and n_uitleg:
        bijschrift += f" {md_tekst(n_uitleg.rstrip('.'))}."
    elif n_kolom:
        bijschrift += f" n = aantal waarnemingen (kolom {md_tekst(kolomkop(n_kolom, koppen))})."
    delen = [kop, lijn, *rijen, "", f": {bijschrift}"]
    noten = ([md_tekst(legenda)] if legenda else []) + build_legenda(df, kolommen, numeriek, min_n)
    if download:
        nummer = re.match(r"Tabel (\d+)\b", str(titel))
        wat = f"tabel {nummer.group(1)}" if nummer else "deze tabel"
        noten.append(f"[Download {wat} (CSV)]({download}).")  # a label, not the file name
    if noten:
        delen += ["", " ".join(noten)]
    return "\n".join(delen)


def figuur(pad: str, *, nummer: int, titel: str, bron: str, jaar: Any, alt: str) -> str:
    """A figure as ``![caption](path){fig-alt="..."}``; the caption states source and year."""
    jaar_tekst = f", {md_tekst(jaar)}" if jaar not in (None, "") else ""
    bijschrift = f"Figuur {nummer}. {md_tekst(titel)}. Bron: {md_tekst(bron)}{jaar_tekst}."
    return f'![{bijschrift}]({pad}){{fig-alt="{md_attribuut(alt)}"}}'


def kerncijfer_waarde(k: dict) -> str:
    """A key number as Dutch text with its unit (``42%``, ``3,84 (score)``, ``12.345 inwoners``)."""
    waarde = k.get("waarde")
    eenheid = str(k.get("eenheid") or "")
    if waarde is None or isinstance(waarde, str):
        return md_tekst(waarde) if waarde is not None else ONDERDRUKT_TEKEN
    dec = k.get("decimalen")
    if dec is None:
        dec = 0 if float(waarde).is_integer() else (2 if abs(waarde) < 10 else 1)
    if eenheid in {"%", "procent"}:
        return nl.procent(float(waarde), int(dec))
    tekst = nl.getal(float(waarde), int(dec))
    return f"{tekst} {md_tekst(eenheid)}".strip()


def kerncijfers(items: list[dict]) -> str:
    """Key numbers as a bullet list: **label**: value (bron, jaar)."""
    regels = []
    for k in items:
        extra = ", ".join(md_tekst(x) for x in (k.get("bron"), k.get("jaar")) if x not in (None, ""))
        regel = f"- **{md_tekst(k.get('label') or '')}**: {kerncijfer_waarde(k)}"
        if extra:
            regel += f" ({extra})"
        regels.append(regel)
    return "\n".join(regels)


def verhalen(df: Any, tekst_kolom: str, titel_kolom: str | None = None) -> str:
    """Released stories as escaped block quotes, each optionally preceded by its escaped title."""
    blokken = []
    for _, rij in df.iterrows():
        deel = []
        if titel_kolom and isinstance(rij.get(titel_kolom), str):
            deel.append(f"**{md_tekst(rij[titel_kolom])}**\n")
        deel.append(md_citaat(rij[tekst_kolom]))
        blokken.append("\n".join(deel))
    return "\n\n".join(blokken)
