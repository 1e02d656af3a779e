"""Theme study preventie armoede en schulden: the reach of informal networks.

The registration ``armoede_netwerken`` (layout in ``docs/layouts.md``, reader
:mod:`helpers.ingest.readers.armoede`) counts per focus area and half year: the people active in the
informal network (sleutelpersonen, ervaringsdeskundigen, vrijwilligers; paid or unpaid), the
households reached (of whom new to formal help), referrals to schuldhulp and how those
referrals stood at the end of the period (in behandeling / afgerond / afgehaakt; the rest is
still waiting or unknown).

- :func:`netwerk`: people in the network per role and paid/unpaid (counts of active people,
  not of residents helped: not suppressed).
- :func:`kengetallen`: shares among households reached and among referrals, 95% Wilson
  intervals, suppressed through :func:`helpers.core.privacy.suppress_shares`.
- :func:`ketenfouten`: rows whose sub-counts exceed their totals, reported per row and left
  out of every share (never clipped).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.kit.display import PALET
from helpers.registers import monitor
from helpers.studies.themes.study import (
    ALLE,
    ALPHA,
    Studie,
    execute_studie,
    inconsistenties,
    load_tabel,
    maten_lang,
    naam,
    save_figuur,
    suppress,
    weergave,
    zonder_inconsistenties,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

THEMA = "armoede_schulden"
TABEL = "armoede_netwerken"
BRON = "Registratie informele netwerken armoede en schulden focusgebieden"
ROLLEN = ("sleutelpersonen", "ervaringsdeskundigen", "vrijwilligers")
VERVOLG = ("schuldhulp_in_behandeling", "schuldhulp_afgerond", "schuldhulp_afgehaakt")
KETEN: tuple[tuple[str, str], ...] = (
    ("huishoudens_nieuw", "huishoudens_bereikt"),
    ("doorverwijzingen_schuldhulp", "huishoudens_bereikt"),
    ("+".join(VERVOLG), "doorverwijzingen_schuldhulp"),
)
# (id, numerator, denominator, Dutch label)
MATEN: tuple[tuple[str, str, str, str], ...] = (
    ("nieuw in beeld", "huishoudens_nieuw", "huishoudens_bereikt",
     "nieuw in beeld bij formele hulp (van bereikte huishoudens)"),
    ("doorverwezen", "doorverwijzingen_schuldhulp", "huishoudens_bereikt",
     "doorverwezen naar schuldhulp (van bereikte huishoudens)"),
    ("in behandeling", "schuldhulp_in_behandeling", "doorverwijzingen_schuldhulp",
     "in behandeling (van doorverwezen)"),
    ("afgerond", "schuldhulp_afgerond", "doorverwijzingen_schuldhulp",
     "afgerond (van doorverwezen)"),
    ("afgehaakt", "schuldhulp_afgehaakt", "doorverwijzingen_schuldhulp",
     "afgehaakt (van doorverwezen)"),
    ("wachtend of onbekend", "schuldhulp_onbekend", "doorverwijzingen_schuldhulp",
     "nog wachtend of onbekend (van doorverwezen)"),
)
TELLERS = ("huishoudens_bereikt", "huishoudens_nieuw", "doorverwijzingen_schuldhulp", *VERVOLG)
CONTEXT_INDICATOREN = ("p_hh_osm", "p_hh_110")
SLEUTELS = ("focusgebied", "periode")


def load(processed: Path | None = None) -> pd.DataFrame | None:
    """The processed informal-network registration, or ``None`` when it has not been ingested."""
    return load_tabel(TABEL, processed)


def ketenfouten(df: pd.DataFrame) -> pd.DataFrame:
    """Rows (area, period) whose sub-counts exceed their totals: see
    :func:`helpers.studies.themes.study.inconsistenties`."""
    return inconsistenties(df, KETEN, SLEUTELS)


def netwerk(df: pd.DataFrame, per: Sequence[str] = ("focusgebied",)) -> pd.DataFrame:
    """People active in the informal network per role and paid/unpaid, summed over ``per``.

    Counts are person-periods: someone active in two half years counts twice when periods are
    summed. Returns ``*per, rol, betaald, onbetaald, totaal, aandeel_betaald`` (fraction).
    """
    import numpy as np
    import pandas as pd

    kolommen = [f"{r}_{s}" for r in ROLLEN for s in ("betaald", "onbetaald")]
    som = df.groupby(list(per), as_index=False)[kolommen].sum()
    delen = []
    for rol in ROLLEN:
        d = som[list(per)].copy()
        d["rol"] = rol
        d["betaald"] = som[f"{rol}_betaald"].astype(int)
        d["onbetaald"] = som[f"{rol}_onbetaald"].astype(int)
        d["totaal"] = d["betaald"] + d["onbetaald"]
        d["aandeel_betaald"] = np.where(d["totaal"] > 0, d["betaald"] / d["totaal"].clip(lower=1), np.nan)
        delen.append(d)
    return pd.concat(delen, ignore_index=True).sort_values([*per, "rol"], ignore_index=True)


def kengetallen(df: pd.DataFrame, per: Sequence[str] = ("focusgebied",), *,
                groep: str = "focusgebied", min_n: int | None = None,
                alpha: float = ALPHA) -> pd.DataFrame:
    """Shares among households reached and among referrals, with Wilson intervals.

    Inconsistent rows (see :func:`ketenfouten`) are left out. Counts are summed per ``per``, a
    total row labelled 'alle' is added in column ``groep``. Returns ``*per, maat, label,
    teller, n, aandeel, ondergrens, bovengrens, onderdrukt, signaal`` (fractions 0-1).
    """
    min_n = monitor.min_n(min_n)
    import pandas as pd

    schoon = zonder_inconsistenties(df, ketenfouten(df), SLEUTELS)
    rest = [p for p in per if p != groep]
    delen_som = schoon.groupby(list(per), as_index=False)[list(TELLERS)].sum()
    if rest:
        totaal = schoon.groupby(rest, as_index=False)[list(TELLERS)].sum()
    else:
        totaal = schoon[list(TELLERS)].sum().to_frame().T
    totaal[groep] = ALLE
    sommen = pd.concat([delen_som, totaal[delen_som.columns]], ignore_index=True)
    sommen["schuldhulp_onbekend"] = sommen["doorverwijzingen_schuldhulp"] - sommen[list(VERVOLG)].sum(axis=1)
    lang = maten_lang(sommen, per, MATEN, alpha)
    return suppress(lang, n_kolom="n", groep=groep, by=["maat", *rest],
                     waarden=["teller", "aandeel", "ondergrens", "bovengrens"], min_n=min_n,
                     teller="teller")


def bereik_per_periode(df: pd.DataFrame, focusgebied: str, *, min_n: int | None = None) -> pd.DataFrame:
    """Households reached, new to formal help and referred, per period for one area or 'alle'.

    Returns ``focusgebied, periode, huishoudens_bereikt, huishoudens_nieuw,
    doorverwijzingen_schuldhulp, onderdrukt`` (periods with fewer than ``min_n`` households
    reached show no sub-counts; 'alle' sums all areas, inconsistent rows left out).
    """
    min_n = monitor.min_n(min_n)
    import numpy as np

    schoon = zonder_inconsistenties(df, ketenfouten(df), SLEUTELS)
    d = schoon if focusgebied == ALLE else schoon[schoon["focusgebied"] == focusgebied]
    som = d.groupby("periode", as_index=False)[["huishoudens_bereikt", "huishoudens_nieuw",
                                                "doorverwijzingen_schuldhulp"]].sum()
    som.insert(0, "focusgebied", focusgebied)
    klein = som["huishoudens_bereikt"] < min_n
    som["onderdrukt"] = np.where(klein & (som["huishoudens_bereikt"] > 0), "primair", "")
    som[["huishoudens_nieuw", "doorverwijzingen_schuldhulp"]] = (
        som[["huishoudens_nieuw", "doorverwijzingen_schuldhulp"]].astype(float))
    som.loc[klein, ["huishoudens_nieuw", "doorverwijzingen_schuldhulp"]] = np.nan
    return som.sort_values("periode", ignore_index=True)


# --------------------------------------------------------------------------- figures


def figuur_netwerk(net: pd.DataFrame):
    """Stacked bars per area: people in the informal network per role, paid and unpaid."""
    import matplotlib.pyplot as plt
    import numpy as np


    gebieden = sorted(net["focusgebied"].unique())
    fig, ax = plt.subplots(figsize=(7.5, 0.6 * len(gebieden) * len(ROLLEN) / 2 + 1.8))
    y = np.arange(len(gebieden))
    hoogte = 0.8 / len(ROLLEN)
    for i, (rol, kleur) in enumerate(zip(ROLLEN, PALET, strict=False)):
        d = net[net["rol"] == rol].set_index("focusgebied").reindex(gebieden).fillna(0)
        pos = y + i * hoogte
        ax.barh(pos, d["betaald"], height=hoogte, color=kleur, label=f"{rol}, betaald")
        ax.barh(pos, d["onbetaald"], left=d["betaald"], height=hoogte, color=kleur, alpha=0.45,
                hatch="//", label=f"{rol}, onbetaald")
    ax.set_yticks(y + hoogte, [naam(g) for g in gebieden])
    ax.invert_yaxis()
    ax.set_xlabel("aantal actieve personen (som over halfjaren)")
    ax.set_title("Informeel netwerk per focusgebied: rol en vergoeding")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    return fig


def figuur_vervolg(kern: pd.DataFrame):
    """Stacked 100% bars per area: how referrals to schuldhulp stood at the end of the period."""
    import matplotlib.pyplot as plt


    maten = ("in behandeling", "afgerond", "afgehaakt", "wachtend of onbekend")
    aanwezig = set(kern["focusgebied"])
    gebieden = [g for g in (ALLE, *sorted(aanwezig - {ALLE})) if g in aanwezig]
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(gebieden) + 1.6))
    links = [0.0] * len(gebieden)
    for maat, kleur in zip(maten, PALET, strict=False):
        d = kern[kern["maat"] == maat].set_index("focusgebied").reindex(gebieden)
        pct = (100 * d["aandeel"]).fillna(0).to_list()
        ax.barh([naam(g) for g in gebieden], pct, left=links, color=kleur, label=maat)
        links = [a + b for a, b in zip(links, pct, strict=True)]
    n = kern[kern["maat"] == "afgerond"].set_index("focusgebied").reindex(gebieden)
    for i, (_g, r) in enumerate(n.iterrows()):
        tekst = "onderdrukt (kleine groep)" if r["onderdrukt"] in ("primair", "secundair") else f"n = {int(r['n'])}"
        ax.text(101, i, tekst, va="center", fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 125)
    ax.set_xlabel("% van de doorverwijzingen naar schuldhulp")
    ax.set_title("Vervolg van doorverwijzingen naar schuldhulp")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    return fig


def figuur_bereik(per_periode: pd.DataFrame):
    """Lines over half years: households reached, of whom new to formal help, and referred."""
    import matplotlib.pyplot as plt


    fig, ax = plt.subplots(figsize=(7, 3.6))
    for kolom, label, kleur in (("huishoudens_bereikt", "bereikt", PALET[0]),
                                ("huishoudens_nieuw", "nieuw bij formele hulp", PALET[1]),
                                ("doorverwijzingen_schuldhulp", "doorverwezen naar schuldhulp", PALET[2])):
        ax.plot(per_periode["periode"], per_periode[kolom], marker="o", color=kleur, label=label)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("halfjaar")
    ax.set_ylabel("aantal huishoudens")
    ax.set_title(f"Huishoudens bereikt via informele netwerken: {naam(per_periode['focusgebied'].iloc[0])}")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def studie(focusgebied: str, *, min_n: int | None = None, demo: bool | None = None,
           processed: Path | None = None, runs: Path | None = None) -> Studie:
    """Compute and publish the armoede-en-schulden study for ``gebied`` (id or 'alle').

    Publishes through ``Uitvoer(gebied, '31_armoede_schulden')``: tables ``netwerk``,
    ``kengetallen``, ``bereik_per_periode``, ``ketenfouten``, ``context``, ``codes``; figures
    ``netwerk``, ``vervolg``, ``bereik``, ``codes``; key numbers ``huishoudens_bereikt`` and
    ``nieuw_in_beeld`` (percent). An area without registration gets the "geen gegevens" message.
    """
    min_n = monitor.min_n(min_n)

    return execute_studie(focusgebied, "31_armoede_schulden", THEMA, load(processed), CONTEXT_INDICATOREN,
                    lambda st, uit, df: _publish(st, uit, df, focusgebied, min_n),
                    min_n=min_n, demo=demo, processed=processed, runs=runs,
                    tabellen=('netwerk', 'kengetallen', 'bereik_per_periode', 'ketenfouten'), figuren=('netwerk', 'vervolg', 'bereik'))


def _publish(st: Studie, uit, df: pd.DataFrame, focusgebied: str, min_n: int) -> None:

    jaar = int(df["periode"].str[:4].astype(int).max())
    fouten = ketenfouten(df)
    uit.tabel(fouten, "ketenfouten", titel="Inconsistente registraties (niet meegeteld)", bron=BRON)
    st.tabellen["ketenfouten"] = fouten
    st.meldingen["ketenfouten"] = "Geen inconsistente registraties."

    net = netwerk(df)
    uit.tabel(net, "netwerk", titel="Actieve personen in het informele netwerk", bron=BRON)
    st.tabellen["netwerk"] = net.drop(columns=["aandeel_betaald"])
    save_figuur(uit, st, figuur_netwerk(net), "netwerk",
                  titel="Informeel netwerk per focusgebied", bron=BRON, jaar=jaar,
                  alt="Staafdiagram met per focusgebied het aantal sleutelpersonen, "
                      "ervaringsdeskundigen en vrijwilligers, betaald en onbetaald.")

    kern = kengetallen(df, min_n=min_n)
    if focusgebied != ALLE:
        kern = kern[kern["focusgebied"] == focusgebied].reset_index(drop=True)
    uit.tabel(kern, "kengetallen", titel="Bereik en vervolg van doorverwijzingen", bron=BRON,
              n_kolom="n", min_n=min_n)
    st.tabellen["kengetallen"] = weergave(kern, ["focusgebied", "label"])
    eigen = kern[kern["focusgebied"] == (ALLE if focusgebied == ALLE else focusgebied)].set_index("maat")
    bereikt = int(eigen.loc["nieuw in beeld", "n"])
    st.kerncijfers["huishoudens_bereikt"] = bereikt
    uit.kerncijfer("huishoudens_bereikt", bereikt, label="huishoudens bereikt via informele netwerken",
                   eenheid="aantal", bron=BRON, jaar=jaar)
    nieuw = eigen.loc["nieuw in beeld"]
    st.kerncijfers["nieuw_in_beeld"] = 100 * nieuw["aandeel"]
    uit.kerncijfer("nieuw_in_beeld", 100 * nieuw["aandeel"], label=nieuw["label"], eenheid="procent",
                   bron=BRON, jaar=jaar, n=bereikt, ondergrens=100 * nieuw["ondergrens"],
                   bovengrens=100 * nieuw["bovengrens"])
    save_figuur(uit, st, figuur_vervolg(kern), "vervolg",
                  titel="Vervolg van doorverwijzingen naar schuldhulp", bron=BRON, jaar=jaar,
                  alt="Gestapelde staven per focusgebied met het percentage doorverwijzingen dat in "
                      "behandeling is, is afgerond, is afgehaakt of nog wacht.")

    per_periode = bereik_per_periode(df, focusgebied, min_n=min_n)
    uit.tabel(per_periode, "bereik_per_periode", titel="Huishoudens bereikt per halfjaar", bron=BRON,
              n_kolom="huishoudens_bereikt", min_n=min_n)
    st.tabellen["bereik_per_periode"] = per_periode
    save_figuur(uit, st, figuur_bereik(per_periode), "bereik",
                  titel="Huishoudens bereikt per halfjaar", bron=BRON, jaar=jaar,
                  alt="Lijndiagram met per halfjaar het aantal bereikte huishoudens, het aantal "
                      "nieuw bij formele hulp en het aantal doorverwezen naar schuldhulp.")
