"""Reviewable notebook sources (issue 15.6): every notebook has a paired percent-format script
``notebooks/NN_naam.py`` in sync with it, and ``make setup`` installs an nbstripout git filter
that keeps cell ids."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from helpers.core import config

jupytext = pytest.importorskip("jupytext")
NOTEBOOKS = sorted(config.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def _config():
    from jupytext.config import load_jupytext_config

    cfg = load_jupytext_config(str(config.NOTEBOOKS))
    assert cfg is not None, "notebooks/jupytext.toml missing"
    return cfg


def test_pairing_declared_for_every_notebook():
    cfg = _config()
    assert "ipynb" in str(cfg.formats) and "py:percent" in str(cfg.formats)
    assert NOTEBOOKS
    scripts = sorted(p.with_suffix(".ipynb") for p in config.NOTEBOOKS.glob("[0-9][0-9]_*.py"))
    assert scripts == NOTEBOOKS, "every NN_naam.ipynb has exactly one NN_naam.py and vice versa"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_paired_script_in_sync(nb):
    """The .py is what jupytext writes for the .ipynb (run 'make notebooks-sync' after editing),
    and reading the .py back gives the same cells (types, sources, tags)."""
    py = nb.with_suffix(".py")
    assert py.exists(), f"{py.name} ontbreekt: voer 'make notebooks-sync' uit"
    verwacht = jupytext.writes(jupytext.read(nb), fmt="py:percent", config=_config())
    assert py.read_text(encoding="utf-8") == verwacht, (
        f"{py.name} loopt niet gelijk met {nb.name}: voer 'make notebooks-sync' uit"
    )

    def cellen(n):
        return [(c.cell_type, c.source.strip(), c.metadata.get("tags", [])) for c in n.cells]

    assert cellen(jupytext.read(py)) == cellen(nbformat.read(nb, 4))


def test_make_setup_installs_nbstripout_filter_keeping_ids(tmp_path):
    """``make git-filters`` (part of ``make setup``) in a fresh repository: a notebook saved
    with outputs is committed without them, with its cell ids unchanged."""
    if shutil.which("git") is None or shutil.which("make") is None:
        pytest.skip("git or make not installed")
    pytest.importorskip("nbstripout")
    make = (config.ROOT / "Makefile").read_text(encoding="utf-8")
    setup = make.split("\nsetup:", 1)[1].split("\n", 1)[0]
    assert "git-filters" in setup

    def run(*a):
        return subprocess.run(a, cwd=tmp_path, check=True, capture_output=True, text=True)

    run("git", "init", "-q")
    shutil.copy(config.ROOT / ".gitattributes", tmp_path / ".gitattributes")
    run(
        "make",
        "-f",
        str(config.ROOT / "Makefile"),
        "git-filters",
        f"BIN={Path(sys.executable).parent}",
    )
    assert "--keep-id" in run("git", "config", "filter.nbstripout.clean").stdout
    nb = nbformat.read(NOTEBOOKS[0], 4)
    ids = [c.id for c in nb.cells]
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.execution_count = 3
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="uitvoer\n")]
    nbformat.write(nb, tmp_path / "x.ipynb")
    run("git", "add", "x.ipynb", ".gitattributes")
    opgeslagen = json.loads(run("git", "show", ":x.ipynb").stdout)
    assert [c["id"] for c in opgeslagen["cells"]] == ids
    assert all(
        not c.get("outputs") and not c.get("execution_count")
        for c in opgeslagen["cells"]
        if c["cell_type"] == "code"
    )
    assert opgeslagen["metadata"]["kernelspec"]["name"] == "wijkmonitor"
