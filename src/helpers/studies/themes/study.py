"""Shared scaffolding of the quantitative theme studies (armoede, re-integratie, jonge kind).

Loading a processed registration table, selecting an area, shares with Wilson intervals,
suppression through :mod:`helpers.core.privacy`, inconsistent chains reported per row (never
clipped), Dutch display tables, indicator-base context and coded interview fragments, and the
:class:`Studie` object a notebook shows piece by piece. Theme-specific metrics live in
:mod:`helpers.studies.themes.jonge_kind`, :mod:`helpers.studies.themes.reintegratie` and
:mod:`helpers.studies.themes.armoede`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers.core import config, io, nl, provenance
from helpers.core.errors import WijkmonitorError
from helpers.core.privacy import hide_counts, suppress_shares
from helpers.core.stats import ALPHA, wilson
from helpers.kit.display import PALET, Weergave, markdown
from helpers.kit.output import Uitvoer
from helpers.registers import monitor
from helpers.registers.focusgebieden import ALLE
from helpers.studies import coding
from helpers.studies.themes.common import (
    GEEN_GEGEVENS,
    STUDIEJAREN,
    gebiedsnaam,
    load_interventies,
    tabel_nl,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


# --------------------------------------------------------------------------- shared helpers


def naam(focusgebied: str) -> str:
    """Display name of an area id for figures and tables ('alle' -> 'alle focusgebieden');
    the id itself when the registry does not know it."""

    try:
        return gebiedsnaam(focusgebied)
    except Exception:  # unknown id: show it as is rather than fail a figure
        return focusgebied


def load_tabel(naam: str, processed: Path | None = None) -> pd.DataFrame | None:
    """The processed table ``<naam>.parquet`` or ``None`` when it has not been ingested.

    Drops the ingest helper column ``_regel`` if present.
    """


    path = io.record_read(config.processed(f"{naam}.parquet", processed))
    if not path.exists():
        return None
    df = io.read_parquet(path)
    return df.drop(columns=["_regel"], errors="ignore")


def select(df: pd.DataFrame | None, focusgebied: str) -> pd.DataFrame | None:
    """Rows of one focus area (all rows for ``'alle'``); ``None`` when there are none.

    ``None`` is the signal for the notebooks to say :data:`helpers.studies.themes.common.GEEN_GEGEVENS`.
    """
    if df is None:
        return None
    sel = df if focusgebied == ALLE else df[df["focusgebied"] == focusgebied]
    return None if sel.empty else sel.reset_index(drop=True)


def aandelen(df: pd.DataFrame, teller: str, noemer: str, alpha: float = ALPHA) -> pd.DataFrame:
    """Add ``aandeel`` (teller/noemer as a fraction) and Wilson bounds ``ondergrens``/``bovengrens``."""
    import numpy as np

    out = df.copy()
    n = out[noemer].astype(float)
    out["aandeel"] = np.where(n > 0, out[teller] / n.where(n > 0, 1.0), np.nan)
    out["ondergrens"], out["bovengrens"] = wilson(out[teller], n, alpha)
    return out


def maten_lang(sommen: pd.DataFrame, per: Sequence[str],
               maten: Sequence[tuple[str, str, str, str]], alpha: float = ALPHA) -> pd.DataFrame:
    """Long table of shares: one row per group of ``sommen`` and measure of ``maten``.

    ``maten``: (maat, teller column, noemer column, label). ``teller`` and ``n`` are counts of
    persons (int); ``aandeel`` a fraction with Wilson bounds (see :func:`aandelen`).
    """
    import pandas as pd

    delen = []
    for maat, teller, noemer, label in maten:
        d = sommen[list(per)].copy()
        d["maat"] = maat
        d["label"] = label
        d["teller"] = sommen[teller].astype(int)
        d["n"] = sommen[noemer].astype(int)
        delen.append(aandelen(d, "teller", "n", alpha))
    return pd.concat(delen, ignore_index=True)


def inconsistenties(df: pd.DataFrame, keten: Sequence[tuple[str, str]],
                    sleutels: Sequence[str]) -> pd.DataFrame:
    """One row per violated chain check: a later count larger than the earlier one it is part of.

    ``keten``: pairs (later, earlier); a name ``"a+b"`` is the sum of columns a and b.
    Returns columns ``*sleutels, stap, aantal, eerdere_stap, aantal_eerder, verschil``
    (empty table when the data are consistent). Nothing is clipped or dropped here.
    """
    import pandas as pd

    def waarde(naam: str) -> pd.Series:
        return sum(df[d] for d in naam.split("+"))

    delen = []
    for later, eerder in keten:
        a, b = waarde(later), waarde(eerder)
        fout = a > b
        if fout.any():
            deel = df.loc[fout, list(sleutels)].copy()
            deel["stap"] = later
            deel["aantal"] = a[fout].astype(int)
            deel["eerdere_stap"] = eerder
            deel["aantal_eerder"] = b[fout].astype(int)
            deel["verschil"] = deel["aantal"] - deel["aantal_eerder"]
            delen.append(deel)
    kolommen = [*sleutels, "stap", "aantal", "eerdere_stap", "aantal_eerder", "verschil"]
    if not delen:
        return pd.DataFrame(columns=kolommen)
    return pd.concat(delen, ignore_index=True)[kolommen].sort_values(list(sleutels), kind="stable",
                                                                      ignore_index=True)


def zonder_inconsistenties(df: pd.DataFrame, fouten: pd.DataFrame,
                           sleutels: Sequence[str]) -> pd.DataFrame:
    """``df`` without the rows (by ``sleutels``) that appear in ``fouten``."""
    if fouten.empty:
        return df
    slecht = set(map(tuple, fouten[list(sleutels)].to_numpy()))
    houden = [tuple(r) not in slecht for r in df[list(sleutels)].to_numpy()]
    return df.loc[houden].reset_index(drop=True)


def suppress(tabel: pd.DataFrame, *, n_kolom: str, groep: str, by: Sequence[str] | None,
              waarden: Sequence[str], min_n: int, teller: str | None = None) -> pd.DataFrame:
    """Primary and secondary suppression through :func:`helpers.core.privacy.suppress_shares`.

    ``groep``: the column whose values partition the total row labelled ``'alle'``.
    ``teller``: the column with the count of persons of the share (numerator); a numerator
    below ``min_n`` is suppressed with its share and interval (issue 13, disclosure policy).
    """

    return suppress_shares(tabel, n_col=n_kolom, groups_col=groep, total_label=ALLE,
                           value_cols=list(waarden), by=list(by) if by else None, min_n=min_n,
                           signaal_n=monitor.signaal_n(), count_col=teller)


def weergave(tabel: pd.DataFrame, kolommen: Sequence[str], n_kolom: str = "n",
             min_n: int | None = None) -> pd.DataFrame:
    """A Dutch display copy: ``aandeel`` as '42% (35%–49%)', suppressed rows as 'onderdrukt';
    a share hidden because its numerator is below ``min_n`` (the base is not) as
    ``'< {min_n}'`` (no percentage, no interval).

    Keeps ``kolommen`` (labels) and the base n; adds ``signaal`` when present.
    """
    import pandas as pd

    mn = monitor.min_n(min_n)

    def cel(r: pd.Series) -> str:
        if r.get("onderdrukt", "") == "primair" and r[n_kolom] >= mn:
            return f"< {mn}"
        if r.get("onderdrukt", "") in ("primair", "secundair"):
            return "onderdrukt (kleine groep)"
        if pd.isna(r["aandeel"]):
            return "–"
        return (f"{nl.procent(100 * r['aandeel'])} "
                f"({nl.procent(100 * r['ondergrens'])}–{nl.procent(100 * r['bovengrens'])})")

    out = tabel[list(kolommen)].copy()
    if "focusgebied" in out:
        out["focusgebied"] = out["focusgebied"].map(naam)
    out["n"] = tabel[n_kolom].map(lambda v: nl.getal(v))
    out["percentage (95%-interval)"] = tabel.apply(cel, axis=1)
    if "signaal" in tabel:
        out["opmerking"] = tabel["signaal"]
    return out.reset_index(drop=True)


def indicatorcontext(indicatoren: Sequence[str], focusgebied: str, processed: Path | None = None,
                     gebieden: Sequence[str] | None = None) -> pd.DataFrame | None:
    """Context figures from ``indicatorbasis.parquet``: latest year per indicator and area.

    ``gebied``: one area id, or 'alle' for every area in ``gebieden`` (default: all areas).
    Values the indicator base marks as suppressed (``onderdrukt``) or not for publication
    (``publiceren`` false) are left out. Returns columns ``focusgebied, indicator, label, jaar,
    peiljaar, waarde, gemeente_rest, nederland, eenheid, bron`` (those present; ``jaar`` = data
    edition, ``peiljaar`` = year the figure refers to), or ``None`` when the
    indicator base is absent or has none of ``indicatoren`` for the selection.
    """

    basis = load_tabel(config.INDICATORBASIS_PARQUET.removesuffix(".parquet"), processed)
    if basis is None:
        return None
    sel = basis[basis["indicator"].isin(list(indicatoren))]
    if focusgebied != ALLE:
        sel = sel[sel["focusgebied"] == focusgebied]
    elif gebieden is not None:
        sel = sel[sel["focusgebied"].isin(list(gebieden))]
    if "publiceren" in sel:
        sel = sel[sel["publiceren"].fillna(True).astype(bool)]
    if "onderdrukt" in sel:
        sel = sel[~sel["onderdrukt"].fillna(False).astype(bool)]
    sel = sel.dropna(subset=["waarde"])
    if sel.empty:
        return None
    laatste = sel.sort_values("jaar").groupby(["focusgebied", "indicator"], as_index=False).tail(1)
    kolommen = [c for c in ("focusgebied", "indicator", "label", "jaar", "peiljaar", "waarde", "gemeente_rest",
                            "nederland", "eenheid", "bron") if c in laatste.columns]
    return laatste[kolommen].sort_values(["indicator", "focusgebied"], ignore_index=True)


# --------------------------------------------------------------------------- notebook results
# Shared by the three notebooks 31, 32 and 34: one call computes and publishes everything, the
# notebook then shows the pieces one by one (or the plain "geen gegevens" message).

GEEN_INDICATORBASIS = ("De indicatorbasis (data/processed/indicatorbasis.parquet) is niet "
                       "beschikbaar of heeft geen waarden voor deze selectie; de context uit de "
                       "indicatoren ontbreekt daarom.")
GEEN_SEGMENTEN = "Er zijn (nog) geen gecodeerde interviewfragmenten ingelezen (gecodeerde_segmenten.parquet ontbreekt)."


def _leesbaar_gebied(waarde: Any) -> Any:
    """An area id as its name; anything else (already a name, 'alle', empty) unchanged."""
    if not isinstance(waarde, str) or not waarde:
        return waarde
    try:
        return gebiedsnaam(waarde)
    except WijkmonitorError:
        return waarde


def show_tabel(df: pd.DataFrame) -> Any:
    """A study table for readers: area names instead of ids, column names as words, numbers
    the Dutch way (whole numbers without, other numbers with one decimal), no index."""
    import pandas as pd

    d = df.reset_index(drop=True)
    if "focusgebied" in d.columns:
        d = d.assign(focusgebied=d["focusgebied"].map(_leesbaar_gebied))
    decimalen = {}
    for c in d.columns:
        if pd.api.types.is_numeric_dtype(d[c]) and not pd.api.types.is_bool_dtype(d[c]):
            waarden = pd.to_numeric(d[c], errors="coerce").dropna()
            decimalen[c] = 0 if (waarden == waarden.round()).all() else 1
    namen = {c: str(c).replace("_", " ").capitalize() for c in d.columns}
    return tabel_nl(d, decimalen=decimalen, kolomnamen=namen)


#: Names every quantitative study shows besides its own (context, coded fragments).
GEDEELDE_TABELLEN = ("context", "codes", "citaten")
GEDEELDE_FIGUREN = ("codes",)


class UnknownNameError(WijkmonitorError, KeyError):
    """A table or figure name a study does not have (the message lists the valid ones)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass
class Studie:
    """What a theme notebook shows: Dutch display tables, saved figures and messages.

    ``tabellen``: name -> display DataFrame; ``figuren``: name -> PNG path (already saved
    through :class:`helpers.kit.output.Uitvoer`); ``meldingen``: name -> message shown instead of
    a missing table/figure; ``kerncijfers``: name -> value. ``heeft_gegevens`` is False when
    the area has no registration data in this study.
    """

    gebied: str
    heeft_gegevens: bool = False
    tabellen: dict[str, Any] = field(default_factory=dict)
    figuren: dict[str, Path] = field(default_factory=dict)
    meldingen: dict[str, str] = field(default_factory=dict)
    kerncijfers: dict[str, Any] = field(default_factory=dict)
    #: every table and figure name the study can show (empty: not checked)
    tabelnamen: tuple[str, ...] = ()
    figuurnamen: tuple[str, ...] = ()

    def _check(self, naam: str, soort: str, namen: tuple[str, ...]) -> None:
        if namen and naam not in namen and naam not in (self.tabellen if soort == "tabel"
                                                        else self.figuren):
            raise UnknownNameError(f"onbekende {soort} '{naam}' in deze studie (bekend: "
                                   f"{', '.join(sorted(namen))})")

    def _melding(self, naam: str) -> Any:

        tekst = self.meldingen.get(naam) or f"{gebiedsnaam(self.gebied)}: {GEEN_GEGEVENS}."
        return markdown(f"**{tekst}**")

    def tabel(self, naam: str) -> Any:
        """The display table ``naam`` or the message why it is absent (an area without data).
        Raises :class:`UnknownNameError` listing the valid names for a name the study does not
        know (a typo never answers "geen gegevens")."""
        self._check(naam, "tabel", self.tabelnamen)
        t = self.tabellen.get(naam)
        if t is None or len(t) == 0:
            return self._melding(naam)
        return Weergave(show_tabel(t), gegevens=t)

    def figuur(self, naam: str) -> Any:
        """The saved figure ``naam`` as an image, or the message why it is absent. Raises
        :class:`UnknownNameError` listing the valid names for an unknown name."""
        self._check(naam, "figuur", self.figuurnamen)
        p = self.figuren.get(naam)
        if p is None:
            return self._melding(naam)
        from IPython.display import Image

        return Image(filename=str(p))


def save_figuur(uit: Any, studie: Studie, fig: Any, naam: str, *, titel: str, alt: str,
                  bron: str, jaar: Any = None) -> None:
    """Save ``fig`` through the Uitvoer ``uit``, remember its path, close it."""
    import matplotlib.pyplot as plt

    studie.figuren[naam] = uit.figuur(fig, naam, titel=titel, alt=alt, bron=bron, jaar=jaar)
    plt.close(fig)


def kwalitatief(studie: Studie, uit: Any, thema: str, *, min_n: int | None = None,
                processed: Path | None = None, max_citaten: int = 4) -> None:
    """Coded interview fragments of ``thema`` for the study's area: code frequencies per branch
    (werkzame elementen, knelpunten, ervaren effecten) and a few released quotes.

    Frequencies are shown only when the fragments come from at least ``min_n`` distinct
    respondents/sessions (else a suppression message); quotes only with consent AND release
    (:func:`helpers.studies.coding.retrieve`), never with respondent ids. Adds table ``codes``, figure
    ``codes`` and table ``citaten`` to ``studie`` and publishes ``codes`` through ``uit``.
    A number of respondents per code below ``min_n`` is shown as ``'< {min_n}'``; the number
    of fragments (segments) is no count of persons and is shown.
    """
    min_n = monitor.min_n(min_n)
    import matplotlib.pyplot as plt


    try:
        seg = coding.load_segments(processed)
    except FileNotFoundError:
        seg = None
    if seg is not None:
        seg = seg[seg["thema"] == thema]
        if studie.gebied != ALLE:
            seg = seg[seg["focusgebied"] == studie.gebied]
    if seg is None or seg.empty:
        for naam in ("codes", "citaten"):
            studie.meldingen[naam] = GEEN_SEGMENTEN if seg is None else ""
        return
    respondenten = seg["respondent_of_sessie"].nunique()
    citaten = coding.retrieve(seg, "werkzame_elementen", max_aantal=max_citaten)
    studie.tabellen["citaten"] = citaten[["bron", "focusgebied", "segment"]]
    studie.meldingen["citaten"] = "Geen fragmenten met toestemming en vrijgave."
    if respondenten < min_n:
        melding = (f"De fragmenten komen van minder dan {min_n} respondenten of sessies; "
                   "frequenties worden daarom niet getoond (kleine groep).")
        studie.meldingen["codes"] = melding
        return
    delen = []
    for tak in ("werkzame_elementen", "knelpunten", "ervaren_effecten"):
        f = coding.code_frequencies(seg, niveau=2, tak=tak)
        f.insert(0, "tak", tak)
        delen.append(f)
    import pandas as pd

    freq = pd.concat(delen, ignore_index=True)
    freq["respondenten_totaal"] = respondenten
    # persons per code below min_n are not shown ('< 10'); codes are no partition of the
    # respondents (one names several), so no secondary suppression; fragments are no persons
    freq["respondenten"] = hide_counts(freq["respondenten"], min_n=min_n)
    uit.tabel(freq, "codes", titel="Gecodeerde interviewfragmenten per code",
              bron="Interviews en focusgroepen verdiepende studie (gecodeerd)",
              n_kolom="respondenten_totaal", min_n=min_n)
    studie.tabellen["codes"] = freq[["tak", "label", "segmenten", "respondenten"]].rename(
        columns={"tak": "tak", "label": "code", "segmenten": "fragmenten",
                 "respondenten": "respondenten/sessies"})
    fig, assen = plt.subplots(1, 2, figsize=(11, 4.2))
    for ax, tak, kleur in zip(assen, ("werkzame_elementen", "knelpunten"), PALET, strict=False):
        d = freq[freq["tak"] == tak].head(8)
        ax.barh(d["label"], d["segmenten"], color=kleur)
        ax.invert_yaxis()
        ax.set_title({"werkzame_elementen": "Werkzame elementen", "knelpunten": "Knelpunten"}[tak])
        ax.set_xlabel("aantal fragmenten")
    fig.suptitle(f"Meest genoemde codes in interviews (n = {respondenten} respondenten/sessies)")
    fig.tight_layout()
    save_figuur(uit, studie, fig, "codes", titel="Meest genoemde werkzame elementen en knelpunten",
                  alt="Twee staafdiagrammen met het aantal interviewfragmenten per werkzaam element "
                      "en per knelpunt.",
                  bron="Interviews en focusgroepen verdiepende studie (gecodeerd)",
                  jaar=STUDIEJAREN)


def context(studie: Studie, uit: Any, indicatoren: Sequence[str], thema: str, *,
            processed: Path | None = None) -> None:
    """Context figures from the indicator base as table ``context`` (or a message when absent).

    For 'alle' only the areas the intervention register lists for ``thema`` are shown.
    """

    register = sorted(set(load_interventies(thema)["focusgebied"]))
    ctx = indicatorcontext(indicatoren, studie.gebied, processed, gebieden=register)
    if ctx is None:
        studie.meldingen["context"] = GEEN_INDICATORBASIS
        return
    uit.tabel(ctx, "context", titel="Context uit de indicatorbasis", bron="CBS Kerncijfers wijken en buurten")
    toon = ctx.copy()
    toon["focusgebied"] = toon["focusgebied"].map(naam)
    for kolom in ("waarde", "gemeente_rest", "nederland"):
        if kolom in toon:
            toon[kolom] = toon[kolom].map(lambda v: nl.getal(v, 1))
    toon = toon.drop(columns=[c for c in ("indicator", "bron") if c in toon and "label" in toon])
    studie.tabellen["context"] = toon.rename(columns={"gemeente_rest": "rest van de gemeente",
                                                      "jaar": "editie", "peiljaar": "peiljaar"})


def execute_studie(focusgebied: str, notebook: str, thema: str, alles: pd.DataFrame | None,
             context_indicatoren: Sequence[str],
             publiceer: Callable[[Studie, Any, pd.DataFrame], None], *, min_n: int | None = None,
             demo: bool | None = None, processed: Path | None = None,
             runs: Path | None = None, tabellen: Sequence[str] = (),
             figuren: Sequence[str] = ()) -> Studie:
    """The common course of a quantitative theme study for ``gebied`` (id or 'alle').

    Selects the area's rows of the registration ``alles``, adds the indicator-base context and
    the coded interview fragments, calls ``publiceer(studie, uitvoer, rows)`` when the area has
    data (else the study keeps the "geen gegevens" state), and writes ``uitvoer.json`` of
    ``notebook`` (under ``runs``, default :func:`helpers.core.config.output_root`). ``demo`` defaults to the flag in
    ``processed/bronnen.json``. ``tabellen``/``figuren``: the names the study shows (plus
    :data:`GEDEELDE_TABELLEN`/:data:`GEDEELDE_FIGUREN`); :meth:`Studie.tabel` and
    :meth:`Studie.figuur` refuse other names.
    """
    min_n = monitor.min_n(min_n)

    demo = provenance.is_demo(processed) if demo is None else demo
    uit = Uitvoer(focusgebied, notebook, demo=demo, base=runs)
    st = Studie(focusgebied, tabelnamen=(*tabellen, *GEDEELDE_TABELLEN),
                figuurnamen=(*figuren, *GEDEELDE_FIGUREN))
    df = select(alles, focusgebied)
    context(st, uit, context_indicatoren, thema, processed=processed)
    kwalitatief(st, uit, thema, min_n=min_n, processed=processed)
    if df is not None:
        st.heeft_gegevens = True
        publiceer(st, uit, df)
    uit.write()
    return st
