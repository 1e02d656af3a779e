"""Plan, skip, execute and record a batch of notebook runs (areas x notebooks).

Flow of :func:`run`: load the notebook declarations and validate the request (notebook names,
area ids, parameters; :mod:`~helpers.runner.planning`) -> hash sources, helpers code,
declared inputs and the files the previous run really read (:mod:`~helpers.runner.reads`) ->
skip runs whose hashes match the last successful run in the manifest ->
execute the rest on a bounded pool (:mod:`~helpers.runner.batch`: local threads driving warm
forked kernels, or a Dask cluster) -> update the manifest after every finished run -> print a
summary table (:mod:`~helpers.runner.status`). Nothing heavy (papermill, nbconvert, pandas) is
imported unless something has to run.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from helpers.core import config
from helpers.core.provenance import load_bronnen
from helpers.runner import batch, reads, variants
from helpers.runner import manifest as mf
from helpers.runner.absent import classify_missing, write_geen_gegevens
from helpers.runner.planning import Taak, hash_inputs, plan
from helpers.runner.spec import RunnerError
from helpers.runner.status import (
    GEEN_GEGEVENS,
    MISLUKT,
    OVERGESLAGEN,
    ProgressDisplay,
    RunResult,
    TaakResultaat,
    print_summary,
)

__all__ = ["run", "run_cli", "plan", "RunResult", "TaakResultaat"]


def run(gebieden: Sequence[str] = (), notebooks: Sequence[str] = (), jobs: int | None = None,
        force: bool = False, *, alle: bool = False, parameters: dict[str, Any] | None = None,
        executor: str = "local", scheduler: str | None = None, kernels: str = "warm",
        notebooks_dir: Path | None = None, preload: list[str] | None = None,
        console: Any = None, quiet: bool = False, html: bool = False,
        variant: str | None = None) -> RunResult:
    """Execute notebooks for areas; skip unchanged runs; record everything in the manifest.

    ``gebieden``: area ids/names or ``alle``; ``alle=True`` adds all 20 areas plus ``alle``.
    ``notebooks``: names without ``.ipynb`` (default: all). ``jobs``: parallel runs (default
    ``os.cpu_count()``). ``force``: also re-run unchanged runs. ``parameters``: overrides for
    every selected notebook (each must declare them). ``executor``: ``local`` (thread pool
    driving kernels) or ``dask`` (``scheduler`` = address of a running Dask scheduler, or a
    ``distributed.Client``). ``kernels``: ``warm`` (forked from a pre-imported fork server,
    default where ``os.fork`` exists) or ``fresh`` (a new ``python3`` kernel per run).
    ``preload``: modules the fork server imports (default
    :data:`helpers.runner.kernels.DEFAULT_PRELOAD` plus ``voorladen`` of params/notebooks.yml).
    ``html``: also export each executed notebook to HTML (code hidden); without it the HTML is
    written only for failed runs (publication reads ``uitvoer.json``, never the HTML), and an
    unchanged run without its HTML runs again when ``html`` is asked. ``variant``: with
    ``parameters``, the runs are a parameter variant (:mod:`~helpers.runner.variants`) written
    under ``reports/runs/varianten/<variant>/``; without a name one is derived from the
    parameters (default runs are never overwritten by other parameters).

    A run whose declared source tables are absent from this edition (build ran, the source's
    raw files were not there) starts no kernel: status ``geen gegevens``, with an
    ``uitvoer.json`` naming the absent sources (:mod:`helpers.runner.absent`). A run missing
    any other input fails. Every run that is not skipped is recorded in the manifest.

    Raises :class:`RunnerError` (before any kernel starts) for invalid requests; failures of
    individual notebooks are reported in the result, never raised.
    """
    t0 = time.perf_counter()
    if executor not in ("local", "dask"):
        raise RunnerError(f"onbekende executor '{executor}' (verwacht: local of dask)")
    if executor == "dask" and scheduler is None:
        raise RunnerError("--executor dask vraagt om --scheduler ADRES")
    if kernels not in ("warm", "fresh"):
        raise RunnerError(f"onbekende kernelsoort '{kernels}' (verwacht: warm of fresh)")
    if jobs is not None and jobs < 1:
        raise RunnerError(f"--jobs moet minstens 1 zijn (gekregen: {jobs})")
    runs = config.RUNS
    entries = mf.load_manifest(runs)["runs"]
    variant = variants.check_variant(variant, parameters, entries)
    taken = plan(gebieden, notebooks, alle=alle, parameters=parameters,
                 notebooks_dir=notebooks_dir, variant=variant)
    if console is None:
        from rich.console import Console

        console = Console(highlight=False)

    helpers_h = mf.helpers_hash()
    invoer, missing = hash_inputs(taken)
    bronnen = load_bronnen(config.DATA_PROCESSED) if missing else {}
    hash_cache: dict[str, str] = {}
    shared: dict[str, Any] = {}  # version, git and library facts, computed once when needed
    updates: dict[str, dict[str, Any]] = {}
    resultaten: dict[str, TaakResultaat] = {}
    current: dict[str, dict[str, Any]] = {}
    todo: list[Taak] = []
    for t in taken:
        vorige = entries.get(t.key) or {}
        # what the last run really read counts as input too (declared or not)
        gelezen = reads.hash_files(vorige.get("gelezen") or [], hash_cache)
        current[t.key] = {
            "bron_hash": t.spec.bron_hash, "helpers_hash": helpers_h,
            "parameters_hash": mf.json_hash(t.parameters), "invoer": {**gelezen, **invoer[t.key]},
        }
        d = (runs / t.rel).parent
        base = TaakResultaat(t.gebied, t.spec.naam, OVERGESLAGEN, ipynb=d / f"{t.spec.naam}.ipynb",
                             html=d / f"{t.spec.naam}.html" if vorige.get("html") else None,
                             uitvoer_map=d / t.spec.naam)
        if t.key in missing:
            afwezig = classify_missing(missing[t.key], bronnen, config.DATA_PROCESSED,
                                       {p: mf.display_path(p) for p in missing[t.key]})
            base.html = base.ipynb = None
            if afwezig.fout:
                base.status, base.fout, base.fouten = MISLUKT, afwezig.fout, [afwezig.fout]
            else:
                write_geen_gegevens(runs / t.rel, t.gebied, t.spec.naam, t.spec.titel,
                                    afwezig.bronnen, bool(bronnen.get("demo")))
                base.status = GEEN_GEGEVENS
                base.toelichting = "ontbreekt: " + "; ".join(afwezig.labels)
            updates[t.key] = _entry_without_kernel(t, base, current[t.key], runs, afwezig.labels,
                                                   variant, parameters, shared)
        elif (not force and "gelezen" in vorige
              and mf.is_unchanged(vorige, current[t.key], runs, html=html)):
            pass
        else:
            todo.append(t)
            continue
        resultaten[t.key] = base
    if updates:
        mf.update_manifest(updates, runs)

    with ProgressDisplay(len(taken), console, quiet) as display:
        for t in taken:
            if t.key in resultaten:
                display.done(resultaten[t.key])
        if todo:
            common = {"versie": _version(), "git_commit": mf.git_commit(),
                      "git_dirty": mf.git_dirty(), "git_diff_hash": mf.git_diff_hash(),
                      "versies": mf.library_versions(),
                      "env": batch.kernel_env(), "html": html}
            tasks = {t.key: batch.build_task(t, runs, {"helpers_hash": helpers_h,
                                                 "invoer": invoer[t.key]}, common)
                     for t in todo}
            by_key = {t.key: t for t in todo}
            if executor == "dask":
                stream = batch.run_dask(list(tasks.values()), jobs, scheduler)
            else:
                stream = batch.run_local(list(tasks.values()), jobs, kernels, preload)
            for res in stream:
                k = mf.key(res["gebied"], res["notebook"], variant)
                t = by_key[k]
                gelezen = res.get("gelezen") or []
                onverklaard = reads.undeclared(gelezen, invoer[k])
                if onverklaard and reads.is_strict() and res["status"] != MISLUKT:
                    fout = (f"niet gedeclareerde invoer gelezen: {', '.join(onverklaard)} "
                            "(verwacht: in metadata wijkmonitor.inputs of params/notebooks.yml)")
                    res = {**res, "status": MISLUKT, "fout": fout, "fouten": [fout]}
                r = resultaten[k] = TaakResultaat(
                    t.gebied, t.spec.naam, res["status"], res["duur_s"], res["fout"],
                    res["fouten"], Path(tasks[k]["ipynb"]),
                    Path(tasks[k]["html"]) if res.get("html") else None,
                    runs / t.rel)
                updates[k] = {
                    "gebied": t.gebied, "notebook": t.spec.naam, "titel": t.spec.titel,
                    "status": res["status"], "parameters": t.parameters, **current[k],
                    "invoer": {**reads.hash_files(gelezen), **invoer[k]},
                    "gelezen": gelezen, "onverklaarde_invoer": onverklaard,
                    "versie_wijkmonitor": common["versie"], "git_commit": common["git_commit"],
                    "git_dirty": common["git_dirty"], "git_diff_hash": common["git_diff_hash"],
                    "versies": common["versies"],
                    "kernel": res.get("kernel"),
                    "start": res["start"], "eind": res["eind"], "duur_s": res["duur_s"],
                    "fout": res["fout"],
                    "ipynb": f"{t.rel}.ipynb",
                    "html": f"{t.rel}.html" if res.get("html") else None,
                    "uitvoer_map": t.rel, "variant": variant,
                    "variant_parameters": dict(parameters or {}) if variant else None,
                }
                updates[k]["bestanden"] = mf.output_hashes(runs, updates[k])
                mf.update_manifest({k: updates[k]}, runs)
                display.done(r)
    result = RunResult([resultaten[t.key] for t in taken], time.perf_counter() - t0,
                       runs / mf.MANIFEST, variant)
    if not quiet:
        print_summary(result, console)
    return result


def _entry_without_kernel(t: Taak, r: TaakResultaat, current: dict[str, Any], runs: Path,
                          labels: list[str], variant: str | None,
                          parameters: dict[str, Any] | None,
                          shared: dict[str, Any]) -> dict[str, Any]:
    """The manifest entry of a run decided before any kernel: ``mislukt`` (an input missing)
    or ``geen gegevens`` (its sources absent from this edition; ``labels`` names them).
    ``shared``: facts common to the batch, filled on first use."""
    if not shared:
        shared.update({"versie_wijkmonitor": _version(), "git_commit": mf.git_commit(),
                       "git_dirty": mf.git_dirty(), "git_diff_hash": mf.git_diff_hash(),
                       "versies": mf.library_versions()})
    now = batch.now_iso()
    entry = {
        "gebied": t.gebied, "notebook": t.spec.naam, "titel": t.spec.titel, "status": r.status,
        "parameters": t.parameters, **current, "gelezen": [], "onverklaarde_invoer": [],
        **shared, "kernel": None, "start": now, "eind": now,
        "duur_s": 0.0, "fout": r.fout, "ipynb": None, "html": None,
        "uitvoer_map": t.rel if r.status == GEEN_GEGEVENS else None, "variant": variant,
        "variant_parameters": dict(parameters or {}) if variant else None,
        "ontbrekende_bronnen": labels or None,
    }
    entry["bestanden"] = mf.output_hashes(runs, entry)
    return entry


def _version() -> str:
    import helpers

    return helpers.__version__


def run_cli(gebieden: list[str], alle: bool, notebooks: list[str], jobs: int | None, force: bool,
            executor: str, scheduler: str | None, html: bool = False,
            extra_args: list[str] | None = None, variant: str | None = None) -> int:
    """Entry point of ``wijkmonitor run``; returns the exit code (1 if any run failed).

    ``extra_args``: the ``-p NAAM WAARDE`` pairs (values parsed as YAML), validated against
    every selected notebook's parameters cell before any kernel starts."""
    parameters = variants.parse_parameter_args(extra_args or [])
    result = run(gebieden, notebooks, jobs, force, alle=alle, executor=executor,
                 scheduler=scheduler, html=html, parameters=parameters or None, variant=variant)
    if result.variant:
        print(f"Variant '{result.variant}': uitvoer in {config.RUNS / mf.VARIANTS / result.variant}"
              f" (publiceren: wijkmonitor render --variant {result.variant})")
    if result.mislukt:
        print(f"{len(result.mislukt)} uitvoering(en) mislukt; zie de samenvatting hierboven.",
              file=sys.stderr)
    return result.exit_code
