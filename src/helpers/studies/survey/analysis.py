"""Process evaluation tables: select respondents, analyse, write (see :mod:`helpers.studies.survey`)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.core.io import write_files_together, write_table
from helpers.registers.focusgebieden import resolve_gebied
from helpers.registers.sprockler import Mapping
from helpers.studies.survey import bipoles as bipolen
from helpers.studies.survey import picture as beeld
from helpers.studies.survey import stories as verhalen
from helpers.studies.survey import tripole as tripool

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

TABELLEN = ("bipoles", "tripool", "tripool_uitschieters", "beeldwijzer", "verhalen")


def filter_gebied(resp: pd.DataFrame, focusgebied: str = "alle") -> pd.DataFrame:
    """Respondents of one focus area (``alle``: everyone). The id is resolved through the
    registry, so names and aliases work too; an area without respondents gives an empty table
    (the tables then show suppressed, empty groups)."""
    if focusgebied in (None, "", "alle"):
        return resp

    gid = resolve_gebied(focusgebied)
    return resp[resp["focusgebied"] == gid]


def analyse(resp: pd.DataFrame, mapping: Mapping, *, focusgebied: str = "alle",
            groeperingen: list[str] | None = None, min_n: int | None = None,
            signaal_n: int | None = None) -> dict[str, pd.DataFrame]:
    """All publishable tables for ``focusgebied`` (suppressed with ``min_n``, flagged with
    ``signaal_n``; defaults from the mapping)."""

    sel = filter_gebied(resp, focusgebied)
    kw = {"min_n": min_n, "signaal_n": signaal_n}
    out = {"bipoles": bipolen.bipole_table(sel, mapping, groeperingen=groeperingen, **kw)}
    tri = mapping.een("tripool")
    if tri is not None:
        out["tripool"] = tripool.tripole_table(sel, mapping, tri.id, **kw)
        out["tripool_uitschieters"] = tripool.outliers(sel, mapping, tri.id, min_n=min_n)
    pic = mapping.een("beeld")
    if pic is not None:
        out["beeldwijzer"] = beeld.picture_table(sel, mapping, pic.id, **kw)
    out["verhalen"] = verhalen.select_stories(sel, mapping)
    return out


def write_tables(tables: dict[str, pd.DataFrame], out: Path) -> list[Path]:
    """Write tables as ``<name>.csv`` into ``out`` together (all or none, through
    :func:`helpers.core.io.write_files_together`). Each goes through
    :func:`helpers.core.io.write_table` (spreadsheet-safe: story titles or texts that start
    like a formula are neutralised)."""
    return write_files_together(out, {f"{name}.csv": partial(write_table, table=df)
                                      for name, df in tables.items()})
