"""The public demo pseudonymisation key (issue 13, point 5): used only for exports the
demo-data generator marks as demo in their content, never because of a file name; the demo
export stays git-ignored like a real one."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from helpers.core import config, privacy
from helpers.core.provenance import DEMO_KOLOM, DEMO_WAARDE, is_demo_export
from helpers.demodata import sprockler as demo
from helpers.ingest.build import read_file
from helpers.ingest.readers.sprockler_export import read_export, read_raw
from survey_helpers import MAPPING, row, write_export

GEHEIM = b"een-echt-geheim"


@pytest.fixture
def zonder_sleutel(monkeypatch):
    monkeypatch.delenv(privacy.SLEUTEL_ENV, raising=False)


@pytest.fixture(scope="module")
def demo_export(tmp_path_factory):
    return demo.generate(tmp_path_factory.mktemp("raw"), 2025)[0]


def _ids(path) -> list[str]:
    kol = MAPPING.een("id").spec["kolom"]
    header, rows, _ = read_raw(path)
    return [r[header.index(kol)] for r in rows]


def test_generator_marks_every_row(demo_export):
    header, rows, _ = read_raw(demo_export)
    assert header[-1] == DEMO_KOLOM
    assert {r[-1] for r in rows} == {DEMO_WAARDE}
    assert is_demo_export(header, rows)


def test_demo_key_follows_the_content_not_the_name(demo_export, tmp_path, zonder_sleutel):
    hernoemd = tmp_path / "sprockler-export-2025.csv"  # no 'demo' in the name
    shutil.copy(demo_export, hernoemd)
    resp = read_export(hernoemd, MAPPING)
    ids = _ids(hernoemd)
    assert resp["respondent"].tolist() == [privacy.pseudonym(i, privacy.DEMO_SLEUTEL) for i in ids]
    # the ingest reader decides the same way
    df = read_file(hernoemd).tables["sprockler"]
    assert df["respondent"].tolist() == resp["respondent"].tolist()


@pytest.mark.parametrize("naam", ["demo_export.csv", "sprockler-export-demo.csv",
                                  "DEMO.xlsx"])
def test_real_export_named_demo_needs_the_real_key(naam, tmp_path, zonder_sleutel, monkeypatch):
    import pandas as pd

    echt = write_export(tmp_path / "echt.csv", [row(1), row(2)], demo=False)
    pad = tmp_path / naam
    if pad.suffix == ".xlsx":
        pd.read_csv(echt, sep=";", dtype=str, keep_default_na=False,
                    encoding="utf-8-sig").to_excel(pad, index=False)
    else:
        shutil.copy(echt, pad)
    for read in (lambda: read_export(pad, MAPPING), lambda: read_file(pad)):
        with pytest.raises(privacy.SleutelOntbreekt) as exc:
            read()
        tekst = str(exc.value)
        assert naam in tekst and privacy.SLEUTEL_ENV in tekst
        assert "geen sleutel voor pseudonimisering" in tekst
        assert "bestandsnaam telt niet mee" in tekst and DEMO_KOLOM in tekst
    monkeypatch.setenv(privacy.SLEUTEL_ENV, GEHEIM.decode())
    resp = read_export(pad, MAPPING)
    assert resp["respondent"].tolist() == [privacy.pseudonym(f"R{i:04d}", GEHEIM) for i in (1, 2)]
    assert privacy.pseudonym("R0001", privacy.DEMO_SLEUTEL) not in set(resp["respondent"])


def test_marker_must_be_in_every_row(tmp_path, zonder_sleutel):
    rows = [row(1), row(2, **{DEMO_KOLOM: ""}), row(3, **{DEMO_KOLOM: "ja"})]
    pad = write_export(tmp_path / "gemengd-demo.csv", rows)
    with pytest.raises(privacy.SleutelOntbreekt):
        read_export(pad, MAPPING)
    header, raw, _ = read_raw(pad)
    assert not is_demo_export(header, raw)
    assert not is_demo_export(header[:-1], [r[:-1] for r in raw])
    assert is_demo_export(header, [raw[0]])


def test_cli_survey_refuses_a_real_export_named_demo(tmp_path, zonder_sleutel):
    from typer.testing import CliRunner

    from helpers.cli import app

    pad = write_export(tmp_path / "demo_export.csv", [row(i) for i in range(12)], demo=False)
    out = tmp_path / "uit"
    res = CliRunner().invoke(app, ["survey", "--input", str(pad), "--mapping",
                                   str(MAPPING.path), "--out", str(out)])
    assert res.exit_code == 1
    tekst = " ".join(res.output.split())
    assert "geen sleutel voor pseudonimisering" in tekst and privacy.SLEUTEL_ENV in tekst
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("pad", ["data/raw/sprockler-export-demo.csv",
                                 "data/raw/sprockler-export-2025.xlsx",
                                 "reports/sprockler-export-demo.csv",
                                 "sprockler-export-demo.xlsx"])
def test_survey_exports_are_git_ignored_whatever_their_name(pad):
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    res = subprocess.run(["git", "check-ignore", "--no-index", "-q", pad], cwd=config.ROOT,
                         capture_output=True, text=True)
    if res.returncode == 128:
        pytest.skip(f"not a git checkout: {res.stderr.strip()}")
    assert res.returncode == 0, f"{pad} is not git-ignored"
