"""`wijkmonitor fetch` with cbsodata mocked at its boundary (get_meta / get_data)."""

from __future__ import annotations

import re

import cbsodata
import pytest
import requests
from typer.testing import CliRunner

from helpers.cli import app
from helpers.ingest import fetch

META = [
    {"Key": "ID", "Type": "Topic"},
    {"Key": "WijkenEnBuurten", "Type": "GeoDimension"},
    {"Key": "Gemeentenaam_1", "Type": "Topic"},
    {"Key": "SoortRegio_2", "Type": "Topic"},
    {"Key": "Codering_3", "Type": "Topic"},
    {"Key": "IndelingswijzigingWijkenEnBuurten_4", "Type": "Topic"},
    {"Key": "Bevolking", "Type": "TopicGroup"},
    {"Key": "AantalInwoners_5", "Type": "Topic"},
    {"Key": "HuishoudensTotaal_28", "Type": "Topic"},
    # another edition numbers its keys differently: matched by stem, not by suffix
    {"Key": "HuishOnderOfRondSociaalMinimum_81", "Type": "Topic"},
]

REGIO = [
    ("NL00", "Nederland", "Land", None, 17900000, 8000000, 6.1),
    ("GM0344", "Utrecht", "Gemeente", "1", 367000, 187000, 8.2),
    ("WK034403", "Utrecht", "Wijk", "1", 34000, 16000, 15.3),
    ("BU03440300", "Utrecht", "Buurt", "1", 3000, 1500, None),
    ("GM0363", "Amsterdam", "Gemeente", "1", 900000, 480000, 9.0),
    ("WK036301", "Amsterdam", "Wijk", "1", 12000, 6000, 7.0),
]


def _rij(code, gm, soort, iw, inw, hh, osm):
    return {"ID": 0, "WijkenEnBuurten": gm, "Gemeentenaam_1": gm.ljust(40), "SoortRegio_2": soort,
            "Codering_3": code.ljust(10), "IndelingswijzigingWijkenEnBuurten_4": iw,
            "AantalInwoners_5": inw, "HuishoudensTotaal_28": hh,
            "HuishOnderOfRondSociaalMinimum_81": osm}


@pytest.fixture
def cbs(monkeypatch):
    calls = []

    def get_meta(table, name):
        calls.append(("meta", table, name))
        return META

    def get_data(table, filters=None, **kw):
        calls.append(("data", table, filters))
        prefixes = re.findall(r"startswith\(Codering_3,'(\w+)'\)", filters or "")
        return [_rij(*r) for r in REGIO if any(r[0].startswith(p) for p in prefixes)]

    monkeypatch.setattr(cbsodata, "get_meta", get_meta)
    monkeypatch.setattr(cbsodata, "get_data", get_data)
    return calls


def test_download_writes_a_file_the_odata_reader_accepts(cbs, tmp_path):
    from helpers.ingest.build import run_ingest

    raw = tmp_path / "raw"
    p = fetch.download_kwb(2024, ["GM0344"], raw)
    assert p.name == "kwb-2024-85984NED-odata.csv"
    tekst = p.read_text(encoding="utf-8")
    assert tekst.startswith('\ufeff"ID";"WijkenEnBuurten";"Gemeentenaam_1"')
    assert '"WK034403  "' in tekst
    assert "GM0363" not in tekst  # only the municipalities asked for (plus NL00)
    assert '"."' in tekst  # unknown value written as CBS does
    assert ("data", "85984NED", "startswith(Codering_3,'GM0344') or startswith(Codering_3,'WK0344') "
            "or startswith(Codering_3,'BU0344')") in cbs

    out = tmp_path / "processed"
    run_ingest(raw, out)
    import pandas as pd

    kwb = pd.read_parquet(out / "kwb.parquet")
    w = kwb[(kwb["code"] == "WK034403") & (kwb["jaar"] == 2024)].set_index("variabele")["waarde"]
    assert w["AantalInwoners_5"] == 34000
    assert w["HuishOnderOfRondSociaalMinimum_81"] == pytest.approx(15.3)
    bu = kwb[(kwb["code"] == "BU03440300") & (kwb["variabele"] == "HuishOnderOfRondSociaalMinimum_81")]
    assert bu["waarde"].isna().all()  # '.' is missing, never 0

    # The indicator registry finds the renumbered key by its stem.
    from helpers.registers.indicatoren import load_indicatoren
    from helpers.studies.indicators.values import _kwb_ruw

    ruw = _kwb_ruw(kwb, load_indicatoren())
    osm = ruw[(ruw["indicator"] == "p_hh_osm") & (ruw["code"] == "WK034403")]
    assert osm["x"].iloc[0] == pytest.approx(15.3)


def test_offline_gives_a_clear_dutch_message(monkeypatch, tmp_path):
    def kapot(*a, **k):
        raise requests.exceptions.ConnectionError("Name or service not known")

    monkeypatch.setattr(cbsodata, "get_meta", kapot)
    monkeypatch.setattr(cbsodata, "get_data", kapot)
    with pytest.raises(fetch.FetchError, match="geen verbinding met CBS Open Data"):
        fetch.download_kwb(2024, ["GM0344"], tmp_path)
    assert not list(tmp_path.iterdir())  # nothing partial

    res = CliRunner().invoke(app, ["fetch", "--out", str(tmp_path), "--jaar", "2023"])
    assert res.exit_code == 1
    assert "geen verbinding met CBS Open Data" in res.output
    assert "internetverbinding" in res.output


def test_unknown_year(tmp_path):
    with pytest.raises(fetch.FetchError, match="onbekende KWB-jaargang 2031"):
        fetch.download_kwb(2031, ["GM0344"], tmp_path)


def test_cli_fetches_all_focus_municipalities(cbs, tmp_path):
    res = CliRunner().invoke(app, ["fetch", "--out", str(tmp_path), "--jaar", "2022"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "kwb-2022-85318NED-odata.csv").exists()
    data_calls = [c for c in cbs if c[0] == "data"]
    assert len(data_calls) == 19 + 1  # 19 focus municipalities plus the NL00 row
