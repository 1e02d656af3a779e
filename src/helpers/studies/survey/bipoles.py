"""Bipoles: classification of 0-100 sliders into negatief / neutraal / positief and the shares
per group with base n, Wilson 95% intervals, suppression and signal flags.

Classification (cut points from the mapping's ``indeling``): value < ``negatief_onder`` ->
negatief; value > ``positief_boven`` -> positief; otherwise (boundaries included) neutraal.
The base n counts valid slider answers only: "niet van toepassing" and blanks are excluded;
``nvt_pct`` is the share "niet van toepassing" among *all* respondents of the group.
Intervals: Wilson score, 95%, via ``statsmodels.stats.proportion.proportion_confint`` — labelled
*indicatief*: respondents are workshop participants, not a random sample.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers.core.disclosure import atom_membership, protect_overlapping
from helpers.core.privacy import (
    NIET_IDENTIFICEREND,
    drop_non_identifying,
    hide_bases,
    suppress_shares,
)
from helpers.core.stats import wilson
from helpers.registers.sprockler import GROEPEN, ONBEKEND, Mapping

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

CATEGORIEEN = ("negatief", "neutraal", "positief")
INTERVAL_LABEL = "95%-interval (Wilson), indicatief"
KOLOMMEN = ["vraag", "groepering", "groep", "n", "negatief_pct", "neutraal_pct", "positief_pct",
            "nvt_pct", "negatief_ci_laag", "negatief_ci_hoog", "neutraal_ci_laag",
            "neutraal_ci_hoog", "positief_ci_laag", "positief_ci_hoog", "signaal"]


def classify(values: pd.Series, negatief_onder: float, positief_boven: float) -> pd.Series:
    """Category per slider value (0-100); NaN stays missing (pandas ``category`` dtype)."""
    import numpy as np
    import pandas as pd

    v = pd.to_numeric(values, errors="coerce")
    out = np.select([v < negatief_onder, v > positief_boven, v.notna()],
                    ["negatief", "positief", "neutraal"], default="")
    return pd.Series(pd.Categorical(np.where(out == "", None, out), categories=CATEGORIEEN),
                     index=values.index)


def groep_waarden(resp: pd.DataFrame, groepering: str, mapping: Mapping) -> list[str]:
    """All groups of a grouping in a fixed order: the mapping's codes (or the five reporting
    groups), then ``onbekend``; areas: the ids present."""
    if groepering == "groep":
        return list(GROEPEN)
    spec = mapping.vragen[groepering].spec
    if spec.get("gebied"):
        present = sorted(set(resp[groepering].astype(str)) - {ONBEKEND})
        return present + [ONBEKEND]
    codes = list(dict.fromkeys((spec.get("waarden") or {}).values()))
    return codes + ([ONBEKEND] if ONBEKEND not in codes else [])


def counts(resp: pd.DataFrame, mapping: Mapping, groeperingen: list[str] | None = None
           ) -> pd.DataFrame:
    """Unsuppressed counts per (vraag, groepering, groep): ``totaal``, ``n`` (valid), ``nvt``,
    ``leeg`` and one count per category. The overall row has groepering = groep = ``alle``.
    Every group of :func:`groep_waarden` gets a row, also when it is empty (n = 0)."""
    import numpy as np
    import pandas as pd

    groeperingen = mapping.groeperingen if groeperingen is None else groeperingen
    parts = [("alle", pd.Series("alle", index=resp.index), ["alle"])]
    parts += [(g, resp[g].astype(str), groep_waarden(resp, g, mapping)) for g in groeperingen]
    frames = []
    for vraag in mapping.bipolen:
        cat = classify(resp[vraag.id], mapping.negatief_onder, mapping.positief_boven)
        nvt_col = f"{vraag.id}_nvt"
        nvt = (resp[nvt_col].astype(bool) if nvt_col in resp
               else pd.Series(False, index=resp.index))
        ind = pd.DataFrame({k: (cat == k).to_numpy() for k in CATEGORIEEN}, index=resp.index)
        ind["totaal"] = True
        ind["nvt"] = nvt.to_numpy()
        ind = ind.astype(np.int64)
        for groepering, labels, order in parts:
            agg = ind.groupby(labels.to_numpy()).sum().reindex(order, fill_value=0)
            agg.index.name = "groep"
            agg = agg.reset_index()
            agg.insert(0, "groepering", groepering)
            agg.insert(0, "vraag", vraag.id)
            frames.append(agg)
    cols = ["vraag", "groepering", "groep", "totaal", "n", "nvt", "leeg", *CATEGORIEEN]
    if not frames:
        return pd.DataFrame(columns=cols)
    out = pd.concat(frames, ignore_index=True)
    out["n"] = out[list(CATEGORIEEN)].sum(axis=1)
    out["leeg"] = out["totaal"] - out["n"] - out["nvt"]
    return out[cols]


def shares(cnt: pd.DataFrame) -> pd.DataFrame:
    """Percentages (0-100) and Wilson 95% intervals from :func:`counts` (unsuppressed)."""
    import numpy as np


    out = cnt.copy()
    n = out["n"].to_numpy(dtype=float)
    safe = np.where(n > 0, n, 1)
    for k in CATEGORIEEN:
        x = out[k].to_numpy(dtype=float)
        out[f"{k}_pct"] = np.where(n > 0, 100 * x / safe, np.nan)
        lo, hi = wilson(x, n)
        out[f"{k}_ci_laag"] = 100 * lo
        out[f"{k}_ci_hoog"] = 100 * hi
    tot = out["totaal"].to_numpy(dtype=float)
    out["nvt_pct"] = np.where(tot > 0, 100 * out["nvt"].to_numpy(dtype=float) / np.where(
        tot > 0, tot, 1), np.nan)
    return out


def bipole_table(resp: pd.DataFrame, mapping: Mapping, *, groeperingen: list[str] | None = None,
                 min_n: int | None = None, signaal_n: int | None = None) -> pd.DataFrame:
    """The publishable bipole table (columns :data:`KOLOMMEN` + ``onderdrukt`` + ``interval``).

    Shares of groups below ``min_n`` (after exclusions) are removed, with secondary suppression
    chosen over all groupings of a question together (:func:`protect_groupings`, per grouping
    the hidden groups count at least ``min_n`` persons together): the groupings overlap (the
    reporting group is derived from role and organisation type), so a hidden group must not be
    a linear combination of shown groups of any grouping (rank check). The non-identifying
    category ``onbekend`` is dropped first (it counts in ``alle`` only); ``signaal`` marks bases
    below ``signaal_n``. The base n of a hidden row is not shown either: ``'< {min_n}'`` for a
    group below ``min_n``, empty for a secondarily hidden one
    (:func:`helpers.core.privacy.hide_bases`). Thresholds default to the mapping's ``drempels``.
    """

    min_n = mapping.min_n if min_n is None else min_n
    signaal_n = mapping.signaal_n if signaal_n is None else signaal_n
    groeperingen = mapping.groeperingen if groeperingen is None else groeperingen
    tab = shares(counts(resp, mapping, groeperingen))
    value_cols = [c for c in KOLOMMEN if c.endswith(("_pct", "_laag", "_hoog"))]
    # Primary suppression, empty groups and signals per row (each row its own partition, so no
    # secondary suppression here): the secondary suppression is chosen over all groupings of a
    # question together by protect_groupings.
    tab = suppress_shares(drop_non_identifying(tab, "groep"), n_col="n", groups_col="groep",
                          total_label="alle", value_cols=value_cols,
                          by=["vraag", "groepering", "groep"], min_n=min_n, signaal_n=signaal_n)
    tab = protect_groupings(tab, resp, mapping, groeperingen, value_cols, min_n=min_n)
    tab["n"] = hide_bases(tab, n_col="n", min_n=min_n)
    tab["interval"] = INTERVAL_LABEL
    out = tab[KOLOMMEN + ["onderdrukt", "interval"]].reset_index(drop=True)
    out.attrs["samenstelling"] = samenstelling(resp, mapping, groeperingen)
    return out


def samenstelling(resp: pd.DataFrame, mapping: Mapping, groeperingen: list[str]) -> dict:
    """The atoms of the groupings for the disclosure audit (:mod:`helpers.publish.audit`):
    ``groeperingen``, ``atomen`` (the distinct label combinations of the respondents, no
    counts), ``geldig`` (per question the atoms with a valid answer), ``vrij`` (the
    non-identifying labels) and ``blok``/``groepering`` (the table's columns)."""
    import pandas as pd

    labels = pd.DataFrame({g: resp[g].astype(str) for g in groeperingen}, index=resp.index)
    atomen = labels.drop_duplicates().reset_index(drop=True)
    sleutel = atomen.apply(tuple, axis=1) if groeperingen else pd.Series(dtype=object)
    index = {k: i for i, k in enumerate(sleutel)}
    geldig = {}
    for vraag in mapping.bipolen:
        ok = classify(resp[vraag.id], mapping.negatief_onder, mapping.positief_boven).notna()
        rows = labels[ok.to_numpy()].drop_duplicates().apply(tuple, axis=1) if groeperingen else []
        geldig[vraag.id] = sorted(index[k] for k in rows)
    return {"groeperingen": list(groeperingen), "atomen": atomen.to_numpy().tolist(),
            "geldig": geldig, "vrij": list(NIET_IDENTIFICEREND), "blok": "vraag",
            "groepering": "groepering"}


def protect_groupings(tab: pd.DataFrame, resp: pd.DataFrame, mapping: Mapping,
                      groeperingen: list[str], value_cols: list[str], *, min_n: int
                      ) -> pd.DataFrame:
    """Secondary suppression across the overlapping groupings of each question: the atoms are
    the respondents' label combinations over ``groeperingen`` (valid answers of that question
    only); rows added to the hidden ones get ``onderdrukt = "secundair"``, blank values and no
    signal (:func:`helpers.core.disclosure.protect_overlapping`); a hidden row with exactly
    the persons of a non-identifying category (e.g. role ``anders`` = the one respondent whose
    reporting group is ``onbekend``) is exempt; the reporting groups
    (groepering ``groep``, the main result) are hidden only when nothing else protects."""
    import numpy as np
    import pandas as pd

    out = tab.copy()
    labels = pd.DataFrame({g: resp[g].astype(str) for g in groeperingen}, index=resp.index)
    for vraag, idx in out.groupby("vraag", sort=False).groups.items():
        valid = classify(resp[vraag], mapping.negatief_onder, mapping.positief_boven).notna()
        part = out.loc[idx]
        rows = list(zip(part["groepering"].astype(str), part["groep"].astype(str), strict=True))
        if not valid.any():
            continue
        m = atom_membership(labels[valid.to_numpy()], rows)
        unknown = [(g, v) for g in groeperingen for v in NIET_IDENTIFICEREND]
        free = atom_membership(labels[valid.to_numpy()], unknown)
        status = protect_overlapping(m, list(part["onderdrukt"]), list(part["n"].astype(float)),
                                     partition=list(part["groepering"]), min_n=min_n,
                                     total=list(part["groepering"] == "alle"),
                                     keep=list(part["groepering"] == "groep"),
                                     exempt=free[free.any(axis=1)])
        new = [i for i, s in zip(idx, status, strict=True) if s != out.at[i, "onderdrukt"]]
        out.loc[new, "onderdrukt"] = "secundair"
        out.loc[new, "signaal"] = ""
        out.loc[new, value_cols] = np.nan
    return out
