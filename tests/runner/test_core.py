"""Runner batch (core.run): runs without data in this edition, failures and the manifest.

Fast: no kernel starts (a started kernel would be a bug here).
"""

from __future__ import annotations

import json

import pytest

from helpers.runner import batch, core
from helpers.runner import manifest as mf
from runner_helpers import make_notebook, werk_fixture  # noqa: F401 - fixture "werk"


@pytest.fixture(name="geen_kernel")
def geen_kernel_fixture(monkeypatch):
    def boom(*a, **k):  # pragma: no cover - must not be reached
        raise AssertionError("kernel started")

    monkeypatch.setattr(batch, "run_local", boom)


def _build_ran(processed, tabellen=("regions", "kwb", "leefbaarometer")):
    (processed / "bronnen.json").write_text(
        json.dumps({"demo": False, "bestanden": [], "tabellen": {t: 1 for t in tabellen}}),
        encoding="utf-8",
    )


def test_absent_source_gives_geen_gegevens_output_and_manifest(werk, geen_kernel, capsys):
    make_notebook(
        werk / "notebooks" / "20_a.ipynb", ["pass"], inputs=["{processed}/sprockler.parquet"]
    )
    _build_ran(werk / "processed")
    oud = werk / "reports" / "runs" / "lelystad" / "20_a"
    oud.mkdir(parents=True)
    (oud / "oud.png").write_bytes(b"from an earlier edition")
    result = core.run(["lelystad", "alle"], [])
    assert result.exit_code == 0 and result.ok
    assert [r.status for r in result.resultaten] == ["geen gegevens", "geen gegevens"]
    assert "vragenlijst van de procesevaluatie" in result.resultaten[0].toelichting
    uit = json.loads((oud / "uitvoer.json").read_text(encoding="utf-8"))
    assert uit["status"] == "geen gegevens"
    assert uit["ontbrekende_bronnen"] == ["de vragenlijst van de procesevaluatie (Sprockler)"]
    assert not (oud / "oud.png").exists()
    runs = mf.load_manifest(werk / "reports" / "runs")["runs"]
    assert {k: v["status"] for k, v in runs.items()} == {
        "lelystad/20_a": "geen gegevens",
        "alle/20_a": "geen gegevens",
    }
    assert runs["alle/20_a"]["fout"] is None
    assert runs["alle/20_a"]["ontbrekende_bronnen"] == uit["ontbrekende_bronnen"]
    out = capsys.readouterr().out
    assert "geen gegevens" in out and "0 mislukt" in out and "eerst 'wijkmonitor build'" not in out


def test_missing_build_fails_with_hint_and_is_in_manifest(werk, geen_kernel):
    make_notebook(
        werk / "notebooks" / "20_a.ipynb", ["pass"], inputs=["{processed}/sprockler.parquet"]
    )
    result = core.run(["lelystad"], [], quiet=True)  # no bronnen.json: build did not run
    assert result.exit_code == 1
    assert result.mislukt[0].fout.endswith("(eerst 'wijkmonitor build' uitvoeren?)")
    entry = mf.load_manifest(werk / "reports" / "runs")["runs"]["lelystad/20_a"]
    assert entry["status"] == "mislukt" and "sprockler.parquet" in entry["fout"]


def test_missing_repository_file_fails_without_build_hint(werk, geen_kernel):
    make_notebook(
        werk / "notebooks" / "20_a.ipynb",
        ["pass"],
        inputs=["{processed}/sprockler.parquet", "reports/teksten/bestaat_niet.md"],
    )
    _build_ran(werk / "processed")
    result = core.run(["lelystad"], [], quiet=True)
    assert result.exit_code == 1
    fout = result.mislukt[0].fout
    assert "bestaat_niet.md" in fout and "wijkmonitor build" not in fout


def test_real_open_data_alone_theme_notebooks_have_no_data(real_dir, tmp_path, geen_kernel):
    """Build on the real CBS/Leefbaarometer files only: the survey and theme notebooks finish
    with 'geen gegevens' naming their sources (no kernel, exit 0), not 'mislukt'."""
    from helpers.cli import build_processed
    from helpers.core import config

    processed, reports = tmp_path / "processed", tmp_path / "reports"
    build_processed(real_dir, processed)
    with config.use_paths(DATA_PROCESSED=processed, REPORTS=reports):
        result = core.run(["alle"], ["20_procesevaluatie", "33_veerkracht"], quiet=True)
    assert result.exit_code == 0
    assert {r.notebook: r.status for r in result.resultaten} == {
        "20_procesevaluatie": "geen gegevens", "33_veerkracht": "geen gegevens"}
    uit = json.loads((reports / "runs" / "alle" / "20_procesevaluatie" / "uitvoer.json")
                     .read_text(encoding="utf-8"))
    assert "de vragenlijst van de procesevaluatie (Sprockler)" in uit["ontbrekende_bronnen"]
    entry = mf.load_manifest(reports / "runs")["runs"]["alle/33_veerkracht"]
    assert entry["status"] == "geen gegevens" and entry["fout"] is None
    assert entry["ontbrekende_bronnen"] == [
        "de gecodeerde interviews en focusgroepen van de themastudies"]
