"""Figures of the process evaluation: no count of persons below min_n in a label."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

from helpers.ingest.readers.sprockler_export import read_export  # noqa: E402
from helpers.studies.survey import figures  # noqa: E402
from helpers.studies.survey.bipoles import bipole_table  # noqa: E402
from helpers.studies.survey.figures import beeld_figuur, bipolen_figuur, tripool_figuur  # noqa: E402
from survey_helpers import MAPPING, row, write_export  # noqa: E402


def _texts(fig) -> list[str]:
    out = [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
    out += [ax.get_title(loc) for ax in fig.axes for loc in ("left", "center", "right")]
    out += [t.get_text() for t in fig.texts]
    return out


def _small_counts(texts: list[str], min_n: int) -> list[str]:
    return [t for t in texts for k in re.findall(r"n\s*=\s*(\d+)", t) if 0 < int(k) < min_n]


def test_no_n_below_min_n_in_figure_labels(tmp_path):
    """'Onbekend (n=1)' style labels are gone: a group below min_n shows 'n < 10', a
    secondarily hidden group 'n onderdrukt'; a small selection says 'n < 10' in the title."""
    gem = {"rol": "Beleid", "organisatietype": "Gemeente (anders dan programmabureau)"}
    pb = {"rol": "Beleid", "organisatietype": "Programmabureau bij de gemeente"}
    bew = {"rol": "Bewoner", "organisatietype": ""}
    rows = (
        [row(i, **gem) for i in range(40)]
        + [row(100 + i, **pb) for i in range(12)]
        + [row(300 + i, **bew) for i in range(5)]
        + [row(400, rol="", organisatietype="")]
    )
    resp = read_export(write_export(tmp_path / "f-demo.csv", rows), MAPPING)
    tab = bipole_table(resp, MAPPING, groeperingen=["groep"])
    fig = bipolen_figuur(tab, MAPPING, ["toon", "vertrouwen"])
    labels = _texts(fig)
    assert _small_counts(labels, MAPPING.min_n) == []
    assert any("Bewoner" in t and "n < 10" in t for t in labels), labels
    assert not any("Onbekend" in t for t in labels)
    small = resp.iloc[:6]
    for f in (tripool_figuur(small, MAPPING), beeld_figuur(small, MAPPING)):
        assert _small_counts(_texts(f), MAPPING.min_n) == []


def test_n_tekst():
    n_tekst = figures.n_tekst
    assert n_tekst(42) == "n=42"
    assert n_tekst("< 10") == "n < 10"
    assert n_tekst(None) == "n onderdrukt"
    assert n_tekst(float("nan")) == "n onderdrukt"
    assert n_tekst(6, 10) == "n < 10"
    assert n_tekst(1234, 10) == "n=1.234"
