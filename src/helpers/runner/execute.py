"""Execute one notebook for one area: papermill injection, provenance cell, error check, HTML.

The HTML export (nbconvert, a large share of a light run) is made only when the task asks for
it (``wijkmonitor run --html``) or the run failed (the error is then readable in a browser).

:func:`execute_task` takes a plain, picklable task dict (so the same function runs in a local
thread pool and on Dask workers) and returns a plain result dict. It never raises for a
failing notebook: failures come back as ``status="mislukt"`` with the first line of the error,
and the executed copy is still written with its error visible.

Errors are detected from the executed notebook itself (:func:`notebook_errors`), not only from
papermill: an ``error`` output, a traceback printed to ``stderr`` (a failing ``%magic`` may
exit cleanly), a traceback shown as display data (rich tracebacks), or code cells that were
never executed (output lost on an IOPub time-out).
"""

from __future__ import annotations

import logging
import re
import shutil
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from pprint import pformat
from typing import Any

from helpers.core.io import write_text

TRACEBACK_RE = re.compile(r"Traceback \(most recent call last\)")
ERROR_LINE_RE = re.compile(r"^\s*(?:\w+\.)*(\w*(?:Error|Exception)|UsageError|ERROR:\S*)\b[:\s].*",
                           re.MULTILINE)
ERRNO_RE = re.compile(r"^\[Errno \d+\] .*", re.MULTILINE)  # e.g. a failing %cd prints this, exit 0
ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
HERKOMST_TAG = "herkomst"
# nbconvert (missing alt text) and jupyter_client (zmq context teardown in threads) warn on
# harmless things; the runner reports real problems itself.
_QUIET_LOG = logging.getLogger("helpers.runner.jupyter")
_QUIET_LOG.setLevel(logging.ERROR)
_local = threading.local()


def skip_slow_optional_imports() -> None:
    """Keep ``rfc3987_syntax`` from loading in this process (call before nbformat is imported).

    jsonschema (imported by nbformat) loads it, when installed, for its optional ``iri`` format
    check; its import compiles a Lark grammar, about 3 s of CPU. Neither nbformat (which
    validates notebooks without format checks) nor anything else the runner does uses it, and
    jsonschema treats the missing module as "check not available". No effect once imported.
    """
    import sys

    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _plain(text: Any) -> str:
    text = "".join(text) if isinstance(text, list) else str(text)
    return ANSI_RE.sub("", text)


def _error_line(text: str) -> str:
    """The most informative line of a traceback text: the last 'XxxError: ...' line."""
    hits = [m.group(0).strip() for m in ERROR_LINE_RE.finditer(text)]
    if hits:
        return hits[-1].strip("│ ").strip()
    lines = [ln.strip("│╭╰─ ").strip() for ln in text.splitlines() if ln.strip("│╭╰─ ").strip()]
    return lines[-1] if lines else "onbekende fout"


def notebook_errors(nb: Any) -> list[str]:
    """First line of every error found in an executed notebook (empty list: no error).

    Looks at each code cell's outputs: ``error`` outputs; ``stderr`` streams holding a Python
    traceback or an ``XxxError:``/``UsageError:``/``ERROR:`` line; any stream with an
    ``[Errno N]`` line (what a failing ``%cd`` prints while the cell succeeds); display data or results whose text
    holds a traceback (rich); and, when nothing else failed, non-empty code cells without an
    execution count (output lost).
    """
    found: list[str] = []
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    for i, cell in enumerate(code_cells, start=1):
        where = f"cel {i}"
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "error":
                found.append(f"{where}: {out.get('ename', 'Error')}: {_plain(out.get('evalue', ''))}"
                             .strip())
            elif kind == "stream":
                text = _plain(out.get("text", ""))
                errno = ERRNO_RE.search(text)
                if errno:
                    found.append(f"{where}: {errno.group(0).strip()}")
                elif out.get("name") == "stderr" and (TRACEBACK_RE.search(text)
                                                      or ERROR_LINE_RE.search(text)):
                    found.append(f"{where}: {_error_line(text)}")
            elif kind in ("display_data", "execute_result"):
                data = out.get("data", {})
                text = _plain(data.get("text/plain", "")) + "\n" + _plain(data.get("text/html", ""))
                if TRACEBACK_RE.search(text):
                    found.append(f"{where}: {_error_line(re.sub(r'<[^>]+>', '', text))}")
    if not found:
        for i, cell in enumerate(code_cells, start=1):
            if _plain(cell.get("source", "")).strip() and cell.get("execution_count") is None:
                found.append(f"cel {i}: niet uitgevoerd (uitvoer verloren of uitvoering afgebroken)")
                break
    return found


def herkomst_cell(herkomst: dict[str, Any]) -> Any:
    """The provenance cell injected after the parameters (tagged ``herkomst``)."""
    import nbformat

    source = ("from helpers.runner.provenance import show_herkomst\n"
              f"show_herkomst({pformat(herkomst, width=96, sort_dicts=False)})")
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = [HERKOMST_TAG]
    return cell


def prepare(task: dict[str, Any]) -> Any:
    """Read the source notebook and insert the provenance cell right after the parameters cell.

    Papermill then puts its ``injected-parameters`` cell between the two.
    """
    from papermill.iorw import load_notebook_node

    nb = load_notebook_node(task["pad"])  # as papermill: tags/papermill metadata on every cell
    idx = next(i for i, c in enumerate(nb.cells)
               if c.cell_type == "code" and "parameters" in c.metadata.get("tags", []))
    cell = herkomst_cell(task["herkomst"])
    cell.metadata["papermill"] = {}
    nb.cells.insert(idx + 1, cell)
    return nb


def task_kernel_name(task: dict[str, Any]) -> str:
    """The kernel a task runs on: its ``kernel_name``, else the project kernel when registered."""
    from helpers.runner.kernels import find_kernel_name

    return task.get("kernel_name") or find_kernel_name()


def _kernel_manager(task: dict[str, Any], forkserver: Any) -> Any:
    from helpers.runner.kernels import RunnerKernelManager

    km = RunnerKernelManager(kernel_name=task_kernel_name(task))
    km.forkserver = forkserver
    km.extra_env = dict(task.get("env", {}))
    km.log = _QUIET_LOG
    return km


ENGINE = "wijkmonitor"


def _register_engine() -> None:
    """Register papermill engine ``wijkmonitor``: nbclient with our kernel manager, owned.

    Papermill's stock engine lets nbclient create the kernel manager; given one (``km``),
    nbclient leaves the kernel running for the caller. Here every kernel is single-use, so the
    client takes ownership: it shuts the kernel down and closes its channels when done, also
    after a failure.
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    if ENGINE in papermill_engines._engines:
        return

    class RunnerEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False,
                                     stdout_file=None, stderr_file=None, start_timeout=60,
                                     execution_timeout=None, **kwargs):
            kwargs = remove_args(["input_path"], **kwargs)
            safe = remove_args(["timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(
                safe, timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout, kernel_name=kernel_name, log=_QUIET_LOG,
                log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file,
            )
            client = PapermillNotebookClient(nb_man, **final)
            client.owns_km = True
            return client.execute()

    papermill_engines.register(ENGINE, RunnerEngine)


def _execute(nb: Any, task: dict[str, Any], forkserver: Any) -> Any:
    from papermill.engines import papermill_engines
    from papermill.execute import prepare_notebook_metadata
    from papermill.parameterize import parameterize_notebook

    _register_engine()
    kernel = task_kernel_name(task)
    nb = parameterize_notebook(nb, task["parameters"], kernel_name=kernel, language="python")
    nb = prepare_notebook_metadata(nb, task["pad"], task["ipynb"])
    task["_nb"] = nb  # kept for the failure path (papermill fills it in place)
    return papermill_engines.execute_notebook_with_engine(
        ENGINE, nb, kernel_name=kernel, input_path=task["pad"], output_path=None,
        progress_bar=False, log_output=False, start_timeout=task.get("start_timeout", 120),
        execution_timeout=task.get("timeout"), km=_kernel_manager(task, forkserver),
        resources={"metadata": {"path": task["cwd"]}},
        shutdown_kernel="immediate",  # single-use kernel: no graceful 5 s shutdown wait
    )


def export_html(nb: Any, titel: str) -> str:
    """HTML of an executed notebook with the code hidden (figures, tables and text kept)."""
    exporter = getattr(_local, "exporter", None)
    if exporter is None:
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                                exclude_output_prompt=True)
        exporter.log = _QUIET_LOG
        _local.exporter = exporter
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": titel}})
    return body


def _mark_failure(nb: Any, fouten: list[str]) -> None:
    """Put a visible Dutch error banner (markdown) at the top of a failed executed notebook."""
    import nbformat

    lijst = "\n".join(f"- `{f}`" for f in fouten[:5])
    cell = nbformat.v4.new_markdown_cell(
        '<span style="color:#b00020;font-size:1.3em;font-weight:bold">'
        "Uitvoering mislukt</span>\n\nDe uitvoering van dit notebook is op een fout gestuit:\n\n"
        f"{lijst}\n\nDe fout staat hieronder bij de betreffende cel."
    )
    cell.metadata["tags"] = ["wijkmonitor-fout"]
    nb.cells.insert(0, cell)


def execute_task(task: dict[str, Any], forkserver: Any = None) -> dict[str, Any]:
    """Execute one planned run; write the executed ``.ipynb`` and, if asked, its ``.html``.

    ``task`` keys: ``gebied``, ``notebook``, ``titel``, ``pad`` (source notebook), ``parameters``,
    ``herkomst`` (dict shown in the provenance cell), ``ipynb``/``html`` (absolute output
    paths), ``cwd`` (kernel working folder), ``env`` (extra environment for the kernel),
    optional ``kernel_name`` (default :func:`helpers.runner.kernels.find_kernel_name`),
    ``timeout`` (s per cell), ``start_timeout``, optional ``uitvoer_map`` (the notebook's output
    folder: emptied before the run, so it holds exactly what this run wrote), ``html_export`` (default ``True``; when false,
    the HTML is written only for a failed run, and a stale one is removed). ``forkserver``: a
    :class:`helpers.runner.kernels.ForkServer` for warm kernels, or ``None`` for a fresh
    kernel. Returns ``gebied``, ``notebook``, ``status`` (``geslaagd``/``mislukt``),
    ``fout`` (first line or ``None``), ``fouten``, ``html`` (exported), ``kernel`` (name),
    ``gelezen`` (display paths of the files the run read, :mod:`helpers.runner.reads`),
    ``start``, ``eind``, ``duur_s``.
    """
    skip_slow_optional_imports()
    import nbformat

    from helpers.runner import reads

    start, t0 = _now(), time.perf_counter()
    fouten: list[str] = []
    html = False
    nb = None
    log = reads.new_log()  # the files this run reads (helpers.core.io.record_read)
    task = {**task, "env": {**task.get("env", {}), reads.READ_LOG_ENV: log}}
    try:
        if task.get("uitvoer_map"):
            shutil.rmtree(task["uitvoer_map"], ignore_errors=True)
        nb = prepare(task)
        nb = _execute(nb, task, forkserver)
    except Exception as exc:  # noqa: BLE001 - a failure of one run must not stop the batch
        nb = task.get("_nb", nb)
        fouten.append(f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
                      .rstrip(": "))
    task.pop("_nb", None)
    gelezen = reads.collect(log)
    if nb is not None:
        fouten = fouten + [f for f in notebook_errors(nb) if f not in fouten]
        if fouten:
            _mark_failure(nb, fouten)
        try:
            write_text(Path(task["ipynb"]), nbformat.writes(nb))
            if task.get("html_export", True) or fouten:
                write_text(Path(task["html"]),
                              export_html(nb, task.get("titel", task["notebook"])))
                html = True
            else:  # an older export would no longer match the executed copy
                Path(task["html"]).unlink(missing_ok=True)
        except Exception as exc:  # noqa: BLE001
            fouten.append(f"opslaan mislukt: {type(exc).__name__}: {exc}")
    eind = _now()
    return {
        "gebied": task["gebied"], "notebook": task["notebook"],
        "status": "mislukt" if fouten else "geslaagd", "kernel": task_kernel_name(task),
        "fout": fouten[0] if fouten else None, "fouten": fouten, "html": html,
        "gelezen": gelezen, "start": start, "eind": eind, "duur_s": round(time.perf_counter() - t0, 3),
    }
