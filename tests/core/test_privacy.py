"""Tests of helpers.core.privacy: minimum n, primary + secondary suppression, signals, pseudonyms."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.core import privacy


def _table(sizes: dict[str, int], total: bool = True) -> pd.DataFrame:
    rows = [{"vraag": "q", "groep": g, "n": n, "positief_pct": 50.0} for g, n in sizes.items()]
    if total:
        rows.insert(0, {"vraag": "q", "groep": "alle", "n": sum(sizes.values()),
                        "positief_pct": 50.0})
    return pd.DataFrame(rows)


def _status(out: pd.DataFrame) -> dict[str, str]:
    return dict(zip(out["groep"], out["onderdrukt"], strict=True))


MIN_N, SIGNAAL_N = 10, 30  # the values of params/monitor.yml (checked in test_monitor)


def _sup(table, **kw):
    kw.setdefault("min_n", MIN_N)
    kw.setdefault("signaal_n", SIGNAAL_N)
    return privacy.suppress_shares(table, **kw)


def test_constants():
    assert privacy.SIGNAAL_LABEL == "signaal, geen conclusie"


def test_no_suppression_when_all_groups_large():
    out = _sup(_table({"a": 40, "b": 50}))
    assert set(out["onderdrukt"]) == {""}
    assert out["positief_pct"].notna().all()
    assert list(out["signaal"]) == ["", "", ""]


def test_primary_suppression_forces_secondary_on_smallest_other_group():
    out = _sup(_table({"onbekend": 1, "bewoner": 14, "gemeente": 69,
                                          "programmabureau": 62}))
    st = _status(out)
    assert st == {"alle": "", "onbekend": "primair", "bewoner": "secundair", "gemeente": "",
                  "programmabureau": ""}
    hidden = out[out["onderdrukt"] != ""]
    assert hidden["positief_pct"].isna().all()
    assert hidden["n"].tolist() == [1, 14]  # n stays visible
    # the total and the others cannot reveal a hidden group on its own
    shown = out[(out["onderdrukt"] == "") & (out["groep"] != "alle")]
    assert len(hidden) >= 2 and hidden["n"].sum() >= MIN_N
    assert shown["n"].sum() + hidden["n"].sum() == out.loc[out["groep"] == "alle", "n"].item()


def test_two_small_groups_together_below_min_n_need_a_third():
    st = _status(_sup(_table({"a": 3, "b": 4, "c": 20, "d": 30})))
    assert st == {"alle": "", "a": "primair", "b": "primair", "c": "secundair", "d": ""}


def test_two_small_groups_together_at_min_n_are_enough():
    st = _status(_sup(_table({"a": 4, "b": 6, "c": 20, "d": 30})))
    assert st == {"alle": "", "a": "primair", "b": "primair", "c": "", "d": ""}


def test_secondary_suppression_without_total_row_in_table():
    # the total is published elsewhere (groepering 'alle'), so derivation is still possible
    st = _status(_sup(_table({"a": 5, "b": 40, "c": 50}, total=False)))
    assert st == {"a": "primair", "b": "secundair", "c": ""}


def test_total_below_min_n_is_suppressed():
    st = _status(_sup(_table({"a": 3, "b": 4})))
    assert st == {"alle": "primair", "a": "primair", "b": "primair"}


def test_empty_group_is_marked_and_does_not_trigger_secondary():
    out = _sup(_table({"a": 0, "b": 40, "c": 50}))
    assert _status(out) == {"alle": "", "a": "leeg", "b": "", "c": ""}
    assert math.isnan(out.loc[out["groep"] == "a", "positief_pct"].item())


def test_partitions_are_independent():
    t = pd.concat([_table({"a": 5, "b": 40, "c": 50}).assign(vraag="q1"),
                   _table({"a": 15, "b": 40, "c": 50}).assign(vraag="q2")])
    out = _sup(t, by=["vraag"])
    q2 = out[out["vraag"] == "q2"]
    assert set(q2["onderdrukt"]) == {""}
    assert (out[out["vraag"] == "q1"]["onderdrukt"] != "").sum() == 2


def test_signal_flag_between_min_n_and_signal_threshold():
    out = _sup(_table({"a": 10, "b": 29, "c": 30}))
    assert dict(zip(out["groep"], out["signaal"], strict=True)) == {
        "alle": "", "a": privacy.SIGNAAL_LABEL, "b": privacy.SIGNAAL_LABEL, "c": ""}
    assert privacy.signaal(9, MIN_N, SIGNAAL_N) == ""  # suppressed, not a signal
    assert privacy.signaal(float("nan"), MIN_N, SIGNAAL_N) == ""


def test_custom_thresholds():
    out = _sup(_table({"a": 12, "b": 40, "c": 50}), min_n=20, signaal_n=45)
    assert _status(out)["a"] == "primair"
    assert _status(out)["b"] == "secundair"


def test_missing_column_and_negative_n():
    with pytest.raises(KeyError, match="kolom 'aantal' ontbreekt"):
        _sup(_table({"a": 12}), n_col="aantal")
    with pytest.raises(ValueError, match="negatieve n"):
        _sup(_table({"a": -1, "b": 20}))


def test_pseudonym_is_keyed_and_stable():
    p1 = privacy.pseudonym("R0001", b"k1")
    assert p1 == privacy.pseudonym(" R0001 ", "k1")
    assert p1 != privacy.pseudonym("R0001", b"k2")
    assert p1.startswith("p") and len(p1) == 17 and "R0001" not in p1
    with pytest.raises(privacy.SleutelOntbreekt):
        privacy.pseudonym("R0001", b"")


def test_pseudonym_key_from_env_or_demo(monkeypatch):
    monkeypatch.delenv(privacy.SLEUTEL_ENV, raising=False)
    assert privacy.pseudonym_key(demo=True) == privacy.DEMO_SLEUTEL
    with pytest.raises(privacy.SleutelOntbreekt, match=privacy.SLEUTEL_ENV):
        privacy.pseudonym_key(demo=False)
    monkeypatch.setenv(privacy.SLEUTEL_ENV, "geheim")
    assert privacy.pseudonym_key(demo=False) == b"geheim"


def test_scan_outputs(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.csv").write_text("x,y\n1,Fatima\n", encoding="utf-8")
    (tmp_path / "sub" / "b.bin").write_bytes(b"\x00R0007\x00")
    hits = privacy.scan_outputs([tmp_path], ["Fatima", "R0007", "R0008", "ab"])
    assert sorted((p.name, s) for p, s in hits) == [("a.csv", "Fatima"), ("b.bin", "R0007")]


def test_numerator_below_min_n_is_suppressed_and_not_derivable():
    """Bases 16, 40, 44 (all >= 10) with numerators 1, 20, 21: the 1 (and its share) is hidden,
    and a second group with it, so that 1 = 21 - 20 no longer follows (issue 13)."""
    import pandas as pd

    t = pd.DataFrame({"groep": ["alle", "a", "b"], "n": [56, 16, 40], "teller": [21, 1, 20],
                      "aandeel": [21 / 56, 1 / 16, 0.5]})
    out = privacy.suppress_shares(t, count_col="teller", min_n=10, signaal_n=30)
    s = out.set_index("groep")
    assert s.loc["a", "onderdrukt"] == "primair" and pd.isna(s.loc["a", "teller"])
    assert pd.isna(s.loc["a", "aandeel"])
    assert s.loc["b", "onderdrukt"] == "secundair" and pd.isna(s.loc["b", "teller"])
    assert s.loc["alle", "teller"] == 21 and s.loc["a", "n"] == 16
    plain = privacy.suppress_shares(t, min_n=10, signaal_n=30).set_index("groep")
    assert plain.loc["a", "teller"] == 1   # without count_col the numerator was shown


def test_hide_bases_and_hide_counts_show_no_count_below_min_n():
    """Disclosure policy (issue 13): a base below min_n reads '< 10', the base of a
    secondarily hidden row is empty, shown rows keep their number; idempotent."""
    import pandas as pd

    t = pd.DataFrame({"n": [40, 5, 22, 0, 12],
                      "onderdrukt": ["", "primair", "secundair", "leeg", "primair"]})
    out = privacy.hide_bases(t, min_n=10)
    assert out.tolist() == [40, "< 10", None, 0, None]
    assert privacy.hide_bases(t.assign(n=out), min_n=10).tolist() == out.tolist()
    counts = privacy.hide_counts(pd.Series([0, 1, 9, 10, None]), min_n=10)
    assert counts.tolist() == [0, "< 10", "< 10", 10, None]
