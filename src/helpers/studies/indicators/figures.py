"""Display and figures of the indicator base for notebook ``10_indicatorbasis``.

Every ``stap_*`` function is one notebook step: it computes from the indicator base, registers
its publishable result with the :class:`helpers.kit.output.Uitvoer` (figures with alt text, source
and year; tables with their base n) and returns what the notebook displays. Generated sentences
(:func:`zinnen`) describe changes without causal wording and carry the composition caveat.

Files written for the publication in ``reports/runs/<gebied>/10_indicatorbasis/``:

- every run: ``kerntabel.csv``, ``trend_lbm.png``, ``dimensies_lbm.png``, ``kaart_lbm.png``
  (when boundaries exist), ``uitvoer.json`` (kerncijfers, teksten);
- ``alle`` additionally: ``overzicht_lbm.csv``, ``small_multiples_lbm.png``,
  ``kerncijfers_per_gebied.csv`` (per area x published indicator: the latest value with its
  references, bands, change since the nulmeting, year, peiljaar, dekking, basis),
  ``trend_lbm_<id>.png`` and ``kaart_<id>.png`` per area (maps only with boundaries), and
  ``kaart_nederland.png`` (the focus areas on the map of the Netherlands, for the
  publiekssamenvatting).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers.core import nl
from helpers.kit import display as toon
from helpers.kit.output import GEEN_GEGEVENS_TEKST
from helpers.registers import monitor
from helpers.registers.focusgebieden import load_focusgebieden
from helpers.studies.indicators.maps import bron_kaart, kaart, kaart_focusgebieden, load_grenzen
from helpers.studies.indicators.sentences import (  # noqa: F401 - part of the notebook API
    CAUSAAL,
    SAMENSTELLING,
    kanttekeningen,
    zin_indicator,
    zinnen,
)
from helpers.studies.indicators.tables import (  # noqa: F401 - part of the notebook API
    REF_LABEL,
    gebiedsnamen,
    indicatoren_zonder_waarde,
    kerncijfers_per_gebied,
    kerntabel,
    kleur_banden,
    laatste,
    zin_zonder_waarde,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

NOTEBOOK = "10_indicatorbasis"
BRON_LBM = "Leefbaarometer 3.0 (BZK); gewichten: CBS Kerncijfers wijken en buurten"
# What n is in the key-figure tables: the base of each figure, not a number of observations.
N_BASIS = ("n = de basis van het cijfer; de kolom 'n telt' zegt wat die telt (inwoners, "
           "huishoudens, woningen, of het aantal zelf)")



# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------
def _jaren_as(ax: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))


def trend_figuur(basis: pd.DataFrame, focusgebied: str, indicator: str, nulmeting: int,
                 referenties: list[str], naam: str | None = None, ax: Any = None,
                 legenda: bool = True) -> Any:
    """Line chart of an area and its references over time, with the Leefbaarometer's fixed
    referentieniveau (dashed) and the nulmeting marked. Points with incomplete coverage
    (dekking < 1) are drawn open."""
    import matplotlib.pyplot as plt
    import pandas as pd
    import seaborn as sns

    sel = basis[(basis["focusgebied"] == focusgebied) & (basis["indicator"] == indicator)].sort_values("jaar")
    if ax is None:
        fig, ax = plt.subplots(figsize=(7.5, 4.2))
    else:
        fig = ax.figure
    if sel.empty:
        ax.text(0.5, 0.5, "geen gegevens", ha="center", va="center", transform=ax.transAxes)
        return fig
    label = sel["label"].iloc[0]
    lang = [sel[["jaar", "waarde"]].assign(reeks=naam or focusgebied)]
    for ref in referenties:
        if ref in sel:
            lang.append(sel[["jaar", ref]].rename(columns={ref: "waarde"}).assign(
                reeks=REF_LABEL.get(ref, ref)))
    df = pd.concat(lang).dropna(subset=["waarde"])
    if df.empty:
        ax.text(0.5, 0.5, "geen waarden", ha="center", va="center", transform=ax.transAxes)
        return fig
    sns.lineplot(data=df, x="jaar", y="waarde", hue="reeks", style="reeks", markers=True,
                 dashes=False, ax=ax, legend=legenda)
    onvolledig = sel[(sel["dekking"] < 1) & sel["waarde"].notna()]
    if not onvolledig.empty:
        ax.scatter(onvolledig["jaar"], onvolledig["waarde"], s=80, facecolors="white",
                   edgecolors="black", zorder=5, label="dekking < 100%")
    ref = sel["referentieniveau"].dropna()
    if not ref.empty:
        ax.axhline(ref.iloc[0], color="grey", linestyle="--", linewidth=1,
                   label=f"referentieniveau ({nl.getal(ref.iloc[0], 2)})")
    ax.axvline(nulmeting, color="#CC79A7", linestyle=":", linewidth=1.5, label=f"nulmeting {nulmeting}")
    ax.set_xlabel("jaar")
    _jaren_as(ax)
    ax.set_ylabel(f"{label} ({sel['eenheid'].iloc[0]})")
    ax.set_title(f"{naam or focusgebied}: {label}")
    if legenda:
        ax.legend(fontsize=8, loc="best")
    return fig


def dimensies_figuur(basis: pd.DataFrame, focusgebied: str, nulmeting: int, naam: str | None = None) -> Any:
    """Small multiples of the five Leefbaarometer dimensions (deviations from the fixed
    benchmark) for the area and the rest of its municipality."""
    import matplotlib.pyplot as plt

    dims = ["lbm_fys", "lbm_onv", "lbm_soc", "lbm_vrz", "lbm_won"]
    fig, axes = plt.subplots(1, 5, figsize=(15, 3.4), sharey=True)
    for ax, d in zip(axes, dims, strict=True):
        sel = basis[(basis["focusgebied"] == focusgebied) & (basis["indicator"] == d)]
        sel = sel[sel["waarde"].notna()].sort_values("jaar")
        if sel.empty:
            ax.text(0.5, 0.5, "geen gegevens", ha="center", va="center", transform=ax.transAxes)
            ax.set_title(d)
            continue
        ax.plot(sel["jaar"], sel["waarde"], marker="o", label=naam or focusgebied)
        ax.plot(sel["jaar"], sel["gemeente_rest"], marker="s", label="rest van de gemeente")
        ax.axhline(0, color="grey", linestyle="--", linewidth=1)
        ax.axvline(nulmeting, color="#CC79A7", linestyle=":", linewidth=1.2)
        ax.set_title(sel["label"].iloc[0].replace("Leefbaarometer ", ""), fontsize=10)
        ax.set_xlabel("jaar")
        _jaren_as(ax)
    axes[0].set_ylabel("afwijking van referentieniveau")
    axes[0].legend(fontsize=7)
    fig.suptitle(f"{naam or focusgebied}: dimensies van de Leefbaarometer", fontweight="bold")
    fig.tight_layout()
    return fig


def small_multiples(basis: pd.DataFrame, indicator: str, nulmeting: int,
                    namen: dict[str, str] | None = None) -> Any:
    """One panel per focus area: the area, the rest of its municipality and the Netherlands."""
    import matplotlib.pyplot as plt

    ids = sorted(basis["focusgebied"].unique())
    n = len(ids)
    kol = 5
    rij = max(1, -(-n // kol))
    fig, axes = plt.subplots(rij, kol, figsize=(3.2 * kol, 2.5 * rij), sharex=True, sharey=True,
                             squeeze=False)
    for ax, gid in zip(axes.flat, ids, strict=False):
        sel = basis[(basis["focusgebied"] == gid) & (basis["indicator"] == indicator)].sort_values("jaar")
        ax.plot(sel["jaar"], sel["waarde"], marker="o", markersize=3, color="#0072B2")
        ax.plot(sel["jaar"], sel["gemeente_rest"], color="#E69F00", linewidth=1)
        ax.plot(sel["jaar"], sel["nederland"], color="#000000", linewidth=1, linestyle="--")
        ax.axvline(nulmeting, color="#CC79A7", linestyle=":", linewidth=1)
        ax.set_title((namen or {}).get(gid, gid), fontsize=9)
        _jaren_as(ax)
    for ax in list(axes.flat)[n:]:
        ax.set_axis_off()
    label = basis.loc[basis["indicator"] == indicator, "label"].iloc[0] \
        if (basis["indicator"] == indicator).any() else indicator
    fig.suptitle(f"{label}: focusgebied (blauw), rest van de gemeente (oranje), Nederland "
                 "(gestreept)", fontweight="bold")
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------------
# Notebook steps (compute, register with the Uitvoer, return for display)
# ---------------------------------------------------------------------------------------------
def step_kerntabel(uit: Any, basis: pd.DataFrame, focusgebied: str, referenties: list[str]) -> Any:
    """Headline table: for one area the kerntabel; for ``alle`` the Leefbaarometer per area."""
    import pandas as pd

    namen = gebiedsnamen()
    if focusgebied == "alle":
        lt = laatste(basis)
        lt = lt[lt["indicator"] == "lbm"]
        df = pd.DataFrame({
            "Focusgebied": lt["focusgebied"].map(namen),
            "Jaar": lt["jaar"].astype(str),
            "Leefbaarometer": lt["waarde"].map(lambda x: nl.getal(x, 3)),
            **{REF_LABEL[r].capitalize(): lt[r].map(lambda x: nl.getal(x, 3)) for r in referenties},
            **{f"t.o.v. {REF_LABEL[r]}": lt[f"band_{r}"].fillna("–") for r in referenties},
            "Dekking": lt["dekking"].map(lambda x: nl.procent(100 * x, 0)),
        })
        uit.tabel(lt[["focusgebied", "jaar", "waarde", *referenties,
                      *[f"band_{r}" for r in referenties], "dekking"]],
                  "overzicht_lbm", titel="Leefbaarometer per focusgebied (laatste jaar)", bron=BRON_LBM)
        return kleur_banden(df)
    df = kerntabel(basis, focusgebied, referenties)
    lt = laatste(basis[basis["focusgebied"] == focusgebied])
    # 'jaar' is the year the figure refers to (peiljaar); the source edition is 'editiejaar' and
    # is named in the source note; 'n_telt' says what the base n counts.
    tabel = lt.assign(editiejaar=lt["jaar"], jaar=lt["peiljaar"].fillna(lt["jaar"]),
                      n_telt=lt.get("basis_telt", ""))
    edities = "; ".join(sorted(lt["bron"].dropna().astype(str).unique())) or \
        "CBS Kerncijfers wijken en buurten; Leefbaarometer 3.0"
    uit.tabel(tabel[["indicator", "label", "jaar", "editiejaar", "waarde", "eenheid", *referenties,
                     *[f"band_{r}" for r in referenties], "verschil_nulmeting", "nulmetingjaar",
                     "nulmeting_benadering", "dekking", "basis", "n_telt"]].rename(
                         columns={"basis": "n"}),
              "kerntabel", titel=f"Kerncijfers {namen.get(focusgebied, focusgebied)}",
              bron=f"{edities} (jaar = het jaar waarop het cijfer betrekking heeft; n = de basis, "
                   "kolom n_telt zegt wat die telt)", n_kolom="n", n_uitleg=N_BASIS)
    for r in lt.itertuples(index=False):
        peil = r.peiljaar if pd.notna(r.peiljaar) else r.jaar
        uit.kerncijfer(r.indicator, r.waarde, label=r.label, eenheid=r.eenheid, bron=r.bron,
                       jaar=int(peil), dekking=r.dekking, verschil_nulmeting=r.verschil_nulmeting)
    return kleur_banden(df)


def step_trend(uit: Any, basis: pd.DataFrame, focusgebied: str, nulmeting: int | None,
               referenties: list[str], indicator: str = "lbm") -> Any:
    """Trend chart of one indicator (for ``alle``: small multiples of the 20 areas)."""
    nulmeting = monitor.nulmeting(nulmeting)  # None: the year of params/monitor.yml
    namen = gebiedsnamen()
    sel = basis[basis["indicator"] == indicator]
    jaren = sel.loc[sel["waarde"].notna(), "jaar"]
    jaar = f"{int(jaren.min())}-{int(jaren.max())}" if not jaren.empty else None
    label = sel["label"].iloc[0] if not sel.empty else indicator
    if focusgebied == "alle":
        fig = small_multiples(basis, indicator, nulmeting, namen)
        uit.figuur(fig, f"small_multiples_{indicator}", titel=f"{label} per focusgebied",
                   alt=f"Twintig kleine lijngrafieken van de {label.lower()} per focusgebied, met de "
                       "rest van de gemeente en Nederland als vergelijking.",
                   bron=BRON_LBM, jaar=jaar)
        return fig
    naam = namen.get(focusgebied, focusgebied)
    fig = trend_figuur(basis, focusgebied, indicator, nulmeting, referenties, naam)
    uit.figuur(fig, f"trend_{indicator}", titel=f"{label}: {naam}",
               alt=f"Lijngrafiek van de {label.lower()} van {naam} per jaar, met "
                   f"{', '.join(REF_LABEL[r] for r in referenties)}, het vaste referentieniveau en "
                   f"de nulmeting ({nulmeting}).",
               bron=BRON_LBM, jaar=jaar)
    return fig


def step_dimensies(uit: Any, basis: pd.DataFrame, focusgebied: str, nulmeting: int | None) -> Any:
    """The five Leefbaarometer dimensions (one area; for ``alle``: the focusgebieden total)."""
    nulmeting = monitor.nulmeting(nulmeting)  # None: the year of params/monitor.yml
    namen = gebiedsnamen()
    gid = focusgebied if focusgebied != "alle" else sorted(basis["focusgebied"].unique())[0]
    if focusgebied == "alle":
        # all focus areas together: use the 'focusgebieden' reference as the series
        b = basis[basis["focusgebied"] == gid].copy()
        b["waarde"] = b["focusgebieden"]
        b["gemeente_rest"] = b["nederland"]
        fig = dimensies_figuur(b, gid, nulmeting, "alle focusgebieden")
        fig.axes[0].legend(["alle focusgebieden", "Nederland"], fontsize=7)
        naam = "alle focusgebieden"
    else:
        naam = namen.get(focusgebied, focusgebied)
        fig = dimensies_figuur(basis, focusgebied, nulmeting, naam)
    sel = basis[basis["indicator"].str.startswith("lbm_") & basis["waarde"].notna()]
    jaar = f"{int(sel['jaar'].min())}-{int(sel['jaar'].max())}" if not sel.empty else None
    uit.figuur(fig, "dimensies_lbm", titel=f"Dimensies van de Leefbaarometer: {naam}",
               alt=f"Vijf lijngrafieken met de afwijking van het referentieniveau per dimensie "
                   f"(fysieke omgeving, overlast en onveiligheid, sociale samenhang, voorzieningen, "
                   f"woningvoorraad) voor {naam}.", bron=BRON_LBM, jaar=jaar)
    return fig


def _kaart_voor(grenzen: Any, wijken: pd.DataFrame, focusgebied: Any, basis: pd.DataFrame,
                indicator: str) -> tuple[Any, int] | None:

    sel = basis[(basis["focusgebied"] == focusgebied.id) & (basis["indicator"] == indicator)
                & basis["waarde"].notna()]
    if sel.empty:
        return None
    jaar = int(sel["jaar"].max())
    label = sel["label"].iloc[0]
    return kaart(grenzen, wijken, focusgebied, indicator, jaar, label=label), jaar


def step_kaart(uit: Any, basis: pd.DataFrame, wijken: pd.DataFrame, focusgebied: str,
               processed: Path | None = None, indicator: str = "lbm") -> Any:
    """Choropleth (RD New) of the wijken of the area's municipality with the area outlined; for
    ``alle`` one map per area (``kaart_<id>.png``). Boundaries from ``grenzen.parquet`` in
    ``processed``; without them a Dutch note."""

    sel = basis[(basis["indicator"] == indicator) & basis["waarde"].notna()]
    jaar = int(sel["jaar"].max()) if not sel.empty else None
    grenzen = load_grenzen(processed, jaar)
    if grenzen is None:
        return toon.markdown(
            "*Geen kaart:* deze editie heeft geen wijkgrenzen (CBS wijk- en buurtkaart). De "
            "tabellen en grafieken hierboven zijn volledig.")
    gj = int(grenzen["indelingsjaar"].iloc[0])
    gebieden = {g.id: g for g in load_focusgebieden()}
    doelen = sorted(basis["focusgebied"].unique()) if focusgebied == "alle" else [focusgebied]
    laatste_fig = None
    for gid in doelen:
        r = _kaart_voor(grenzen, wijken, gebieden[gid], basis, indicator)
        if r is None:
            continue
        fig, kj = r
        naam = gebieden[gid].naam
        bestand = f"kaart_{gid}" if focusgebied == "alle" else f"kaart_{indicator}"
        uit.figuur(fig, bestand, titel=f"Kaart {naam}: Leefbaarometer per wijk",
                   alt=f"Kaart van de wijken van de gemeente van {naam}, gekleurd naar de "
                       f"Leefbaarometer-score in {kj}; het focusgebied is zwart omlijnd, wijken "
                       f"met weinig inwoners hebben een stip en wijken zonder waarde zijn "
                       f"gearceerd.",
                   bron=f"{bron_kaart(gj)}; {BRON_LBM}", jaar=kj)
        if focusgebied == "alle":
            import matplotlib.pyplot as plt

            plt.close(fig)
        else:
            laatste_fig = fig
    if focusgebied == "alle":
        return toon.markdown(f"Kaarten per focusgebied geschreven (`kaart_<id>.png`, grenzen: "
                             f"{bron_kaart(gj)}).")
    return laatste_fig


def step_kaart_nederland(uit: Any, focusgebied: str, processed: Path | None = None) -> Any:
    """For ``alle``: the map of the Netherlands with the focus areas (``kaart_nederland``, the
    block ``kaart 10_indicatorbasis/kaart_nederland`` of ``params/publicatie.yml``,
    shown in the publiekssamenvatting); for a single area, or without boundaries, a note."""
    if focusgebied != "alle":
        return toon.markdown("_Alleen bij `focusgebied = 'alle'`._")
    grenzen = load_grenzen(processed)
    if grenzen is None:
        return toon.markdown("*Geen kaart:* deze editie heeft geen wijkgrenzen (CBS wijk- en "
                             "buurtkaart).")
    gebieden = load_focusgebieden()
    gj = int(grenzen["indelingsjaar"].iloc[0])
    fig = kaart_focusgebieden(grenzen, gebieden)
    namen = ", ".join(g.naam for g in gebieden)
    uit.figuur(fig, "kaart_nederland", titel=f"De {len(gebieden)} focusgebieden in Nederland",
               alt=f"Kaart van Nederland met de wijken van de {len(gebieden)} focusgebieden "
                   f"blauw ingekleurd en genummerd: {namen}.",
               bron=bron_kaart(gj), jaar=gj)
    return fig


def step_per_gebied(uit: Any, basis: pd.DataFrame, focusgebied: str, nulmeting: int | None,
                    referenties: list[str]) -> Any:
    """For ``alle``: key numbers per area (``kerncijfers_per_gebied.csv``), a trend figure per
    area (``trend_lbm_<id>.png``) and a sentence per area (``teksten``: ``lbm_<id>``), so the
    factsheets of all 20 areas can be made from the single ``alle`` run. For a single area
    this step only says so."""
    nulmeting = monitor.nulmeting(nulmeting)  # None: the year of params/monitor.yml
    import matplotlib.pyplot as plt


    if focusgebied != "alle":
        return toon.markdown("_Alleen bij `focusgebied = 'alle'`._")

    namen = gebiedsnamen()
    kc = kerncijfers_per_gebied(basis, namen)
    edities = "; ".join(sorted(laatste(basis)["bron"].dropna().astype(str).unique())) or \
        "CBS Kerncijfers wijken en buurten; Leefbaarometer 3.0"
    uit.tabel(kc, "kerncijfers_per_gebied", titel="Kerncijfers per focusgebied (laatste jaar)",
              bron=f"{edities} (jaar = het jaar waarop het cijfer betrekking heeft)",
              n_kolom="basis", n_uitleg=N_BASIS)
    zonder = indicatoren_zonder_waarde(basis)
    for gid in sorted(basis["focusgebied"].unique()):
        if zonder.get(gid):  # named once, not dropped silently and not as empty rows
            uit.tekst(f"{GEEN_GEGEVENS_TEKST}{gid}", zin_zonder_waarde(zonder[gid]))
        naam = namen.get(gid, gid)
        fig = trend_figuur(basis, gid, "lbm", nulmeting, referenties, naam)
        sel = basis[(basis["focusgebied"] == gid) & (basis["indicator"] == "lbm") & basis["waarde"].notna()]
        jaar = f"{int(sel['jaar'].min())}-{int(sel['jaar'].max())}" if not sel.empty else None
        uit.figuur(fig, f"trend_lbm_{gid}", titel=f"Leefbaarometer: {naam}",
                   alt=f"Lijngrafiek van de Leefbaarometer-score van {naam} per jaar met "
                       f"{', '.join(REF_LABEL[r] for r in referenties)} en de nulmeting ({nulmeting}).",
                   bron=BRON_LBM, jaar=jaar)
        plt.close(fig)
        for iid, zin in zinnen(basis, gid, naam).items():
            uit.tekst(f"{iid}_{gid}", zin)
    return kc


def step_teksten(uit: Any, basis: pd.DataFrame, focusgebied: str) -> Any:
    """Generated sentences (registered with the Uitvoer) shown as markdown."""

    namen = gebiedsnamen()
    if focusgebied == "alle":
        lt = laatste(basis)
        lt = lt[lt["indicator"] == "lbm"]
        if lt.empty:
            return toon.markdown("_Geen Leefbaarometer-waarden._")
        j = int(lt["jaar"].max())
        n_lager = int((lt["band_nederland"].isin(["lager", "duidelijk lager"])).sum())
        zin = (f"In {j} lag de Leefbaarometer-score in {n_lager} van de {len(lt)} focusgebieden "
               "lager of duidelijk lager dan het naar inwoners gewogen gemiddelde van Nederland.")
        uit.tekst("lbm_overzicht", zin)
        uit.kerncijfer("lbm_nederland", lt["nederland"].iloc[0], label="Leefbaarometer Nederland",
                       eenheid="score", bron=BRON_LBM, jaar=j)
        uit.kerncijfer("lbm_focusgebieden", lt["focusgebieden"].iloc[0],
                       label="Leefbaarometer alle focusgebieden", eenheid="score", bron=BRON_LBM, jaar=j)
        return toon.markdown(zin)
    z = zinnen(basis, focusgebied, namen.get(focusgebied, focusgebied), ("lbm", "p_hh_osm", "bijstand_per_1000",
                                                          "p_jeugdzorg", "wmo_per_1000"))
    for k, v in z.items():
        uit.tekst(k, v)
    return toon.markdown("\n\n".join(z.values()) or "_Geen waarden._")
