"""Demo data for the sociale cohesie layouts (fictitious, deterministic).

- ``bewonersinitiatieven-demo.csv``: initiatives in 2024 and 2025 in the seven areas of the
  study (register theme ``sociale_cohesie``), more in the two phase-2 areas;
- ``kernpersonen-vragenlijst-demo.csv``: the 2025 Likert questionnaire among kernpersonen;
  the phase-2 areas have enough respondents to show shares, the others fewer than the minimum
  n (so suppression is visible).

Areas are written the way the publication spells them (names/aliases), as real exports do;
the readers resolve them through the registry.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from helpers.core import config
from helpers.core.io import write_atomic
from helpers.registers.focusgebieden import resolve_gebied

INITIATIEVEN = "bewonersinitiatieven-demo.csv"
KERNPERSONEN = "kernpersonen-vragenlijst-demo.csv"
THEMAS = ("ontmoeting", "jongeren", "ouderen", "groen_en_buurt", "armoede", "gezondheid",
          "cultuur", "veiligheid", "taal_en_ontwikkeling")
ITEMS = ["stelling_betrokkenheid", "stelling_netwerken", "stelling_uitvoering",
         "stelling_vertrouwen", "stelling_zeggenschap"]
ROLLEN = ("coordinator", "bewoner", "professional", "partner")
# Answer distribution 1..5 per item (fictitious; 'vertrouwen' the least positive).
VERDELING = {
    "stelling_betrokkenheid": [0.04, 0.10, 0.22, 0.44, 0.20],
    "stelling_netwerken": [0.03, 0.08, 0.20, 0.45, 0.24],
    "stelling_uitvoering": [0.06, 0.14, 0.30, 0.36, 0.14],
    "stelling_vertrouwen": [0.08, 0.20, 0.34, 0.30, 0.08],
    "stelling_zeggenschap": [0.07, 0.16, 0.30, 0.35, 0.12],
}


def _gebieden() -> list[tuple[str, str, bool]]:
    """(id, display name as the publication spells it, phase 2?) of the study's areas."""
    import yaml


    data = yaml.safe_load(config.INTERVENTIES_YML.read_text(encoding="utf-8"))
    out: dict[str, tuple[str, str, bool]] = {}
    for item in data["themas"]["sociale_cohesie"]["interventies"]:
        gid = resolve_gebied(item["focusgebied"])
        fase2 = str(item.get("fase_2") or "") == "x"
        if gid not in out or fase2:
            out[gid] = (gid, str(item["focusgebied"]), fase2)
    return list(out.values())


def _write(path: Path, kolommen: list[str], rows: list[dict]) -> Path:
    def _fill(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=kolommen, delimiter=";", lineterminator="\n")
            w.writeheader()
            w.writerows(rows)

    write_atomic(path, _fill)
    return path


def initiatieven(rng: random.Random) -> list[dict]:
    rows = []
    for gid, naam, fase2 in _gebieden():
        prefix = gid.upper()
        for jaar in (2024, 2025):
            aantal = rng.randint(9, 15) if fase2 else rng.randint(3, 8)
            if jaar == 2025:
                aantal += rng.randint(0, 3)
            for k in range(1, aantal + 1):
                themas = rng.sample(THEMAS, rng.choice([1, 1, 2]))
                deelnemers = "" if rng.random() < 0.08 else str(rng.randint(8, 120))
                rows.append({"initiatief_id": f"{prefix}-{jaar}-{k:02d}", "focusgebied": naam,
                             "jaar": jaar, "themas": ";".join(themas),
                             "budget_euro": rng.choice([250, 500, 750, 1000, 1500, 2500, 4000, 6500]),
                             "deelnemers": deelnemers, "organisatoren": rng.randint(1, 6)})
    return rows


def kernpersonen(rng: random.Random) -> list[dict]:
    rows = []
    nr = 0
    for _gid, naam, fase2 in _gebieden():
        n = rng.randint(14, 18) if fase2 else rng.randint(3, 7)
        for _ in range(n):
            nr += 1
            row = {"respondent": f"k{nr:03d}", "focusgebied": naam, "jaar": 2025,
                   "rol": rng.choice(ROLLEN)}
            for item in ITEMS:
                row[item] = "" if rng.random() < 0.06 else rng.choices([1, 2, 3, 4, 5], VERDELING[item])[0]
            rows.append(row)
    return rows


def generate(out: Path, seed: int) -> list[Path]:
    """Write both demo files into ``out``; same seed, same bytes."""
    rng = random.Random(f"themes-a-{seed}")
    p1 = _write(out / INITIATIEVEN, ["initiatief_id", "focusgebied", "jaar", "themas",
                                       "budget_euro", "deelnemers", "organisatoren"],
                  initiatieven(rng))
    p2 = _write(out / KERNPERSONEN, ["respondent", "focusgebied", "jaar", "rol", *ITEMS],
                  kernpersonen(rng))
    return [p1, p2]
