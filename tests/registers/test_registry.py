"""Area registry: the real registry loads and matches the real region codes; bad registries fail
with a clear message; every spelling in the sources resolves."""

from __future__ import annotations

import textwrap

import pandas as pd
import pytest

from helpers.core.errors import RegistryError
from helpers.registers import focusgebieden as registry

IDS = [
    "amsterdam-nieuw-west", "amsterdam-zuidoost", "arnhem-oost", "breda-noord", "delft-west",
    "den-haag-zuidwest", "dordrecht-west", "eindhoven-woensel-zuid", "groningen-noord",
    "heerlen-noord", "leeuwarden-oost", "lelystad", "nieuwegein-centrale-as", "roosendaal",
    "rotterdam-zuid", "schiedam-nieuwland-oost", "tilburg-noordwest", "utrecht-overvecht",
    "vlaardingen-westwijk", "zaandam-oost",
]  # fmt: skip


# ------------------------------------------------------------------------------------------
# Region table from the real files


def _real_regions(real_file) -> pd.DataFrame:
    """Region codes per indeling year of the real files, as the project's readers produce them."""
    from helpers.ingest.build import read_file

    keys = ("lbm_wijk", "kwb2024_statline", "kwb2019_odata", "kwb2023_xlsx")
    frames = [read_file(real_file(k)).tables["regions"] for k in keys]
    regions = pd.concat(frames, ignore_index=True)
    return regions[["code", "soort", "indelingsjaar"]].drop_duplicates(["code", "indelingsjaar"])


@pytest.fixture(scope="module")
def real_regions(real_file):
    return _real_regions(real_file)


def test_real_registry_loads_with_the_20_ids():
    areas = registry.load_focusgebieden()
    assert [a.id for a in areas] == IDS
    assert registry.focusgebied_ids() == IDS
    for a in areas:
        assert 2022 in a.wijken and 2024 in a.wijken, a.id
        assert a.toelichting, a.id
    ams = [a for a in areas if a.gemeente == "GM0363"]
    assert {2019, 2022, 2023, 2024} <= set(ams[0].wijken)
    assert 2023 in registry.load_focusgebied("utrecht-overvecht").wijken


def test_real_registry_matches_real_regions(real_regions):
    areas = registry.load_focusgebieden()
    registry.validate_against_regions(areas, real_regions)  # raises if any code is absent
    # the checks are not vacuous: every area was checked for 2022 and 2024
    for a in areas:
        for jaar in (2022, 2024):
            have = set(real_regions.loc[real_regions.indelingsjaar == jaar, "code"])
            assert set(a.wijken[jaar]) <= have


def test_amsterdam_codes_differ_between_indelingen(real_regions):
    nw = registry.load_focusgebied("amsterdam-nieuw-west")
    assert nw.wijken[2019] == nw.wijken[2022]
    assert not set(nw.wijken[2022]) & set(nw.wijken[2024])
    lbm22 = set(real_regions.query("indelingsjaar == 2022").code)
    kwb24 = set(real_regions.query("indelingsjaar == 2024").code)
    assert set(nw.wijken[2022]) <= lbm22 and not set(nw.wijken[2022]) & kwb24


def test_den_haag_bouwlust_is_stated_unchanged():
    g = registry.load_focusgebied("den-haag-zuidwest")
    assert g.ongewijzigd == ("WK051833",)
    assert registry.load_focusgebied("breda-noord").ongewijzigd == ()


def test_schiedam_avoids_the_reused_code():
    s = registry.load_focusgebied("schiedam-nieuwland-oost")
    assert "WK060605" not in s.wijken[2022] + s.wijken[2024]
    assert "WK060605" in s.toelichting


def test_missing_code_is_one_error_listing_area_year_and_codes(real_regions):
    areas = registry.load_focusgebieden()
    broken = real_regions[~real_regions.code.isin(["WK034403", "WK059912"])]
    with pytest.raises(RegistryError) as exc:
        registry.validate_against_regions(areas, broken)
    msg = str(exc.value)
    assert "utrecht-overvecht (Utrecht Overvecht), indelingsjaar 2022: wijkcode(s) WK034403" in msg
    assert "utrecht-overvecht (Utrecht Overvecht), indelingsjaar 2024" in msg
    assert "rotterdam-zuid (Rotterdam Zuid), indelingsjaar 2022: wijkcode(s) WK059912" in msg
    assert msg.count("\n- ") >= 4


def test_years_the_data_do_not_cover_are_not_checked():
    areas = registry.load_focusgebieden()
    # only Utrecht 2024 present: no other area or year is checked
    regions = pd.DataFrame(
        {
            "code": ["GM0344", "WK034403"],
            "soort": ["gemeente", "wijk"],
            "indelingsjaar": [2024, 2024],
        }
    )
    registry.validate_against_regions(areas, regions)
    with pytest.raises(RegistryError, match="utrecht-overvecht .*indelingsjaar 2024"):
        registry.validate_against_regions(areas, regions.iloc[:1])


def test_regions_without_required_column():
    with pytest.raises(RegistryError, match="regiotabel mist kolom"):
        registry.validate_against_regions([], pd.DataFrame({"code": []}))


# ------------------------------------------------------------------------------------------
# Bad registries

GOOD = """
- id: utrecht-overvecht
  naam: Utrecht Overvecht
  aliassen: [Overvecht]
  gemeente: GM0344
  wijken:
    2022: [WK034403]
    2024: [WK034403]
  buurten: {}
  toelichting: test
- id: breda-noord
  naam: Breda Noord
  gemeente: GM0758
  wijken:
    2022: [WK075801]
"""


def _write(tmp_path, text):
    p = tmp_path / "focusgebieden.yml"
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def test_good_small_registry(tmp_path):
    p = _write(tmp_path, GOOD)
    areas = registry.load_focusgebieden(p)
    assert [a.id for a in areas] == ["utrecht-overvecht", "breda-noord"]
    assert areas[1].aliassen == () and areas[1].buurten == {}
    assert registry.codes(areas[1], 2022) == ("WK075801",)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("id: breda-noord", "id: utrecht-overvecht"), "dubbele id 'utrecht-overvecht'"),
        (("id: breda-noord", "id: Breda_Noord"), "focusgebied 'Breda_Noord': ongeldige id"),
        (
            ("2022: [WK075801]", "2022: [WK75801]"),
            "focusgebied 'breda-noord': ongeldige wijkcode 'WK75801' in 2022 (verwacht: WK + 4",
        ),
        (
            ("2022: [WK075801]", "2022: [WK034401]"),
            "focusgebied 'breda-noord': wijkcode WK034401 in 2022 hoort niet bij gemeente GM0758",
        ),
        (
            ("gemeente: GM0758", "gemeente: 758"),
            "focusgebied 'breda-noord': ongeldige gemeentecode",
        ),
        (
            ("2022: [WK075801]", "'2022': [WK075801]"),
            "focusgebied 'breda-noord': indelingsjaar '2022' onder 'wijken' is geen jaartal",
        ),
        (
            ("naam: Breda Noord", "naam: Overvecht"),
            "focusgebied 'breda-noord': naam of alias 'Overvecht' is niet uniek "
            "(ook focusgebied 'utrecht-overvecht'",
        ),
        (
            ("naam: Breda Noord", "nam: Breda Noord"),
            "focusgebied 'breda-noord': ontbrekende sleutel(s) naam",
        ),
        (
            ("2022: [WK075801]", "2022: [WK075801, WK075801]"),
            "focusgebied 'breda-noord': dubbele wijkcode(s) in 2022: WK075801",
        ),
        (
            ("buurten: {}", "buurten: {2024: [BU03440301, BU0344030]}"),
            "focusgebied 'utrecht-overvecht': ongeldige buurtcode 'BU0344030' in 2024",
        ),
        (
            ("toelichting: test", "toelichting: test\n  ongewijzigd: [WK034499]"),
            "focusgebied 'utrecht-overvecht': 'ongewijzigd' noemt code(s) WK034499 die niet",
        ),
    ],
)
def test_bad_registry_messages(tmp_path, change, message):
    old, new = change
    assert old in GOOD
    p = _write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(RegistryError) as exc:
        registry.load_focusgebieden(p)
    assert message in str(exc.value)
    assert str(p) in str(exc.value)


def test_alias_clash_after_normalisation(tmp_path):
    text = GOOD.replace("naam: Breda Noord", "naam: Breda Noord\n  aliassen: [over-VECHT]")
    with pytest.raises(RegistryError, match="'over-VECHT' is niet uniek"):
        registry.load_focusgebieden(_write(tmp_path, text))


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(RegistryError, match="bestaat niet"):
        registry.load_focusgebieden(tmp_path / "nope.yml")
    with pytest.raises(RegistryError, match="YAML-syntaxfout"):
        registry.load_focusgebieden(_write(tmp_path, "- id: [unclosed\n"))
    with pytest.raises(RegistryError, match="niet-lege lijst"):
        registry.load_focusgebieden(_write(tmp_path, "{}\n"))


def test_alphanumeric_amsterdam_codes_are_valid(tmp_path):
    text = GOOD.replace("GM0344", "GM0363").replace("WK034403", "WK0363TB")
    areas = registry.load_focusgebieden(_write(tmp_path, text))
    assert areas[0].wijken[2024] == ("WK0363TB",)


def test_cache_follows_file_changes(tmp_path):
    p = _write(tmp_path, GOOD)
    assert len(registry.load_focusgebieden(p)) == 2
    p.write_text(textwrap.dedent(GOOD).split("- id: breda-noord")[0] + "\n", encoding="utf-8")
    assert len(registry.load_focusgebieden(p)) == 1


# ------------------------------------------------------------------------------------------
# Names and codes


@pytest.mark.parametrize(
    ("naam", "gid"),
    [
        # questionnaire (procesevaluatie)
        ("Lelystad Oost", "lelystad"),
        ("Roosendaal-stad", "roosendaal"),
        ("Vlaardingen West", "vlaardingen-westwijk"),
        ("Nieuwegein Centrale-As", "nieuwegein-centrale-as"),
        ("Schiedam Nieuwland-Oost", "schiedam-nieuwland-oost"),
        ("Eindhoven Woensel-Zuid", "eindhoven-woensel-zuid"),
        ("Groningen Noord", "groningen-noord"),
        ("Tilburg Noordwest", "tilburg-noordwest"),
        ("Den Haag Zuidwest", "den-haag-zuidwest"),
        ("Amsterdam Nieuw-West", "amsterdam-nieuw-west"),
        ("Amsterdam Zuidoost", "amsterdam-zuidoost"),
        ("Arnhem Oost", "arnhem-oost"),
        ("Breda Noord", "breda-noord"),
        ("Delft West", "delft-west"),
        ("Dordrecht West", "dordrecht-west"),
        ("Heerlen Noord", "heerlen-noord"),
        ("Leeuwarden Oost", "leeuwarden-oost"),
        ("Rotterdam Zuid", "rotterdam-zuid"),
        ("Utrecht Overvecht", "utrecht-overvecht"),
        ("Zaandam Oost", "zaandam-oost"),
        # publication
        ("Zaanstad", "zaandam-oost"),
        ("Roosendaal Ring", "roosendaal"),
        ("Vlaarding Westwijk", "vlaardingen-westwijk"),
        ("Vlaardingen Westwijk", "vlaardingen-westwijk"),
        ("Den Haag Zuid-west", "den-haag-zuidwest"),
        ("Den Haag Zuid-West", "den-haag-zuidwest"),
        ("Tilburg NoordWest", "tilburg-noordwest"),
        ("Schiedam Nieuwland en Oost", "schiedam-nieuwland-oost"),
        ("Nieuwegein Centrale As", "nieuwegein-centrale-as"),
        ("Groningen-Noord", "groningen-noord"),
        ("Heerlen-Noord", "heerlen-noord"),
        ("Rotterdam-Zuid", "rotterdam-zuid"),
        ("Zaandam-Oost", "zaandam-oost"),
        ("Breda-Noord", "breda-noord"),
        ("Arnhem-Oost", "arnhem-oost"),
        ("Delft-West", "delft-west"),
        # short forms, ids, case and diacritics
        ("Woensel-Zuid", "eindhoven-woensel-zuid"),
        ("Nieuw-West", "amsterdam-nieuw-west"),
        ("Zuidoost", "amsterdam-zuidoost"),
        ("Overvecht", "utrecht-overvecht"),
        ("utrecht-overvecht", "utrecht-overvecht"),
        ("  UTRECHT overvécht ", "utrecht-overvecht"),
        ("lelystad", "lelystad"),
    ],
)
def test_resolve_all_source_spellings(naam, gid):
    assert registry.resolve_gebied(naam) == gid
    assert registry.load_focusgebied(naam).id == gid


def test_unknown_name_lists_close_matches():
    with pytest.raises(RegistryError) as exc:
        registry.resolve_gebied("Utrecht Overvech")
    msg = str(exc.value)
    assert isinstance(exc.value, LookupError)
    assert "onbekend focusgebied 'Utrecht Overvech'" in msg
    assert "bedoelde u: Utrecht Overvecht (utrecht-overvecht)" in msg
    with pytest.raises(RegistryError, match="onbekend focusgebied ''"):
        registry.resolve_gebied("")


def test_codes_and_fallback_years():
    zo = registry.load_focusgebied("amsterdam-zuidoost")
    assert registry.codes(zo, 2024) == zo.wijken[2024]
    assert registry.codes("amsterdam-zuidoost", 2020) == zo.wijken[2019]
    assert registry.indelingsjaar(zo, 2021) == 2019
    assert registry.indelingsjaar(zo, 2023) == 2023
    assert registry.indelingsjaar("lelystad", 2019) == 2022  # earliest listed
    assert registry.indelingsjaar("lelystad", 2030) == 2024
    assert registry.codes("utrecht-overvecht", 2024) == ("WK034403",)
    assert registry.codes("utrecht-overvecht", 2024, niveau="buurt") == ()
    assert registry.indelingsjaar("utrecht-overvecht", 2024, niveau="buurt") is None
    with pytest.raises(ValueError):
        registry.codes("utrecht-overvecht", 2024, niveau="stad")


def test_normaliseer():
    assert registry.normalise("Den Haag Zuid-west") == "denhaagzuidwest"
    assert registry.normalise("Nijlân & De Zwette") == "nijlandezwette"


def test_indicator_list_in_the_researchers_guide_is_generated_from_the_registry(tmp_path):
    """docs/verkennen.md lists every registered indicator exactly as the registry says
    (regenerate with 'make docs'); the generator replaces only the marked section."""
    from helpers.core import config
    from helpers.registers.indicatoren import (
        DOC_BEGIN,
        DOC_END,
        build_indicator_table,
        load_indicatoren,
        write_indicator_docs,
    )

    gids = (config.DOCS / "verkennen.md").read_text(encoding="utf-8")
    sectie = gids.split(DOC_BEGIN, 1)[1].split(DOC_END, 1)[0].strip()
    assert sectie == build_indicator_table(), "docs/verkennen.md: voer 'make docs' uit"
    for ind in load_indicatoren():
        assert f"| `{ind.id}` | {ind.label} |" in sectie
    kopie = tmp_path / "gids.md"
    kopie.write_text(f"kop\n{DOC_BEGIN}\nVEROUDERD\n{DOC_END}\nstaart\n", encoding="utf-8")
    assert write_indicator_docs(kopie) is True and write_indicator_docs(kopie) is False
    tekst = kopie.read_text(encoding="utf-8")
    assert tekst.startswith("kop\n") and tekst.endswith("staart\n") and "VEROUDERD" not in tekst
