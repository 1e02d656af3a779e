"""helpers.core.config: one place for paths, redirected only through ``use_paths``."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from helpers.core import config


def test_use_paths_redirects_and_restores(tmp_path):
    before = (config.REPORTS, config.RUNS, config.VERKENNING, config.DATA_PROCESSED)
    env_before = os.environ.get("WIJKMONITOR_REPORTS")
    with config.use_paths(REPORTS=tmp_path / "r", DATA_PROCESSED=tmp_path / "p"):
        assert tmp_path / "r" / "runs" == config.RUNS
        assert tmp_path / "r" / "verkenning" == config.VERKENNING
        assert config.processed("x.parquet") == tmp_path / "p" / "x.parquet"
        assert os.environ["WIJKMONITOR_REPORTS"] == str(tmp_path / "r")
    assert before == (config.REPORTS, config.RUNS, config.VERKENNING, config.DATA_PROCESSED)
    assert os.environ.get("WIJKMONITOR_REPORTS") == env_before


def test_use_paths_restores_after_error_and_rejects_unknown_names(tmp_path):
    before = config.RUNS
    with pytest.raises(RuntimeError), config.use_paths(RUNS=tmp_path):
        raise RuntimeError
    assert before == config.RUNS
    with pytest.raises(KeyError, match="ROOT"), config.use_paths(ROOT=tmp_path):
        pass


def test_tests_redirect_paths_through_fixtures_not_patches():
    """House plan 8: no test patches the config module's globals or a private function."""
    tests = Path(__file__).resolve().parents[1]
    patroon = re.compile(r"setattr\(\s*config\s*,|setattr\([^)]*,\s*[\"']_\w+[\"']|patch\([^)]*\._\w+")
    hits = [f"{p.relative_to(tests)}:{nr}"
            for p in sorted(tests.rglob("*.py")) if p.name != "test_config.py"
            for nr, regel in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if patroon.search(regel)]
    assert not hits, f"tests patching config globals or private functions: {hits}"
