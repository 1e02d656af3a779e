"""Survey analysis: the demo export reproduces the published figures; classification,
exclusions, suppression and signals pinned with hand-built exports; no ids or unreleased
stories in any output."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.cli import survey_tables as survey_cli
from helpers.core import privacy
from helpers.demodata import sprockler as demo
from helpers.ingest.readers.sprockler_export import read_export
from helpers.studies.survey import analyse, write_tables
from helpers.studies.survey.bipoles import KOLOMMEN, bipole_table, classify, counts, shares
from survey_helpers import MAPPING, row, write_export

# Every percentage the evaluation publishes (WijkWijzer 2025), typed from the report:
# (vraag, groep, categorie, percentage, where)
GEPUBLICEERD = [
    ("betrokkenheid", "alle", "positief", 68, "H2.1"),
    ("betrokkenheid", "alle", "negatief", 10, "H2.1"),
    ("betrokkenheid", "alle", "neutraal", 22, "H2.1"),
    ("betrokkenheid", "programmabureau", "positief", 76, "H2.1"),
    ("betrokkenheid", "gemeente", "positief", 71, "H2.1"),
    ("betrokkenheid", "uitvoerende_organisatie", "positief", 66, "H2.1"),
    ("betrokkenheid", "bewoner", "positief", 43, "H2.1"),
    ("betrokkenheid", "bewoner", "neutraal", 50, "H2.1"),
    ("gedeelde_ambitie", "alle", "positief", 50, "H2.1"),
    ("gedeelde_ambitie", "alle", "negatief", 17, "H2.1"),
    ("gedeelde_ambitie", "alle", "neutraal", 32, "H2.1"),
    ("vertrouwen", "alle", "positief", 55, "H4.1"),
    ("vertrouwen", "alle", "negatief", 17, "H4.1"),
    ("vertrouwen", "alle", "neutraal", 28, "H4.1"),
    ("gelijkwaardigheid", "alle", "positief", 60, "H4.1"),
    ("gelijkwaardigheid", "alle", "negatief", 17, "H4.1"),
    ("gelijkwaardigheid", "alle", "neutraal", 23, "H4.1"),
    ("bewonersdeelname", "alle", "positief", 33, "H5.1 een derde"),
    ("bewonersdeelname", "bewoner", "positief", 42, "H5.1"),
    ("inzicht_perspectieven", "alle", "negatief", 25, "H5.1 een kwart"),
    ("inzicht_perspectieven", "alle", "positief", 33, "H8 een derde"),
    ("inzicht_perspectieven", "bewoner", "negatief", 46, "H5.1"),
    ("organisatorische_inrichting", "alle", "positief", 34, "H6.1"),
    ("organisatorische_inrichting", "alle", "negatief", 19, "H6.1"),
    ("organisatorische_inrichting", "alle", "neutraal", 47, "H6.1"),
    ("organisatorische_inrichting", "programmabureau", "positief", 39, "H6.1"),
    ("organisatorische_inrichting", "uitvoerende_organisatie", "positief", 38, "H6.1"),
    ("organisatorische_inrichting", "gemeente", "negatief", 25, "H6.1"),
    ("organisatorische_inrichting", "bewoner", "neutraal", 58, "H6.1"),
    ("samen_leren", "alle", "positief", 63, "H7.1"),
    ("samen_leren", "alle", "negatief", 9, "H7.1"),
    ("samen_leren", "programmabureau", "positief", 76, "H7.1"),
    ("samen_leren", "gemeente", "negatief", 13, "H7.1"),
]


@pytest.fixture(scope="module")
def demo_export(tmp_path_factory):
    return demo.generate(tmp_path_factory.mktemp("raw"), 2025)[0]


@pytest.fixture(scope="module")
def resp(demo_export):
    return read_export(demo_export, MAPPING)


@pytest.fixture(scope="module")
def full(resp):
    """Unsuppressed shares per reporting group (the analysis behind the publication)."""
    return shares(counts(resp, MAPPING, ["groep"])).set_index(["vraag", "groep"])


@pytest.fixture(scope="module")
def cli_out(demo_export, tmp_path_factory):
    out = tmp_path_factory.mktemp("survey")
    survey_cli(demo_export, MAPPING.path, out)
    return out


@pytest.mark.parametrize(("vraag", "groep", "cat", "pct", "waar"), GEPUBLICEERD)
def test_published_percentage_reproduced(full, vraag, groep, cat, pct, waar):
    value = full.loc[(vraag, groep), f"{cat}_pct"]
    assert abs(value - pct) <= 0.5, f"{vraag}/{groep}/{cat}: {value:.2f} vs {pct} ({waar})"


def test_published_percentages_in_cli_output(cli_out):
    tab = pd.read_csv(cli_out / "bipoles.csv", keep_default_na=False, na_values=[""])
    assert list(tab.columns[: len(KOLOMMEN)]) == KOLOMMEN
    t = tab[tab["groepering"].isin(["alle", "groep"])].set_index(["vraag", "groep"])
    for vraag, groep, cat, pct, waar in GEPUBLICEERD:
        r = t.loc[(vraag, groep)]
        # the respondent of unknown group (n=1) is not a published group and no longer
        # forces the residents (n=14) to be hidden: they are shown as a signal (issue 13)
        assert r["onderdrukt"] in ("", None) or pd.isna(r["onderdrukt"]), (vraag, groep)
        assert abs(r[f"{cat}_pct"] - pct) <= 0.5, (vraag, groep, cat, waar)
        if groep == "bewoner":
            assert r["signaal"] == privacy.SIGNAAL_LABEL
    alle = tab[tab["groepering"] == "alle"]
    assert set(alle["groep"]) == {"alle"}
    assert set(tab.loc[tab["groepering"] == "groep", "groep"]) == {
        "bewoner", "gemeente", "programmabureau", "uitvoerende_organisatie"}
    assert {"rol", "organisatietype", "periode", "focusgebied"} <= set(tab["groepering"])
    assert "onbekend" not in set(tab["groep"])
    assert not (tab["onderdrukt"].fillna("") == "secundair").loc[
        tab["groepering"] == "groep"].any()


def test_bases_after_exclusions(full):
    assert full.loc[("bewonersdeelname", "bewoner"), "n"] == 12   # 5 of 12 = 42%
    assert full.loc[("bewonersdeelname", "bewoner"), "positief"] == 5
    assert full.loc[("inzicht_perspectieven", "bewoner"), "n"] == 13
    assert full.loc[("organisatorische_inrichting", "bewoner"), "n"] == 12
    assert full.loc[("betrokkenheid", "alle"), "n"] == 234
    assert full.loc[("bewonersdeelname", "bewoner"), "nvt_pct"] == pytest.approx(100 * 2 / 14)


def test_stated_orderings(full):
    alle = full.xs("alle", level="groep")["positief_pct"]
    assert alle.idxmax() == "betrokkenheid"
    assert alle.idxmin() == "bewonersdeelname"
    groups = ["bewoner", "gemeente", "programmabureau", "uitvoerende_organisatie"]
    mean_pos = {g: full.xs(g, level="groep")["positief_pct"].mean() for g in groups}
    assert min(mean_pos, key=mean_pos.get) == "bewoner"
    b = full.xs("betrokkenheid", level="vraag")["positief_pct"]
    assert b["programmabureau"] > b["gemeente"] > b["uitvoerende_organisatie"] > b["bewoner"]
    for q in ("vertrouwen", "gelijkwaardigheid"):
        s = full.xs(q, level="vraag")["positief_pct"]
        assert s["bewoner"] < min(s[g] for g in groups[1:])
    bd = full.xs("bewonersdeelname", level="vraag")["positief_pct"]
    assert bd["bewoner"] > max(bd[g] for g in groups[1:])


def test_demo_composition(resp, demo_export, tmp_path):
    assert len(resp) == 234
    assert resp["groep"].value_counts().to_dict() == {
        "uitvoerende_organisatie": 88, "gemeente": 69, "programmabureau": 62, "bewoner": 14,
        "onbekend": 1}
    assert resp.loc[resp["groep"] == "bewoner", "focusgebied"].nunique() == 4
    assert resp.loc[resp["groep"] != "bewoner", "focusgebied"].nunique() == 20
    again = demo.generate(tmp_path, 2025)[0]
    assert again.read_bytes() == demo_export.read_bytes()


def test_residents_positive_on_participation_also_share_ambition(resp):
    bew = resp[resp["groep"] == "bewoner"]
    cat_bd = classify(bew["bewonersdeelname"], MAPPING.negatief_onder, MAPPING.positief_boven)
    cat_ga = classify(bew["gedeelde_ambitie"], MAPPING.negatief_onder, MAPPING.positief_boven)
    assert (cat_ga[cat_bd == "positief"] == "positief").all()


# --------------------------------------------------------------------------- hand-built
def test_classification_cut_points():
    v = pd.Series([0, 33.332, 33.333, 50, 66.667, 66.668, 100, float("nan")])
    got = classify(v, 33.333, 66.667).astype(object).tolist()
    assert got[:7] == ["negatief", "negatief", "neutraal", "neutraal", "neutraal", "positief",
                       "positief"]
    assert pd.isna(got[7])


def test_nvt_and_blank_excluded_from_base(tmp_path):
    rows = [row(i, bewonersdeelname=str(v)) for i, v in enumerate(
        [10, 20, 50, 50, 50, 80, 80, 80, 90, 95, 99, 70])]
    rows += [row(100, bewonersdeelname="", **{MAPPING.vragen["bewonersdeelname"].spec[
        "nvt_kolom"]: "Niet van toepassing"})]
    rows += [row(101, bewonersdeelname="77", **{MAPPING.vragen["bewonersdeelname"].spec[
        "nvt_kolom"]: "Niet van toepassing"})]  # nvt ticked after moving the slider: nvt wins
    rows += [row(102, bewonersdeelname="")]
    resp = read_export(write_export(tmp_path / "x-demo.csv", rows), MAPPING)
    t = bipole_table(resp, MAPPING, groeperingen=[])
    r = t[(t["vraag"] == "bewonersdeelname")].iloc[0]
    assert r["n"] == 12
    assert r["negatief_pct"] == pytest.approx(100 * 2 / 12)
    assert r["neutraal_pct"] == pytest.approx(100 * 3 / 12)
    assert r["positief_pct"] == pytest.approx(100 * 7 / 12)
    assert r["nvt_pct"] == pytest.approx(100 * 2 / 15)
    assert r["signaal"] == privacy.SIGNAAL_LABEL
    assert r["positief_ci_laag"] < r["positief_pct"] < r["positief_ci_hoog"]


def test_wilson_interval_matches_statsmodels(tmp_path):
    from statsmodels.stats.proportion import proportion_confint

    rows = [row(i, betrokkenheid="90" if i < 21 else "10") for i in range(35)]
    resp = read_export(write_export(tmp_path / "w-demo.csv", rows), MAPPING)
    r = bipole_table(resp, MAPPING, groeperingen=[]).query("vraag == 'betrokkenheid'").iloc[0]
    lo, hi = proportion_confint(21, 35, alpha=0.05, method="wilson")
    assert r["positief_ci_laag"] == pytest.approx(100 * lo)
    assert r["positief_ci_hoog"] == pytest.approx(100 * hi)
    assert r["signaal"] == ""  # n = 35 >= 30


def test_primary_and_secondary_suppression_in_bipole_table(tmp_path):
    gem = {"rol": "Beleid", "organisatietype": "Gemeente (anders dan programmabureau)"}
    pb = {"rol": "Beleid", "organisatietype": "Programmabureau bij de gemeente"}
    uo = {"rol": "Uitvoering", "organisatietype": "Politie"}
    bew = {"rol": "Bewoner", "organisatietype": ""}
    rows = ([row(i, **gem) for i in range(40)] + [row(100 + i, **pb) for i in range(12)]
            + [row(200 + i, **uo) for i in range(31)] + [row(300 + i, **bew) for i in range(4)])
    resp = read_export(write_export(tmp_path / "s-demo.csv", rows), MAPPING)
    t = bipole_table(resp, MAPPING, groeperingen=["groep"])
    g = t[(t["vraag"] == "toon") & (t["groepering"] == "groep")].set_index("groep")
    assert g.loc["bewoner", "onderdrukt"] == "primair"
    assert g.loc["programmabureau", "onderdrukt"] == "secundair"   # smallest other group
    assert "onbekend" not in g.index   # a non-identifying category is no published group
    assert g.loc[["bewoner", "programmabureau"], "positief_pct"].isna().all()
    assert g.loc["gemeente", "onderdrukt"] == "" and g.loc["gemeente", "neutraal_pct"] == 100
    assert g.loc["uitvoerende_organisatie", "signaal"] == ""
    assert g.loc["gemeente", "signaal"] == ""
    # with a lower minimum the programmabureau (12) is shown, as a signal
    t2 = bipole_table(resp, MAPPING, groeperingen=["groep"], min_n=3, signaal_n=35)
    g2 = t2[(t2["vraag"] == "toon") & (t2["groepering"] == "groep")].set_index("groep")
    assert g2.loc["programmabureau", "onderdrukt"] == ""
    assert g2.loc["programmabureau", "signaal"] == privacy.SIGNAAL_LABEL
    assert g2.loc["uitvoerende_organisatie", "signaal"] == privacy.SIGNAAL_LABEL


def test_unknown_group_is_not_published_and_hides_no_real_group(tmp_path):
    """One respondent of unknown role (n=1) used to be primary-suppressed and to take the
    smallest real group down with it (secondary); it identifies nobody (issue 13)."""
    gem = {"rol": "Beleid", "organisatietype": "Gemeente (anders dan programmabureau)"}
    bew = {"rol": "Bewoner", "organisatietype": ""}
    onb = {"rol": "", "organisatietype": ""}
    rows = ([row(i, **gem) for i in range(40)] + [row(300 + i, **bew) for i in range(14)]
            + [row(400, **onb)])
    resp = read_export(write_export(tmp_path / "o-demo.csv", rows), MAPPING)
    assert (resp["groep"] == "onbekend").sum() == 1
    t = bipole_table(resp, MAPPING, groeperingen=["groep", "rol"])
    g = t[(t["vraag"] == "toon") & (t["groepering"] == "groep")].set_index("groep")
    assert "onbekend" not in set(t["groep"])
    assert g.loc["bewoner", "onderdrukt"] == "" and g.loc["bewoner", "neutraal_pct"] == 100
    assert g.loc["bewoner", "signaal"] == privacy.SIGNAAL_LABEL
    alle = t[(t["vraag"] == "toon") & (t["groepering"] == "alle")].iloc[0]
    assert alle["n"] == 55   # the total still counts the unknown respondent
    for name in ("tripool", "beeldwijzer"):
        tab = analyse(resp, MAPPING)[name]
        assert "onbekend" not in set(tab["groep"]), name
        assert tab.loc[tab["groep"] == "bewoner", "onderdrukt"].eq("").all(), name


def _recovered_by_rank(table, resp, vraag, groeperingen):
    """Hidden rows of ``vraag`` whose 0/1 vector over the respondents' label combinations is a
    linear combination of the shown rows (numpy rank check, independent of the helpers), minus
    rows with exactly the persons of a non-identifying category (``onbekend``)."""
    import numpy as np

    cat = classify(resp[vraag], MAPPING.negatief_onder, MAPPING.positief_boven)
    lab = resp.loc[cat.notna().to_numpy(), groeperingen].astype(str).drop_duplicates()
    part = table[table["vraag"] == vraag]

    def vec(g, v):
        return np.ones(len(lab)) if g == "alle" else (lab[g] == v).to_numpy(dtype=float)

    free = [vec(g, "onbekend") for g in groeperingen]
    m = np.array([vec(g, v) for g, v in zip(part["groepering"], part["groep"], strict=True)])
    hidden = part["onderdrukt"].isin(["primair", "secundair"]).to_numpy()
    shown = m[~hidden]
    base = np.linalg.matrix_rank(shown)
    out = []
    for (g, v), row_ in zip(part.loc[hidden, ["groepering", "groep"]].itertuples(index=False),
                            m[hidden], strict=True):
        if any(np.array_equal(row_, f) for f in free):
            continue
        if np.linalg.matrix_rank(np.vstack([shown, row_])) == base:
            out.append((g, v))
    return out


def test_overlapping_groupings_hide_no_recoverable_group(resp):
    """Issue 13: the reporting group is derived from role and organisation type, so in the demo
    'uitvoerende_organisatie' (betrokkenheid: 88, 10/20/58) minus the shown woningcorporatie,
    politie, welzijnsorganisatie, onderwijs and anders rows gave the suppressed
    zorgorganisatie group (n = 5) exactly. No hidden row may be a linear combination of shown
    rows of the same question in any grouping (rank check), in every question."""
    t = bipole_table(resp, MAPPING)
    g = t[(t["vraag"] == "betrokkenheid") & (t["groepering"] == "organisatietype")]
    assert g.set_index("groep").loc["zorgorganisatie", "onderdrukt"] == "primair"
    for vraag in t["vraag"].unique():
        assert _recovered_by_rank(t, resp, vraag, MAPPING.groeperingen) == [], vraag
    # the residents (n = 14) and the other reporting groups stay shown
    rg = t[(t["vraag"] == "betrokkenheid") & (t["groepering"] == "groep")].set_index("groep")
    assert rg["onderdrukt"].eq("").all()
    assert rg.loc["bewoner", "signaal"] == privacy.SIGNAAL_LABEL


def test_no_base_below_min_n_is_published(resp):
    """A base n below min_n appears as '< 10', the base of a secondarily hidden group not at
    all (it would give the small one by subtraction); shown rows keep their number."""
    t = bipole_table(resp, MAPPING)
    n = pd.to_numeric(t["n"], errors="coerce")
    assert not ((n > 0) & (n < MAPPING.min_n)).any()
    prim = t[t["onderdrukt"] == "primair"]
    assert set(prim["n"]) == {f"< {MAPPING.min_n}"}
    assert t.loc[t["onderdrukt"] == "secundair", "n"].isna().all()
    assert (n[t["onderdrukt"] == ""] >= MAPPING.min_n).all()


def test_drop_non_identifying_blank_and_case():
    t = pd.DataFrame({"groep": ["alle", "a", "Onbekend", " ", None, "b"], "n": range(6)})
    assert privacy.drop_non_identifying(t)["groep"].tolist() == ["alle", "a", "b"]


def test_suppression_applies_to_minimum_after_exclusions(tmp_path):
    nvt = MAPPING.vragen["bewonersdeelname"].spec["nvt_kolom"]
    rows = [row(i, **({nvt: "Niet van toepassing", "bewonersdeelname": ""} if i < 4 else {}))
            for i in range(12)]
    resp = read_export(write_export(tmp_path / "e-demo.csv", rows), MAPPING)
    t = bipole_table(resp, MAPPING, groeperingen=[])
    r = t[t["vraag"] == "bewonersdeelname"].iloc[0]
    # the base below min_n is not shown either (disclosure policy): '< 10'
    assert r["n"] == "< 10" and r["onderdrukt"] == "primair" and math.isnan(r["positief_pct"])
    assert t[t["vraag"] == "toon"].iloc[0]["onderdrukt"] == ""


# --------------------------------------------------------------------------- areas / outputs
def test_single_area_analysis_suppresses_and_does_not_crash(resp):
    tabs = analyse(resp, MAPPING, focusgebied="heerlen-noord")
    b = tabs["bipoles"]
    alle = b[b["groepering"] == "alle"]
    assert (alle["n"] < 30).all()
    assert set(b["onderdrukt"]) <= {"", "primair", "secundair", "leeg"}
    leeg = analyse(resp.iloc[0:0], MAPPING)
    assert (leeg["bipoles"]["onderdrukt"].isin(["leeg"])).all()
    assert leeg["verhalen"].empty


def test_area_names_resolved_through_registry(resp):
    assert {"lelystad", "roosendaal", "vlaardingen-westwijk"} <= set(resp["focusgebied"])


def test_no_ids_names_or_unreleased_stories_in_outputs(demo_export, cli_out, resp, tmp_path):
    header, rows = demo.build_rows(2025)
    h = {c: i for i, c in enumerate(header)}
    ids = [r[h[MAPPING.vragen["respondent"].spec["kolom"]]] for r in rows]
    vcol = h[MAPPING.vragen["verhaal"].spec["kolom"]]
    ok = [r[h[MAPPING.vragen["toestemming"].spec["kolom"]]] == "Ja"
          and r[h[MAPPING.vragen["vrijgegeven"].spec["kolom"]]] == "Ja" for r in rows]
    withheld = {r[vcol] for r, k in zip(rows, ok, strict=True) if not k}
    shown = {r[vcol] for r, k in zip(rows, ok, strict=True) if k}
    forbidden = ids + list(resp["respondent"]) + ["Fatima", "Yilmaz"] + sorted(withheld - shown)
    assert demo.NAAM_VERHAAL in withheld
    assert privacy.scan_outputs([cli_out], forbidden) == []
    verhalen = pd.read_csv(cli_out / "verhalen.csv")
    assert not verhalen.empty
    assert set(verhalen["verhaal"]) <= shown
    write_tables(analyse(resp, MAPPING, focusgebied="rotterdam-zuid"), tmp_path)
    assert privacy.scan_outputs([tmp_path], forbidden) == []


def test_unreleased_stories_never_leave_the_import(resp):
    stories = resp["verhaal"].dropna()
    assert demo.NAAM_VERHAAL not in set(stories)
    assert (resp.loc[resp["verhaal"].notna(), ["toestemming", "vrijgegeven"]].all(axis=None))
    assert "respondent" in resp and not resp["respondent"].str.startswith("SPR").any()


def test_stories_html_escapes():
    from helpers.studies.survey.stories import stories_html

    df = pd.DataFrame([{"bouwsteen": "x", "vraag": "y", "kant": "positief", "titel": "<b>",
                        "verhaal": demo.SCRIPT_VERHAAL}])
    out = stories_html(df)
    assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;b&gt;" in out
