"""Helpers for the survey tests: hand-built Sprockler exports with known values."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from helpers.core.provenance import DEMO_KOLOM, DEMO_WAARDE
from helpers.registers.sprockler import load_mapping

MAPPING = load_mapping()
V = MAPPING.vragen
TRI = V["leiderschap"].spec["kolommen"]


def col(qid: str) -> str:
    return V[qid].spec["kolom"]


DEFAULTS = {
    col("respondent"): "",
    col("ingevuld_op"): "2025-04-01",
    col("focusgebied"): "Lelystad Oost",
    col("verhaal_titel"): "Titel",
    col("verhaal"): "Een verhaal zonder namen.",
    **{col(v.id): "50" for v in MAPPING.bipolen},
    V["bewonersdeelname"].spec["nvt_kolom"]: "",
    TRI["visie"]: "0.2", TRI["daadkracht"]: "0.5", TRI["strategisch_denken"]: "0.3",
    V["gevoel"].spec["x_kolom"]: "60", V["gevoel"].spec["y_kolom"]: "60",
    col("rol"): "Beleid",
    col("organisatietype"): "Gemeente (anders dan programmabureau)",
    V["organisatietype_anders"].spec["kolom"]: "",
    col("periode"): "Tussen 1 en 2 jaar",
    col("toestemming"): "Ja",
    col("vrijgegeven"): "Nee",
    # hand-built exports are fictitious: they carry the demo-data generator's content marker,
    # so the public demo key applies whatever the file is called (write_export(demo=False)
    # leaves it out, like a real export)
    DEMO_KOLOM: DEMO_WAARDE,
}


def row(i: int, **overrides: str) -> dict[str, str]:
    """One respondent; ``overrides`` by question id (bipoles, classifiers) or column header."""
    r = dict(DEFAULTS)
    r[col("respondent")] = f"R{i:04d}"
    for k, v in overrides.items():
        key = col(k) if k in V and "kolom" in V[k].spec else k
        r[key] = v
    return r


def write_export(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8-sig",
                 delimiter: str = ";", drop: tuple[str, ...] = (), demo: bool = True) -> Path:
    drop = drop if demo else (*drop, DEMO_KOLOM)
    header = [h for h in DEFAULTS if h not in drop]
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(header)
    for r in rows:
        w.writerow([r[h] for h in header])
    path.write_bytes(buf.getvalue().encode(encoding))
    return path
