"""Warm kernels: a fork server that hands out pre-imported ``ipykernel`` kernels.

A fresh Jupyter kernel costs a new interpreter plus the imports of pandas, matplotlib,
seaborn and the helpers package (seconds per notebook). :class:`ForkServer` pays that once per
run: it starts ``python -m helpers.runner.forkserver`` which imports everything and then forks
one child per notebook. :class:`ForkKernelManager` is a ``jupyter_client`` kernel manager that
launches its kernel through the fork server instead of ``Popen``; everything else (connection
file, ports, messaging, shutdown) is the stock ``jupyter_client`` code, so papermill/nbclient
execute notebooks on it exactly as on a fresh ``python3`` kernel.

Each forked kernel executes exactly one notebook and exits: no state is shared between areas
(the server process never runs notebook code).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

from jupyter_client.manager import AsyncKernelManager

#: Modules imported once by the fork server (missing ones are ignored). Never list
#: ``matplotlib_inline.backend_inline``: it hooks into IPython when first imported, which must
#: happen inside the kernel.
DEFAULT_PRELOAD = [
    "IPython",
    "numpy",
    "pandas",
    "pyarrow",
    "pyarrow.parquet",
    "matplotlib",
    "matplotlib.pyplot",
    "seaborn",
    "statsmodels.api",
    "yaml",
    "helpers.core.config",
    "helpers.core.nl",
    "helpers.core.provenance",
    "helpers.kit.display",
    "helpers.kit.output",
    "helpers.registers.focusgebieden",
    "helpers.studies.indicators.base",
    "helpers.core.privacy",
    "helpers.runner.provenance",
    # everything the notebooks import, so no run pays an import (issue 16, point 2)
    "IPython.display",
    "geopandas",
    "pyogrio",
    "helpers.core.io",
    "helpers.studies.coding",
    "helpers.studies.indicators.figures",
    "helpers.studies.indicators.maps",
    "helpers.studies.survey",
    "helpers.studies.survey.report",
    "helpers.studies.themes.common",
    "helpers.studies.themes.armoede",
    "helpers.studies.themes.reintegratie",
    "helpers.studies.themes.veerkracht",
    "helpers.studies.themes.jonge_kind",
    "helpers.studies.themes.cohesie",
    "helpers.studies.themes.samenhang",
]


#: The project kernel ("Python (wijkmonitor)"): declared by every notebook, registered in the
#: venv by ``make setup`` / ``make kernel``.
KERNEL_NAME = "wijkmonitor"
#: Used instead when :data:`KERNEL_NAME` is not registered (a bare ``pip install``, CI): the
#: venv's default kernel, same interpreter.
FALLBACK_KERNEL_NAME = "python3"


@functools.cache
def find_kernel_name(name: str = KERNEL_NAME) -> str:
    """``name`` when a kernelspec of that name is registered, else :data:`FALLBACK_KERNEL_NAME`.

    The runner passes the result to papermill explicitly, so notebooks declaring the project
    kernel also run where it was never registered.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        return FALLBACK_KERNEL_NAME
    return name


class ForkServerError(RuntimeError):
    """The fork server could not be started or stopped answering."""


class ForkServer:
    """Client of one fork-server process (thread-safe; start lazily, warm in the background).

    ``env`` is the environment of the server and so of every kernel it forks (the runner puts
    its path overrides in it).
    """

    def __init__(self, preload: list[str] | None = None, env: dict[str, str] | None = None,
                 cwd: str | None = None) -> None:
        self.preload = list(DEFAULT_PRELOAD if preload is None else preload)
        self.env = dict(os.environ if env is None else env)
        self.cwd = cwd
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._error: str | None = None
        self.failed_preload: list[str] = []

    def start(self) -> ForkServer:
        """Start the server process; returns at once (imports run in the background)."""
        if self._proc is not None:
            return self
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "helpers.runner.forkserver", *self.preload],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=self.env, cwd=self.cwd,
            text=True, bufsize=1,
        )
        threading.Thread(target=self._wait_ready, daemon=True).start()
        return self

    def _wait_ready(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        line = self._proc.stdout.readline()
        try:
            msg = json.loads(line)
            self.failed_preload = msg.get("failed", [])
        except ValueError:
            self._error = f"fork-server gaf geen startbericht (uitvoer: {line!r})"
        self._ready.set()

    def spawn(self, argv: list[str], cwd: str, env: dict[str, str], timeout: float = 120) -> int:
        """Fork a kernel running ``ipykernel`` with ``argv``; returns its pid."""
        self.start()
        if not self._ready.wait(timeout):
            raise ForkServerError("fork-server niet op tijd gestart")
        if self._error:
            raise ForkServerError(self._error)
        with self._lock:
            proc = self._proc
            assert proc is not None and proc.stdin is not None and proc.stdout is not None
            if proc.poll() is not None:
                raise ForkServerError(f"fork-server is gestopt (code {proc.returncode})")
            proc.stdin.write(json.dumps({"argv": argv, "cwd": cwd, "env": env}) + "\n")
            proc.stdin.flush()
            line = proc.stdout.readline()
        try:
            return int(json.loads(line)["pid"])
        except (ValueError, KeyError) as exc:
            raise ForkServerError(f"onverwacht antwoord van fork-server: {line!r}") from exc

    def close(self) -> None:
        """Stop the server (kernels it forked are stopped by their managers)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin:
                proc.stdin.close()
            proc.wait(timeout=5)
        except Exception:  # noqa: BLE001
            proc.kill()
            proc.wait()
        finally:
            if proc.stdout:
                proc.stdout.close()

    def __enter__(self) -> ForkServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.close()


class ForkedProcess:
    """``Popen``-like handle of a kernel forked by the server (not our child: poll by signal 0)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0
            except PermissionError:  # pid reused by another user's process
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.02)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _kernel_args(kernel_cmd: list[str]) -> list[str]:
    """The ipykernel arguments of a kernel command (``-f <file>`` and any extra options)."""
    for i, part in enumerate(kernel_cmd):
        if part.endswith("ipykernel_launcher") or part.endswith("ipykernel_launcher.py"):
            return list(kernel_cmd[i + 1:])
    raise ForkServerError(f"geen ipykernel-kernel: {kernel_cmd}")


class RunnerKernelManager(AsyncKernelManager):
    """Kernel manager for the runner: extra environment, optional warm kernel from a fork server.

    Set ``extra_env`` (merged over the environment jupyter_client builds, e.g. the runner's
    ``WIJKMONITOR_*`` path overrides) and ``forkserver`` (a :class:`ForkServer`, or ``None`` for
    a stock ``Popen``-launched kernel) before use; papermill/nbclient take it as ``km``.
    """

    forkserver: ForkServer | None = None
    extra_env: dict[str, str] | None = None

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        env = dict(kw.get("env") or os.environ)
        env.update(self.extra_env or {})
        kw["env"] = env
        if self.forkserver is None:
            await super()._async_launch_kernel(kernel_cmd, **kw)
            return
        prov = self.provisioner
        assert prov is not None
        cwd = str(kw.get("cwd") or os.getcwd())
        try:
            pid = self.forkserver.spawn(_kernel_args(kernel_cmd), cwd, env)
        except ForkServerError as exc:  # fall back to a stock kernel: slower, same result
            self.log.warning("warme kernel niet beschikbaar (%s); gewone kernel gestart", exc)
            await super()._async_launch_kernel(kernel_cmd, **kw)
            return
        prov.process = ForkedProcess(pid)  # type: ignore[attr-defined]
        prov.pid = pid  # type: ignore[attr-defined]
        prov.pgid = pid  # type: ignore[attr-defined] - setsid in the child
        prov.cwd = cwd  # type: ignore[attr-defined]
        self._reconcile_connection_info(prov.connection_info)  # type: ignore[attr-defined]


#: Backwards-compatible name.
ForkKernelManager = RunnerKernelManager
