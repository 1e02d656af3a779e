"""The factsheet of one focus area (two A4 pages): name, gemeente and inhabitants; the map; at
most :data:`MAX_INDICATOREN` key indicators with their band against the rest of the gemeente and
the Netherlands (colour and words); the Leefbaarometer trend; the area's interventions per
theme; "Zo lees je deze factsheet". Provenance is in the publication's Verantwoording.

What a factsheet shows is set in ``factsheet`` of ``params/publicatie.yml``: the notebook and
table of the key indicators (``tabel``), the indicators in order (``indicatoren``), the
inhabitants' indicator (``inwoners``) and the figures (``figuren``: name prefixes, the area id
appended).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from helpers.core import nl
from helpers.publish import layout
from helpers.publish.content import Resultaat
from helpers.registers import focusgebieden
from helpers.registers import interventies as interventie_reg

MAX_INDICATOREN = 12
# The band's direction as a colour class (HTML: CSS; PDF: the Lua filter) and a sign; the words
# of the band itself are always shown next to them. (No '=' sign: at the start of Typst markup
# it would open a heading.)
BAND_KLASSE = {
    "duidelijk lager": ("band-lager", "▼▼"),
    "lager": ("band-lager", "▼"),
    "gelijk": ("band-gelijk", "≈"),
    "hoger": ("band-hoger", "▲"),
    "duidelijk hoger": ("band-hoger", "▲▲"),
}
GEEN_INTERVENTIES = "Dit gebied deed niet mee aan de verdiepende studies van deze monitor."
GEEN_KERNCIJFERS = "Voor dit gebied zijn in deze editie nog geen kerncijfers beschikbaar."


def load_gemeentenamen(processed: Path | None) -> dict[str, str]:
    """Area id -> name of its municipality (latest indeling in ``regions.parquet``; {} when the
    table is not there)."""
    import pandas as pd

    pad = Path(processed) / "regions.parquet" if processed else None
    if pad is None or not pad.exists():
        return {}
    regio = pd.read_parquet(pad, columns=["code", "naam", "soort", "indelingsjaar"])
    gm = regio[regio["soort"] == "gemeente"].sort_values("indelingsjaar")
    namen = dict(zip(gm["code"], gm["naam"], strict=True))
    return {
        g.id: namen[g.gemeente] for g in focusgebieden.load_focusgebieden() if g.gemeente in namen
    }


def build_band(band: Any) -> str:
    """A band as a coloured sign plus its words: ``[▼ lager]{.band-lager}``; '.' when empty."""
    if band is None or (isinstance(band, float) and band != band) or not str(band).strip():
        return layout.md_tekst(layout.ONTBREEKT_TEKEN)
    woorden = str(band).strip()
    klasse, teken = BAND_KLASSE.get(woorden, ("band-gelijk", "·"))
    return f"[{teken} {layout.md_tekst(woorden)}]{{.{klasse}}}"


def _waarde(rij: Any, kolom: str) -> str:
    """A value with its unit in the cell: ``11,2%``, ``€ 28.900``, ``4,04``."""
    v = rij.get(kolom)
    if v is None or (isinstance(v, float) and v != v):
        return layout.md_tekst(layout.ONTBREEKT_TEKEN)
    eenheid = str(rij.get("eenheid") or "").strip().lower()
    if eenheid == "x 1000 euro":
        return "€ " + layout.min_teken(nl.getal(float(v) * 1000, 0))
    dec = layout.DECIMALEN_PER_EENHEID.get(eenheid, 1)
    if eenheid in {"procent", "%"}:
        return layout.min_teken(nl.procent(float(v), dec))
    return layout.min_teken(nl.getal(float(v), dec))


def build_kerntabel(df: Any, gid: str, indicatoren: list[str], *, titel: str, bron: str) -> str:
    """The key indicators of area ``gid`` as a pipe table (at most :data:`MAX_INDICATOREN`):
    indicator (unit, year), area, rest of the gemeente, the Netherlands, and the two bands."""
    deel = df[df["focusgebied"].astype(str) == gid]
    rijen = []
    gebruikt = False
    for ind in indicatoren[:MAX_INDICATOREN]:
        sel = deel[deel["indicator"].astype(str) == ind]
        if sel.empty:
            continue
        rij = sel.iloc[0].to_dict()
        jaar = rij.get("peiljaar") if "peiljaar" in rij else rij.get("jaar")
        kop = (
            f"{rij.get('label') or ind} ({int(jaar)})"
            if jaar == jaar and jaar
            else str(rij.get("label") or ind)
        )
        cellen = [
            layout.md_tekst(kop),
            _waarde(rij, "waarde"),
            _waarde(rij, "gemeente_rest"),
            _waarde(rij, "nederland"),
            build_band(rij.get("band_gemeente_rest")),
            build_band(rij.get("band_nederland")),
        ]
        gebruikt = gebruikt or any(c == "\\." for c in cellen)
        rijen.append("| " + " | ".join(cellen) + " |")
    if not rijen:
        return GEEN_KERNCIJFERS
    kop = (
        "| Indicator (jaar) | Gebied | Rest van de gemeente | Nederland | "
        "Tegenover de gemeente | Tegenover Nederland |"
    )
    # relative widths (pandoc reads them from the dashes): a wide label column
    lijn = (
        "|:"
        + "-" * 33
        + "|"
        + "-" * 9
        + ":|"
        + "-" * 11
        + ":|"
        + "-" * 9
        + ":|:"
        + "-" * 17
        + "|:"
        + "-" * 17
        + "|"
    )
    noot = "Tekens: ▲ hoger, ▼ lager, ≈ ongeveer gelijk (twee tekens: duidelijk)"
    noot += "; \\. = geen cijfer beschikbaar." if gebruikt else "."
    return "\n".join(
        [
            kop,
            lijn,
            *rijen,
            "",
            f": {layout.md_tekst(titel)}. Bron: {layout.md_tekst(bron)}.",
            "",
            noot,
        ]
    )


def build_interventies(gid: str) -> str:
    """The area's interventions per theme from ``params/interventies.yml``, as a short list."""
    register = interventie_reg.load_register()
    regels = []
    for spec in register.values():
        namen = []
        for item in spec["interventies"]:
            if item["focusgebied"] != gid:
                continue
            fasen = [f for f, k in (("fase 1", "fase_1"), ("fase 2", "fase_2")) if item[k]]
            tekst = item["interventie"] + (f" ({' en '.join(fasen)})" if fasen else "")
            if tekst not in namen:
                namen.append(tekst)
        if namen:
            regels.append(
                f"- **{layout.md_tekst(spec['titel'])}:** "
                + "; ".join(layout.md_tekst(n) for n in namen)
                + "."
            )
    return "\n".join(regels) or GEEN_INTERVENTIES


def build_kop(df: Any, gid: str, gemeente: str, inwoners: str) -> str:
    """'Gemeente Utrecht · 35.120 inwoners (2024)' from the key-indicator table."""
    delen = [f"Gemeente {layout.md_tekst(gemeente)}"] if gemeente else []
    if df is not None and {"focusgebied", "indicator", "waarde"} <= set(df.columns):
        sel = df[(df["focusgebied"].astype(str) == gid) & (df["indicator"].astype(str) == inwoners)]
        if len(sel) and sel.iloc[0]["waarde"] == sel.iloc[0]["waarde"]:
            rij = sel.iloc[0]
            jaar = rij.get("peiljaar") if "peiljaar" in sel.columns else rij.get("jaar")
            delen.append(
                f"{nl.getal(float(rij['waarde']))} inwoners"
                + (f" ({int(jaar)})" if jaar == jaar and jaar else "")
            )
    return " · ".join(delen)


def build_bevinding(df: Any, gid: str, naam: str, gemeente: str, indicator: str = "lbm") -> str:
    """The finding of the area's Leefbaarometer figures, from the data, for their alt text:
    'Utrecht Overvecht scoort 4,04 (2024), duidelijk lager dan de rest van Utrecht (4,13) en
    duidelijk lager dan Nederland (4,16).' ('' without a value)."""
    if df is None or not {"focusgebied", "indicator", "waarde"} <= set(df.columns):
        return ""
    sel = df[(df["focusgebied"].astype(str) == gid) & (df["indicator"].astype(str) == indicator)]
    if sel.empty or sel.iloc[0]["waarde"] != sel.iloc[0]["waarde"]:
        return ""
    rij = sel.iloc[0].to_dict()

    def getal(k: str) -> str:
        v = rij.get(k)
        return layout.min_teken(nl.getal(float(v), 2)) if v is not None and v == v else ""

    jaar = rij.get("peiljaar") if "peiljaar" in rij else rij.get("jaar")
    zin = f"{naam} scoort {getal('waarde')}" + (f" ({int(jaar)})" if jaar == jaar and jaar else "")
    delen = []
    for band, ref, wie in (
        ("band_gemeente_rest", "gemeente_rest",
         f"de rest van {gemeente}" if gemeente else "de rest van de gemeente"),
        ("band_nederland", "nederland", "Nederland"),
    ):
        b = rij.get(band)
        if isinstance(b, str) and b.strip() and getal(ref):
            woorden = "ongeveer gelijk aan" if b.strip() == "gelijk" else f"{b.strip()} dan"
            delen.append(f"{woorden} {wie} ({getal(ref)})")
    return zin + (", " + " en ".join(delen) if delen else "") + "."


def build_figuren(
    r: Resultaat | None,
    gid: str,
    namen: list[str],
    figuur: Callable[[Resultaat, str, dict], str],
    bevinding: str = "",
) -> list[str]:
    """The area's figures ``<naam>_<gid>`` in the order of ``namen`` (missing ones skipped).
    ``bevinding``: the finding from the data, put before the figure's own alt text."""
    if r is None:
        return []
    uit = []
    for naam in namen:
        meta = r.figuren.get(f"{naam}_{gid}")
        if meta is not None:
            if bevinding:
                meta = {**meta, "alt": f"{bevinding} {meta.get('alt') or ''}".strip()}
            uit.append(figuur(r, f"{naam}_{gid}", meta))
    return uit
