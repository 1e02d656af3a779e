"""Benchmark of the batch runner (issue 4), all four variants side by side.

(a) a naive sequential loop calling ``papermill.execute_notebook`` (fresh kernel per run);
(b) ``wijkmonitor run --alle --jobs 2 --force`` (warm forked kernels, 2 parallel runs);
(c) the same command again with nothing changed (everything skipped);
(d) the same notebook code executed in-process without kernels (IPython shell, fresh
    namespace per run): the lower limit.

Targets: (a)/(b) >= 1.8; (c) <= 2 s; (b)/(d) reported.

Usage::

    python benchmarks/bench_runner.py                    # 20 areas + alle, every notebook
    python benchmarks/bench_runner.py --gebieden 4 --notebook 10_indicatorbasis
    python benchmarks/bench_runner.py --synthetic        # synthetic pandas/matplotlib notebooks

Everything is written under a temporary folder (demo data generated there with
``wijkmonitor demo-data`` + ``wijkmonitor build``, or ``--data DIR`` with ``raw/`` and
``processed/``). The machine may be shared: the load average is printed with the figures.

Measured 2026-12-02 on the shared 2-core machine (load average 0.3-3 during the run):

    every notebook in notebooks/ (8) x 2 areas + alle = 24 runs, demo data (--gebieden 2):
      (a) 408.8 s   (b) 104.5 s   (c) 1.76 s (all 24 skipped; 1.7 s CPU)   (d) 107.9 s
      (a)/(b) = 3.9x; (b)/(d) = 0.97 (2 parallel kernels vs sequential in-process)
    3 synthetic pandas/seaborn notebooks x 5 areas + alle = 18 runs (--synthetic --gebieden 5):
      (a) 106.6 s   (b) 23.7 s   (c) 1.87 s   (d) 9.4 s;  (a)/(b) = 4.5x; (b)/(d) = 2.5
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--gebieden", type=int, default=20, help="number of focus areas (plus alle)")
    p.add_argument("--notebook", action="append", default=[], help="notebook name(s); default all")
    p.add_argument("--synthetic", action="store_true", help="use synthetic notebooks")
    p.add_argument("--data", type=Path, help="folder with raw/ and processed/ (else demo data)")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    p.add_argument("--skip-naive", action="store_true", help="skip (a) (slow)")
    return p.parse_args()


SYNTH_CELLS = [
    "import numpy as np\nimport pandas as pd\nimport matplotlib.pyplot as plt\nimport seaborn as sns\n"
    "from helpers.core import config\nfrom helpers.kit import display\ndisplay.stijl()",
    "rng = np.random.default_rng(abs(hash(focusgebied)) % 2**32)\n"
    "df = pd.DataFrame({'jaar': np.repeat(np.arange(2015, 2025), 50), 'waarde': rng.normal(size=500)})\n"
    "overzicht = df.groupby('jaar')['waarde'].agg(['mean', 'std', 'count'])\noverzicht",
    "fig, ax = plt.subplots(figsize=(5, 3))\nsns.lineplot(data=overzicht.reset_index(), x='jaar', y='mean', ax=ax)\n"
    "ax.set_title(focusgebied)\nfig.savefig(config.run_output_dir(focusgebied, 'synthetisch') / 'fig.png')",
]


def make_synthetic(nbdir: Path, count: int = 3) -> None:
    """Synthetic notebooks that import pandas/matplotlib/seaborn, aggregate and plot."""
    import nbformat

    for i in range(count):
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        nb.metadata["wijkmonitor"] = {"titel": f"Synthetisch {i}", "inputs": [], "alle": True,
                                      "per_gebied": True}
        p = nbformat.v4.new_code_cell('focusgebied: str = "alle"  # id of alle')
        p.metadata["tags"] = ["parameters"]
        nb.cells = [p, *[nbformat.v4.new_code_cell(c) for c in SYNTH_CELLS]]
        nbformat.write(nb, nbdir / f"{90 + i}_synthetisch.ipynb")


def snapshot(work: Path) -> Path:
    """Frozen copy of the code (src/helpers, params, reports/teksten) the variants run on.

    In the shared checkout other engineers change ``src/helpers`` every few minutes, which
    (correctly) invalidates every run; the benchmark measures on a snapshot instead.
    """
    snap = work / "snapshot"
    shutil.copytree(ROOT / "src" / "helpers", snap / "src" / "helpers",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "params", snap / "params")
    if (ROOT / "reports" / "teksten").is_dir():
        shutil.copytree(ROOT / "reports" / "teksten", snap / "reports" / "teksten")
    shutil.copy2(ROOT / "pyproject.toml", snap / "pyproject.toml")
    return snap


def prepare(work: Path, args: argparse.Namespace) -> dict[str, str]:
    """Data, notebooks and the environment for every variant."""
    snap = snapshot(work)
    nbdir = work / "notebooks"
    nbdir.mkdir()
    if args.synthetic:
        make_synthetic(nbdir)
    else:
        # every notebook (params/notebooks.yml names them all); --notebook selects the runs
        for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
            shutil.copy2(p, nbdir / p.name)
    if args.data:
        raw, processed = args.data / "raw", args.data / "processed"
    elif args.synthetic:  # synthetic notebooks read no data
        raw, processed = work / "raw", work / "processed"
        raw.mkdir()
        processed.mkdir()
    else:
        raw, processed = work / "raw", work / "processed"
        print("demo data: wijkmonitor demo-data + build ...", flush=True)
        subprocess.run([str(BIN / "wijkmonitor"), "demo-data", "--out", str(raw)], check=True,
                       capture_output=True)
        subprocess.run([str(BIN / "wijkmonitor"), "build", "--raw", str(raw), "--out",
                        str(processed)], check=True, capture_output=True,
                       env={**os.environ, "WIJKMONITOR_RAW": str(raw)})
    return {"PYTHONPATH": str(snap / "src"), "WIJKMONITOR_ROOT": str(snap),
            "WIJKMONITOR_RAW": str(raw), "WIJKMONITOR_PROCESSED": str(processed),
            "WIJKMONITOR_NOTEBOOKS": str(nbdir), "WIJKMONITOR_REPORTS": str(work / "reports")}


def naive(pairs: list[tuple[Path, str]], out: Path) -> tuple[float, int]:
    """(a) sequential papermill loop, fresh kernel per notebook; returns (seconds, failures)."""
    import papermill as pm

    failed = 0
    t0 = time.perf_counter()
    for nb, g in pairs:
        (out / g).mkdir(parents=True, exist_ok=True)
        try:
            pm.execute_notebook(str(nb), str(out / g / nb.name), parameters={"focusgebied": g},
                                kernel_name="python3", progress_bar=False, cwd=str(nb.parent))
        except Exception:  # noqa: BLE001
            failed += 1
    return time.perf_counter() - t0, failed


def in_process(pairs: list[tuple[Path, str]]) -> tuple[float, int]:
    """(d) the notebooks' code cells in one IPython shell, namespace reset per run."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import nbformat
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    shell = InteractiveShell.instance()
    failed = 0
    t0 = time.perf_counter()
    for nb_path, g in pairs:
        nb = nbformat.read(nb_path, 4)
        shell.reset(new_session=False)
        with capture_output():
            ok = True
            for cell in nb.cells:
                if cell.cell_type != "code":
                    continue
                res = shell.run_cell(cell.source, store_history=False)
                if "parameters" in cell.metadata.get("tags", []):
                    shell.run_cell(f"focusgebied = {g!r}", store_history=False)
                if not res.success:
                    ok = False
                    break
        plt.close("all")
        failed += not ok
    return time.perf_counter() - t0, failed


def runner(gebieden: list[str], alle: bool, env: dict[str, str], jobs: int, force: bool
           ) -> tuple[float, str]:
    """(b)/(c): the CLI as a user runs it (new process, including start-up)."""
    cmd = [str(BIN / "wijkmonitor"), "run", "--jobs", str(jobs)]
    cmd += ["--alle"] if alle else [x for g in [*gebieden, "alle"] for x in ("--gebied", g)]
    if force:
        cmd.append("--force")
    import resource

    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **env,
                                                                      "COLUMNS": "200"})
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return wall, out.stdout + out.stderr + f"\n[cpu van het wijkmonitor-proces: {cpu:.2f} s]"


def main() -> int:
    args = _args()
    work = Path(tempfile.mkdtemp(prefix="bench-runner-"))
    try:
        env = prepare(work, args)
        os.environ.update(env)  # before helpers is imported: config reads the overrides
        sys.path.insert(0, env["PYTHONPATH"])
        from helpers.registers import focusgebieden as registry

        ids = registry.focusgebied_ids()[: args.gebieden]
        alle = args.gebieden >= 20
        nbs = sorted(Path(env["WIJKMONITOR_NOTEBOOKS"]).glob("[0-9][0-9]_*.ipynb"))
        pairs = [(nb, g) for nb in nbs for g in [*ids, "alle"]]
        print(f"{len(nbs)} notebooks x {len(ids)} gebieden + alle = {len(pairs)} runs "
              f"({'synthetisch' if args.synthetic else 'notebooks/ op demodata'}); "
              f"load {os.getloadavg()[0]:.1f} op {os.cpu_count()} kernen", flush=True)

        t_b, out_b = runner(ids, alle, env, args.jobs, force=True)
        tail = [ln for ln in out_b.splitlines() if "geslaagd," in ln]
        print(f"(b) wijkmonitor run --jobs {args.jobs} --force: {t_b:.1f} s  [{tail[-1] if tail else ''}]",
              flush=True)
        t_c, out_c = runner(ids, alle, env, args.jobs, force=False)
        tail = [ln for ln in out_c.splitlines() if "geslaagd," in ln]
        if tail and f"{len(pairs)} overgeslagen" not in tail[-1]:
            # Others edit src/helpers in this shared checkout: a change there (correctly)
            # invalidates every run. Measure the next, truly unchanged re-run instead.
            print(f"    (c) eerste herhaling voerde uit (src/helpers gewijzigd?): {t_c:.1f} s "
                  f"[{tail[-1]}]; opnieuw", flush=True)
            t_c, out_c = runner(ids, alle, env, args.jobs, force=False)
            tail = [ln for ln in out_c.splitlines() if "geslaagd," in ln]
        cpu_c = out_c.strip().splitlines()[-1]
        print(f"(c) zelfde, niets gewijzigd: {t_c:.2f} s  [{tail[-1] if tail else ''}] {cpu_c}",
              flush=True)
        t_d, f_d = in_process(pairs)
        print(f"(d) in-process zonder kernels: {t_d:.1f} s ({f_d} mislukt)", flush=True)
        if args.skip_naive:
            t_a = float("nan")
        else:
            t_a, f_a = naive(pairs, work / "naive")
            print(f"(a) naieve papermill-lus: {t_a:.1f} s ({f_a} mislukt)", flush=True)
        print()
        print(f"{'variant':<44}{'seconden':>10}{'per run':>10}")
        for name, t in [("(a) naive sequential papermill loop", t_a),
                        (f"(b) run --jobs {args.jobs} --force (warm kernels)", t_b),
                        ("(c) run again, nothing changed", t_c),
                        ("(d) in-process, no kernels (lower limit)", t_d)]:
            print(f"{name:<44}{t:>10.2f}{t / len(pairs):>10.2f}")
        print(f"\nspeed-up (a)/(b): {t_a / t_b:.2f}x (target >= 1.8x)")
        print(f"(c): {t_c:.2f} s (target <= 2 s)")
        print(f"(b)/(d): {t_b / t_d:.2f}x  (overhead of kernels, HTML export and provenance)")
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    finally:
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
