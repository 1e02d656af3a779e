"""Tripole (leadership: visie / daadkracht / strategisch denken): compositional summaries.

Respondents place one dot in a triangle; the export gives three weights summing to 1. Dots on
a corner or edge have zero parts, which log-ratio methods cannot take. Zero replacement:
multiplicative replacement (Martín-Fernández, Barceló-Vidal & Pawlowsky-Glahn 2003) with
``delta = 0.005`` (half a percentage point, the resolution of the export): each zero part
becomes ``delta``, non-zero parts are scaled by ``1 - k*delta`` (k = number of zeros), which
keeps their ratios.

- Centre: the closed geometric mean per part (the compositional mean, Aitchison 1986).
- Spread: total variance = sum of the variances of the clr coordinates (ddof=1).
- Clusters: ``hoek:<pool>`` when one part is at least ``hoek_drempel`` (default 0.6),
  else ``midden``.
- Outliers: respondents in a corner cluster chosen by fewer than ``max(1, 3%)`` of the
  respondents with an answer (a rarely chosen corner, as the publication's single dot at
  strategisch denken), with their Aitchison distance to the centre.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers.core.privacy import suppress_group_table
from helpers.registers.sprockler import GROEPEN

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

DELTA = 0.005
HOEK_DREMPEL = 0.6
UITSCHIETER_AANDEEL = 0.03


def replace_zeros(x: np.ndarray, delta: float = DELTA) -> np.ndarray:
    """Multiplicative zero replacement of closed compositions (rows sum to 1)."""
    import numpy as np

    x = np.asarray(x, dtype=float)
    x = x / x.sum(axis=1, keepdims=True)
    zeros = x <= 0
    k = zeros.sum(axis=1, keepdims=True)
    return np.where(zeros, delta, x * (1 - k * delta))


def clr(x: np.ndarray) -> np.ndarray:
    """Centred log-ratio coordinates of strictly positive compositions."""
    import numpy as np

    lx = np.log(x)
    return lx - lx.mean(axis=1, keepdims=True)


def geometric_mean(x: np.ndarray) -> np.ndarray:
    """Closed geometric mean (compositional centre) of strictly positive compositions."""
    import numpy as np

    g = np.exp(np.log(x).mean(axis=0))
    return g / g.sum()


def total_variance(x: np.ndarray) -> float:
    """Total variance: sum of the clr variances (0 for fewer than two rows)."""
    import numpy as np

    if len(x) < 2:
        return float("nan")
    return float(np.var(clr(x), axis=0, ddof=1).sum())


def aitchison_distance(x: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """Aitchison distance of each row of ``x`` to ``centre`` (Euclidean distance in clr)."""
    import numpy as np

    return np.sqrt(((clr(x) - clr(centre[None, :])) ** 2).sum(axis=1))


def clusters(x: np.ndarray, polen: list[str], drempel: float = HOEK_DREMPEL) -> list[str]:
    """``hoek:<pool>`` when a part is >= ``drempel``, else ``midden`` (on closed raw weights)."""
    import numpy as np

    out = []
    for row in np.asarray(x, dtype=float):
        k = int(np.argmax(row))
        out.append(f"hoek:{polen[k]}" if row[k] >= drempel else "midden")
    return out


def compositions(resp: pd.DataFrame, vraag: str, polen: list[str]) -> pd.DataFrame:
    """The answered rows: raw weights per pole plus ``groep`` (blank answers dropped)."""
    cols = [f"{vraag}_{p}" for p in polen]
    sel = resp.dropna(subset=cols)
    out = sel[cols].copy()
    out.columns = polen
    out["groep"] = sel["groep"].to_numpy()
    return out


def tripole_table(resp: pd.DataFrame, mapping, vraag: str = "leiderschap", *,
                  min_n: int | None = None, signaal_n: int | None = None) -> pd.DataFrame:
    """Per group (``alle`` and the reporting groups): n, compositional mean per pole (%),
    total variance, and the share (%) per cluster; suppressed like the bipoles."""
    import numpy as np
    import pandas as pd


    spec = mapping.vragen[vraag].spec
    polen = list(spec["polen"])
    drempel = float(spec.get("hoek_drempel", HOEK_DREMPEL))
    comp = compositions(resp, vraag, polen)
    cl_names = [f"hoek:{p}" for p in polen] + ["midden"]
    rows = []
    for groepering, groep in [("alle", "alle")] + [("groep", g) for g in GROEPEN]:
        sel = comp if groep == "alle" else comp[comp["groep"] == groep]
        x = sel[polen].to_numpy(dtype=float)
        row = {"vraag": vraag, "groepering": groepering, "groep": groep, "n": len(sel)}
        if len(sel):
            xr = replace_zeros(x)
            centre = geometric_mean(xr)
            row.update({f"{p}_gem_pct": 100 * c for p, c in zip(polen, centre, strict=True)})
            row["totale_variantie"] = total_variance(xr)
            cl = pd.Series(clusters(x, polen, drempel))
            row.update({f"{c.replace('hoek:', 'hoek_')}_pct": 100 * float((cl == c).mean())
                        for c in cl_names})
        rows.append(row)
    tab = pd.DataFrame(rows)
    value_cols = [c for c in tab.columns if c.endswith("_pct") or c == "totale_variantie"]
    for c in value_cols:
        tab[c] = tab[c].astype(float) if c in tab else np.nan
    return suppress_group_table(tab, value_cols,
                                min_n=mapping.min_n if min_n is None else min_n,
                                signaal_n=mapping.signaal_n if signaal_n is None else signaal_n)


def outliers(resp: pd.DataFrame, mapping, vraag: str = "leiderschap", *,
             min_n: int | None = None) -> pd.DataFrame:
    """Outlying dots (rarely chosen corner): group (or ``onderdrukt`` when the group's base is
    below ``min_n``), cluster, weights (%) and Aitchison distance to the overall centre.
    No respondent id or pseudonym is returned."""
    import pandas as pd

    spec = mapping.vragen[vraag].spec
    polen = list(spec["polen"])
    min_n = mapping.min_n if min_n is None else min_n
    comp = compositions(resp, vraag, polen)
    cols = ["vraag", "groep", "cluster", *[f"{p}_pct" for p in polen], "aitchison_afstand"]
    if comp.empty:
        return pd.DataFrame(columns=cols)
    x = comp[polen].to_numpy(dtype=float)
    xr = replace_zeros(x)
    dist = aitchison_distance(xr, geometric_mean(xr))
    cl = pd.Series(clusters(x, polen, float(spec.get("hoek_drempel", HOEK_DREMPEL))),
                   index=comp.index)
    freq = cl.value_counts()
    limit = max(1, int(UITSCHIETER_AANDEEL * len(comp)))
    rare = [c for c in freq.index if c.startswith("hoek:") and freq[c] <= limit]
    sizes = comp["groep"].value_counts()
    rows = []
    for pos, (i, c) in enumerate(cl.items()):
        if c in rare:
            g = comp.at[i, "groep"]
            rows.append({"vraag": vraag, "groep": g if sizes[g] >= min_n else "onderdrukt",
                         "cluster": c,
                         **{f"{p}_pct": 100 * x[pos, j] for j, p in enumerate(polen)},
                         "aitchison_afstand": float(dist[pos])})
    return pd.DataFrame(rows, columns=cols)
