"""Fork server: a process that imports the heavy libraries once and forks ready kernels.

Started by :class:`helpers.runner.kernels.ForkServer` as ``python -m helpers.runner.forkserver
MODULE ...``. It imports ``ipykernel`` and the listed modules (pandas, matplotlib, seaborn,
helpers...), then answers one JSON request per line on stdin with one JSON line on stdout:

    request:  {"argv": ["-f", "<connection file>", ...], "cwd": "...", "env": {...}}
    reply:    {"pid": 12345}

Each request forks a child that becomes an ordinary ``ipykernel`` kernel (same code path as
``python -m ipykernel_launcher``) listening on the ports of the connection file. The child
starts with the libraries already imported, so kernel start-up costs a fork instead of a new
interpreter plus imports. Every kernel runs exactly one notebook and then exits; the server
itself never runs notebook code, so nothing leaks from one notebook into the next.

Assumptions: POSIX ``fork``; the server stays single-threaded at fork time apart from threads
the preloaded C libraries manage themselves (OpenBLAS registers fork handlers). No ZMQ context
or event loop is created before the fork: ``ipykernel`` creates both in the child.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import sys


def _preload(modules: list[str]) -> list[str]:
    """Import ``modules``; return the names that failed (a missing optional one is harmless)."""
    failed = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - any import failure only means "not preloaded"
            failed.append(name)
    return failed


#: Set-up run once in the server after the imports (module, function): the read-only cache of
#: processed tables (filled without recording reads; each run records its own) and the shared
#: figure setup (fonts, style and renderer loaded once). Skipped when the module was not
#: preloaded; a failure only means "not warmed".
WARMUP = (("helpers.core.io", "warm_cache"), ("helpers.kit.display", "warm_figures"))


def _warm_up() -> list[str]:
    """Run :data:`WARMUP` (not with ``WIJKMONITOR_KOUD=1``: benchmarks measure the difference);
    returns the steps that failed."""
    failed: list[str] = []
    if os.environ.get("WIJKMONITOR_KOUD") == "1":
        return failed
    for module, function in WARMUP:
        mod = sys.modules.get(module)
        if mod is None:
            continue
        try:
            if function == "warm_cache":
                folder = os.environ.get("WIJKMONITOR_PROCESSED")
                if folder:
                    mod.warm_cache(folder)
            else:
                getattr(mod, function)()
        except Exception:  # noqa: BLE001 - warming is an optimisation only
            failed.append(f"{module}.{function}")
    return failed


def _child(request: dict, out_fd: int) -> None:  # pragma: no cover - runs in the forked child
    """Turn the forked child into a kernel; never returns."""
    code = 1
    try:
        os.setsid()  # own process group: the runner can signal the kernel without the server
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # notebooks may wait for subprocesses
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(devnull, 1)  # fd 1 of the server is the reply pipe: never write to it
        if not os.environ.get("WIJKMONITOR_RUNNER_DEBUG"):
            os.dup2(devnull, 2)  # kernel start-up chatter; notebook output goes over ZMQ
        os.close(devnull)
        os.close(out_fd) if out_fd > 2 else None
        server = os.getppid()
        os.environ.clear()
        os.environ.update(request["env"])
        io = sys.modules.get("helpers.core.io")
        if io is not None:  # reads of preloaded modules belong to this run too
            io.start_read_log()
        # ipykernel's parent poller: the kernel exits when the fork server (and so the runner,
        # whose exit closes the server's stdin) goes away.
        os.environ["JPY_PARENT_PID"] = str(server)
        os.chdir(request["cwd"])
        sys.argv = ["ipykernel_launcher", *request["argv"]]
        if sys.path and (sys.path[0] == "" or os.path.abspath(sys.path[0]) == os.getcwd()):
            del sys.path[0]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance(argv=request["argv"])
        code = 0
    except BaseException:  # noqa: BLE001
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


def main(argv: list[str]) -> int:
    """Serve fork requests until stdin closes."""
    if not os.environ.get("MPLBACKEND"):
        # Same default as ipykernel sets before user code runs; matplotlib reads it at import.
        os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    failed = _preload(["ipykernel.kernelapp", *argv])
    failed += _warm_up()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped automatically
    out = os.fdopen(os.dup(1), "w", buffering=1)
    print(json.dumps({"ready": True, "failed": failed}), file=out, flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            _child(request, out.fileno())
        print(json.dumps({"pid": pid}), file=out, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
