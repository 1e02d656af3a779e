"""Cross-theme chapter: meervoudige effecten, recurring werkzame elementen, and the slow
notebook test of the three notebooks of this engineer (33, 35, 40)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.core import config
from helpers.ingest.readers import segmenten
from helpers.studies.themes import samenhang

KOP = "bron,respondent_of_sessie,focusgebied,segment,codes,toestemming,vrijgegeven,thema,interventie\n"


@pytest.fixture
def segs(tmp_path):
    rows = [
        # Wijkbaan in Heerlen: effects on own domain (not counted) + cohesie (2x) + leefbaarheid
        'interview,a1,Heerlen-Noord,F1,"effect_domein/reintegratie;effect_domein/sociale_cohesie",ja,ja,reintegratie,Bovengrondse Vakschool',
        'interview,a2,Heerlen-Noord,F2,"effect_domein/sociale_cohesie;effect_domein/leefbaarheid;werkzame_elementen/vertrouwen_nabijheid",ja,ja,reintegratie,Bovengrondse Vakschool',
        # sleutelpersonen Tilburg: cohesie
        'interview,b1,Tilburg NoordWest,F3,"effect_domein/sociale_cohesie;werkzame_elementen/vertrouwen_nabijheid;werkzame_elementen/informele_netwerken",ja,ja,armoede_schulden,Breed netwerk van sleutelpersonen met outreachend werk',
        # no intervention recorded
        'interview,c1,Leeuwarden Oost,F4,"effect_domein/reintegratie;werkzame_elementen/kracht_bewoners",ja,ja,sociale_cohesie,',
        # jonge kind: element shared with two other themes
        'interview,d1,Nieuwegein Centrale As,F5,werkzame_elementen/vertrouwen_nabijheid,ja,ja,jonge_kind,Centrale regie op toeleiding en praktische hulp bij aanmelding',
        # process evaluation segment (no theme): ignored
        'verhaal,p1,Lelystad,F6,"gedeelde_ambitie;effect_domein/leefbaarheid",ja,ja,,',
    ]
    p = tmp_path / "s.csv"
    p.write_text(KOP + "\n".join(rows) + "\n", encoding="utf-8")
    return segmenten.read_segments(p)


def test_meervoudige_effecten_hand_computed(segs):
    e = samenhang.meervoudige_effecten(segs)
    got = {(r.thema, r.interventie, r.effect_domein): (r.segmenten, r.respondenten)
           for r in e.itertuples()}
    assert got == {
        ("reintegratie", "Bovengrondse Vakschool", "effect_domein/sociale_cohesie"): (2, 2),
        ("reintegratie", "Bovengrondse Vakschool", "effect_domein/leefbaarheid"): (1, 1),
        ("armoede_schulden", "Breed netwerk van sleutelpersonen met outreachend werk",
         "effect_domein/sociale_cohesie"): (1, 1),
        ("sociale_cohesie", samenhang.ONBEKENDE_INTERVENTIE, "effect_domein/reintegratie"): (1, 1),
    }
    types = dict(zip(e["interventie"], e["type"], strict=False))
    assert types["Breed netwerk van sleutelpersonen met outreachend werk"] == "Sleutelpersonen"
    assert types["Bovengrondse Vakschool"] == "Groepsaanpak"   # first registered type
    assert samenhang.meervoudige_effecten(segs, "heerlen-noord")["segmenten"].sum() == 3
    assert samenhang.meervoudige_effecten(segs, "breda-noord").empty
    assert samenhang.meervoudige_effecten(None).empty


def test_published_meervoudige_effecten_show_no_small_person_counts(tmp_path, segs):
    """Issue 13: 40_samenhang-meervoudige_effecten showed 1-9 respondents per cell. The
    published table shows '< 10' for persons; the fragments (no persons) stay."""
    import pandas as pd

    from helpers.kit.output import Uitvoer

    uit = Uitvoer("alle", "40_samenhang", base=tmp_path / "runs")
    samenhang.show_meervoudige_effecten(uit, segs, "alle")
    t = pd.read_csv(uit.map / "meervoudige_effecten.csv")
    assert set(t["respondenten"].astype(str)) == {"< 10"}
    assert t["segmenten"].sum() == 5


def test_effectmatrix(segs):
    e = samenhang.meervoudige_effecten(segs)
    m = samenhang.effectmatrix(e)
    rij = "Bovengrondse Vakschool (Heerlen Noord) — Re-integratie"
    assert m.loc[rij, "Sociale cohesie"] == 2 and m.loc[rij, "Leefbaarheid en veiligheid"] == 1
    assert list(m.columns) == ["Werk en re-integratie", "Sociale cohesie", "Leefbaarheid en veiligheid"]
    t = samenhang.effectmatrix(e, per="type")
    assert t.loc["Sleutelpersonen — Preventie armoede en schulden", "Sociale cohesie"] == 1


def test_elementen_over_themas(segs):
    m = samenhang.elementen_over_themas(segs)
    vn = m.loc["werkzame_elementen/vertrouwen_nabijheid"]
    assert vn["aantal_themas"] == 3
    assert (vn["reintegratie"], vn["armoede_schulden"], vn["jonge_kind"]) == (1, 1, 1)
    assert m.index[0] == "werkzame_elementen/vertrouwen_nabijheid"
    assert m.loc["werkzame_elementen/kracht_bewoners", "aantal_themas"] == 1


def test_steps_area_without_data(tmp_path, monkeypatch, segs):
    """Every step of notebooks 33/35/40 returns one 'geen gegevens' message for an area without
    data instead of failing, publishes no figure, and displays nothing itself (the notebook
    shows what the step returns, once)."""
    import matplotlib

    matplotlib.use("Agg")
    from helpers.kit.display import Weergave
    from helpers.kit.output import Uitvoer
    from helpers.studies.themes import cohesie, common, veerkracht

    getoond: list = []
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: getoond.extend(objs))
    uit = Uitvoer("breda-noord", "33_veerkracht", base=tmp_path / "runs")
    g = "breda-noord"
    s = common.thema_segmenten(segs, "veerkracht", g)
    stappen = [
        common.show_interventies(uit, "veerkracht", g),
        veerkracht.show_categorieen(uit, g),
        common.show_aantallen_segmenten(uit, s, g),
        common.show_codefrequenties(uit, s, "werkzame_elementen", g, "veerkracht"),
        veerkracht.show_elementen_per_categorie(uit, s, g),
        cohesie.show_initiatieven(uit, g, tmp_path),
        cohesie.show_initiatief_themas(uit, g, tmp_path),
        cohesie.show_likert(uit, g, tmp_path),
        samenhang.show_meervoudige_effecten(uit, segs, g),
        samenhang.show_elementen_over_themas(uit, segs, g),
        samenhang.show_elementen_en_effecten(uit, segs, g),
    ]
    assert getoond == []
    assert all(isinstance(w, Weergave) and len(w.delen) == 1 for w in stappen)
    assert all(common.GEEN_GEGEVENS in w.data for w in stappen), [w.data for w in stappen]
    assert not uit.figuren and not uit.tabellen
    lbm = cohesie.show_lbm_soc(uit, g, tmp_path)
    assert lbm.gegevens is None and "indicatorbasis" in lbm.data
    assert getoond == []


def test_elementen_en_effecten(tmp_path):
    rows = [
        'interview,a1,Lelystad,F1,"werkzame_elementen/laagdrempelig;ervaren_effecten/bereik_zicht",ja,ja,armoede_schulden,',
        'interview,a2,Lelystad,F2,"werkzame_elementen/laagdrempelig;ervaren_effecten/bereik_zicht;ervaren_effecten/participatie",ja,ja,reintegratie,',
        'interview,a3,Lelystad,F3,"werkzame_elementen/bondgenoten",ja,ja,sociale_cohesie,',
        'verhaal,p1,Lelystad,F4,"werkzame_elementen/laagdrempelig;ervaren_effecten/bereik_zicht",ja,ja,,',
    ]
    p = tmp_path / "e.csv"
    p.write_text(KOP + "\n".join(rows) + "\n", encoding="utf-8")
    m = samenhang.elementen_en_effecten(segmenten.read_segments(p))
    assert m.loc["werkzame_elementen/laagdrempelig", "ervaren_effecten/bereik_zicht"] == 2  # not the story
    assert m.loc["werkzame_elementen/laagdrempelig", "ervaren_effecten/participatie"] == 1
    assert "werkzame_elementen/bondgenoten" not in m.index        # no effect coded with it
    assert samenhang.elementen_en_effecten(None).empty


NOTEBOOKS = ("33_veerkracht", "35_sociale_cohesie", "40_samenhang")


@pytest.mark.slow
def test_notebooks_run_for_alle_and_areas(tmp_path):
    """Demo data -> ingest -> the three notebooks with papermill for 'alle' and one area.
    (An area without data is covered quickly by test_steps_area_without_data.)"""
    import papermill as pm

    env = {"WIJKMONITOR_RAW": str(tmp_path / "raw"),
           "WIJKMONITOR_PROCESSED": str(tmp_path / "processed"),
           "WIJKMONITOR_REPORTS": str(tmp_path / "reports")}
    code = ("import sys\nfrom pathlib import Path\nfrom helpers.demodata import coding, themes_a\n"
            "from helpers.ingest.build import run_ingest\nraw = Path(sys.argv[1]); raw.mkdir(parents=True)\n"
            "coding.generate(raw, 2025); themes_a.generate(raw, 2025)\n"
            "run_ingest(raw, Path(sys.argv[2]))\n")
    subprocess.run([sys.executable, "-c", code, env["WIJKMONITOR_RAW"], env["WIJKMONITOR_PROCESSED"]],
                   check=True, env={**os.environ, **env})
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        for nb in NOTEBOOKS:
            for gebied in ("alle", "leeuwarden-oost"):
                out = tmp_path / f"{nb}-{gebied}.ipynb"
                pm.execute_notebook(str(config.NOTEBOOKS / f"{nb}.ipynb"), str(out),
                                    parameters={"focusgebied": gebied}, kernel_name="python3",
                                    cwd=str(config.NOTEBOOKS), progress_bar=False)
                uitvoer = json.loads((tmp_path / "reports" / "verkenning" / gebied / nb / "uitvoer.json")
                                     .read_text(encoding="utf-8"))
                assert uitvoer["demo"] is True
                tekst = out.read_text(encoding="utf-8")
                assert uitvoer["figuren"], (nb, gebied)
                for meta in uitvoer["figuren"].values():
                    assert meta["alt"] and meta["bron"] and meta["jaar"]
                # no respondent ids in any output
                for f in (tmp_path / "reports" / "verkenning" / gebied / nb).iterdir():
                    body = f.read_text(encoding="utf-8", errors="ignore")
                    assert "i0001" not in body and "k001" not in body
                assert '"i0001"' not in tekst
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert Path(env["WIJKMONITOR_RAW"]).exists()
