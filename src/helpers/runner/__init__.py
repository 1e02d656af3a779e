"""Batch runner: every notebook for every focus area — parallel, incremental, traceable.

Public API (the CLI ``wijkmonitor run`` and :mod:`helpers.publish` use these):

- :func:`run` (``gebieden, notebooks, jobs=None, force=False, *, alle=False, parameters=None,
  executor="local", scheduler=None, kernels="warm"``) -> :class:`RunResult`
- :func:`run_cli` -> exit code
- :func:`notebook_specs` (``notebooks_dir=None``) -> ``{name: NotebookSpec}`` (declared
  parameters, inputs, alle, ... with the defaults of ``params/notebooks.yml``; raises
  :class:`RunnerError` for an invalid declaration)
- :func:`helpers.runner.manifest.load_manifest` -> the manifest of ``reports/runs``

Submodules: ``spec`` (declarations, validation), ``planning`` (areas x notebooks, input
hashes), ``manifest`` (hashes, manifest, skip), ``core`` (run: plan, skip, execute, record),
``batch`` (task dicts, local pool, Dask), ``status`` (results, progress, summary),
``execute`` (one run: papermill injection, provenance, error detection, HTML), ``kernels`` and
``forkserver`` (warm pre-imported kernels), ``provenance`` (provenance display inside
kernels). Importing this package loads only the standard library and PyYAML: the CLI and
every kernel import it.
"""

from __future__ import annotations

from helpers.runner.core import run, run_cli
from helpers.runner.spec import NotebookSpec, RunnerError
from helpers.runner.spec import load_specs as notebook_specs
from helpers.runner.status import RunResult, TaakResultaat

__all__ = ["run", "run_cli", "notebook_specs", "RunResult", "TaakResultaat", "NotebookSpec",
           "RunnerError"]
