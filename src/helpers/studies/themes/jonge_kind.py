"""Theme study jonge kind: VE-bereik as a chain with break points.

The registration ``ve_bereik`` (layout in ``docs/layouts.md``, reader
:mod:`helpers.ingest.readers.ve_bereik`) counts, per focus area and indication cohort (half year),
the children at each step of the chain indicatie -> toeleiding/contact -> aanmelding -> start
-> deelname (still taking part N months after the start), plus ``gestopt``: started and then
stopped. From these counts:

- **bereik** = start / indicatie;
- **conversie** per step = step / previous step;
- **non-start** = (indicatie - start) / indicatie: indicated, never started;
- **uitval** = gestopt / start: started, then stopped.

non-start and uitval are separate rates with separate denominators: they are never added up.
Every rate carries a 95% Wilson interval (statsmodels) and goes through
:func:`helpers.core.privacy.suppress_shares` (minimum n on the denominator, secondary suppression
across areas or cohorts). Rows whose chain is inconsistent (a later step larger than an earlier
one, or deelname + gestopt larger than start) are listed by :func:`inconsistenties` and left
out of every rate, never clipped.

The helpers shared with the other quantitative theme studies live in
:mod:`helpers.studies.themes.study`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers.core import nl
from helpers.kit.display import PALET
from helpers.registers import monitor
from helpers.registers.focusgebieden import ALLE
from helpers.studies.themes.study import (  # noqa: F401  (names used by notebooks and tests)
    GEEN_INDICATORBASIS,
    GEEN_SEGMENTEN,
    Studie,
    aandelen,
    context,
    execute_studie,
    inconsistenties,
    indicatorcontext,
    kwalitatief,
    load_tabel,
    maten_lang,
    naam,
    save_figuur,
    select,
    suppress,
    weergave,
    wilson,
    zonder_inconsistenties,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

THEMA = "jonge_kind"
TABEL = "ve_bereik"
BRON = "VE-registratie focusgebieden (toeleidingsketen)"
ALPHA = 0.05

STAPPEN = ("indicatie", "toeleiding", "aanmelding", "start", "deelname")
STAP_LABELS = {
    "indicatie": "Indicatie",
    "toeleiding": "Toeleiding/contact",
    "aanmelding": "Aanmelding",
    "start": "Start",
    "deelname": "Deelname na N maanden",
}
# Chain checks: (later count, earlier count). "deelname+gestopt" is a derived sum.
KETEN: tuple[tuple[str, str], ...] = (
    ("toeleiding", "indicatie"),
    ("aanmelding", "toeleiding"),
    ("start", "aanmelding"),
    ("deelname", "start"),
    ("gestopt", "start"),
    ("deelname+gestopt", "start"),
)
# Rates: (id, numerator column, denominator column, Dutch label).
MATEN: tuple[tuple[str, str, str, str], ...] = (
    ("bereik", "start", "indicatie", "bereik (gestart van geïndiceerd)"),
    ("non-start", "non_start", "indicatie", "non-start (geïndiceerd, nooit gestart)"),
    ("uitval", "gestopt", "start", "uitval (gestart, daarna gestopt)"),
    ("conversie toeleiding", "toeleiding", "indicatie", "toeleiding/contact van indicatie"),
    ("conversie aanmelding", "aanmelding", "toeleiding", "aanmelding van toeleiding"),
    ("conversie start", "start", "aanmelding", "start van aanmelding"),
    ("conversie deelname", "deelname", "start", "deelname na N maanden van start"),
)
CONTEXT_INDICATOREN = ("p_0_14", "inwoners_0_14")


# --------------------------------------------------------------------------- VE-bereik


def load(processed: Path | None = None) -> pd.DataFrame | None:
    """The processed VE-bereik registration, or ``None`` when it has not been ingested."""
    return load_tabel(TABEL, processed)


def ketenfouten(df: pd.DataFrame) -> pd.DataFrame:
    """Inconsistent chains per row (area, cohort, step): see :func:`inconsistenties`."""
    return inconsistenties(df, KETEN, ("focusgebied", "cohort"))


def _som(df: pd.DataFrame, per: Sequence[str]) -> pd.DataFrame:
    tellers = [*STAPPEN, "gestopt"]
    if per:
        uit = df.groupby(list(per), as_index=False)[tellers].sum()
    else:
        uit = df[tellers].sum().to_frame().T
    uit["non_start"] = uit["indicatie"] - uit["start"]
    return uit


def _met_totaal(df: pd.DataFrame, per: Sequence[str], groep: str) -> pd.DataFrame:
    """Sums per ``per`` plus a total row (``groep`` = 'alle') per remaining key."""
    import pandas as pd

    delen = _som(df, per)
    rest = [p for p in per if p != groep]
    totaal = _som(df, rest)
    totaal[groep] = ALLE
    return pd.concat([delen, totaal[delen.columns]], ignore_index=True)


def kengetallen(df: pd.DataFrame, per: Sequence[str] = ("focusgebied",), *,
                groep: str = "focusgebied", min_n: int | None = None,
                alpha: float = ALPHA) -> pd.DataFrame:
    """Rates of the VE chain with Wilson intervals, suppressed for small denominators.

    ``df``: the registration (all cohorts and areas to include). Inconsistent rows are left out
    (see :func:`ketenfouten`). Sums counts per ``per`` and adds a total row labelled ``'alle'``
    in column ``groep`` (per remaining key of ``per``). Returns a long table: ``*per, maat,
    label, teller, n, aandeel, ondergrens, bovengrens, onderdrukt, signaal`` with ``aandeel``
    and bounds as fractions (0-1), NaN when suppressed (n < ``min_n`` or derivable).
    """
    min_n = monitor.min_n(min_n)

    schoon = zonder_inconsistenties(df, ketenfouten(df), ("focusgebied", "cohort"))
    sommen = _met_totaal(schoon, per, groep)
    lang = maten_lang(sommen, per, MATEN, alpha)
    by = ["maat", *[p for p in per if p != groep]]
    return suppress(lang, n_kolom="n", groep=groep, by=by,
                     waarden=["teller", "aandeel", "ondergrens", "bovengrens"], min_n=min_n,
                     teller="teller")


def trechter(df: pd.DataFrame, per: Sequence[str] = ("focusgebied",), *,
             groep: str = "focusgebied", min_n: int | None = None) -> pd.DataFrame:
    """Counts per step of the chain (the funnel), with the share of the indicated children.

    Returns a long table ``*per, stap, label, aantal, indicatie, aandeel_van_indicatie,
    onderdrukt, signaal``; groups whose number of indicated children is below ``min_n`` (or
    that would be derivable by subtraction) show no counts. Inconsistent rows are left out.
    """
    min_n = monitor.min_n(min_n)
    import numpy as np
    import pandas as pd

    schoon = zonder_inconsistenties(df, ketenfouten(df), ("focusgebied", "cohort"))
    sommen = _met_totaal(schoon, per, groep)
    rest = [p for p in per if p != groep]
    basis = suppress(sommen[[*per, "indicatie"]].assign(basis=sommen["indicatie"]),
                      n_kolom="basis", groep=groep, by=rest or None, waarden=[], min_n=min_n)
    delen = []
    for stap in STAPPEN:
        d = sommen[list(per)].copy()
        d["stap"] = stap
        d["label"] = STAP_LABELS[stap]
        d["aantal"] = sommen[stap].astype(float)
        d["indicatie"] = sommen["indicatie"].astype(int)
        d["aandeel_van_indicatie"] = np.where(d["indicatie"] > 0,
                                              d["aantal"] / d["indicatie"].where(d["indicatie"] > 0, 1),
                                              np.nan)
        d["onderdrukt"] = basis["onderdrukt"].to_numpy()
        d["signaal"] = basis["signaal"].to_numpy()
        delen.append(d)
    lang = pd.concat(delen, ignore_index=True)
    verborgen = lang["onderdrukt"].isin(["primair", "secundair"])
    lang.loc[verborgen, ["aantal", "aandeel_van_indicatie"]] = np.nan
    return lang


# --------------------------------------------------------------------------- figures


def figuur_trechter(funnel: pd.DataFrame, gebieden: Sequence[str], deelname_maanden: int | None = None):
    """Horizontal funnel bars per area (one panel per area, at most 12), counts as labels.

    ``funnel``: output of :func:`trechter` with ``per=('focusgebied',)``. Suppressed areas show
    the text 'onderdrukt (kleine groep)'. Returns a matplotlib Figure.
    """
    import matplotlib.pyplot as plt


    gebieden = list(gebieden)[:12]
    ncol = min(3, len(gebieden))
    nrow = -(-len(gebieden) // ncol)
    fig, assen = plt.subplots(nrow, ncol, figsize=(4.2 * ncol, 2.6 * nrow), squeeze=False)
    labels = [STAP_LABELS[s] for s in STAPPEN]
    if deelname_maanden:
        labels[-1] = f"Deelname na {deelname_maanden} mnd"
    for ax, gebied in zip(assen.flat, gebieden, strict=False):
        d = funnel[funnel["focusgebied"] == gebied].set_index("stap").reindex(STAPPEN)
        ax.set_title(naam(gebied), fontsize=10)
        if d["aantal"].isna().all():
            ax.text(0.5, 0.5, "onderdrukt (kleine groep)", ha="center", va="center",
                    transform=ax.transAxes)
            ax.set_yticks([])
            ax.set_xticks([])
            continue
        ax.barh(labels, d["aantal"], color=PALET[0])
        ax.invert_yaxis()
        for i, v in enumerate(d["aantal"]):
            ax.text(v, i, " " + nl.getal(v), va="center", fontsize=8)
        ax.set_xlabel("aantal kinderen")
        ax.set_xlim(0, d["aantal"].max() * 1.25)
    for ax in list(assen.flat)[len(gebieden):]:
        ax.axis("off")
    fig.suptitle("VE-toeleidingsketen: aantal kinderen per stap")
    fig.tight_layout()
    return fig


def figuur_vergelijking(kern: pd.DataFrame, maten: Sequence[str] = ("bereik", "non-start", "uitval")):
    """Dot-and-interval plot of rates per area (one panel per rate), total 'alle' on top.

    ``kern``: output of :func:`kengetallen` with ``per=('focusgebied',)``. Suppressed rates are
    left out and marked 'onderdrukt'; rates on a base below the signal threshold get an open
    marker and the note 'signaal'. Returns a matplotlib Figure.
    """
    import matplotlib.pyplot as plt


    maten = list(maten)
    aanwezig = set(kern["focusgebied"])
    gebieden = [g for g in (ALLE, *sorted(aanwezig - {ALLE})) if g in aanwezig]
    fig, assen = plt.subplots(1, len(maten), figsize=(3.6 * len(maten), 0.45 * len(gebieden) + 1.6),
                              sharey=True, squeeze=False)
    for ax, maat, kleur in zip(assen.flat, maten, PALET, strict=False):
        d = kern[kern["maat"] == maat].set_index("focusgebied").reindex(gebieden)
        y = range(len(gebieden))
        pct = 100 * d["aandeel"]
        ax.errorbar(pct, y, xerr=[(pct - 100 * d["ondergrens"]).clip(lower=0),
                                  (100 * d["bovengrens"] - pct).clip(lower=0)],
                    fmt="o", color=kleur, ecolor=kleur, capsize=3)
        for i, (_g, r) in enumerate(d.iterrows()):
            if r["onderdrukt"] in ("primair", "secundair"):
                ax.text(2, i, "onderdrukt", va="center", fontsize=8, color="#555555")
            elif r["signaal"]:
                # small base: open marker and a note (signal, not a conclusion)
                ax.plot(pct.iloc[i], i, "o", color="white", markeredgecolor=kleur, zorder=3)
                ax.text(98, i, "signaal", va="center", ha="right", fontsize=7, color="#555555")
        ax.set_title(maat)
        ax.set_xlim(0, 100)
        ax.set_xlabel("% (met 95%-interval)")
    assen.flat[0].set_yticks(range(len(gebieden)), [naam(g) for g in gebieden])
    assen.flat[0].invert_yaxis()
    fig.suptitle("Bereik, non-start en uitval per focusgebied")
    fig.tight_layout()
    return fig


def figuur_trend(kern_cohort: pd.DataFrame, focusgebied: str,
                 maten: Sequence[str] = ("bereik", "non-start", "uitval")):
    """Rates over indication cohorts for one area (or the total 'alle'), with 95% bands.

    ``kern_cohort``: output of :func:`kengetallen` with ``per=('focusgebied', 'cohort')`` and
    ``groep='cohort'`` (or any table with columns focusgebied, cohort, maat, aandeel, bounds).
    """
    import matplotlib.pyplot as plt


    d = kern_cohort[(kern_cohort["focusgebied"] == focusgebied) & (kern_cohort["cohort"] != ALLE)]
    cohorten = sorted(d["cohort"].unique())
    x = {c: i for i, c in enumerate(cohorten)}
    fig, ax = plt.subplots(figsize=(7, 3.8))
    for maat, kleur in zip(maten, PALET, strict=False):
        m = d[d["maat"] == maat].sort_values("cohort")
        pos = m["cohort"].map(x)
        ax.plot(pos, 100 * m["aandeel"], marker="o", color=kleur, label=maat)
        ax.fill_between(pos, 100 * m["ondergrens"], 100 * m["bovengrens"], color=kleur, alpha=0.15)
    verborgen = d[d["maat"] == "bereik"]
    for _, r in verborgen[verborgen["onderdrukt"].isin(["primair", "secundair"])].iterrows():
        ax.text(x[r["cohort"]], 3, "onderdrukt\n(kleine groep)", ha="center", fontsize=7,
                color="#555555")
    ax.set_xticks(range(len(cohorten)), cohorten)
    ax.set_xlim(-0.5, len(cohorten) - 0.5)
    ax.set_ylim(0, 100)
    ax.set_xlabel("cohort (halfjaar van indicatie)")
    ax.set_ylabel("% (met 95%-interval)")
    ax.set_title(f"Bereik, non-start en uitval per cohort: {naam(focusgebied)}")
    ax.legend(title="maat", loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    fig.tight_layout()
    return fig


def trend(df: pd.DataFrame, focusgebied: str, *, min_n: int | None = None, alpha: float = ALPHA) -> pd.DataFrame:
    """Rates per cohort for one area, or for all areas together when ``gebied`` is 'alle'.

    Same columns as :func:`kengetallen` with ``per=('focusgebied', 'cohort')``; the row with
    cohort 'alle' is the total over cohorts (used for secondary suppression across cohorts).
    """
    min_n = monitor.min_n(min_n)
    d = df.assign(focusgebied=ALLE) if focusgebied == ALLE else df[df["focusgebied"] == focusgebied]
    if focusgebied == ALLE:
        # Inconsistent rows must be removed before the area label is replaced.
        d = zonder_inconsistenties(df, ketenfouten(df), ("focusgebied", "cohort")).assign(focusgebied=ALLE)
        d = d.groupby(["focusgebied", "cohort"], as_index=False)[[*STAPPEN, "gestopt"]].sum()
    return kengetallen(d, per=("focusgebied", "cohort"), groep="cohort", min_n=min_n, alpha=alpha)


def studie(focusgebied: str, *, min_n: int | None = None, demo: bool | None = None,
           processed: Path | None = None, runs: Path | None = None) -> Studie:
    """Compute and publish the VE-bereik study for ``gebied`` (id or 'alle').

    Publishes through ``Uitvoer(gebied, '34_jonge_kind')`` (under ``runs``, default
    :func:`helpers.core.config.output_root`): tables ``ve_kengetallen``,
    ``ve_trechter``, ``ve_trend``, ``ve_ketenfouten``, ``context``, ``codes``; figures
    ``ve_trechter``, ``ve_vergelijking``, ``ve_trend``, ``codes``; key numbers ``bereik``,
    ``non_start``, ``uitval`` (percent). Returns the :class:`Studie` for display; an area
    without VE data gets the "geen gegevens" message everywhere except the context.
    """
    min_n = monitor.min_n(min_n)

    alles = load(processed)
    return execute_studie(focusgebied, "34_jonge_kind", THEMA, alles, CONTEXT_INDICATOREN,
                    lambda st, uit, df: _publish_ve(st, uit, alles, df, focusgebied, min_n),
                    min_n=min_n, demo=demo, processed=processed, runs=runs,
                    tabellen=('kengetallen', 'trend', 'ketenfouten'), figuren=('ve_trechter', 've_vergelijking', 've_trend'))


def _publish_ve(st: Studie, uit: Any, alles: pd.DataFrame, df: pd.DataFrame, focusgebied: str,
                  min_n: int) -> None:
    jaar = int(df["cohort"].str[:4].astype(int).max())
    maanden = int(df["deelname_maanden"].max())
    fouten = ketenfouten(df)
    uit.tabel(fouten, "ve_ketenfouten", titel="Inconsistente ketens (niet meegeteld)", bron=BRON)
    st.tabellen["ketenfouten"] = fouten
    st.meldingen["ketenfouten"] = "Geen inconsistente ketens: elke stap is kleiner dan of gelijk aan de vorige."

    kern = kengetallen(df, min_n=min_n)
    if focusgebied != ALLE:
        kern = kern[kern["focusgebied"] == focusgebied].reset_index(drop=True)
    uit.tabel(kern, "ve_kengetallen", titel="Bereik, non-start, uitval en conversie per stap",
              bron=BRON, n_kolom="n", min_n=min_n)
    st.tabellen["kengetallen"] = weergave(kern, ["focusgebied", "label"])
    eigen = kern[kern["focusgebied"] == (ALLE if focusgebied == ALLE else focusgebied)].set_index("maat")
    for maat in ("bereik", "non-start", "uitval"):
        st.kerncijfers[maat] = 100 * eigen.loc[maat, "aandeel"]
        uit.kerncijfer(maat.replace("-", "_"), 100 * eigen.loc[maat, "aandeel"], eenheid="procent",
                       label=eigen.loc[maat, "label"], bron=BRON, jaar=jaar,
                       n=int(eigen.loc[maat, "n"]), ondergrens=100 * eigen.loc[maat, "ondergrens"],
                       bovengrens=100 * eigen.loc[maat, "bovengrens"])

    funnel = trechter(df, min_n=min_n)
    uit.tabel(funnel, "ve_trechter", titel="Aantal kinderen per stap van de keten", bron=BRON,
              n_kolom="indicatie", min_n=min_n)
    gebieden = sorted(df["focusgebied"].unique()) if focusgebied == ALLE else [focusgebied]
    save_figuur(uit, st, figuur_trechter(funnel, gebieden, maanden), "ve_trechter",
                  titel="VE-toeleidingsketen per focusgebied", bron=BRON, jaar=jaar,
                  alt="Staafdiagrammen per focusgebied met het aantal kinderen bij indicatie, "
                      "toeleiding, aanmelding, start en deelname.")

    vergelijk = kengetallen(alles, min_n=min_n)
    save_figuur(uit, st, figuur_vergelijking(vergelijk), "ve_vergelijking",
                  titel="Bereik, non-start en uitval per focusgebied", bron=BRON, jaar=jaar,
                  alt="Drie panelen met per focusgebied het percentage bereik, non-start en "
                      "uitval met een 95%-betrouwbaarheidsinterval.")

    per_cohort = trend(df, focusgebied, min_n=min_n)
    uit.tabel(per_cohort, "ve_trend", titel="Bereik, non-start en uitval per cohort", bron=BRON,
              n_kolom="n", min_n=min_n)
    st.tabellen["trend"] = weergave(per_cohort[per_cohort["maat"].isin(["non-start", "uitval"])],
                                    ["cohort", "maat"])
    save_figuur(uit, st, figuur_trend(per_cohort, focusgebied), "ve_trend",
                  titel="Bereik, non-start en uitval per cohort", bron=BRON, jaar=jaar,
                  alt="Lijndiagram met per indicatiecohort het percentage bereik, non-start en "
                      "uitval met 95%-intervallen.")
