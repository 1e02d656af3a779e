"""Dutch number and date formatting for everything shown to readers.

Uses babel's ``nl_NL`` locale data (never the OS locale): decimal comma, thousands point.
"""

from __future__ import annotations

import datetime as _dt
import math

LOCALE = "nl_NL"


def _missing(x: object) -> bool:
    try:
        return x is None or (isinstance(x, float) and math.isnan(x)) or x is __import__("pandas").NA
    except Exception:  # pragma: no cover - pandas missing
        return x is None


def getal(x: float | int | None, decimalen: int = 0, leeg: str = "–") -> str:
    """Format a number the Dutch way: ``getal(12345.678, 1) == '12.345,7'``.

    ``leeg`` is shown for missing values (None/NaN/NA).
    """
    if _missing(x):
        return leeg
    from babel.numbers import format_decimal

    fmt = "#,##0" + ("." + "0" * decimalen if decimalen > 0 else "")
    return format_decimal(round(float(x), decimalen), format=fmt, locale=LOCALE)


def procent(x: float | None, decimalen: int = 0, leeg: str = "–") -> str:
    """Format a percentage given on the 0-100 scale: ``procent(42.0) == '42%'``."""
    if _missing(x):
        return leeg
    return f"{getal(x, decimalen)}%"


def verschil(x: float | None, decimalen: int = 1, leeg: str = "–") -> str:
    """Signed Dutch number: ``verschil(-0.25, 2) == '-0,25'``, ``verschil(1) == '+1,0'``."""
    if _missing(x):
        return leeg
    s = getal(abs(x), decimalen)
    return ("+" if x > 0 else "-" if x < 0 else "±") + s


def datum(d: _dt.date | _dt.datetime | str, formaat: str = "long") -> str:
    """Dutch date, e.g. ``datum(date(2026, 12, 2)) == '2 december 2026'``."""
    from babel.dates import format_date

    if isinstance(d, str):
        d = _dt.date.fromisoformat(d[:10])
    if isinstance(d, _dt.datetime):
        d = d.date()
    return format_date(d, format=formaat, locale=LOCALE)
