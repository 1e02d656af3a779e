"""Theme study jonge kind (VE-bereik): chain metrics, inconsistencies, suppression, the raw
layout reader, demo data, and (slow) the three notebooks of theme studies B."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from helpers.core.errors import InputError
from helpers.studies.themes import jonge_kind as jk

Z = 1.959963984540054  # standard normal quantile for a 95% interval


def wilson_hand(x: int, n: int) -> tuple[float, float]:
    """Wilson score interval from the textbook formula (not statsmodels)."""
    p = x / n
    noemer = 1 + Z**2 / n
    midden = (p + Z**2 / (2 * n)) / noemer
    half = Z / noemer * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2))
    return midden - half, midden + half


def rij(gebied, cohort, indicatie, toeleiding, aanmelding, start, deelname, gestopt):
    return dict(focusgebied=gebied, cohort=cohort, deelname_maanden=6, indicatie=indicatie,
                toeleiding=toeleiding, aanmelding=aanmelding, start=start, deelname=deelname,
                gestopt=gestopt)


def maat(kern: pd.DataFrame, gebied: str, naam: str) -> pd.Series:
    return kern[(kern["focusgebied"] == gebied) & (kern["maat"] == naam)].iloc[0]


# --------------------------------------------------------------------------- metrics


def test_funnel_with_non_start_and_uitval_hand_computed():
    df = pd.DataFrame([rij("heerlen-noord", "2024-H1", 40, 36, 30, 25, 18, 5)])
    kern = jk.kengetallen(df, min_n=1)
    # bereik 25/40, non-start (40-25)/40, uitval 5/25: separate rates, separate denominators
    verwacht = {"bereik": (25, 40), "non-start": (15, 40), "uitval": (5, 25),
                "conversie toeleiding": (36, 40), "conversie aanmelding": (30, 36),
                "conversie start": (25, 30), "conversie deelname": (18, 25)}
    for naam, (x, n) in verwacht.items():
        r = maat(kern, "heerlen-noord", naam)
        assert r["teller"] == x and r["n"] == n
        assert r["aandeel"] == pytest.approx(x / n)
        lo, hi = wilson_hand(x, n)
        assert r["ondergrens"] == pytest.approx(lo, abs=1e-12)
        assert r["bovengrens"] == pytest.approx(hi, abs=1e-12)
    assert maat(kern, "heerlen-noord", "non-start")["aandeel"] == pytest.approx(0.375)
    assert maat(kern, "heerlen-noord", "uitval")["aandeel"] == pytest.approx(0.2)
    # non-start + bereik = 1, but uitval is NOT 1 - anything of the indicated children
    assert (maat(kern, "heerlen-noord", "non-start")["aandeel"]
            + maat(kern, "heerlen-noord", "bereik")["aandeel"]) == pytest.approx(1.0)


def test_funnel_counts_and_total_over_areas():
    df = pd.DataFrame([rij("heerlen-noord", "2024-H1", 40, 36, 30, 25, 18, 5),
                       rij("breda-noord", "2024-H1", 60, 50, 45, 40, 33, 4)])
    funnel = jk.trechter(df, min_n=1)
    alle = funnel[funnel["focusgebied"] == "alle"].set_index("stap")
    assert alle.loc["indicatie", "aantal"] == 100
    assert alle.loc["start", "aantal"] == 65
    assert alle.loc["deelname", "aandeel_van_indicatie"] == pytest.approx(51 / 100)
    kern = jk.kengetallen(df, min_n=1)
    assert maat(kern, "alle", "uitval")["aandeel"] == pytest.approx(9 / 65)


def test_inconsistent_chain_reported_per_row_and_excluded():
    df = pd.DataFrame([
        rij("utrecht-overvecht", "2024-H1", 40, 30, 33, 25, 18, 5),   # aanmelding > toeleiding
        rij("utrecht-overvecht", "2024-H2", 50, 45, 40, 30, 28, 4),   # deelname + gestopt > start
        rij("utrecht-overvecht", "2025-H1", 20, 18, 15, 12, 10, 1),   # consistent
    ])
    fouten = jk.ketenfouten(df)
    assert list(fouten.columns) == ["focusgebied", "cohort", "stap", "aantal", "eerdere_stap",
                                    "aantal_eerder", "verschil"]
    eerste = fouten[fouten["cohort"] == "2024-H1"].iloc[0]
    assert (eerste["focusgebied"], eerste["stap"], eerste["aantal"], eerste["eerdere_stap"],
            eerste["aantal_eerder"], eerste["verschil"]) == (
        "utrecht-overvecht", "aanmelding", 33, "toeleiding", 30, 3)
    tweede = fouten[fouten["cohort"] == "2024-H2"].iloc[0]
    assert (tweede["stap"], tweede["aantal"], tweede["aantal_eerder"]) == ("deelname+gestopt", 32, 30)
    assert len(fouten) == 2
    # not clipped: the bad rows are left out of the rates entirely
    kern = jk.kengetallen(df, min_n=1)
    assert maat(kern, "utrecht-overvecht", "bereik")["n"] == 20
    assert maat(kern, "utrecht-overvecht", "bereik")["teller"] == 12


def test_consistent_data_has_no_inconsistencies():
    df = pd.DataFrame([rij("breda-noord", "2024-H1", 10, 10, 10, 10, 8, 2)])
    assert jk.ketenfouten(df).empty


def test_suppression_primary_and_secondary():
    df = pd.DataFrame([
        rij("leeuwarden-oost", "2024-H1", 8, 7, 6, 5, 4, 1),      # n = 8 < 10: primary
        rij("breda-noord", "2024-H1", 30, 27, 25, 20, 16, 3),      # smallest other: secondary
        rij("heerlen-noord", "2024-H1", 50, 45, 40, 35, 30, 4),
    ])
    kern = jk.kengetallen(df, min_n=10)
    klein = maat(kern, "leeuwarden-oost", "bereik")
    assert klein["onderdrukt"] == "primair" and math.isnan(klein["aandeel"])
    assert math.isnan(klein["teller"])
    assert klein["n"] == 8  # the base stays visible
    tweede = maat(kern, "breda-noord", "bereik")
    assert tweede["onderdrukt"] == "secundair" and math.isnan(tweede["aandeel"])
    groot = maat(kern, "heerlen-noord", "bereik")
    assert groot["onderdrukt"] == "" and groot["aandeel"] == pytest.approx(35 / 50)
    assert maat(kern, "alle", "bereik")["aandeel"] == pytest.approx(60 / 88)
    funnel = jk.trechter(df, min_n=10)
    assert funnel[funnel["focusgebied"] == "leeuwarden-oost"]["aantal"].isna().all()
    assert funnel[funnel["focusgebied"] == "breda-noord"]["aantal"].isna().all()
    # display: suppressed rows say so, shown rows use the Dutch format
    toon = jk.weergave(kern[kern["maat"] == "bereik"], ["focusgebied", "label"]).set_index("focusgebied")
    assert toon.loc[jk.naam("leeuwarden-oost"), "percentage (95%-interval)"] == "onderdrukt (kleine groep)"
    assert toon.loc[jk.naam("heerlen-noord"), "percentage (95%-interval)"].startswith("70% (")
    assert jk.naam("heerlen-noord") != "heerlen-noord"  # names from the registry


def test_trend_over_cohorts_for_all_areas():
    df = pd.DataFrame([rij("heerlen-noord", "2024-H1", 40, 36, 30, 25, 18, 5),
                       rij("breda-noord", "2024-H1", 20, 18, 16, 15, 12, 2),
                       rij("heerlen-noord", "2024-H2", 30, 28, 25, 20, 17, 2)])
    t = jk.trend(df, "alle", min_n=1)
    r = t[(t["cohort"] == "2024-H1") & (t["maat"] == "uitval")].iloc[0]
    assert r["focusgebied"] == "alle" and r["aandeel"] == pytest.approx(7 / 40)
    totaal = t[(t["cohort"] == "alle") & (t["maat"] == "non-start")].iloc[0]
    assert totaal["aandeel"] == pytest.approx((90 - 60) / 90)


def test_wilson_rejects_impossible_proportions():
    with pytest.raises(ValueError, match="teller groter dan noemer"):
        jk.wilson(5, 4)
    lo, hi = jk.wilson(0, 0)
    assert math.isnan(float(lo)) and math.isnan(float(hi))


# --------------------------------------------------------------------------- reader

KOP = "focusgebied;cohort;deelname_maanden;indicatie;toeleiding;aanmelding;start;deelname;gestopt"


def read(tmp_path: Path, tekst: str, naam: str = "ve.csv"):
    from helpers.ingest.build import match_reader, sniff
    from helpers.ingest.readers import load_readers

    p = tmp_path / naam
    p.write_text(tekst, encoding="utf-8")
    header = sniff(p, p.read_bytes())
    reader = match_reader(header, load_readers())
    return reader, reader.read(header)


def test_reader_reads_valid_file(tmp_path):
    reader, res = read(tmp_path, KOP + "\nheerlen-noord;2024-H1;6;40;36;30;25;18;5\n"
                       "breda-noord;2024-H2;6;60;50;45;40;33;4\n")
    assert reader.formaat == "ve-bereik-csv"
    df = res.tables["ve_bereik"]
    assert list(df["_regel"]) == [2, 3]
    assert df["indicatie"].dtype == "int64" and df.loc[1, "gestopt"] == 4
    assert res.jaar == 2024 and res.rijen == 2


@pytest.mark.parametrize("regel,kolom,verwacht", [
    ("heerlen-noord;2024-H1;6;veertig;36;30;25;18;5", "indicatie", "geheel getal >= 0"),
    ("heerlen-noord;2024-H1;6;40;-1;30;25;18;5", "toeleiding", "geheel getal >= 0"),
    ("heerlen-noord;2024-Q1;6;40;36;30;25;18;5", "cohort", "JJJJ-H1 of JJJJ-H2"),
    ("nergenshuizen;2024-H1;6;40;36;30;25;18;5", "focusgebied", "params/focusgebieden.yml"),
    ("heerlen-noord;2024-H1;6;40;36;30;25;;5", "deelname", "geheel getal >= 0"),
])
def test_reader_bad_cell_names_file_line_column(tmp_path, regel, kolom, verwacht):
    with pytest.raises(InputError) as exc:
        read(tmp_path, KOP + "\nbreda-noord;2024-H1;6;60;50;45;40;33;4\n" + regel + "\n")
    e = exc.value
    assert e.line == 3 and e.column == kolom and verwacht in str(e)
    assert "ve.csv" in str(e) and "regel 3" in str(e) and f"kolom '{kolom}'" in str(e)


def test_reader_duplicate_key_and_wrong_cell_count(tmp_path):
    with pytest.raises(InputError, match=r"regel 3.*dubbele sleutel.*ook op regel 2"):
        read(tmp_path, KOP + "\nbreda-noord;2024-H1;6;60;50;45;40;33;4\n"
             "breda-noord;2024-H1;6;61;50;45;40;33;4\n")
    with pytest.raises(InputError, match=r"regel 2, kolom .*8 velden, de kopregel heeft er 9"):
        read(tmp_path, KOP + "\nbreda-noord;2024-H1;6;60;50;45;40;33\n")


def test_reader_extra_column_and_no_rows(tmp_path):
    with pytest.raises(InputError, match=r"regel 1, kolom 'opmerking': onbekende kolom"):
        read(tmp_path, KOP + ";opmerking\nbreda-noord;2024-H1;6;60;50;45;40;33;4;x\n")
    with pytest.raises(InputError, match=r"regel 2: geen gegevensregels"):
        read(tmp_path, KOP + "\n")


def test_reader_missing_column_is_not_recognised(tmp_path):
    from helpers.ingest.readers.ve_bereik import VE_BEREIK, read_layout

    p = tmp_path / "ve.csv"
    p.write_text(KOP.replace(";gestopt", "") + "\nbreda-noord;2024-H1;6;60;50;45;40;33\n",
                 encoding="utf-8")
    from helpers.ingest.build import sniff

    with pytest.raises(InputError) as exc:
        read_layout(sniff(p, p.read_bytes()), VE_BEREIK)
    assert exc.value.column == "gestopt" and exc.value.line == 1
    # through ingest the header matches no format at all: named, nothing written
    from helpers.ingest.build import run_ingest

    out = tmp_path.parent / f"{tmp_path.name}-out"
    with pytest.raises(InputError, match=r"ve.csv', regel 1: geen bekend formaat"):
        run_ingest(tmp_path, out)
    assert not out.exists()


def test_ingest_writes_nothing_when_one_file_is_bad(tmp_path):
    from helpers.ingest.build import run_ingest

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a-ve.csv").write_text(KOP + "\nbreda-noord;2024-H1;6;60;50;45;40;33;4\n", encoding="utf-8")
    (raw / "b-ve.csv").write_text(KOP + "\nbreda-noord;2024-H2;6;60;50;45;40;33;x\n", encoding="utf-8")
    out = tmp_path / "processed"
    with pytest.raises(InputError, match=r"b-ve.csv.*regel 2.*kolom 'gestopt'"):
        run_ingest(raw, out)
    assert not out.exists()
    (raw / "b-ve.csv").unlink()
    run_ingest(raw, out)
    df = pd.read_parquet(out / "ve_bereik.parquet")
    assert list(df.columns) == ["focusgebied", "cohort", "deelname_maanden", "indicatie",
                                "toeleiding", "aanmelding", "start", "deelname", "gestopt"]


# --------------------------------------------------------------------------- demo data


def test_demo_data_deterministic_and_consistent_with_register(tmp_path):
    from helpers.demodata import themes_b
    from helpers.studies.themes.common import load_interventies

    a = themes_b.generate(tmp_path / "a", 7)
    b = themes_b.generate(tmp_path / "b", 7)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert all("demo" in p.name for p in a)
    from helpers.ingest.build import run_ingest

    run_ingest(tmp_path / "a", tmp_path / "p")
    for tabel, thema in (("ve_bereik", "jonge_kind"), ("reintegratie", "reintegratie"),
                         ("armoede_netwerken", "armoede_schulden")):
        df = pd.read_parquet(tmp_path / "p" / f"{tabel}.parquet")
        register = set(load_interventies(thema)["focusgebied"])
        assert set(df["focusgebied"]) <= register
        assert themes_b.ZONDER_GEGEVENS[thema] in register
        assert themes_b.ZONDER_GEGEVENS[thema] not in set(df["focusgebied"])
    ve = pd.read_parquet(tmp_path / "p" / "ve_bereik.parquet")
    fouten = jk.ketenfouten(ve)
    assert set(zip(fouten["focusgebied"], fouten["cohort"], strict=True)) == {themes_b.FOUTE_KETEN}


def test_studie_for_area_without_data_says_so(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    st = jk.studie("delft-west", processed=tmp_path, runs=tmp_path / "runs", demo=True)
    assert not st.heeft_gegevens
    assert (tmp_path / "runs" / "delft-west" / "34_jonge_kind" / "uitvoer.json").exists()
    melding = st.tabel("kengetallen")
    assert "geen gegevens voor dit gebied in deze studie" in melding.data
    assert "indicatorbasis" in st.tabel("context").data
    # a typo is an error listing the valid names, never "geen gegevens"
    from helpers.studies.themes.study import UnknownNameError

    with pytest.raises(UnknownNameError, match=r"onbekende tabel 'kengetalen' in deze studie "
                       r"\(bekend: citaten, codes, context, kengetallen, ketenfouten, trend\)"):
        st.tabel("kengetalen")
    with pytest.raises(UnknownNameError, match=r"onbekende figuur 'trechter'.*ve_trechter"):
        st.figuur("trechter")


def test_study_tables_for_readers():
    """Study tables are shown without index, with area names and Dutch numbers."""
    import pandas as pd

    from helpers.kit.display import Weergave
    from helpers.studies.themes.study import Studie

    df = pd.DataFrame({"focusgebied": ["delft-west", "lelystad"], "aantal_kinderen": [12, 30],
                       "aandeel_pct": [12.5, 40.0]}, index=[7, 9])
    st = Studie("alle", tabellen={"t": df}, tabelnamen=("t",))
    w = st.tabel("t")
    assert isinstance(w, Weergave) and w.gegevens is df
    html = w.data
    assert "Delft West" in html and "delft-west" not in html
    assert "Aantal kinderen" in html and "12,5" in html and "40,0" in html
    assert ">7<" not in html and ">9<" not in html  # no pandas index


# --------------------------------------------------------------------------- notebooks (slow)

NOTEBOOKS = ("31_armoede_schulden", "32_reintegratie", "34_jonge_kind")


@pytest.mark.slow
def test_notebooks_run_for_alle_and_area_without_data(tmp_path):
    """Demo data -> ingest -> papermill for 'alle' and an area without data in any study."""
    import json

    import nbformat

    from helpers.demodata import coding, themes_b
    from helpers.ingest.build import run_ingest

    root = Path(__file__).resolve().parents[3]
    raw, processed, reports = tmp_path / "raw", tmp_path / "processed", tmp_path / "reports"
    themes_b.generate(raw, 2025)
    coding.generate(raw, 2025)  # coded interview fragments (all themes of the register)
    run_ingest(raw, processed)
    env = {**os.environ, "WIJKMONITOR_RAW": str(raw), "WIJKMONITOR_PROCESSED": str(processed),
           "WIJKMONITOR_REPORTS": str(reports), "MPLBACKEND": "Agg"}
    for nb in NOTEBOOKS:
        meta = nbformat.read(root / "notebooks" / f"{nb}.ipynb", 4).metadata["wijkmonitor"]
        assert meta["alle"] and meta["per_gebied"]
        for gebied in ("alle", "delft-west"):
            uit = tmp_path / f"{nb}-{gebied}.ipynb"
            subprocess.run([sys.executable, "-m", "papermill", str(root / "notebooks" / f"{nb}.ipynb"),
                            str(uit), "-p", "focusgebied", gebied, "-k", "python3",
                            "--log-level", "WARNING"], check=True, env=env, cwd=root,
                           capture_output=True)
            tekst = uit.read_text(encoding="utf-8")
            index = json.loads((reports / "verkenning" / gebied / nb / "uitvoer.json").read_text())
            assert index["demo"] is True
            if gebied == "alle":
                assert len(index["figuren"]) >= 3 and "codes" in index["figuren"]
                assert all(f["alt"] and f["bron"] for f in index["figuren"].values())
            else:
                assert "geen gegevens voor dit gebied in deze studie" in tekst
                assert index["figuren"] == {} or set(index["figuren"]) <= {"codes"}
    ve = (tmp_path / "34_jonge_kind-alle.ipynb").read_text(encoding="utf-8")
    assert "non-start" in ve and "uitval" in ve
