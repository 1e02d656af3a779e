"""Reader for the register of bewonersinitiatieven (theme study sociale cohesie).

Layout ``bewonersinitiatieven-csv`` (processed table ``bewonersinitiatieven``), one row per
initiative supported in a year; see docs/layouts.md, "Bewonersinitiatieven"::

    initiatief_id;focusgebied;jaar;themas;budget_euro;deelnemers;organisatoren
    LO-2024-01;Leeuwarden Oost;2024;ontmoeting;2500;40;3

- ``initiatief_id``: unique code without spaces; ``focusgebied``: id, name or alias from
  params/focusgebieden.yml; ``jaar``: 2015-2100.
- ``themas``: one or more of :data:`THEMAS` separated by ``;`` (quote the cell in a ``;`` file).
- ``budget_euro``: SPUK KW contribution in euro (>= 0, decimal point or comma, no thousands
  separator); ``deelnemers``: residents taking part (integer >= 0, empty = unknown);
  ``organisatoren``: residents organising it (integer >= 1).

Every cell is validated; any bad cell raises :class:`helpers.core.errors.InputError` naming file,
line (header = 1) and column, so nothing of the file is written.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.core.errors import InputError
from helpers.core.schemas import pa, register
from helpers.ingest.readers.rows import RowsReader, gebied, geheel

if TYPE_CHECKING:  # pragma: no cover
    pass

FORMAAT = "bewonersinitiatieven-csv"
TABEL = "bewonersinitiatieven"
KOLOMMEN = [
    "initiatief_id",
    "focusgebied",
    "jaar",
    "themas",
    "budget_euro",
    "deelnemers",
    "organisatoren",
]
THEMAS = (
    "ontmoeting",
    "jongeren",
    "ouderen",
    "groen_en_buurt",
    "armoede",
    "gezondheid",
    "cultuur",
    "veiligheid",
    "taal_en_ontwikkeling",
)


def _register_schema() -> None:

    register(
        TABEL,
        pa.DataFrameSchema(
            {
                "initiatief_id": pa.Column(str),
                "focusgebied": pa.Column(str),
                "jaar": pa.Column("int64", pa.Check.in_range(2015, 2100)),
                "themas": pa.Column(str),
                "budget_euro": pa.Column("float64", pa.Check.ge(0)),
                "deelnemers": pa.Column("Int64", pa.Check.ge(0), nullable=True),
                "organisatoren": pa.Column("int64", pa.Check.ge(1)),
            },
            unique=["initiatief_id"],
            strict=True,
            ordered=True,
            name=TABEL,
        ),
    )


def _row(p: Path, line: int, r: dict[str, str]) -> dict:
    """One initiative from the cells of data line ``line`` (raises InputError on a bad cell)."""
    if not r["initiatief_id"] or re.search(r"\s", r["initiatief_id"]):
        raise InputError(
            p,
            f"ongeldige code '{r['initiatief_id']}'",
            line=line,
            column="initiatief_id",
            expected="niet-lege code zonder spaties",
        )
    themas = [t.strip() for t in r["themas"].split(";") if t.strip()]
    if not themas:
        raise InputError(
            p,
            "geen thema",
            line=line,
            column="themas",
            expected="een of meer van: " + ", ".join(THEMAS),
        )
    for t in themas:
        if t not in THEMAS:
            raise InputError(
                p,
                f"onbekend thema '{t}'",
                line=line,
                column="themas",
                expected="een of meer van: " + ", ".join(THEMAS),
            )
    budget = r["budget_euro"].replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?", budget):
        raise InputError(
            p,
            f"geen bedrag: '{r['budget_euro']}'",
            line=line,
            column="budget_euro",
            expected="bedrag in euro >= 0 zonder duizendtallen, bv. 2500 of 2500,50",
        )
    return {
        "initiatief_id": r["initiatief_id"],
        "focusgebied": gebied(r["focusgebied"], p, line),
        "jaar": geheel(r["jaar"], p, line, "jaar", minimum=2015, maximum=2100),
        "themas": ";".join(themas),
        "budget_euro": float(budget),
        "deelnemers": geheel(r["deelnemers"], p, line, "deelnemers", leeg=True),
        "organisatoren": geheel(r["organisatoren"], p, line, "organisatoren", minimum=1),
    }


READER = RowsReader(
    formaat=FORMAAT,
    beschrijving=(
        "bewonersinitiatieven: kolommen initiatief_id, focusgebied, jaar, themas, "
        "budget_euro, deelnemers, organisatoren"
    ),
    tabel=TABEL,
    kolommen=KOLOMMEN,
    register_schema=_register_schema,
    read_row=_row,
    typen={"deelnemers": "Int64", "jaar": "int64"},
    uniek=["initiatief_id"],
    dubbel=lambda r: f"initiatief_id '{r['initiatief_id']}' komt twee keer voor",
    uniek_verwacht="unieke codes",
)
