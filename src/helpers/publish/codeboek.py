"""Downloads for people who work with the data: reader labels as column headers and a codebook.

:func:`build_lezerstabel` renames a table's columns to the headers a reader sees in the
publication (``params/publicatie.yml`` ``kolomkoppen``, indicator labels from the registry,
otherwise :func:`helpers.publish.layout.kolomkop`), with the unit in the header where a column
has one unit. :func:`build_codeboek` gives one row per column: the sheet, the header, the
original column id, the label, the unit and the source. Cell values stay as computed (ids of
areas and indicators included), so the codebook is the key to the data.
"""

from __future__ import annotations

import re
from typing import Any

from helpers.publish import layout

CODEBOEK_BLAD = "Codeboek"
#: Unit of a share stored as a fraction (the publication's body shows it as a percentage;
#: a download keeps the computed value, so its header must not say %).
FRACTIE = "fractie (0–1)"
_AANTAL = re.compile(
    r"^(n|aantal|segmenten|respondenten(_totaal)?|deelnemers|huishoudens.*|"
    r"initiatieven|interventies|focusgebieden|basis)$",
    re.I,
)


def build_eenheid(kolom: str, df: Any, eenheden: dict[str, str]) -> str:
    """The unit of one column: from the indicator registry (``eenheden``: id -> unit), else
    from its name (``%`` for shares, ``€`` for amounts, ``aantal`` for counts, ``jaar``), or
    'per rij (kolom eenheid)' for long tables; '' for text."""
    import pandas as pd

    k = str(kolom)
    if k in eenheden:
        return eenheden[k]
    if is_fractie(k, df):
        return FRACTIE
    if re.search(
        r"(^|_)(pct|procent|percentage|perc)$|^aandeel(_|$)|^(positief|neutraal|negatief)$", k, re.I
    ):
        return "%"
    if re.search(r"(^|_)euro$", k, re.I):
        return "€"
    if layout.is_dimensie(k) and re.search(r"jaar", k, re.I):
        return "jaar"
    if _AANTAL.match(k):
        return "aantal"
    if k in df.columns and pd.api.types.is_numeric_dtype(df[k]) and "eenheid" in df.columns:
        return "per rij (kolom Eenheid)"
    return ""


def is_fractie(kolom: str, df: Any) -> bool:
    """True for a share column (``aandeel…``) stored as a fraction: numeric, all values within
    0–1 (the rule by which :func:`helpers.publish.layout.pipe_tabel` shows it as a %)."""
    import pandas as pd

    k = str(kolom)
    if not re.match(r"aandeel(_|$)", k, re.I) or k not in df.columns:
        return False
    s = df[k]
    return bool(pd.api.types.is_numeric_dtype(s) and s.notna().any() and s.abs().max() <= 1)


def build_koppen(
    df: Any, *, koppen: dict[str, str], labels: dict[str, str], eenheden: dict[str, str]
) -> dict[str, str]:
    """Column id -> unique reader header (with ``(unit)`` for an indicator column)."""
    uit: dict[str, str] = {}
    for c in df.columns:
        k = str(c)
        if k in koppen:
            kop = str(koppen[k])
        elif k in labels:
            kop = labels[k] + (f" ({eenheden[k]})" if eenheden.get(k) else "")
        else:
            kop = layout.kolomkop(k)
            if is_fractie(k, df):
                kop = re.sub(r" \(%\)$", "", kop) + " (fractie 0–1)"
        while kop in uit.values():
            kop = f"{kop} [{k}]"
        uit[k] = kop
    return uit


def build_lezerstabel(df: Any, koppen: dict[str, str]) -> Any:
    """The table with reader headers (same cells)."""
    return df.rename(columns={c: koppen.get(str(c), str(c)) for c in df.columns})


def build_codeboek(
    blad: str,
    df: Any,
    koppen: dict[str, str],
    *,
    eenheden: dict[str, str],
    labels: dict[str, str],
    bron: str,
) -> list[dict]:
    """One codebook row per column of ``df``: blad, kolom (header), id, label, eenheid, bron."""
    rijen = []
    for c in df.columns:
        k = str(c)
        kop = koppen.get(k, k)
        rijen.append(
            {
                "blad": blad,
                "kolom": kop,
                "id": k,
                "label": labels.get(k) or re.sub(r" \((%|€|fractie 0–1)\)$", "", kop),
                "eenheid": build_eenheid(k, df, eenheden),
                "bron": bron,
            }
        )
    return rijen
