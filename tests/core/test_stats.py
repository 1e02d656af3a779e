"""Wilson interval: against the textbook formula, vectorised, and its guards."""

from __future__ import annotations

import math

import numpy as np
import pytest

from helpers.core.stats import wilson


def _textbook(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def test_wilson_matches_formula_and_handles_zero_base():
    lo, hi = wilson([5, 0, 12], [12, 0, 12])
    exp = _textbook(5, 12)
    assert lo[0] == pytest.approx(exp[0], abs=1e-12) and hi[0] == pytest.approx(exp[1], abs=1e-12)
    assert np.isnan(lo[1]) and np.isnan(hi[1])
    assert hi[2] == pytest.approx(1.0) and lo[2] < 1.0


def test_wilson_refuses_impossible_counts():
    with pytest.raises(ValueError, match="teller groter dan noemer"):
        wilson(13, 12)
    with pytest.raises(ValueError):
        wilson(-1, 12)
