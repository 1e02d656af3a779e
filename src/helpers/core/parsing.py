"""Parsing of single cells shared by the raw-file readers (no pandas)."""

from __future__ import annotations

from pathlib import Path

from helpers.core.errors import InputError

WAAR = frozenset({"ja", "j", "1", "true", "waar", "x", "yes", "y"})
ONWAAR = frozenset({"nee", "n", "0", "false", "onwaar", "no", ""})


def parse_flag(value: str, path: Path, line: int, column: str,
               extra_waar: frozenset[str] | set[str] = frozenset()) -> bool:
    """A yes/no cell of a raw file as a bool (case- and space-insensitive).

    True: ``ja, j, 1, true, waar, x, yes, y`` plus ``extra_waar`` (e.g. a ticked
    "niet van toepassing" box); False: ``nee, n, 0, false, onwaar, no`` or empty.
    Raises :class:`InputError` naming file, line and column for anything else.
    """
    v = value.strip().lower()
    if v in WAAR or v in extra_waar:
        return True
    if v in ONWAAR:
        return False
    raise InputError(path, f"onbekende waarde '{value}'", line=line, column=column,
                     expected="ja/nee (of 1/0, true/false)")
