"""Shared helpers for the runner tests: synthetic notebooks and an isolated work folder."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
import yaml

from helpers.core import config

PARAMS_SRC = 'focusgebied: str = "alle"  # id uit params/focusgebieden.yml of \'alle\'\nn: int = 3\n'


def make_notebook(path: Path, cells: list[str], *, params: str = PARAMS_SRC,
                  inputs: list[str] | None = None, alle: bool = True,
                  per_gebied: bool = True) -> Path:
    """Write a notebook with a tagged parameters cell and the wijkmonitor metadata."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["wijkmonitor"] = {"titel": path.stem, "inputs": inputs or [], "alle": alle,
                                  "per_gebied": per_gebied}
    p = nbformat.v4.new_code_cell(params)
    p.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {path.stem}"), p,
                *[nbformat.v4.new_code_cell(c) for c in cells]]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def registry_ids(path: Path) -> list[str]:
    """Area ids of a (tmp) registry file, read with plain yaml."""
    return [e["id"] for e in yaml.safe_load(path.read_text(encoding="utf-8"))]


@pytest.fixture(name="werk")
def werk_fixture(tmp_path, monkeypatch):
    """Isolated notebooks/processed/reports folders; 3 known areas from a tmp registry."""
    nbdir, processed, reports = tmp_path / "notebooks", tmp_path / "processed", tmp_path / "reports"
    for d in (nbdir, processed, reports):
        d.mkdir()
    reg = tmp_path / "focusgebieden.yml"
    reg.write_text(yaml.safe_dump([{"id": "utrecht-overvecht"}, {"id": "rotterdam-zuid"},
                                   {"id": "lelystad"}]), encoding="utf-8")
    monkeypatch.setattr(config, "NOTEBOOKS", nbdir)
    monkeypatch.setattr(config, "DATA_PROCESSED", processed)
    monkeypatch.setattr(config, "REPORTS", reports)
    monkeypatch.setattr(config, "RUNS", reports / "runs")
    monkeypatch.setattr(config, "NOTEBOOKS_YML", tmp_path / "notebooks.yml")
    monkeypatch.setenv("WIJKMONITOR_REPORTS", str(reports))
    monkeypatch.setenv("WIJKMONITOR_PROCESSED", str(processed))
    monkeypatch.setenv("WIJKMONITOR_NOTEBOOKS", str(nbdir))
    from helpers.runner import planning

    monkeypatch.setattr(planning, "known_gebieden", lambda: registry_ids(reg))
    return tmp_path
