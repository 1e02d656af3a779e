"""Disclosure audit of the edition's tables (issue 13, point 3)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.core import privacy
from helpers.demodata import sprockler as demo
from helpers.ingest.readers.sprockler_export import read_export
from helpers.publish import audit
from helpers.studies.survey.bipoles import (
    KOLOMMEN,
    bipole_table,
    counts,
    samenstelling,
    shares,
)
from survey_helpers import MAPPING


def _t(df, naam="tabel", notebook="99_test", **meta):
    return {"notebook": notebook, "naam": naam, "meta": {"bron": "test", **meta}, "df": df}


@pytest.fixture(scope="module")
def resp(tmp_path_factory):
    return read_export(demo.generate(tmp_path_factory.mktemp("raw"), 2025)[0], MAPPING)


def _old_bipole_table(resp):
    """The bipole table as suppressed before issue 13 (per (vraag, groepering) only)."""
    tab = shares(counts(resp, MAPPING, MAPPING.groeperingen))
    value_cols = [c for c in KOLOMMEN if c.endswith(("_pct", "_laag", "_hoog"))]
    tab = privacy.suppress_shares(
        privacy.drop_non_identifying(tab, "groep"),
        value_cols=value_cols,
        by=["vraag", "groepering"],
        min_n=10,
        signaal_n=30,
    )
    return tab[KOLOMMEN + ["onderdrukt"]].reset_index(drop=True)


def test_audit_refuses_the_demo_zorgorganisatie_recovery_and_passes_the_new_table(resp):
    """Issue 13: with suppression per (vraag, groepering), zorgorganisatie (n = 5) followed as
    uitvoerende_organisatie minus the shown organisation types; the audit (rank check over the
    declared atoms) refuses that table, naming table and row, and passes the new one."""
    sam = samenstelling(resp, MAPPING, MAPPING.groeperingen)
    oud = _old_bipole_table(resp)
    problemen = audit.check_recovery(
        _t(oud, "bipolen", "20_procesevaluatie", n_kolom="n", samenstelling=sam)
    )
    zorg = [p for p in problemen if "zorgorganisatie" in p and "betrokkenheid" in p]
    assert zorg and "tabel '20_procesevaluatie/bipolen'" in zorg[0] and "rij " in zorg[0]
    nieuw = bipole_table(resp, MAPPING)
    assert nieuw.attrs["samenstelling"]["groeperingen"] == MAPPING.groeperingen
    t = _t(
        nieuw,
        "bipolen",
        "20_procesevaluatie",
        n_kolom="n",
        samenstelling=nieuw.attrs["samenstelling"],
    )
    assert audit.audit_tables([t], min_n=10) == []


def test_recovery_total_minus_groups_and_across_groupings():
    df = pd.DataFrame(
        {
            "groepering": ["alle", "a", "a", "a", "b", "b"],
            "groep": ["alle", "x", "y", "z", "p", "q"],
            "n": [60, 20, 25, 15, 30, 30],
            "pct": [50.0, np.nan, 40.0, 30.0, 20.0, 10.0],
            "onderdrukt": ["", "secundair", "", "", "", ""],
        }
    )
    p = audit.check_recovery(_t(df))
    assert len(p) == 1 and "rij 3" in p[0] and "groep 'x'" in p[0]
    df.loc[2, ["pct", "onderdrukt"]] = [np.nan, "secundair"]
    assert audit.check_recovery(_t(df)) == []


def test_recovery_needs_a_rank_check_not_only_sums():
    # atoms a1..a4 in three groupings; hidden g=x1 = {a1} = (g1 + h1 - k1) / 2 of shown rows,
    # while no grouping shows its total minus all-but-one groups
    atomen = [["x1", "h1", "k1"], ["x2", "h1", "k2"], ["x2", "h2", "k1"], ["x3", "h2", "k2"]]
    sam = {
        "groeperingen": ["g", "h", "k"],
        "atomen": atomen,
        "vrij": [],
        "blok": "vraag",
        "groepering": "groepering",
    }
    df = pd.DataFrame(
        {
            "vraag": ["v"] * 4,
            "groepering": ["g", "h", "k", "g"],
            "groep": ["x1", "h1", "k1", "x2"],
            "pct": [np.nan, 1.0, 2.0, 3.0],
            "onderdrukt": ["primair", "", "", ""],
        }
    )
    # x1 + x2 = h1 + (k1 - a3) ... directly: {a1} = h1 + k1 - x2 - ... check by rank
    m = np.array([[1, 0, 0, 0], [1, 1, 0, 0], [1, 0, 1, 0], [0, 1, 1, 0]], float)
    assert np.linalg.matrix_rank(m[1:]) == np.linalg.matrix_rank(m)  # {a1} in the span
    p = audit.check_recovery(_t(df, samenstelling=sam))
    assert len(p) == 1 and "groep 'x1'" in p[0]


def test_small_counts_and_cbs_tables_outside_the_audit():
    df = pd.DataFrame({"focusgebied": ["alle", "a"], "n": [40, 5], "teller": [12, "< 10"]})
    p = audit.check_small_counts(_t(df, n_kolom="n"), 10)
    assert len(p) == 1 and "kolom 'n' toont 5 personen" in p[0] and "rij 3" in p[0]
    assert (
        audit.audit_tables(
            [_t(df, n_kolom="n", bron="CBS Kerncijfers wijken en buurten")], min_n=10
        )
        == []
    )


def test_area_plus_rest_of_gemeente_against_gemeente():
    df = pd.DataFrame(
        {
            "gebied": ["a"],
            "waarde": [np.nan],
            "gemeente_rest": [120.0],
            "gemeente": [128.0],
            "onderdrukt": ["primair"],
        }
    )
    p = audit.check_gemeente(_t(df))
    assert len(p) == 1 and "gemeente min rest" in p[0]


def test_same_cell_across_tables_of_one_notebook():
    a = pd.DataFrame(
        {
            "focusgebied": ["lelystad"],
            "maat": ["bereik"],
            "aandeel": [np.nan],
            "onderdrukt": ["primair"],
        }
    )
    b = pd.DataFrame(
        {"focusgebied": ["lelystad"], "maat": ["bereik"], "aandeel": [0.4], "onderdrukt": [""]}
    )
    p = audit.check_across_tables([_t(a, "kern"), _t(b, "trend")])
    assert len(p) == 1 and "'99_test/kern'" in p[0] and "'99_test/trend'" in p[0]
    assert audit.check_across_tables([_t(a, "kern"), _t(b, "trend", notebook="98_ander")]) == []


def test_render_refuses_an_edition_with_a_recoverable_cell(tmp_path):
    """At render the audit reads every table of the edition together and refuses, naming the
    table and the row, before anything is rendered; the previous output stays as it was."""
    from helpers.core.errors import PublicationGuardError
    from helpers.kit.output import Uitvoer
    from helpers.publish import render
    from publish_fixtures import make_bronnen, make_runs, record_in_manifest, render_kwargs

    runs = make_runs(tmp_path)
    s = Uitvoer("alle", "40_samenhang", demo=True, base=runs)
    s.kerncijfer(
        "aandeel",
        42.35,
        label="Aandeel interventies met effect op meer domeinen",
        eenheid="%",
        bron="Interventieregister",
        jaar=2025,
        decimalen=1,
    )
    df = pd.DataFrame(
        {
            "groep": ["alle", "a", "b", "c"],
            "n": [60, 20, 25, 15],
            "aandeel": [50.0, np.nan, 40.0, 30.0],
            "onderdrukt": ["", "secundair", "", ""],
        }
    )
    s.tabel(df, "deelname", titel="Deelname per groep", bron="Registratie", n_kolom="n", min_n=10)
    s.write()
    record_in_manifest(runs)
    with pytest.raises(PublicationGuardError) as exc:
        render(**render_kwargs(tmp_path, runs, make_bronnen(tmp_path)))
    assert "tabel '40_samenhang/deelname', rij 3 (groep 'a')" in str(exc.value)
    assert not (tmp_path / "_output").exists()
