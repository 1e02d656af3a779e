"""Schema validation of a combined processed table, with errors in the file's own terms.

A pandera failure becomes one :class:`~helpers.core.errors.InputError` naming the raw file, the
line, the column *as the file names it* (``jaar`` in a Leefbaarometer file, ``Perioden`` in a
StatLine export — not the internal table column ``indelingsjaar``; for ``kwb.waarde`` the
source column in ``variabele``) and, in Dutch, what was expected.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers.core import schemas
from helpers.core.errors import InputError
from helpers.ingest.readers.base import LINE_COL

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

FILE_COL = "_bestand"  # helper column during combination: index into the list of files


def describe_check(check: Any) -> str:
    """A pandera check in Dutch (``in_range(1990, 2100)`` -> ``een waarde van 1990 tot en met
    2100``); unknown checks keep pandera's text."""
    name = getattr(check, "name", None)
    stats = getattr(check, "statistics", None) or {}
    if name == "in_range":
        return f"een waarde van {stats.get('min_value')} tot en met {stats.get('max_value')}"
    if name == "isin":
        return "een van " + ", ".join(map(str, stats.get("allowed_values", [])))
    if name == "str_matches":
        return f"tekst van de vorm {stats.get('pattern')}"
    if name in ("greater_than_or_equal_to", "ge"):
        return f"ten minste {stats.get('min_value')}"
    return str(check)


def _file_column(column: str | None, row: pd.Series | None, mapping: dict[str, str]) -> str | None:
    if column == "waarde" and row is not None and "variabele" in row.index:
        return str(row["variabele"])
    return mapping.get(column, column) if column else column


def validate_table(
    name: str,
    df: pd.DataFrame,
    files: list[Path],
    sources: dict[int, dict[str, dict[str, str]]] | None = None,
) -> None:
    """pandera validation of table ``name`` (``df`` carries :data:`FILE_COL` and
    :data:`LINE_COL`); the first failure becomes an :class:`InputError` with file, line and the
    file's column name (from ``sources``: file index -> table -> table column -> file column).
    """
    import pandera.errors as pe

    schema = schemas.SCHEMAS[name]
    data = df.drop(columns=[FILE_COL, LINE_COL])
    for col, spec in schema.columns.items():
        if str(spec.dtype).startswith("string") and col in data and data[col].dtype == object:
            data[col] = data[col].astype(str(spec.dtype))
    try:
        schema.validate(data, lazy=False)
    except (pe.SchemaError, pe.SchemaErrors) as exc:
        column = getattr(exc, "column_name", None)
        fc = getattr(exc, "failure_cases", None)
        if isinstance(exc, pe.SchemaErrors):
            column = None if fc is None or not len(fc) else fc["column"].iloc[0]
        file, line, case, row, mapping = None, None, None, None, {}
        try:
            if fc is not None and len(fc) and "index" in fc.columns:
                idx = fc["index"].iloc[0]
                if idx is not None and idx == idx:
                    row = df.loc[int(idx)]
                    fi = int(row[FILE_COL])
                    file, line = files[fi], int(row[LINE_COL])
                    mapping = ((sources or {}).get(fi) or {}).get(name, {})
                case = fc["failure_case"].iloc[0] if "failure_case" in fc.columns else None
        except (KeyError, ValueError, TypeError):
            pass
        check = getattr(exc, "check", None)
        raise InputError(
            file,
            f"tabel '{name}' voldoet niet aan het schema"
            + (f": waarde '{case}'" if case is not None else ""),
            line=line,
            column=_file_column(column, row, mapping),
            expected=describe_check(check) if check is not None else str(exc),
        ) from exc
