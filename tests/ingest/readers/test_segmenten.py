"""Coded segments through ingest (reader + schema) and the demo generator."""

from __future__ import annotations

import pytest

from helpers.core.errors import InputError
from helpers.demodata import coding as demo
from helpers.ingest.build import run_ingest
from helpers.ingest.readers import segmenten
from helpers.registers import codeboom
from helpers.studies import coding

KOP = "bron;respondent_of_sessie;focusgebied;segment;codes;toestemming;vrijgegeven;thema;interventie\n"


def test_demo_is_deterministic_and_covers_everything(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    pa_, = demo.generate(a, 11)
    pb_, = demo.generate(b, 11)
    assert pa_.read_bytes() == pb_.read_bytes() and pa_.name == "gecodeerde-segmenten-demo.csv"
    s = segmenten.read_segments(pa_)
    boom = codeboom.load_codeboom()
    f = coding.code_frequencies(s, niveau=1)
    assert set(boom.bouwstenen()) <= set(f["code"])
    assert set(s["thema"].dropna()) == set(segmenten.THEMA_IDS)
    # multi-domain effects exist for every theme
    for t in segmenten.THEMA_IDS:
        sub = s[s["thema"] == t]
        other = [c for cs in sub["codes"] for c in cs
                 if c.startswith("effect_domein/") and c != f"effect_domein/{t}"]
        assert other, t
    assert (~s["toestemming"]).any() and (s["toestemming"] & ~s["vrijgegeven"]).any()


def test_ingest_segments_and_load(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "seg.csv").write_text(
        KOP + 'verhaal;r1;Zaanstad;Tekst;"gedeelde_ambitie;werkzame_elementen/laagdrempelig";ja;nee;;\n'
        + "interview;r2;;Tweede;knelpunten;nee;nee;veerkracht;\n", encoding="utf-8")
    out = tmp_path / "processed"
    run_ingest(raw, out)
    s = coding.load_segments(out)
    assert list(s["segment_id"]) == [1, 2]      # rows sorted by the key (bron, ...)
    v = s[s["bron"] == "verhaal"].iloc[0]
    assert v["codes"] == ("gedeelde_ambitie", "werkzame_elementen/laagdrempelig")
    assert v["focusgebied"] == "zaandam-oost" and s[s["bron"] == "interview"]["focusgebied"].isna().all()
    assert s["toestemming"].dtype == bool


def test_ingest_bad_segments_writes_nothing(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "seg.csv").write_text(KOP + "verhaal;r1;;Tekst;gedeelde_ambitie/onbekend;ja;ja;;\n",
                                 encoding="utf-8")
    out = tmp_path / "processed"
    with pytest.raises(InputError) as exc:
        run_ingest(raw, out)
    assert exc.value.line == 2 and exc.value.column == "codes" and "seg.csv" in str(exc.value)
    assert not out.exists() or not any(out.glob("*.parquet"))


def test_ingest_duplicate_segment(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    rij = "verhaal;r1;;Tekst;gedeelde_ambitie;ja;ja;;\n"
    (raw / "seg.csv").write_text(KOP + rij + rij, encoding="utf-8")
    with pytest.raises(InputError, match="seg.csv"):
        run_ingest(raw, tmp_path / "processed")
