"""Runner: inputs absent from an edition ("geen gegevens") versus a missing build (a failure)."""

from __future__ import annotations

import json

from helpers.runner.absent import BUILD_HINT, build_melding, classify_missing, write_geen_gegevens


def test_absent_source_after_build_is_geen_gegevens(tmp_path):
    bronnen = {"tabellen": {"kwb": 10, "regions": 5, "leefbaarometer": 3}}
    uit = classify_missing(
        [tmp_path / "sprockler.parquet", tmp_path / "ve_bereik.parquet"], bronnen, tmp_path
    )
    assert uit.fout is None
    assert uit.bronnen == ["sprockler", "ve_bereik"]
    assert uit.labels[0] == "de vragenlijst van de procesevaluatie (Sprockler)"


def test_build_hint_only_when_build_did_not_run(tmp_path):
    no_build = classify_missing([tmp_path / "sprockler.parquet"], {}, tmp_path)
    assert no_build.fout and no_build.fout.endswith(BUILD_HINT)
    # build ran, but its own product is gone: a failure, without the wrong "eerst build" hint
    built = {"tabellen": {"kwb": 1}}
    gone = classify_missing([tmp_path / "indicatorbasis.parquet"], built, tmp_path)
    assert gone.fout and "indicatorbasis.parquet" in gone.fout and BUILD_HINT not in gone.fout
    # a table the build did write but that was deleted since is no "geen gegevens" either
    deleted = classify_missing([tmp_path / "kwb.parquet"], built, tmp_path)
    assert deleted.fout and not deleted.bronnen
    # a file outside data/processed (a registry, a researcher text): no build hint at all
    other = classify_missing([tmp_path.parent / "params" / "x.yml"], built, tmp_path)
    assert other.fout == f"invoer ontbreekt: {(tmp_path.parent / 'params' / 'x.yml').as_posix()}"
    # one real failure among absent sources makes the run fail
    mixed = classify_missing(
        [tmp_path / "sprockler.parquet", tmp_path.parent / "x.md"], built, tmp_path
    )
    assert mixed.fout and mixed.bronnen == ["sprockler"]


def test_write_geen_gegevens_replaces_old_outputs(tmp_path):
    runs = tmp_path / "runs"
    oud = runs / "alle" / "20_procesevaluatie"
    oud.mkdir(parents=True)
    (oud / "figuur.png").write_bytes(b"png")
    (runs / "alle" / "20_procesevaluatie.ipynb").write_text("{}")
    pad = write_geen_gegevens(
        runs / "alle" / "20_procesevaluatie",
        "alle",
        "20_procesevaluatie",
        "Procesevaluatie",
        ["sprockler"],
        demo=False,
    )
    data = json.loads(pad.read_text(encoding="utf-8"))
    assert data["status"] == "geen gegevens" and data["titel"] == "Procesevaluatie"
    assert data["ontbrekende_bronnen"] == ["de vragenlijst van de procesevaluatie (Sprockler)"]
    assert data["melding"] == (
        "Deze editie bevat geen gegevens voor dit onderdeel. "
        "Ontbrekende bron: de vragenlijst van de procesevaluatie "
        "(Sprockler)."
    )
    assert data["figuren"] == data["tabellen"] == data["kerncijfers"] == data["teksten"] == {}
    assert sorted(p.name for p in oud.iterdir()) == ["uitvoer.json"]
    assert not (runs / "alle" / "20_procesevaluatie.ipynb").exists()


def test_melding_lists_sources_in_dutch():
    assert build_melding(["a"]).endswith(" Ontbrekende bron: a.")
    assert build_melding(["a", "b", "c"]).endswith(" Ontbrekende bronnen: a; b; c.")
    assert build_melding([]) == "Deze editie bevat geen gegevens voor dit onderdeel."
