"""Pure aggregation maths of the indicator base: wijk/buurt values -> areas and references.

Everything here is vectorised pandas (merge/groupby); no loops over rows or areas. The
functions take and return plain DataFrames so that they can be tested with hand-computed
cases.

Vocabulary
----------
- *waarden* (long table, one row per code x jaar x indicator): ``indicator, code, jaar, x``
  (the value at code level, in the indicator's unit), ``teller``/``noemer`` (ratio rules),
  ``w`` (weight for weighted means), ``inw`` (inhabitants, used for ``dekking``).
- *leden* (membership): ``groep`` (``focusgebied``/``gemeente_rest``/``gemeente``/
  ``focusgebieden``/``nederland``), ``gebied`` (area id, GM code, ``alle`` or ``NL00``),
  ``jaar``, ``code``.
- Rules: ``som`` (sum of counts), ``ratio`` (factor * sum(teller) / sum(noemer)),
  ``gewogen_gemiddelde`` (sum(w*x) / sum(w)).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from helpers.registers.indicatoren import REGELS  # noqa: F401 - re-used by callers

# Weight provenance, from best to worst.
GEWICHT_ZELFDE = "zelfde indeling"
GEWICHT_GELEEND = "geleend"
GEWICHT_GRENZEN = "geleend, grenzen gewijzigd"
GEWICHT_ONBEKEND = "ontbreekt"

_WIJK_PREFIX = re.compile(r"^wijk\s*\d+\s*")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise_naam(namen: pd.Series) -> pd.Series:
    """Normalise area names for an identity check across years.

    Lower case, a leading ``Wijk NN`` (as in KWB: ``Wijk 01 Lariks``) removed, accents kept,
    everything that is not a letter or digit removed. ``'Wijk 01 Lariks'`` and ``'Lariks'``
    both become ``'lariks'``. Missing names stay missing.
    """
    codes, uniek = pd.factorize(namen.astype("string"), use_na_sentinel=True)
    norm = _normalise_unique(pd.Series(uniek, dtype="string")).to_numpy(dtype=object)
    out = pd.Series([pd.NA] * len(namen), index=namen.index, dtype="string")
    ok = codes >= 0
    out[ok] = norm[codes[ok]]
    return out


def _normalise_unique(namen: pd.Series) -> pd.Series:
    s = namen.astype("string").str.strip().str.lower()
    s = s.str.replace(_WIJK_PREFIX, "", regex=True)
    s = s.str.normalize("NFKD").str.encode("ascii", errors="ignore").str.decode("ascii")
    return s.str.replace(_NON_ALNUM, "", regex=True)


def choose_gewichten(
    doel: pd.DataFrame,
    bron: pd.DataFrame,
    namen: pd.DataFrame | None = None,
    wijzigingen: pd.DataFrame | None = None,
    ongewijzigd: pd.DataFrame | None = None,
    bevestigd: set[str] | frozenset[str] | None = None,
) -> pd.DataFrame:
    """Choose, per (code, jaar) in ``doel``, a weight from ``bron`` (another year allowed).

    Parameters
    ----------
    doel : ``code, jaar`` -- codes (in the indeling of ``jaar``) that need a weight.
    bron : ``code, jaar, gewicht`` -- available weights (e.g. inhabitants per KWB edition,
        whose codes follow the indeling of that edition).
    namen : ``code, jaar, naam`` -- area names per indeling year (regions table), used to check
        that a code denotes the same area in both years.
    wijzigingen : ``code, jaar`` -- codes whose boundaries changed *into* that year
        (``indelingswijziging == 3``).
    ongewijzigd : ``code, jaar`` -- codes that CBS marks unchanged in that year's indeling
        (``indelingswijziging == 1``, KWB ``ind_wbi``).
    bevestigd : codes the area registry states to be the same area in all its years
        (``ongewijzigd`` in ``params/focusgebieden.yml``).

    Rule (documented in docs/aqa/assumptions-caveats.md, section Indicatorbasis):
    1. a weight of the same year (same indeling) -> ``zelfde indeling``;
    2. else the nearest year in which the code denotes the same area and no boundary change
       is recorded between the two years -> ``geleend``;
    3. else the nearest such year with a recorded boundary change -> ``geleend, grenzen
       gewijzigd`` (an approximation, flagged);
    4. the code denotes the same area when its (normalised) name is the same in both years,
       or -- a name variation -- when the code is unchanged (``indelingswijziging`` 1 in the
       later of the two years, or confirmed by the registry) and not reused: a code is reused
       when its name in one year is (part of) the name of another code of the same
       municipality in the other year (Schiedam WK060605: "Kethel" in 2024 was part of
       WK060607 "Groenoord en Kethel" in 2022). A name change together with a boundary change
       or a reused code means another area: the weight is never used (``ontbreekt``), nor is
       one whose name cannot be checked and which is not confirmed.
    Ties in distance go to the later year. Zero or negative weights count as missing.

    Returns ``code, jaar, gewicht, gewichtjaar, gewichtstatus`` with one row per row of
    ``doel`` (``gewicht`` NaN and status ``ontbreekt`` when nothing qualifies).
    """
    doel = doel[["code", "jaar"]].drop_duplicates()
    b = bron[["code", "jaar", "gewicht"]].rename(columns={"jaar": "gewichtjaar"})
    b = b[b["gewicht"].notna() & (b["gewicht"] > 0)]
    kand = doel.merge(b, on="code", how="inner")
    if kand.empty:
        out = doel.copy()
        out["gewicht"] = np.nan
        out["gewichtjaar"] = pd.array([pd.NA] * len(out), dtype="Int64")
        out["gewichtstatus"] = GEWICHT_ONBEKEND
        return out.reset_index(drop=True)
    kand["afstand"] = (kand["jaar"] - kand["gewichtjaar"]).abs()
    zelfde = kand["afstand"] == 0

    hergebruikt = pd.Series(False, index=kand.index)
    if namen is not None and not namen.empty:
        gm = kand["code"].str.slice(0, 6).unique()
        alle = namen[["code", "jaar", "naam"]]
        alle = alle[alle["code"].str.slice(0, 6).isin(gm)].drop_duplicates(["code", "jaar"]).copy()
        alle["naam"] = normalise_naam(alle["naam"])
        n = alle[alle["code"].isin(kand["code"].unique())]
        kand = kand.merge(n.rename(columns={"naam": "naam_doel"}), on=["code", "jaar"], how="left")
        kand = kand.merge(
            n.rename(columns={"jaar": "gewichtjaar", "naam": "naam_bron"}),
            on=["code", "gewichtjaar"], how="left",
        )
        naam_gelijk = (kand["naam_doel"] == kand["naam_bron"]).fillna(False).astype(bool)
        hergebruikt = _hergebruikt(kand, alle, ~naam_gelijk & (kand["afstand"] > 0))
    else:
        naam_gelijk = pd.Series(False, index=kand.index)
    zelfde = kand["afstand"] == 0

    # Unchanged code (CBS indelingswijziging 1 in the later year, or the registry's statement).
    vast = kand["code"].isin(set(bevestigd or ()))
    if ongewijzigd is not None and not ongewijzigd.empty:
        o = ongewijzigd[["code", "jaar"]].drop_duplicates().rename(columns={"jaar": "_later"})
        later = kand[["jaar", "gewichtjaar"]].max(axis=1)
        sleutel = pd.MultiIndex.from_arrays([kand["code"], later])
        vast = vast | pd.Series(sleutel.isin(pd.MultiIndex.from_frame(o)), index=kand.index)

    gewijzigd = pd.Series(False, index=kand.index)
    if wijzigingen is not None and not wijzigingen.empty:
        w = wijzigingen[["code", "jaar"]].drop_duplicates().rename(columns={"jaar": "wjaar"})
        k = kand[["code", "jaar", "gewichtjaar"]].reset_index().merge(w, on="code")
        lo = k[["jaar", "gewichtjaar"]].min(axis=1)
        hi = k[["jaar", "gewichtjaar"]].max(axis=1)
        hit = k.loc[(k["wjaar"] > lo) & (k["wjaar"] <= hi), "index"].unique()
        gewijzigd.loc[hit] = True

    # A name variation is the same area only for an unchanged, not reused code without a
    # recorded boundary change (a name change with a boundary change is another area).
    gelijk = naam_gelijk | (vast & ~hergebruikt & ~gewijzigd)
    kand["rang"] = np.select(
        [zelfde, gelijk & ~gewijzigd, gelijk & gewijzigd],
        [0, 1, 2],
        default=9,
    )
    kand["gewichtstatus"] = np.select(
        [kand["rang"] == 0, kand["rang"] == 1, kand["rang"] == 2],
        [GEWICHT_ZELFDE, GEWICHT_GELEEND, GEWICHT_GRENZEN],
        default=GEWICHT_ONBEKEND,
    )
    kand = kand[kand["rang"] < 9]
    kand = kand.sort_values(["code", "jaar", "rang", "afstand", "gewichtjaar"],
                            ascending=[True, True, True, True, False])
    best = kand.drop_duplicates(["code", "jaar"])[
        ["code", "jaar", "gewicht", "gewichtjaar", "gewichtstatus"]
    ]
    out = doel.merge(best, on=["code", "jaar"], how="left")
    out["gewichtjaar"] = out["gewichtjaar"].astype("Int64")
    out["gewichtstatus"] = out["gewichtstatus"].fillna(GEWICHT_ONBEKEND)
    return out.reset_index(drop=True)


def _hergebruikt(kand: pd.DataFrame, namen: pd.DataFrame, kijk: pd.Series) -> pd.Series:
    """Per candidate row (only where ``kijk``): is the code reused -- its name in one year
    (part of) the name of another code of the same municipality and level in the other year?
    ``namen`` holds normalised names (``code, jaar, naam``)."""
    out = pd.Series(False, index=kand.index)
    sub = kand.loc[kijk, ["code", "jaar", "gewichtjaar", "naam_doel", "naam_bron"]]
    if sub.empty or namen.empty:
        return out
    sub = sub.reset_index().assign(_gm=lambda d: d["code"].str.slice(0, 6))
    n = namen.dropna(subset=["naam"])
    n = n[n["naam"] != ""].assign(_gm=n["code"].str.slice(0, 6)).rename(
        columns={"code": "ander", "naam": "naam_ander"})
    for eigen, jaar in (("naam_bron", "jaar"), ("naam_doel", "gewichtjaar")):
        m = sub.merge(n.rename(columns={"jaar": jaar}), on=["_gm", jaar])
        m = m[(m["ander"] != m["code"]) & m[eigen].notna() & (m[eigen] != "")]
        hit = [a in b or b in a for a, b in zip(m[eigen], m["naam_ander"], strict=True)]
        out.loc[m.loc[hit, "index"].unique()] = True
    return out


def aggregate_rows(
    waarden: pd.DataFrame,
    leden: pd.DataFrame,
    regels: dict[str, dict],
) -> pd.DataFrame:
    """Aggregate code-level values to groups (areas, references).

    Parameters
    ----------
    waarden : ``indicator, code, jaar, x, teller, noemer, w, inw`` (see module docstring);
        optional ``gewichtjaar`` (Int64), ``gewichtstatus``, ``klein`` (bool).
    leden : ``groep, gebied, jaar, code`` (optional ``bron``: then a membership applies only
        to the indicators of that source).
    regels : per indicator ``{"regel": ..., "factor": ...}``.

    Returns one row per ``groep, gebied, indicator, jaar`` with
    ``waarde`` (NaN when no member qualifies -- never 0), ``basis`` (sum of counts, of the
    denominator or of the weights), ``dekking`` (share of the members' inhabitants whose
    values -- and weights, where needed -- are present; members with unknown inhabitants
    count with the mean of the known ones in the group, or by number when none is known),
    ``n_leden``, ``n_met_waarde``, ``n_met_x`` (members with a value, with or without a usable
    weight), ``n_klein``, ``gewichtjaar`` (the weight year covering the
    most inhabitants), ``gewicht_geleend`` (any member used a weight of another year) and
    ``gewichtstatus`` (the worst status among the members used).
    """
    if waarden.empty or leden.empty:
        return pd.DataFrame(columns=[
            "groep", "gebied", "indicator", "jaar", "waarde", "basis", "dekking", "n_leden",
            "n_met_waarde", "n_met_x", "n_klein", "gewichtjaar", "gewicht_geleend", "gewichtstatus",
        ])
    r = pd.DataFrame.from_dict(regels, orient="index")
    r.index.name = "indicator"
    r = r.reset_index()
    if "factor" not in r:
        r["factor"] = 1.0
    r["factor"] = r["factor"].fillna(1.0).astype(float)

    # Members x indicators: every member of a group counts (present or missing) for every
    # indicator that has values in the group's year.
    # With a ``bron`` column in both tables, memberships are per source (a KWB year and a
    # Leefbaarometer year have different code universes).
    on = ["jaar", "bron"] if ("bron" in leden and "bron" in waarden) else ["jaar"]
    inds = waarden[["indicator", *on]].drop_duplicates()
    grid = leden.merge(inds, on=on)
    w = waarden.drop(columns=["bron"]) if "bron" in waarden else waarden
    m = grid.merge(w, on=["indicator", "code", "jaar"], how="left")
    m = m.merge(r[["indicator", "regel", "factor"]], on="indicator", how="left")

    for col in ("x", "teller", "noemer", "w", "inw"):
        if col not in m:
            m[col] = np.nan
    if "klein" not in m:
        m["klein"] = False
    m["klein"] = m["klein"].astype("boolean").fillna(False).astype(bool)

    som = m["regel"] == "som"
    ratio = m["regel"] == "ratio"
    gew = m["regel"] == "gewogen_gemiddelde"
    geldig = (
        (som & m["x"].notna())
        | (ratio & m["teller"].notna() & m["noemer"].notna() & (m["noemer"] > 0))
        | (gew & m["x"].notna() & m["w"].notna() & (m["w"] > 0))
    )
    m["geldig"] = geldig
    m["_som"] = np.where(som & geldig, m["x"], 0.0)
    m["_teller"] = np.where(ratio & geldig, m["teller"], 0.0)
    m["_noemer"] = np.where(ratio & geldig, m["noemer"], 0.0)
    m["_wx"] = np.where(gew & geldig, m["w"] * m["x"], 0.0)
    m["_w"] = np.where(gew & geldig, m["w"], 0.0)

    keys = ["groep", "gebied", "indicator", "jaar"]
    # One integer group id (numbered in order of first appearance); sums with np.bincount.
    gid = m.groupby(keys, sort=False, observed=True).ngroup().to_numpy()
    n = int(gid.max()) + 1

    def som(waarden: Any) -> np.ndarray:
        return np.bincount(gid, weights=np.asarray(waarden, dtype=float), minlength=n)

    # Inhabitants for dekking: impute unknown members with the group's mean known value.
    inw = m["inw"].where(m["inw"] > 0).to_numpy(dtype=float)
    bekend = ~np.isnan(inw)
    mean_inw = som(np.where(bekend, inw, 0.0)) / np.maximum(som(bekend), 1)
    mean_inw = np.where(som(bekend) > 0, mean_inw, 1.0)
    m_inw = np.where(bekend, inw, mean_inw[gid])
    geldig_np = geldig.to_numpy(dtype=bool)

    eerste = m.loc[~pd.Series(gid).duplicated().to_numpy(), keys + ["regel", "factor"]]
    agg = eerste.reset_index(drop=True)
    agg["_som"] = som(m["_som"])
    agg["_teller"] = som(m["_teller"])
    agg["_noemer"] = som(m["_noemer"])
    agg["_wx"] = som(m["_wx"])
    agg["_w"] = som(m["_w"])
    agg["_inw"] = som(m_inw)
    agg["_inw_geldig"] = som(np.where(geldig_np, m_inw, 0.0))
    agg["n_leden"] = np.bincount(gid, minlength=n)
    agg["n_met_waarde"] = som(geldig_np).astype(int)
    agg["n_met_x"] = som((m["x"].notna() | m["teller"].notna()).to_numpy()).astype(int)
    agg["n_klein"] = som((m["klein"] & geldig).to_numpy()).astype(int)
    m["_inw"] = m_inw

    heeft = agg["n_met_waarde"] > 0
    waarde = np.select(
        [agg["regel"] == "som", agg["regel"] == "ratio", agg["regel"] == "gewogen_gemiddelde"],
        [
            agg["_som"],
            agg["factor"] * agg["_teller"] / agg["_noemer"].where(agg["_noemer"] > 0),
            agg["_wx"] / agg["_w"].where(agg["_w"] > 0),
        ],
        default=np.nan,
    )
    agg["waarde"] = np.where(heeft, waarde, np.nan)
    agg["basis"] = np.select(
        [agg["regel"] == "som", agg["regel"] == "ratio", agg["regel"] == "gewogen_gemiddelde"],
        [agg["_som"], agg["_noemer"], agg["_w"]],
        default=np.nan,
    )
    agg["basis"] = np.where(heeft, agg["basis"], np.nan)
    agg["dekking"] = agg["_inw_geldig"] / agg["_inw"].where(agg["_inw"] > 0)

    # Weight provenance among the members actually used.
    if "gewichtjaar" in m:
        used = m[geldig & m["gewichtjaar"].notna()]
        if not used.empty:
            wj = (used.groupby(keys + ["gewichtjaar"], observed=True)["_inw"].sum()
                  .reset_index().sort_values(keys + ["_inw"], ascending=[True] * 4 + [False])
                  .drop_duplicates(keys)[keys + ["gewichtjaar"]])
            agg = agg.merge(wj, on=keys, how="left")
            geleend = used["gewichtjaar"] != used["jaar"]
            gl = geleend.groupby([used[k] for k in keys]).any().rename("gewicht_geleend")
            agg = agg.merge(gl.reset_index(), on=keys, how="left")
        else:
            agg["gewichtjaar"] = pd.NA
            agg["gewicht_geleend"] = False
    else:
        agg["gewichtjaar"] = pd.NA
        agg["gewicht_geleend"] = False
    if "gewichtstatus" in m:
        volgorde = {GEWICHT_ZELFDE: 0, GEWICHT_GELEEND: 1, GEWICHT_GRENZEN: 2}
        used = m[geldig & m["gewichtstatus"].notna()]
        rang = used["gewichtstatus"].map(volgorde).fillna(-1)
        worst = rang.groupby([used[k] for k in keys]).max().rename("_rang").reset_index()
        agg = agg.merge(worst, on=keys, how="left")
        inv = {v: k for k, v in volgorde.items()}
        agg["gewichtstatus"] = agg["_rang"].map(inv)
        agg = agg.drop(columns="_rang")
    else:
        agg["gewichtstatus"] = pd.NA
    agg["gewichtjaar"] = agg["gewichtjaar"].astype("Int64")
    agg["gewicht_geleend"] = agg["gewicht_geleend"].astype("boolean").fillna(False).astype(bool)
    return agg[[
        "groep", "gebied", "indicator", "jaar", "waarde", "basis", "dekking", "n_leden",
        "n_met_waarde", "n_met_x", "n_klein", "gewichtjaar", "gewicht_geleend", "gewichtstatus",
    ]]


BANDEN = ("duidelijk lager", "lager", "gelijk", "hoger", "duidelijk hoger")


def band(verschil: pd.Series, klein: pd.Series, groot: pd.Series) -> pd.Series:
    """Wijkprofiel-style band of a difference (value minus reference).

    ``|verschil| < klein`` -> ``gelijk``; ``klein <= |verschil| < groot`` -> ``lager``/``hoger``;
    ``|verschil| >= groot`` -> ``duidelijk lager``/``duidelijk hoger``. Missing difference or
    thresholds give a missing band. Thresholds are in the indicator's unit.
    """
    d = verschil.astype(float)
    k = klein.astype(float)
    gr = groot.astype(float)
    out = np.select(
        [d <= -gr, d <= -k, d < k, d < gr, d >= gr],
        ["duidelijk lager", "lager", "gelijk", "hoger", "duidelijk hoger"],
        default="",
    )
    s = pd.Series(out, index=verschil.index, dtype="string")
    return s.mask(d.isna() | k.isna() | gr.isna() | (s == ""))
