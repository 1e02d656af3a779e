"""Theme study veerkracht en weerbaarheid (positieve identiteitsontwikkeling).

No registration data: the study is qualitative. Two sources:

- the intervention register (``params/interventies.yml``, theme ``veerkracht``), in which every
  intervention's ``type`` is one of the study's five categories (:data:`CATEGORIEEN`);
- coded interview segments with ``thema = veerkracht`` (:mod:`helpers.studies.coding`): frequencies of
  werkzame elementen, knelpunten and ervaren effecten, and werkzame elementen per category
  (segments name their intervention in the column ``interventie``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from helpers.kit.display import Weergave
from helpers.studies import coding
from helpers.studies.themes.common import (
    ALLE,
    BRON_INTERVIEWS,
    BRON_REGISTER,
    STUDIEJAREN,
    filter_gebied,
    gebiedsnaam,
    geen_gegevens,
    heeft_gegevens,
    load_interventies,
    load_register,
    tabel_nl,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

THEMA = "veerkracht"


def categorieen() -> dict[str, str]:
    """The five categories (id -> Dutch label) in the study's order."""
    return dict(load_register()[THEMA]["types"])


def categorie_overzicht(focusgebied: str = ALLE) -> pd.DataFrame:
    """Interventions per category: ``categorie, label, interventies, focusgebieden, fase_2``
    (number of interventions, of distinct areas, and of interventions in phase 2 — ``x`` or
    ``deels``). All five categories are listed, also when empty."""
    import pandas as pd

    cats = categorieen()
    df = filter_gebied(load_interventies(THEMA), focusgebied)
    rows = []
    for cid, label in cats.items():
        sub = df[df["type"] == cid]
        rows.append({"categorie": cid, "label": label, "interventies": len(sub),
                     "focusgebieden": sub["focusgebied"].nunique(),
                     "fase_2": int(sub["fase_2"].isin(["x", "deels"]).sum())})
    return pd.DataFrame(rows)


def figuur_categorieen(overzicht: pd.DataFrame, titel: str) -> Any:
    """Bar chart of the number of interventions per category (phase 2 highlighted)."""
    import matplotlib.pyplot as plt

    d = overzicht.iloc[::-1]
    fig, ax = plt.subplots(figsize=(9, 3.8))
    ax.barh(d["label"], d["interventies"], color="#56B4E9", label="alle interventies")
    ax.barh(d["label"], d["fase_2"], color="#0072B2", label="waarvan verdiept in fase 2")
    ax.set_xlabel("aantal interventies")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(titel)
    ax.legend(frameon=False, loc="lower right")
    fig.tight_layout()
    return fig


def met_categorie(segments: pd.DataFrame) -> pd.DataFrame:
    """Segments joined to the register's category via (``focusgebied``, ``interventie``);
    segments without a registered intervention get categorie ``<NA>``."""
    reg = load_interventies(THEMA)[["focusgebied", "interventie", "type"]].drop_duplicates(
        ["focusgebied", "interventie"]).rename(columns={"type": "categorie"})
    s = segments.copy()
    s["focusgebied"] = s["focusgebied"].astype(object)
    s["interventie"] = s["interventie"].astype(object)
    return s.merge(reg, on=["focusgebied", "interventie"], how="left")


def elementen_per_categorie(segments: pd.DataFrame) -> pd.DataFrame:
    """Matrix werkzaam element (rows, code paths) x category (columns, ids): number of
    segments. Only segments linked to a registered intervention count."""
    import pandas as pd


    s = met_categorie(segments)
    s = s[s["categorie"].notna()]
    cats = list(categorieen())
    if s.empty:
        return pd.DataFrame(columns=cats)
    lang = coding.codes_lang(s, niveau=2, tak="werkzame_elementen")
    m = pd.crosstab(lang["code"], lang["categorie"]).reindex(columns=cats, fill_value=0)
    return m.astype(int)


# ----------------------------------------------------------------------------- notebook steps


def show_categorieen(uit: Any, focusgebied: str = ALLE) -> Weergave:
    """Step: interventions per category (table + bar chart) from the register."""

    o = categorie_overzicht(focusgebied)
    if o["interventies"].sum() == 0:
        return Weergave(geen_gegevens(focusgebied), gegevens=o)
    titel = f"Interventies per categorie ({gebiedsnaam(focusgebied)})"
    uit.tabel(o, "categorieen", titel=titel, bron=BRON_REGISTER)
    fig = figuur_categorieen(o, titel)
    uit.figuur(fig, "categorieen", titel=titel,
               alt=("Staafdiagram: aantal interventies in elk van de vijf categorieën van de "
                    f"studie, waarvan verdiept in fase 2; totaal {int(o['interventies'].sum())}."),
               bron=BRON_REGISTER, jaar=STUDIEJAREN)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return Weergave(fig, tabel_nl(o.drop(columns="categorie"),
                           kolomnamen={"label": "Categorie", "interventies": "Interventies",
                                       "focusgebieden": "Focusgebieden",
                                       "fase_2": "Waarvan in fase 2"}), gegevens=o)


def show_elementen_per_categorie(uit: Any, segmenten: pd.DataFrame, focusgebied: str = ALLE) -> Weergave:
    """Step: heatmap of werkzame elementen per intervention category (coded fragments)."""

    m = elementen_per_categorie(segmenten) if heeft_gegevens(segmenten) else None
    if m is None or m.empty:
        return Weergave(geen_gegevens(focusgebied), gegevens=m)
    cats = categorieen()
    m = m.loc[:, m.sum() > 0]
    titel = f"Werkzame elementen per categorie interventies ({gebiedsnaam(focusgebied)})"
    fig = coding.heatmap(m.rename(columns=cats), titel=titel, xlabel="categorie interventie",
                         ylabel="werkzaam element", cbar_label="aantal gecodeerde fragmenten")
    uit.figuur(fig, "elementen_per_categorie", titel=titel,
               alt=("Heatmap: hoe vaak elk werkzaam element is genoemd in fragmenten over "
                    "interventies van elke categorie."), bron=BRON_INTERVIEWS, jaar=STUDIEJAREN)
    tabel = m.rename(columns=cats).reset_index().rename(columns={"code": "werkzaam_element"})
    uit.tabel(tabel, "elementen_per_categorie", titel=titel, bron=BRON_INTERVIEWS)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return Weergave(fig, gegevens=m)
