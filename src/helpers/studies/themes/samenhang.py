"""Cross-theme chapter (samenhang): meervoudige effecten and recurring werkzame elementen.

Both are built from coded segments of the five theme studies (:mod:`helpers.studies.coding`):

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

from helpers.core import privacy
from helpers.kit.display import Weergave
from helpers.registers import codeboom, monitor
from helpers.registers.codeboom import load_codeboom
from helpers.studies import coding
from helpers.studies.coding import heatmap
from helpers.studies.themes.common import (
    ALLE,
    STUDIEJAREN,
    THEMAS,
    filter_gebied,
    gebiedsnaam,
    geen_gegevens,
    load_register,
    tabel_nl,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

EFFECT_TAK = "effect_domein"
ONBEKENDE_INTERVENTIE = "interventie niet vastgelegd"


def _domein_label(code: str) -> str:

    return load_codeboom().label(code)


def meervoudige_effecten(segments: pd.DataFrame | None, focusgebied: str = ALLE) -> pd.DataFrame:
    """Effects on other domains per intervention.

    Columns ``thema`` (primary domain, theme id), ``interventie``, ``focusgebied``,
    ``effect_domein`` (code path), ``segmenten`` (number of segments), ``respondenten``
    (distinct respondents/sessions). Only segments with a ``thema``, a focus area and an
    ``effect_domein`` code other than their own theme count; a segment without
    ``interventie`` is listed as :data:`ONBEKENDE_INTERVENTIE`. Sorted by theme,
    intervention, descending segments.
    """
    import pandas as pd


    cols = ["thema", "interventie", "focusgebied", "type", "effect_domein", "segmenten",
            "respondenten"]
    if segments is None:
        return pd.DataFrame(columns=cols)
    s = filter_gebied(segments, focusgebied)
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
    out = out.merge(_types(), on=["thema", "focusgebied", "interventie"], how="left")
    out["type"] = out["type"].fillna(ONBEKENDE_INTERVENTIE)
    return out.sort_values(["thema", "interventie", "focusgebied", "segmenten"],
                           ascending=[True, True, True, False])[cols].reset_index(drop=True)


def _types() -> pd.DataFrame:
    """(thema, focusgebied, interventie) -> type label of the intervention register (the
    first type when one intervention is registered under two types)."""
    import pandas as pd


    rows = []
    for thema, spec in load_register().items():
        for item in spec["interventies"]:
            rows.append({"thema": thema, "focusgebied": item["focusgebied"],
                         "interventie": item["interventie"], "type": spec["types"][item["type"]]})
    return pd.DataFrame(rows).drop_duplicates(["thema", "focusgebied", "interventie"])


def effectmatrix(effecten: pd.DataFrame, per: str = "interventie") -> pd.DataFrame:
    """Pivot of :func:`meervoudige_effecten`; columns the effect domains (Dutch labels, tree
    order), values numbers of segments.

    ``per="interventie"``: rows ``"<interventie> (<gebied>) — <primair domein>"`` (for one
    area); ``per="type"``: rows ``"<soort interventie> — <primair domein>"``, summed over areas
    (for all areas together, where one row per intervention would be unreadable).
    """
    import pandas as pd


    if effecten.empty:
        return pd.DataFrame()
    boom = load_codeboom()
    e = effecten.copy()
    if per == "type":
        e["rij"] = e["type"] + " — " + e["thema"].map(THEMAS)
    else:
        e["rij"] = (e["interventie"] + " (" + e["focusgebied"].map(gebiedsnaam) + ") — "
                    + e["thema"].map(THEMAS))
    m = e.pivot_table(index="rij", columns="effect_domein", values="segmenten", aggfunc="sum",
                      fill_value=0)
    volgorde = [c for c in boom.kinderen(EFFECT_TAK) if c in m.columns]
    m = m[volgorde]
    m.columns = [boom.label(c) for c in m.columns]
    rijvolgorde = e.drop_duplicates("rij").sort_values(["thema", "interventie"])["rij"]
    return m.reindex(rijvolgorde).astype(int)


def elementen_over_themas(segments: pd.DataFrame | None, focusgebied: str = ALLE) -> pd.DataFrame:
    """Werkzame elementen x theme: number of segments; plus ``aantal_themas`` (themes in which
    the element occurs). Rows are code paths sorted by ``aantal_themas`` then total segments
    (descending); columns the theme ids in :data:`THEMAS` order, then ``aantal_themas``."""
    import pandas as pd


    if segments is None:
        return pd.DataFrame(columns=[*THEMAS, "aantal_themas"])
    s = filter_gebied(segments, focusgebied)
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


def elementen_en_effecten(segments: pd.DataFrame | None, focusgebied: str = ALLE) -> pd.DataFrame:
    """Co-occurrence of werkzame elementen (rows) and ervaren effecten (columns) in the
    segments of all theme studies: number of segments coded with both. Rows and columns
    without any co-occurrence are dropped; code paths as labels."""
    import pandas as pd


    if segments is None:
        return pd.DataFrame()
    s = filter_gebied(segments, focusgebied)
    s = s[s["thema"].notna()]
    if s.empty:
        return pd.DataFrame()
    boom = codeboom.load_codeboom()
    rijen = boom.kinderen("werkzame_elementen")
    kolommen = boom.kinderen("ervaren_effecten")
    m = coding.cooccurrence(s, niveau=2, codes=[*rijen, *kolommen]).loc[rijen, kolommen]
    m = m.loc[m.sum(axis=1) > 0, m.sum(axis=0) > 0]
    return m


def figuur_effectmatrix(matrix: pd.DataFrame, titel: str) -> Any:
    """Heatmap of :func:`effectmatrix` (segments per intervention and effect domain)."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    fig, ax = plt.subplots(figsize=(max(7, 0.9 * len(matrix.columns) + 5),
                                    max(3.5, 0.42 * len(matrix) + 2)))
    sns.heatmap(matrix, annot=True, fmt="d", cmap="Greens", linewidths=0.5, ax=ax,
                cbar_kws={"label": "aantal gecodeerde fragmenten"})
    ax.set_xlabel("effect op ander domein")
    ax.set_ylabel("interventie — primair domein")
    ax.set_title(titel)
    ax.tick_params(axis="x", labelrotation=35)
    for lab in ax.get_xticklabels():
        lab.set_horizontalalignment("right")
    fig.tight_layout()
    return fig


def figuur_elementen(matrix: pd.DataFrame, titel: str) -> Any:
    """Heatmap of :func:`elementen_over_themas` (werkzame elementen x theme)."""

    m = matrix[list(THEMAS)].copy()
    m.columns = [THEMAS[c] for c in m.columns]
    return heatmap(m, titel=titel, xlabel="themastudie", ylabel="werkzaam element",
                   cbar_label="aantal gecodeerde fragmenten", cmap="Purples")


# ----------------------------------------------------------------------------- notebook steps

BRON = "Gecodeerde fragmenten van de vijf themastudies (Monitor SPUK KW)"


def show_meervoudige_effecten(uit: Any, segmenten: pd.DataFrame | None, focusgebied: str = ALLE
                              ) -> Weergave:
    """Step: matrix interventie x primair domein x effect op ander domein (table + heatmap)."""
    import matplotlib.pyplot as plt


    e = meervoudige_effecten(segmenten, focusgebied)
    if e.empty:
        return Weergave(geen_gegevens(focusgebied), gegevens=e)
    m = effectmatrix(e, per="type" if focusgebied == ALLE else "interventie")
    titel = f"Meervoudige effecten: doorwerking op andere domeinen ({gebiedsnaam(focusgebied)})"
    # persons per cell below min_n are not shown ('< 10'); fragments are no persons (shown)
    uit.tabel(e.assign(respondenten=privacy.hide_counts(e["respondenten"], min_n=monitor.min_n())),
              "meervoudige_effecten", titel=titel, bron=BRON)
    fig = figuur_effectmatrix(m, titel)
    uit.figuur(fig, "meervoudige_effecten", titel=titel,
               alt=(f"Heatmap: {len(m)} (soorten) interventies met hun primaire domein (rijen) en het aantal "
                    "gecodeerde fragmenten met een ervaren effect op een ander domein (kolommen)."),
               bron=BRON, jaar=STUDIEJAREN)
    plt.close(fig)
    return Weergave(fig, gegevens=e)


def show_elementen_over_themas(uit: Any, segmenten: pd.DataFrame | None, focusgebied: str = ALLE
                               ) -> Weergave:
    """Step: heatmap of werkzame elementen across the theme studies + table with the number of
    themes in which each element recurs."""
    import matplotlib.pyplot as plt


    m = elementen_over_themas(segmenten, focusgebied)
    if m.empty:
        return Weergave(geen_gegevens(focusgebied), gegevens=m)
    titel = f"Werkzame elementen die in meerdere themastudies terugkomen ({gebiedsnaam(focusgebied)})"
    fig = figuur_elementen(m, titel)
    uit.figuur(fig, "elementen_over_themas", titel=titel,
               alt=("Heatmap: aantal gecodeerde fragmenten per werkzaam element (rijen) en "
                    "themastudie (kolommen)."), bron=BRON, jaar=STUDIEJAREN)
    boom = load_codeboom()
    tabel = m.reset_index().rename(columns={"code": "werkzaam_element"})
    tabel.insert(1, "label", tabel["werkzaam_element"].map(boom.label))
    uit.tabel(tabel, "elementen_over_themas", titel=titel, bron=BRON)
    uit.kerncijfer("elementen_in_3_of_meer_themas", int((m["aantal_themas"] >= 3).sum()),
                   label="werkzame elementen genoemd in drie of meer themastudies",
                   eenheid="aantal", bron=BRON, jaar=STUDIEJAREN)
    plt.close(fig)
    return Weergave(fig, tabel_nl(tabel[["label", "aantal_themas"]],
                           kolomnamen={"label": "Werkzaam element",
                                       "aantal_themas": "Aantal themastudies"}), gegevens=m)


def show_elementen_en_effecten(uit: Any, segmenten: pd.DataFrame | None, focusgebied: str = ALLE
                               ) -> Weergave:
    """Step: heatmap of werkzame elementen x ervaren effecten named in the same fragment."""
    import matplotlib.pyplot as plt


    m = elementen_en_effecten(segmenten, focusgebied)
    if m.empty:
        return Weergave(geen_gegevens(focusgebied), gegevens=m)
    titel = f"Werkzame elementen en ervaren effecten in hetzelfde fragment ({gebiedsnaam(focusgebied)})"
    fig = heatmap(m, titel=titel, xlabel="ervaren effect", ylabel="werkzaam element",
                  cbar_label="aantal gecodeerde fragmenten", cmap="Oranges")
    uit.figuur(fig, "elementen_en_effecten", titel=titel,
               alt=("Heatmap: hoe vaak een werkzaam element (rijen) en een ervaren effect "
                    "(kolommen) samen in één gecodeerd fragment voorkomen, alle themastudies."),
               bron=BRON, jaar=STUDIEJAREN)
    boom = load_codeboom()
    tabel = m.rename(index=boom.label, columns=boom.label).reset_index(names="werkzaam_element")
    uit.tabel(tabel, "elementen_en_effecten", titel=titel, bron=BRON)
    plt.close(fig)
    return Weergave(fig, gegevens=m)
