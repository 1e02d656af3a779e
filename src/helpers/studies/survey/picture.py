"""Picture pointer ("overheersend gevoel"): dots (x, y in 0-100, origin bottom-left) on a
picture whose named rectangular regions come from the mapping. A dot belongs to the first
region with ``x_min <= x < x_max`` and ``y_min <= y < y_max``; the upper bound 100 is included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers.core.privacy import suppress_group_table
from helpers.registers.sprockler import GROEPEN

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

BUITEN = "buiten de gebieden"


def region_of(x: float, y: float, gebieden: list[dict]) -> str:
    """Name of the region containing (x, y) (:data:`BUITEN` when none does)."""
    for g in gebieden:
        (x0, x1), (y0, y1) = g["x"], g["y"]
        if x0 <= x < x1 + (1e-9 if x1 >= 100 else 0) and y0 <= y < y1 + (1e-9 if y1 >= 100 else 0):
            return str(g["naam"])
    return BUITEN


def points(resp: pd.DataFrame, vraag: str, gebieden: list[dict]) -> pd.DataFrame:
    """Answered dots with ``x``, ``y``, ``gebied`` and ``groep``."""
    sel = resp.dropna(subset=[f"{vraag}_x", f"{vraag}_y"])
    out = sel[[f"{vraag}_x", f"{vraag}_y", "groep"]].copy()
    out.columns = ["x", "y", "groep"]
    out["gebied"] = [region_of(a, b, gebieden) for a, b in zip(out["x"], out["y"], strict=True)]
    return out


def picture_table(resp: pd.DataFrame, mapping, vraag: str = "gevoel", *,
                  min_n: int | None = None, signaal_n: int | None = None) -> pd.DataFrame:
    """Share (%) of dots per region, overall and per reporting group, suppressed like the
    bipoles (columns ``vraag, groepering, groep, n, <regio>_pct..., onderdrukt, signaal``)."""
    import pandas as pd


    gebieden = mapping.vragen[vraag].spec["gebieden"]
    pts = points(resp, vraag, gebieden)
    names = [g["naam"] for g in gebieden] + [BUITEN]
    rows = []
    for groepering, groep in [("alle", "alle")] + [("groep", g) for g in GROEPEN]:
        sel = pts if groep == "alle" else pts[pts["groep"] == groep]
        row = {"vraag": vraag, "groepering": groepering, "groep": groep, "n": len(sel)}
        for nm in names:
            row[f"{nm}_pct"] = 100 * float((sel["gebied"] == nm).mean()) if len(sel) else float("nan")
        rows.append(row)
    tab = pd.DataFrame(rows)
    if (tab[f"{BUITEN}_pct"].fillna(0) == 0).all():
        tab = tab.drop(columns=[f"{BUITEN}_pct"])
    value_cols = [c for c in tab.columns if c.endswith("_pct")]
    return suppress_group_table(tab, value_cols,
                                min_n=mapping.min_n if min_n is None else min_n,
                                signaal_n=mapping.signaal_n if signaal_n is None else signaal_n)
