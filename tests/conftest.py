"""Shared fixtures.

Real open data live in ``../shared/data/real`` (never copied into the repository). In CI
(``CI`` or ``WIJKMONITOR_CI`` set) a missing folder is a loud failure; elsewhere tests that
need it are skipped with a reason.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers.core import config

IN_CI = bool(os.environ.get("CI") or os.environ.get("WIJKMONITOR_CI"))
# Honest incremental runs (issue 13, point 4): under the test suite a notebook run that reads
# a file it does not declare fails (helpers.runner.reads).
os.environ.setdefault("WIJKMONITOR_STRIKTE_INVOER", "1")

REAL_FILES = {
    "lbm_wijk": "Leefbaarometer-scores wijken 2002-2022.csv",
    "kwb2024_statline": "kwb-2024-bevolking-statline.csv",
    "kwb2019_odata": "kwb-2019-amsterdam-84583NED-odata.csv",
    "kwb2023_xlsx": "kwb-2023-utrecht.xlsx",
    "seswoa2019_statline": "ses-woa-2019-amsterdam-statline.csv",
    "wijk2022_topojson": "wijk-2022-wgs84.topojson",
}


@pytest.fixture(scope="session")
def real_dir() -> Path:
    """The folder with the real CBS and Leefbaarometer files."""
    d = config.SHARED_REAL
    missing = [f for f in REAL_FILES.values() if not (d / f).exists()]
    if missing:
        msg = f"real open data missing in {d}: {missing}"
        if IN_CI:
            pytest.fail(msg)
        pytest.skip(msg)
    return d


@pytest.fixture(scope="session")
def real_file(real_dir):
    """Path of one real file by key of :data:`REAL_FILES`."""

    def _get(key: str) -> Path:
        return real_dir / REAL_FILES[key]

    return _get
