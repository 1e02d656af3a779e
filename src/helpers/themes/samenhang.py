"""Cross-theme chapter (samenhang): meervoudige effecten and recurring werkzame elementen.

Both are built from coded segments of the five theme studies (:mod:`helpers.coding`):

- **Meervoudige effecten**: a segment of theme study *t* (its primary domain) coded with
  ``effect_domein/<d>`` where *d* differs from *t* reports an experienced effect of that
  intervention on another domain. :func:`meervoudige_effecten` counts these per intervention,
  primary domain and effect domain; :func:`effectmatrix` pivots them.
- **Recurring werkzame elementen**: :func:`elementen_over_themas` counts segments per
  werkzaam element and theme, and in how many themes each element occurs.

Counts are numbers of coded segments (mentions), not of people; they describe what
respondents report (ervaren effecten), not measured causal effects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from helpers.themes.common import ALLE, THEMAS, filter_gebied, gebiedsnaam

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

EFFECT_TAK = "effect_domein"
ONBEKENDE_INTERVENTIE = "interventie niet vastgelegd"


def _domein_label(code: str) -> str:
    from helpers.coding import load_codeboom

    return load_codeboom().label(code)


def meervoudige_effecten(segments: pd.DataFrame | None, gebied: str = ALLE) -> pd.DataFrame:
    """Effects on other domains per intervention.

    Columns ``thema`` (primary domain, theme id), ``interventie``, ``focusgebied``,
    ``effect_domein`` (code path), ``segmenten`` (number of segments), ``respondenten``
    (distinct respondents/sessions). Only segments with a ``thema``, a focus area and an
    ``effect_domein`` code other than their own theme count; a segment without
    ``interventie`` is listed as :data:`ONBEKENDE_INTERVENTIE`. Sorted by theme,
    intervention, descending segments.
    """
    import pandas as pd

    from helpers import coding

    cols = ["thema", "interventie", "focusgebied", "effect_domein", "segmenten", "respondenten"]
    if segments is None:
        return pd.DataFrame(columns=cols)
    s = filter_gebied(segments, gebied)
    s = s[s["thema"].notna() & s["focusgebied"].notna()]
    if s.empty:
        return pd.DataFrame(columns=cols)
    s = s.assign(interventie=s["interventie"].astype(object).where(s["interventie"].notna(),
                                                                   ONBEKENDE_INTERVENTIE))
    lang = coding.codes_lang(s, niveau=2, tak=EFFECT_TAK)
    lang = lang[lang["code"] != EFFECT_TAK + "/" + lang["thema"].astype(str)]
    if lang.empty:
        return pd.DataFrame(columns=cols)
    out = (lang.groupby(["thema", "interventie", "focusgebied", "code"])
           .agg(segmenten=("segment_id", "nunique"),
                respondenten=("respondent_of_sessie", "nunique"))
           .reset_index().rename(columns={"code": "effect_domein"}))
    for c in ("thema", "interventie", "focusgebied"):
        out[c] = out[c].astype(str)
    return out.sort_values(["thema", "interventie", "focusgebied", "segmenten"],
                           ascending=[True, True, True, False])[cols].reset_index(drop=True)


def effectmatrix(effecten: pd.DataFrame) -> pd.DataFrame:
    """Pivot of :func:`meervoudige_effecten`: rows ``"<interventie> (<gebied>) — <primair
    domein>"``, columns the effect domains (Dutch labels, tree order), values segments."""
    import pandas as pd

    from helpers.coding import load_codeboom

    if effecten.empty:
        return pd.DataFrame()
    boom = load_codeboom()
    e = effecten.copy()
    e["rij"] = (e["interventie"] + " (" + e["focusgebied"].map(gebiedsnaam) + ") — "
                + e["thema"].map(THEMAS))
    m = e.pivot_table(index="rij", columns="effect_domein", values="segmenten", aggfunc="sum",
                      fill_value=0)
    volgorde = [c for c in boom.kinderen(EFFECT_TAK) if c in m.columns]
    m = m[volgorde]
    m.columns = [boom.label(c) for c in m.columns]
    rijvolgorde = e.drop_duplicates("rij").sort_values(["thema", "interventie"])["rij"]
    return m.reindex(rijvolgorde).astype(int)


def elementen_over_themas(segments: pd.DataFrame | None, gebied: str = ALLE) -> pd.DataFrame:
    """Werkzame elementen x theme: number of segments; plus ``aantal_themas`` (themes in which
    the element occurs). Rows are code paths sorted by ``aantal_themas`` then total segments
    (descending); columns the theme ids in :data:`THEMAS` order, then ``aantal_themas``."""
    import pandas as pd

    from helpers import coding

    if segments is None:
        return pd.DataFrame(columns=[*THEMAS, "aantal_themas"])
    s = filter_gebied(segments, gebied)
    s = s[s["thema"].notna()]
    if s.empty:
        return pd.DataFrame(columns=[*THEMAS, "aantal_themas"])
    lang = coding.codes_lang(s, niveau=2, tak="werkzame_elementen")
    m = pd.crosstab(lang["code"], lang["thema"].astype(str)).reindex(columns=list(THEMAS),
                                                                       fill_value=0)
    m["aantal_themas"] = (m[list(THEMAS)] > 0).sum(axis=1)
    totaal = m[list(THEMAS)].sum(axis=1)
    orde = pd.DataFrame({"t": m["aantal_themas"], "s": totaal}).sort_values(
        ["t", "s"], ascending=False).index
    return m.loc[orde].astype(int)


def figuur_effectmatrix(matrix: pd.DataFrame, titel: str) -> Any:
    """Heatmap of :func:`effectmatrix` (segments per intervention and effect domain)."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    fig, ax = plt.subplots(figsize=(max(7, 0.9 * len(matrix.columns) + 5),
                                    max(3.5, 0.42 * len(matrix) + 2)))
    sns.heatmap(matrix, annot=True, fmt="d", cmap="Greens", linewidths=0.5, ax=ax,
                cbar_kws={"label": "aantal gecodeerde fragmenten"})
    ax.set_xlabel("effect op ander domein")
    ax.set_ylabel("interventie (focusgebied) — primair domein")
    ax.set_title(titel)
    ax.tick_params(axis="x", labelrotation=35)
    for lab in ax.get_xticklabels():
        lab.set_horizontalalignment("right")
    fig.tight_layout()
    return fig


def figuur_elementen(matrix: pd.DataFrame, titel: str) -> Any:
    """Heatmap of :func:`elementen_over_themas` (werkzame elementen x theme)."""
    from helpers.coding import heatmap

    m = matrix[list(THEMAS)].copy()
    m.columns = [THEMAS[c] for c in m.columns]
    return heatmap(m, titel=titel, xlabel="themastudie", ylabel="werkzaam element",
                   cbar_label="aantal gecodeerde fragmenten", cmap="Purples")
