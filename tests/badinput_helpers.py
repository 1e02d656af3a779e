"""Shared helpers for the bad-input tests (issue 12, point 6): corrupted copies of the real files
in ``tmp_path`` (the corruption is generated in the test, real data never enter the repository)
and one check that ``wijkmonitor build`` refuses them cleanly.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from helpers.cli import app


def corrupt_text_copy(
    src: Path, raw: Path, edit: Callable[[list[str]], None], name: str | None = None
) -> Path:
    """Copy the text file ``src`` into ``raw`` with its lines changed in place by ``edit``
    (``lines[0]`` is the header = line 1). Keeps a BOM and the line endings."""
    data = src.read_bytes()
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    nl = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(nl)
    edit(lines)
    raw.mkdir(parents=True, exist_ok=True)
    dest = raw / (name or src.name)
    dest.write_bytes((b"\xef\xbb\xbf" if bom else b"") + nl.join(lines).encode("utf-8"))
    return dest


def set_cell(lines: list[str], line: int, column: int, value: str, sep: str) -> str:
    """Replace field ``column`` (0-based) of 1-based ``line`` (a line without quoted
    delimiters); returns the old value."""
    cells = lines[line - 1].split(sep)
    old = cells[column]
    cells[column] = value
    lines[line - 1] = sep.join(cells)
    return old


def snapshot(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 (or symlink target) of everything under ``folder``."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_symlink():
            out[rel] = "-> " + os.readlink(p)
        elif p.is_file():
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def assert_build_refuses(raw: Path, tmp_path: Path, *fragments: str) -> str:
    """Run ``wijkmonitor build --raw raw``: exit 1 with a Dutch message holding every fragment,
    no traceback, nothing written (not even partial processed files), ``raw`` untouched.
    Returns the message."""
    before = snapshot(raw)
    out = tmp_path / "verwerkt"
    result = CliRunner().invoke(app, ["build", "--raw", str(raw), "--out", str(out)])
    text = result.output  # click >= 8.2: stdout and stderr
    assert isinstance(result.exception, SystemExit), (
        f"not a clean exit: {result.exception!r}\n{text}"
    )
    assert result.exit_code == 1, text
    assert "Fout: " in text and "Traceback" not in text, text
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in:\n{text}"
    assert not out.exists() or not any(out.rglob("*")), sorted(out.rglob("*"))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".verwerkt")]
    assert snapshot(raw) == before
    return text
