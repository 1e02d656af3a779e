"""Render engines: Quarto when ``quarto`` is on PATH, otherwise pandoc + typst.

Both paths take the same generated ``.qmd`` sources (see :mod:`helpers.publish.build`):

- **quarto**: ``quarto render <doc>.qmd --to html`` and ``--to typst`` (Quarto runs pandoc and
  typst itself), in the build folder; outputs are moved to the output folder.
- **pandoc+typst** (fallback): ``--columns 1000`` so that pipe tables get automatic column widths
  (pandoc otherwise fixes relative widths for long rows), HTML with pandoc (``pypandoc-binary`` 1.15 = pandoc 3.6.1):
  ``--standalone --embed-resources`` (one self-contained file, images as data URIs), the CSS
  and the demo banner (``--include-before-body``), and a Lua filter that turns ``fig-alt`` into
  the ``alt`` attribute as Quarto does; then :mod:`helpers.publish.toegankelijkheid` adds the
  ``<main>`` landmark, header scopes and scroll containers (both paths). PDF: pandoc's typst writer with the template
  ``assets/publicatie.typst`` (banner via ``--include-in-header``), then ``typst.compile``
  (``typst`` 0.15.2, in-process, PDF/UA-1) with the build folder as root.

Documents are rendered in parallel (a thread pool; pandoc runs as a subprocess, typst releases
no GIL but compiles a page in milliseconds).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from helpers.core.errors import WijkmonitorError
from helpers.core.io import move_into_place
from helpers.publish.toegankelijkheid import write_toegankelijke_html


class RenderError(WijkmonitorError):
    """pandoc, typst or quarto failed on a generated source."""


def quarto_pad() -> str | None:
    """Path of the ``quarto`` executable, or ``None`` (then the fallback path is used)."""
    if os.environ.get("WIJKMONITOR_GEEN_QUARTO"):
        return None
    return shutil.which("quarto")


def pandoc_pad() -> str:
    """Path of the pandoc binary shipped by pypandoc-binary."""
    import pypandoc

    return pypandoc.get_pandoc_path()


def renderer_info() -> dict:
    """Name and versions of the render path in use (for ``editie.json`` and the colofon)."""
    q = quarto_pad()
    if q:
        try:
            versie = subprocess.run([q, "--version"], capture_output=True, text=True,
                                    timeout=60).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            versie = None
        return {"naam": "quarto", "quarto": versie}
    import pypandoc
    import typst

    return {"naam": "pandoc+typst", "pandoc": pypandoc.get_pandoc_version(),
            "pypandoc_binary": _dist_versie("pypandoc-binary"),
            "typst": getattr(typst, "__version__", None) or _dist_versie("typst")}


def renderer_tekst(info: dict) -> str:
    """Reader-facing renderer description (``pandoc 3.6.1 en typst 0.15.2``)."""
    if info.get("naam") == "quarto":
        return f"Quarto {info.get('quarto') or ''}".strip()
    return f"pandoc {info.get('pandoc')} en typst {info.get('typst')}"


def _dist_versie(naam: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(naam)
    except PackageNotFoundError:
        return None


def _run(cmd: list[str], cwd: Path, wat: str) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise RenderError(f"{wat} mislukt (code {proc.returncode}): {proc.stderr.strip()[:2000]}")


def pandoc_html(qmd: Path, out_html: Path, *, demo: bool) -> Path:
    """One self-contained HTML file from a generated source (fallback path)."""
    build = qmd.parent
    cmd = [pandoc_pad(), qmd.name, "--from", "markdown", "--to", "html5", "--standalone",
           "--embed-resources", "--css", "assets/publicatie.css",
           "--lua-filter", "assets/fig-alt.lua", "--resource-path", ".", "--columns", "1000",
           "--metadata", "lang=nl", "--output", str(out_html)]
    if demo:
        cmd += ["--include-before-body", "_banner.html"]
    kop = qmd.read_text(encoding="utf-8")
    if re.search(r"^toc: true$", kop, re.M):  # pandoc fills the TOC only with --toc
        diepte = re.search(r"^toc-depth: (\d)$", kop, re.M)
        cmd += ["--toc", "--toc-depth", diepte.group(1) if diepte else "2"]
    _run(cmd, build, f"pandoc (HTML) voor {qmd.name}")
    return write_toegankelijke_html(out_html)


def pandoc_typst(qmd: Path, out_typ: Path, *, demo: bool) -> Path:
    """Typst source from a generated source with the project's typst template (fallback)."""
    build = qmd.parent
    cmd = [pandoc_pad(), qmd.name, "--from", "markdown", "--to", "typst", "--standalone",
           "--template", "assets/publicatie.typst", "--lua-filter", "assets/fig-alt.lua",
           "--columns", "1000",
           "--metadata", "lang=nl", "--output", str(out_typ)]
    if demo:
        cmd += ["--include-in-header", "_banner.typ"]
    _run(cmd, build, f"pandoc (typst) voor {qmd.name}")
    return out_typ


PDF_STANDAARDEN = ["ua-1"]  # tagged PDF/UA-1: structure tree, language, title, figure alt texts


def typst_pdf(typ: Path, out_pdf: Path, root: Path) -> Path:
    """Compile a typst source to a tagged PDF/UA-1 in-process (``typst.compile`` with
    ``pdf_standards=["ua-1"]``; typst then refuses, among others, a figure without alternative
    text, a missing document title or a first heading that is not of level 1)."""
    import typst

    try:
        typst.compile(str(typ), output=str(out_pdf), root=str(root),
                      pdf_standards=PDF_STANDAARDEN)
    except Exception as exc:  # typst raises its own error type with the diagnostics
        raise RenderError(f"typst mislukt voor {typ.name}: {exc}") from exc
    return out_pdf


def _fallback_document(qmd: Path, out: Path, demo: bool) -> list[Path]:
    stam = qmd.stem
    html = pandoc_html(qmd, out / f"{stam}.html", demo=demo)
    typ = pandoc_typst(qmd, qmd.with_suffix(".typ"), demo=demo)
    pdf = typst_pdf(typ, out / f"{stam}.pdf", root=qmd.parent)
    return [html, pdf]


def _quarto_document(qmd: Path, out: Path, demo: bool) -> list[Path]:  # pragma: no cover
    q = quarto_pad()
    assert q is not None
    build = qmd.parent
    _run([q, "render", qmd.name, "--to", "html"], build, f"quarto (HTML) voor {qmd.name}")
    _run([q, "render", qmd.name, "--to", "typst"], build, f"quarto (PDF) voor {qmd.name}")
    paden = []
    for ext in (".html", ".pdf"):
        bron = build / f"{qmd.stem}{ext}"
        doel = out / bron.name
        move_into_place(bron, doel)
        paden.append(write_toegankelijke_html(doel) if ext == ".html" else doel)
    return paden


def render_documenten(documenten: dict[str, Path], out: Path, *, demo: bool,
                      jobs: int | None = None,
                      voortgang: Callable[[str], None] | None = None) -> list[Path]:
    """Render every source to ``out/<stem>.html`` and ``.pdf``; returns the written paths.

    ``jobs``: parallel documents (default: number of CPUs, at most 4). Raises
    :class:`RenderError` for the first failing document.
    """
    out.mkdir(parents=True, exist_ok=True)
    werk = _quarto_document if quarto_pad() else _fallback_document
    jobs = jobs or min(4, os.cpu_count() or 2)
    paden: list[Path] = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(werk, qmd, out, demo): stam for stam, qmd in documenten.items()}
        for fut, stam in futures.items():
            paden += fut.result()
            if voortgang:
                voortgang(stam)
    return paden
