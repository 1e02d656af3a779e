"""Shared theme-study scaffolding: register, tables, texts, suppression of counts."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.core.errors import InputError, RegistryError
from helpers.studies.themes import common


def test_register_facts_from_publication():
    t = common.interventietabel("reintegratie")
    assert list(t.columns) == ["focusgebied", "interventie", "type", "fase_1", "fase_2"]
    # chapter 4: six areas with a groepsaanpak, eight with wijkbanen
    assert t[t["type"] == "Groepsaanpak"]["focusgebied"].nunique() == 6
    assert t[t["type"] == "Wijkbaan"]["focusgebied"].nunique() == 8
    assert "Wijkbedrijven, wijkgildes en wijkacademie" in set(t["interventie"])
    sc = common.interventietabel("sociale_cohesie")
    assert sc["focusgebied"].nunique() == 7
    assert set(sc[sc["fase_2"] == "x"]["focusgebied"]) == {"leeuwarden-oost", "schiedam-nieuwland-oost"}
    arm = common.interventietabel("armoede_schulden", "schiedam-nieuwland-oost")
    assert list(arm["fase_2"]) == ["deels"]
    jk = common.interventietabel("jonge_kind", "breda-noord")
    assert list(jk[["fase_1", "fase_2"]].iloc[0]) == ["", "x"]
    vk = common.load_interventies("veerkracht")
    assert set(vk["type"]) <= {"bereik_jongeren", "online_weerbaarheid", "positieve_identiteit",
                               "vroegsignalering", "sociale_cohesie_buurt"}
    assert "vlaardingen-westwijk" in set(vk["focusgebied"])  # "Vlaarding Westwijk" resolved
    assert "zaandam-oost" in set(common.load_interventies("jonge_kind")["focusgebied"])  # Zaanstad


def test_interventietabel_area_without_interventions_is_empty():
    assert common.interventietabel("veerkracht", "breda-noord").empty


def test_interventietabel_names():
    t = common.interventietabel("veerkracht", "rotterdam-zuid", namen=True)
    assert t["focusgebied"].iloc[0] == "Rotterdam Zuid"


def _reg(tmp_path, entry: str):
    p = tmp_path / "i.yml"
    p.write_text("themas:\n  veerkracht:\n    types: {a: A}\n    interventies:\n" + entry,
                 encoding="utf-8")
    return p


@pytest.mark.parametrize("entry,msg", [
    ("      - {focusgebied: Atlantis, interventie: X, type: a, fase_1: x}\n", "onbekend focusgebied 'Atlantis'"),
    ("      - {focusgebied: Lelystad, interventie: X, type: b, fase_1: x}\n", "type 'b'"),
    ("      - {focusgebied: Lelystad, interventie: X, type: a, fase_1: ja}\n", "fasewaarde 'ja'"),
    ("      - {focusgebied: Lelystad, type: a, fase_1: x}\n", "'interventie' ontbreekt"),
    ("      - {focusgebied: Lelystad, interventie: A, B en C, type: a}\n", "onbekende sleutel"),
])
def test_register_validation(tmp_path, entry, msg):
    with pytest.raises(RegistryError, match="interventie 1") as exc:
        common.load_interventies("veerkracht", _reg(tmp_path, entry))
    assert msg in str(exc.value)


def test_unknown_theme():
    with pytest.raises(KeyError):
        common.interventietabel("school")


MD = """# Titel (genegeerd)

## Onderzoeksvraag
Hoe werkt het?

## Ervaren effecten
Effecten.

## Werkzame elementen
- een
- twee

## Knelpunten
Knel.

## Aanbevelingen
1. Doe.
"""


def test_lees_tekst(tmp_path):
    (tmp_path / "thema_veerkracht.md").write_text(MD, encoding="utf-8")
    t = common.load_tekst("veerkracht", base=tmp_path)
    assert t["Werkzame elementen"] == "- een\n- twee"
    assert t["Onderzoeksvraag"] == "Hoe werkt het?"
    assert list(t)[0] == "Onderzoeksvraag"


def test_lees_tekst_errors(tmp_path):
    with pytest.raises(InputError, match="tekstbestand ontbreekt"):
        common.load_tekst("veerkracht", base=tmp_path)
    p = tmp_path / "thema_veerkracht.md"
    p.write_text(MD.replace("## Knelpunten\nKnel.\n", ""), encoding="utf-8")
    with pytest.raises(InputError, match="'## Knelpunten' ontbreekt"):
        common.load_tekst("veerkracht", base=tmp_path)
    p.write_text(MD.replace("Knel.", ""), encoding="utf-8")
    with pytest.raises(InputError, match="is leeg") as exc:
        common.load_tekst("veerkracht", base=tmp_path)
    assert exc.value.line == 13


@pytest.mark.parametrize("thema", [*common.THEMAS, "samenhang"])
def test_committed_texts_have_all_sections(thema):
    p = common.tekst_pad(thema)
    if not p.exists():
        pytest.skip(f"{p.name} is written by another engineer")
    teksten = common.load_tekst(thema)
    assert all(teksten[s] for s in common.SECTIES)


def test_onderdruk_aantallen_primary_only_per_row():
    t = pd.DataFrame({"code": ["a", "b", "c"], "respondenten": [3, 12, 0], "segmenten": [4, 20, 0]})
    out = common.suppress_aantallen(t, "respondenten", verberg_n=True, min_n=10)
    assert pd.isna(out.loc[0, "segmenten"]) and pd.isna(out.loc[0, "respondenten"])
    assert out.loc[1, "segmenten"] == 20 and out.loc[1, "respondenten"] == 12
    assert list(out["onderdrukt"]) == ["primair", "", "leeg"]


def test_onderdruk_aantallen_secondary_within_partition():
    t = pd.DataFrame({"groep": ["alle", "x", "y", "z"], "n": [40, 5, 15, 20], "pct": [50.0, 40.0, 60.0, 45.0]})
    out = common.suppress_aantallen(t, "n", groep_kolom="groep")
    status = dict(zip(out["groep"], out["onderdrukt"], strict=False))
    assert status == {"alle": "", "x": "primair", "y": "secundair", "z": ""}


def test_geen_gegevens_message():
    md = common.geen_gegevens("breda-noord")
    assert common.GEEN_GEGEVENS in md.data and "Breda Noord" in md.data
