"""Shared theme-study steps: the published code frequencies (persons per code)."""

from __future__ import annotations

import pandas as pd

from helpers.ingest.readers import segmenten
from helpers.kit.output import Uitvoer
from helpers.registers.codeboom import CODE_SEPARATOR
from helpers.studies.coding import SEGMENTEN_TABEL
from helpers.studies.themes.study import Studie, kwalitatief

KOP = "bron,respondent_of_sessie,focusgebied,segment,codes,toestemming,vrijgegeven,thema,interventie\n"


def test_codes_show_no_small_person_counts(tmp_path):
    """Issue 13: the codes tables showed 2-9 respondents per code. A number of persons per
    code below min_n reads '< 10'; the number of fragments is no count of persons and stays."""
    rows = [
        f'interview,r{i},Heerlen-Noord,F{i},"werkzame_elementen/vertrouwen_nabijheid'
        + (";knelpunten/capaciteit" if i < 3 else "")
        + '",ja,ja,reintegratie,'
        for i in range(12)
    ]
    csv = tmp_path / "s.csv"
    csv.write_text(KOP + "\n".join(rows) + "\n", encoding="utf-8")
    seg = segmenten.read_segments(csv)
    seg["codes"] = seg["codes"].map(
        lambda cs: CODE_SEPARATOR.join(cs) if isinstance(cs, tuple) else cs
    )
    processed = tmp_path / "processed"
    processed.mkdir()
    seg.drop(columns=["segment_id"], errors="ignore").to_parquet(
        processed / f"{SEGMENTEN_TABEL}.parquet"
    )
    uit = Uitvoer("alle", "32_reintegratie", base=tmp_path / "runs")
    kwalitatief(Studie("alle"), uit, "reintegratie", processed=processed)
    t = pd.read_csv(uit.map / "codes.csv", dtype={"respondenten": str})
    per_code = dict(zip(t["code"], t["respondenten"], strict=True))
    assert per_code["werkzame_elementen/vertrouwen_nabijheid"] == "12"
    assert per_code["knelpunten/capaciteit"] == "< 10"
    assert t.set_index("code").loc["knelpunten/capaciteit", "segmenten"] == 3
