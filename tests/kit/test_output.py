"""The notebook-to-publication hand-over: uitvoer.json, Dutch tick labels, demo watermark."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from helpers.kit.output import Uitvoer, nl_assen, read  # noqa: E402


def _ticks(axis) -> list[str]:
    axis.axes.figure.canvas.draw()
    return [t.get_text() for t in axis.get_ticklabels() if t.get_text()]


def test_nl_assen_uses_decimal_comma_and_leaves_other_formatters():
    fig, (ax1, ax2) = plt.subplots(1, 2)
    ax1.plot([0.0, 0.5], [3.9, 4.2])
    ax2.bar(["a", "b"], [1, 2])
    ax2.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter())
    nl_assen(fig)
    x = _ticks(ax1.xaxis)
    assert any("," in t for t in x) and not any("." in t for t in x), x
    assert all(t.endswith("%") for t in _ticks(ax2.yaxis))
    assert [t for t in _ticks(ax2.xaxis)] == ["a", "b"]
    plt.close(fig)


def test_uitvoer_roundtrip_and_demo_watermark(tmp_path):
    uit = Uitvoer("alle", "99_test", demo=True, base=tmp_path)
    fig, ax = plt.subplots()
    ax.plot([1, 2], [1.5, 2.5])
    uit.figuur(fig, "lijn", titel="Lijn", alt="Een stijgende lijn.", bron="Test", jaar=2024)
    uit.tabel(pd.DataFrame({"groep": ["a"], "n": [12]}), "t", titel="T", bron="Test", n_kolom="n",
              min_n=10)
    uit.kerncijfer("k", float("nan"), label="K")
    uit.write()
    data = read("alle", "99_test", base=tmp_path)
    assert data["demo"] is True and data["figuren"]["lijn"]["jaar"] == 2024
    assert data["tabellen"]["t"]["n_kolom"] == "n" and data["kerncijfers"]["k"]["waarde"] is None
    assert any("FICTIEVE" in t.get_text() for t in fig.texts)  # watermark on the figure
    assert (tmp_path / "alle" / "99_test" / "lijn.png").stat().st_size > 0
    json.loads((tmp_path / "alle" / "99_test" / "uitvoer.json").read_text(encoding="utf-8"))
    plt.close(fig)


def test_write_index_returns_a_dutch_summary_not_a_path(tmp_path):
    """The last notebook step shows what was recorded, never a PosixPath repr."""
    from helpers.kit.display import Weergave
    from helpers.kit.output import Uitvoer

    u = Uitvoer("alle", "10_x", base=tmp_path / "runs")
    u.kerncijfer("a", 1.0, label="a")
    w = u.write_index()
    assert isinstance(w, Weergave) and w.gegevens == tmp_path / "runs" / "alle" / "10_x" / "uitvoer.json"
    assert w.gegevens.exists()
    assert "1 kerncijfers" in w.data and "verkenningsmap" in w.data
    assert "Path" not in repr(w) and str(tmp_path) not in w.data
