"""Numbers in raw cells: the symbols each source uses, conversion, and plausibility of
counts and percentages.

Symbols belong to a source, not to all files (issue 12, point 6):

- CBS (StatLine, OData, ``kwb-YYYY.xlsx``): ``.`` (figure unknown, suppressed or not yet
  available), ``x`` (secret) and an empty cell are missing (NaN — never 0); ``-`` (nihil: the
  value is zero, also the en dash) becomes 0. See :data:`CBS`.
- Leefbaarometer 3.0 open data: only ``NA`` and an empty cell are missing; a ``-`` or ``.`` is
  an error. See :data:`LEEFBAAROMETER`.

The texts ``nan``, ``inf`` (any case) are never a value or a missing value: no source defines
them, and accepting them would hide a broken export.

Everything is vectorised (pandas/numpy/pyarrow); Python loops only find the first bad cell for
the error message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.core.errors import InputError
from helpers.registers.indicatoren import load_indicatoren

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import pyarrow as pa

STR = "string[pyarrow]"


@dataclass(frozen=True)
class Symbols:
    """The cell symbols of one source: ``missing`` become NaN, ``nihil`` become 0."""

    bron: str
    missing: tuple[str, ...]
    nihil: tuple[str, ...] = ()

    @property
    def expected(self) -> str:
        """What a number cell of this source may hold (Dutch, for messages)."""
        shown = [f"'{m}'" for m in self.missing if m]
        text = "een getal (decimale punt of komma)"
        text += f", of {' of '.join(shown)} of leeg voor onbekend" if shown else ", of leeg"
        if self.nihil:
            text += f", of '{self.nihil[0]}' voor nihil (0)"
        return f"{text} — {self.bron}"


CBS = Symbols("symbolen van het CBS", ("", ".", "x"), ("-", "\u2013"))
LEEFBAAROMETER = Symbols("de Leefbaarometer kent alleen 'NA'", ("", "NA"))


def not_finite(table: pa.Table) -> bool:
    """True when a floating-point column of ``table`` holds NaN or an infinity (pyarrow parses
    the texts ``nan``/``inf`` as numbers; genuine missing cells are null, not NaN)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for col in table.columns:
        if (
            pa.types.is_floating(col.type)
            and len(col)
            and (pc.any(pc.is_nan(col)).as_py() or pc.any(pc.is_inf(col)).as_py())
        ):
            return True
    return False


def _first_bad(values: pd.Series, i: int, path: Path, column: str, symbols: Symbols) -> InputError:
    return InputError(
        path,
        f"'{values.iloc[i]}' is geen getal",
        line=int(values.index[i]) + 2,
        column=column,
        expected=symbols.expected,
    )


def to_numbers(values: pd.Series, path: Path, column: str, symbols: Symbols = CBS) -> pd.Series:
    """Convert one column of raw cells to float64.

    Accepts numbers (also from xlsx cells), strings with surrounding spaces and a decimal point
    or comma; ``symbols.missing`` become NaN, ``symbols.nihil`` become 0. Raises
    :class:`InputError` at the first cell that is none of these (line = index + 2), including
    the texts ``nan``/``inf``. Fast path: vectorised pyarrow cast; only the cells it cannot read
    are looked at again (decimal commas, errors).
    """
    import numpy as np
    import pandas as pd

    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values):
        f = values.astype("float64")
        bad = np.isinf(f.to_numpy())
        if bad.any():
            raise _first_bad(values, int(np.flatnonzero(bad)[0]), path, column, symbols)
        return f
    fast = _strings_to_float(values, symbols)
    if fast is not None:
        return fast
    # mask the exact missing/nihil symbols first: to_numeric's coerce path is slow per failure
    symbols_mask = values.isin(symbols.missing + symbols.nihil).to_numpy(dtype=bool)
    pre = values.where(~symbols_mask) if symbols_mask.any() else values
    out = pd.to_numeric(pre, errors="coerce").astype("float64")
    na = out.isna().to_numpy()
    if na.any():
        sub = values[na].astype(STR).str.strip()
        missing = (sub.isna() | sub.isin(symbols.missing)).to_numpy(dtype=bool)
        nihil = sub.isin(symbols.nihil).fillna(False).to_numpy(dtype=bool)
        rest = ~(missing | nihil)
        pos = np.flatnonzero(na)
        if rest.any():
            conv = pd.to_numeric(
                sub[rest].str.replace(",", ".", regex=False).astype(object), errors="coerce"
            ).astype("float64")
            bad = conv.isna().to_numpy()
            if bad.any():
                i = int(pos[np.flatnonzero(rest)[np.flatnonzero(bad)[0]]])
                raise _first_bad(values, i, path, column, symbols)
            out.iloc[pos[rest]] = conv.to_numpy()
        if nihil.any():
            out.iloc[pos[nihil]] = 0.0
    inf = np.isinf(out.to_numpy())
    if inf.any():  # the text 'inf'/'Infinity' converts; no source writes it
        raise _first_bad(values, int(np.flatnonzero(inf)[0]), path, column, symbols)
    return out


def _strings_to_float(values: pd.Series, symbols: Symbols) -> pd.Series | None:
    """Vectorised (pyarrow) conversion of an all-text column: trim, symbols to null/0, cast.

    Returns ``None`` when the column is not all text or any cell does not cast (decimal comma,
    ``nan``, a bad value): :func:`to_numbers` then takes the checked path.
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if not (
        isinstance(values.dtype, pd.StringDtype)
        or (values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) == "string")
    ):
        return None
    try:
        arr = pc.utf8_trim_whitespace(pa.array(values, type=pa.string(), from_pandas=True))
        missing = pc.is_in(arr, value_set=pa.array(list(symbols.missing), type=pa.string()))
        nihil = pc.is_in(arr, value_set=pa.array(list(symbols.nihil), type=pa.string()))
        blank = pc.or_kleene(missing, nihil)
        f = pc.cast(pc.if_else(blank, pa.scalar(None, pa.string()), arr), pa.float64())
        f = pc.if_else(nihil, pa.scalar(0.0), f)
        if pc.any(pc.is_nan(f)).as_py() or pc.any(pc.is_inf(f)).as_py():
            return None  # literal 'nan'/'inf' text: let the checked path reject it
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return None
    return pd.Series(f.to_numpy(zero_copy_only=False), index=values.index, dtype="float64")


def to_int_codes(values: pd.Series, path: Path, column: str, symbols: Symbols = CBS) -> pd.Series:
    """A nullable Int64 column of small integer codes (e.g. CBS indelingswijziging 1/2/3)."""
    import numpy as np

    f = to_numbers(values, path, column, symbols)
    frac = f.notna() & (f != np.floor(f))
    if frac.any():
        i = int(np.flatnonzero(frac.to_numpy())[0])
        raise InputError(
            path,
            f"'{values.iloc[i]}' is geen geheel getal",
            line=int(values.index[i]) + 2,
            column=column,
            expected="een geheel getal",
        )
    return f.round().astype("Int64")


# --------------------------------------------------------------------------- plausibility

COUNT, PERCENT = "aantal", "procent"
_UNIT_RE = re.compile(r"\(([^()]*)\)\s*$")


def registry_units() -> dict[str, str]:
    """Source column -> ``aantal``/``procent`` for every KWB column the indicator registry
    (``params/indicatoren.yml``) maps onto an indicator with that unit (all formats, years)."""
    out: dict[str, str] = {}
    for ind in load_indicatoren():
        if ind.bron == "kwb" and ind.eenheid in (COUNT, PERCENT):
            for names in ind.kolommen.values():
                out.update(dict.fromkeys(names, ind.eenheid))
    return out


def unit_of(variable: str, known: dict[str, str]) -> str | None:
    """``aantal`` (a count: whole, not negative), ``procent`` (0-100) or ``None`` (not checked)
    for a CBS source column: from the registry (``known``), else from the column itself —
    StatLine's unit in the header (``(aantal)`` except averages, ``(%)``), OData keys starting
    with ``Aantal``/``Percentage``, kwb.xlsx short names ``a_`` (counts; ``p_`` is not always
    a percentage — ``p_wmo_t`` is per 1000 inwoners —, so only the registry marks those)."""
    if variable in known:
        return known[variable]
    m = _UNIT_RE.search(variable)
    if m:
        unit = m.group(1).strip().lower()
        if unit == "aantal" and "gemiddeld" not in variable.lower():
            return COUNT
        return PERCENT if unit == "%" else None
    if variable.startswith(("Aantal", "a_")):
        return COUNT
    if variable.startswith("Percentage"):
        return PERCENT
    return None


def check_quantities(
    values: dict[str, pd.Series], path: Path, known: dict[str, str] | None = None
) -> None:
    """Raise :class:`InputError` at the first negative or fractional count or percentage outside
    0-100 among ``values`` (source column -> float64, index = data row; line = index + 2).
    Missing values (NaN) pass. ``known``: see :func:`registry_units` (loaded when ``None``)."""
    import numpy as np

    known = registry_units() if known is None else known
    for column, s in values.items():
        unit = unit_of(column, known)
        if unit is None:
            continue
        v = s.to_numpy(dtype="float64")
        if unit == COUNT:
            neg, frac = v < 0, np.abs(v - np.round(v)) > 1e-9
            bad = np.flatnonzero(neg | frac)
            if len(bad):
                i = int(bad[0])
                what = "negatief" if neg[i] else "geen geheel getal"
                raise InputError(
                    path,
                    f"aantal {_shown(v[i])} is {what}",
                    line=int(s.index[i]) + 2,
                    column=column,
                    expected="een aantal: een geheel getal van 0 of meer",
                )
        else:
            bad = np.flatnonzero((v < 0) | (v > 100))
            if len(bad):
                i = int(bad[0])
                raise InputError(
                    path,
                    f"percentage {_shown(v[i])} ligt buiten 0-100",
                    line=int(s.index[i]) + 2,
                    column=column,
                    expected="een percentage van 0 tot en met 100",
                )


def _shown(x: float) -> str:
    return str(int(x)) if x == int(x) else repr(float(x))
