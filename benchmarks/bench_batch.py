"""Batch speed against the in-process limit (issue 16, points 4 and 5).

Prints, on demo data in a temporary folder (code frozen in a snapshot, see bench_runner.py):

1. the 8-run comparison: 4 areas x notebooks 10_indicatorbasis and 20_procesevaluatie by
   (a) a naive sequential papermill loop, (b) ``wijkmonitor run --jobs 2 --force`` and
   (d) the same cells in one warm in-process IPython shell on one core; goal: (b) within 1.5x
   of (d)/2;
2. the full demo batch ``wijkmonitor run --alle --force --jobs 2`` (168 runs) and
   ``wijkmonitor render --no-run``, against the batch's own one-core in-process time
   (goal: within 1.5x of half of it; 90 s in all);
3. the unchanged re-run (goal: under 2 s);
4. the Dask executor on a LocalCluster (one worker, 2 threads: 2 runs at a time) for the 8 runs,
   per run against the local runner (goal: within 1.5x).

Usage::

    python benchmarks/bench_batch.py            # everything (several minutes on 2 cores)
    python benchmarks/bench_batch.py --quick    # 1, 3 and 4 only (no full batch)

The machine may be shared: the load average is printed with every figure; measure when it is
lowest. Per-run overhead = (runner wall time x jobs - in-process time) / runs. Figures measured
with it (and the load they were measured at) are in the README, section Performance.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_runner import BIN, naive  # noqa: E402
from bench_runner import prepare as prepare_work  # noqa: E402

EIGHT = ["10_indicatorbasis", "20_procesevaluatie"]


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="skip the full 168-run batch")
    p.add_argument("--data", type=Path, help="folder with raw/ and processed/ (else demo data)")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    p.add_argument("--no-naive", action="store_true", help="skip (a), the naive loop (slow)")
    p.add_argument("--no-cold", action="store_true", help="skip (b0), the cold fork server")
    a = p.parse_args()
    a.synthetic, a.notebook = False, []
    return a


def _load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def cli(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Run ``wijkmonitor ARGS`` as a user does (new process); returns (seconds, last line)."""
    t0 = time.perf_counter()
    out = subprocess.run(
        [str(BIN / "wijkmonitor"), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env, "COLUMNS": "200"},
    )
    wall = time.perf_counter() - t0
    lines = [ln for ln in (out.stdout + out.stderr).splitlines() if ln.strip()]
    summary = [ln for ln in lines if "geslaagd," in ln]
    if out.returncode != 0:
        return wall, "FOUT: " + " | ".join(lines[-3:])
    return wall, summary[-1].strip() if summary else (lines[-1] if lines else "")


def run_args(gebieden: list[str], notebooks: list[str]) -> list[str]:
    a = ["run", "--jobs", "2", "--force"]
    a += [x for g in gebieden for x in ("--gebied", g)]
    return a + [x for n in notebooks for x in ("--notebook", n)]


def dask_run(gebieden: list[str], notebooks: list[str], env: dict[str, str]) -> tuple[float, str]:
    """The 8 runs on a LocalCluster (one worker, 2 threads: 2 runs at a time)."""
    from distributed import LocalCluster

    # Worker threads in this process (each run is a kernel process of its own anyway); worker
    # processes cannot be spawned here once IPython has replaced __main__ (reference (d)).
    with LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        protocol="tcp",
        dashboard_address=None,
    ) as cluster:
        return cli(
            [
                *run_args(gebieden, notebooks),
                "--executor",
                "dask",
                "--scheduler",
                cluster.scheduler_address,
            ],
            env,
        )


def in_process(taken, inline: bool = False) -> tuple[float, int]:
    """The reference: each run's code cells in one warm IPython shell (one core), namespace
    reset per run, the parameters the runner injects set after the parameters cell.

    ``inline=False`` is the issue's reference (Agg: figures a notebook only displays are never
    rendered); ``inline=True`` also renders displayed figures to PNG as every kernel must for
    its outputs (matplotlib-inline), so it does the work the executed notebooks contain.
    """
    import matplotlib
    import nbformat
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    shell = InteractiveShell.instance()
    if inline:  # as ipykernel does: inline backend, figures rendered to PNG after each cell
        shell.enable_gui = lambda gui=None: None  # no GUI event loop in a plain shell
        shell.enable_matplotlib("inline")
    else:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    failed = 0
    t0 = time.perf_counter()
    for t in taken:
        nb = nbformat.read(t.spec.pad, 4)
        shell.reset(new_session=False)
        ok = True
        with capture_output():
            for cell in nb.cells:
                if cell.cell_type != "code":
                    continue
                res = shell.run_cell(cell.source, store_history=False)
                if "parameters" in cell.metadata.get("tags", []):
                    shell.run_cell(
                        "\n".join(f"{k} = {v!r}" for k, v in t.parameters.items()),
                        store_history=False,
                    )
                if not res.success:
                    ok = False
                    break
        plt.close("all")
        failed += not ok
    return time.perf_counter() - t0, failed


def main() -> int:
    args = _args()
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        env = prepare_work(work, args)
        os.environ.update(env)  # before helpers is imported: config reads the overrides
        sys.path.insert(0, env["PYTHONPATH"])
        from helpers.registers import focusgebieden as registry

        ids = registry.focusgebied_ids()
        nbdir = Path(env["WIJKMONITOR_NOTEBOOKS"])
        four = ids[:4]
        pairs8 = [(nbdir / f"{n}.ipynb", g) for n in EIGHT for g in four]
        from helpers.runner.planning import plan

        taken8 = plan(four, EIGHT)
        print(f"machine: {os.cpu_count()} cores; {_load()} at the start", flush=True)

        print("\n1. 8 runs: 4 areas x 10_indicatorbasis, 20_procesevaluatie", flush=True)
        cli(run_args(four[:1], EIGHT[:1]), env)  # warm-up: page cache, font cache on disk
        t_b, s_b = cli(run_args(four, EIGHT), env)
        print(f"   (b) run --jobs 2 --force:       {t_b:7.1f} s  [{s_b}] ({_load()})", flush=True)
        cold = {**env, "WIJKMONITOR_KOUD": "1"}
        t_b0, s_b0 = (float("nan"), "-") if args.no_cold else cli(run_args(four, EIGHT), cold)
        print(
            f"   (b0) the same, fork server not warmed up (WIJKMONITOR_KOUD=1: no table cache, "
            f"no shared figure setup): {t_b0:7.1f} s  [{s_b0}] ({_load()})",
            flush=True,
        )
        in_process(taken8[:1])  # warm-up of the reference (imports, first-use costs)
        t_d, f_d = in_process(taken8)
        print(
            f"   (d) in-process, one core:       {t_d:7.1f} s  ({f_d} mislukt) ({_load()})",
            flush=True,
        )
        t_a, f_a = (float("nan"), 0) if args.no_naive else naive(pairs8, work / "naive")
        print(
            f"   (a) naive papermill loop:       {t_a:7.1f} s  ({f_a} mislukt) ({_load()})",
            flush=True,
        )
        print(
            f"   (b) / ((d)/2) = {t_b / (t_d / 2):.2f} (goal <= 1.5); (a)/(b) = {t_a / t_b:.1f}x; "
            f"overhead per run = {(2 * t_b - t_d) / 8:.2f} s (goal <= 0.5 s)",
            flush=True,
        )

        print(
            "\n4. Dask executor, LocalCluster (1 worker x 2 threads), the same 8 runs", flush=True
        )
        try:
            t_k, s_k = dask_run(four, EIGHT, env)
            print(
                f"   dask: {t_k:7.1f} s  [{s_k}]; per run {t_k / 8:.2f} s against local "
                f"{t_b / 8:.2f} s: {t_k / t_b:.2f}x (goal <= 1.5) ({_load()})",
                flush=True,
            )
        except ImportError:
            print("   distributed not installed: skipped")
        except Exception as exc:  # noqa: BLE001 - report, keep measuring the rest
            print(f"   dask: FOUT {type(exc).__name__}: {exc}")

        if not args.quick:
            print(
                "\n2. full demo batch: run --alle --force --jobs 2 (168 runs) + render", flush=True
            )
            t_f, s_f = cli(["run", "--alle", "--force", "--jobs", "2"], env)
            print(
                f"   run --alle --force --jobs 2:    {t_f:7.1f} s  [{s_f}] ({_load()})", flush=True
            )
            t_r, s_r = cli(["render", "--no-run"], env)
            print(
                f"   render --no-run:                {t_r:7.1f} s  [{s_r[-120:]}] ({_load()})",
                flush=True,
            )
            pairs = plan([], [], alle=True)
            t_fd, f_fd = in_process(pairs)
            print(
                f"   in-process, one core ({len(pairs)} runs): {t_fd:7.1f} s ({f_fd} mislukt) "
                f"({_load()})",
                flush=True,
            )
            print(
                f"   batch / (in-process/2) = {t_f / (t_fd / 2):.2f} (goal <= 1.5); batch + "
                f"render = {t_f + t_r:.1f} s (aim 90 s); overhead per run = "
                f"{(2 * t_f - t_fd) / len(pairs):.2f} s",
                flush=True,
            )

        print("\n3. unchanged re-run", flush=True)
        rerun = (
            ["run", "--alle", "--jobs", "2"]
            if not args.quick
            else [a for a in run_args(four, EIGHT) if a != "--force"]
        )
        t_c, s_c = cli(rerun, env)
        print(f"   {' '.join(rerun[:3])} ...: {t_c:.2f} s  [{s_c}] (goal < 2 s) ({_load()})")

        print(
            "\n1'. the 8 runs in-process with the figures rendered as in the notebooks", flush=True
        )
        t_i, f_i = in_process(taken8, inline=True)  # last: the inline backend stays on
        print(
            f"   (d') in-process + inline PNGs:  {t_i:7.1f} s  ({f_i} mislukt) ({_load()}): "
            f"(b) / ((d')/2) = {t_b / (t_i / 2):.2f}",
            flush=True,
        )
    finally:
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
