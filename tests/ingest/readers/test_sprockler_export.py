"""Bad and awkward input for the Sprockler import: each a clear error naming file, line and
column, or a documented handling."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from helpers.core import privacy
from helpers.core.errors import InputError, RegistryError
from helpers.ingest.readers.sprockler_export import read_export
from helpers.registers.sprockler import load_mapping
from survey_helpers import MAPPING, TRI, V, col, row, write_export


def _err(tmp_path, rows, name="x-demo.csv", **kw) -> InputError:
    path = write_export(tmp_path / name, rows, **kw)
    with pytest.raises(InputError) as exc:
        read_export(path, MAPPING)
    return exc.value


@pytest.mark.parametrize("value", ["101", "-1", "100,5"])
def test_slider_outside_range(tmp_path, value):
    e = _err(tmp_path, [row(1), row(2, vertrouwen=value)])
    assert e.line == 3 and e.column == col("vertrouwen")
    assert "buiten 0-100" in str(e) and "regel 3" in str(e)


def test_slider_not_a_number(tmp_path):
    e = _err(tmp_path, [row(1, samen_leren="veel")])
    assert e.line == 2 and e.column == col("samen_leren") and "'veel' is geen getal" in str(e)


def test_decimal_comma_accepted(tmp_path):
    resp = read_export(write_export(tmp_path / "d-demo.csv", [row(1, toon="66,7")]), MAPPING)
    assert resp["toon"].iloc[0] == pytest.approx(66.7)


@pytest.mark.parametrize(("weights", "message"), [
    (("-0.1", "0.6", "0.5"), "negatief tripoolgewicht"),
    (("0.5", "0.2", "0.1"), "tellen op tot 0.800"),
    (("0.5", "", "0.5"), "tripoolgewicht ontbreekt"),
])
def test_tripole_weights(tmp_path, weights, message):
    r = row(1, **dict(zip(TRI.values(), weights, strict=True)))
    e = _err(tmp_path, [r])
    assert message in str(e) and e.line == 2


def test_tripole_rounding_within_tolerance_is_closed(tmp_path):
    r = row(1, **dict(zip(TRI.values(), ("0.333", "0.333", "0.333"), strict=True)))
    resp = read_export(write_export(tmp_path / "t-demo.csv", [r]), MAPPING)
    parts = resp[["leiderschap_visie", "leiderschap_daadkracht", "leiderschap_strategisch_denken"]]
    assert parts.sum(axis=1).iloc[0] == pytest.approx(1.0)


def test_unknown_classifier_value(tmp_path):
    e = _err(tmp_path, [row(1), row(2), row(3, rol="Wethouder")])
    assert e.line == 4 and e.column == col("rol") and "'Wethouder'" in str(e)
    assert "Beleid" in e.expected


def test_unknown_area_name(tmp_path):
    e = _err(tmp_path, [row(1, focusgebied="Atlantis Noord")])
    assert e.line == 2 and e.column == col("focusgebied") and "Atlantis Noord" in str(e)


def test_blank_classifiers_become_onbekend(tmp_path):
    resp = read_export(write_export(tmp_path / "b-demo.csv", [
        row(1, rol="", organisatietype="", focusgebied="")]), MAPPING)
    assert resp.loc[0, ["rol", "organisatietype", "focusgebied", "groep"]].tolist() == [
        "onbekend"] * 4


def test_duplicate_respondent_ids(tmp_path):
    rows = [row(1), row(2), row(1)]
    e = _err(tmp_path, rows)
    assert e.line == 4 and e.column == col("respondent") and "ook op regel 2" in str(e)


def test_mapping_names_missing_column(tmp_path):
    e = _err(tmp_path, [row(1)], drop=(col("gelijkwaardigheid"),))
    assert e.line == 1 and e.column == col("gelijkwaardigheid")
    assert "ontbreekt" in str(e) and "gelijkwaardigheid" in str(e)


def test_cp1252_csv_read_correctly(tmp_path):
    rows = [row(1, verhaal="Café één keer: Zoë's overleg", toestemming="Ja", vrijgegeven="Ja")]
    path = write_export(tmp_path / "c-demo.csv", rows, encoding="cp1252")
    resp = read_export(path, MAPPING)
    assert resp["verhaal"].iloc[0] == "Café één keer: Zoë's overleg"


def test_comma_delimited_and_multiline_story_line_numbers(tmp_path):
    rows = [row(1, verhaal="regel een\nregel twee\nregel drie"), row(2, toon="150")]
    e = _err(tmp_path, rows, delimiter=",")
    assert e.line == 5  # header 1, first record lines 2-4


def test_xlsx_equals_csv(tmp_path):
    rows = [row(i, toon=str(10 * i), verhaal=f"verhaal {i}", vrijgegeven="Ja") for i in range(1, 6)]
    csv_path = write_export(tmp_path / "a-demo.csv", rows)
    xlsx = tmp_path / "a-demo.xlsx"
    pd.read_csv(csv_path, sep=";", dtype=str, keep_default_na=False,
                encoding="utf-8-sig").to_excel(xlsx, index=False)
    a, b = read_export(csv_path, MAPPING), read_export(xlsx, MAPPING)
    pd.testing.assert_frame_equal(a, b)


def test_xlsx_error_names_excel_row(tmp_path):
    rows = [row(1), row(2, toon="-5")]
    csv_path = write_export(tmp_path / "e.csv", rows)
    xlsx = tmp_path / "e-demo.xlsx"
    pd.read_csv(csv_path, sep=";", dtype=str, keep_default_na=False,
                encoding="utf-8-sig").to_excel(xlsx, index=False)
    with pytest.raises(InputError) as exc:
        read_export(xlsx, MAPPING)
    assert exc.value.line == 3 and exc.value.column == col("toon")


def test_empty_file_and_header_only(tmp_path):
    empty = tmp_path / "leeg-demo.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="leeg"):
        read_export(empty, MAPPING)
    with pytest.raises(InputError, match="geen respondenten"):
        read_export(write_export(tmp_path / "h-demo.csv", []), MAPPING)


def test_bad_flag(tmp_path):
    e = _err(tmp_path, [row(1, toestemming="misschien")])
    assert e.column == col("toestemming") and "ja/nee" in str(e)


def test_picture_only_one_coordinate(tmp_path):
    e = _err(tmp_path, [row(1, **{V["gevoel"].spec["y_kolom"]: ""})])
    assert "alleen x of alleen y" in str(e)


def test_real_export_needs_key(tmp_path, monkeypatch):
    path = write_export(tmp_path / "sprockler-export-2025.csv", [row(1)], demo=False)
    monkeypatch.delenv(privacy.SLEUTEL_ENV, raising=False)
    with pytest.raises(privacy.SleutelOntbreekt, match=privacy.SLEUTEL_ENV):
        read_export(path, MAPPING)
    monkeypatch.setenv(privacy.SLEUTEL_ENV, "een-echt-geheim")
    resp = read_export(path, MAPPING)
    assert resp["respondent"].iloc[0] == privacy.pseudonym("R0001", b"een-echt-geheim")
    assert resp["respondent"].iloc[0] != privacy.pseudonym("R0001", privacy.DEMO_SLEUTEL)


def test_unreleased_or_unconsented_story_blanked(tmp_path):
    rows = [row(1, verhaal="A", toestemming="Ja", vrijgegeven="Nee"),
            row(2, verhaal="B", toestemming="Nee", vrijgegeven="Ja"),
            row(3, verhaal="C", toestemming="Ja", vrijgegeven="Ja")]
    resp = read_export(write_export(tmp_path / "v-demo.csv", rows), MAPPING)
    assert resp["verhaal"].tolist() == [None, None, "C"]
    assert resp["verhaal_titel"].tolist() == [None, None, "Titel"]


def test_sensemaker_triad_via_xy(tmp_path):
    spec = yaml.safe_load(MAPPING.path.read_text(encoding="utf-8"))
    spec["vragen"]["leiderschap"] = {
        "type": "tripool", "label": "Leiderschap", "bouwsteen": "betekenisvol_proces",
        "polen": {"visie": "visie", "daadkracht": "daadkracht",
                  "strategisch_denken": "strategisch denken"},
        "xy": {"x": "T1_X", "y": "T1_Y",
               "hoeken": {"visie": [0, 0], "daadkracht": [100, 0],
                          "strategisch_denken": [50, 86.6]}},
    }
    mp = tmp_path / "sensemaker.yml"
    mp.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    m = load_mapping(mp)
    rows = []
    for i, (x, y) in enumerate([(50, 28.87), (0, 0), (100, 0)], 1):
        r = row(i)
        for k in TRI.values():
            r.pop(k)
        r["T1_X"], r["T1_Y"] = str(x), str(y)
        rows.append(r)
    path = tmp_path / "triad-demo.csv"
    header = list(rows[0])
    path.write_text(";".join(header) + "\n" + "\n".join(
        ";".join(r[h] for h in header) for r in rows) + "\n", encoding="utf-8")
    resp = read_export(path, m)
    assert resp.loc[0, "leiderschap_visie"] == pytest.approx(1 / 3, abs=1e-3)
    assert resp.loc[1, "leiderschap_visie"] == pytest.approx(1.0)
    assert resp.loc[2, "leiderschap_daadkracht"] == pytest.approx(1.0)
    bad = rows[:1]
    bad[0]["T1_X"], bad[0]["T1_Y"] = "5", "80"
    path.write_text(";".join(header) + "\n" + ";".join(bad[0][h] for h in header) + "\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match="buiten de driehoek"):
        read_export(path, m)


def test_bad_mapping_files(tmp_path):
    spec = yaml.safe_load(MAPPING.path.read_text(encoding="utf-8"))
    spec["vragen"]["toon"]["type"] = "schuif"
    p = tmp_path / "m.yml"
    p.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RegistryError, match="onbekend type 'schuif'"):
        load_mapping(p)
    spec["vragen"]["toon"]["type"] = "bipool"
    spec["vragen"]["toon"]["bouwsteen"] = "kasteel"
    p.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RegistryError, match="onbekende bouwsteen 'kasteel'"):
        load_mapping(p)
    with pytest.raises(RegistryError, match="bestaat niet"):
        load_mapping(tmp_path / "nope.yml")


def test_full_demo_export_as_cp1252_and_xlsx(tmp_path):
    from helpers.demodata import sprockler as demo

    header, rows = demo.build_rows(2025)
    utf8 = tmp_path / "a-demo.csv"
    utf8.write_bytes(demo.to_csv_bytes(header, rows))
    cp = tmp_path / "b-demo.csv"
    cp.write_bytes(demo.to_csv_bytes(header, rows, encoding="cp1252"))
    xlsx = tmp_path / "c-demo.xlsx"
    pd.DataFrame(rows, columns=header).to_excel(xlsx, index=False)
    a = read_export(utf8, MAPPING)
    pd.testing.assert_frame_equal(a, read_export(cp, MAPPING))
    pd.testing.assert_frame_equal(a, read_export(xlsx, MAPPING))
