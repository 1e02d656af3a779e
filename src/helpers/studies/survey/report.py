"""Notebook steps of ``notebooks/20_procesevaluatie.ipynb``: each function is one step (load,
show a bouwsteen, the tripole, the picture pointer) that displays its results and registers
the publishable ones with a :class:`helpers.kit.output.Uitvoer`.

Published names (``reports/runs/<gebied>/20_procesevaluatie/``): figures
``bipolen_<bouwsteen>.png``, ``tripool_leiderschap.png``, ``beeldwijzer_gevoel.png``; tables
``bipolen.csv``, ``tripool.csv``, ``tripool_uitschieters.csv``, ``beeldwijzer.csv``,
``verhalen.csv`` (released stories only), ``codefrequenties.csv``; key numbers
``respondenten`` and ``positief_<vraag>`` (overall share positive per bipole).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers.core import config, io, nl
from helpers.kit.display import Weergave
from helpers.studies.coding import code_frequencies, load_segments
from helpers.studies.survey import filter_gebied
from helpers.studies.survey.figures import beeld_figuur, bipolen_figuur, groep_label, tripool_figuur
from helpers.studies.survey.stories import stories_html

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

BRON = "Sprockler-vragenlijst procesevaluatie"
TABEL = "sprockler.parquet"


def load_respondenten(processed: Path | None = None) -> pd.DataFrame:
    """The pseudonymised respondent table ``sprockler.parquet`` written by ingest.

    Raises ``FileNotFoundError`` with a Dutch hint when it has not been ingested.
    """


    p = io.record_read(config.processed(TABEL, processed))
    if not p.exists():
        raise FileNotFoundError(f"{p} ontbreekt: zet een Sprockler-export in data/raw en voer "
                                "'wijkmonitor ingest' uit (of 'wijkmonitor demo-data' eerst)")
    return io.read_parquet(p)


def load_gecodeerde_segmenten(processed: Path | None = None) -> pd.DataFrame | None:
    """Coded segments (``helpers.studies.coding.load_segments``) or ``None`` when none were ingested."""
    try:

        return load_segments(processed)
    except (FileNotFoundError, ImportError):
        return None


def _md(text: str) -> Any:
    from IPython.display import Markdown

    return Markdown(text)


def _html(text: str) -> Any:
    from IPython.display import HTML

    return HTML(text)


def weergave(tab: pd.DataFrame, vraag: str, mapping, groepering: str) -> pd.DataFrame:
    """Reader-facing table of one bipole: Dutch numbers, base n, interval, remark."""
    import pandas as pd


    sel = tab[(tab["vraag"] == vraag) & tab["groepering"].isin(["alle", groepering])]
    rows = []
    for _, r in sel.iterrows():
        hidden = bool(r["onderdrukt"])
        opm = {"primair": f"onderdrukt: minder dan {mapping.min_n} antwoorden",
               "secundair": "onderdrukt: anders af te leiden uit het totaal",
               "leeg": "geen antwoorden"}.get(r["onderdrukt"], r["signaal"])
        rows.append({
            "Groep": groep_label(r["groep"], mapping),
            "n": r["n"] if isinstance(r["n"], str) else nl.getal(r["n"]),
            "% negatief": "–" if hidden else nl.procent(r["negatief_pct"]),
            "% neutraal": "–" if hidden else nl.procent(r["neutraal_pct"]),
            "% positief": "–" if hidden else nl.procent(r["positief_pct"]),
            "95%-interval positief (indicatief)": "–" if hidden else
            f"{nl.procent(r['positief_ci_laag'])} – {nl.procent(r['positief_ci_hoog'])}",
            "% n.v.t.": "–" if hidden else nl.procent(r["nvt_pct"]),
            "Opmerking": opm,
        })
    return pd.DataFrame(rows)


def overzicht(resp: pd.DataFrame, tabellen: dict, mapping, focusgebied: str, uitvoer) -> Any:
    """Markdown summary: respondents in the selection and what suppression means."""

    sel = filter_gebied(resp, focusgebied)
    uitvoer.kerncijfer("respondenten", len(sel), label="Aantal respondenten", eenheid="personen",
                       bron=BRON, jaar=mapping.jaar)
    alle = tabellen["bipoles"]
    alle = alle[alle["groepering"] == "alle"]
    for _, r in alle.iterrows():
        if not r["onderdrukt"]:
            uitvoer.kerncijfer(f"positief_{r['vraag']}", round(float(r["positief_pct"]), 1),
                               label=f"% positief: {mapping.vragen[r['vraag']].label}",
                               eenheid="%", bron=BRON, jaar=mapping.jaar, n=int(r["n"]))
    wie = "alle focusgebieden" if focusgebied == "alle" else f"focusgebied {focusgebied}"
    tekst = (f"**{nl.getal(len(sel))} respondenten** ({wie}). Percentages zijn aandelen van wie "
             "de vraag beantwoordde ('niet van toepassing' en lege antwoorden tellen niet mee). "
             f"Groepen met minder dan {mapping.min_n} antwoorden tonen geen percentages; soms "
             "wordt een tweede groep verborgen zodat de eerste niet uit het totaal is af te "
             "leiden. Respondenten van wie de groep onbekend is, tellen mee in het totaal maar "
             f"vormen geen eigen groep. Onder {mapping.signaal_n} antwoorden is een uitkomst een signaal, geen "
             "conclusie. De intervallen zijn indicatief: de respondenten zijn deelnemers aan "
             "werksessies, geen aselecte steekproef.")
    if len(sel) < mapping.min_n:
        tekst += (f"\n\n**Te weinig respondenten in deze selectie (minder dan {mapping.min_n}):"
                  " alle tabellen zijn onderdrukt.**")
    return _md(tekst)


def codefrequenties(segmenten: pd.DataFrame | None, bouwsteen: str, focusgebied: str,
                    min_n: int) -> pd.DataFrame | None:
    """Sub-code frequencies of one bouwsteen from the coded segments (consented and released
    only); respondent counts below ``min_n`` are blanked. ``None`` without segments."""
    if segmenten is None or segmenten.empty:
        return None

    seg = segmenten[segmenten["toestemming"].astype(bool) & segmenten["vrijgegeven"].astype(bool)]
    if focusgebied not in (None, "", "alle"):
        seg = seg[seg["focusgebied"] == focusgebied]
    freq = code_frequencies(seg, niveau=2, tak=bouwsteen)
    freq = freq.assign(bouwsteen=bouwsteen)
    freq["respondenten"] = freq["respondenten"].astype(float).where(
        freq["respondenten"] >= min_n)
    return freq[["bouwsteen", "code", "label", "segmenten", "respondenten", "aandeel_segmenten"]]


def bouwsteen(naam: str, tabellen: dict, mapping, uitvoer, *, groepering: str = "groep",
              segmenten: pd.DataFrame | None = None, focusgebied: str = "alle") -> Weergave:
    """One bouwsteen as one :class:`~helpers.kit.display.Weergave` (the notebook shows it):
    figure, table per question, signals, released stories and code frequencies; registers the
    figure. Keeps no state between cells: the published table of code frequencies is computed
    by :func:`publish_tabellen`."""
    delen: list[Any] = []

    vragen = [v.id for v in mapping.bipolen if (v.bouwsteen or "algemeen") == naam]
    titel = mapping.bouwstenen.get(naam, "Algemeen")
    bip = tabellen["bipoles"]
    if vragen:
        fig = bipolen_figuur(bip, mapping, vragen, groepering)
        uitvoer.figuur(fig, f"bipolen_{naam}", titel=f"{titel}: antwoorden per groep",
                       alt=(f"Gestapelde staven met het percentage negatief, neutraal en positief "
                            f"per groep voor: {', '.join(mapping.vragen[v].label for v in vragen)}"),
                       bron=BRON, jaar=mapping.jaar)
        delen.append(fig)
        for v in vragen:
            delen += [_md(f"**{mapping.vragen[v].label}** "
                          f"({mapping.vragen[v].spec['pool_links']} ↔ "
                          f"{mapping.vragen[v].spec['pool_rechts']})"),
                      weergave(bip, v, mapping, groepering)]
        sig = bip[(bip["vraag"].isin(vragen)) & (bip["signaal"] != "")]
        if len(sig):

            namen = sorted({groep_label(g, mapping) for g in sig["groep"]})
            delen.append(_md(f"*Signaal, geen conclusie* (minder dan {mapping.signaal_n} "
                             f"antwoorden): {', '.join(namen)}."))
    else:
        delen.append(_md("Deze bouwsteen had geen vragen in de vragenlijst; hij is besproken aan "
                         "de dialoogtafels (zie de codering hieronder)."))
    verhalen = tabellen["verhalen"]
    eigen = verhalen[verhalen["bouwsteen"] == naam]
    if len(eigen):
        delen += [_md("*Verhalen ter illustratie (met toestemming en vrijgegeven):*"),
                  _html(stories_html(eigen))]
    if naam not in mapping.bouwstenen:
        return Weergave(*delen)
    freq = codefrequenties(segmenten, naam, focusgebied, mapping.min_n)
    if freq is None:
        delen.append(_md("*Geen gecodeerde segmenten ingelezen.*"))
    elif freq.empty:
        delen.append(_md("*Geen gecodeerde segmenten voor deze bouwsteen in deze selectie.*"))
    else:
        delen += [_md("*Codefrequenties (verhalen en dialoogtafels):*"),
                  freq.drop(columns=["bouwsteen"])]
    return Weergave(*delen)


def tripool(resp: pd.DataFrame, tabellen: dict, mapping, uitvoer, *, focusgebied: str = "alle",
            min_n: int | None = None, signaal_n: int | None = None) -> Weergave:
    """The leadership tripole as one Weergave: ternary figure, table (mean, spread, clusters),
    outliers; registers the figure."""

    vraag = mapping.een("tripool").id
    fig = tripool_figuur(filter_gebied(resp, focusgebied), mapping, vraag, min_n=min_n,
                         signaal_n=signaal_n)
    uitvoer.figuur(fig, f"tripool_{vraag}", titel="Waar was het leiderschap op gericht?",
                   alt=("Driehoeksfiguren met per groep de stippen tussen visie, daadkracht en "
                        "strategisch denken en het compositionele gemiddelde als ruit"),
                   bron=BRON, jaar=mapping.jaar)
    return Weergave(fig, tabellen["tripool"], _md("*Uitschieters* (een zelden gekozen hoek):"),
                    tabellen["tripool_uitschieters"])


def beeldwijzer(resp: pd.DataFrame, tabellen: dict, mapping, uitvoer, *,
                focusgebied: str = "alle", min_n: int | None = None,
                signaal_n: int | None = None) -> Weergave:
    """The picture pointer as one Weergave: scatter/density over the regions and the share
    per region; registers the figure."""

    vraag = mapping.een("beeld").id
    fig = beeld_figuur(filter_gebied(resp, focusgebied), mapping, vraag, min_n=min_n,
                       signaal_n=signaal_n)
    uitvoer.figuur(fig, f"beeldwijzer_{vraag}", titel="Overheersend gevoel bij de samenwerking",
                   alt="Stippen en dichtheid van de antwoorden over de vier delen van het beeld",
                   bron=BRON, jaar=mapping.jaar)
    return Weergave(fig, tabellen["beeldwijzer"])


def publish_tabellen(tabellen: dict, mapping, uitvoer, segmenten: pd.DataFrame | None = None,
                     focusgebied: str = "alle") -> Any:
    """Register the tables for the publication (``n_kolom="n"`` and ``min_n`` where the table
    has a base n), the code frequencies of every bouwsteen (in the order of the mapping), and
    write ``uitvoer.json``. Returns the Dutch summary of
    :meth:`helpers.kit.output.Uitvoer.write_index` (its ``gegevens``: the paths written)."""
    import pandas as pd

    titels = {"bipoles": ("bipolen", "Antwoorden op de schuifvragen per groep"),
              "tripool": ("tripool", "Leiderschap: compositioneel gemiddelde en spreiding"),
              "tripool_uitschieters": ("tripool_uitschieters", "Leiderschap: uitschieters"),
              "beeldwijzer": ("beeldwijzer", "Overheersend gevoel per deel van het beeld"),
              "verhalen": ("verhalen", "Verhalen ter illustratie (met toestemming, vrijgegeven)")}
    paths = []
    for key, (naam, titel) in titels.items():
        if key not in tabellen:
            continue
        df = tabellen[key]
        heeft_n = "n" in df.columns
        paths.append(uitvoer.tabel(df, naam, titel=titel, bron=BRON,
                                   n_kolom="n" if heeft_n else None,
                                   min_n=mapping.min_n if heeft_n else None))
    freqs = [codefrequenties(segmenten, naam, focusgebied, mapping.min_n) for naam in mapping.bouwstenen]
    codes = [f for f in freqs if f is not None and not f.empty]
    if codes:
        paths.append(uitvoer.tabel(pd.concat(codes, ignore_index=True), "codefrequenties",
                                   titel="Codefrequenties per bouwsteen", bron=BRON))
    samenvatting = uitvoer.write_index()
    samenvatting.gegevens = [*paths, samenvatting.gegevens]
    return samenvatting
