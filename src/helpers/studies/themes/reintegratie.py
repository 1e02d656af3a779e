"""Theme study re-integratie: groepsaanpak and wijkbaan, outcome routes as competing risks.

The registration ``reintegratie`` (layout in ``docs/layouts.md``, reader
:mod:`helpers.ingest.readers.reintegratie`) has one row per participant: area, intervention type,
start date, years in bijstand before the start, target group, outcome route and the date of
that outcome. ``nog in traject`` is not an outcome: its date is the last observation and the
participant is censored there.

- **Route shares** (:func:`routeaandelen`): the share of participants per outcome (all six,
  including ``nog in traject``) per intervention type, 95% Wilson intervals, suppressed through
  :func:`helpers.core.privacy.suppress_shares`.
- **Time to outcome** (:func:`cumulatieve_incidentie`): the five outcome routes (betaald werk,
  scholing, vrijwilligerswerk, dagbesteding, uitval) compete: reaching one ends the trajectory.
  The cumulative incidence of each route is the Aalen-Johansen estimate (lifelines
  ``AalenJohansenFitter``), not 1 - Kaplan-Meier per route (which treats the other routes as
  censoring and overstates every route).

Ties: lifelines' Aalen-Johansen refuses event times shared by *different* routes and then
jitters them with a random shift. To be reproducible without relying on numpy's global random
state, :func:`ontkoppel` breaks such ties deterministically first: at a time ``t`` shared by
routes with codes c1 < c2 < ..., route ``ck`` is moved to ``t - k * EPSILON_DAGEN`` (k = 0, 1,
...). After the tie block (and so at every whole day) the estimates equal the standard
Aalen-Johansen estimate with tied events, because the product of the Kaplan-Meier factors over
the block equals the tied factor and each route's increments add up to the tied increment.
Events stay before censorings at the same day (the usual convention).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.core import nl
from helpers.kit.display import PALET
from helpers.registers import monitor
from helpers.studies.themes.study import (
    ALLE,
    ALPHA,
    Studie,
    aandelen,
    execute_studie,
    load_tabel,
    save_figuur,
    suppress,
    weergave,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

THEMA = "reintegratie"
TABEL = "reintegratie"
BRON = "Registratie re-integratie focusgebieden (groepsaanpakken en wijkbanen)"
TYPEN = ("groepsaanpak", "wijkbaan")
UITKOMSTEN = ("betaald werk", "scholing", "vrijwilligerswerk", "dagbesteding", "nog in traject",
              "uitval")
GECENSUREERD = "nog in traject"
# Competing routes and their event codes (0 = censored).
ROUTES: tuple[str, ...] = ("betaald werk", "scholing", "vrijwilligerswerk", "dagbesteding", "uitval")
ROUTECODE = {r: i + 1 for i, r in enumerate(ROUTES)}
DAGEN_PER_MAAND = 30.4375
EPSILON_DAGEN = 1e-4
CONTEXT_INDICATOREN = ("bijstand_per_1000", "bijstand")


def load(processed: Path | None = None) -> pd.DataFrame | None:
    """The processed re-integratie registration, or ``None`` when it has not been ingested."""
    return load_tabel(TABEL, processed)


def routeaandelen(df: pd.DataFrame, per: Sequence[str] = ("interventietype",), *,
                  groep: str = "interventietype", min_n: int | None = None,
                  alpha: float = ALPHA) -> pd.DataFrame:
    """Share of participants per outcome route, per ``per`` plus a total row 'alle'.

    Returns ``*per, uitkomst, aantal, n, aandeel, ondergrens, bovengrens, onderdrukt, signaal``
    (fractions 0-1; ``n`` = participants in the group). Groups with n < ``min_n`` (and groups
    derivable by subtraction) are suppressed.
    """
    min_n = monitor.min_n(min_n)
    import pandas as pd

    rest = [p for p in per if p != groep]
    tellen = df.groupby([*per, "uitkomst"]).size().unstack("uitkomst", fill_value=0)
    tellen = tellen.reindex(columns=list(UITKOMSTEN), fill_value=0).reset_index()
    if rest:
        totaal = tellen.groupby(rest, as_index=False)[list(UITKOMSTEN)].sum()
    else:
        totaal = tellen[list(UITKOMSTEN)].sum().to_frame().T
    totaal[groep] = ALLE
    breed = pd.concat([tellen, totaal[tellen.columns]], ignore_index=True)
    breed["n"] = breed[list(UITKOMSTEN)].sum(axis=1)
    lang = breed.melt(id_vars=[*per, "n"], value_vars=list(UITKOMSTEN), var_name="uitkomst",
                      value_name="aantal")
    lang = aandelen(lang, "aantal", "n", alpha)
    lang = lang[[*per, "uitkomst", "aantal", "n", "aandeel", "ondergrens", "bovengrens"]]
    return suppress(lang, n_kolom="n", groep=groep, by=["uitkomst", *rest],
                     waarden=["aantal", "aandeel", "ondergrens", "bovengrens"], min_n=min_n,
                     teller="aantal")


def duur_en_route(df: pd.DataFrame) -> pd.DataFrame:
    """Duration in days from start to outcome and the event code per participant.

    Returns ``deelnemer, interventietype, dagen, code`` with code 0 for ``nog in traject``
    (censored) and :data:`ROUTECODE` for the competing routes.
    """
    uit = df[["deelnemer", "interventietype"]].copy()
    uit["dagen"] = (df["uitkomstdatum"] - df["startdatum"]).dt.days.astype(float)
    uit["code"] = df["uitkomst"].map(lambda u: 0 if u == GECENSUREERD else ROUTECODE[u]).astype(int)
    return uit.reset_index(drop=True)


def detach(dagen: pd.Series, code: pd.Series, epsilon: float = EPSILON_DAGEN) -> pd.Series:
    """Break ties between *different* routes at the same time deterministically.

    At a time shared by events of several routes, the k-th route in code order (k = 0, 1, ...)
    is moved ``k * epsilon`` earlier (later when that would go below 0). Same-route ties and
    censorings are left alone. Returns the new durations (same index).
    """
    import pandas as pd

    uit = dagen.astype(float).copy()
    ev = pd.DataFrame({"t": dagen, "c": code})[code != 0]
    for t, groep in ev.groupby("t"):
        codes = sorted(groep["c"].unique())
        for k, c in enumerate(codes[1:], start=1):
            stap = -k * epsilon if t - k * epsilon >= 0 else k * epsilon
            uit[groep.index[groep["c"] == c]] = t + stap
    return uit


def _cif_groep(d: pd.DataFrame, alpha: float) -> pd.DataFrame:
    import warnings

    import pandas as pd
    from lifelines import AalenJohansenFitter

    dagen = detach(d["dagen"], d["code"])
    delen = []
    for route in ROUTES:
        aj = AalenJohansenFitter(calculate_variance=True, seed=0, alpha=alpha)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # log(0) in the CI at CIF = 0
            aj.fit(dagen, d["code"], event_of_interest=ROUTECODE[route])
        cif = aj.cumulative_density_.iloc[:, 0]
        ci = aj.confidence_interval_
        tabel = pd.DataFrame({
            "route": route,
            "dagen": cif.index.to_numpy(dtype=float),
            "cif": cif.to_numpy(),
            "at_risk": aj.event_table["at_risk"].to_numpy(),
        })
        # lifelines 0.30 labels its log-log bounds the wrong way round ("upper" holds the
        # smaller value), so take the element-wise min and max of the two columns.
        tabel["ondergrens"] = ci.min(axis=1).to_numpy()
        tabel["bovengrens"] = ci.max(axis=1).to_numpy()
        tabel.loc[tabel["cif"] == 0, ["ondergrens", "bovengrens"]] = 0.0
        delen.append(tabel)
    return pd.concat(delen, ignore_index=True)


def cumulatieve_incidentie(df: pd.DataFrame, per: str = "interventietype", *, min_n: int | None = None,
                           alpha: float = ALPHA) -> pd.DataFrame:
    """Aalen-Johansen cumulative incidence of each outcome route, per group and in total.

    ``df``: participants (the registration). Groups (values of ``per``, plus 'alle') with fewer
    than ``min_n`` participants get no curve. Returns ``<per>, route, dagen, maanden, cif,
    ondergrens, bovengrens, at_risk, n`` (cif and bounds as fractions; 95% log-log intervals
    from lifelines; maanden = dagen / 30.4375).
    """
    min_n = monitor.min_n(min_n)
    import pandas as pd

    basis = duur_en_route(df)
    groepen = [(g, basis[basis[per] == g]) for g in sorted(basis[per].unique())]
    groepen.append((ALLE, basis))
    delen = []
    for naam, d in groepen:
        if len(d) < min_n:
            continue
        t = _cif_groep(d.reset_index(drop=True), alpha)
        t.insert(0, per, naam)
        t["n"] = len(d)
        delen.append(t)
    kolommen = [per, "route", "dagen", "maanden", "cif", "ondergrens", "bovengrens", "at_risk", "n"]
    if not delen:
        return pd.DataFrame(columns=kolommen)
    uit = pd.concat(delen, ignore_index=True)
    uit["maanden"] = uit["dagen"] / DAGEN_PER_MAAND
    return uit[kolommen]


def cif_op(cif: pd.DataFrame, maanden: Sequence[float] = (6, 12, 24),
           per: str = "interventietype") -> pd.DataFrame:
    """Cumulative incidence at fixed horizons (last estimate at or before the horizon).

    Returns ``<per>, route, maanden, cif, ondergrens, bovengrens, at_risk, n``; ``at_risk`` is
    the number still in trajectory (not yet an outcome, not censored) just before the horizon.
    A horizon beyond the last follow-up is left out.
    """
    import pandas as pd

    rijen = []
    for (g, route), d in cif.groupby([per, "route"], sort=False):
        d = d.sort_values("maanden")
        for m in maanden:
            voor = d[d["maanden"] <= m]
            if voor.empty or d["maanden"].max() < m:
                continue
            r = voor.iloc[-1]
            na = d[d["maanden"] > m]
            at_risk = int(na["at_risk"].iloc[0]) if not na.empty else 0
            rijen.append({per: g, "route": route, "maanden": m, "cif": r["cif"],
                          "ondergrens": r["ondergrens"], "bovengrens": r["bovengrens"],
                          "at_risk": at_risk, "n": int(r["n"])})
    return pd.DataFrame(rijen, columns=[per, "route", "maanden", "cif", "ondergrens", "bovengrens",
                                        "at_risk", "n"])


def kenmerken(df: pd.DataFrame, per: str = "interventietype", *, min_n: int | None = None) -> pd.DataFrame:
    """Participants per group: n and the quartiles of years in bijstand before the start.

    Returns ``<per>, n, bijstand_p25, bijstand_mediaan, bijstand_p75`` (years) plus a total row
    'alle'; the quartiles of groups below ``min_n`` (or derivable) are suppressed.
    """
    min_n = monitor.min_n(min_n)
    import pandas as pd

    def rij(naam: str, d: pd.DataFrame) -> dict:
        q = d["jaren_bijstand"].quantile([0.25, 0.5, 0.75])
        return {per: naam, "n": len(d), "bijstand_p25": q[0.25], "bijstand_mediaan": q[0.5],
                "bijstand_p75": q[0.75]}

    rijen = [rij(g, d) for g, d in df.groupby(per)] + [rij(ALLE, df)]
    tabel = pd.DataFrame(rijen)
    return suppress(tabel, n_kolom="n", groep=per, by=None,
                     waarden=["bijstand_p25", "bijstand_mediaan", "bijstand_p75"], min_n=min_n)


# --------------------------------------------------------------------------- figures


def figuur_routes(aandeel: pd.DataFrame, per: str = "interventietype"):
    """Horizontal bars: share per outcome route per intervention type, with 95% intervals."""
    import matplotlib.pyplot as plt
    import numpy as np


    groepen = [g for g in (*TYPEN, ALLE) if g in set(aandeel[per])]
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    hoogte = 0.8 / max(len(groepen), 1)
    y = np.arange(len(UITKOMSTEN))
    for i, (g, kleur) in enumerate(zip(groepen, PALET, strict=False)):
        d = aandeel[aandeel[per] == g].set_index("uitkomst").reindex(list(UITKOMSTEN))
        pct = 100 * d["aandeel"]
        onderdrukt = d["aandeel"].isna().all()
        ax.barh(y + i * hoogte, pct.fillna(0), height=hoogte, color=kleur,
                label=f"{g} (n = {int(d['n'].iloc[0])})" + (" – onderdrukt" if onderdrukt else ""),
                xerr=[(pct - 100 * d["ondergrens"]).fillna(0).clip(lower=0),
                      (100 * d["bovengrens"] - pct).fillna(0).clip(lower=0)],
                error_kw={"ecolor": "#333333", "capsize": 2, "elinewidth": 0.8})
    ax.set_yticks(y + hoogte * (len(groepen) - 1) / 2, list(UITKOMSTEN))
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("% van de deelnemers (met 95%-interval)")
    ax.set_title("Uitkomst per type interventie")
    ax.legend(title="type interventie", fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    return fig


def figuur_cif(cif: pd.DataFrame, per: str = "interventietype"):
    """Cumulative incidence curves (Aalen-Johansen) per route, one panel per route, one line per
    intervention type, with 95% bands. Returns a matplotlib Figure."""
    import matplotlib.pyplot as plt


    groepen = [g for g in (*TYPEN, ALLE) if g in set(cif[per])]
    fig, assen = plt.subplots(1, len(ROUTES), figsize=(3.1 * len(ROUTES), 3.4), sharey=True)
    for ax, route in zip(assen, ROUTES, strict=True):
        for g, kleur in zip(groepen, PALET, strict=False):
            d = cif[(cif[per] == g) & (cif["route"] == route)].sort_values("maanden")
            if d.empty:
                continue
            stijl = "--" if g == ALLE else "-"
            ax.step(d["maanden"], 100 * d["cif"], where="post", color=kleur, linestyle=stijl,
                    label=f"{g} (n = {int(d['n'].iloc[0])})")
            ax.fill_between(d["maanden"], 100 * d["ondergrens"], 100 * d["bovengrens"], step="post",
                            color=kleur, alpha=0.12)
        ax.set_title(route, fontsize=10)
        ax.set_xlabel("maanden sinds start")
    assen[0].set_ylabel("cumulatieve incidentie (%)")
    assen[0].set_ylim(0, 100)
    assen[-1].legend(title="type interventie", fontsize=7, loc="upper left")
    fig.suptitle("Tijd tot uitkomst per route (concurrerende routes, Aalen-Johansen)")
    fig.tight_layout()
    return fig


def _truncate(cif: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """Drop curve points where fewer than ``min_n`` participants are still at risk (the tail
    of a curve rests on a handful of people: unstable and potentially disclosive)."""
    return cif[cif["at_risk"] >= min_n].reset_index(drop=True)


def studie(focusgebied: str, *, min_n: int | None = None, demo: bool | None = None,
           processed: Path | None = None, runs: Path | None = None) -> Studie:
    """Compute and publish the re-integratie study for ``gebied`` (id or 'alle').

    Publishes through ``Uitvoer(gebied, '32_reintegratie')``: tables ``routes``, ``kenmerken``,
    ``cif`` (curves, cut where fewer than ``min_n`` are at risk), ``cif_horizon`` (6/12/24
    months), ``context``, ``codes``; figures ``routes``, ``cif``, ``codes``; key numbers
    ``n_deelnemers`` and ``betaald_werk`` (percent of participants). An area without
    participants gets the "geen gegevens" message.
    """
    min_n = monitor.min_n(min_n)

    return execute_studie(focusgebied, "32_reintegratie", THEMA, load(processed), CONTEXT_INDICATOREN,
                    lambda st, uit, df: _publish(st, uit, df, min_n),
                    min_n=min_n, demo=demo, processed=processed, runs=runs,
                    tabellen=('kenmerken', 'routes', 'cif_horizon'), figuren=('routes', 'cif'))


def _publish(st: Studie, uit, df: pd.DataFrame, min_n: int) -> None:

    jaar = int(df["uitkomstdatum"].dt.year.max())
    kenm = kenmerken(df, min_n=min_n)
    uit.tabel(kenm, "kenmerken", titel="Deelnemers en jaren in de bijstand voor de start", bron=BRON,
              n_kolom="n", min_n=min_n)
    toon = kenm.copy()
    for k in ("bijstand_p25", "bijstand_mediaan", "bijstand_p75"):
        toon[k] = toon[k].map(lambda v: nl.getal(v, 1))
    st.tabellen["kenmerken"] = toon.rename(columns={
        "bijstand_p25": "jaren bijstand (25%)", "bijstand_mediaan": "jaren bijstand (mediaan)",
        "bijstand_p75": "jaren bijstand (75%)"})
    st.kerncijfers["n_deelnemers"] = len(df)
    uit.kerncijfer("n_deelnemers", len(df), label="deelnemers groepsaanpak en wijkbaan",
                   eenheid="aantal", bron=BRON, jaar=jaar)

    routes = routeaandelen(df, min_n=min_n)
    uit.tabel(routes, "routes", titel="Uitkomst per type interventie", bron=BRON, n_kolom="n",
              min_n=min_n)
    st.tabellen["routes"] = weergave(routes, ["interventietype", "uitkomst"])
    totaal = routes[(routes["interventietype"] == ALLE) & (routes["uitkomst"] == "betaald werk")].iloc[0]
    st.kerncijfers["betaald_werk"] = 100 * totaal["aandeel"]
    uit.kerncijfer("betaald_werk", 100 * totaal["aandeel"], label="deelnemers uitgestroomd naar betaald werk",
                   eenheid="procent", bron=BRON, jaar=jaar, n=int(totaal["n"]),
                   ondergrens=100 * totaal["ondergrens"], bovengrens=100 * totaal["bovengrens"])
    save_figuur(uit, st, figuur_routes(routes), "routes", titel="Uitkomst per type interventie",
                  bron=BRON, jaar=jaar,
                  alt="Staafdiagram met per uitkomst (betaald werk, scholing, vrijwilligerswerk, "
                      "dagbesteding, nog in traject, uitval) het percentage deelnemers per type "
                      "interventie, met 95%-intervallen.")

    cif = _truncate(cumulatieve_incidentie(df, min_n=min_n), min_n)
    uit.tabel(cif, "cif", titel="Cumulatieve incidentie per route (Aalen-Johansen)", bron=BRON,
              n_kolom="at_risk", min_n=min_n)
    horizon = cif_op(cif)
    uit.tabel(horizon, "cif_horizon", titel="Cumulatieve incidentie na 6, 12 en 24 maanden",
              bron=BRON, n_kolom="at_risk", min_n=min_n)
    if not horizon.empty:
        toon = horizon.rename(columns={"cif": "aandeel"})
        st.tabellen["cif_horizon"] = weergave(toon, ["interventietype", "route", "maanden"]).assign(
            **{"nog in traject (at risk)": toon["at_risk"].to_numpy()})
    st.meldingen["cif_horizon"] = "Te weinig deelnemers voor een tijdsanalyse (kleine groep)."
    if cif.empty:
        st.meldingen["cif"] = "Te weinig deelnemers voor een tijdsanalyse (kleine groep)."
        return
    save_figuur(uit, st, figuur_cif(cif), "cif",
                  titel="Tijd tot uitkomst per route en type interventie", bron=BRON, jaar=jaar,
                  alt="Vijf panelen (betaald werk, scholing, vrijwilligerswerk, dagbesteding, "
                      "uitval) met de cumulatieve incidentie over maanden sinds de start, per type "
                      "interventie, met 95%-banden.")
