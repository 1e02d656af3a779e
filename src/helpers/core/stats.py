"""Small statistical helpers shared by the survey, the theme studies and the indicator base."""

from __future__ import annotations

from typing import Any

ALPHA = 0.05  # 95% intervals


def wilson(teller: Any, noemer: Any, alpha: float = ALPHA) -> tuple[Any, Any]:
    """Wilson score interval (statsmodels ``proportion_confint(method='wilson')``) as fractions.

    ``teller``/``noemer``: counts (scalars or arrays). Where ``noemer`` is 0 both bounds are NaN.
    Returns numpy arrays (0-d for scalar input). Raises ``ValueError`` when a numerator exceeds
    its denominator or is negative.
    """
    import numpy as np
    from statsmodels.stats.proportion import proportion_confint

    t = np.asarray(teller, dtype=float)
    n = np.asarray(noemer, dtype=float)
    if np.any(t < 0) or np.any(t > n):
        raise ValueError("teller groter dan noemer of negatief: geen proportie")
    veilig = np.where(n > 0, n, 1.0)
    lo, hi = proportion_confint(t, veilig, alpha=alpha, method="wilson")
    lo = np.where(n > 0, lo, np.nan)
    hi = np.where(n > 0, hi, np.nan)
    return lo, hi
