"""Theme study sociale cohesie: bewonersinitiatieven, the kernpersonen questionnaire, and the
Leefbaarometer social-cohesion dimension (``lbm_soc``) as context.

Inputs (processed, written by ingest):
    ``bewonersinitiatieven.parquet`` (reader :mod:`helpers.ingest.readers.bewonersinitiatieven`),
    ``kernpersonen_likert.parquet`` (reader :mod:`helpers.ingest.readers.kernpersonen`),
    ``indicatorbasis.parquet`` (indicator ``lbm_soc``; optional context).

Likert shares (:func:`likert_aandelen`): per statement the base ``n`` = respondents who
answered it (blanks excluded); ``oneens`` = 1-2, ``neutraal`` = 3, ``eens`` = 4-5, each as a
percentage 0-100 with a Wilson 95% interval (statsmodels). Groups below the minimum n are
suppressed (primary + secondary across the areas of one statement, :mod:`helpers.core.privacy`);
the respondents are members of a learning network, not a random sample: "indicatief".
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers.core import config, io, nl, privacy
from helpers.core.stats import wilson
from helpers.kit.display import Weergave, markdown
from helpers.registers import monitor
from helpers.studies.themes.common import (
    ALLE,
    filter_gebied,
    gebiedsnaam,
    geen_gegevens,
    tabel_nl,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

THEMA = "sociale_cohesie"
STELLINGEN: dict[str, str] = {
    "stelling_betrokkenheid": "Meer bewoners voelen zich betrokken bij hun buurt",
    "stelling_netwerken": "Er ontstaan nieuwe contacten tussen bewoners",
    "stelling_uitvoering": "Ideeën van bewoners komen sneller tot uitvoering",
    "stelling_vertrouwen": "Het vertrouwen tussen bewoners en instanties groeit",
    "stelling_zeggenschap": "Bewoners hebben meer te zeggen over hun buurt",
}
CATEGORIEEN = {"oneens": (1, 2), "neutraal": (3, 3), "eens": (4, 5)}
THEMA_LABELS = {
    "ontmoeting": "ontmoeting", "jongeren": "jongeren", "ouderen": "ouderen",
    "groen_en_buurt": "groen en buurt", "armoede": "armoede", "gezondheid": "gezondheid",
    "cultuur": "cultuur", "veiligheid": "veiligheid", "taal_en_ontwikkeling": "taal en ontwikkeling",
}
BRON_INITIATIEVEN = "Registratie bewonersinitiatieven (SPUK KW)"
BRON_VRAGENLIJST = "Vragenlijst kernpersonen leernetwerk Bewonersbetrokkenheid"
INDICATOR_SOC = "lbm_soc"


def _read(naam: str, processed: Path | None) -> pd.DataFrame | None:

    p = io.record_read(config.processed(f"{naam}.parquet", processed))
    return io.read_parquet(p) if p.exists() else None


def load_initiatieven(processed: Path | None = None) -> pd.DataFrame | None:
    """The processed bewonersinitiatieven (``None`` when not ingested)."""
    return _read("bewonersinitiatieven", processed)


def load_kernpersonen(processed: Path | None = None) -> pd.DataFrame | None:
    """The processed kernpersonen questionnaire (``None`` when not ingested)."""
    return _read("kernpersonen_likert", processed)


# ----------------------------------------------------------------------------- initiatives


def initiatieven_samenvatting(df: pd.DataFrame | None, focusgebied: str = ALLE) -> pd.DataFrame:
    """Per focus area and year: ``aantal`` initiatives, ``budget_euro`` (sum, euro),
    ``budget_per_initiatief`` (euro), ``deelnemers`` (sum of known counts),
    ``deelnemers_onbekend`` (initiatives without a count) and ``organisatoren`` (sum).

    Registration counts, not survey answers: not suppressed (no person is identifiable from a
    number of participants of public activities). Empty when there is no data for ``gebied``.
    """
    import pandas as pd

    cols = ["focusgebied", "jaar", "aantal", "budget_euro", "budget_per_initiatief",
            "deelnemers", "deelnemers_onbekend", "organisatoren"]
    if df is None:
        return pd.DataFrame(columns=cols)
    d = filter_gebied(df, focusgebied)
    if d.empty:
        return pd.DataFrame(columns=cols)
    out = (d.groupby(["focusgebied", "jaar"])
           .agg(aantal=("initiatief_id", "size"), budget_euro=("budget_euro", "sum"),
                deelnemers=("deelnemers", lambda s: int(s.dropna().sum())),
                deelnemers_onbekend=("deelnemers", lambda s: int(s.isna().sum())),
                organisatoren=("organisatoren", "sum"))
           .reset_index())
    out["budget_per_initiatief"] = out["budget_euro"] / out["aantal"]
    return out[cols]


def initiatieven_themas(df: pd.DataFrame | None, focusgebied: str = ALLE) -> pd.DataFrame:
    """Number of initiatives per theme (an initiative with two themes counts for both):
    ``thema, label, aantal, aandeel_pct`` (share of initiatives, 0-100; shares add up to more
    than 100 when initiatives have several themes)."""
    import pandas as pd

    cols = ["thema", "label", "aantal", "aandeel_pct"]
    if df is None or filter_gebied(df, focusgebied).empty:
        return pd.DataFrame(columns=cols)
    d = filter_gebied(df, focusgebied)
    lang = d.assign(thema=d["themas"].str.split(";")).explode("thema")
    out = lang.groupby("thema").size().rename("aantal").reset_index()
    out["label"] = out["thema"].map(THEMA_LABELS).fillna(out["thema"])
    out["aandeel_pct"] = 100.0 * out["aantal"] / len(d)
    return out.sort_values(["aantal", "thema"], ascending=[False, True])[cols].reset_index(drop=True)


def figuur_initiatieven(samenvatting: pd.DataFrame, titel: str) -> Any:
    """Bar chart: number of initiatives and budget (x 1.000 euro) per area, latest year."""
    import matplotlib.pyplot as plt


    jaar = int(samenvatting["jaar"].max())
    d = samenvatting[samenvatting["jaar"] == jaar].copy()
    d["naam"] = d["focusgebied"].map(gebiedsnaam)
    d = d.sort_values("aantal")
    fig, axes = plt.subplots(1, 2, figsize=(10, 0.5 * len(d) + 2), sharey=True)
    axes[0].barh(d["naam"], d["aantal"], color="#0072B2")
    axes[0].set_xlabel("aantal initiatieven")
    axes[1].barh(d["naam"], d["budget_euro"] / 1000, color="#E69F00")
    axes[1].set_xlabel("budget (× 1.000 euro)")
    for ax, col, schaal in ((axes[0], "aantal", 1), (axes[1], "budget_euro", 1000)):
        for y, v in enumerate(d[col]):
            ax.text(v / schaal, y, " " + nl.getal(v / schaal, 0 if schaal == 1 else 1), va="center")
    fig.suptitle(f"{titel} ({jaar})")
    fig.tight_layout()
    return fig


# ----------------------------------------------------------------------------- Likert


def likert_aandelen(df: pd.DataFrame | None, focusgebied: str = ALLE, *, per_gebied: bool = True,
                    jaar: int | None = None, min_n: int | None = None) -> pd.DataFrame:
    """Shares disagree / neutral / agree per statement, overall and per focus area.

    Rows: one per (``stelling``, ``groep``) where ``groep`` is ``"alle"`` (all respondents of
    the selection) and, with ``per_gebied``, each area id. ``gebied`` restricts the
    respondents to one area (then ``groep`` is only that area). ``jaar``: one survey year
    (default: the latest). Columns: ``stelling, label, groep, n, oneens_pct, neutraal_pct,
    eens_pct`` and ``<cat>_ci_laag`` / ``<cat>_ci_hoog`` (Wilson 95%, 0-100), then
    ``onderdrukt`` and ``signaal`` from :func:`helpers.core.privacy.suppress_shares` (by statement;
    the areas partition the total, so secondary suppression applies). ``n`` as published
    (:func:`helpers.core.privacy.hide_bases`): ``'< {min_n}'`` below ``min_n``, empty for a
    secondarily hidden area.
    """
    import pandas as pd


    pct_cols = [f"{c}_pct" for c in CATEGORIEEN]
    ci_cols = [f"{c}_ci_{k}" for c in CATEGORIEEN for k in ("laag", "hoog")]
    cols = ["stelling", "label", "groep", "n", *pct_cols, *ci_cols]
    if df is None or filter_gebied(df, focusgebied).empty:
        return pd.DataFrame(columns=[*cols, "onderdrukt", "signaal"])
    d = filter_gebied(df, focusgebied)
    jaar = int(d["jaar"].max()) if jaar is None else jaar
    d = d[d["jaar"] == jaar]
    rows = []
    groepen: list[tuple[str, pd.DataFrame]] = []
    if focusgebied == ALLE:
        groepen.append((ALLE, d))
    if per_gebied or focusgebied != ALLE:
        groepen += [(g, sub) for g, sub in d.groupby("focusgebied", sort=True)]
    for item, label in STELLINGEN.items():
        for groep, sub in groepen:
            v = sub[item].dropna().astype(int)
            n = len(v)
            row: dict[str, Any] = {"stelling": item, "label": label, "groep": groep, "n": n}
            for cat, (lo, hi) in CATEGORIEEN.items():
                k = int(((v >= lo) & (v <= hi)).sum())
                if n:
                    laag, hoog = (float(b) for b in wilson(k, n))
                    row[f"{cat}_pct"] = 100.0 * k / n
                    row[f"{cat}_ci_laag"], row[f"{cat}_ci_hoog"] = 100.0 * laag, 100.0 * hoog
                else:
                    row[f"{cat}_pct"] = row[f"{cat}_ci_laag"] = row[f"{cat}_ci_hoog"] = float("nan")
            rows.append(row)
    out = pd.DataFrame(rows, columns=cols)
    mn = monitor.min_n(min_n)
    out = privacy.suppress_shares(out, n_col="n", groups_col="groep", total_label=ALLE,
                                  value_cols=[*pct_cols, *ci_cols], by=["stelling"],
                                  min_n=mn, signaal_n=monitor.signaal_n())
    # no number of kernpersonen below min_n is shown ('< 10'; empty for a secondarily hidden
    # area, whose n would give the small one by subtraction)
    out["n"] = privacy.hide_bases(out, n_col="n", min_n=mn)
    return out


def _n_label(n: Any) -> str:
    """'n = 58'; a published '< 10' as 'n < 10'; a hidden base as 'n onderdrukt'."""
    if isinstance(n, str):
        return f"n {n}"
    if n is None or n != n:
        return "n onderdrukt"
    return f"n = {nl.getal(n)}"


def figuur_likert(aandelen: pd.DataFrame, groep: str, titel: str) -> Any:
    """Stacked horizontal bars (oneens / neutraal / eens) per statement for one group, with
    the Wilson interval of 'eens' as an error bar; suppressed statements are labelled."""
    import matplotlib.pyplot as plt
    import numpy as np


    d = aandelen[aandelen["groep"] == groep].reset_index(drop=True)
    kleuren = {"oneens": "#D55E00", "neutraal": "#BBBBBB", "eens": "#009E73"}
    fig, ax = plt.subplots(figsize=(10, 0.7 * len(d) + 2))
    y = np.arange(len(d))
    links = np.zeros(len(d))
    for cat, kleur in kleuren.items():
        w = d[f"{cat}_pct"].fillna(0).to_numpy()
        ax.barh(y, w, left=links, color=kleur, label=cat)
        links += w
    eens_l = (100 - d["eens_pct"]).to_numpy(dtype=float)
    err = np.vstack([(d["eens_ci_hoog"] - d["eens_pct"]).to_numpy(dtype=float),
                     (d["eens_pct"] - d["eens_ci_laag"]).to_numpy(dtype=float)])
    ok = (d["onderdrukt"] == "").to_numpy()
    # interval of 'eens' drawn at the left edge of the green bar (= 100 - eens)
    if ok.any():
        ax.errorbar(eens_l[ok], y[ok], xerr=err[:, ok], fmt="none", ecolor="black",
                    capsize=3, label="95%-interval 'eens'")
    labels = [f"{r.label} ({_n_label(r.n)})" for r in d.itertuples()]
    for i, r in enumerate(d.itertuples()):
        if r.onderdrukt:
            ax.text(50, i, "te weinig antwoorden (onderdrukt)", ha="center", va="center")
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 100)
    ax.set_xlabel("aandeel van de respondenten (%)")
    ax.invert_yaxis()
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, -0.35), ncol=4, frameon=False)
    ax.set_title(titel)
    fig.tight_layout()
    return fig


# ----------------------------------------------------------------------------- lbm_soc context


def lbm_soc(focusgebied: str = ALLE, processed: Path | None = None) -> pd.DataFrame | None:
    """Trend of the Leefbaarometer dimension social cohesion (``lbm_soc``) from the indicator
    base. ``None`` when ``indicatorbasis.parquet`` is absent; empty when it has no ``lbm_soc``.

    For an area: columns ``jaar, reeks, waarde`` with ``reeks`` in {the area's name,
    "rest van de gemeente", "Nederland"}. For ``alle``: the 20 areas together
    ("alle focusgebieden") and "Nederland". Values are deviations from the national
    mean of the Leefbaarometer (unit: afwijking).
    """
    import pandas as pd

    df = _read("indicatorbasis", processed)
    if df is None:
        return None
    d = df[df["indicator"] == INDICATOR_SOC]
    if d.empty:
        return pd.DataFrame(columns=["jaar", "reeks", "waarde"])
    if focusgebied == ALLE:
        per_jaar = d.groupby("jaar")[["focusgebieden", "nederland"]].first().reset_index()
        reeksen = {"focusgebieden": "alle focusgebieden", "nederland": "Nederland"}
    else:
        per_jaar = (d[d["focusgebied"] == focusgebied][["jaar", "waarde", "gemeente_rest", "nederland"]]
                    .rename(columns={"waarde": "gebied"}))
        reeksen = {"gebied": gebiedsnaam(focusgebied), "gemeente_rest": "rest van de gemeente",
                   "nederland": "Nederland"}
    lang = per_jaar.melt(id_vars="jaar", value_vars=list(reeksen), var_name="reeks",
                         value_name="waarde")
    lang["reeks"] = lang["reeks"].map(reeksen)
    return lang.dropna(subset=["waarde"]).sort_values(["reeks", "jaar"]).reset_index(drop=True)


def figuur_lbm_soc(trend: pd.DataFrame, titel: str) -> Any:
    """Line chart of ``lbm_soc`` per series over the measurement years."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5))
    for reeks, sub in trend.groupby("reeks", sort=False):
        ax.plot(sub["jaar"], sub["waarde"], marker="o", label=reeks)
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_xlabel("meetjaar Leefbaarometer")
    ax.set_ylabel("afwijking van het landelijk gemiddelde")
    ax.set_title(titel)
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig


# ----------------------------------------------------------------------------- notebook steps


def show_initiatieven(uit: Any, focusgebied: str = ALLE, processed: Path | None = None) -> Weergave:
    """Step: bewonersinitiatieven per area and year (table, key numbers, bar chart)."""
    import matplotlib.pyplot as plt


    s = initiatieven_samenvatting(load_initiatieven(processed), focusgebied)
    if s.empty:
        return Weergave(geen_gegevens(focusgebied), gegevens=s)
    jaar = int(s["jaar"].max())
    laatste = s[s["jaar"] == jaar]
    titel = f"Bewonersinitiatieven ({gebiedsnaam(focusgebied)})"
    uit.tabel(s, "initiatieven", titel=titel, bron=BRON_INITIATIEVEN)
    uit.kerncijfer("initiatieven", int(laatste["aantal"].sum()), label="bewonersinitiatieven",
                   eenheid="aantal", bron=BRON_INITIATIEVEN, jaar=jaar)
    uit.kerncijfer("budget_initiatieven", float(laatste["budget_euro"].sum()),
                   label="budget bewonersinitiatieven", eenheid="euro", bron=BRON_INITIATIEVEN,
                   jaar=jaar)
    fig = figuur_initiatieven(s, titel)
    uit.figuur(fig, "initiatieven", titel=titel,
               alt=(f"Staafdiagrammen: aantal bewonersinitiatieven en budget per focusgebied in "
                    f"{jaar}; totaal {int(laatste['aantal'].sum())} initiatieven."),
               bron=BRON_INITIATIEVEN, jaar=jaar)
    d = s.assign(focusgebied=s["focusgebied"].map(gebiedsnaam))
    plt.close(fig)
    return Weergave(fig, tabel_nl(d, decimalen={"budget_per_initiatief": 0},
                           kolomnamen={"focusgebied": "Focusgebied", "jaar": "Jaar",
                                       "aantal": "Initiatieven", "budget_euro": "Budget (euro)",
                                       "budget_per_initiatief": "Per initiatief (euro)",
                                       "deelnemers": "Deelnemers",
                                       "deelnemers_onbekend": "Deelnemers onbekend (initiatieven)",
                                       "organisatoren": "Organiserende bewoners"}), gegevens=s)


def show_initiatief_themas(uit: Any, focusgebied: str = ALLE, processed: Path | None = None) -> Weergave:
    """Step: themes of the initiatives (table)."""

    t = initiatieven_themas(load_initiatieven(processed), focusgebied)
    if t.empty:
        return Weergave(geen_gegevens(focusgebied), gegevens=t)
    uit.tabel(t, "initiatieven_themas", titel=f"Thema's van bewonersinitiatieven ({gebiedsnaam(focusgebied)})",
              bron=BRON_INITIATIEVEN)
    return Weergave(tabel_nl(t.drop(columns="thema"), decimalen={"aandeel_pct": 0},
                      kolomnamen={"label": "Thema", "aantal": "Initiatieven",
                                  "aandeel_pct": "% van de initiatieven"}), gegevens=t)


def show_likert(uit: Any, focusgebied: str = ALLE, processed: Path | None = None) -> Weergave:
    """Step: shares per statement with Wilson intervals and suppression (table + figure)."""
    import matplotlib.pyplot as plt


    df = load_kernpersonen(processed)
    a = likert_aandelen(df, focusgebied)
    if a.empty:
        return Weergave(geen_gegevens(focusgebied), gegevens=a)
    jaar = int(filter_gebied(df, focusgebied)["jaar"].max())
    groep = ALLE if focusgebied == ALLE else focusgebied
    titel = f"Oordeel van kernpersonen ({gebiedsnaam(focusgebied)}, {jaar}, indicatief)"
    uit.tabel(a, "kernpersonen", titel=titel, bron=BRON_VRAGENLIJST, n_kolom="n",
              min_n=monitor.min_n())
    fig = figuur_likert(a, groep, titel)
    uit.figuur(fig, "kernpersonen", titel=titel,
               alt=("Gestapelde staven: aandeel kernpersonen dat het oneens, neutraal of eens is "
                    "met vijf stellingen over sociale cohesie, met 95%-interval voor 'eens'."),
               bron=BRON_VRAGENLIJST, jaar=jaar)
    toon = a[a["groep"] == groep] if focusgebied != ALLE else a
    toon = toon.assign(groep=toon["groep"].map(gebiedsnaam))
    plt.close(fig)
    return Weergave(fig, tabel_nl(
        toon[["label", "groep", "n", "oneens_pct", "neutraal_pct", "eens_pct", "eens_ci_laag",
              "eens_ci_hoog", "onderdrukt", "signaal"]],
        kolomnamen={"label": "Stelling", "groep": "Groep", "n": "n", "oneens_pct": "% oneens",
                    "neutraal_pct": "% neutraal", "eens_pct": "% eens",
                    "eens_ci_laag": "eens: 95%-ondergrens", "eens_ci_hoog": "eens: 95%-bovengrens",
                    "onderdrukt": "Onderdrukt", "signaal": "Signaal"}), gegevens=a)


def show_lbm_soc(uit: Any, focusgebied: str = ALLE, processed: Path | None = None) -> Weergave:
    """Step: the Leefbaarometer dimension social cohesion as context (trend figure), or a
    plain message when the indicator base is absent or lacks ``lbm_soc``."""
    import matplotlib.pyplot as plt


    t = lbm_soc(focusgebied, processed)
    if t is None:
        return Weergave(markdown("_De indicatorbasis (`indicatorbasis.parquet`) ontbreekt; de "
                          "Leefbaarometer-context kan niet worden getoond. Draai eerst "
                          "`wijkmonitor build`._"), gegevens=None)
    if t.empty:
        return Weergave(markdown("_De indicatorbasis bevat geen Leefbaarometer-dimensie sociale "
                          "samenhang (`lbm_soc`) voor deze selectie._"), gegevens=t)
    bron = "Leefbaarometer 3.0 (BZK), dimensie sociale samenhang"
    jaren = f"{int(t['jaar'].min())}-{int(t['jaar'].max())}"
    titel = f"Leefbaarometer sociale samenhang ({gebiedsnaam(focusgebied)})"
    fig = figuur_lbm_soc(t, titel)
    uit.figuur(fig, "lbm_soc", titel=titel,
               alt=("Lijngrafiek: Leefbaarometer-dimensie sociale samenhang per meetjaar, als "
                    "afwijking van het landelijk gemiddelde, met vergelijkingsreeksen."),
               bron=bron, jaar=jaren)
    uit.tabel(t, "lbm_soc", titel=titel, bron=bron)
    plt.close(fig)
    return Weergave(fig, markdown("_Context, geen effectmeting: de Leefbaarometer is een statistische "
                           "voorspelling en een verandering in het gemiddelde kan ook komen "
                           "doordat bewoners verhuisden (samenstellingseffect)._"), gegevens=t)
