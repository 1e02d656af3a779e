"""Plan, skip, execute and record a batch of notebook runs (areas x notebooks).

Flow of :func:`run`: load the notebook declarations and validate the request (notebook names,
area ids, parameters) -> hash sources, helpers code and declared inputs -> skip runs whose
hashes match the last successful run in the manifest -> execute the rest on a bounded pool
(local threads driving warm forked kernels, or a Dask cluster) -> update the manifest after
every finished run -> print a summary table. Nothing heavy (papermill, nbconvert, pandas) is
imported unless something has to run.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

from helpers.core import config
from helpers.registers.focusgebieden import ALLE
from helpers.runner import manifest as mf
from helpers.runner.spec import (
    NotebookSpec,
    RunnerError,
    load_defaults,
    load_specs,
    resolve_parameters,
)

GESLAAGD, MISLUKT, OVERGESLAGEN = "geslaagd", "mislukt", "overgeslagen"
SKIP_TEXT = "overgeslagen (ongewijzigd)"
DEFAULT_CELL_TIMEOUT = 3600  # seconds per cell: a hanging notebook must not hang the batch


@dataclass
class TaakResultaat:
    """Outcome of one area x notebook run.

    ``status``: ``geslaagd``, ``mislukt`` or ``overgeslagen`` (unchanged since the last
    successful run). ``ipynb``/``html``: the executed copy and its export;
    ``uitvoer_map``: ``reports/runs/<gebied>/<notebook>/`` (files the notebook wrote).
    """

    gebied: str
    notebook: str
    status: str
    duur_s: float = 0.0
    fout: str | None = None
    fouten: list[str] = field(default_factory=list)
    ipynb: Path | None = None
    html: Path | None = None
    uitvoer_map: Path | None = None


@dataclass
class RunResult:
    """All outcomes of one :func:`run` call, in plan order."""

    resultaten: list[TaakResultaat]
    duur_s: float
    manifest: Path

    def _met(self, status: str) -> list[TaakResultaat]:
        return [r for r in self.resultaten if r.status == status]

    @property
    def geslaagd(self) -> list[TaakResultaat]:
        return self._met(GESLAAGD)

    @property
    def mislukt(self) -> list[TaakResultaat]:
        return self._met(MISLUKT)

    @property
    def overgeslagen(self) -> list[TaakResultaat]:
        return self._met(OVERGESLAGEN)

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.mislukt

    @property
    def exit_code(self) -> int:
        """0 when nothing failed, else 1."""
        return 0 if self.ok else 1


# ---------------------------------------------------------------------------------------------
# Planning and validation (before any kernel starts)


def known_gebieden() -> list[str]:
    """Ids of the focus areas from :mod:`helpers.registers.focusgebieden`."""
    from helpers.registers import focusgebieden as registry

    return list(registry.gebied_ids())


def resolve_gebieden(gebieden: Iterable[str], alle: bool) -> list[str]:
    """Area ids to run: ``alle=True`` means every focus area plus ``alle``.

    Ids, names and aliases are accepted (resolved by :mod:`helpers.registers.focusgebieden`); ``alle`` is the
    national view. Raises :class:`RunnerError` for an unknown area or an empty selection.
    """
    gebieden = [g.strip() for g in gebieden if g and g.strip()]
    if not gebieden and not alle:
        raise RunnerError("geen gebied gekozen (gebruik --gebied ID of --alle)")
    ids = known_gebieden()
    out: list[str] = [*ids, ALLE] if alle else []
    for g in gebieden:
        if g == ALLE or g in ids:
            gid = g
        else:
            from helpers.core.errors import RegistryError
            from helpers.registers import focusgebieden as registry

            try:
                gid = registry.resolve_gebied(g)
            except RegistryError as exc:
                raise RunnerError(
                    f"onbekend focusgebied '{g}' (verwacht: een id uit "
                    f"params/focusgebieden.yml of 'alle'; {exc})"
                ) from exc
        if gid not in out:
            out.append(gid)
    return out


def select_notebooks(specs: dict[str, NotebookSpec], names: Sequence[str]) -> list[NotebookSpec]:
    """The notebooks named (without ``.ipynb``), or all. Raises :class:`RunnerError` if unknown."""
    if not specs:
        raise RunnerError(f"geen notebooks (NN_naam.ipynb) gevonden in '{config.NOTEBOOKS}'")
    if not names:
        return list(specs.values())
    out = []
    for n in names:
        naam = n[:-6] if n.endswith(".ipynb") else n
        if naam not in specs:
            raise RunnerError(f"onbekend notebook '{n}' (bekend: {', '.join(specs)})")
        if specs[naam] not in out:
            out.append(specs[naam])
    return out


@dataclass
class Taak:
    """One planned run."""

    spec: NotebookSpec
    gebied: str
    parameters: dict[str, Any]

    @property
    def key(self) -> str:
        return mf.key(self.gebied, self.spec.naam)


def plan(gebieden: Sequence[str], notebooks: Sequence[str], *, alle: bool = False,
         parameters: dict[str, Any] | None = None, notebooks_dir: Path | None = None
         ) -> list[Taak]:
    """Validate a request and list its runs (notebook order, then area order).

    A notebook runs for ``alle`` only if it declares ``"alle": true`` and for focus areas only
    if it declares ``"per_gebied": true``; combinations it does not support are left out. Raises
    :class:`RunnerError` for unknown notebooks, areas or parameters, wrong parameter types, or
    a request that leaves nothing to run.
    """
    specs = load_specs(notebooks_dir)
    chosen = select_notebooks(specs, notebooks)
    ids = resolve_gebieden(gebieden, alle)
    taken = []
    for spec in chosen:
        for g in ids:
            if (g == ALLE and not spec.alle) or (g != ALLE and not spec.per_gebied):
                continue
            taken.append(Taak(spec, g, resolve_parameters(spec, g, parameters)))
    if not taken:
        raise RunnerError(
            "niets uit te voeren: de gekozen notebooks ondersteunen de gekozen gebieden niet "
            f"(notebooks: {', '.join(s.naam for s in chosen)}; gebieden: {', '.join(ids)})"
        )
    return taken


# ---------------------------------------------------------------------------------------------
# Execution


def kernel_env() -> dict[str, str]:
    """Path overrides handed to every kernel, so notebooks read and write where the runner does."""
    return {
        "WIJKMONITOR_RAW": str(config.DATA_RAW),
        "WIJKMONITOR_PROCESSED": str(config.DATA_PROCESSED),
        "WIJKMONITOR_REPORTS": str(config.REPORTS),
        "WIJKMONITOR_NOTEBOOKS": str(config.NOTEBOOKS),
        "WIJKMONITOR_SHARED_REAL": str(config.SHARED_REAL),
    }


def _task_dict(t: Taak, runs: Path, hashes: dict[str, Any], common: dict[str, Any]) -> dict:
    d = runs / t.gebied
    return {
        "gebied": t.gebied, "notebook": t.spec.naam, "titel": t.spec.titel,
        "pad": str(t.spec.pad), "parameters": t.parameters,
        "ipynb": str(d / f"{t.spec.naam}.ipynb"), "html": str(d / f"{t.spec.naam}.html"),
        "cwd": str(t.spec.pad.parent), "env": common["env"], "timeout": DEFAULT_CELL_TIMEOUT,
        "herkomst": {
            "gebied": t.gebied, "notebook": t.spec.naam, "start": mf_now(),
            "versie": common["versie"], "git_commit": common["git_commit"],
            "helpers_hash": hashes["helpers_hash"], "parameters": t.parameters,
            "invoer": hashes["invoer"],
        },
    }


def mf_now() -> str:
    from datetime import datetime

    return datetime.now(UTC).isoformat(timespec="seconds")


class _Display:
    """Progress (rich): areas x notebooks; geslaagd, mislukt, overgeslagen; elapsed."""

    def __init__(self, total: int, console: Any, quiet: bool) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.console, self.quiet = console, quiet
        self.tel = {GESLAAGD: 0, MISLUKT: 0, OVERGESLAGEN: 0}
        self.progress = Progress(
            TextColumn("[bold]notebooks × gebieden"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.description}"), TimeElapsedColumn(),
            console=console, disable=quiet, transient=False,
        )
        self.task = self.progress.add_task(self._desc(), total=total)

    def _desc(self) -> str:
        return (f"geslaagd {self.tel[GESLAAGD]} · mislukt {self.tel[MISLUKT]} · "
                f"overgeslagen {self.tel[OVERGESLAGEN]}")

    def __enter__(self) -> _Display:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.progress.__exit__(*exc)

    def done(self, r: TaakResultaat) -> None:
        from helpers.core.nl import getal

        self.tel[r.status] += 1
        if not self.quiet:
            if r.status == OVERGESLAGEN:
                msg = f"[dim]{r.gebied} / {r.notebook}: {SKIP_TEXT}[/dim]"
            elif r.status == GESLAAGD:
                msg = f"[green]✓[/green] {r.gebied} / {r.notebook} ({getal(r.duur_s, 1)} s)"
            else:
                msg = f"[red]✗ {r.gebied} / {r.notebook}: mislukt[/red] — {r.fout}"
            self.progress.console.print(msg, highlight=False)
        self.progress.update(self.task, advance=1, description=self._desc())


def _hash_inputs(taken: list[Taak]) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Per run: display path -> sha256 of each declared input; plus the missing inputs."""
    cache: dict[Path, str | None] = {}
    per_taak: dict[str, dict[str, str]] = {}
    missing: dict[str, str] = {}
    for t in taken:
        hashes: dict[str, str] = {}
        for p in t.spec.input_paths():
            if p not in cache:
                cache[p] = mf.file_hash(p) if p.is_file() else None
            if cache[p] is None:
                missing.setdefault(t.key, mf.display_path(p))
            else:
                hashes[mf.display_path(p)] = cache[p]  # type: ignore[assignment]
        per_taak[t.key] = hashes
    return per_taak, missing


def run(gebieden: Sequence[str] = (), notebooks: Sequence[str] = (), jobs: int | None = None,
        force: bool = False, *, alle: bool = False, parameters: dict[str, Any] | None = None,
        executor: str = "local", scheduler: str | None = None, kernels: str = "warm",
        notebooks_dir: Path | None = None, preload: list[str] | None = None,
        console: Any = None, quiet: bool = False) -> RunResult:
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
    taken = plan(gebieden, notebooks, alle=alle, parameters=parameters,
                 notebooks_dir=notebooks_dir)
    runs = config.RUNS
    if console is None:
        from rich.console import Console

        console = Console(highlight=False)

    helpers_h = mf.helpers_hash()
    invoer, missing = _hash_inputs(taken)
    entries = mf.load_manifest(runs)["runs"]
    updates: dict[str, dict[str, Any]] = {}
    resultaten: dict[str, TaakResultaat] = {}
    current: dict[str, dict[str, Any]] = {}
    todo: list[Taak] = []
    for t in taken:
        current[t.key] = {
            "bron_hash": t.spec.bron_hash, "helpers_hash": helpers_h,
            "parameters_hash": mf.json_hash(t.parameters), "invoer": invoer[t.key],
        }
        d = runs / t.gebied
        base = TaakResultaat(t.gebied, t.spec.naam, OVERGESLAGEN, ipynb=d / f"{t.spec.naam}.ipynb",
                             html=d / f"{t.spec.naam}.html", uitvoer_map=d / t.spec.naam)
        if t.key in missing:
            base.status = MISLUKT
            base.fout = f"invoer ontbreekt: {missing[t.key]} (eerst 'wijkmonitor build' uitvoeren?)"
            base.fouten = [base.fout]
        elif not force and mf.is_unchanged(entries.get(t.key), current[t.key], runs):
            pass
        else:
            todo.append(t)
            continue
        resultaten[t.key] = base

    with _Display(len(taken), console, quiet) as display:
        for t in taken:
            if t.key in resultaten:
                display.done(resultaten[t.key])
        if todo:
            common = {"versie": _version(), "git_commit": mf.git_commit(), "env": kernel_env()}
            tasks = {t.key: _task_dict(t, runs, {"helpers_hash": helpers_h,
                                                 "invoer": invoer[t.key]}, common)
                     for t in todo}
            by_key = {t.key: t for t in todo}
            if executor == "dask":
                stream = _run_dask(list(tasks.values()), jobs, scheduler)
            else:
                stream = _run_local(list(tasks.values()), jobs, kernels, preload)
            for res in stream:
                k = mf.key(res["gebied"], res["notebook"])
                t = by_key[k]
                r = resultaten[k] = TaakResultaat(
                    t.gebied, t.spec.naam, res["status"], res["duur_s"], res["fout"],
                    res["fouten"], Path(tasks[k]["ipynb"]), Path(tasks[k]["html"]),
                    runs / t.gebied / t.spec.naam)
                updates[k] = {
                    "gebied": t.gebied, "notebook": t.spec.naam, "titel": t.spec.titel,
                    "status": res["status"], "parameters": t.parameters, **current[k],
                    "versie_wijkmonitor": common["versie"], "git_commit": common["git_commit"],
                    "start": res["start"], "eind": res["eind"], "duur_s": res["duur_s"],
                    "fout": res["fout"],
                    "ipynb": f"{t.gebied}/{t.spec.naam}.ipynb",
                    "html": f"{t.gebied}/{t.spec.naam}.html",
                    "uitvoer_map": f"{t.gebied}/{t.spec.naam}",
                }
                mf.update_manifest(updates, runs)
                display.done(r)
    result = RunResult([resultaten[t.key] for t in taken], time.perf_counter() - t0,
                       runs / mf.MANIFEST)
    if not quiet:
        print_summary(result, console)
    return result


def _version() -> str:
    import helpers

    return helpers.__version__


def _failure(task: dict, fout: str) -> dict:
    """Result dict for a run that failed outside the notebook (executor or worker error)."""
    now = mf_now()
    return {"gebied": task["gebied"], "notebook": task["notebook"], "status": MISLUKT,
            "fout": fout, "fouten": [fout], "start": now, "eind": now, "duur_s": 0.0}


def _warm_imports() -> None:
    """Import what executing and exporting need (runs in a background thread)."""
    import nbconvert.exporters.html  # noqa: F401
    import papermill.engines  # noqa: F401


def _run_local(tasks: list[dict], jobs: int | None, kernels: str,
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
                    yield _failure(futures[fut], f"{type(exc).__name__}: {exc}")
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


def _run_dask(tasks: list[dict], jobs: int | None, scheduler: Any):
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
                yield _failure(tasks[futures.index(fut)], f"Dask: {type(exc).__name__}: {exc}")
    finally:
        if own:
            client.close()


def print_summary(result: RunResult, console: Any) -> None:
    """Summary table: gebied, notebook, status, duur, first line of the error; then totals."""
    from rich.table import Table

    from helpers.core.nl import getal

    table = Table(title="Samenvatting uitvoering", show_lines=False)
    for col in ("Gebied", "Notebook", "Status", "Duur (s)", "Fout"):
        table.add_column(col, overflow="fold")
    kleur = {GESLAAGD: "green", MISLUKT: "bold red", OVERGESLAGEN: "dim"}
    for r in result.resultaten:
        status = SKIP_TEXT if r.status == OVERGESLAGEN else r.status
        table.add_row(r.gebied, r.notebook, f"[{kleur[r.status]}]{status}[/]",
                      getal(r.duur_s, 1) if r.status != OVERGESLAGEN else "–",
                      (r.fout or "").splitlines()[0] if r.fout else "")
    console.print(table)
    console.print(
        f"{len(result.geslaagd)} geslaagd, {len(result.mislukt)} mislukt, "
        f"{len(result.overgeslagen)} overgeslagen in {getal(result.duur_s, 1)} s; "
        f"manifest: {result.manifest}",
        highlight=False,
    )


def run_cli(gebieden: list[str], alle: bool, notebooks: list[str], jobs: int | None, force: bool,
            executor: str, scheduler: str | None) -> int:
    """Entry point of ``wijkmonitor run``; returns the exit code (1 if any run failed)."""
    result = run(gebieden, notebooks, jobs, force, alle=alle, executor=executor,
                 scheduler=scheduler)
    if result.mislukt:
        print(f"{len(result.mislukt)} uitvoering(en) mislukt; zie de samenvatting hierboven.",
              file=sys.stderr)
    return result.exit_code
