"""The Sprockler reader: `wijkmonitor ingest` recognises exports (CSV and XLSX) and writes the
pseudonymised processed table `sprockler` without ids or unreleased stories."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.core import privacy
from helpers.core.errors import InputError
from helpers.ingest.build import read_file, run_ingest
from helpers.ingest.readers.base import LINE_COL
from survey_helpers import MAPPING, row, write_export


def test_reader_recognises_csv_and_xlsx(tmp_path):
    rows = [row(1, vrijgegeven="Ja"), row(2, verhaal="Met Jan de Vries gesproken")]
    csv_path = write_export(tmp_path / "kort-demo.csv", rows)
    res = read_file(csv_path)
    assert res.formaat == "sprockler"
    df = res.tables["sprockler"]
    assert df[LINE_COL].tolist() == [2, 3]
    assert df["verhaal"].tolist() == ["Een verhaal zonder namen.", None]
    xlsx = tmp_path / "kort-demo.xlsx"
    pd.read_csv(csv_path, sep=";", dtype=str, keep_default_na=False,
                encoding="utf-8-sig").to_excel(xlsx, index=False)
    df2 = read_file(xlsx).tables["sprockler"]
    pd.testing.assert_frame_equal(df.drop(columns=[LINE_COL]), df2.drop(columns=[LINE_COL]))


def test_reader_errors_name_line_and_column(tmp_path):
    with pytest.raises(InputError) as exc:
        read_file(write_export(tmp_path / "fout-demo.csv", [row(1), row(2, toon="200")]))
    assert exc.value.line == 3 and exc.value.column == MAPPING.vragen["toon"].spec["kolom"]


def test_ingest_writes_pseudonymised_table(tmp_path):
    from helpers.demodata import sprockler as demo

    raw = tmp_path / "raw"
    raw.mkdir()
    demo.generate(raw, 2025)
    out = tmp_path / "proc"
    run_ingest(raw, out)
    df = pd.read_parquet(out / "sprockler.parquet")
    assert len(df) == 234 and df["respondent"].str.match(r"^p[0-9a-f]{16}$").all()
    assert LINE_COL not in df.columns
    _, rows = demo.build_rows(2025)
    assert privacy.scan_outputs([out], [r[0] for r in rows] + ["Fatima Yilmaz"]) == []
    assert df.loc[df["verhaal"].notna(), ["toestemming", "vrijgegeven"]].all(axis=None)


def test_cli_bad_input_writes_nothing(tmp_path):
    from typer.testing import CliRunner

    from helpers.cli import app

    bad = write_export(tmp_path / "fout-demo.csv", [row(1), row(1)])
    out = tmp_path / "uit"
    res = CliRunner().invoke(app, ["survey", "--input", str(bad), "--mapping",
                                   str(MAPPING.path), "--out", str(out)])
    assert res.exit_code == 1
    assert "respondentnummer komt dubbel voor" in res.output.replace("\n", " ")
    assert not out.exists() or not any(out.iterdir())
    good = write_export(tmp_path / "goed-demo.csv", [row(i) for i in range(12)])
    res = CliRunner().invoke(app, ["survey", "--input", str(good), "--mapping",
                                   str(MAPPING.path), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == [
        "beeldwijzer.csv", "bipoles.csv", "tripool.csv", "tripool_uitschieters.csv",
        "verhalen.csv"]
