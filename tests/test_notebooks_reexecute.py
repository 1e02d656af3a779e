"""No hidden state in the notebooks (issue 11.6): executing a notebook, then re-executing any
one of its code cells and the cells that write, gives the same written outputs.

Each notebook runs once in a fresh kernel on the demo data, as a researcher would in the lab
(parameter defaults: ``alle``, run-wide values from ``params/monitor.yml``). Then every code
cell is executed again in the same kernel, followed by the notebook's last cell (the one that
writes ``uitvoer.json``); after each, the written tables must be byte-identical to the first
pass. Slow: builds the demo data and executes all notebooks.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import nbformat
import pytest

from helpers.core import config

pytestmark = pytest.mark.slow

NOTEBOOKS = sorted(config.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def demo_omgeving(tmp_path_factory):
    """Demo raw files -> processed tables in a temporary project; environment for a kernel."""
    from helpers.cli import build_processed
    from helpers.demodata.generate import write_demo_data

    raw = tmp_path_factory.mktemp("raw")
    write_demo_data(raw, 2025)
    processed = tmp_path_factory.mktemp("processed")
    build_processed(raw, processed)
    return {"WIJKMONITOR_RAW": str(raw), "WIJKMONITOR_PROCESSED": str(processed)}


def _tables(reports: Path) -> dict[str, str]:
    """sha256 of every table a run wrote (CSV/XLSX/parquet), by path under ``reports``."""
    return {p.relative_to(reports).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(reports.rglob("*"))
            if p.suffix in {".csv", ".xlsx", ".parquet"}}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_reexecuting_any_cell_gives_the_same_outputs(path, demo_omgeving, tmp_path, monkeypatch):
    from nbclient import NotebookClient

    reports = tmp_path / "reports"
    for key, value in {**demo_omgeving, "WIJKMONITOR_REPORTS": str(reports)}.items():
        monkeypatch.setenv(key, value)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=300, allow_errors=False,
                            resources={"metadata": {"path": str(path.parent)}})
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    assert code, path.name
    with client.setup_kernel(env=dict(os.environ)):
        for i in code:
            client.execute_cell(nb.cells[i], i)
        eerst = _tables(reports)
        assert eerst, f"{path.name} schreef geen tabellen"
        laatste = code[-1]
        for i in code:
            if "parameters" in nb.cells[i].metadata.get("tags", []):
                continue
            client.execute_cell(nb.cells[i], i)
            if i != laatste:
                client.execute_cell(nb.cells[laatste], laatste)
            assert _tables(reports) == eerst, (
                f"{path.name}: cel {i} opnieuw uitvoeren verandert de geschreven tabellen")
