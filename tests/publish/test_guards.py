"""Publication guards: each test shows the render refusing bad content with a clear message,
and leaving the previous output untouched."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.core import config
from helpers.core.errors import PublicationGuardError
from helpers.publish import guards, render
from publish_fixtures import (
    GEBIEDEN,
    bipolen,
    make_bronnen,
    make_runs,
    record_in_manifest,
    render_kwargs,
)

EEN = GEBIEDEN[:1]


def _render(tmp_path: Path, runs: Path, **extra):
    processed = extra.pop("processed", None) or make_bronnen(tmp_path)
    kw = render_kwargs(tmp_path, runs, processed, gebieden=EEN)
    kw.update(extra)
    return render(**kw)


def _refused(tmp_path: Path, runs: Path, *fragmenten: str, **extra) -> str:
    out = tmp_path / "_output"
    out.mkdir(exist_ok=True)
    (out / "vorige.txt").write_text("vorige editie", encoding="utf-8")
    with pytest.raises(PublicationGuardError) as exc:
        _render(tmp_path, runs, **extra)
    msg = str(exc.value)
    assert msg.startswith("De publicatie is niet gemaakt")
    for f in fragmenten:
        assert f in msg, msg
    # nothing partial: the previous output is untouched and no new file appeared
    assert sorted(p.name for p in out.iterdir()) == ["vorige.txt"]
    return msg


def _herschrijf_tabel(runs: Path, notebook: str, naam: str, df: pd.DataFrame, **meta) -> None:
    folder = runs / "alle" / notebook
    df.to_csv(folder / f"{naam}.csv", index=False)
    index = folder / "uitvoer.json"
    data = json.loads(index.read_text(encoding="utf-8"))
    data["tabellen"].setdefault(naam, {"bestand": f"{naam}.csv", "titel": naam, "bron": "CBS",
                                       "n_kolom": None, "min_n": None})
    data["tabellen"][naam].update(meta)
    index.write_text(json.dumps(data), encoding="utf-8")
    record_in_manifest(runs)  # as if the runner had written it: the guards, not the hashes, must refuse


def _wijzig_json(runs: Path, notebook: str, fn) -> None:
    index = runs / "alle" / notebook / "uitvoer.json"
    data = json.loads(index.read_text(encoding="utf-8"))
    fn(data)
    index.write_text(json.dumps(data), encoding="utf-8")
    record_in_manifest(runs)


# ---------------------------------------------------------------------------------------------
# small groups


def test_refuses_share_for_group_below_min_n(tmp_path):
    runs = make_runs(tmp_path, gebieden=EEN)
    df = pd.DataFrame({"groep": ["alle", "bewoner", "gemeente"], "n": [60, 6, 54],
                       "positief": [50.0, 33.3, 52.0]})
    _herschrijf_tabel(runs, "20_procesevaluatie", "bipolen", df, n_kolom="n", min_n=10)
    _refused(tmp_path, runs, "tabel 'bipolen'", "rij 3, groep 'bewoner'",
             "n = 6 is kleiner dan het minimum van 10")


def test_refuses_missing_secondary_suppression(tmp_path):
    runs = make_runs(tmp_path, gebieden=EEN)
    df = pd.DataFrame({"vraag": ["v1"] * 4, "groep": ["alle", "bewoner", "gemeente", "uitvoerend"],
                       "n": [100, 6, 40, 54], "positief": [50.0, None, 40.0, 55.0]})
    _herschrijf_tabel(runs, "20_procesevaluatie", "bipolen", df, n_kolom="n", min_n=10)
    _refused(tmp_path, runs, "secundaire onderdrukking ontbreekt", "'bewoner'",
             "af te leiden uit het totaal min de andere groepen")


def test_privacy_suppressed_table_passes_the_guard():
    df = bipolen()
    assert guards.check_onderdrukking(df, naam="b", bestand="x", n_kolom="n", min_n=10) == []
    # and the same table before suppression fails on both rules
    ruw = df.drop(columns=["onderdrukt", "signaal"]).fillna(50.0)
    problemen = guards.check_onderdrukking(ruw, naam="b", bestand="x", n_kolom="n", min_n=10)
    assert any("kleiner dan het minimum" in p for p in problemen)


def test_secondary_rule_accepts_two_hidden_groups_with_enough_n():
    df = pd.DataFrame({"groep": ["alle", "a", "b", "c"], "n": [100, 6, 20, 74],
                       "positief": [50.0, None, None, 50.0]})
    assert guards.check_onderdrukking(df, naam="t", bestand="x", n_kolom="n", min_n=10) == []
    zonder_totaal = df[df.groep != "alle"].assign(positief=[None, 30.0, 50.0])
    assert guards.check_onderdrukking(zonder_totaal, naam="t", bestand="x", n_kolom="n",
                                           min_n=10) == []


def test_refuses_key_number_below_min_n(tmp_path):
    runs = make_runs(tmp_path, gebieden=EEN)
    _wijzig_json(runs, "40_samenhang", lambda d: d["kerncijfers"].update(
        {"klein": {"waarde": 50.0, "label": "Aandeel bewoners", "eenheid": "%", "n": 4}}))
    _refused(tmp_path, runs, "kerncijfer 'klein'", "n = 4 is kleiner dan het minimum van 10")


# ---------------------------------------------------------------------------------------------
# stories and respondent ids


def test_refuses_story_without_consent(tmp_path):
    runs = make_runs(tmp_path, gebieden=EEN, toestemming=False)
    _refused(tmp_path, runs, "tabel 'verhalen'", "rij 2", "verhaal zonder toestemming én vrijgave")


def test_refuses_story_table_without_consent_columns(tmp_path):
    runs = make_runs(tmp_path, gebieden=EEN)
    df = pd.DataFrame({"verhaal": ["Een mooi verhaal."]})
    _herschrijf_tabel(runs, "20_procesevaluatie", "verhalen", df)
    _refused(tmp_path, runs, "verhalen zonder kolommen voor toestemming")


@pytest.mark.parametrize(
    ("kolom", "waarde", "fragment"),
    [
        ("respondent_id", "R1", "kolom 'respondent_id' bevat respondent-id's"),
        ("pseudoniem", "x", "kolom 'pseudoniem' bevat respondent-id's"),
        ("toelichting", "p0123456789abcdef", "bevat pseudoniemen van respondenten"),
        ("toelichting", "zie respondent 1234", "noemt een respondentnummer"),
    ],
)
def test_refuses_respondent_ids(tmp_path, kolom, waarde, fragment):
    runs = make_runs(tmp_path, gebieden=EEN)
    df = pd.DataFrame({"groep": ["alle"], kolom: [waarde], "n": [50], "positief": [40.0]})
    _herschrijf_tabel(runs, "20_procesevaluatie", "extra", df, n_kolom="n", min_n=10)
    _refused(tmp_path, runs, "tabel 'extra'", fragment)


# ---------------------------------------------------------------------------------------------
# escaping


def test_refuses_unescaped_free_text(tmp_path, monkeypatch):
    """If escaping were broken, the render refuses instead of publishing the script."""
    from helpers.publish import layout as opmaak

    runs = make_runs(tmp_path, gebieden=EEN)
    monkeypatch.setattr(opmaak, "md_tekst", lambda t: "" if t is None else str(t))
    _refused(tmp_path, runs, "ruwe HTML")


def test_html_check_reports_unescaped_text_and_scripts(tmp_path):
    html = ('<html lang="nl"><body><div class="demo-banner">x</div><h1>T</h1>'
            "<p><script>alert(1)</script></p></body></html>")
    problemen = guards.check_html(html, pagina="p.html", map=tmp_path, demo=True,
                                       vrije_teksten=["<script>alert(1)</script>"])
    assert any("onge-escapet" in p for p in problemen)
    assert any("<script>-element" in p for p in problemen)


# ---------------------------------------------------------------------------------------------
# wording


def test_refuses_stigmatising_label_in_own_text(tmp_path):
    runs = make_runs(tmp_path, gebieden=EEN)
    teksten = tmp_path / "teksten"
    shutil.copytree(config.ROOT / "reports" / "teksten", teksten)
    pad = teksten / "publicatie_inleiding.md"
    pad.write_text(pad.read_text(encoding="utf-8") + "\nDit zijn probleemwijken.\n",
                   encoding="utf-8")
    _refused(tmp_path, runs, "reports/teksten/publicatie_inleiding.md",
             "stigmatiserend label 'probleemwijken'", teksten_map=teksten)


def test_refuses_stigmatising_label_in_figure_title(tmp_path):
    runs = make_runs(tmp_path, gebieden=EEN)
    _wijzig_json(runs, "10_indicatorbasis",
                 lambda d: d["figuren"]["dimensies_lbm"].update(titel="Score in kwetsbare wijken"))
    _refused(tmp_path, runs, "figuren 'dimensies_lbm'", "stigmatiserend label 'kwetsbare wijken'")


def test_quotes_may_contain_stigmatising_labels():
    termen = ["kwetsbare (wijk|wijken)", "probleemwijk(en)?"]
    assert guards.check_stigma({"t": "Een bewoner: “ze noemen het een probleemwijk”."},
                                    termen) == []
    assert guards.check_stigma({"t": "> Het is geen kwetsbare wijk."}, termen) == []
    assert guards.check_stigma({"t": "Wij spreken van een kwetsbare wijk."}, termen)


def test_refuses_causal_wording_in_generated_sentences(tmp_path):
    runs = make_runs(tmp_path, gebieden=EEN, tekst="De score steeg dankzij de wijkaanpak.")
    _refused(tmp_path, runs, "tekst 'lbm'", "causale formulering 'dankzij'")


def test_causal_check_uses_word_boundaries():
    termen = ["door", "leidde tot"]
    assert guards.check_causaal({"t": "Doorgaans was de score hoger."}, termen) == []
    assert guards.check_causaal({"t": "De daling leidde tot zorgen."}, termen)
    assert guards.check_causaal({"t": "Gestegen door nieuwbouw."}, termen)


# ---------------------------------------------------------------------------------------------
# demo flags, figures, headings


def test_refuses_inconsistent_demo_flags(tmp_path):
    runs = make_runs(tmp_path, gebieden=EEN)
    _wijzig_json(runs, "40_samenhang", lambda d: d.update(demo=False))
    _refused(tmp_path, runs, "40_samenhang", "de demovlag ontbreekt of staat uit",
             "fictieve demonstratiedata")


def test_refuses_missing_demo_flag_when_data_are_demo(tmp_path):
    runs = make_runs(tmp_path, gebieden=EEN, demo=False)
    _refused(tmp_path, runs, "10_indicatorbasis", "de demovlag ontbreekt of staat uit",
             processed=make_bronnen(tmp_path, demo=True))


def test_refuses_figure_without_alt_text_or_file(tmp_path):
    runs = make_runs(tmp_path, gebieden=EEN)
    (runs / "alle" / "10_indicatorbasis" / "dimensies_lbm.png").unlink()
    _wijzig_json(runs, "10_indicatorbasis", lambda d: d["figuren"]["dimensies_lbm"].update(
        alt="", jaar=None))
    _refused(tmp_path, runs, "figuur 'dimensies_lbm'", "alt-tekst ontbreekt",
             "bestand 'dimensies_lbm.png' ontbreekt", "jaar ontbreekt")


def test_heading_order_rules():
    assert guards.kopvolgorde([(1, "T"), (2, "a"), (3, "b"), (2, "c")]) == []
    assert guards.kopvolgorde([(1, "T"), (3, "b")])[0].startswith("kop 'b' (h3) slaat")
    assert any("meer dan één" in p for p in guards.kopvolgorde([(1, "T"), (2, "a"), (1, "X")]))


def test_grouping_column_tables_like_the_survey_bipoles():
    """Total row in its own grouping ('groepering' = 'alle'), groups in another (survey layout)."""
    from helpers.core.privacy import suppress_shares

    rijen = [{"vraag": "v1", "groepering": "alle", "groep": "alle", "n": 100, "positief_pct": 50.0}]
    rijen += [{"vraag": "v1", "groepering": "groep", "groep": g, "n": n, "positief_pct": 50.0}
              for g, n in (("bewoner", 6), ("gemeente", 40), ("uitvoerend", 54))]
    ruw = pd.DataFrame(rijen)
    goed = suppress_shares(ruw, by=["vraag", "groepering"], value_cols=["positief_pct"], min_n=10,
                           signaal_n=30)
    assert goed["onderdrukt"].tolist() == ["", "primair", "secundair", ""]
    assert guards.check_onderdrukking(goed, naam="b", bestand="x", n_kolom="n", min_n=10) == []
    alleen_primair = ruw.assign(positief_pct=[50.0, None, 40.0, 55.0])
    problemen = guards.check_onderdrukking(alleen_primair, naam="b", bestand="x",
                                                n_kolom="n", min_n=10)
    assert len(problemen) == 1 and "secundaire onderdrukking ontbreekt" in problemen[0]


def test_stories_checked_against_released_survey_texts(tmp_path):
    """Story tables without consent columns (survey layout) are checked against
    sprockler.parquet: only texts of respondents with consent and release may appear."""
    runs = make_runs(tmp_path, gebieden=EEN)
    processed = make_bronnen(tmp_path)
    pd.DataFrame({"respondent": ["p0000000000000001", "p0000000000000002"],
                  "verhaal": ["Vrijgegeven  verhaal.", None],
                  "toestemming": [True, False], "vrijgegeven": [True, False]}).to_parquet(
        processed / "sprockler.parquet")
    df = pd.DataFrame({"bouwsteen": ["ambitie", "ambitie"], "kant": ["positief", "negatief"],
                       "titel": ["A", "B"],
                       "verhaal": ["Vrijgegeven verhaal.", "Een verhaal zonder vrijgave."]})
    _herschrijf_tabel(runs, "20_procesevaluatie", "verhalen", df)
    _refused(tmp_path, runs, "tabel 'verhalen'", "rij 3: verhaal staat in sprockler.parquet niet",
             processed=processed)
    assert guards.check_privacy(df.iloc[:1], naam="verhalen", bestand="x",
                                     respondent_kolommen=[],
                                     vrijgegeven=guards.vrijgegeven_verhalen(processed)) == []
