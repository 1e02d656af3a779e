"""Tripole compositional statistics, picture-pointer regions, figures, and the notebook."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from helpers.ingest.readers.sprockler_export import read_export
from helpers.studies.survey.picture import BUITEN, picture_table, region_of
from helpers.studies.survey.tripole import (
    aitchison_distance,
    clr,
    clusters,
    geometric_mean,
    outliers,
    replace_zeros,
    total_variance,
    tripole_table,
)
from survey_helpers import MAPPING, TRI, V, row, write_export


def test_multiplicative_zero_replacement_keeps_ratios():
    x = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [0.2, 0.3, 0.5]])
    r = replace_zeros(x, delta=0.005)
    np.testing.assert_allclose(r.sum(axis=1), 1.0)
    np.testing.assert_allclose(r[0], [0.99, 0.005, 0.005])
    np.testing.assert_allclose(r[1], [0.4975, 0.4975, 0.005])
    np.testing.assert_allclose(r[2], x[2])
    assert r[1, 0] / r[1, 1] == pytest.approx(1.0)


def test_geometric_mean_and_variance_known_values():
    x = np.array([[0.5, 0.25, 0.25], [0.125, 0.5, 0.375]])
    g = geometric_mean(x)
    raw = np.sqrt(x[0] * x[1])
    np.testing.assert_allclose(g, raw / raw.sum())
    same = np.tile([0.2, 0.3, 0.5], (4, 1))
    assert total_variance(same) == pytest.approx(0.0)
    c = clr(x)
    assert total_variance(x) == pytest.approx(np.var(c, axis=0, ddof=1).sum())
    assert aitchison_distance(x[:1], x[0])[0] == pytest.approx(0.0)


def test_clusters_by_corner_threshold():
    x = np.array([[0.7, 0.2, 0.1], [0.34, 0.33, 0.33], [0.0, 0.0, 1.0], [0.1, 0.6, 0.3]])
    assert clusters(x, ["visie", "daadkracht", "strategisch_denken"]) == [
        "hoek:visie", "midden", "hoek:strategisch_denken", "hoek:daadkracht"]


@pytest.fixture(scope="module")
def resp(tmp_path_factory):
    from helpers.demodata import sprockler as demo

    path = demo.generate(tmp_path_factory.mktemp("raw"), 2025)[0]
    return read_export(path, MAPPING)


def test_demo_tripole_matches_published_patterns(resp):
    tab = tripole_table(resp, MAPPING).set_index("groep")
    pb = tab.loc["programmabureau"]
    assert pb["daadkracht_gem_pct"] > max(pb["visie_gem_pct"], pb["strategisch_denken_gem_pct"])
    alle = tab.loc["alle"]
    assert alle["strategisch_denken_gem_pct"] < min(alle["visie_gem_pct"],
                                                     alle["daadkracht_gem_pct"])
    assert alle["totale_variantie"] > 0
    for g in ("gemeente", "uitvoerende_organisatie"):
        assert tab.loc[g, "hoek_visie_pct"] > 20  # a group near visie (H7.1)
    out = outliers(resp, MAPPING)
    assert len(out) == 1
    assert out.iloc[0]["groep"] == "uitvoerende_organisatie"
    assert out.iloc[0]["cluster"] == "hoek:strategisch_denken"
    assert "respondent" not in out.columns


def test_tripole_table_suppression(resp):
    tab = tripole_table(resp, MAPPING).set_index("groep")
    # the unknown group (n=1) is not published and no longer hides the residents (n=14)
    assert "onbekend" not in tab.index
    assert tab.loc["bewoner", "onderdrukt"] == ""
    assert not np.isnan(tab.loc["bewoner", "visie_gem_pct"])
    assert tab.loc["bewoner", "signaal"]


def test_picture_regions():
    gebieden = V["gevoel"].spec["gebieden"]
    assert region_of(10, 10, gebieden) == "frustratie"
    assert region_of(50, 50, gebieden) == "enthousiasme"   # lower bounds inclusive
    assert region_of(100, 100, gebieden) == "enthousiasme"  # 100 included
    assert region_of(49.9, 99, gebieden) == "twijfel"
    assert region_of(70, 0, gebieden) == "inspanning"
    assert region_of(50, 50, [{"naam": "a", "x": [0, 10], "y": [0, 10]}]) == BUITEN


def test_picture_table_shares(tmp_path):
    xk, yk = V["gevoel"].spec["x_kolom"], V["gevoel"].spec["y_kolom"]
    pts = [(10, 10)] * 6 + [(80, 80)] * 9 + [("", "")]
    rows = [row(i, **{xk: str(x), yk: str(y)}) for i, (x, y) in enumerate(pts)]
    resp = read_export(write_export(tmp_path / "p-demo.csv", rows), MAPPING)
    t = picture_table(resp, MAPPING).set_index("groep")
    assert t.loc["alle", "n"] == 15
    assert t.loc["alle", "frustratie_pct"] == pytest.approx(40.0)
    assert t.loc["alle", "enthousiasme_pct"] == pytest.approx(60.0)


def test_figures_render(resp, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    from helpers.studies.survey import analyse
    from helpers.studies.survey import figures as fs

    tabs = analyse(resp, MAPPING, groeperingen=["groep"])
    figs = {
        "b": fs.bipolen_figuur(tabs["bipoles"], MAPPING, ["betrokkenheid", "gedeelde_ambitie"]),
        "t": fs.tripool_figuur(resp, MAPPING),
        "p": fs.beeld_figuur(resp, MAPPING),
        "leeg": fs.tripool_figuur(resp.iloc[:3], MAPPING),
    }
    for name, fig in figs.items():
        fig.savefig(tmp_path / f"{name}.png", dpi=40)
        assert (tmp_path / f"{name}.png").stat().st_size > 1000
    # the unknown group gets no panel of its own; the residents (shown as a signal) do
    titles = [ax.get_title() for ax in figs["t"].axes]
    assert not any("Onbekend" in t for t in titles)
    assert any("Bewoners" in t for t in titles)


def test_tripole_weights_partly_blank_row_is_error(tmp_path):
    from helpers.core.errors import InputError

    r = row(1, **{TRI["visie"]: "", TRI["daadkracht"]: "", TRI["strategisch_denken"]: "1"})
    with pytest.raises(InputError, match="ontbreekt"):
        read_export(write_export(tmp_path / "q-demo.csv", [r]), MAPPING)


@pytest.mark.slow
def test_notebook_runs_for_alle_and_an_area(tmp_path):
    from helpers.core import privacy
    from helpers.core.config import NOTEBOOKS
    from helpers.demodata import coding, sprockler
    from helpers.ingest.build import run_ingest

    raw, proc, rep = tmp_path / "raw", tmp_path / "proc", tmp_path / "rep"
    raw.mkdir()
    sprockler.generate(raw, 2025)
    coding.generate(raw, 2025)
    run_ingest(raw, proc)
    env = {**os.environ, "WIJKMONITOR_PROCESSED": str(proc), "WIJKMONITOR_REPORTS": str(rep),
           "MPLBACKEND": "Agg"}
    nb = NOTEBOOKS / "20_procesevaluatie.ipynb"
    for gebied in ("alle", "heerlen-noord"):
        out = tmp_path / f"out-{gebied}.ipynb"
        subprocess.run([sys.executable, "-m", "papermill", str(nb), str(out), "-k", "python3",
                        "-p", "focusgebied", gebied, "--no-progress-bar"], env=env, check=True,
                       capture_output=True)
        folder = rep / "verkenning" / gebied / "20_procesevaluatie"
        meta = json.loads((folder / "uitvoer.json").read_text(encoding="utf-8"))
        assert meta["demo"] is True
        assert {"bipolen", "verhalen", "tripool", "beeldwijzer"} <= set(meta["tabellen"])
        assert meta["tabellen"]["bipolen"]["n_kolom"] == "n"
        assert meta["tabellen"]["bipolen"]["min_n"] == 10
        assert all(f["alt"] and f["bron"] for f in meta["figuren"].values())
        bip = pd.read_csv(folder / "bipolen.csv", keep_default_na=False, na_values=[""])
        n = pd.to_numeric(bip["n"], errors="coerce")
        assert not ((n > 0) & (n < 10)).any()   # no base below min_n is published
        assert bip.loc[bip["onderdrukt"].isin(["primair", "secundair"]), "positief_pct"].isna().all()
        header, rows = sprockler.build_rows(2025)
        ids = [r[0] for r in rows]
        hits = privacy.scan_outputs([folder, out], ids + ["Fatima", "Yilmaz",
                                                          sprockler.NAAM_VERHAAL[:60]])
        assert hits == []
        import nbformat

        executed = nbformat.read(out, as_version=4)
        htmls = [o["data"]["text/html"] for c in executed.cells if c.cell_type == "code"
                 for o in c.get("outputs", []) if "text/html" in o.get("data", {})]
        assert htmls and not any("<script>alert(1)</script>" in h for h in htmls)
        assert not any(o.get("output_type") == "error" for c in executed.cells
                       for o in c.get("outputs", []))
    alle = json.loads((rep / "verkenning" / "alle" / "20_procesevaluatie" / "uitvoer.json")
                      .read_text(encoding="utf-8"))
    assert alle["kerncijfers"]["respondenten"]["waarde"] == 234
