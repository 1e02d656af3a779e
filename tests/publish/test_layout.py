"""Markdown building blocks, loading of notebook outputs and their bad-input errors."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from helpers.core.errors import InputError
from helpers.publish import content as inhoud
from helpers.publish import layout as opmaak


def test_md_tekst_escapes_html_and_markdown():
    s = opmaak.md_tekst("<script>alert(1)</script> *vet* [x](y) @ref {{< z >}} a|b")
    assert "<" not in s and ">" not in s
    assert "&lt;script&gt;" in s
    assert "\\*vet\\*" in s and "\\[x\\]\\(y\\)" in s and "\\@ref" in s and "a\\|b" in s
    assert opmaak.md_tekst(None) == "" and opmaak.md_tekst(float("nan")) == ""
    assert opmaak.md_tekst("regel\neen") == "regel een"


def test_md_citaat_blockquote():
    assert opmaak.md_citaat("Eerste.\n\nTweede <b>") == "> Eerste\\.\n>\n> Tweede &lt;b&gt;"


def test_cells_dutch_formatting():
    assert opmaak.cel(1234567.0, "inwoners") == "1.234.567"
    assert opmaak.cel(1234.6, "inwoners") == "1.235"
    assert opmaak.cel(3.456, "lbm") == "3,46"
    assert opmaak.cel(42.35, "waarde") == "42,4"
    assert opmaak.cel(3.456, "lbm", 1) == "3,5"
    assert opmaak.cel(2024, "jaar", 0) == "2024"
    assert opmaak.cel(42.0, "positief", 0) == "42%"
    assert opmaak.cel(float("nan"), "positief", 0) == "."  # CBS: no figure
    assert opmaak.cel(-1.5, "verschil", 1) == "\u22121,5"  # the typographic minus
    assert opmaak.cel(True, "x", 0) == "ja"


def test_pipe_table_caption_n_and_suppression_note():
    df = pd.DataFrame({"groep": ["alle", "bewoner"], "n": [40, 6], "positief": [50.0, None],
                       "onderdrukt": ["", "primair"], "signaal": ["", ""]})
    md = opmaak.pipe_tabel(df, titel="Tabel 1. Oordeel", bron="Sprockler 2025", n_kolom="n",
                           min_n=10, download="downloads/x.csv")
    regels = md.splitlines()
    assert regels[0] == "| Groep | n | Positief |"  # onderdrukt hidden, empty signaal dropped
    assert regels[1] == "|:--|--:|--:|"
    assert regels[3] == "| bewoner | 6 | x |"  # CBS: x = not published
    assert ": Tabel 1\\. Oordeel. Bron: Sprockler 2025. n = aantal waarnemingen" in md
    assert "Tekens: x = niet gepubliceerd: groep met minder dan 10 waarnemingen" in md.replace(
        "\\", "")
    assert "[Download tabel 1 (CSV)](downloads/x.csv)" in md  # a reader label, no file name


@pytest.mark.parametrize("df", [pd.DataFrame({"gebied": [], "fout": []}),
                                pd.DataFrame({"gebied": ["a"], "fout": [None]}).iloc[:0],
                                pd.DataFrame({"leeg": [None, None]})])
def test_table_without_rows_is_a_sentence_not_a_definition_list(df, tmp_path):
    """A header-only pipe table ('|  |' / '||') is read by pandoc as a definition list, which
    typst refuses in a PDF/UA-1 document ('invalid list (L) structure')."""
    import pypandoc
    import typst

    md = opmaak.pipe_tabel(df, titel="Tabel 3. Inconsistente ketens", bron="VE-registratie",
                           download="downloads/x.csv")
    assert "|" not in md and "geen rijen" in md and "(downloads/x.csv)" in md
    typ = tmp_path / "t.typ"
    typ.write_text('#set document(title: [T])\n#set text(lang: "nl")\n= T\n\n'
                   + pypandoc.convert_text(md, "typst", format="markdown"), encoding="utf-8")
    typst.compile(str(typ), output=str(tmp_path / "t.pdf"), root=str(tmp_path),
                  pdf_standards=["ua-1"])


def test_cells_with_registered_ids_show_reader_labels():
    df = pd.DataFrame({"gebied": ["utrecht-overvecht", "elders"], "waarde": [1.0, 2.0]})
    uit = opmaak.build_lezerslabels(df, {"utrecht-overvecht": "Utrecht Overvecht"})
    assert uit["gebied"].tolist() == ["Utrecht Overvecht", "elders"]
    assert df["gebied"].iloc[0] == "utrecht-overvecht"  # the input is not changed


def test_figure_markdown_has_alt_and_caption_with_source_and_year():
    md = opmaak.figuur("figuren/a.png", nummer=3, titel="Trend", bron="CBS", jaar=2024,
                       alt='Lijn "stijgt"')
    assert md == ("![Figuur 3. Trend. Bron: CBS, 2024.](figuren/a.png)"
                  "{fig-alt=\"Lijn 'stijgt'\"}")


def test_key_numbers():
    md = opmaak.kerncijfers([{"label": "Aandeel", "waarde": 42.35, "eenheid": "%",
                              "decimalen": 1, "bron": "CBS", "jaar": 2024},
                             {"label": "Score", "waarde": 3.8412, "eenheid": "score"}])
    assert md.splitlines() == ["- **Aandeel**: 42,4% (CBS, 2024)", "- **Score**: 3,84 score"]


def test_invalid_uitvoer_json_names_file_and_line(tmp_path):
    folder = tmp_path / "alle" / "10_indicatorbasis"
    folder.mkdir(parents=True)
    (folder / "uitvoer.json").write_text('{"figuren": {}\n  "x": 1}', encoding="utf-8")
    with pytest.raises(InputError) as exc:
        inhoud.load_resultaat(tmp_path, "alle", "10_indicatorbasis")
    assert "uitvoer.json" in str(exc.value) and "regel 2" in str(exc.value)
    assert "geen geldige JSON" in str(exc.value)


def test_uitvoer_json_wrong_shape(tmp_path):
    folder = tmp_path / "alle" / "nb"
    folder.mkdir(parents=True)
    (folder / "uitvoer.json").write_text(json.dumps({"tabellen": []}), encoding="utf-8")
    with pytest.raises(InputError, match="'tabellen' moet een object zijn"):
        inhoud.load_resultaat(tmp_path, "alle", "nb")
    (folder / "uitvoer.json").write_text("[1]", encoding="utf-8")
    with pytest.raises(InputError, match="verwacht een JSON-object"):
        inhoud.load_resultaat(tmp_path, "alle", "nb")
    assert inhoud.load_resultaat(tmp_path, "alle", "ontbreekt") is None


def test_missing_table_file(tmp_path):
    folder = tmp_path / "alle" / "nb"
    folder.mkdir(parents=True)
    (folder / "uitvoer.json").write_text(json.dumps(
        {"tabellen": {"t": {"bestand": "t.csv", "titel": "T", "bron": "CBS"}}}), encoding="utf-8")
    r = inhoud.load_resultaat(tmp_path, "alle", "nb")
    with pytest.raises(InputError) as exc:
        r.load_tabel("t")
    assert "ontbrekend bestand 't.csv'" in str(exc.value)
    assert "kolom 'tabellen'" in str(exc.value)


def test_config_errors(tmp_path):
    pad = tmp_path / "publicatie.yml"
    pad.write_text("titel: x\nhoofdstukken: [\n", encoding="utf-8")
    with pytest.raises(InputError, match="YAML-syntaxfout"):
        inhoud.load_config(pad)
    pad.write_text("titel: x\n", encoding="utf-8")
    with pytest.raises(InputError, match="sleutel 'hoofdstukken' ontbreekt"):
        inhoud.load_config(pad)
    pad.write_text("titel: x\nhoofdstukken: [{id: a}]\nfactsheet: {tekst: f.md}\n"
                   "stigmatiserend: []\ncausaal: []\n", encoding="utf-8")
    with pytest.raises(InputError, match="hoofdstuk 1 mist de sleutel 'titel'"):
        inhoud.load_config(pad)


def test_project_config_is_valid():
    cfg = inhoud.load_config()
    assert [h["id"] for h in cfg["hoofdstukken"]][0] == "inleiding"
    nbs = inhoud.benodigde_notebooks(cfg)
    assert nbs[:2] == ["10_indicatorbasis", "40_samenhang"]
    assert {"20_procesevaluatie", "31_armoede_schulden", "35_sociale_cohesie"} <= set(nbs)
    for h in cfg["hoofdstukken"]:
        assert (inhoud.BRON_REPORTS / "teksten" / h["tekst"]).exists()


def test_caption_says_what_n_is_when_it_is_a_base():
    df = pd.DataFrame({"label": ["Aantal inwoners"], "waarde": [12345.0], "basis": [12345]})
    uitleg = "n = de basis van het cijfer; de kolom 'n telt' zegt wat die telt"
    md = opmaak.pipe_tabel(df, titel="Tabel 1. Kerncijfers", bron="CBS", n_kolom="basis",
                           n_uitleg=uitleg)
    assert "aantal waarnemingen" not in md
    assert "n = de basis van het cijfer; de kolom 'n telt' zegt wat die telt." in md.replace("\\", "")


def test_every_symbol_in_a_table_is_explained_under_it():
    # a missing reference value shows "." (CBS): explained as "geen cijfer"
    df = pd.DataFrame({"label": ["Leefbaarometer", "Bijstand"], "waarde": [3.9, 40.0],
                       "nederland": [4.1, None]})
    md = opmaak.pipe_tabel(df, titel="Tabel 1. Kerncijfers", bron="CBS").replace("\\", "")
    assert "| Bijstand | 40,0 | . |" in md  # one number of decimals per column
    legenda = md.split("\n\n")[-1]
    assert legenda.startswith("Tekens: . = geen cijfer: niet beschikbaar in de bron of in deze")
    # no symbol, no legend
    vol = opmaak.pipe_tabel(df.dropna(), titel="Tabel 2. Vol", bron="CBS")
    assert "geen cijfer" not in vol and "Tekens" not in vol
    # both meanings of "–" in one table: one note with both
    both = pd.DataFrame({"groep": ["alle", "bewoner", "gemeente"], "n": [40, 6, 20],
                         "positief": [50.0, None, None], "onderdrukt": ["", "primair", ""]})
    md = opmaak.pipe_tabel(both, titel="Tabel 3. Oordeel", bron="Sprockler", n_kolom="n",
                           min_n=10).replace("\\", "")
    assert ("Tekens: x = niet gepubliceerd: groep met minder dan 10 waarnemingen, of een groep "
            "waaruit zo'n groep af te leiden zou zijn; . = geen cijfer") in md
    # a count shown as "< 10" (helpers.studies.themes.study) is explained too
    klein = pd.DataFrame({"maat": ["bereikt"], "aantal": ["< 10"]})
    md = opmaak.pipe_tabel(klein, titel="Tabel 4. Bereik", bron="registratie").replace("\\", "")
    assert "&lt; 10 = minder dan 10; het precieze aantal wordt niet gepubliceerd" in md


def test_one_legend_line_explains_only_the_symbols_used():
    df = pd.DataFrame({"groep": ["a", "b", "c"], "n": [40, 6, 30], "aandeel": [12.5, None, None],
                       "onderdrukt": ["", "primair", ""]})
    md = opmaak.pipe_tabel(df, titel="T", bron="B", n_kolom="n", min_n=10)
    regels = md.splitlines()
    assert regels[0] == "| Groep | n | Aandeel \\(%\\) |"  # the unit in the header, not in cells
    assert regels[2:5] == ["| a | 40 | 12,5 |", "| b | 6 | x |", "| c | 30 | \\. |"]
    legenda = [r.replace("\\", "") for r in regels if r.startswith("Tekens:")]
    assert legenda == ["Tekens: x = niet gepubliceerd: groep met minder dan 10 waarnemingen, of "
                       "een groep waaruit zo'n groep af te leiden zou zijn; . = geen cijfer: niet "
                       "beschikbaar in de bron of in deze editie, of niet te berekenen."]
    zonder = opmaak.pipe_tabel(df.iloc[:1], titel="T", bron="B")
    assert "Tekens:" not in zonder


def test_decimals_equal_within_a_column_or_per_unit_of_the_row():
    df = pd.DataFrame({"gebied": ["a", "b", "c"], "waarde": [14.6, 7.891, 9.54],
                       "verschil": [-0.5, 1.25, 0.0]})
    regels = opmaak.pipe_tabel(df, titel="T", bron="B").splitlines()[2:5]
    assert regels == ["| a | 14,60 | \u22120,50 |", "| b | 7,89 | 1,25 |", "| c | 9,54 | 0,00 |"]
    lang = pd.DataFrame({"label": ["Inwoners", "Score"], "eenheid": ["aantal", "score"],
                         "waarde": [12345.0, 3.9123], "indicator": ["inw", "lbm"]})
    regels = opmaak.pipe_tabel(lang, titel="T", bron="B").splitlines()
    assert regels[0] == "| Label | Eenheid | Waarde |"  # one label column: the id is not shown
    assert regels[2:4] == ["| Inwoners | aantal | 12.345 |", "| Score | score | 3,91 |"]


def test_fractions_shown_as_percentages_area_all_and_one_source_in_the_caption():
    df = pd.DataFrame({"focusgebied": ["utrecht-overvecht", "alle"], "aandeel": [0.376, 0.5],
                       "bron": ["CBS", "CBS"], "jaar": [2024, 2024], "peiljaar": [2023, 2023]})
    md = opmaak.pipe_tabel(df, titel="T", bron="Registratie")
    regels = md.splitlines()
    assert regels[0] == "| Focusgebied | Aandeel \\(%\\) | Peiljaar |"  # no Bron, no edition year
    assert regels[2:4] == ["| utrecht\\-overvecht | 37,6 | 2023 |",
                           "| Alle focusgebieden | 50,0 | 2023 |"]
    assert ": T. Bron: Registratie; CBS." in md


def test_md_tekst_elision_apostrophe_is_typographic():
    assert opmaak.md_tekst("Gemeente 's-Gravenhage") == "Gemeente \u2019s\\-Gravenhage"
    assert opmaak.md_tekst("'s-Hertogenbosch").startswith("\u2019s")
    assert opmaak.md_tekst("de kolom 'n telt'") == "de kolom 'n telt'"  # a quotation stays
