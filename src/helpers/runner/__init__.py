"""Batch runner: every notebook for every focus area — parallel, incremental, traceable.

Public API (the CLI ``wijkmonitor run`` and :mod:`helpers.publish` use these):

- :func:`run` (``gebieden, notebooks, jobs=None, force=False, *, alle=False, parameters=None,
  executor="local", scheduler=None, kernels="warm"``) -> :class:`RunResult`
- :func:`run_cli` -> exit code
- :func:`notebook_specs` -> ``{name: NotebookSpec}`` (declared parameters, inputs, alle, ...)
- :func:`helpers.runner.manifest.load_manifest` -> the manifest of ``reports/runs``

Submodules: ``spec`` (declarations, validation), ``manifest`` (hashes, manifest, skip),
``execute`` (one run: papermill injection, provenance, error detection, HTML), ``kernels`` and
``forkserver`` (warm pre-imported kernels), ``core`` (planning, pools, progress, summary),
``herkomst`` (provenance display inside kernels). This module imports nothing heavy: the CLI
and every kernel import it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from helpers.runner.core import RunResult, TaakResultaat  # noqa: F401
    from helpers.runner.spec import NotebookSpec, RunnerError  # noqa: F401

__all__ = ["run", "run_cli", "notebook_specs", "RunResult", "TaakResultaat", "NotebookSpec",
           "RunnerError"]


def run(*args: Any, **kwargs: Any) -> RunResult:
    """Run notebooks for areas; see :func:`helpers.runner.core.run`."""
    from helpers.runner.core import run as _run

    return _run(*args, **kwargs)


def run_cli(gebieden: list[str], alle: bool, notebooks: list[str], jobs: int | None,
            force: bool, executor: str, scheduler: str | None) -> int:
    """Entry point of ``wijkmonitor run``; returns the exit code (non-zero if anything failed)."""
    from helpers.runner.core import run_cli as _run_cli

    return _run_cli(gebieden, alle, notebooks, jobs, force, executor, scheduler)


def notebook_specs(notebooks_dir: Any = None) -> dict[str, NotebookSpec]:
    """Declarations of all notebooks in ``notebooks/`` (parameters, inputs, alle, per_gebied).

    Includes the defaults from ``params/notebooks.yml``; raises :class:`RunnerError` for an
    invalid declaration.
    """
    from helpers.runner.spec import load_specs

    return load_specs(notebooks_dir)


def __getattr__(name: str) -> Any:
    if name in ("RunResult", "TaakResultaat"):
        from helpers.runner import core

        return getattr(core, name)
    if name in ("NotebookSpec", "RunnerError"):
        from helpers.runner import spec

        return getattr(spec, name)
    raise AttributeError(name)
