"""Publication sources: chapters and factsheet sections for parts without data in this edition."""

from __future__ import annotations

import json

from helpers.publish import content
from helpers.publish.build import build_bronnen
from helpers.runner.absent import write_geen_gegevens
from publish_fixtures import GEBIEDEN, make_bronnen, make_runs

PROCES = "Procesevaluatie: de samenwerking in de focusgebieden"
SAMENHANG = "Effectiviteit en samenhang"


def _bevinding(bestand: str) -> str:
    """Eight plain words from a chapter's researcher text (shown verbatim when it is shown)."""
    import re

    tekst = content.load_tekst(bestand)
    m = re.search(r"(?<![\w{*_\\])(?:[A-Za-z]+ ){7}[A-Za-z]+(?![\w}])", tekst.replace("\n", " "))
    assert m, bestand
    return m.group(0)


PROCES_BEVINDING = _bevinding("publicatie_procesevaluatie.md")
SAMENHANG_BEVINDING = _bevinding("publicatie_samenhang.md")


def _build(tmp_path, runs):
    cfg = content.load_config()
    processed = make_bronnen(tmp_path, demo=False)
    bronnen = json.loads((processed / "bronnen.json").read_text(encoding="utf-8"))
    resultaten = content.load_resultaten(runs, content.benodigde_notebooks(cfg))
    bouw = build_bronnen(
        cfg=cfg,
        resultaten=resultaten,
        build=tmp_path / "_gegenereerd",
        gebieden=list(GEBIEDEN),
        bronnen=bronnen,
    )
    return {stam: pad.read_text(encoding="utf-8") for stam, pad in bouw.documenten.items()}


def _hoofdstuk(qmd: str, titel: str) -> str:
    deel = qmd.replace("\\", "").split(f"\n## {titel}\n", 1)[1]
    return deel.split("\n## ", 1)[0]


def _plat(tekst: str) -> str:
    return " ".join(tekst.replace("\\", "").split())


def test_chapter_without_data_says_so_and_drops_the_researcher_text(tmp_path):
    runs = make_runs(tmp_path, demo=False)
    write_geen_gegevens(
        runs / "alle" / "20_procesevaluatie",
        "alle",
        "20_procesevaluatie",
        "Procesevaluatie",
        ["sprockler"],
        demo=False,
    )
    write_geen_gegevens(
        runs / "alle" / "40_samenhang",
        "alle",
        "40_samenhang",
        "Effecten en samenhang tussen de thema's",
        ["gecodeerde_segmenten"],
        demo=False,
    )
    qmd = _build(tmp_path, runs)["publiekssamenvatting"]
    proces = _plat(_hoofdstuk(qmd, PROCES))
    assert proces.startswith(
        "**Geen gegevens in deze editie.** Deze editie bevat geen "
        "gegevens voor dit onderdeel. Ontbrekende bron: de vragenlijst "
        "van de procesevaluatie (Sprockler)."
    )
    assert _plat(PROCES_BEVINDING) not in proces
    assert "Tabel" not in proces and "Verhalen" not in proces
    samen = _plat(_hoofdstuk(qmd, SAMENHANG))
    assert samen.startswith("**Geen gegevens in deze editie.** Deze editie bevat geen gegevens "
                            "voor dit onderdeel. Ontbrekende bron: de gecodeerde interviews")
    assert SAMENHANG_BEVINDING not in samen and "Tabel" not in samen and "###" not in samen


def test_partly_without_data_shows_only_the_generated_blocks():
    from helpers.publish.build import build_geen_gegevens_secties
    from helpers.publish.content import Resultaat

    r = Resultaat("alle", "40_samenhang", None, {"status": "geen gegevens", "titel": "Samenhang",
                                                "ontbrekende_bronnen": ["de interviews"]})
    secties = [{"kop": "Ervaren effecten", "tekst": "Bevinding van de onderzoekers.",
                "blokken": ["![Figuur 1. X](x.png)"]},
               {"kop": "Wat werkt", "tekst": "Nog een bevinding.", "blokken": []}]
    uit = build_geen_gegevens_secties([r], secties, ["40_samenhang", "10_indicatorbasis"])
    assert len(uit) == 1 and uit[0]["blokken"] == ["![Figuur 1. X](x.png)"]
    assert _plat(uit[0]["tekst"]).startswith("**Voor een deel van dit hoofdstuk heeft deze editie geen "
                                      "gegevens** (Samenhang). Ontbrekende bron: de interviews.")
    alles = build_geen_gegevens_secties([r], secties, ["40_samenhang"])
    assert alles[0]["blokken"] == [] and "Bevinding" not in alles[0]["tekst"]


def test_factsheet_section_without_data_says_so(tmp_path):
    runs = make_runs(tmp_path, demo=False)
    write_geen_gegevens(
        runs / "alle" / "10_indicatorbasis",
        "alle",
        "10_indicatorbasis",
        "Indicatorbasis",
        ["kwb", "leefbaarometer"],
        demo=False,
    )
    fs = _plat(_build(tmp_path, runs)["factsheet-utrecht-overvecht"])
    kern = fs.split("## Kerncijfers", 1)[1].split("## Aanpakken", 1)[0]
    assert kern.strip().startswith(
        "**Geen gegevens in deze editie.** Deze editie bevat geen "
        "gegevens voor dit onderdeel. Ontbrekende bronnen: de CBS "
        "Kerncijfers wijken en buurten; de Leefbaarometer."
    )
    assert "Tabel" not in kern


def test_chapters_with_data_keep_their_text(tmp_path):
    qmd = _build(tmp_path, make_runs(tmp_path, demo=False))["publiekssamenvatting"]
    assert "Geen gegevens in deze editie" not in qmd
    assert SAMENHANG_BEVINDING in _plat(qmd)


def _zonder_gegevens(runs, notebook, titel, tabellen):
    """What the runner does for a run whose sources are absent: output and manifest entry."""
    from helpers.runner import manifest as mf

    write_geen_gegevens(runs / "alle" / notebook, "alle", notebook, titel, tabellen, demo=False)
    data = mf.load_manifest(runs)
    entry = data["runs"][f"alle/{notebook}"]
    entry["status"] = "geen gegevens"
    entry["bestanden"] = mf.output_hashes(runs, entry)
    mf.save_manifest(data, runs)


def test_render_edition_without_survey_and_interviews_as_a_reader_sees_it(tmp_path):
    """The integrity check accepts runs recorded as 'geen gegevens'; the reader gets a plain
    statement and none of the researchers' findings for those chapters."""
    import html as html_mod
    import re

    from helpers.publish import render
    from publish_fixtures import render_kwargs

    runs = make_runs(tmp_path, demo=False)
    _zonder_gegevens(runs, "20_procesevaluatie", "Procesevaluatie", ["sprockler"])
    _zonder_gegevens(runs, "40_samenhang", "Effecten en samenhang tussen de thema's",
                     ["gecodeerde_segmenten"])
    res = render(**render_kwargs(tmp_path, runs, make_bronnen(tmp_path, demo=False)))
    pagina = (res.output / "publiekssamenvatting.html").read_text(encoding="utf-8")
    tekst = " ".join(html_mod.unescape(re.sub(r"<[^>]+>", " ", pagina)).split())
    assert ("Geen gegevens in deze editie. Deze editie bevat geen gegevens voor dit onderdeel. "
            "Ontbrekende bron: de vragenlijst van de procesevaluatie (Sprockler).") in tekst
    assert SAMENHANG_BEVINDING not in tekst
    assert _plat(PROCES_BEVINDING) not in tekst
    assert "Verhalen van deelnemers" not in tekst
    assert "status geen gegevens" in tekst  # colofon: what ran, with its status
    assert not [w for w in res.waarschuwingen if "procesevaluatie" in w]  # no "cijfers ontbreken"


def test_a_long_table_is_named_in_the_annex_by_its_download_title(tmp_path):
    """A table over ``max_rijen_tabel`` rows is in the downloads only; the annex names that
    download by the title the list of downloads shows, not by a file or a table number."""
    import re

    cfg = {**content.load_config(), "max_rijen_tabel": 1}
    runs = make_runs(tmp_path, demo=False)
    resultaten = content.load_resultaten(runs, content.benodigde_notebooks(cfg))
    bouw = build_bronnen(cfg=cfg, resultaten=resultaten, build=tmp_path / "_gegenereerd",
                         gebieden=list(GEBIEDEN), bronnen={})
    qmd = bouw.documenten["publiekssamenvatting"].read_text(encoding="utf-8")
    bijlage = qmd.split("\n## Bijlage: tabellen", 1)[1].split("\n### Downloads", 1)[0]
    verwijzingen = re.findall(r"alleen in de downloads, onder de titel '([^']+)': \[([^\]]+) "
                              r"\(CSV\)\]\((downloads/[^)]+)\)", bijlage)
    assert verwijzingen
    downloads = qmd.split("\n### Downloads", 1)[1]
    for titel, link_tekst, pad in verwijzingen:
        assert titel == link_tekst
        assert f"- [{titel} (CSV)]({pad})" in downloads
