"""Runner: real executions on kernels (warm forked and fresh), dask, failure detection.

Synthetic notebooks in tmp_path; everything here starts kernels, so it is marked slow.
"""

from __future__ import annotations

import json
import platform
from pathlib import Path

import nbformat
import pytest

from helpers.runner import core, run
from runner_helpers import make_notebook, werk_fixture  # noqa: F401 - fixture "werk"

pytestmark = pytest.mark.slow
LIGHT = ["pandas", "matplotlib.pyplot", "helpers.core.config", "helpers.runner.provenance"]

PLOT_CELLS = [
    "import pandas as pd\nimport matplotlib.pyplot as plt\nfrom helpers.core import config\n"
    "df = pd.read_csv(config.processed('tabel.csv'))\ndf['z'] = df['y'] * n\ndf",
    "fig, ax = plt.subplots(figsize=(3, 2))\nax.plot(df['x'], df['z'])\nax.set_title(focusgebied)\n"
    "uit = config.run_output_dir(focusgebied, '10_plot')\n(uit / 'kern.txt').write_text(str(df['z'].sum()))\n"
    "if focusgebied == 'rotterdam-zuid':\n    raise ValueError('kapot voor ' + focusgebied)\n"
    "print('klaar', focusgebied)",
]


def _leftover_processes(reports) -> list[int]:
    """Pids of live processes whose environment points at this test's reports folder."""
    import os
    import time
    from pathlib import Path

    needle = f"WIJKMONITOR_REPORTS={reports}".encode()
    for _ in range(30):
        pids = []
        for d in Path("/proc").glob("[0-9]*"):
            try:
                if needle in (d / "environ").read_bytes().split(b"\0") and int(d.name) != os.getpid():
                    pids.append(int(d.name))
            except OSError:
                continue
        if not pids:
            return []
        time.sleep(0.2)
    return pids


def _outputs(path):
    nb = nbformat.read(path, 4)
    return [(c.source, [{k: v for k, v in o.items() if k != "execution_count"}
                        for o in c.get("outputs", [])])
            for c in nb.cells if c.cell_type == "code" and "herkomst" not in c.metadata.get("tags", [])]


def test_batch_manifest_skip_input_change_and_failure_isolation(werk, monkeypatch, capsys):
    nbdir, processed = werk / "notebooks", werk / "processed"
    (processed / "tabel.csv").write_text("x,y\n1,2\n2,4\n3,5\n")
    (processed / "ander.csv").write_text("a\n1\n")
    make_notebook(nbdir / "10_plot.ipynb", PLOT_CELLS, inputs=["{processed}/tabel.csv"])
    make_notebook(nbdir / "20_ander.ipynb",
                  ["import pandas as pd\nfrom helpers.core import config\n"
                   "pd.read_csv(config.processed('ander.csv'))"],
                  inputs=["{processed}/ander.csv"])
    monkeypatch.setattr(core.mf, "helpers_hash", lambda: "vast")  # others edit src/ meanwhile
    gebieden = ["utrecht-overvecht", "rotterdam-zuid", "lelystad"]

    result = run(gebieden, [], jobs=2, preload=LIGHT, html=True)
    out = capsys.readouterr().out
    status = {(r.gebied, r.notebook): r.status for r in result.resultaten}
    assert status.pop(("rotterdam-zuid", "10_plot")) == "mislukt"
    assert set(status.values()) == {"geslaagd"}
    assert result.exit_code == 1
    failed = result.mislukt[0]
    assert "ValueError: kapot voor rotterdam-zuid" in failed.fout
    assert "Samenvatting" in out and "kapot voor" in out
    # the failed executed notebook is kept, error visible in .ipynb and .html
    nb = nbformat.read(failed.ipynb, 4)
    assert nb.cells[0].metadata["tags"] == ["wijkmonitor-fout"]
    assert any(o.output_type == "error" for c in nb.cells for o in c.get("outputs", []))
    assert "Uitvoering mislukt" in failed.html.read_text()
    # executed copies, HTML without code, provenance as first output, notebook files, manifest
    runs = werk / "reports" / "runs"
    ok = runs / "utrecht-overvecht" / "10_plot.ipynb"
    nb = nbformat.read(ok, 4)
    tags = [c.metadata.get("tags", []) for c in nb.cells if c.cell_type == "code"]
    assert tags[:3] == [["parameters"], ["injected-parameters"], ["herkomst"]]
    first = next(o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "Herkomst van deze uitvoering" in first["data"]["text/html"]
    assert "sha256" in first["data"]["text/html"]
    html = ok.with_suffix(".html").read_text()
    assert "image/png" in html and "read_csv" not in html and "Herkomst" in html
    assert (runs / "utrecht-overvecht" / "10_plot" / "kern.txt").read_text() == "33"
    assert (runs / "lelystad" / "10_plot" / "kern.txt").read_text() == "33"
    m = json.loads((runs / "manifest.json").read_text())["runs"]
    e = m["utrecht-overvecht/10_plot"]
    assert e["status"] == "geslaagd" and e["parameters"] == {"focusgebied": "utrecht-overvecht", "n": 3}
    assert e["versie_wijkmonitor"] and e["start"] <= e["eind"] and e["duur_s"] > 0
    assert e["versies"]["python"] == platform.python_version() and e["versies"]["pandas"]
    assert e["git_dirty"] in (True, False) and e["kernel"] in ("wijkmonitor", "python3")
    assert list(e["invoer"].values())[0] == core.mf.file_hash(processed / "tabel.csv")
    assert m["rotterdam-zuid/10_plot"]["status"] == "mislukt"
    assert "kapot" in m["rotterdam-zuid/10_plot"]["fout"]
    # sha256 of every file the run wrote, and the hash of the uncommitted changes (or None)
    kern = runs / "utrecht-overvecht" / "10_plot" / "kern.txt"
    assert e["bestanden"]["utrecht-overvecht/10_plot/kern.txt"] == core.mf.file_hash(kern)
    assert e["bestanden"]["utrecht-overvecht/10_plot.ipynb"] == core.mf.file_hash(ok)
    assert "utrecht-overvecht/10_plot.html" in e["bestanden"]
    assert "git_diff_hash" in e and (e["git_diff_hash"] is None) == (e["git_dirty"] is False)

    # re-run: only the failed run executes again; the rest is skipped
    result = run(gebieden, [], jobs=2, preload=LIGHT)
    out = capsys.readouterr().out
    assert sorted((r.gebied, r.notebook) for r in result.resultaten if r.status != "overgeslagen") \
        == [("rotterdam-zuid", "10_plot")]
    assert "overgeslagen (ongewijzigd)" in out
    history = json.loads((runs / "manifest.json").read_text())["geschiedenis"]
    assert [h["status"] for h in history["rotterdam-zuid/10_plot"]] == ["mislukt"]
    assert "utrecht-overvecht/10_plot" not in history  # skipped: entry unchanged

    # change one input: only the notebook that reads it re-runs; a file left in the output
    # folder by an older run is removed
    (runs / "lelystad" / "20_ander").mkdir(parents=True, exist_ok=True)
    (runs / "lelystad" / "20_ander" / "oud.csv").write_text("a\n1\n")
    (processed / "ander.csv").write_text("a\n2\n")
    result = run(["utrecht-overvecht", "lelystad"], [], jobs=2, preload=LIGHT)
    ran = sorted((r.gebied, r.notebook) for r in result.resultaten if r.status == "geslaagd")
    assert ran == [("lelystad", "20_ander"), ("utrecht-overvecht", "20_ander")]
    assert not (runs / "lelystad" / "20_ander" / "oud.csv").exists()
    assert "lelystad/20_ander/oud.csv" not in json.loads(
        (runs / "manifest.json").read_text())["runs"]["lelystad/20_ander"]["bestanden"]
    assert result.exit_code == 0
    # without html=True no HTML for a successful run; the older export is removed, not kept stale
    assert not (runs / "lelystad" / "20_ander.html").exists()
    assert read_manifest_html(runs, "lelystad/20_ander") is None and ok.with_suffix(".html").exists()
    # asking for HTML later re-runs exactly the runs that have none
    result = run(["lelystad"], [], jobs=2, preload=LIGHT, html=True)
    ran = [r.notebook for r in result.resultaten if r.status == "geslaagd"]
    assert ran == ["20_ander"] and result.resultaten[1].html.exists()
    assert read_manifest_html(runs, "lelystad/20_ander") == "lelystad/20_ander.html"


def read_manifest_html(runs: Path, key: str) -> str | None:
    return json.loads((runs / "manifest.json").read_text())["runs"][key]["html"]


def test_warm_and_fresh_kernels_give_identical_outputs(werk, monkeypatch):
    """A forked warm kernel and a fresh python3 kernel produce the same outputs (no leaks)."""
    (werk / "processed" / "tabel.csv").write_text("x,y\n1,2\n2,4\n3,5\n")
    import pandas as pd

    pd.DataFrame({"a": [1.5, None], "b": ["x", None]}).to_parquet(werk / "processed" / "t.parquet")
    # a processed table through the helpers: the warm fork server serves it from its read cache
    # (filled before the fork), the fresh kernel reads the file; the outputs must not differ
    read = ("from helpers.studies.themes import study\nt = study.load_tabel('t')\n"
            "t.loc[0, 'a'] = 9\n(t, t.dtypes.astype(str).to_dict(), study.load_tabel('t'))")
    make_notebook(werk / "notebooks" / "10_plot.ipynb",
                  [*PLOT_CELLS, read,
                   "import sys\nsorted(k for k in globals() if not k.startswith('_'))"],
                  inputs=["{processed}/tabel.csv", "{processed}/t.parquet"])
    monkeypatch.setattr(core.mf, "helpers_hash", lambda: "vast")
    warm = run(["utrecht-overvecht", "lelystad"], [], jobs=1, kernels="warm", quiet=True)
    assert warm.ok
    a = {r.gebied: _outputs(r.ipynb) for r in warm.resultaten}
    fresh = run(["utrecht-overvecht", "lelystad"], [], jobs=1, kernels="fresh", force=True,
                quiet=True)
    assert fresh.ok
    b = {r.gebied: _outputs(r.ipynb) for r in fresh.resultaten}
    assert a == b
    # the figure (PNG bytes) is there and differs by area title: nothing leaked across areas
    png = [o for _, outs in a["lelystad"] for o in outs if o.get("output_type") == "display_data"]
    assert png and "image/png" in png[0]["data"]
    # every kernel (and the fork server) is gone after the run
    if Path("/proc/self/environ").exists():
        assert _leftover_processes(werk / "reports") == []


def test_failing_magic_and_rich_traceback_detected(werk, monkeypatch):
    make_notebook(werk / "notebooks" / "10_magie.ipynb", ["%cd /bestaat/niet\nprint('verder')"])
    make_notebook(werk / "notebooks" / "20_rich.ipynb",
                  ["try:\n    1 / 0\nexcept ZeroDivisionError:\n"
                   "    from rich.console import Console\n    Console().print_exception()\n"
                   "print('verder')"])
    result = run(["lelystad"], [], jobs=2, quiet=True, preload=LIGHT)
    fouten = {r.notebook: r.fout for r in result.resultaten}
    assert "[Errno 2]" in fouten["10_magie"]
    assert "ZeroDivisionError" in fouten["20_rich"]
    assert result.exit_code == 1


def test_cli_exit_code_and_summary(werk, monkeypatch):
    from helpers.runner import kernels

    monkeypatch.setattr(kernels, "DEFAULT_PRELOAD", LIGHT)
    make_notebook(werk / "notebooks" / "10_fout.ipynb",
                  ["if focusgebied == 'lelystad':\n    raise RuntimeError('stuk')"])
    from typer.testing import CliRunner

    from helpers.cli import app

    res = CliRunner().invoke(app, ["run", "--gebied", "lelystad", "--gebied", "utrecht-overvecht",
                                   "--jobs", "2"])
    assert res.exit_code == 1
    assert "RuntimeError: stuk" in res.output and "Samenvatting" in res.output
    res = CliRunner().invoke(app, ["run", "--gebied", "nergens"])
    assert res.exit_code == 1 and "onbekend focusgebied 'nergens'" in res.output


def test_dask_local_cluster(werk, monkeypatch):
    distributed = pytest.importorskip("distributed")
    (werk / "processed" / "tabel.csv").write_text("x,y\n1,2\n2,4\n3,5\n")
    make_notebook(werk / "notebooks" / "10_plot.ipynb", PLOT_CELLS, inputs=["{processed}/tabel.csv"])
    # An event loop registered in this context (as any earlier nbclient/papermill call in the
    # process does) must not leak into the tasks: Dask copies the submitting context, and two
    # tasks sharing one loop fail with "This event loop is already running".
    from jupyter_core.utils import ensure_event_loop

    ensure_event_loop()
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        result = run(["utrecht-overvecht", "lelystad"], [], executor="dask",
                     scheduler=cluster.scheduler_address, quiet=True)
    assert result.ok, [r.fout for r in result.resultaten]
    assert all(r.ipynb.exists() and r.html is None for r in result.resultaten)
    m = json.loads((werk / "reports" / "runs" / "manifest.json").read_text())["runs"]
    assert m["lelystad/10_plot"]["status"] == "geslaagd"
