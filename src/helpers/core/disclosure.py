"""Linear recoverability of suppressed cells (rank check) and the protection of overlapping
groupings (disclosure policy, ``docs/aqa/disclosure-policy.md``).

A published table cell that counts persons is a linear functional of unknown counts: the
counts of the *atoms* (the finest cells: respondents with the same label in every grouping of
the table). A group row of a grouping is the 0/1 vector of the atoms it contains; the total
row contains every atom. A suppressed cell can be recovered exactly from published cells iff
its vector lies in the row space of the published vectors (plus known relations), which is a
rank test: ``rank([P; c]) == rank(P)``. This covers total-minus-groups within one grouping and
every combination across overlapping groupings (e.g. a reporting group derived from role and
organisation type minus the published organisation types).

Public API:

``in_row_space(known, target) -> bool``
    Rank check of one target vector against the rows of ``known``.
``recoverable(known, targets) -> list[int]``
    Indices of the ``targets`` rows that are recoverable from ``known``.
``atom_membership(labels, rows, total_label="alle") -> ndarray``
    The 0/1 matrix (rows x atoms) of ``(groepering, groep)`` rows over the atoms of ``labels``.
``protect_overlapping(membership, status, sizes, *, partition, min_n, total=None) -> list[str]``
    Greedy secondary suppression until no hidden row (and no small sum of hidden rows of one
    grouping) is recoverable from the shown rows.

Limits: the check is about *exact* recovery of one cell; bounds (a cell known to lie between
two values) are not examined, and of the sums of hidden cells only the sum per grouping
(total minus its shown groups) is protected (it must count at least ``min_n`` persons).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

PRIMAIR = "primair"
SECUNDAIR = "secundair"
LEEG = "leeg"
TOL = 1e-8


def in_row_space(known: np.ndarray, target: np.ndarray, tol: float = TOL) -> bool:
    """True when ``target`` (a vector) is a linear combination of the rows of ``known``
    (``numpy.linalg.matrix_rank``: adding the target does not raise the rank). An empty
    ``known`` recovers only the zero vector."""
    import numpy as np

    t = np.asarray(target, dtype=float).reshape(1, -1)
    k = np.asarray(known, dtype=float).reshape(-1, t.shape[1])
    if not k.shape[0]:
        return not np.any(np.abs(t) > tol)
    base = np.linalg.matrix_rank(k, tol=tol * max(1, k.shape[1]))
    return int(np.linalg.matrix_rank(np.vstack([k, t]), tol=tol * max(1, k.shape[1]))) == int(base)


def recoverable(known: np.ndarray, targets: np.ndarray, tol: float = TOL) -> list[int]:
    """Indices of the rows of ``targets`` that lie in the row space of ``known`` (each
    confirmed with the rank check of :func:`in_row_space`; a least-squares residual is
    computed first to skip the clear cases)."""
    import numpy as np

    targets = np.atleast_2d(np.asarray(targets, dtype=float))
    known = np.asarray(known, dtype=float).reshape(-1, targets.shape[1])
    if not known.shape[0]:
        return [i for i, t in enumerate(targets) if not np.any(np.abs(t) > tol)]
    sol, *_ = np.linalg.lstsq(known.T, targets.T, rcond=None)
    resid = np.abs(known.T @ sol - targets.T).max(axis=0)
    return [i for i, r in enumerate(resid) if r < 1e-6 and in_row_space(known, targets[i], tol)]


def atom_membership(
    labels: pd.DataFrame, rows: Sequence[tuple[str, str]], total_label: str = "alle"
) -> np.ndarray:
    """0/1 matrix of ``rows`` (``(groepering, groep)``) over the atoms of ``labels``.

    ``labels``: one row per person, one column per grouping (the label of that person in that
    grouping). Atoms are the distinct label combinations present. A row whose groepering is
    ``total_label`` contains every atom; a groepering missing from ``labels`` raises
    ``KeyError``.
    """
    import numpy as np

    atoms = labels.astype(str).drop_duplicates().reset_index(drop=True)
    out = np.zeros((len(rows), len(atoms)))
    for i, (groepering, groep) in enumerate(rows):
        if str(groepering) == total_label:
            out[i, :] = 1.0
            continue
        if groepering not in atoms.columns:
            raise KeyError(f"groepering '{groepering}' ontbreekt in de labels")
        out[i, :] = (atoms[groepering] == str(groep)).to_numpy(dtype=float)
    return out


def _duplicates(m: np.ndarray, rows: Sequence[int], c: int) -> int:
    """How many of ``rows`` (other than ``c``) have the same vector as row ``c``."""
    import numpy as np

    return sum(1 for r in rows if r != c and np.array_equal(m[r], m[c]))


def protect_overlapping(
    membership: np.ndarray,
    status: Sequence[str],
    sizes: Sequence[float],
    *,
    partition: Sequence[object],
    min_n: int,
    total: Sequence[bool] | None = None,
    keep: Sequence[bool] | None = None,
    exempt: np.ndarray | None = None,
) -> list[str]:
    """Statuses after greedy secondary suppression over all rows (all groupings) together.

    ``membership``: rows x atoms (:func:`atom_membership`); ``status``: per row ``""`` (shown),
    ``"primair"``/``"secundair"`` (hidden) or ``"leeg"`` (n = 0: shown as a known zero);
    ``sizes``: base n per row; ``partition``: the grouping of each row (rows of one grouping
    partition the total); ``total``: rows that are totals (hidden last); ``keep``: rows of the
    main grouping (hidden only when no other row protects); ``exempt``: vectors of
    non-identifying categories (``onbekend``): a hidden row with exactly the persons of such a
    category is not protected, since recovering it discloses nobody (the same figure follows
    as the total minus the shown groups of the grouping where the category is unknown).

    Protected are (a) every hidden row and (b) per grouping, the sum of its hidden rows when
    that sum has a base below ``min_n`` (it follows as total minus the shown groups). While a
    protected vector is recoverable from the shown rows (:func:`recoverable`), one more shown
    row is hidden (``"secundair"``): for (b) the smallest shown row of that grouping, for (a)
    a row chosen by :func:`_choose` in tiers: not a total before a total, not a ``keep`` row
    before one, a row not identical to another shown row before one that is (so a group such as
    the residents, the same set of persons in two groupings, is not taken down); smallest base
    first within a tier.
    Returns the new status list.
    """
    import numpy as np

    m = np.asarray(membership, dtype=float)
    status = list(status)
    total = list(total) if total is not None else [False] * len(status)
    keep = list(keep) if keep is not None else [False] * len(status)
    hidden_states = (PRIMAIR, SECUNDAIR)
    free = np.asarray(exempt, dtype=float).reshape(-1, m.shape[1]) if exempt is not None else None

    def protected(i: int) -> bool:
        return free is None or not any(np.array_equal(m[i], f) for f in free)

    class _Order:
        def tier(self, i: int, vis: list[int]) -> tuple:
            return bool(total[i]), bool(keep[i]), _duplicates(m, vis, i) > 0

        def __call__(self, rows: list[int], vis: list[int]) -> list[int]:
            return sorted(rows, key=lambda i: (*self.tier(i, vis), float(sizes[i]), i))

    order = _Order()

    while True:
        vis = [i for i, s in enumerate(status) if s not in hidden_states]
        hid = [i for i, s in enumerate(status) if s in hidden_states and protected(i)]
        if not hid:
            return status
        cands = [i for i in vis if status[i] != LEEG]
        small_sums = []
        for p in dict.fromkeys(partition[i] for i in hid):
            members = [i for i in hid if partition[i] == p]
            if 0 < sum(float(sizes[i]) for i in members) < min_n:
                small_sums.append((p, m[members].sum(axis=0)))
        sums_rec = recoverable(m[vis], np.array([v for _, v in small_sums])) if small_sums else []
        if sums_rec:
            p = small_sums[sums_rec[0]][0]
            same = order([i for i in cands if partition[i] == p], vis)
            if same:
                status[same[0]] = SECUNDAIR
                continue
        rec = recoverable(m[vis], m[hid])
        if not rec or not cands:
            return status
        h = hid[rec[0]]
        status[_choose(m, vis, cands, h, order)] = SECUNDAIR


def _choose(m: np.ndarray, vis: list[int], cands: list[int], h: int, order) -> int:
    """The shown row to hide so that hidden row ``h`` becomes (closer to) unrecoverable: per
    tier of :func:`protect_overlapping`'s order, the first row whose hiding breaks the
    recovery, else the smallest row that takes part in it (non-zero coefficient); a later
    tier only when an earlier one has no row taking part."""
    import numpy as np

    coef, *_ = np.linalg.lstsq(m[vis].T, m[h], rcond=None)
    takes_part = {i for i, c in zip(vis, coef, strict=True) if abs(c) > 1e-9}
    ranked = order(cands, vis)
    tiers: dict[tuple, list[int]] = {}
    for c in ranked:
        tiers.setdefault(order.tier(c, vis), []).append(c)
    for tier in tiers.values():
        for c in tier:
            if not in_row_space(m[[i for i in vis if i != c]], m[h]):
                return c
        part = [c for c in tier if c in takes_part]
        if part:
            return part[0]
    return ranked[0]
