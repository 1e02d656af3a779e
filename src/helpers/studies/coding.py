"""Qualitative coding: the code tree, coded segments, frequencies, co-occurrence, retrieval.

Used by the process evaluation (codes under the six bouwstenen) and by the theme studies
(branches ``werkzame_elementen``, ``knelpunten``, ``ervaren_effecten``, ``effect_domein``).

Code tree
    :mod:`helpers.registers.codeboom` (``params/codeboom.yml``); codes are named by their path.

Coded segments
    Parsed and validated at ingest by :mod:`helpers.ingest.readers.segmenten`; studies read the
    processed table with :func:`load_segments`.

Counting rules (documented in docs/aqa/assumptions-caveats.md, "Kwalitatieve codering")
    - A segment counts at most once per code at the level asked for: a segment coded with two
      sub-codes of the same bouwsteen counts once for that bouwsteen.
    - ``respondenten`` counts distinct ``respondent_of_sessie`` values (people or sessions);
      these are the counts of people to which minimum-n suppression applies.

Privacy
    :func:`retrieve` returns only segments with ``toestemming`` AND ``vrijgegeven`` and never the
    ``respondent_of_sessie`` column. No function here returns respondent ids in an aggregate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers.core import config, io
from helpers.core.errors import RegistryError
from helpers.registers.codeboom import CODE_SEPARATOR, SEPARATOR, Codeboom, load_codeboom

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


SEGMENTEN_TABEL = "gecodeerde_segmenten"


def load_segments(processed: Path | None = None, codeboom: Codeboom | None = None
                  ) -> pd.DataFrame:
    """The coded segments from ``data/processed/gecodeerde_segmenten.parquet`` (written by
    ingest through :mod:`helpers.ingest.readers.segmenten`), in the shape of :func:`helpers.ingest.readers.segmenten.read_segments`
    (``codes`` as tuples, ``segment_id`` 1..n). Codes are re-checked against the current code
    tree (:class:`RegistryError` when the tree lost a code still in use).
    Raises ``FileNotFoundError`` when the table has not been ingested.
    """

    p = config.processed(f"{SEGMENTEN_TABEL}.parquet", processed)
    df = io.read_parquet(p)
    boom = codeboom or load_codeboom()
    df["codes"] = df["codes"].map(lambda s: tuple(c for c in str(s).split(CODE_SEPARATOR) if c))
    onbekend = sorted({c for cs in df["codes"] for c in cs if c not in boom})
    if onbekend:
        raise RegistryError(f"{p}: codes niet (meer) in de codeboom: {', '.join(onbekend)}")
    df.insert(0, "segment_id", range(1, len(df) + 1))
    for col in ("toestemming", "vrijgegeven"):
        df[col] = df[col].astype(bool)
    return df


def _truncate(pad: str, niveau: int) -> str:
    return SEPARATOR.join(pad.split(SEPARATOR)[:niveau])


def codes_lang(segments: pd.DataFrame, niveau: int | None = None,
               tak: str | None = None) -> pd.DataFrame:
    """Long table: one row per (segment, code) with the other segment columns.

    ``niveau``: truncate paths to this depth (1 = bouwsteen/branch) and drop duplicates per
    segment; ``None`` keeps full paths. ``tak``: keep only codes under this path (the branch
    itself is kept when ``niveau`` truncates to it). Codes shallower than ``niveau`` keep their
    own path.
    """
    df = segments.explode("codes").rename(columns={"codes": "code"})
    df = df[df["code"].notna()]
    if tak:
        df = df[(df["code"] == tak) | df["code"].str.startswith(tak + SEPARATOR)]
    if niveau is not None:
        df = df.assign(code=df["code"].map(lambda c: _truncate(c, niveau)))
    df = df.drop_duplicates(subset=["segment_id", "code"])
    return df.reset_index(drop=True)


def code_frequencies(segments: pd.DataFrame, by: Sequence[str] | str | None = None, *,
                     niveau: int = 1, tak: str | None = None,
                     codeboom: Codeboom | None = None) -> pd.DataFrame:
    """Frequencies of codes: segments and distinct respondents/sessions per code.

    ``by``: grouping columns of the segments (e.g. ``"focusgebied"``, ``"thema"``, a group
    column merged in by the caller); ``niveau`` 1 = per bouwsteen / branch, 2 = sub-codes;
    ``tak`` restricts to one branch (e.g. ``"werkzame_elementen"``).

    Returns columns ``[*by, code, label, segmenten, respondenten, aandeel_segmenten]`` where
    ``aandeel_segmenten`` is the % (0-100) of the group's segments coded with the code (base:
    all segments of the group, not only those in ``tak``). Sorted by group then descending
    segment count, ties by tree order. Counts of people (``respondenten``) still need
    minimum-n suppression before publication (:mod:`helpers.core.privacy`).
    """
    import pandas as pd

    by = [by] if isinstance(by, str) else list(by or [])
    boom = codeboom or load_codeboom()
    lang = codes_lang(segments, niveau=niveau, tak=tak)
    keys = [*by, "code"]
    if lang.empty:
        return pd.DataFrame(columns=[*keys, "label", "segmenten", "respondenten",
                                     "aandeel_segmenten"])
    agg = (lang.groupby(keys, dropna=False)
           .agg(segmenten=("segment_id", "nunique"),
                respondenten=("respondent_of_sessie", "nunique"))
           .reset_index())
    if by:
        totaal = segments.groupby(by, dropna=False)["segment_id"].nunique().rename("_totaal")
        agg = agg.merge(totaal.reset_index(), on=by, how="left")
    else:
        agg["_totaal"] = segments["segment_id"].nunique()
    agg["aandeel_segmenten"] = 100.0 * agg["segmenten"] / agg["_totaal"]
    volgorde = {p: i for i, p in enumerate(boom.codes)}
    agg["label"] = agg["code"].map(boom.label)
    agg["_orde"] = agg["code"].map(lambda c: volgorde.get(c, len(volgorde)))
    agg = agg.sort_values([*by, "segmenten", "_orde"],
                          ascending=[True] * len(by) + [False, True])
    return agg[[*keys, "label", "segmenten", "respondenten", "aandeel_segmenten"]].reset_index(drop=True)


def cooccurrence(segments: pd.DataFrame, niveau: int = 1, tak: str | None = None, *,
                 codes: Iterable[str] | None = None) -> pd.DataFrame:
    """Code co-occurrence matrix: cell (a, b) = number of segments coded with both a and b.

    The diagonal holds the number of segments coded with the code itself. Codes at depth
    ``niveau`` (after truncation), optionally limited to branch ``tak`` or to ``codes`` (in
    that order). Square integer DataFrame, index and columns = code paths.
    """
    import pandas as pd

    lang = codes_lang(segments, niveau=niveau, tak=tak)
    if codes is not None:
        order = list(codes)
        lang = lang[lang["code"].isin(order)]
    else:
        order = sorted(lang["code"].unique())
    import numpy as np

    pos = {c: j for j, c in enumerate(order)}
    rij, _ = pd.factorize(lang["segment_id"])
    kol = lang["code"].map(pos).to_numpy()
    ind = np.zeros((int(rij.max()) + 1 if len(rij) else 0, len(order)), dtype=np.int64)
    ind[rij, kol] = 1  # (segment, code) pairs are unique after codes_lang
    mat = ind.T @ ind
    return pd.DataFrame(mat, index=order, columns=order).astype(int)


def heatmap(matrix: pd.DataFrame, *, titel: str, codeboom: Codeboom | None = None,
            xlabel: str = "", ylabel: str = "", cbar_label: str = "aantal segmenten",
            fmt: str = "d", cmap: str = "Blues") -> Any:
    """Heatmap of a (co-occurrence) matrix with Dutch code labels; returns the Figure."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    boom = codeboom or load_codeboom()
    m = matrix.copy()
    m.index = [boom.label(str(i)) for i in m.index]
    m.columns = [boom.label(str(c)) for c in m.columns]
    # room for the cells plus the (long, Dutch) row labels and rotated column labels
    rijlabel = max((len(str(i)) for i in m.index), default=10)
    kollabel = max((len(str(c)) for c in m.columns), default=10)
    w = max(6.0, 0.75 * len(m.columns) + 0.09 * rijlabel + 2.5)
    h = max(4.0, 0.45 * len(m.index) + 0.07 * kollabel + 1.5)
    fig, ax = plt.subplots(figsize=(w, h))
    sns.heatmap(m, annot=True, fmt=fmt, cmap=cmap, linewidths=0.5, ax=ax,
                cbar_kws={"label": cbar_label})
    ax.set_title(titel)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="x", labelrotation=45)
    for lab in ax.get_xticklabels():
        lab.set_horizontalalignment("right")
    fig.tight_layout()
    return fig


def retrieve(segments: pd.DataFrame, code: str, *, focusgebied: str | None = None,
             thema: str | None = None, subcodes: bool = True,
             max_aantal: int | None = None) -> pd.DataFrame:
    """Segments coded with ``code`` that may be shown: consent AND release given.

    ``subcodes``: also match codes under ``code``. ``focusgebied``: an id, or ``None``/
    ``"alle"`` for all areas. Returns columns ``bron, focusgebied, thema, segment, codes``
    (codes joined with ``; ``) — never ``respondent_of_sessie``.
    """
    mag = segments["toestemming"].astype(bool) & segments["vrijgegeven"].astype(bool)
    df = segments[mag]
    if focusgebied and focusgebied != "alle":
        df = df[df["focusgebied"] == focusgebied]
    if thema:
        df = df[df["thema"] == thema]

    def hit(codes: tuple[str, ...]) -> bool:
        return any(c == code or (subcodes and c.startswith(code + SEPARATOR)) for c in codes)

    df = df[df["codes"].map(hit)]
    out = df.assign(codes=df["codes"].map(lambda cs: "; ".join(cs)))[
        ["bron", "focusgebied", "thema", "segment", "codes"]].reset_index(drop=True)
    return out.head(max_aantal) if max_aantal else out
