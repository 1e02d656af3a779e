"""Only the runner writes what gets published: interactive runs go to reports/verkenning."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers.core import config  # noqa: E402
from helpers.kit.output import Uitvoer  # noqa: E402
from helpers.runner.batch import kernel_env  # noqa: E402
from helpers.studies.themes.study import execute_studie  # noqa: E402


@pytest.fixture(name="reports")
def reports_fixture(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    monkeypatch.delenv(config.RUNNER_ENV, raising=False)
    with config.use_paths(REPORTS=reports):
        yield reports


def _files(folder) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _publish(studie, uit, rows):
    uit.tabel(pd.DataFrame({"n": [len(rows)]}), "aantal", titel="Aantal", bron="test")


def _run_study(tmp_path) -> None:
    alles = pd.DataFrame({"focusgebied": ["lelystad", "lelystad"], "x": [1, 2]})
    execute_studie("lelystad", "31_armoede_schulden", "armoede_schulden", alles, [], _publish, min_n=10,
             demo=True, processed=tmp_path / "geen-processed")


def test_helper_call_without_runner_writes_only_to_verkenning(reports, tmp_path):
    _run_study(tmp_path)
    assert not (reports / "runs").exists()
    written = _files(reports / "verkenning")
    assert "lelystad/31_armoede_schulden/uitvoer.json" in written
    assert "lelystad/31_armoede_schulden/aantal.csv" in written
    meta = json.loads((reports / "verkenning" / "lelystad" / "31_armoede_schulden" /
                       "uitvoer.json").read_text(encoding="utf-8"))
    assert meta["tabellen"]["aantal"]["bestand"] == "aantal.csv"


def test_helper_call_under_runner_writes_to_runs(reports, tmp_path, monkeypatch):
    env = kernel_env()
    assert env[config.RUNNER_ENV] == "1"  # what every runner kernel gets
    monkeypatch.setenv(config.RUNNER_ENV, env[config.RUNNER_ENV])
    _run_study(tmp_path)
    assert not (reports / "verkenning").exists()
    assert "lelystad/31_armoede_schulden/uitvoer.json" in _files(reports / "runs")


def test_explicit_base_is_respected_and_marker_must_be_exact(reports, tmp_path, monkeypatch):
    Uitvoer("alle", "99_test", base=tmp_path / "eigen").write()
    assert (tmp_path / "eigen" / "alle" / "99_test" / "uitvoer.json").exists()
    monkeypatch.setenv(config.RUNNER_ENV, "0")
    assert config.output_root() == reports / "verkenning"
    assert Uitvoer("alle", "99_test").map == reports / "verkenning" / "alle" / "99_test"


def test_verkenning_is_git_ignored():
    ignore = (config.ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "reports/verkenning/" in ignore
