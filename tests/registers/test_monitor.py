"""Run-wide values: params/monitor.yml is the one source (issue 11, point 5)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from helpers.core.errors import RegistryError
from helpers.registers import monitor

ROOT = Path(__file__).resolve().parents[2]


def test_monitor_values_are_read_and_validated():
    m = monitor.load_monitor()
    assert (m.min_n, m.signaal_n) == (10, 30)
    assert m.nulmeting == 2022 and m.editie >= m.nulmeting
    assert 0 < m.min_dekking_focusgebieden <= 1
    assert monitor.min_n(None) == m.min_n and monitor.min_n(5) == 5


@pytest.mark.parametrize(("text", "fragment"), [
    ("editie: 2026\nnulmeting: 2022\nmin_n: 10\nsignaal_n: 30\n", "min_dekking_focusgebieden"),
    ("editie: 2026\nnulmeting: 2022\nmin_n: 10\nsignaal_n: 5\nmin_dekking_focusgebieden: 0.8\n",
     "signaal_n"),
    ("editie: 2026\nnulmeting: twee\nmin_n: 10\nsignaal_n: 30\nmin_dekking_focusgebieden: 0.8\n",
     "nulmeting"),
    ("editie: 2026\nnulmeting: 2022\nmin_n: 10\nsignaal_n: 30\nmin_dekking_focusgebieden: 0.8\n"
     "extra: 1\n", "extra"),
    ("editie: [2026\n", "regel"),
])
def test_bad_monitor_file_names_file_and_key(tmp_path, text, fragment):
    p = tmp_path / "monitor.yml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError, match=fragment) as exc:
        monitor.load_monitor(p)
    assert "monitor.yml" in str(exc.value)


def test_no_literal_defaults_for_run_wide_values_in_src():
    """min_n, signaal_n and the nulmeting year are never typed as defaults in the package."""
    bad = []
    for p in (ROOT / "src" / "helpers").rglob("*.py"):
        if "demodata" in p.parts:
            continue
        tree = ast.parse(p.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                a = node.args
                pos = a.args[len(a.args) - len(a.defaults):]
                pairs = list(zip(pos, a.defaults, strict=True)) + [
                    (k, d) for k, d in zip(a.kwonlyargs, a.kw_defaults, strict=True) if d is not None]
                for arg, d in pairs:
                    if arg.arg in ("min_n", "signaal_n", "nulmeting", "jaar_nulmeting") \
                            and isinstance(d, ast.Constant) and d.value is not None:
                        bad.append(f"{p.relative_to(ROOT)}:{node.lineno} {node.name}({arg.arg}={d.value})")
            if isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id in ("MIN_N", "SIGNAAL_N") for t in node.targets):
                bad.append(f"{p.relative_to(ROOT)}:{node.lineno} defines a constant for a run-wide value")
    assert not bad, "\n".join(bad)


def test_thresholds_not_in_other_registries():
    for p in (ROOT / "params").glob("*.yml"):
        if p.name == "monitor.yml":
            continue
        assert not re.search(r"^\s*(drempels|min_n|signaal_n)\s*:", p.read_text(encoding="utf-8"),
                             flags=re.M), p.name
