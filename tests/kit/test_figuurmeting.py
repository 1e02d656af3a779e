"""Measuring figures as a reader sees them (issue 14, point 5): smallest text, overlaps,
colours and drawn values, as :class:`helpers.kit.output.Uitvoer` records them."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from helpers.kit.figuurmeting import build_meting  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _bars(legend_loc: str | None = "upper right", **legend_kw):
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.bar(["a", "b", "c"], [10, 12, 11], color="#0072B2", label="betaald werk")
    ax.bar(["a", "b", "c"], [3, 2, 4], bottom=[10, 12, 11], color="#E69F00", label="scholing")
    if legend_loc:
        ax.legend(loc=legend_loc, **legend_kw)
    return fig


def test_legend_over_bars_is_an_overlap():
    meting = build_meting(_bars("upper center"))
    assert any("legenda over de gegevens (staaf)" in p for p in meting["overlappingen"])


def test_legend_below_the_axes_is_no_overlap():
    fig = _bars("upper center", bbox_to_anchor=(0.5, -0.12), ncol=2)
    assert build_meting(fig)["overlappingen"] == []


def test_legend_over_a_line_is_an_overlap():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1, 2, 3], [0, 1, 2, 3], label="reeks")
    ax.legend(loc="center")
    assert any("(lijn)" in p for p in build_meting(fig)["overlappingen"])


def test_overlapping_tick_labels_and_annotations_are_found():
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.bar([f"categorie nummer {i}" for i in range(6)], range(6))
    ax.text(1, 3, "aantekening", fontsize=9)
    ax.text(1.1, 3.05, "nog een aantekening", fontsize=9)
    problemen = build_meting(fig)["overlappingen"]
    assert any("categorie nummer" in p for p in problemen)
    assert any("aantekening" in p for p in problemen)


def test_smallest_text_counts_every_visible_text_but_not_hidden_ones():
    fig = _bars("upper left", bbox_to_anchor=(1.01, 1), fontsize=6.5)
    ax = fig.axes[0]
    ax.tick_params(labelsize=9)
    ax.set_title("titel", fontsize=12)
    assert build_meting(fig)["kleinste_tekst_pt"] == 6.5
    ax.get_legend().set_visible(False)
    ax.text(0, 5, "verborgen", fontsize=4, visible=False)
    assert build_meting(fig)["kleinste_tekst_pt"] == 9


def test_colours_values_and_colour_maps_are_recorded():
    fig, (a, b) = plt.subplots(1, 2, figsize=(6, 3))
    a.barh(["x", "y"], [3.84, 4.13], color="#0072B2")
    a.text(4.2, 1, "4,13")
    b.imshow([[1, 2], [3, 4]], cmap="Blues")
    meting = build_meting(fig)
    assert meting["kleuren"] == ["#0072B2"]
    assert meting["kleurschalen"] == ["Blues"]
    assert {3.84, 4.13, 4.0} <= set(meting["getallen"])
