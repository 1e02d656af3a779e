"""Publishing: the publiekssamenvatting and a factsheet per focus area, HTML and PDF.

Public API:

- :func:`render` — build the sources, enforce the guards, render HTML + PDF of the publication
  and the 20 factsheets, write downloads and ``editie.json`` into ``reports/_output/``
  (atomically: a failing guard or render leaves the previous output untouched).
- ``wijkmonitor render [--run/--no-run] [--jobs N]`` (:mod:`helpers.cli`): first brings the
  ``alle`` notebook outputs up to date through :mod:`helpers.runner` (incremental), then calls
  :func:`render`; only the CLI chains the runner and publishing.
- :func:`check_subset` — refuse markdown outside the subset both render paths handle alike.

Submodules: ``content`` (registry + uitvoer.json), ``layout`` (markdown blocks, escaping,
Dutch numbers), ``guards`` (publication guards), ``subset``, ``build`` (jinja2 sources),
``engine`` (quarto or pandoc+typst), ``edition`` (editie.json, downloads), ``pipeline``
(:func:`render`).
"""

from __future__ import annotations

from helpers.publish.pipeline import RenderResultaat, render
from helpers.publish.subset import check_subset, subset_problemen

__all__ = ["render", "check_subset", "subset_problemen", "RenderResultaat"]
