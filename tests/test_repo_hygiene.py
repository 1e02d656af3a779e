"""House rules that must hold for every commit: clean notebooks, a fast CLI, no real data."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys

import pytest

from helpers.core import config

NOTEBOOKS = sorted(config.NOTEBOOKS.glob("*.ipynb"))


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_committed_without_outputs(nb):
    data = json.loads(nb.read_text(encoding="utf-8"))
    dirty = [
        i for i, c in enumerate(data["cells"])
        if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))
    ]
    assert not dirty, f"{nb.name}: cells {dirty} have outputs; strip them (nbstripout)"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_follows_convention(nb):
    data = json.loads(nb.read_text(encoding="utf-8"))
    code = [c for c in data["cells"] if c["cell_type"] == "code"]
    assert code and "parameters" in code[0].get("metadata", {}).get("tags", []), (
        f"{nb.name}: first code cell must be tagged 'parameters'"
    )
    meta = data["metadata"].get("wijkmonitor", {})
    assert {"titel", "inputs", "alle", "per_gebied"} <= set(meta), f"{nb.name}: metadata incomplete"
    for c in code[1:]:
        src = "".join(c["source"])
        assert "def " not in src and "class " not in src, f"{nb.name}: define functions in src/helpers"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_declares_project_kernel(nb):
    """Choosing "Python (wijkmonitor)" in the lab must not change the notebook's metadata."""
    spec = json.loads(nb.read_text(encoding="utf-8"))["metadata"].get("kernelspec", {})
    assert spec == {"name": "wijkmonitor", "display_name": "Python (wijkmonitor)",
                    "language": "python"}, f"{nb.name}: kernelspec {spec}"


def test_make_lab_runs_at_root_as_root_on_free_port():
    """``make lab``: repository root, --allow-root only as root, own port and token."""
    make = (config.ROOT / "Makefile").read_text(encoding="utf-8")
    lab = make.split("\nlab:", 1)[1].split("\n\n", 1)[0]
    assert "--ServerApp.root_dir=." in lab and "--notebook-dir" not in lab
    assert '"$$(id -u)" = "0"' in lab and "--allow-root" in lab
    assert "--ServerApp.port=$$port" in lab and "JUPYTER_TOKEN=$$token" in lab
    setup = make.split("$(STAMP): pyproject.toml", 1)[1].split("\n\n", 1)[0]
    assert "ipykernel install --sys-prefix --name wijkmonitor" in setup


def test_cli_help_does_not_import_heavy_libraries():
    code = (
        "import sys; from helpers.cli import app; "
        "heavy = [m for m in ('pandas', 'matplotlib', 'papermill', 'statsmodels') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"CLI imports heavy modules at start-up: {out.stdout}"


def test_no_real_data_committed():
    if not config.SHARED_REAL.exists():
        pytest.skip("no ../shared/data/real here")
    real = {hashlib.sha256(p.read_bytes()).hexdigest() for p in config.SHARED_REAL.iterdir()
            if p.is_file() and p.name != "README.md"}
    tracked = subprocess.run(["git", "ls-files"], cwd=config.ROOT, capture_output=True,
                             text=True).stdout.split()
    for f in tracked:
        p = config.ROOT / f
        if p.is_file() and p.stat().st_size < 20_000_000:
            assert hashlib.sha256(p.read_bytes()).hexdigest() not in real, f"{f} is real data"


def test_ruff_clean():
    ruff = config.ROOT / ".venv" / "bin" / "ruff"
    exe = str(ruff) if ruff.exists() else "ruff"
    try:
        out = subprocess.run([exe, "check", "src", "tests", "benchmarks"], cwd=config.ROOT,
                             capture_output=True, text=True)
    except FileNotFoundError:
        pytest.skip("ruff not installed")
    assert out.returncode == 0, out.stdout[-3000:]


INTERNALS = re.compile(r"params/|reports/|data/(raw|processed)|helpers\.|\bmin_n\b|\bsignaal_n\b|"
                       r"\.ipynb|\.parquet")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_opens_with_researcher_introduction(path):
    """Issue 11.6: question, data, method and caveats first; no plumbing talk in markdown."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    intro = "".join(nb["cells"][0]["source"])
    assert nb["cells"][0]["cell_type"] == "markdown" and intro.startswith("# ")
    for deel in ("**Gegevens.**", "**Werkwijze.**", "**Kanttekeningen.**"):
        assert deel in intro, f"{path.name}: inleiding mist {deel}"
    alle_md = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "**Vraag.**" in intro or "## Onderzoeksvraag" in alle_md, f"{path.name}: geen vraag"
    lekken = [m.group(0) for c in nb["cells"] if c["cell_type"] == "markdown"
              for m in INTERNALS.finditer("".join(c["source"]))]
    assert not lekken, f"{path.name}: interne namen in de tekst: {lekken}"
