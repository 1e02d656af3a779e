"""Execution of planned runs: task dicts for the workers, local pool with warm kernels, Dask."""

from __future__ import annotations

import os
import time
from datetime import UTC
from pathlib import Path
from typing import Any

from helpers.core import config
from helpers.runner.planning import Taak
from helpers.runner.spec import load_defaults
from helpers.runner.status import MISLUKT

DEFAULT_CELL_TIMEOUT = 3600  # seconds per cell: a hanging notebook must not hang the batch


def kernel_env() -> dict[str, str]:
    """Path overrides handed to every kernel, so notebooks read and write where the runner does."""
    return {
        "WIJKMONITOR_RAW": str(config.DATA_RAW),
        "WIJKMONITOR_PROCESSED": str(config.DATA_PROCESSED),
        "WIJKMONITOR_REPORTS": str(config.REPORTS),
        "WIJKMONITOR_NOTEBOOKS": str(config.NOTEBOOKS),
        "WIJKMONITOR_SHARED_REAL": str(config.SHARED_REAL),
        config.RUNNER_ENV: "1",  # only runner kernels write into reports/runs
    }


def build_task(t: Taak, runs: Path, hashes: dict[str, Any], common: dict[str, Any]) -> dict:
    """The picklable task dict of one planned run (see :func:`helpers.runner.execute.execute_task`);
    a variant's files go under ``runs/varianten/<naam>/``."""
    d = (runs / t.rel).parent
    root = d.parent
    return {
        "gebied": t.gebied, "notebook": t.spec.naam, "titel": t.spec.titel,
        "pad": str(t.spec.pad), "parameters": t.parameters,
        "ipynb": str(d / f"{t.spec.naam}.ipynb"), "html": str(d / f"{t.spec.naam}.html"),
        "uitvoer_map": str(d / t.spec.naam),
        "cwd": str(t.spec.pad.parent), "timeout": DEFAULT_CELL_TIMEOUT,
        "env": {**common["env"], config.RUN_OUTPUT_ENV: str(root)},
        "html_export": common.get("html", True),
        "herkomst": {
            "gebied": t.gebied, "notebook": t.spec.naam, "variant": t.variant, "start": now_iso(),
            "versie": common["versie"], "git_commit": common["git_commit"],
            "helpers_hash": hashes["helpers_hash"], "parameters": t.parameters,
            "invoer": hashes["invoer"],
        },
    }


def now_iso() -> str:
    from datetime import datetime

    return datetime.now(UTC).isoformat(timespec="seconds")


def failure_result(task: dict, fout: str) -> dict:
    """Result dict for a run that failed outside the notebook (executor or worker error)."""
    now = now_iso()
    return {"gebied": task["gebied"], "notebook": task["notebook"], "status": MISLUKT,
            "fout": fout, "fouten": [fout], "html": False, "start": now, "eind": now, "duur_s": 0.0}


def _warm_imports() -> None:
    """Import what executing and exporting need (runs in a background thread)."""
    import nbconvert.exporters.html  # noqa: F401
    import papermill.engines  # noqa: F401


def run_local(tasks: list[dict], jobs: int | None, kernels: str,
               preload: list[str] | None = None):
    """Execute tasks on a thread pool; each thread drives one kernel at a time. Yields results."""
    from concurrent.futures import ThreadPoolExecutor, as_completed

    from helpers.runner.execute import execute_task, skip_slow_optional_imports

    skip_slow_optional_imports()
    workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    import threading

    # papermill/nbclient/nbconvert load while the fork server imports the kernel libraries
    threading.Thread(target=_warm_imports, daemon=True).start()
    server = None
    if kernels == "warm" and hasattr(os, "fork"):
        from helpers.runner.kernels import DEFAULT_PRELOAD, ForkServer

        if preload is None:
            preload = DEFAULT_PRELOAD + list(load_defaults().get("voorladen", []))
        server = ForkServer(preload, env={**os.environ, **tasks[0]["env"]},
                            cwd=tasks[0]["cwd"]).start()
    try:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="wijkmonitor-run") as pool:
            futures = {pool.submit(execute_task, task, server): task for task in tasks}
            for fut in as_completed(futures):
                try:
                    yield fut.result()
                except Exception as exc:  # noqa: BLE001 - report, never stop the batch
                    yield failure_result(futures[fut], f"{type(exc).__name__}: {exc}")
    finally:
        if server is not None:
            server.close()


def _execute_in_fresh_context(task: dict) -> Any:
    """Run one task in an empty ``contextvars`` context (used on Dask workers).

    Dask runs tasks in a copy of the submitting context; jupyter_core keeps its per-thread event
    loop in a ContextVar, so two tasks on threads of one worker could otherwise share one loop
    and fail with "This event loop is already running". An empty context gives each task its
    own loop.
    """
    import contextvars

    from helpers.runner.execute import execute_task

    return contextvars.Context().run(execute_task, task, None)


def run_dask(tasks: list[dict], jobs: int | None, scheduler: Any):
    """Execute tasks on a running Dask cluster (fresh kernel per run on the workers).

    Workers must see the same file system (notebooks, data, reports). Yields results.
    """
    from distributed import Client, as_completed

    own = not isinstance(scheduler, Client)
    client = Client(scheduler) if own else scheduler
    try:
        futures = [client.submit(_execute_in_fresh_context, task, pure=False,
                                 key=f"wijkmonitor-{task['gebied']}-{task['notebook']}-{time.time_ns()}")
                   for task in tasks]
        for fut in as_completed(futures):
            try:
                yield fut.result()
            except Exception as exc:  # noqa: BLE001 - worker lost etc.: report, do not stop
                yield failure_result(tasks[futures.index(fut)], f"Dask: {type(exc).__name__}: {exc}")
    finally:
        if own:
            client.close()
