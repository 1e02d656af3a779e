"""The researcher's guide docs/verkennen.md: its five worked examples run as written, on the
demo data, and write nothing (exploring never changes reports/). Slow: builds the demo data."""

from __future__ import annotations

import ast
import re

import pytest

from helpers.core import config

pytestmark = pytest.mark.slow

GIDS = config.DOCS / "verkennen.md"
VOORBEELDEN = re.findall(
    r"^### (Voorbeeld \d+: [^\n]+)\n.*?^```python\n(.*?)^```",
    GIDS.read_text(encoding="utf-8"),
    re.S | re.M,
)


def test_the_guide_has_five_worked_examples():
    assert [t.split(":")[0] for t, _ in VOORBEELDEN] == [f"Voorbeeld {i}" for i in range(1, 6)]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from helpers.cli import build_processed
    from helpers.demodata.generate import write_demo_data

    raw = tmp_path_factory.mktemp("raw")
    write_demo_data(raw, 2025)
    processed = tmp_path_factory.mktemp("processed")
    build_processed(raw, processed)
    return raw, processed


def _run(code: str, titel: str) -> object:
    """Execute a code block like a notebook cell; return the value of its last expression."""
    tree = ast.parse(code)
    laatste = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    ns: dict = {}
    exec(compile(tree, titel, "exec"), ns)  # noqa: S102 - our own documentation
    return eval(compile(ast.Expression(laatste.value), titel, "eval"), ns) if laatste else None


@pytest.mark.parametrize(
    ("titel", "code"), VOORBEELDEN, ids=[t.split(":")[0] for t, _ in VOORBEELDEN]
)
def test_worked_example_runs_on_demo_data(titel, code, demo, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    raw, processed = demo
    reports = tmp_path / "reports"
    with config.use_paths(DATA_RAW=raw, DATA_PROCESSED=processed, REPORTS=reports):
        resultaat = _run(code, titel)
    try:
        if isinstance(resultaat, pd.DataFrame):
            assert not resultaat.empty and resultaat.notna().any().any(), titel
        else:
            assert hasattr(resultaat, "savefig") and resultaat.axes, titel
        if titel.startswith("Voorbeeld 4"):  # the cross-tab is suppressed before it is shown
            assert {"onderdrukt", "signaal"} <= set(resultaat.columns)
            from helpers.registers import monitor

            getoond = resultaat["aantal"].dropna()
            assert len(getoond) and (getoond >= monitor.min_n()).all()
            assert resultaat.loc[resultaat["onderdrukt"] != "", "aandeel_pct"].isna().all()
            assert (resultaat["onderdrukt"] == "secundair").any()
        if titel.startswith("Voorbeeld 5"):
            assert resultaat.stack().between(1, 5).all()  # inhabitants per household
        assert not reports.exists(), "exploring must not write into reports/"
    finally:
        plt.close("all")
