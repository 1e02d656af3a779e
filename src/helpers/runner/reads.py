"""What a run really read (issue 13, point 4): the read log, its hashes, undeclared reads.

Inside a kernel the helpers' load functions record every file they read
(:func:`helpers.core.io.record_read`; cached reads and reads of preloaded modules included).
The runner gives each run its own log file through :data:`helpers.core.io.READ_LOG_ENV`,
collects it after the run, and records the files with their hashes in the manifest
(``gelezen``, ``invoer``). The next plan hashes those files again, so a changed (or vanished)
file re-runs every notebook that read it, declared or not.

Strict mode (environment ``WIJKMONITOR_STRIKTE_INVOER=1``, set by the test suite): a run that
read a file it does not declare fails, naming the file. Only the standard library is imported.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from helpers.core import config
from helpers.core.io import READ_LOG_ENV, new_read_log
from helpers.runner import manifest as mf

STRICT_ENV = "WIJKMONITOR_STRIKTE_INVOER"
#: Hash recorded for a file a run looked for but that did not exist (its appearance re-runs).
ABSENT = "ontbreekt"

__all__ = [
    "READ_LOG_ENV",
    "STRICT_ENV",
    "ABSENT",
    "new_log",
    "collect",
    "hash_files",
    "undeclared",
    "is_strict",
    "resolve",
]


def new_log() -> str:
    """Create an empty read log for one run (:func:`helpers.core.io.new_read_log`)."""
    return new_read_log()


def collect(log: str | None) -> list[str]:
    """The files a run read (display paths, see :func:`manifest.display_path`, first-read
    order, no duplicates); removes the log. A missing log gives an empty list."""
    if not log:
        return []
    try:
        lines = Path(log).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    finally:
        Path(log).unlink(missing_ok=True)
    return list(dict.fromkeys(mf.display_path(Path(p)) for p in lines if p.strip()))


def resolve(display: str) -> Path:
    """The absolute path of a display path (relative to the project root, or absolute)."""
    p = Path(display)
    return p if p.is_absolute() else config.ROOT / p


def hash_files(paths: Iterable[str], cache: dict[str, str] | None = None) -> dict[str, str]:
    """Display path -> sha256 of each file (:data:`ABSENT` for a missing one)."""
    cache = {} if cache is None else cache
    out = {}
    for d in paths:
        if d not in cache:
            p = resolve(d)
            cache[d] = mf.file_hash(p) if p.is_file() else ABSENT
        out[d] = cache[d]
    return out


def undeclared(gelezen: Iterable[str], declared: Iterable[str]) -> list[str]:
    """The files read that are not among the declared inputs (display paths)."""
    known = set(declared)
    return [p for p in gelezen if p not in known]


def is_strict() -> bool:
    """True when an undeclared read fails the run (``WIJKMONITOR_STRIKTE_INVOER=1``)."""
    return os.environ.get(STRICT_ENV) == "1"
