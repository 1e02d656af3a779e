"""The one way the workbench writes files: atomically, and tables in one place.

Every file the workbench writes (processed tables, run outputs, notebooks, manifests,
downloads, demo files) goes through :func:`write_atomic`: the content is written to a hidden
temporary file in the target folder and moved over the target with :func:`os.replace`, so a
reader never sees a half-written file and a failure leaves the old file (or nothing) behind.
The temporary file gets the normal file mode (umask), not ``mkstemp``'s 0600.

Tables go through :func:`write_table` (CSV) so that every CSV the workbench produces is
written the same way (UTF-8, no index).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def _tmp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")


def write_atomic(path: str | Path, write: Callable[[Path], Any]) -> Path:
    """Call ``write(tmp)`` to fill a temporary file next to ``path``, then move it over ``path``.

    Creates the parent folder. On any exception the temporary file is removed and the target
    is left as it was. Returns ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_name(path)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_text(path: str | Path, text: str, *, bom: bool = False, newline: str | None = None) -> Path:
    """Write ``text`` as UTF-8 (optionally with a byte-order mark) atomically."""

    def _write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8-sig" if bom else "utf-8", newline=newline) as f:
            f.write(text)

    return write_atomic(path, _write)


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` atomically."""
    return write_atomic(path, lambda tmp: tmp.write_bytes(data))


def write_json(path: str | Path, data: Any, *, sort_keys: bool = True) -> Path:
    """Write ``data`` as indented UTF-8 JSON (non-ASCII kept, trailing newline) atomically."""
    return write_text(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=sort_keys,
                                       default=str) + "\n")


def write_table(path: str | Path, df: pd.DataFrame) -> Path:
    """Write a table as CSV (UTF-8, no index) atomically."""
    return write_atomic(path, lambda tmp: df.to_csv(tmp, index=False, encoding="utf-8"))


def write_parquet(path: str | Path, df: pd.DataFrame, **kwargs: Any) -> Path:
    """Write a table as Parquet (no index) atomically."""
    return write_atomic(path, lambda tmp: df.to_parquet(tmp, index=False, **kwargs))
