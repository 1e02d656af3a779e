"""Honest incremental runs (issue 13, point 4): the runner records what a notebook really
reads, includes those files in the skip decision and, in strict mode (the test suite), fails
a run that read a file it does not declare."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from helpers.runner import core, reads, run
from runner_helpers import make_notebook, werk_fixture  # noqa: F401 - fixture "werk"

LIGHT = ["pandas", "helpers.core.config", "helpers.core.io", "helpers.runner.provenance"]
READ_CELL = (
    "from helpers.studies.themes import study\n"  # a helper's load function
    "t = study.load_tabel('tabel')\nint(t['x'].sum())"
)


def test_collect_hash_and_undeclared(tmp_path, monkeypatch):
    log = reads.new_log()
    a = tmp_path / "a.parquet"
    a.write_bytes(b"1")
    with open(log, "a") as f:
        f.write(f"{a}\n{a}\n{tmp_path / 'b.json'}\n")
    gelezen = reads.collect(log)
    assert gelezen == [str(a), str(tmp_path / "b.json")]  # outside the root: absolute
    assert not __import__("pathlib").Path(log).exists()
    h = reads.hash_files(gelezen)
    assert h[str(a)] == core.mf.file_hash(a) and h[str(tmp_path / "b.json")] == reads.ABSENT
    assert reads.undeclared(gelezen, [str(a)]) == [str(tmp_path / "b.json")]
    assert reads.collect(None) == [] and reads.collect(str(tmp_path / "geen")) == []


@pytest.mark.slow
def test_undeclared_read_reruns_after_change_and_fails_in_strict_mode(werk, monkeypatch):
    processed = werk / "processed"
    pd.DataFrame({"x": [1, 2]}).to_parquet(processed / "tabel.parquet", index=False)
    make_notebook(werk / "notebooks" / "10_lees.ipynb", [READ_CELL])  # declares nothing
    monkeypatch.setattr(core.mf, "helpers_hash", lambda: "vast")
    monkeypatch.delenv(reads.STRICT_ENV, raising=False)

    result = run(["lelystad"], [], jobs=1, preload=LIGHT, quiet=True)
    assert result.ok, [r.fout for r in result.resultaten]
    m = json.loads((werk / "reports" / "runs" / "manifest.json").read_text())["runs"]
    e = m["lelystad/10_lees"]
    tabel = str((processed / "tabel.parquet").resolve())
    assert tabel in [str(reads.resolve(p)) for p in e["gelezen"]]
    assert e["onverklaarde_invoer"] == e["gelezen"]
    assert reads.ABSENT not in e["invoer"].values()
    assert (
        run(["lelystad"], [], jobs=1, preload=LIGHT, quiet=True).resultaten[0].status
        == "overgeslagen"
    )
    # the table changes: the notebook that read it runs again (it was never declared)
    pd.DataFrame({"x": [5, 2]}).to_parquet(processed / "tabel.parquet", index=False)
    again = run(["lelystad"], [], jobs=1, preload=LIGHT, quiet=True)
    assert again.resultaten[0].status == "geslaagd"
    # strict mode (the test suite): an undeclared read fails the run and names the file
    monkeypatch.setenv(reads.STRICT_ENV, "1")
    strict = run(["lelystad"], [], jobs=1, preload=LIGHT, quiet=True, force=True)
    assert strict.resultaten[0].status == "mislukt"
    assert "niet gedeclareerde invoer gelezen" in strict.resultaten[0].fout
    assert "tabel.parquet" in strict.resultaten[0].fout


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory):
    """Demo raw files -> processed tables in a temporary folder (as ``make demo`` does)."""
    from helpers.cli import build_processed
    from helpers.demodata.generate import write_demo_data

    raw = tmp_path_factory.mktemp("raw")
    write_demo_data(raw, 2025)
    processed = tmp_path_factory.mktemp("processed")
    build_processed(raw, processed)
    return raw, processed


#: Reads outside data/processed still to be moved there: notebook 10's map reads the wijk
#: boundaries from data/raw (moving to data/processed, issue 13 point 4, another part).
RAW_READS_PENDING = {"10_indicatorbasis"}


@pytest.mark.slow
def test_real_notebooks_declare_everything_they_read(demo_data, tmp_path, monkeypatch):
    """Every notebook in notebooks/ run for one area on demo data, in strict mode: a run that
    reads a file it does not declare fails (on the old declarations 20, 31, 32, 34 and 35 did)."""
    from helpers.core import config

    raw, processed = demo_data
    reports = tmp_path / "reports"
    monkeypatch.setattr(core.mf, "helpers_hash", lambda: "vast")
    monkeypatch.setenv(reads.STRICT_ENV, "1")
    with config.use_paths(DATA_RAW=raw, DATA_PROCESSED=processed, REPORTS=reports):
        result = run(["lelystad"], [], jobs=2, quiet=True)
    m = json.loads((reports / "runs" / "manifest.json").read_text())["runs"]
    fouten = {}
    for r in result.resultaten:
        onverklaard = m[f"lelystad/{r.notebook}"]["onverklaarde_invoer"]
        if r.notebook in RAW_READS_PENDING:
            onverklaard = [p for p in onverklaard if not reads.resolve(p).is_relative_to(raw)]
        elif r.status != "geslaagd":
            fouten[r.notebook] = r.fout
        if onverklaard:
            fouten[r.notebook] = onverklaard
    assert not fouten
    # every notebook really read from data/processed (nothing recorded, nothing checked)
    assert all(
        any(reads.resolve(p).is_relative_to(processed) for p in e["gelezen"]) for e in m.values()
    )
