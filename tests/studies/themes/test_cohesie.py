"""Sociale cohesie: layouts (readers), initiative summaries, Likert shares with Wilson
intervals and suppression, lbm_soc context. Hand-computed expectations."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.core.errors import InputError
from helpers.ingest.build import run_ingest, sniff
from helpers.ingest.readers import bewonersinitiatieven as rb
from helpers.ingest.readers import kernpersonen as rk
from helpers.studies.themes import cohesie

INIT_KOP = "initiatief_id;focusgebied;jaar;themas;budget_euro;deelnemers;organisatoren\n"
KERN_KOP = "respondent;focusgebied;jaar;rol;" + ";".join(rk.ITEMS) + "\n"


def _read(reader, tmp_path, tekst: str, naam: str = "x.csv"):
    p = tmp_path / naam
    p.write_text(tekst, encoding="utf-8")
    h = sniff(p, p.read_bytes())
    assert reader.READER.matches(h)
    return reader.READER.read(h)


def test_initiatieven_reader_and_summary(tmp_path):
    res = _read(rb, tmp_path, INIT_KOP +
                "a1;Leeuwarden Oost;2025;ontmoeting;1000;40;2\n"
                'a2;leeuwarden-oost;2025;"jongeren;ontmoeting";500,50;;1\n'
                "a3;Schiedam Nieuwland en Oost;2025;cultuur;2500;10;3\n"
                "a4;Leeuwarden-Oost;2024;armoede;300;5;1\n")
    df = res.tables["bewonersinitiatieven"].drop(columns="_regel")
    assert list(df["focusgebied"].unique()) == ["leeuwarden-oost", "schiedam-nieuwland-oost"]
    s = cohesie.initiatieven_samenvatting(df)
    lo25 = s[(s["focusgebied"] == "leeuwarden-oost") & (s["jaar"] == 2025)].iloc[0]
    assert lo25["aantal"] == 2 and lo25["budget_euro"] == pytest.approx(1500.5)
    assert lo25["budget_per_initiatief"] == pytest.approx(750.25)
    assert lo25["deelnemers"] == 40 and lo25["deelnemers_onbekend"] == 1
    assert lo25["organisatoren"] == 3
    t = cohesie.initiatieven_themas(df, "leeuwarden-oost")
    got = dict(zip(t["thema"], t["aantal"], strict=False))
    assert got == {"ontmoeting": 2, "jongeren": 1, "armoede": 1}
    assert t.set_index("thema").loc["ontmoeting", "aandeel_pct"] == pytest.approx(200 / 3)
    assert cohesie.initiatieven_samenvatting(df, "breda-noord").empty
    assert cohesie.initiatieven_samenvatting(None).empty


@pytest.mark.parametrize("rij,line,column,tekst", [
    ("a1;Atlantis;2025;ontmoeting;10;1;1\n", 2, "focusgebied", "onbekend focusgebied 'Atlantis'"),
    ("a1;Lelystad;2025;sport;10;1;1\n", 2, "themas", "onbekend thema 'sport'"),
    ("a1;Lelystad;2025;;10;1;1\n", 2, "themas", "geen thema"),
    ("a1;Lelystad;2025;ontmoeting;1.000,50;1;1\n", 2, "budget_euro", "geen bedrag"),
    ("a1;Lelystad;2025;ontmoeting;10;-3;1\n", 2, "deelnemers", "waarde -3 buiten bereik"),
    ("a1;Lelystad;2025;ontmoeting;10;veel;1\n", 2, "deelnemers", "geen geheel getal"),
    ("a1;Lelystad;2025;ontmoeting;10;3;0\n", 2, "organisatoren", "buiten bereik"),
    ("a1;Lelystad;25;ontmoeting;10;3;1\n", 2, "jaar", "buiten bereik"),
    ("a 1;Lelystad;2025;ontmoeting;10;3;1\n", 2, "initiatief_id", "ongeldige code"),
    ("a1;Lelystad;2025;ontmoeting;10;3;1\na1;Lelystad;2025;ontmoeting;10;3;1\n", 3,
     "initiatief_id", "komt twee keer voor"),
])
def test_initiatieven_bad_input(tmp_path, rij, line, column, tekst):
    with pytest.raises(InputError) as exc:
        _read(rb, tmp_path, INIT_KOP + rij)
    e = exc.value
    assert (e.line, e.column) == (line, column) and tekst in str(e) and "x.csv" in str(e)


def test_initiatieven_missing_column_and_bad_row_length(tmp_path):
    p = tmp_path / "y.csv"
    p.write_text(INIT_KOP.replace(";organisatoren", "") + "a1;Lelystad;2025;x;1;1\n", encoding="utf-8")
    h = sniff(p, p.read_bytes())
    assert not rb.READER.matches(h)
    with pytest.raises(InputError, match="kolom 'organisatoren' ontbreekt") as exc:
        rb.READER.read(h)
    assert exc.value.line == 1
    with pytest.raises(InputError, match="6 velden, de kopregel heeft er 7") as exc:
        _read(rb, tmp_path, INIT_KOP + "a1;Lelystad;2025;ontmoeting;10;1\n")
    assert exc.value.line == 2


def _kern(tmp_path, rows: list[str]):
    res = _read(rk, tmp_path, KERN_KOP + "".join(rows), naam="k.csv")
    return res.tables["kernpersonen_likert"].drop(columns="_regel")


def _wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = k / n
    den = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return 100 * (mid - half), 100 * (mid + half)


def _rijen(gebied: str, waarden: list[int | None], start: int) -> list[str]:
    out = []
    for i, v in enumerate(waarden):
        cel = "" if v is None else str(v)
        out.append(f"k{start + i};{gebied};2025;bewoner;{cel};3;3;3;3\n")
    return out


def test_likert_shares_wilson_and_suppression(tmp_path):
    a = [1, 2, 3, 4, 5, 5, 4, 4, 3, None, 5, 4]        # n = 11: 2 oneens, 2 neutraal, 7 eens
    b = [5, 5, 4, 1]                                    # n = 4 < 10: primary
    c = [4] * 6 + [2] * 6                               # n = 12
    df = _kern(tmp_path, _rijen("Leeuwarden Oost", a, 1) + _rijen("Lelystad", b, 100)
               + _rijen("Delft-West", c, 200))
    ruw = cohesie.likert_aandelen(df, min_n=1)      # no suppression: check the arithmetic
    lo = ruw[ruw["stelling"] == "stelling_betrokkenheid"].set_index("groep").loc["leeuwarden-oost"]
    assert lo["n"] == 11
    assert lo["oneens_pct"] == pytest.approx(100 * 2 / 11)
    assert lo["neutraal_pct"] == pytest.approx(100 * 2 / 11)
    assert lo["eens_pct"] == pytest.approx(100 * 7 / 11)
    laag, hoog = _wilson(7, 11)
    assert lo["eens_ci_laag"] == pytest.approx(laag) and lo["eens_ci_hoog"] == pytest.approx(hoog)
    item = cohesie.likert_aandelen(df)
    item = item[item["stelling"] == "stelling_betrokkenheid"].set_index("groep")
    # totals: 27 answers, eens = 7 + 3 + 6 = 16
    assert item.loc["alle", "n"] == 27
    assert item.loc["alle", "eens_pct"] == pytest.approx(100 * 16 / 27)
    # Lelystad (n = 4) primary; the smallest other area (Leeuwarden, 11) secondary, so that
    # Lelystad cannot be derived as alle minus the shown areas
    assert item.loc["lelystad", "onderdrukt"] == "primair"
    assert item.loc["leeuwarden-oost", "onderdrukt"] == "secundair"
    assert item.loc["delft-west", "onderdrukt"] == ""
    assert pd.isna(item.loc["lelystad", "eens_pct"]) and pd.isna(item.loc["leeuwarden-oost", "eens_ci_hoog"])
    assert item.loc["delft-west", "eens_pct"] == pytest.approx(50.0)
    assert item.loc["alle", "signaal"] == "signaal, geen conclusie"   # 10 <= 27 < 30
    # one area: only that area's row
    one = cohesie.likert_aandelen(df, "delft-west")
    assert set(one["groep"]) == {"delft-west"} and len(one) == len(cohesie.STELLINGEN)


def test_kernpersonen_n_below_min_n_is_not_shown(tmp_path):
    """Issue 13: the demo showed kernpersonen n = 3-7 per area. A base below min_n reads
    '< 10'; the base of the secondarily hidden area is empty (it would give the small one as
    alle minus the shown areas); shown areas keep their number; the figure label says so."""
    a = [4] * 11
    b = [5, 5, 4, 1]
    c = [4] * 6 + [2] * 6
    df = _kern(tmp_path, _rijen("Leeuwarden Oost", a, 1) + _rijen("Lelystad", b, 100)
               + _rijen("Delft-West", c, 200))
    item = cohesie.likert_aandelen(df)
    n = pd.to_numeric(item["n"], errors="coerce")
    assert not ((n > 0) & (n < 10)).any()
    item = item[item["stelling"] == "stelling_betrokkenheid"].set_index("groep")
    assert item.loc["lelystad", "n"] == "< 10"
    assert pd.isna(item.loc["leeuwarden-oost", "n"])
    assert item.loc["delft-west", "n"] == 12 and item.loc["alle", "n"] == 27
    fig = cohesie.figuur_likert(cohesie.likert_aandelen(df), "lelystad", "t")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert all("n < 10" in t for t in labels), labels


def test_likert_empty_and_no_data():
    assert cohesie.likert_aandelen(None).empty


@pytest.mark.parametrize("rij,column,tekst", [
    ("k1;Lelystad;2025;bewoner;6;3;3;3;3\n", "stelling_betrokkenheid", "buiten bereik"),
    ("k1;Lelystad;2025;bewoner;x;3;3;3;3\n", "stelling_betrokkenheid", "geen geheel getal"),
    ("k1;Lelystad;2025;burgemeester;3;3;3;3;3\n", "rol", "onbekende rol"),
    ("k1;Nergenshuizen;2025;bewoner;3;3;3;3;3\n", "focusgebied", "onbekend focusgebied"),
    (";Lelystad;2025;bewoner;3;3;3;3;3\n", "respondent", "lege respondentcode"),
])
def test_kernpersonen_bad_input(tmp_path, rij, column, tekst):
    with pytest.raises(InputError) as exc:
        _kern(tmp_path, [rij])
    assert exc.value.line == 2 and exc.value.column == column and tekst in str(exc.value)


def test_kernpersonen_duplicate(tmp_path):
    with pytest.raises(InputError, match="komt twee keer voor") as exc:
        _kern(tmp_path, ["k1;Lelystad;2025;bewoner;3;3;3;3;3\n", "k1;Lelystad;2025;bewoner;3;3;3;3;3\n"])
    assert exc.value.line == 3


def test_ingest_bad_file_writes_nothing(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "goed.csv").write_text(INIT_KOP + "a1;Lelystad;2025;ontmoeting;10;1;1\n", encoding="utf-8")
    (raw / "fout.csv").write_text(KERN_KOP + "k1;Lelystad;2025;bewoner;9;3;3;3;3\n", encoding="utf-8")
    out = tmp_path / "processed"
    with pytest.raises(InputError, match="fout.csv"):
        run_ingest(raw, out)
    assert not out.exists() or not any(out.glob("*.parquet"))
    (raw / "fout.csv").unlink()
    run_ingest(raw, out)
    df = pd.read_parquet(out / "bewonersinitiatieven.parquet")
    assert list(df["initiatief_id"]) == ["a1"] and df["deelnemers"].dtype == "Int64"


def test_lbm_soc_context(tmp_path):
    assert cohesie.lbm_soc("alle", tmp_path) is None    # indicator base absent
    basis = pd.DataFrame({
        "focusgebied": ["lelystad", "lelystad", "delft-west"],
        "indicator": ["lbm_soc", "lbm_soc", "lbm_soc"],
        "jaar": [2020, 2022, 2022],
        "waarde": [-0.02, 0.01, 0.03], "gemeente_rest": [0.0, 0.01, 0.02],
        "focusgebieden": [-0.01, 0.0, 0.0], "nederland": [0.0, 0.0, 0.0],
    })
    basis.to_parquet(tmp_path / "indicatorbasis.parquet")
    t = cohesie.lbm_soc("lelystad", tmp_path)
    assert set(t["reeks"]) == {"Lelystad", "rest van de gemeente", "Nederland"}
    assert t[(t["reeks"] == "Lelystad") & (t["jaar"] == 2022)]["waarde"].item() == pytest.approx(0.01)
    alle = cohesie.lbm_soc("alle", tmp_path)
    assert set(alle["reeks"]) == {"alle focusgebieden", "Nederland"} and len(alle) == 4
    basis.assign(indicator="lbm").to_parquet(tmp_path / "indicatorbasis.parquet")
    assert cohesie.lbm_soc("lelystad", tmp_path).empty


def test_demo_files_deterministic_and_valid(tmp_path):
    from helpers.demodata import themes_a

    a = themes_a.generate(tmp_path / "a", 7) if (tmp_path / "a").mkdir() is None else None
    b = themes_a.generate(tmp_path / "b", 7) if (tmp_path / "b").mkdir() is None else None
    for pa_, pb_ in zip(a, b, strict=True):
        assert pa_.read_bytes() == pb_.read_bytes() and "demo" in pa_.name
    for p, reader in zip(a, (rb, rk), strict=True):
        h = sniff(p, p.read_bytes())
        assert reader.READER.matches(h)
        reader.READER.read(h)
