"""pandera schemas of the processed tables, one per table name, in :data:`SCHEMAS`.

:mod:`helpers.ingest.build` validates every table a reader produces against ``SCHEMAS[name]``
generically:

- the schema's ``unique`` columns are the table's **key**: a duplicate key within one file is an
  error naming the file and both lines; across files too, unless the schema's metadata says
  ``{"merge": "voorrang"}`` (then rows of the same key are merged: the file whose reader has the
  highest ``ReadResult.voorrang`` wins and lower ones only fill its missing values — used for
  ``regions``, which KWB and Leefbaarometer files both describe);
- ``strict=True`` and ``ordered=True``: the written parquet has exactly these columns in this
  order; rows are sorted by the key.

Other modules add their tables (survey, coding, theme registrations) with
:func:`register` (from their reader module, at import) or by adding an entry below::

    from helpers.core.schemas import register, pa
    register("sprockler", pa.DataFrameSchema({...}, unique=["respondent_id"], strict=True,
                                             ordered=True))

Importing this module imports pandas and pandera (heavy): import it lazily (inside functions).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

# String columns are declared as arrow-backed strings: ingest casts object columns to this dtype
# for validation (vectorised regex/dtype checks), and writes plain strings to parquet, so
# ``pd.read_parquet`` returns ordinary object columns. ``str`` works too (slower on big tables).
STR = pd.StringDtype("pyarrow")

# Wijk/buurt codes may hold capitals after the gemeente digits (Amsterdam 2024: WK0363AA).
CODE_REGEX = r"^(?:NL\d{2}|GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$"
SCORES = ["lbm", "afw", "fys", "onv", "soc", "vrz", "won"]

REGIONS = pa.DataFrameSchema(
    {
        "code": pa.Column(STR, pa.Check.str_matches(CODE_REGEX)),
        "naam": pa.Column(STR, nullable=True),
        "soort": pa.Column(STR, pa.Check.isin(["land", "gemeente", "wijk", "buurt"])),
        "gemeente": pa.Column(STR, pa.Check.str_matches(r"^GM\d{4}$"), nullable=True),
        "indelingsjaar": pa.Column("int64", pa.Check.in_range(1990, 2100)),
        "indelingswijziging": pa.Column("Int64", nullable=True),
    },
    unique=["code", "indelingsjaar"],
    strict=True,
    ordered=True,
    metadata={"merge": "voorrang"},
    name="regions",
)

KWB = pa.DataFrameSchema(
    {
        "code": pa.Column(STR, pa.Check.str_matches(CODE_REGEX)),
        "jaar": pa.Column("int64", pa.Check.in_range(1990, 2100)),
        "variabele": pa.Column(STR),
        "waarde": pa.Column("float64", nullable=True),
    },
    unique=["code", "jaar", "variabele"],
    strict=True,
    ordered=True,
    name="kwb",
)

LEEFBAAROMETER = pa.DataFrameSchema(
    {
        "code": pa.Column(STR, pa.Check.str_matches(r"^(?:WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$")),
        "niveau": pa.Column(STR, pa.Check.isin(["wijk", "buurt"])),
        "jaar": pa.Column("int64", pa.Check.in_range(1990, 2100)),
        # lbm: total score, around 3-5 on the Leefbaarometer scale; the others are deviations.
        "lbm": pa.Column("float64", pa.Check.in_range(0, 10), nullable=True),
        **{c: pa.Column("float64", nullable=True) for c in SCORES[1:]},
    },
    unique=["code", "jaar"],
    strict=True,
    ordered=True,
    name="leefbaarometer",
)

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "regions": REGIONS,
    "kwb": KWB,
    "leefbaarometer": LEEFBAAROMETER,
}

# Tables ingest always writes (empty when no raw file contributes rows), so that downstream
# modules find them.
CORE_TABLES = ("regions", "kwb", "leefbaarometer")


def register(name: str, schema: pa.DataFrameSchema) -> None:
    """Register the schema of a processed table (``name`` = parquet file stem).

    Re-registering the same name replaces the schema (idempotent module reloads).
    """
    SCHEMAS[name] = schema


def key_columns(name: str) -> list[str]:
    """The key columns of table ``name`` (the schema's ``unique``; may be empty)."""
    u = SCHEMAS[name].unique
    if u is None:
        return []
    return [u] if isinstance(u, str) else list(u)


def merges_across_files(name: str) -> bool:
    """True when rows with the same key from different files are merged (not an error)."""
    return (SCHEMAS[name].metadata or {}).get("merge") == "voorrang"


def empty_frame(name: str):
    """An empty DataFrame with the columns and dtypes of table ``name``."""
    cols = {}
    for col, spec in SCHEMAS[name].columns.items():
        dt = str(spec.dtype) if spec.dtype is not None else "object"
        cols[col] = pd.Series(dtype="object" if dt == "str" or dt.startswith("string") else dt)
    return pd.DataFrame(cols)
