"""A YAML syntax error in a ``params/*.yml`` registry: a Dutch error with file, line and
column, no traceback — from every loader, from the CLI and in a notebook (issue 12, point 6)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.core.errors import WijkmonitorError
from helpers.publish import content
from helpers.registers import codeboom, focusgebieden, indicatoren, interventies, monitor, sprockler
from helpers.runner import spec

ROOT = Path(__file__).resolve().parents[2]
PARAMS = ROOT / "params"
PLAIN = re.compile(r"^(\s*(?:- )?[a-z_]+): ([A-Za-z0-9][^:#'\"]*)$")


def _corrupt(src: Path, dest: Path) -> tuple[int, int]:
    """Copy ``src`` to ``dest`` with the first plain ``key: value`` line turned into
    ``key: value: kapot`` (a ':' where no key can start). Returns the 1-based (line, column)
    of the inserted ':'."""
    lines = src.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        if PLAIN.match(line):
            lines[i] = line + ": kapot"
            dest.write_text("\n".join(lines), encoding="utf-8")
            return i + 1, len(line) + 1
    raise AssertionError(f"no plain key in {src}")


LOADERS = {
    "focusgebieden.yml": lambda p: focusgebieden.load_focusgebieden(p),
    "indicatoren.yml": lambda p: indicatoren.load_indicatoren(p),
    "monitor.yml": lambda p: monitor.load_monitor(p),
    "codeboom.yml": lambda p: codeboom.load_codeboom(p),
    "sprockler.yml": lambda p: sprockler.load_mapping(p),
    "interventies.yml": lambda p: interventies.load_register(p),
    "publicatie.yml": lambda p: content.load_config(p),
}


def _assert_dutch_location(text: str, name: str, line: int, column: int) -> None:
    assert name in text, text
    assert f"regel {line}, kolom {column}" in text, text
    assert "YAML-syntaxfout" in text and "verwacht:" in text, text
    for english in ("mapping values", "while parsing", "while scanning", "Traceback"):
        assert english not in text, text


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_registry_yaml_syntax_error_names_file_line_column(tmp_path, name):
    bad = tmp_path / name
    line, column = _corrupt(PARAMS / name, bad)
    with pytest.raises(WijkmonitorError) as exc:
        LOADERS[name](bad)
    _assert_dutch_location(str(exc.value), name, line, column)
    assert (exc.value.line, exc.value.column) == (line, column)


def test_notebooks_yml_syntax_error(tmp_path):
    bad = tmp_path / "notebooks.yml"
    bad.write_text("algemeen: {}\nnotebooks: {a: 1\nvoorladen: []\n", encoding="utf-8")
    with pytest.raises(WijkmonitorError) as exc:
        spec.load_defaults(bad)
    assert "notebooks.yml" in str(exc.value) and "regel 3, kolom 10" in str(exc.value)
    assert "begonnen op regel 2, kolom 12" in str(exc.value)


def test_unclosed_quote_names_where_it_started(tmp_path):
    bad = tmp_path / "monitor.yml"
    bad.write_text("editie: 2026\nnulmeting: '2022\nmin_n: 10\n", encoding="utf-8")
    with pytest.raises(WijkmonitorError) as exc:
        monitor.load_monitor(bad)
    text = str(exc.value)
    assert "aanhalingsteken" in text and "begonnen op regel 2, kolom 12" in text, text


def test_cli_build_reports_yaml_error_without_traceback_and_writes_nothing(real_file, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(PARAMS, root / "params")
    line, column = _corrupt(PARAMS / "indicatoren.yml", root / "params" / "indicatoren.yml")
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(real_file("seswoa2019_statline"), raw / "ses.csv")
    out = tmp_path / "out"
    env = {**os.environ, "WIJKMONITOR_ROOT": str(root), "PYTHONPATH": str(ROOT / "src")}
    res = subprocess.run(
        [sys.executable, "-m", "helpers.cli", "build", "--raw", str(raw), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert res.returncode == 1, res.stdout + res.stderr
    _assert_dutch_location(res.stderr, "indicatoren.yml", line, column)
    assert not out.exists() or not any(out.iterdir())


def test_notebook_shows_message_not_traceback(tmp_path, capsys):
    """IPython (Jupyter, papermill) shows a workbench error as its Dutch message only."""
    from IPython.core.interactiveshell import InteractiveShell

    bad = tmp_path / "focusgebieden.yml"
    line, column = _corrupt(PARAMS / "focusgebieden.yml", bad)
    shell = InteractiveShell.instance()
    try:
        shell.run_cell(
            "from helpers.registers import focusgebieden\n"
            f"focusgebieden.load_focusgebieden({str(bad)!r})"
        )
    finally:
        InteractiveShell.clear_instance()
    shown = capsys.readouterr().out
    _assert_dutch_location(shown, "focusgebieden.yml", line, column)
