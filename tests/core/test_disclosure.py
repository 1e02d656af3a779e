"""Rank check of recoverable cells and the protection of overlapping groupings."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.core.disclosure import (
    atom_membership,
    in_row_space,
    protect_overlapping,
    recoverable,
)


def test_in_row_space_finds_a_combination_that_no_sum_of_one_grouping_gives():
    # atoms a1..a4; shown: g1 = {a1, a2}, h1 = {a1, a3}, x = {a2, a3} (three groupings).
    # The hidden {a1} = (g1 + h1 - x) / 2: a combination, not total minus groups.
    shown = np.array([[1, 1, 0, 0], [1, 0, 1, 0], [0, 1, 1, 0]], dtype=float)
    assert in_row_space(shown, [1, 0, 0, 0])
    assert not in_row_space(shown, [0, 0, 0, 1])
    assert recoverable(shown, np.array([[1, 0, 0, 0], [0, 0, 0, 1], [2, 1, 1, 0]])) == [0, 2]


def test_in_row_space_without_known_rows():
    assert not in_row_space(np.zeros((0, 3)), [1, 0, 0])
    assert in_row_space(np.zeros((0, 3)), [0, 0, 0])
    assert recoverable(np.zeros((0, 2)), np.array([[0, 0], [1, 0]])) == [0]


def test_atom_membership_of_overlapping_groupings():
    labels = pd.DataFrame(
        {"groep": ["u", "u", "u", "g"], "org": ["zorg", "politie", "politie", "gem"]}
    )
    m = atom_membership(
        labels, [("alle", "alle"), ("groep", "u"), ("org", "zorg"), ("org", "politie")]
    )
    # three atoms: (u, zorg), (u, politie), (g, gem)
    assert m.tolist() == [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 1, 0]]


def _case():
    # atoms: (u, zorg) 5, (u, politie) 20, (u, welzijn) 26, (g, gem) 69
    labels = pd.DataFrame(
        {"groep": ["u", "u", "u", "g"], "org": ["zorg", "politie", "welzijn", "gem"]}
    )
    rows = [
        ("alle", "alle"),
        ("groep", "u"),
        ("groep", "g"),
        ("org", "zorg"),
        ("org", "politie"),
        ("org", "welzijn"),
        ("org", "gem"),
    ]
    return atom_membership(labels, rows), rows, [120, 51, 69, 5, 20, 26, 69]


def test_protect_overlapping_hides_a_second_group_of_the_finer_grouping():
    m, rows, n = _case()
    status = ["", "", "", "primair", "", "", ""]
    # without protection the hidden zorg follows as u - politie - welzijn
    assert recoverable(m[[0, 1, 2, 4, 5, 6]], m[[3]]) == [0]
    out = protect_overlapping(
        m,
        status,
        n,
        partition=[g for g, _ in rows],
        min_n=10,
        total=[g == "alle" for g, _ in rows],
        keep=[g == "groep" for g, _ in rows],
    )
    assert out[3] == "primair" and out[4] == "secundair"  # smallest other org type
    assert out[1] == out[2] == ""  # the reporting groups stay shown
    assert out[6] == ""  # gem is the same set as group g: not taken down
    vis = [i for i, s in enumerate(out) if s == ""]
    assert recoverable(m[vis], m[[3, 4]]) == []


def test_protect_overlapping_small_sum_of_hidden_groups():
    # two hidden groups of one grouping with 3 + 4 persons: their sum (total minus the shown
    # groups) counts 7 < 10 persons, so a third group is hidden
    m = np.array([[1, 1, 1, 1], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], float)
    out = protect_overlapping(
        m,
        ["", "primair", "primair", "", ""],
        [57, 3, 4, 20, 30],
        partition=["alle", "a", "a", "a", "a"],
        min_n=10,
        total=[True, False, False, False, False],
    )
    assert out == ["", "primair", "primair", "secundair", ""]


def test_protect_overlapping_exempts_a_row_equal_to_a_non_identifying_category():
    # role 'anders' is exactly the one respondent whose reporting group is unknown: its figure
    # is total minus the reporting groups, which discloses nobody; no real group is hidden
    m = np.array([[1, 1, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], float)
    status = ["", "", "", "", "", "primair"]
    kw = {
        "partition": ["alle", "groep", "groep", "rol", "rol", "rol"],
        "min_n": 10,
        "total": [True] + [False] * 5,
    }
    assert (
        protect_overlapping(m, status, [41, 14, 26, 14, 26, 1], **kw, exempt=np.array([[0, 0, 1]]))
        == status
    )
    hidden = protect_overlapping(m, status, [41, 14, 26, 14, 26, 1], **kw)
    assert hidden.count("secundair") >= 1
