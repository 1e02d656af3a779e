"""Only what the runner wrote gets published: render checks every output it uses against the
run manifest (hashes of the files written, parameters) and refuses, naming the file."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from helpers.core.errors import PublicationGuardError
from helpers.core.io import write_table
from helpers.publish import integrity, render
from helpers.publish.content import load_resultaten
from helpers.runner import manifest as mf
from publish_fixtures import GEBIEDEN, make_bronnen, make_runs, record_in_manifest, render_kwargs

EEN = GEBIEDEN[:1]
NOTEBOOKS = ["10_indicatorbasis", "20_procesevaluatie", "40_samenhang"]


def _problemen(runs: Path, variant: str | None = None) -> list[str]:
    manifest = mf.load_manifest(runs)["runs"]
    resultaten, uit_variant = integrity.load_results(runs, NOTEBOOKS, variant)
    verwacht = integrity.expected_parameters(
        NOTEBOOKS, integrity.variant_parameters(manifest, variant) if variant else None
    )
    return integrity.check_results(resultaten, manifest, runs, verwacht, uit_variant)


def test_runner_outputs_pass(tmp_path):
    runs = make_runs(tmp_path, gebieden=EEN)
    assert _problemen(runs) == []


def test_render_refuses_an_output_edited_after_the_run(tmp_path):
    runs = make_runs(tmp_path, gebieden=EEN)
    pad = runs / "alle" / "10_indicatorbasis" / "kerncijfers_per_gebied.csv"
    df = pd.read_csv(pad)
    df.loc[0, "waarde"] = 99999.0
    write_table(pad, df)
    out = tmp_path / "_output"
    with pytest.raises(PublicationGuardError) as exc:
        render(**render_kwargs(tmp_path, runs, make_bronnen(tmp_path), gebieden=EEN))
    msg = str(exc.value)
    assert "alle/10_indicatorbasis/kerncijfers_per_gebied.csv: gewijzigd na de uitvoering" in msg
    assert "wijkmonitor run --gebied alle --notebook 10_indicatorbasis" in msg
    assert not out.exists()


def test_refuses_outputs_the_runner_did_not_write(tmp_path):
    runs = make_runs(tmp_path, gebieden=EEN)
    # an interactive run copied over the runner's folder: no manifest entry
    data = json.loads((runs / "manifest.json").read_text())
    del data["runs"]["alle/40_samenhang"]
    (runs / "manifest.json").write_text(json.dumps(data))
    # a table added to uitvoer.json after the run
    folder = runs / "alle" / "20_procesevaluatie"
    write_table(folder / "extra.csv", pd.DataFrame({"a": [1]}))
    index = json.loads((folder / "uitvoer.json").read_text())
    index["tabellen"]["extra"] = {"bestand": "extra.csv", "titel": "x", "bron": "y"}
    (folder / "uitvoer.json").write_text(json.dumps(index))
    problemen = _problemen(runs)
    assert any(
        p.startswith("alle/40_samenhang/uitvoer.json: niet gemaakt door 'wijkmonitor run'")
        for p in problemen
    ), problemen
    assert any(
        p.startswith("alle/20_procesevaluatie/uitvoer.json: gewijzigd na de uitvoering")
        for p in problemen
    ), problemen
    assert any(
        p.startswith("alle/20_procesevaluatie/extra.csv: niet geschreven door de uitvoering")
        for p in problemen
    ), problemen


def test_refuses_failed_run_and_manifest_without_hashes(tmp_path):
    runs = make_runs(tmp_path, gebieden=EEN)
    data = json.loads((runs / "manifest.json").read_text())
    data["runs"]["alle/40_samenhang"]["status"] = "mislukt"
    data["runs"]["alle/40_samenhang"]["fout"] = "ValueError: stuk"
    del data["runs"]["alle/20_procesevaluatie"]["bestanden"]
    (runs / "manifest.json").write_text(json.dumps(data))
    problemen = _problemen(runs)
    assert any(
        "40_samenhang/uitvoer.json: de laatste uitvoering is mislukt (ValueError: stuk)" in p
        for p in problemen
    )
    assert any(
        "20_procesevaluatie/uitvoer.json: manifest.json bevat geen hashes" in p for p in problemen
    )


def test_refuses_a_run_with_other_parameters_than_now_apply(tmp_path):
    runs = make_runs(tmp_path, gebieden=EEN)
    data = json.loads((runs / "manifest.json").read_text())
    entry = data["runs"]["alle/10_indicatorbasis"]
    assert entry["parameters"]["jaar_nulmeting"] is not None  # from params/monitor.yml
    entry["parameters"] = {**entry["parameters"], "jaar_nulmeting": 2015}
    entry["parameters_hash"] = mf.json_hash(entry["parameters"])
    (runs / "manifest.json").write_text(json.dumps(data))
    problemen = _problemen(runs)
    assert len(problemen) == 1
    assert problemen[0].startswith(
        "alle/10_indicatorbasis/uitvoer.json: uitgevoerd met andere "
        "parameters dan nu gelden: jaar_nulmeting = 2015 (verwacht"
    )
    # a parameter set that does not match its own hash is refused too
    entry["parameters_hash"] = "0" * 64
    (runs / "manifest.json").write_text(json.dumps(data))
    assert "kloppen niet met hun hash" in _problemen(runs)[0]


def test_variant_is_published_only_when_asked(tmp_path):
    runs = make_runs(tmp_path, gebieden=EEN)
    variant_runs = make_runs(tmp_path / "v", gebieden=EEN)
    doel = runs / mf.VARIANTS / "nul2019" / "alle"
    doel.mkdir(parents=True)
    (variant_runs / "alle" / "10_indicatorbasis").rename(doel / "10_indicatorbasis")
    record_in_manifest(runs, ["10_indicatorbasis"], variant="nul2019", jaar_nulmeting=2019)
    resultaten, uit_variant = integrity.load_results(runs, NOTEBOOKS, "nul2019")
    assert uit_variant == {"10_indicatorbasis": "nul2019"}
    assert resultaten["10_indicatorbasis"].map == doel / "10_indicatorbasis"
    assert (
        load_resultaten(runs, NOTEBOOKS)["10_indicatorbasis"].map
        == runs / "alle" / "10_indicatorbasis"
    )
    assert _problemen(runs, "nul2019") == []
    assert integrity.variant_parameters(mf.load_manifest(runs)["runs"], "nul2019") == {
        "jaar_nulmeting": 2019
    }
    with pytest.raises(PublicationGuardError, match="bekende varianten: nul2019"):
        integrity.variant_parameters(mf.load_manifest(runs)["runs"], "nul2015")


def test_render_publishes_a_variant_only_when_asked(tmp_path):
    runs = make_runs(tmp_path, gebieden=EEN)
    variant_runs = make_runs(tmp_path / "v", gebieden=EEN)
    doel = runs / mf.VARIANTS / "nul2019" / "alle"
    doel.mkdir(parents=True)
    (variant_runs / "alle" / "10_indicatorbasis").rename(doel / "10_indicatorbasis")
    record_in_manifest(runs, ["10_indicatorbasis"], variant="nul2019", jaar_nulmeting=2019)
    kw = render_kwargs(tmp_path, runs, make_bronnen(tmp_path), gebieden=EEN)
    kw["output"] = tmp_path / "_output" / "varianten" / "nul2019"
    r = render(**kw, variant="nul2019")
    editie = json.loads((r.output / "editie.json").read_text())
    assert editie["parameters"]["variant"] == "nul2019"
    assert "varianten/nul2019/alle/10_indicatorbasis" in editie["parameters"]["manifest"]
    with pytest.raises(PublicationGuardError, match="variant 'nul2015' is niet uitgevoerd"):
        render(**kw, variant="nul2015")
