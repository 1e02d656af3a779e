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
# CBS conventions: "x" = not published (disclosure), "." = no figure available.
ONDERDRUKT_TEKEN = "x"
ONTBREEKT_TEKEN = "."
MIN = "\u2212"  # the typographic minus
# One label column: when a table has the reader column (key), its id columns are not shown.
DUBBELE_KOLOMMEN = {"label": {"code", "indicator", "tak", "werkzaam_element", "categorie",
                              "stelling", "maat", "thema", "vraag"},
                    "naam": {"focusgebied", "gebied", "gebied_id"},
                    "peiljaar": {"jaar"}}
AREA_KOLOMMEN = ("focusgebied", "gebied", "gebied_id")
ALLE_LABEL = "Alle focusgebieden"
# Decimals per unit of the indicator registry (rows of long tables carry an `eenheid` column).
DECIMALEN_PER_EENHEID = {"procent": 1, "%": 1, "score": 2, "afwijking": 2, "aantal": 0,
                         "per 1000 inwoners": 1, "x 1000 euro": 1, "euro": 0}
_EURO = re.compile(r"(^|_)euro$", re.I)


# The elision apostrophe of place names ('s-Gravenhage, 's-Hertogenbosch); other leading
# apostrophes may open a quotation ('n telt') and are left to pandoc.
_ELISIE = re.compile(r"(?<!\w)'(?=s-)")


def md_tekst(tekst: Any) -> str:
    """Free text as inert markdown inline text (one line): HTML-escaped, markdown-escaped.

    ``md_tekst("<script>alert(1)</script>")`` renders as the literal text in HTML, typst and
    PDF. Line breaks become spaces. ``None``/NaN give ''. The elision apostrophe of
    ``'s-Gravenhage`` and ``'s-Hertogenbosch`` becomes the typographic apostrophe, which
    pandoc's smart quotes would otherwise turn into an opening quote.
    """
    if tekst is None or (isinstance(tekst, float) and math.isnan(tekst)):
        return ""
    s = _ELISIE.sub("\u2019", " ".join(str(tekst).split()))
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
    s = str(kolom)
    eenheid = ""
    if _EURO.search(s):
        s, eenheid = _EURO.sub("", s), " (€)"
    elif re.search(r"(^|_)(pct|procent|percentage|perc)$", s, re.I):
        s, eenheid = re.sub(r"(^|_)(pct|procent|percentage|perc)$", "", s, flags=re.I), " (%)"
    elif re.match(r"aandeel(_|$)", s, re.I):
        eenheid = " (%)"
    s = s.replace("_", " ").strip() or str(kolom)
    if s == "n":
        return "n"
    return s[:1].upper() + s[1:] + eenheid


def decimalen(waarde: float) -> int:
    """Decimals shown for one number: 0 for whole numbers and from 1000 up, 2 below 10, else 1.

    Per value, because long tables mix units (counts, scores, shares) in one column.
    """
    v = abs(float(waarde))
    if float(waarde).is_integer() or v >= 1000:
        return 0
    return 2 if v < 10 else 1


def kolom_decimalen(waarden: Any) -> int:
    """One number of decimals for a whole column: 0 when every value is whole, else the
    decimals of the column's typical size (:func:`decimalen` of the median absolute value)."""
    import pandas as pd

    v = pd.to_numeric(pd.Series(waarden), errors="coerce").dropna()
    if v.empty or (v % 1 == 0).all():
        return 0
    typisch = float(v.abs().median()) or float(v.abs().max())
    return 1 if typisch >= 1000 else (2 if typisch < 10 else 1)


def min_teken(tekst: str) -> str:
    """A formatted number with the typographic minus (U+2212) instead of a hyphen-minus."""
    return MIN + tekst[1:] if tekst.startswith("-") else tekst


def cel(waarde: Any, kolom: str, decimalen_: int | None = None) -> str:
    """One table cell, Dutch formatted: numbers via :mod:`helpers.core.nl` with the typographic
    minus, years plain, text escaped.

    ``decimalen_``: fixed decimals, or ``None`` for :func:`decimalen` per value. Missing values
    show :data:`ONTBREEKT_TEKEN` (suppressed ones: :data:`ONDERDRUKT_TEKEN`, set by
    :func:`pipe_tabel`).
    """
    if waarde is None or (isinstance(waarde, float) and math.isnan(waarde)):
        return ONTBREEKT_TEKEN
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    if isinstance(waarde, int | float) and not isinstance(waarde, bool):
        if is_dimensie(kolom) and float(waarde).is_integer():
            return str(int(waarde))
        dec = decimalen(waarde) if decimalen_ is None else decimalen_
        if _PROCENT.search(kolom) and not re.search(r"(^|_)(pct|procent|percentage|perc)$",
                                                    kolom, re.I):
            return min_teken(nl.procent(float(waarde), dec))
        return min_teken(nl.getal(float(waarde), dec))
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


def _shown_columns(df: Any, keuze: list[str]) -> list[str]:
    """The shown columns: no technical or empty ones, one label column (ids dropped when the
    table has their reader column, see :data:`DUBBELE_KOLOMMEN`)."""
    weg = set(VERBORGEN_KOLOMMEN)
    for lezer, ids in DUBBELE_KOLOMMEN.items():
        if lezer in keuze:
            weg |= ids
    return [c for c in keuze if c not in weg
            and not df[c].fillna("").astype(str).str.strip().eq("").all()]


def _rij_decimalen(df: Any) -> list[int | None]:
    """Per row the decimals of its unit (long tables with an ``eenheid`` column), else None."""
    if "eenheid" not in df.columns:
        return [None] * len(df)
    return [DECIMALEN_PER_EENHEID.get(str(e).strip().lower()) for e in df["eenheid"]]


_MINDER_DAN = re.compile(r"^<\s*(\d+)$")


def build_legenda(df: Any, kolommen: list[str], numeriek: dict[str, bool], gebruikt: set[str],
                  min_n: int | None = None) -> list[str]:
    """The explanations of every symbol a table shows (markdown-safe fragments for the one line
    "Tekens: ..." under it): ``x`` not published (suppressed rows), ``.`` no figure (no value in
    the source or edition, or nothing to compare with), a text cell ``< N`` fewer than N.
    ``gebruikt``: the symbols :func:`pipe_tabel` wrote."""
    grens = f"minder dan {nl.getal(min_n)}" if min_n else "te weinig"
    delen = []
    if ONDERDRUKT_TEKEN in gebruikt:
        delen.append(f"{ONDERDRUKT_TEKEN} = niet gepubliceerd: groep met {grens} waarnemingen, "
                     "of een groep waaruit zo'n groep af te leiden zou zijn")
    if ONTBREEKT_TEKEN in gebruikt:
        delen.append(f"{ONTBREEKT_TEKEN} = geen cijfer: niet beschikbaar in de bron of in deze "
                     "editie, of niet te berekenen")
    grenzen = sorted({int(m.group(1)) for c in kolommen if not numeriek[c]
                      for v in df[c].dropna().astype(str)
                      if (m := _MINDER_DAN.match(v.strip()))})
    for g in grenzen:
        delen.append(f"< {nl.getal(g)} = minder dan {nl.getal(g)}; het precieze aantal wordt "
                     "niet gepubliceerd")
    return [md_tekst(d) for d in delen]


def pipe_tabel(df: Any, *, titel: str, bron: str, n_kolom: str | None = None,
               min_n: int | None = None, download: str | None = None,
               kolommen: list[str] | None = None, koppen: dict[str, str] | None = None,
               legenda: str | None = None, n_uitleg: str | None = None) -> str:
    """A DataFrame as a pipe table with caption ("Titel. Bron: ...") and Dutch numbers.

    Numeric columns are right-aligned and have one number of decimals per column
    (:func:`kolom_decimalen`), or per row from the unit when the table has an ``eenheid``
    column; negative numbers show the typographic minus. The column ``onderdrukt``
    (helpers.core.privacy), empty columns and id columns next to their label column are not
    shown. Symbols follow CBS: ``x`` = not published, ``.`` = no figure; one legend line under
    the table explains the symbols it uses (with ``legenda``, the table's own symbols).
    ``kolommen``: the columns to show (the n column is always kept); ``koppen``: header texts;
    ``download``: relative link to the CSV; ``n_uitleg``: what n is when it is not a number of
    observations (e.g. the base of a figure), for the caption. A table without rows is a
    sentence (pandoc would read a header-only pipe table as a definition list).
    """
    import pandas as pd

    keuze = [c for c in kolommen if c in df.columns] if kolommen else list(df.columns)
    if n_kolom and n_kolom in df.columns and n_kolom not in keuze:
        keuze.append(n_kolom)
    kolommen = _shown_columns(df, keuze)
    df = df.copy()
    for c in kolommen:
        if str(c) in AREA_KOLOMMEN and df[c].dtype == object:
            df[c] = df[c].replace({"alle": ALLE_LABEL})
        if (re.match(r"aandeel(_|$)", str(c)) and pd.api.types.is_numeric_dtype(df[c])
                and df[c].abs().max() <= 1):  # a fraction: shown as a percentage
            df[c] = df[c] * 100
    if "bron" in kolommen and df["bron"].nunique() == 1:  # one source: in the caption
        bron = "; ".join(b for b in (bron, str(df["bron"].iloc[0])) if b)
        kolommen.remove("bron")
    if not kolommen or not len(df):
        # no rows (or only empty columns): a sentence, never a header-only pipe table, which
        # pandoc reads as a definition list (invalid list structure in a tagged PDF)
        link = f" [Download (CSV)]({download})." if download else ""
        return (f"**{md_tekst(titel)}** (bron: {md_tekst(bron)}). Deze tabel heeft in deze "
                f"editie geen rijen.{link}")
    numeriek = {c: pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
                and c not in _TEKSTKOLOMMEN for c in kolommen}
    kolom_dec = {c: kolom_decimalen(df[c]) for c in kolommen if numeriek[c]}
    rij_dec = _rij_decimalen(df)
    onderdrukt = (~df["onderdrukt"].fillna("").astype(str).isin(["", "leeg"])).tolist() \
        if "onderdrukt" in df.columns else [False] * len(df)
    kop = "| " + " | ".join(md_tekst(kolomkop(c, koppen)) for c in kolommen) + " |"
    lijn = "|" + "|".join("--:" if numeriek[c] else ":--" for c in kolommen) + "|"
    rijen = []
    gebruikt: set[str] = set()
    for i, rec in enumerate(df[kolommen].itertuples(index=False, name=None)):
        cellen = []
        for c, v in zip(kolommen, rec, strict=True):
            if hasattr(v, "item"):
                v = v.item()
            leeg = v is None or (isinstance(v, float) and math.isnan(v))
            if not numeriek[c] and leeg:
                cellen.append("")
            elif leeg:
                teken = ONDERDRUKT_TEKEN if onderdrukt[i] else ONTBREEKT_TEKEN
                gebruikt.add(teken)
                cellen.append(md_tekst(teken))
            else:
                dec = rij_dec[i] if rij_dec[i] is not None else kolom_dec.get(c)
                cellen.append(cel(v, str(c), dec))
        rijen.append("| " + " | ".join(cellen) + " |")
    bijschrift = f"{md_tekst(titel)}. Bron: {md_tekst(bron)}."
    if n_kolom and n_uitleg:
        bijschrift += f" {md_tekst(n_uitleg.rstrip('.'))}."
    elif n_kolom:
        bijschrift += f" n = aantal waarnemingen (kolom {md_tekst(kolomkop(n_kolom, koppen))})."
    delen = [kop, lijn, *rijen, "", f": {bijschrift}"]
    tekens = ([md_tekst(legenda).rstrip(".\\")] if legenda else []) + build_legenda(
        df, kolommen, numeriek, gebruikt, min_n)
    noten = ["Tekens: " + "; ".join(tekens) + "."] if tekens else []
    if download:
        nummer = re.match(r"Tabel (\d+)\b", str(titel))
        wat = f"tabel {nummer.group(1)}" if nummer else "deze tabel"
        noten.append(f"[Download {wat} (CSV)]({download}).")  # a label, not the file name
    if noten:
        delen += ["", " ".join(noten)]
    return "\n".join(delen)


def figuur(pad: str, *, nummer: int, titel: str, bron: str, jaar: Any, alt: str,
           breedte: str | None = None) -> str:
    """A figure as ``![caption](path){fig-alt="..."}``; the caption states source and year."""
    jaar_tekst = f", {md_tekst(jaar)}" if jaar not in (None, "") else ""
    bijschrift = f"Figuur {nummer}. {md_tekst(titel)}. Bron: {md_tekst(bron)}{jaar_tekst}."
    maat = f" width={breedte}" if breedte else ""
    return f'![{bijschrift}]({pad}){{fig-alt="{md_attribuut(alt)}"{maat}}}'


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
        return min_teken(nl.procent(float(waarde), int(dec)))
    tekst = min_teken(nl.getal(float(waarde), int(dec)))
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
