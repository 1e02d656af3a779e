"""CBS region codes: the rules that derive facts from a code itself.

A code is ``NL00`` (land), ``GM`` + 4 digits (gemeente), ``WK`` + 4 + 2 (wijk) or ``BU`` + 4 + 4
(buurt); the four digits after the prefix are the gemeente's number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def per_code(codes: pd.Series, f) -> pd.Series:
    """Apply a vectorised string function ``f`` once per distinct code and broadcast back
    (long tables repeat few codes many times). Missing codes give missing results."""
    import pandas as pd

    k, uniek = pd.factorize(codes)
    res = f(pd.Series(uniek, dtype=object).astype(str))
    vals = res.to_numpy(dtype=object)
    out = pd.Series(vals[k], index=codes.index)
    if (k < 0).any():
        out[k < 0] = pd.NA
    return out.astype(res.dtype) if res.dtype == bool and not (k < 0).any() else out


def gemeente_of(codes: pd.Series) -> pd.Series:
    """GM code of region codes: ``WK034403`` and ``BU03440000`` -> ``GM0344``.

    Gemeente codes map onto themselves; ``NL00`` maps to missing (object dtype, ``None``).
    """
    def f(s: pd.Series) -> pd.Series:
        return ("GM" + s.str.slice(2, 6)).where(~s.str.startswith("NL"), None)

    return per_code(codes, f)
