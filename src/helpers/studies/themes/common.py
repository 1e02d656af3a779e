"""Shared scaffolding of the theme-study notebooks (31-35) and the cross-theme chapter (40).

- Theme ids: :data:`THEMAS` (``armoede_schulden``, ``reintegratie``, ``veerkracht``,
  ``jonge_kind``, ``sociale_cohesie``).
- Intervention register ``params/interventies.yml``: :func:`load_interventies`,
  :func:`interventietabel` (columns ``focusgebied, interventie, type, fase_1, fase_2``; phase
  values ``"x"``, ``"deels"`` or ``""``).
- Researcher-written prose ``reports/teksten/thema_<thema>.md`` (``samenhang.md`` for the
  cross-theme chapter): :func:`load_tekst` returns ``{section title: markdown}``; notebooks show
  these sections, code never writes them.
- Areas without data: :data:`GEEN_GEGEVENS`, :func:`geen_gegevens`, :func:`filter_gebied`.
- Minimum-n suppression of counts of people: :func:`onderdruk_aantallen` (uses
  :mod:`helpers.core.privacy`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers.core import config, io, nl, privacy
from helpers.core.errors import InputError
from helpers.kit.display import Weergave, markdown
from helpers.registers import monitor
from helpers.registers.focusgebieden import ALLE, load_focusgebied
from helpers.registers.interventies import (  # noqa: F401 - re-used by the theme modules
    FASE_WAARDEN,
    TABEL_KOLOMMEN,
    THEMAS,
    _check_thema,
    load_interventies,
    load_register,
)
from helpers.studies import coding

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

GEEN_GEGEVENS = "geen gegevens voor dit gebied in deze studie"

SECTIES = ("Onderzoeksvraag", "Ervaren effecten", "Werkzame elementen", "Knelpunten",
           "Aanbevelingen")


def interventietabel(thema: str, focusgebied: str = ALLE, path: str | Path | None = None,
                     namen: bool = False) -> pd.DataFrame:
    """The study's table of interventions per focus area (Fase 1 / Fase 2).

    Columns ``focusgebied, interventie, type, fase_1, fase_2``; ``type`` is the Dutch label of
    the type; ``gebied`` = ``"alle"`` or one area id (an area not in the study gives an empty
    table). ``namen=True`` shows area names instead of ids.
    """
    df = load_interventies(thema, path)
    if focusgebied != ALLE:
        df = df[df["focusgebied"] == focusgebied]
    df = df.assign(type=df["type_label"])[TABEL_KOLOMMEN].reset_index(drop=True)
    if namen:
        df["focusgebied"] = df["focusgebied"].map(gebiedsnaam)
    return df


def gebiedsnaam(focusgebied: str) -> str:
    """Display name of a focus-area id (``"alle"`` -> ``"alle focusgebieden"``)."""
    if focusgebied == ALLE:
        return "alle focusgebieden"

    return load_focusgebied(focusgebied).naam


def tekst_pad(thema: str, base: Path | None = None) -> Path:
    """Path of the prose file: ``reports/teksten/thema_<thema>.md``; ``samenhang`` ->
    ``reports/teksten/samenhang.md``."""
    d = base or config.TEKSTEN
    return d / ("samenhang.md" if thema == "samenhang" else f"thema_{thema}.md")


_KOP = re.compile(r"^##\s+(.+?)\s*#*\s*$")


def load_tekst(thema: str, base: Path | None = None,
               verplicht: tuple[str, ...] = SECTIES) -> dict[str, str]:
    """Read a study's researcher-written markdown into ``{section title: markdown}``.

    Sections start at level-2 headings (``## Ervaren effecten``); text before the first one is
    ignored (file title, notes). Raises :class:`InputError` naming the file when it is missing,
    when a required section is absent or empty, or when a section occurs twice.
    """
    p = io.record_read(tekst_pad(thema, base))
    if not p.exists():
        raise InputError(p, "tekstbestand ontbreekt", expected="markdown met secties " +
                         ", ".join(f"'## {s}'" for s in verplicht))
    secties: dict[str, list[str]] = {}
    regels: dict[str, int] = {}
    huidig: str | None = None
    for nr, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
        m = _KOP.match(line)
        if m:
            huidig = m.group(1)
            if huidig in secties:
                raise InputError(p, f"sectie '{huidig}' komt twee keer voor", line=nr)
            secties[huidig] = []
            regels[huidig] = nr
        elif huidig is not None:
            secties[huidig].append(line)
    out = {k: "\n".join(v).strip() for k, v in secties.items()}
    for s in verplicht:
        if s not in out:
            raise InputError(p, f"sectie '## {s}' ontbreekt", expected="secties " + ", ".join(verplicht))
        if not out[s]:
            raise InputError(p, f"sectie '## {s}' is leeg", line=regels[s])
    return out


def show_sectie(teksten: dict[str, str], sectie: str) -> Any:
    """Display one prose section (heading + text) as notebook markdown."""

    return markdown(f"### {sectie}\n\n{teksten[sectie]}")


def filter_gebied(df: pd.DataFrame, focusgebied: str, kolom: str = "focusgebied") -> pd.DataFrame:
    """Rows of one area (all rows for ``"alle"``)."""
    if focusgebied == ALLE:
        return df
    return df[df[kolom] == focusgebied]


def heeft_gegevens(df: pd.DataFrame | None) -> bool:
    """True when ``df`` is a non-empty table."""
    return df is not None and len(df) > 0


def geen_gegevens(focusgebied: str) -> Any:
    """Display the plain message for an area without data in this study."""

    return markdown(f"**{gebiedsnaam(focusgebied)}: {GEEN_GEGEVENS}.**")


def show_of_geen(obj: Any, focusgebied: str) -> Any:
    """Return ``obj`` for display, or the "geen gegevens" message when it is empty/None."""
    if obj is None or (hasattr(obj, "__len__") and len(obj) == 0):
        return geen_gegevens(focusgebied)
    return obj


def suppress_aantallen(tabel: pd.DataFrame, n_kolom: str, *, kolommen: list[str] | None = None,
                        by: list[str] | None = None, groep_kolom: str | None = None,
                        min_n: int | None = None, verberg_n: bool = False) -> pd.DataFrame:
    """Suppress counts of people below the minimum n with :func:`helpers.core.privacy.suppress_shares`.

    ``n_kolom``: the count of people per row (base); ``kolommen``: the columns to blank for
    suppressed rows (default: all numeric columns except ``n_kolom``); ``by``: partitions for
    secondary suppression; ``groep_kolom``: the group column. Without ``groep_kolom`` every row
    is its own partition: primary suppression only — right for tables whose rows are not a
    partition of one total (codes: one person mentions several codes, so no row follows from
    a total by subtraction).
    ``verberg_n``: blank ``n_kolom`` too for suppressed rows (when the count of people is
    itself the published figure, e.g. "3 respondents mentioned this code").
    Adds the columns ``onderdrukt`` and ``signaal`` of :func:`helpers.core.privacy.suppress_shares`.
    """

    mn = monitor.min_n(min_n)
    t = tabel.reset_index(drop=True).copy()
    gk = groep_kolom or "_rij"
    if groep_kolom is None:
        t[gk] = [f"r{i}" for i in range(len(t))]
        by = [gk]
    out = privacy.suppress_shares(t, n_col=n_kolom, groups_col=gk, value_cols=kolommen, by=by,
                                  min_n=mn, signaal_n=monitor.signaal_n())
    if verberg_n:
        out[n_kolom] = out[n_kolom].astype("float").where(out["onderdrukt"] == "")
    if groep_kolom is None:
        out = out.drop(columns=[gk])
    return out


# ----------------------------------------------------------------------------- coded segments


def thema_segmenten(segments: pd.DataFrame | None, thema: str, focusgebied: str = ALLE) -> pd.DataFrame:
    """The coded segments of one theme study (column ``thema``), optionally of one area.

    ``segments`` as returned by :func:`helpers.studies.coding.load_segments` (``None`` -> empty)."""
    import pandas as pd

    _check_thema(thema)
    if segments is None:
        return pd.DataFrame(columns=["segment_id", "codes", "thema", "focusgebied"])
    d = segments[segments["thema"] == thema]
    return filter_gebied(d, focusgebied).reset_index(drop=True)


def load_segmenten(processed: Path | None = None) -> pd.DataFrame | None:
    """Coded segments from the processed folder, or ``None`` when not ingested."""

    try:
        return coding.load_segments(processed)
    except FileNotFoundError:
        return None


def thema_frequenties(segments: pd.DataFrame, tak: str, *, by: list[str] | None = None,
                      min_n: int | None = None) -> pd.DataFrame:
    """Frequencies of the sub-codes of branch ``tak`` (e.g. ``"werkzame_elementen"``) in
    ``segments``, with the count of people protected.

    Columns ``[*by], code, label, segmenten, respondenten, aandeel_segmenten, onderdrukt,
    signaal``: ``respondenten`` = distinct respondents/sessions naming the code; rows with
    fewer than the minimum n (``min_n`` of ``params/monitor.yml``) have ``respondenten``,
    ``segmenten`` and ``aandeel_segmenten`` blanked (primary suppression per row; codes are
    not a partition of the respondents, see :func:`onderdruk_aantallen`).
    """

    f = coding.code_frequencies(segments, by=by, niveau=2, tak=tak)
    # most-named first (people, then segments); stable, so ties keep tree order
    f = f.sort_values([*(by or []), "respondenten", "segmenten"],
                      ascending=[True] * len(by or []) + [False, False], kind="stable")
    return suppress_aantallen(f, "respondenten", kolommen=["segmenten", "aandeel_segmenten"],
                               min_n=min_n, verberg_n=True)


def figuur_frequenties(freq: pd.DataFrame, titel: str, xlabel: str = "aantal respondenten") -> Any:
    """Horizontal bars of ``respondenten`` per code; suppressed codes are shown as text."""
    import matplotlib.pyplot as plt


    d = freq.iloc[::-1].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(d) + 1.8))
    waarden = d["respondenten"].fillna(0).astype(float)
    ax.barh(d["label"], waarden, color="#0072B2")
    for i, r in d.iterrows():
        tekst = (" onderdrukt (minder dan minimum)" if r.get("onderdrukt") else
                 f" {nl.getal(r['respondenten'])}")
        ax.text(waarden[i], i, tekst, va="center")
    ax.set_xlabel(xlabel)
    ax.set_title(titel)
    ax.set_xlim(0, max(1.0, waarden.max()) * 1.35)
    fig.tight_layout()
    return fig


# ----------------------------------------------------------------------------- notebook steps
# Each ``show_*`` function is one step of a theme notebook: it computes, registers the
# publishable result with the notebook's :class:`helpers.kit.output.Uitvoer`, and returns one
# :class:`helpers.kit.display.Weergave` (or the "geen gegevens" message) for the notebook to
# display; the computed table is its ``gegevens``. Steps never display anything themselves.

STUDIEJAREN = "2024-2025"
BRON_INTERVIEWS = "Gecodeerde interviews en focusgroepen themastudie (Monitor SPUK KW)"
BRON_REGISTER = "Interventieregister themastudies (publiekssamenvatting Monitor SPUK KW 2026)"
TAK_TITELS = {"werkzame_elementen": "Werkzame elementen", "knelpunten": "Knelpunten",
              "ervaren_effecten": "Ervaren effecten"}


def tabel_nl(df: pd.DataFrame, decimalen: dict[str, int] | None = None,
             kolomnamen: dict[str, str] | None = None) -> Any:
    """A pandas Styler showing ``df`` the Dutch way (decimal comma, '–' for missing), without
    index; text is HTML-escaped."""

    dec = decimalen or {}

    def formatter(d: int):
        return lambda v: nl.getal(v, d)

    fmt = {c: formatter(dec.get(c, 0))
           for c in df.columns if str(df[c].dtype) not in ("object", "string", "bool")}
    d = df.rename(columns=kolomnamen or {})
    fmt = {(kolomnamen or {}).get(c, c): f for c, f in fmt.items()}
    return d.style.format(fmt, escape="html", na_rep="–").hide(axis="index")


def show_interventies(uit: Any, thema: str, focusgebied: str = ALLE) -> Weergave:
    """Step: the study's intervention table (Fase 1 / Fase 2), published as ``interventies``."""
    t = interventietabel(thema, focusgebied, namen=True)
    if t.empty:
        return Weergave(geen_gegevens(focusgebied), gegevens=t)
    uit.tabel(t, "interventies", titel=f"Interventies per focusgebied: {THEMAS[thema].lower()}",
              bron=BRON_REGISTER)
    uit.kerncijfer("aantal_interventies", len(t), label="aantal interventies in de studie",
                   eenheid="aantal", bron=BRON_REGISTER)
    return Weergave(tabel_nl(t, kolomnamen={"focusgebied": "Focusgebied", "interventie": "Interventie",
                                     "type": "Soort", "fase_1": "Fase 1", "fase_2": "Fase 2"}), gegevens=t)


def show_teksten(thema: str, *secties: str) -> Weergave:
    """Step: show researcher-written sections of ``reports/teksten`` (all when none named)."""
    teksten = load_tekst(thema)
    return Weergave(*[show_sectie(teksten, s) for s in secties or SECTIES], gegevens=teksten)


def show_codefrequenties(uit: Any, segmenten: pd.DataFrame, tak: str, focusgebied: str,
                         thema: str) -> Weergave:
    """Step: frequencies of one branch's codes in the study's segments (table + bar chart),
    counts of people suppressed below the minimum n; "geen gegevens" when there are none."""

    if not heeft_gegevens(segmenten):
        return Weergave(geen_gegevens(focusgebied), gegevens=segmenten)
    f = thema_frequenties(segmenten, tak)
    if f.empty:
        return Weergave(geen_gegevens(focusgebied), gegevens=f)
    titel = f"{TAK_TITELS.get(tak, tak)} ({THEMAS.get(thema, thema).lower()}, {gebiedsnaam(focusgebied)})"
    kolommen = ["code", "label", "respondenten", "segmenten", "aandeel_segmenten", "onderdrukt", "signaal"]
    uit.tabel(f[kolommen], f"{tak}", titel=titel, bron=BRON_INTERVIEWS, n_kolom="respondenten",
              min_n=monitor.min_n())
    fig = figuur_frequenties(f, titel)
    n_resp = segmenten["respondent_of_sessie"].nunique()
    uit.figuur(fig, f"{tak}", titel=titel,
               alt=(f"Staafdiagram: aantal respondenten per {TAK_TITELS.get(tak, tak).lower()} "
                    f"in {len(segmenten)} gecodeerde fragmenten van {n_resp} respondenten."),
               bron=BRON_INTERVIEWS, jaar=STUDIEJAREN)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return Weergave(fig, tabel_nl(f[["label", "respondenten", "segmenten", "aandeel_segmenten", "onderdrukt"]],
                           decimalen={"aandeel_segmenten": 0},
                           kolomnamen={"label": "Code", "respondenten": "Respondenten",
                                       "segmenten": "Fragmenten",
                                       "aandeel_segmenten": "% van de fragmenten",
                                       "onderdrukt": "Onderdrukt"}), gegevens=f)


def show_aantallen_segmenten(uit: Any, segmenten: pd.DataFrame, focusgebied: str) -> Weergave:
    """Step: key numbers of the coded material (fragments, respondents/sessions)."""
    if not heeft_gegevens(segmenten):
        return Weergave(geen_gegevens(focusgebied), gegevens=None)
    n_seg = len(segmenten)
    n_resp = int(segmenten["respondent_of_sessie"].nunique())
    uit.kerncijfer("gecodeerde_fragmenten", n_seg, label="gecodeerde fragmenten", eenheid="aantal",
                   bron=BRON_INTERVIEWS, jaar=STUDIEJAREN)
    uit.kerncijfer("respondenten", n_resp, label="respondenten en sessies", eenheid="aantal",
                   bron=BRON_INTERVIEWS, jaar=STUDIEJAREN)



def show_fragmenten(segmenten: pd.DataFrame, code: str, focusgebied: str = ALLE,
                    max_aantal: int = 4) -> Weergave:
    """Step: a few illustrative fragments for ``code`` — only with consent AND release, never
    with respondent ids; text HTML-escaped."""
    import html


    if not heeft_gegevens(segmenten):
        return Weergave(geen_gegevens(focusgebied), gegevens=segmenten)
    r = coding.retrieve(segmenten, code, focusgebied=focusgebied, max_aantal=max_aantal)
    if r.empty:
        return Weergave(markdown("_Geen vrijgegeven fragmenten bij deze code._"), gegevens=r)
    regels = [f"> {html.escape(t)}  \n> — _{html.escape(gebiedsnaam(g) if g else 'onbekend gebied')}_"
              for t, g in zip(r["segment"], r["focusgebied"].fillna(""), strict=True)]
    return Weergave(markdown("\n\n".join(regels)), gegevens=r)
