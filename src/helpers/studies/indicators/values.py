"""Code-level values of every registered indicator (step 2 of the indicator base).

From the processed national tables (``kwb.parquet``, ``leefbaarometer.parquet``,
``regions.parquet``) to one long table of wijk/buurt/gemeente values with weights.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from helpers.core.codes import per_code
from helpers.registers.indicatoren import Registry
from helpers.studies.indicators.aggregate import GEWICHT_ZELFDE, choose_gewichten
from helpers.studies.indicators.model import Meldingen

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


_ODATA_KEY = re.compile(r"(k_)?[A-Za-z0-9]*[A-Z][A-Za-z0-9]*_(\d+)")


def odata_stam(naam: str) -> str:
    """Match key of a source column: an OData key without its numeric suffix (the suffix
    differs per KWB table: ``HuishOnderOfRondSociaalMinimum_79`` in 2019, another number in
    later editions); kwb.xlsx short names and StatLine headers are kept as they are."""
    m = _ODATA_KEY.fullmatch(naam)
    return "odata:" + naam[: m.start(2) - 1] if m else naam


def _kwb_ruw(kwb: pd.DataFrame, reg: Registry) -> pd.DataFrame:
    """Raw KWB values per indicator: ``indicator, code, jaar, x, variabele``.

    The first listed source column present for a (code, jaar) wins.
    """
    import pandas as pd

    jaren = sorted(kwb["jaar"].unique().tolist()) if not kwb.empty else []
    rows = []
    for ind in reg:
        if ind.bron != "kwb" or not ind.kolommen:
            continue
        for jaar in jaren:
            for prio, naam in enumerate(ind.kolommen_voor(int(jaar))):
                rows.append((ind.id, int(jaar), naam, prio))
    kaart = pd.DataFrame(rows, columns=["indicator", "jaar", "sleutel", "prio"])
    if kaart.empty or kwb.empty:
        return pd.DataFrame(columns=["indicator", "code", "jaar", "x", "variabele"])
    kaart["sleutel"] = kaart["sleutel"].map(odata_stam)
    namen = pd.Series(kwb["variabele"].unique())
    stam = pd.DataFrame({"variabele": namen, "sleutel": namen.map(odata_stam)})
    k = kwb[["code", "jaar", "variabele", "waarde"]].merge(stam, on="variabele")
    m = k.merge(kaart, on=["jaar", "sleutel"])
    m = m.sort_values(["indicator", "code", "jaar", "prio"]).drop_duplicates(
        ["indicator", "code", "jaar"])
    return m.rename(columns={"waarde": "x"})[["indicator", "code", "jaar", "x", "variabele"]]


def _prefix(codes: pd.Series, prefixes: tuple[str, ...] | str) -> pd.Series:
    """``codes.str.startswith(prefixes)`` computed once per distinct code (fast on long tables)."""
    return per_code(codes, lambda s: s.str.startswith(prefixes)).fillna(False).astype(bool)


def _naaste_inwoners(doel: pd.DataFrame, inw: pd.DataFrame) -> pd.DataFrame:
    """Inhabitants of each (code, jaar) of ``doel`` in the nearest KWB edition (ties: the
    later), whatever the name or boundary: ``code, jaar, _inw_naast`` (for coverage only)."""
    d = doel[["code", "jaar"]].drop_duplicates()
    b = inw[inw["inw"] > 0].rename(columns={"jaar": "_j"})
    k = d.merge(b, on="code")
    k["_afstand"] = (k["jaar"] - k["_j"]).abs()
    k = k.sort_values(["code", "jaar", "_afstand", "_j"], ascending=[True, True, True, False])
    k = k.drop_duplicates(["code", "jaar"]).rename(columns={"inw": "_inw_naast"})
    return k[["code", "jaar", "_inw_naast"]]


def wijkwaarden(
    kwb: pd.DataFrame,
    lbm: pd.DataFrame,
    regions: pd.DataFrame,
    reg: Registry,
    meldingen: Meldingen | None = None,
    bevestigd: set[str] | frozenset[str] | None = None,
) -> pd.DataFrame:
    """Code-level values of every registered indicator.

    Returns ``indicator, bron, code, jaar, x, teller, noemer, w, inw, gewichtjaar,
    gewichtstatus, klein, variabele``. ``x`` is in the indicator's unit (ratios recomputed at
    code level for maps and spread). Invalid source values -- negative counts, percentages
    outside 0-100 -- are set to missing and reported in ``meldingen`` (never used silently).
    Leefbaarometer weights are inhabitants chosen by :func:`helpers.studies.indicators.aggregate.kies_gewichten`
    (``bevestigd``: codes the area registry states unchanged). ``inw`` of a Leefbaarometer row
    is its weight, or -- a known wijk without a usable weight -- its inhabitants in the nearest
    KWB edition, so that coverage counts it with its real size.
    """
    import numpy as np
    import pandas as pd

    meldingen = meldingen if meldingen is not None else Meldingen()
    ruw = _kwb_ruw(kwb, reg)
    ruw["bron"] = "kwb"

    # Validate raw values: negative counts, percentages outside 0-100.
    eenheid = ruw["indicator"].map({i.id: i.eenheid for i in reg})
    is_aantal = ruw["indicator"].map({i.id: i.eenheid in ("aantal", "x 1000 euro")
                                      or i.eenheid.startswith("per") for i in reg}).astype(bool)
    is_pct = ruw["indicator"].map({i.id: i.eenheid == "procent" for i in reg}).astype(bool)
    neg = is_aantal & (ruw["x"] < 0)
    pct = is_pct & ((ruw["x"] < 0) | (ruw["x"] > 100))
    slecht = ruw[neg | pct]
    for (iid, jaar, var), grp in slecht.groupby(["indicator", "jaar", "variabele"]):
        soort = "negatief aantal" if eenheid.loc[grp.index[0]] != "procent" else "percentage buiten 0-100"
        voorbeeld = ", ".join(f"{c}={x:g}" for c, x in zip(grp["code"][:5], grp["x"][:5], strict=False))
        meldingen.add("ongeldige waarde",
                      f"{soort} in kolom '{var}' (KWB {jaar}) voor {len(grp)} code(s): {voorbeeld}; "
                      "als ontbrekend behandeld", jaar=int(jaar), indicator=iid)
    ruw.loc[neg | pct, "x"] = np.nan

    inw = ruw[ruw["indicator"] == "inwoners"][["code", "jaar", "x"]].rename(columns={"x": "inw"})

    delen = []
    for ind in reg:
        if ind.bron != "kwb":
            continue
        if ind.regel == "ratio":
            t = ruw[ruw["indicator"] == ind.teller][["code", "jaar", "x", "variabele"]]
            n = ruw[ruw["indicator"] == ind.noemer][["code", "jaar", "x"]]
            d = t.rename(columns={"x": "teller"}).merge(
                n.rename(columns={"x": "noemer"}), on=["code", "jaar"], how="outer")
            d["x"] = ind.factor * d["teller"] / d["noemer"].where(d["noemer"] > 0)
        else:
            d = ruw[ruw["indicator"] == ind.id][["code", "jaar", "x", "variabele"]].copy()
            d["teller"] = np.nan
            d["noemer"] = np.nan
        if ind.regel == "gewogen_gemiddelde":
            w = ruw[ruw["indicator"] == ind.gewicht][["code", "jaar", "x"]].rename(columns={"x": "w"})
            d = d.merge(w, on=["code", "jaar"], how="left")
            nul = d["x"].notna() & ~(d["w"] > 0)
            if nul.any():
                codes = d.loc[nul, "code"].head(5).tolist()
                meldingen.add("gewicht nul of ontbrekend",
                              f"{int(nul.sum())} code(s) met een waarde maar zonder positief gewicht "
                              f"'{ind.gewicht}' (bv. {', '.join(codes)}); niet meegewogen",
                              indicator=ind.id)
        else:
            d["w"] = np.nan
        d["indicator"] = ind.id
        d["bron"] = "kwb"
        d = d.merge(inw, on=["code", "jaar"], how="left")
        d["gewichtjaar"] = pd.array(np.where(d["w"].notna(), d["jaar"], np.nan), dtype="Int64") \
            if ind.regel == "gewogen_gemiddelde" else pd.array([pd.NA] * len(d), dtype="Int64")
        d["gewichtstatus"] = pd.array(np.where(d["w"].notna(), GEWICHT_ZELFDE, None)
                                      if ind.regel == "gewogen_gemiddelde" else [None] * len(d),
                                      dtype="string")
        delen.append(d)

    # Leefbaarometer: inhabitant weights, borrowed from another KWB year where needed.
    lbm_inds = [i for i in reg if i.bron == "leefbaarometer"]
    if lbm_inds and not lbm.empty:
        lw = lbm.copy()
        doel = lw[["code", "jaar"]]
        namen = regions.rename(columns={"indelingsjaar": "jaar"})[["code", "jaar", "naam"]] \
            if not regions.empty else None
        wijz = regions.loc[regions["indelingswijziging"].astype("Float64") == 3,
                           ["code", "indelingsjaar"]].rename(columns={"indelingsjaar": "jaar"}) \
            if not regions.empty else None
        vast = regions.loc[regions["indelingswijziging"].astype("Float64") == 1,
                           ["code", "indelingsjaar"]].rename(columns={"indelingsjaar": "jaar"}) \
            if not regions.empty else None
        gew = choose_gewichten(doel, inw.rename(columns={"inw": "gewicht"}), namen, wijz,
                             vast, bevestigd)
        lw = lw.merge(gew, on=["code", "jaar"], how="left")
        lw = lw.merge(_naaste_inwoners(doel, inw), on=["code", "jaar"], how="left")
        for ind in lbm_inds:
            d = pd.DataFrame({
                "indicator": ind.id, "bron": "leefbaarometer", "code": lw["code"],
                "jaar": lw["jaar"], "x": lw[ind.kolom].astype(float), "teller": np.nan,
                "noemer": np.nan, "w": lw["gewicht"],
                "inw": lw["gewicht"].where(lw["gewicht"].notna(), lw["_inw_naast"]),
                "gewichtjaar": lw["gewichtjaar"],
                "gewichtstatus": lw["gewichtstatus"].astype("string"),
                "variabele": ind.kolom,
            })
            delen.append(d)
    cols = ["indicator", "bron", "code", "jaar", "x", "teller", "noemer", "w", "inw",
            "gewichtjaar", "gewichtstatus", "variabele"]
    delen = [d[cols] for d in delen if not d.empty]
    out = pd.concat(delen, ignore_index=True) if delen else pd.DataFrame(columns=cols)
    out["jaar"] = out["jaar"].astype(int)
    out["gewichtjaar"] = out["gewichtjaar"].astype("Int64")
    wijkcode = _prefix(out["code"], ("WK", "BU"))
    out["klein"] = wijkcode & (out["inw"] < reg.min_inwoners_wijk).fillna(False)
    return out
