"""The change since the nulmeting, computed for any nulmeting year from the indicator base.

``wijkmonitor build`` stores these columns for the year of ``params/monitor.yml``, but a
notebook run recomputes them for its own ``jaar_nulmeting`` when it loads the base
(:func:`helpers.studies.indicators.base.load_basis`), so one parameter drives the tables, the
sentences and the figures alike, and a variant (``wijkmonitor run -p jaar_nulmeting 2019``)
needs no rebuild.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers.studies.indicators.membership import build_nulmeting_benadering

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: Columns this module (re)computes.
NULMETING_KOLOMMEN = (
    "nulmetingjaar",
    "waarde_nulmeting",
    "verschil_nulmeting",
    "nulmeting_benadering",
)
_SLEUTEL = ["focusgebied", "indicator"]


def build_nulmeting(
    basis: pd.DataFrame, nulmeting: int, gebieden: list, regions: pd.DataFrame
) -> pd.DataFrame:
    """``basis`` with the nulmeting columns for the nulmeting year ``nulmeting``.

    Per area and indicator the nulmeting is the measurement (a non-missing ``waarde``) in
    ``nulmeting`` or, failing that, the latest one before it, else the earliest one after it.
    ``nulmetingjaar`` (Int64) is that year, ``waarde_nulmeting`` its value,
    ``verschil_nulmeting = waarde - waarde_nulmeting`` (unit of the indicator; percentage
    points for percentages) and ``nulmeting_benadering`` is true where the two years lie
    across a change of the area's definition (other registry codes, or a CBS boundary change
    ``indelingswijziging`` 3 of a member code; ``gebieden`` and ``regions`` as in
    :func:`~helpers.studies.indicators.membership.build_nulmeting_benadering`). Existing
    nulmeting columns are replaced in place (same column order); rows keep their order.
    """
    import numpy as np

    kolommen = list(basis.columns)
    b = basis.drop(columns=[c for c in NULMETING_KOLOMMEN if c in basis.columns]).reset_index(
        drop=True
    )
    v = b.loc[b["waarde"].notna(), [*_SLEUTEL, "jaar", "waarde"]].copy()
    if v.empty:
        b["nulmetingjaar"] = np.nan
        b["waarde_nulmeting"] = np.nan
    else:
        v["_d"] = np.where(
            v["jaar"] <= nulmeting, nulmeting - v["jaar"], 1000 + v["jaar"] - nulmeting
        )
        idx = v.groupby(_SLEUTEL)["_d"].idxmin()
        nul = v.loc[idx, [*_SLEUTEL, "jaar", "waarde"]].rename(
            columns={"jaar": "nulmetingjaar", "waarde": "waarde_nulmeting"}
        )
        b = b.merge(nul, on=_SLEUTEL, how="left")
    b["nulmetingjaar"] = b["nulmetingjaar"].astype("Int64")
    b["verschil_nulmeting"] = b["waarde"] - b["waarde_nulmeting"]
    b["nulmeting_benadering"] = build_nulmeting_benadering(b, gebieden, regions).astype(bool)
    if set(NULMETING_KOLOMMEN) <= set(kolommen):
        b = b[kolommen]
    b.attrs["nulmeting"] = int(nulmeting)
    return b
