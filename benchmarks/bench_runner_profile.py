"""Profile of one runner run (issue 16, point 1): where the seconds of a run go.

Runs the runner's own :func:`helpers.runner.execute.execute_task` sequentially (one core, warm
forked kernels from the fork server, as ``wijkmonitor run`` does) with timers around each
phase, and the same notebooks cell by cell in one warm IPython process (the reference: no
kernel, no notebook handling). Phases per run:

- kernel start   -- fork server spawn, kernel ready, client channels (nbclient)
- injection      -- read the notebook, provenance cell, papermill parameters and metadata
- cells          -- executing the code cells in the kernel (includes papermill's per-cell
                    bookkeeping)
- kernel stop    -- shutdown and cleanup of the single-use kernel
- write ipynb    -- ``nbformat.writes`` + atomic write of the executed copy
- html export    -- nbconvert HTML export + atomic write (default: only for failed runs;
                    the "with --html" column exports every run)
- provenance     -- error detection, task dict with the provenance record, input hashes,
                    manifest update (what ``core.run`` does per run)
- rest           -- everything else inside ``execute_task`` (papermill/nbclient glue)

Overhead per run = runner time per run - in-process time per run.

Usage::

    python benchmarks/bench_runner_profile.py                       # 10_indicatorbasis, 2 areas
    python benchmarks/bench_runner_profile.py --notebook 20_procesevaluatie --gebieden 4
    python benchmarks/bench_runner_profile.py --data DIR --keep     # reuse raw/ + processed/

Demo data are generated into a temporary folder (``wijkmonitor demo-data`` + ``build``, as
``make demo`` does), never into the repository's ``data/``.

Measured 2026-12-04 on the shared 2-core machine under heavy load (load average 8.5-11 from
other engineers' jobs: absolute figures are inflated, the split is what counts), fresh demo
data, 10_indicatorbasis x amsterdam-nieuw-west, amsterdam-zuidoost, s per run:

    phase            with --html   default (HTML only for failed runs)
    kernel start        1.16          1.15
    injection           0.01          0.01
    cells              18.99         22.73
    kernel stop         0.23          0.12
    write ipynb         0.04          0.07
    html export         0.53          0.00
    provenance          0.02          0.01
    rest                0.02          0.05
    runner total       21.0          24.1      in-process reference: 6.5

An earlier run on stale data (load 11) gave cells 5.5 s against 1.7 s in-process, kernel
start 1.1-1.3 s and html export 0.25-0.29 s. Conclusion: papermill's own handling (injection,
writes, provenance, glue) costs < 0.1 s; the HTML export (0.3-0.8 s) is now off by default;
kernel start plus stop is about 1.3 s; the largest share by far is cell execution in a
freshly forked kernel, 3x the same cells in a warm process -- first-use costs inside each
kernel (data reads, figure and font setup) that a warm process pays once. That is where
issue 16, points 2 (warm kernel per area, read cache) and 3 (figures) must cut.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_batch import in_process  # noqa: E402  (the one in-process reference)
from bench_runner import prepare as prepare_work  # noqa: E402

PHASES = ("kernel start", "injection", "cells", "kernel stop", "write ipynb", "html export",
          "provenance", "rest")
T: dict[str, float] = defaultdict(float)


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--notebook", action="append", default=[],
                   help="notebook name(s) (default 10_indicatorbasis)")
    p.add_argument("--gebieden", type=int, default=2, help="number of focus areas")
    p.add_argument("--data", type=Path, help="folder with raw/ and processed/ (else demo data)")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    a = p.parse_args()
    a.notebook = a.notebook or ["10_indicatorbasis"]
    a.synthetic = False
    return a


def _timed(phase: str, fn):
    @functools.wraps(fn)
    def wrapper(*a, **k):
        t0 = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            T[phase] += time.perf_counter() - t0
    return wrapper


def instrument() -> None:
    """Wrap the functions each phase consists of (module attributes, looked up at call time)."""
    import nbclient.client as nc
    import nbformat
    import papermill.execute as pe
    import papermill.parameterize as pp

    from helpers.runner import execute

    execute.prepare = _timed("injection", execute.prepare)
    pp.parameterize_notebook = _timed("injection", pp.parameterize_notebook)
    pe.prepare_notebook_metadata = _timed("injection", pe.prepare_notebook_metadata)
    C = nc.NotebookClient  # papermill calls the sync wrappers (run_sync of the async methods)
    C.start_new_kernel = _timed("kernel start", C.start_new_kernel)
    C.start_new_kernel_client = _timed("kernel start", C.start_new_kernel_client)
    C.execute_cell = _timed("cells", C.execute_cell)
    C._cleanup_kernel = _timed("kernel stop", C._cleanup_kernel)
    nbformat.writes = _timed("write ipynb", nbformat.writes)
    execute.notebook_errors = _timed("_errors", execute.notebook_errors)
    execute.export_html = _timed("html export", execute.export_html)
    write = execute.write_text  # helpers.core.io.write_text, as imported by execute

    def write_text(path, text, **kw):
        phase = "html export" if str(path).endswith(".html") else "write ipynb"
        return _timed(phase, write)(path, text, **kw)

    execute.write_text = write_text


def profile_runs(taken, server, html: bool) -> tuple[float, list[str]]:
    """Execute the planned runs as core.run does, sequentially; returns (seconds, failures)."""
    from helpers.core import config
    from helpers.runner import batch
    from helpers.runner import manifest as mf
    from helpers.runner.execute import execute_task
    from helpers.runner.planning import hash_inputs

    common = {"versie": "bench", "git_commit": None, "env": batch.kernel_env(), "html": html}
    helpers_h = mf.helpers_hash()  # once per batch, not per run
    updates, failed, total = {}, [], 0.0
    for t in taken:
        t0 = time.perf_counter()
        invoer, _ = hash_inputs([t])
        task = batch.build_task(t, config.RUNS, {"helpers_hash": helpers_h,
                                                 "invoer": invoer[t.key]}, common)
        T["provenance"] += time.perf_counter() - t0
        t1 = time.perf_counter()
        res = execute_task(task, server)
        T["_execute_task"] += time.perf_counter() - t1
        t2 = time.perf_counter()
        updates[t.key] = {**res, "invoer": invoer[t.key], "parameters": t.parameters}
        mf.update_manifest(updates, config.RUNS)
        T["provenance"] += time.perf_counter() - t2
        total += time.perf_counter() - t0
        if res["status"] != "geslaagd":
            failed.append(f"{t.key}: {res['fout']}")
    return total, failed


def main() -> int:
    args = _args()
    work = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    try:
        env = prepare_work(work, args)
        os.environ.update(env)  # before helpers is imported: config reads the overrides
        sys.path.insert(0, env["PYTHONPATH"])
        from helpers.registers import focusgebieden as registry
        from helpers.runner.execute import skip_slow_optional_imports
        from helpers.runner.kernels import DEFAULT_PRELOAD, ForkServer
        from helpers.runner.planning import plan
        from helpers.runner.spec import load_defaults

        skip_slow_optional_imports()
        ids = registry.focusgebied_ids()[: args.gebieden]
        taken = plan(ids, args.notebook)
        n = len(taken)
        print(f"{n} runs: {', '.join(args.notebook)} x {', '.join(ids)}; load "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)

        instrument()
        preload = DEFAULT_PRELOAD + list(load_defaults().get("voorladen", []))
        t0 = time.perf_counter()
        server = ForkServer(preload, env={**os.environ}, cwd=str(taken[0].spec.pad.parent)).start()
        t_server = time.perf_counter() - t0
        modes = {"with --html": True, "default": False}
        profiles: dict[str, dict[str, float]] = {}
        t_runs: dict[str, float] = {}
        failed: list[str] = []
        try:
            profile_runs(taken[:1], server, True)  # warm-up: imports in this process, first fork
            for label, html in modes.items():
                T.clear()
                t_runs[label], f = profile_runs(taken, server, html)
                failed += f
                errors = T.pop("_errors")  # inside execute_task, counted under provenance
                T["rest"] = T.pop("_execute_task") - errors - sum(
                    T[p] for p in PHASES if p not in ("rest", "provenance"))
                T["provenance"] += errors
                profiles[label] = dict(T)
        finally:
            server.close()

        in_process(taken[:1])  # warm-up: imports and first-use costs of the reference
        t_ref, f_ref = in_process(taken)

        print(f"\nfork server start (once per batch, not in the table): {t_server:.2f} s")
        print("seconds per run (share of the run)\n")
        print(f"{'phase':<16}" + "".join(f"{label:>20}" for label in modes))
        for p in PHASES:
            print(f"{p:<16}" + "".join(f"{profiles[m][p] / n:>12.3f} ({profiles[m][p] / t_runs[m]:>4.0%})"
                                       for m in modes))
        print(f"{'runner total':<16}" + "".join(f"{t_runs[m] / n:>20.3f}" for m in modes))
        print(f"{'in-process ref':<16}{t_ref / n:>20.3f}   (same cells, one warm process)")
        print(f"{'overhead':<16}" + "".join(f"{(t_runs[m] - t_ref) / n:>20.3f}" for m in modes)
              + "   (runner - reference; target <= 0.5 s)")
        for f in failed:
            print(f"mislukt: {f}")
        if f_ref:
            print(f"in-process reference: {f_ref} run(s) failed")
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    finally:
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
