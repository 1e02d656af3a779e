"""Statistical disclosure control shared by every notebook: minimum n, suppression, signals,
pseudonyms.

Public API (import from here; the constants are the project defaults):

``min_n`` (run-wide, ``params/monitor.yml``; callers pass it)
    Minimum base (respondents/cases *after* exclusions such as "niet van toepassing") below
    which no share, mean or count breakdown of a group is published.
``signaal_n`` (run-wide, ``params/monitor.yml``)
    Below this base (and at or above ``min_n``) a result is published but labelled
    :data:`SIGNAAL_LABEL` ("signaal, geen conclusie").
``suppress_shares(table, n_col="n", groups_col="groep", total_label="alle", *, value_cols=None,
by=None, min_n, signaal_n) -> DataFrame``
    Primary + secondary suppression of a long table with one row per group (see its docstring).
    Adds the columns ``onderdrukt`` (``""``, ``"primair"``, ``"secundair"``, ``"leeg"``) and
    ``signaal`` (``""``, :data:`SIGNAAL_LABEL`).
``drop_non_identifying(table, groups_col="groep", labels=NIET_IDENTIFICEREND) -> DataFrame``
    The table without the rows of non-identifying categories (``onbekend``, blank): such a
    category is not published as a group and never takes part in (secondary) suppression.
``hide_bases(table, n_col="n", *, min_n) -> Series``
    The base column as published: ``'< {min_n}'`` for a group below ``min_n``, empty for a
    secondarily hidden group (its base would give the small one by subtraction).
``hide_counts(values, *, min_n) -> Series``
    A count of persons as published: ``'< {min_n}'`` for 1 to ``min_n - 1``.
``signaal(n, min_n, signaal_n) -> str``
    The signal label of one base n.
``pseudonym(respondent_id, key, length=16) -> str``
    Keyed pseudonym: ``"p"`` + the first ``length`` hex digits of HMAC-SHA256(key, id).
``pseudonym_key(demo, bron=None) -> bytes``
    The key: environment variable :data:`SLEUTEL_ENV` (``WIJKMONITOR_PSEUDONIEM_SLEUTEL``);
    for demo data only (marked as such in its content by the demo-data generator, see
    :func:`helpers.core.provenance.is_demo_export`), the fixed and documented
    :data:`DEMO_SLEUTEL`. Raises :class:`SleutelOntbreekt` for non-demo data without the
    variable.
``scan_outputs(paths, forbidden) -> list[tuple[Path, str]]``
    Every (file, string) where a forbidden string (respondent id, name, unreleased story
    fragment) occurs in an output file; used by tests and the publication guards.

Why secondary suppression: when a table shows the total (``alle``) and all groups but one, the
hidden group follows by subtraction. The rule applied here (per partition ``by``): if the
suppressed, non-empty groups together have a base below ``min_n``, or only one group is
suppressed, the smallest remaining non-empty group is suppressed as well ("secundair"), and
this repeats until at least two groups are hidden and their combined base is at least
``min_n`` — or every group is hidden. The groups of a partition are assumed to partition the
total (every respondent in exactly one group), which is the case for all classifiers of the
survey (missing values form the group ``onbekend``). The total row itself is never used to
choose; it is suppressed only when its own base is below ``min_n``.

Non-identifying categories (``onbekend``, blank; :data:`NIET_IDENTIFICEREND`) are removed with
:func:`drop_non_identifying` *before* suppression: they are not a published group, and since a
respondent whose role is unknown cannot be identified, recovering that category as the total
minus the shown groups discloses nobody. So it is never suppressed itself and never forces a
real group to be hidden (docs/aqa/assumptions-caveats.md, "Procesevaluatie").
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.core.errors import WijkmonitorError
from helpers.core.provenance import DEMO_KOLOM

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

SIGNAAL_LABEL = "signaal, geen conclusie"

PRIMAIR = "primair"
SECUNDAIR = "secundair"
LEEG = "leeg"

# Categories that identify nobody: not published as a group, never a reason for suppression.
NIET_IDENTIFICEREND: tuple[str, ...] = ("onbekend", "")

SLEUTEL_ENV = "WIJKMONITOR_PSEUDONIEM_SLEUTEL"
# Fixed key for fictitious demo data ONLY (documented in docs/aqa/assumptions-caveats.md).
# Real exports are pseudonymised with the secret from the environment variable SLEUTEL_ENV.
DEMO_SLEUTEL: bytes = b"wijkmonitor-demo-sleutel-niet-voor-echte-data"


class SleutelOntbreekt(WijkmonitorError):
    """No pseudonymisation key in the environment for non-demo data."""


def signaal(n: float | int | None, min_n: int, signaal_n: int) -> str:
    """:data:`SIGNAAL_LABEL` when ``min_n <= n < signaal_n``, else ``""`` (also for missing n
    and for suppressed bases below ``min_n``, which show no result at all)."""
    if n is None or n != n:  # NaN
        return ""
    return SIGNAAL_LABEL if min_n <= n < signaal_n else ""


def drop_non_identifying(table: pd.DataFrame, groups_col: str = "groep",
                         labels: Iterable[str] = NIET_IDENTIFICEREND) -> pd.DataFrame:
    """``table`` without the rows whose group (``groups_col``) is a non-identifying category:
    one of ``labels`` (compared stripped and case-insensitively) or missing. Apply before
    :func:`suppress_shares`; the total row stays (it includes these respondents)."""
    wanted = {str(v).strip().lower() for v in labels}
    col = table[groups_col]
    key = col.astype(str).str.strip().str.lower()
    keep = ~(key.isin(wanted) | col.isna())
    return table[keep.to_numpy()].reset_index(drop=True)


def _secondary(sizes: dict, primary: set, min_n: int) -> set:
    """Groups to hide in addition to ``primary`` (``sizes``: group -> base, empty ones excluded)."""
    hidden = set(primary)
    if not hidden:
        return set()
    while True:
        combined = sum(sizes.get(g, 0) for g in hidden)
        if len(hidden) >= 2 and combined >= min_n:
            break
        rest = sorted((n, str(g), g) for g, n in sizes.items() if g not in hidden)
        if not rest:
            break
        hidden.add(rest[0][2])
    return hidden - set(primary)


def suppress_shares(
    table: pd.DataFrame,
    n_col: str = "n",
    groups_col: str = "groep",
    total_label: str = "alle",
    *,
    value_cols: Sequence[str] | None = None,
    by: Sequence[str] | None = None,
    min_n: int,
    signaal_n: int,
    count_col: str | None = None,
) -> pd.DataFrame:
    """Apply primary and secondary suppression to a long table of group results.

    ``table``: one row per (partition, group); ``n_col`` holds the base after exclusions;
    ``groups_col`` names the group, the row labelled ``total_label`` is the total of its
    partition (optional). ``by``: columns defining partitions (e.g. ``["vraag", "groepering"]``);
    ``None`` = one partition. ``value_cols``: columns to blank (NaN) when suppressed; default:
    every numeric column except ``n_col``. The base n stays visible (a count of respondents
    discloses no answer).

    Returns a copy with ``value_cols`` set to NaN for suppressed rows and two added columns:
    ``onderdrukt`` (``"primair"`` n < min_n, ``"secundair"`` hidden to prevent derivation by
    subtraction, ``"leeg"`` n == 0, else ``""``) and ``signaal`` (:data:`SIGNAAL_LABEL` for
    shown rows with n < ``signaal_n``).

    ``count_col``: a count of persons inside the base (the numerator of a share, e.g.
    ``teller``). A row whose count is 1 to ``min_n - 1`` is suppressed too (``"primair"``: the
    count, its share and interval would show fewer than ``min_n`` persons), and, when a
    partition has such a row, groups are added as ``"secundair"`` until the hidden counts
    together reach ``min_n`` (so the small count does not follow by subtraction). The count
    column is blanked with the values of suppressed rows. Raises ``KeyError`` when a named column is missing and
    ``ValueError`` for a negative n.
    """
    import numpy as np
    import pandas as pd

    for col in [n_col, groups_col, *(by or []), *([count_col] if count_col else [])]:
        if col not in table.columns:
            raise KeyError(f"kolom '{col}' ontbreekt in de tabel")
    original_index = table.index
    out = table.reset_index(drop=True)
    n = pd.to_numeric(out[n_col], errors="coerce").fillna(0)
    if (n < 0).any():
        raise ValueError(f"negatieve n in kolom '{n_col}'")
    if value_cols is None:
        value_cols = [c for c in out.columns
                      if c != n_col and pd.api.types.is_numeric_dtype(out[c])]
    value_cols = list(value_cols)
    status = pd.Series("", index=out.index, dtype=object)
    status[(n > 0) & (n < min_n)] = PRIMAIR
    status[n == 0] = LEEG
    cnt = pd.to_numeric(out[count_col], errors="coerce").fillna(0) if count_col else None
    if cnt is not None:
        status[(status == "") & (cnt > 0) & (cnt < min_n)] = PRIMAIR
        if count_col not in value_cols:
            value_cols.append(count_col)

    keys = list(by) if by else None
    groups = out.groupby(keys, sort=False, dropna=False).groups if keys else {None: out.index}
    for _, idx in groups.items():
        part = out.loc[idx]
        is_total = part[groups_col].astype(str) == str(total_label)
        members = part.index[~is_total]
        sizes = {i: float(n[i]) for i in members if n[i] > 0}
        primary = {i for i in members if status[i] == PRIMAIR}
        for i in _secondary(sizes, primary, min_n):
            status[i] = SECUNDAIR
        if cnt is not None:
            small = {i for i in members if 0 < cnt[i] < min_n}
            if small:
                hidden = {i for i in members if status[i] in (PRIMAIR, SECUNDAIR)}
                counts = {i: float(cnt[i]) for i in members if cnt[i] > 0}
                for i in _secondary(counts, hidden, min_n):
                    status[i] = SECUNDAIR

    hide = status != ""
    for col in value_cols:
        out[col] = out[col].astype(float)
        out.loc[hide, col] = np.nan
    out["onderdrukt"] = status
    out["signaal"] = [signaal(v, min_n, signaal_n) if s == "" else "" for v, s in zip(n, status, strict=True)]
    out.index = original_index
    return out


def hide_bases(table: pd.DataFrame, n_col: str = "n", *, min_n: int) -> pd.Series:
    """The base column of a suppressed table as published: the number for shown rows (and
    ``0`` for empty ones), ``'< {min_n}'`` for a primarily suppressed row whose base is below
    ``min_n`` and empty (``None``) for every other hidden row, so that no base below ``min_n``
    is shown or follows from the shown bases (``onderdrukt`` from :func:`suppress_shares`)."""
    import pandas as pd

    n = pd.to_numeric(table[n_col], errors="coerce")
    status = table["onderdrukt"].fillna("").astype(str)
    out = []
    for raw, v, s in zip(table[n_col], n, status, strict=True):
        if isinstance(raw, str) and raw.strip().startswith("<"):
            out.append(raw)  # already published form (idempotent)
        elif s in (PRIMAIR, SECUNDAIR):
            out.append(f"< {min_n}" if s == PRIMAIR and v == v and 0 < v < min_n else None)
        else:
            out.append(int(v) if v == v and float(v).is_integer() else v)
    return pd.Series(out, index=table.index, dtype=object)


def hide_counts(values: pd.Series, *, min_n: int) -> pd.Series:
    """A published count of persons: ``'< {min_n}'`` for 1 to ``min_n - 1``, the number
    otherwise (0 stays: nihil; missing stays missing). For counts that are no partition of a
    shown total (persons per code: one person names several codes), so that no secondary
    suppression is needed."""
    import pandas as pd

    n = pd.to_numeric(values, errors="coerce")
    out = [f"< {min_n}" if v == v and 0 < v < min_n else
           (int(v) if v == v and float(v).is_integer() else (None if v != v else v)) for v in n]
    return pd.Series(out, index=values.index, dtype=object)


def pseudonym(respondent_id: object, key: bytes | str, length: int = 16) -> str:
    """Keyed pseudonym of a respondent id: ``"p" + hex(HMAC-SHA256(key, str(id)))[:length]``.

    Same id and key give the same pseudonym (so re-imports link up); without the key the id
    cannot be recovered or tested by guessing. ``length`` hex digits (16 = 64 bits).
    """
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not key:
        raise SleutelOntbreekt("lege sleutel voor pseudonimisering")
    digest = hmac.new(key, str(respondent_id).strip().encode("utf-8"), hashlib.sha256)
    return "p" + digest.hexdigest()[:length]


def pseudonym_key(demo: bool, bron: str | Path | None = None) -> bytes:
    """The pseudonymisation key: ``$WIJKMONITOR_PSEUDONIEM_SLEUTEL`` (UTF-8) when set; else, for
    demo data only, :data:`DEMO_SLEUTEL`. ``demo`` must come from the content of the export
    (:func:`helpers.core.provenance.is_demo_export`), never from its file name. Raises
    :class:`SleutelOntbreekt` for real data without the environment variable (so that real ids
    are never hashed with a public key); the message names ``bron`` when given."""
    env = os.environ.get(SLEUTEL_ENV, "")
    if env:
        return env.encode("utf-8")
    if demo:
        return DEMO_SLEUTEL
    waar = f"bestand '{bron}': " if bron is not None else ""
    raise SleutelOntbreekt(
        f"{waar}geen sleutel voor pseudonimisering. Dit is geen demonstratie-export van "
        f"'wijkmonitor demo-data' (de markering in kolom '{DEMO_KOLOM}' ontbreekt; de "
        "bestandsnaam telt niet mee), dus het bestand wordt behandeld als een echte export "
        f"met persoonsgegevens: zet de omgevingsvariabele {SLEUTEL_ENV} op de geheime sleutel. "
        "De vaste, openbare demosleutel is alleen voor fictieve demonstratiedata."
    )


def scan_outputs(paths: Iterable[str | Path], forbidden: Iterable[str]) -> list[tuple[Path, str]]:
    """Find forbidden strings in output files (recursing into folders).

    Text files are read as UTF-8 (errors replaced), binary files (PNG, parquet...) as bytes.
    Comparison is case-sensitive and exact; strings shorter than 3 characters are ignored.
    Returns ``[(file, string), ...]`` for every hit (empty list = clean).
    """
    needles = [s for s in {str(f) for f in forbidden} if len(s) >= 3]
    hits: list[tuple[Path, str]] = []
    files: list[Path] = []
    for p in map(Path, paths):
        files.extend(sorted(q for q in p.rglob("*") if q.is_file()) if p.is_dir() else [p])
    for f in files:
        data = f.read_bytes()
        for s in needles:
            if s.encode("utf-8") in data:
                hits.append((f, s))
    return hits


def suppress_group_table(table: pd.DataFrame, value_cols: Sequence[str], *, min_n: int,
                         signaal_n: int, by: Sequence[str] = ("vraag", "groepering"),
                         groups_col: str = "groep", n_col: str = "n") -> pd.DataFrame:
    """A table of shares per group (one row per group, base in ``n_col``) as it may be
    published: non-identifying groups dropped (:func:`drop_non_identifying`), primary and
    secondary suppression per ``by`` partition (:func:`suppress_shares`), bases below
    ``min_n`` shown as ``'< {min_n}'`` or hidden (:func:`hide_bases`)."""
    out = suppress_shares(drop_non_identifying(table, groups_col), n_col=n_col,
                          groups_col=groups_col, value_cols=list(value_cols), by=list(by),
                          min_n=min_n, signaal_n=signaal_n)
    out[n_col] = hide_bases(out, n_col=n_col, min_n=min_n)
    return out
