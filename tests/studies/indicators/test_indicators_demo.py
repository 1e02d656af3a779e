"""The indicator base and notebook 10_indicatorbasis on the demo data (slow: generates demo
files, ingests them and executes the notebook with papermill)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from helpers.core import config

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """Demo raw files (KWB, Leefbaarometer, boundaries) -> processed tables + indicator base."""
    import importlib

    from helpers.cli import build_processed

    raw = tmp_path_factory.mktemp("demo-raw")
    for naam in ("kwb", "leefbaarometer", "geometry"):
        importlib.import_module(f"helpers.demodata.{naam}").generate(raw, 2025)
    processed = tmp_path_factory.mktemp("demo-processed")
    build_processed(raw, processed, 2022)
    return raw, processed


def test_every_registered_indicator_present_for_all_areas_and_years(demo):
    from helpers.registers.focusgebieden import load_focusgebieden
    from helpers.registers.indicatoren import load_indicatoren

    _, processed = demo
    b = pd.read_parquet(processed / "indicatorbasis.parquet")
    w = pd.read_parquet(processed / "indicatorwijken.parquet")
    ids = {g.id for g in load_focusgebieden()}
    assert set(b["focusgebied"]) == ids
    for ind in load_indicatoren():
        if ind.regel == "ratio":
            bronjaren = set(w.loc[w["indicator"] == ind.id].dropna(subset=["x"])["jaar"])
        else:
            bronjaren = set(w.loc[(w["indicator"] == ind.id) & w["x"].notna(), "jaar"])
        assert bronjaren, ind.id
        sel = b[(b["indicator"] == ind.id) & b["jaar"].isin(bronjaren)]
        assert len(sel) == len(ids) * len(bronjaren), ind.id
        missing = sel[sel["waarde"].isna()]
        assert missing.empty, (ind.id, missing[["focusgebied", "jaar", "reden"]].head())
    # demo provenance travels into the report
    assert "fictieve demonstratiedata" in (processed / "datakwaliteit.md").read_text(encoding="utf-8")


def test_notebook_alle_and_one_area(demo, tmp_path, monkeypatch):
    import papermill as pm

    raw, processed = demo
    reports = tmp_path / "reports"
    monkeypatch.setenv("WIJKMONITOR_PROCESSED", str(processed))
    monkeypatch.setenv("WIJKMONITOR_REPORTS", str(reports))
    monkeypatch.setenv("WIJKMONITOR_RAW", str(raw))
    nb = config.NOTEBOOKS / "10_indicatorbasis.ipynb"
    for gebied in ("alle", "utrecht-overvecht"):
        pm.execute_notebook(str(nb), str(tmp_path / f"{gebied}.ipynb"), kernel_name="python3",
                            parameters={"focusgebied": gebied, "jaar_nulmeting": 2022},
                            progress_bar=False)

    # plain papermill is not the runner: everything goes to the scratch area
    assert not (reports / "runs").exists()
    alle = reports / "verkenning" / "alle" / "10_indicatorbasis"
    u = json.loads((alle / "uitvoer.json").read_text(encoding="utf-8"))
    assert u["demo"] is True
    kc = pd.read_csv(alle / "kerncijfers_per_gebied.csv")
    assert kc["focusgebied"].nunique() == 20
    for gid in kc["focusgebied"].unique():
        assert (alle / f"trend_lbm_{gid}.png").exists()
        assert (alle / f"kaart_{gid}.png").exists()  # demo data ship boundaries
        assert f"lbm_{gid}" in u["teksten"]
    for f in u["figuren"].values():
        assert f["alt"] and f["bron"] and f["jaar"]
    # maps: boundaries from data/processed, the caption cites the map, not a raw file name
    for naam, f in u["figuren"].items():
        if naam.startswith("kaart"):
            assert "CBS, Wijk- en buurtkaart 2024 (bewerking)" in f["bron"], f["bron"]
            assert ".geojson" not in f["bron"] and "demo" not in f["bron"]
    nl = u["figuren"]["kaart_nederland"]  # the national map for the publication
    assert (alle / nl["bestand"]).exists() and nl["bron"] == "CBS, Wijk- en buurtkaart 2024 (bewerking)"
    from helpers.registers.focusgebieden import load_focusgebieden

    assert nl["alt"].startswith("Kaart van Nederland met de wijken van de 20 focusgebieden")
    assert all(g.naam in nl["alt"] for g in load_focusgebieden())

    een = reports / "verkenning" / "utrecht-overvecht" / "10_indicatorbasis"
    u1 = json.loads((een / "uitvoer.json").read_text(encoding="utf-8"))
    assert {"trend_lbm", "dimensies_lbm", "kaart_lbm"} <= set(u1["figuren"])
    assert "kaart_nederland" not in u1["figuren"]
    assert "lbm" in u1["kerncijfers"] and "kerntabel" in u1["tabellen"]
    from helpers.studies.indicators.figures import CAUSAAL

    for tekst in [*u["teksten"].values(), *u1["teksten"].values()]:
        laag = f" {tekst.lower()} "
        for woord in CAUSAAL:
            assert f" {woord} " not in laag, (woord, tekst)


def test_nulmeting_parameter_changes_tables_and_sentences(demo):
    """-p jaar_nulmeting 2019 on notebook 10: the base built with 2022 is re-based at load."""
    from helpers.studies.indicators import base, sentences, tables

    _, processed = demo
    b22, b19 = base.load_basis(processed, nulmeting=2022), base.load_basis(processed, nulmeting=2019)
    gid = "utrecht-overvecht"
    kt19 = " ".join(tables.kerntabel(b19, gid, ["gemeente_rest"])["Verschil sinds nulmeting"])
    kt22 = " ".join(tables.kerntabel(b22, gid, ["gemeente_rest"])["Verschil sinds nulmeting"])
    assert "(t.o.v. 2019" in kt19 and "(t.o.v. 2019" not in kt22 and "(t.o.v. 2022" in kt22
    # the Leefbaarometer has no 2019 measurement: its nulmeting is the latest year before
    lbm = tables.laatste(b19[(b19["focusgebied"] == gid) & (b19["indicator"] == "lbm")]).iloc[0]
    assert int(lbm["nulmetingjaar"]) < 2019
    zin = " ".join(sentences.zinnen(b19, gid, "Utrecht Overvecht").values())
    assert f"nulmeting ({int(lbm['nulmetingjaar'])})" in zin
    assert "nulmeting (2022)" in " ".join(sentences.zinnen(b22, gid, "Utrecht Overvecht").values())
