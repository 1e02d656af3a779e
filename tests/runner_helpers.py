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


@pytest.fixture(name="werk")
def werk_fixture(tmp_path):
    """Isolated notebooks/processed/reports folders; 3 known areas (entries of the real
    registry) in a tmp registry."""
    nbdir, processed, reports = tmp_path / "notebooks", tmp_path / "processed", tmp_path / "reports"
    for d in (nbdir, processed, reports):
        d.mkdir()
    alle = yaml.safe_load(config.FOCUSGEBIEDEN_YML.read_text(encoding="utf-8"))
    alle = alle if isinstance(alle, list) else alle["focusgebieden"]
    keuze = {"utrecht-overvecht", "rotterdam-zuid", "lelystad"}
    reg = tmp_path / "focusgebieden.yml"
    reg.write_text(yaml.safe_dump([e for e in alle if e["id"] in keuze], allow_unicode=True),
                   encoding="utf-8")
    with config.use_paths(NOTEBOOKS=nbdir, DATA_PROCESSED=processed, REPORTS=reports,
                          NOTEBOOKS_YML=tmp_path / "notebooks.yml", FOCUSGEBIEDEN_YML=reg):
        yield tmp_path
