"""Reader for the short Likert questionnaire among kernpersonen (theme study sociale cohesie).

Layout ``kernpersonen-likert-csv`` (processed table ``kernpersonen_likert``), one row per
respondent; see docs/layouts.md, "Vragenlijst kernpersonen"::

    respondent;focusgebied;jaar;rol;stelling_betrokkenheid;stelling_netwerken;stelling_uitvoering;stelling_vertrouwen;stelling_zeggenschap
    k017;Schiedam Nieuwland en Oost;2025;coordinator;4;5;3;;4

- ``respondent``: pseudonymous code (never published); ``focusgebied``: id, name or alias;
  ``jaar``: 2015-2100; ``rol``: one of :data:`ROLLEN`.
- ``stelling_*``: 1 (helemaal oneens) ... 5 (helemaal eens); empty = not answered (excluded
  from that item's base). The statements are in :data:`helpers.studies.themes.cohesie.STELLINGEN`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from helpers.core.errors import InputError
from helpers.core.schemas import pa, register
from helpers.ingest.readers.rows import RowsReader, gebied, geheel

if TYPE_CHECKING:  # pragma: no cover
    pass

FORMAAT = "kernpersonen-likert-csv"
TABEL = "kernpersonen_likert"
ITEMS = [
    "stelling_betrokkenheid",
    "stelling_netwerken",
    "stelling_uitvoering",
    "stelling_vertrouwen",
    "stelling_zeggenschap",
]
ROLLEN = ("coordinator", "bewoner", "professional", "partner")
KOLOMMEN = ["respondent", "focusgebied", "jaar", "rol", *ITEMS]


def _register_schema() -> None:

    register(
        TABEL,
        pa.DataFrameSchema(
            {
                "respondent": pa.Column(str),
                "focusgebied": pa.Column(str),
                "jaar": pa.Column("int64", pa.Check.in_range(2015, 2100)),
                "rol": pa.Column(str, pa.Check.isin(list(ROLLEN))),
                **{i: pa.Column("Int64", pa.Check.in_range(1, 5), nullable=True) for i in ITEMS},
            },
            unique=["respondent", "jaar"],
            strict=True,
            ordered=True,
            name=TABEL,
        ),
    )


def _row(p: Path, line: int, r: dict[str, str]) -> dict:
    """One respondent from the cells of data line ``line`` (raises InputError on a bad cell)."""
    if not r["respondent"]:
        raise InputError(
            p,
            "lege respondentcode",
            line=line,
            column="respondent",
            expected="een pseudonieme code",
        )
    if r["rol"] not in ROLLEN:
        raise InputError(
            p, f"onbekende rol '{r['rol']}'", line=line, column="rol", expected=", ".join(ROLLEN)
        )
    rij = {
        "respondent": r["respondent"],
        "focusgebied": gebied(r["focusgebied"], p, line),
        "jaar": geheel(r["jaar"], p, line, "jaar", minimum=2015, maximum=2100),
        "rol": r["rol"],
    }
    for item in ITEMS:
        rij[item] = geheel(r[item], p, line, item, minimum=1, maximum=5, leeg=True)
    return rij


READER = RowsReader(
    formaat=FORMAAT,
    beschrijving=(
        "vragenlijst kernpersonen: kolommen respondent, focusgebied, jaar, rol, " + ", ".join(ITEMS)
    ),
    tabel=TABEL,
    kolommen=KOLOMMEN,
    register_schema=_register_schema,
    read_row=_row,
    typen={"jaar": "int64", **dict.fromkeys(ITEMS, "Int64")},
    uniek=["respondent", "jaar"],
    dubbel=lambda r: f"respondent '{r['respondent']}' komt twee keer voor in {r['jaar']}",
    uniek_verwacht="één rij per respondent en jaar",
)
