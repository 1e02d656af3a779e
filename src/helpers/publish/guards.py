"""Publication guards: content that must never reach the public HTML/PDF.

Each ``controleer_*`` function returns a list of problems (Dutch sentences naming the file,
table, row or text); :func:`weiger` raises one :class:`PublicationGuardError` listing them all,
so a render either passes every guard or writes nothing. Guards:

- small groups: a share/count for a group with n below ``min_n`` (primary), or a hidden group
  that follows from the total minus the other groups (secondary) — :func:`controleer_tabel`;
- stories without consent and release; respondent ids or pseudonyms — :func:`controleer_tabel`;
- figures without alt text, source, year or file; demo flags that disagree —
  :func:`controleer_figuren`, :func:`controleer_demo`;
- stigmatising labels in the publication's own voice (quotes allowed) —
  :func:`controleer_stigma`; causal wording in generated template sentences —
  :func:`controleer_causaal`;
- the rendered HTML: ``lang="nl"``, heading order, the demo banner, no unescaped free text
  and no script from content, no broken images or links — :func:`controleer_html`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from helpers.core.errors import PublicationGuardError
from helpers.publish.layout import is_dimensie
from helpers.registers import monitor

TOTAAL_LABELS = {"alle", "totaal", "alle respondenten", "alle groepen", "totaal alle groepen"}
TOESTEMMING_KOLOMMEN = ("toestemming", "consent")
VRIJGAVE_KOLOMMEN = ("vrijgegeven", "vrijgave", "release", "vrijgave_publicatie")
VERHAAL_KOLOMMEN = ("verhaal", "citaat", "quote", "tekst_verhaal")
TECHNISCHE_KOLOMMEN = {"onderdrukt", "signaal"}
PSEUDONIEM = re.compile(r"^p[0-9a-f]{16}$")
RESPONDENT_WAARDE = re.compile(r"\bresp(?:ondent)?[ _-]?(?:id|nr|nummer)?[ _:#-]*\d{2,}\b", re.I)
_DATA_URI = re.compile(r"(data:[\w/+.-]+;base64,)[A-Za-z0-9+/=\s]+")
WAAR = {"1", "ja", "j", "true", "waar", "yes", "y"}


def refuse(problemen: Iterable[str]) -> None:
    """Raise :class:`PublicationGuardError` listing every problem (no-op when there are none)."""
    lijst = [p for p in problemen if p]
    if lijst:
        regels = "\n".join(f"- {p}" for p in lijst)
        raise PublicationGuardError(
            f"De publicatie is niet gemaakt: {len(lijst)} probleem/problemen gevonden.\n{regels}"
        )


def _waar(v: Any) -> bool:
    if isinstance(v, str):
        return v.strip().lower() in WAAR
    try:
        return bool(v == 1 or v is True)
    except Exception:  # pragma: no cover - odd types
        return False


def _kolom(df: Any, namen: Iterable[str]) -> str | None:
    lower = {str(c).lower(): c for c in df.columns}
    for n in namen:
        if n in lower:
            return lower[n]
    return None


def verhaal_kolom(df: Any) -> str | None:
    """The column holding story/quote text, if the table is a story table."""
    return _kolom(df, VERHAAL_KOLOMMEN)


def waarde_kolommen(df: Any, n_kolom: str | None) -> list[str]:
    """Numeric result columns (shares, counts, means, intervals) of a table.

    Excludes the base-n column and row descriptors (years, codes, order; see
    :func:`helpers.publish.layout.is_dimensie`).
    """
    import pandas as pd


    return [c for c in df.columns
            if c != n_kolom and c not in TECHNISCHE_KOLOMMEN
            and pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
            and not is_dimensie(str(c))]


def _groep_kolom(df: Any) -> str | None:
    if "groep" in df.columns:
        return "groep"
    for c in df.columns:
        if df[c].dtype == object and df[c].astype(str).str.strip().str.lower().isin(TOTAAL_LABELS).any():
            return c
    return None


def _rijlabel(df: Any, i: int, groep: str | None) -> str:
    delen = [f"rij {i + 2}"]  # as a spreadsheet shows it: header = row 1
    if groep:
        delen.append(f"groep '{df.iloc[i][groep]}'")
    return ", ".join(delen)


def check_onderdrukking(df: Any, *, naam: str, bestand: str, n_kolom: str | None,
                             min_n: int | None) -> list[str]:
    """Primary and secondary suppression of one table (rules of :mod:`helpers.core.privacy`).

    Primary: a row with ``0 < n < min_n`` must show no result value. Secondary: within a
    partition (rows with the same values in the other text columns) that shows its total row,
    hidden groups must be at least two with a combined base of at least ``min_n`` — otherwise
    the hidden group follows by subtraction. Without ``n_kolom`` nothing can be checked.
    """
    import pandas as pd

    if not n_kolom:
        return []
    if n_kolom not in df.columns:
        return [f"tabel '{naam}' ({bestand}): de n-kolom '{n_kolom}' ontbreekt"]
    grens = monitor.min_n(min_n)
    n = pd.to_numeric(df[n_kolom], errors="coerce")
    waarden = waarde_kolommen(df, n_kolom)
    if not waarden:
        return []
    zichtbaar = df[waarden].notna().any(axis=1)
    groep = _groep_kolom(df)
    problemen = []
    for i in range(len(df)):
        if 0 < (n.iloc[i] if n.iloc[i] == n.iloc[i] else 0) < grens and zichtbaar.iloc[i]:
            problemen.append(
                f"tabel '{naam}' ({bestand}), {_rijlabel(df, i, groep)}: n = {int(n.iloc[i])} is "
                f"kleiner dan het minimum van {grens}, maar de tabel toont er toch een percentage "
                f"of aantal voor ({', '.join(map(str, waarden))}); onderdruk deze cijfers "
                "(helpers.core.privacy.suppress_shares)"
            )
    if groep is None:
        return problemen
    is_totaal = df[groep].astype(str).str.strip().str.lower().isin(TOTAAL_LABELS)
    if not is_totaal.any():
        return problemen
    tekst = [c for c in df.columns if c != groep and c not in TECHNISCHE_KOLOMMEN
             and c != n_kolom and c not in waarden and df[c].dtype == object]
    # Grouping columns (e.g. ``groepering``) carry the total label on the total row: the total
    # of a question is compared with the groups of every grouping separately.
    indeling = [c for c in tekst
                if df.loc[is_totaal, c].astype(str).str.strip().str.lower().isin(TOTAAL_LABELS).all()]
    buiten = [c for c in tekst if c not in indeling]
    partities = df.groupby(buiten, sort=False, dropna=False).groups if buiten else {None: df.index}
    for sleutel, idx in partities.items():
        deel = df.loc[idx]
        totaal = deel.index[is_totaal.loc[idx]]
        if not len(totaal) or not zichtbaar.loc[totaal].any():
            continue
        leden_alle = deel[~is_totaal.loc[idx]]
        binnen = (leden_alle.groupby(indeling, sort=False, dropna=False).groups if indeling
                  else {None: leden_alle.index})
        for _, lid_idx in binnen.items():
            leden = [i for i in lid_idx if n.loc[i] == n.loc[i] and n.loc[i] > 0]
            verborgen = [i for i in leden if not zichtbaar.loc[i]]
            rest = [i for i in leden if zichtbaar.loc[i]]
            if not verborgen or not rest:
                continue
            som = float(sum(n.loc[i] for i in verborgen))
            if len(verborgen) < 2 or som < grens:
                namen = ", ".join(f"'{df.loc[i, groep]}'" for i in verborgen)
                waar = f" (partitie {sleutel})" if sleutel is not None else ""
                problemen.append(
                    f"tabel '{naam}' ({bestand}){waar}: secundaire onderdrukking ontbreekt — de "
                    f"verborgen groep(en) {namen} (samen n = {int(som)}) zijn af te leiden uit "
                    "het totaal min de andere groepen; verberg nog een groep of het totaal"
                )
    return problemen


def _norm(tekst: Any) -> str:
    return " ".join(str(tekst).split())


def vrijgegeven_verhalen(processed: Path | None) -> set[str] | None:
    """Texts of respondents with consent AND release in ``sprockler.parquet`` (the pseudonymised
    survey table written by ingest), whitespace-normalised; ``None`` when there is no table."""
    if processed is None or not (Path(processed) / "sprockler.parquet").exists():
        return None
    import pandas as pd

    resp = pd.read_parquet(Path(processed) / "sprockler.parquet")
    if "toestemming" not in resp.columns or "vrijgegeven" not in resp.columns:
        return set()
    ok = resp[resp["toestemming"].fillna(False).astype(bool)
              & resp["vrijgegeven"].fillna(False).astype(bool)]
    teksten: set[str] = set()
    for c in ok.columns:
        if ok[c].dtype == object or str(ok[c].dtype).startswith("string"):
            teksten |= {_norm(v) for v in ok[c].dropna() if isinstance(v, str) and v.strip()}
    return teksten


def check_privacy(df: Any, *, naam: str, bestand: str,
                       respondent_kolommen: Iterable[str],
                       vrijgegeven: set[str] | None = None) -> list[str]:
    """Respondent ids (columns or pseudonym-like values) and stories without consent + release.

    A story table either carries ``toestemming`` and ``vrijgegeven`` columns (every row true),
    or each story must be a released text of ``sprockler.parquet`` (``vrijgegeven``, see
    :func:`vrijgegeven_verhalen`); with neither, the stories are refused.
    """
    problemen = []
    patronen = [re.compile(p, re.I) for p in respondent_kolommen]
    for c in df.columns:
        if any(p.search(str(c)) for p in patronen):
            problemen.append(f"tabel '{naam}' ({bestand}): kolom '{c}' bevat respondent-id's of "
                             "pseudoniemen; die worden nooit gepubliceerd")
    for c in df.columns:
        if df[c].dtype != object:
            continue
        waarden = df[c].dropna().astype(str).str.strip()
        if waarden.str.match(PSEUDONIEM).any():
            problemen.append(f"tabel '{naam}' ({bestand}): kolom '{c}' bevat pseudoniemen van "
                             "respondenten (p + 16 hexadecimale tekens)")
        elif waarden.str.contains(RESPONDENT_WAARDE).any():
            problemen.append(f"tabel '{naam}' ({bestand}): kolom '{c}' noemt een "
                             "respondentnummer")
    tekst = verhaal_kolom(df)
    if tekst is not None or "verhal" in naam.lower():
        toest = _kolom(df, TOESTEMMING_KOLOMMEN)
        vrij = _kolom(df, VRIJGAVE_KOLOMMEN)
        if (toest is None or vrij is None) and tekst is not None and vrijgegeven is not None:
            for i in range(len(df)):
                v = df.iloc[i][tekst]
                if isinstance(v, str) and v.strip() and _norm(v) not in vrijgegeven:
                    problemen.append(
                        f"tabel '{naam}' ({bestand}), rij {i + 2}: verhaal staat in "
                        "sprockler.parquet niet als verhaal met toestemming én vrijgave; dit "
                        "verhaal mag niet worden gepubliceerd")
        elif toest is None or vrij is None:
            problemen.append(
                f"tabel '{naam}' ({bestand}): verhalen zonder kolommen voor toestemming "
                f"({'/'.join(TOESTEMMING_KOLOMMEN)}) en vrijgave ({'/'.join(VRIJGAVE_KOLOMMEN)}) "
                "en zonder sprockler.parquet om ze te controleren; alleen verhalen met "
                "toestemming én vrijgave mogen worden gepubliceerd")
        else:
            for i in range(len(df)):
                if not (_waar(df.iloc[i][toest]) and _waar(df.iloc[i][vrij])):
                    problemen.append(
                        f"tabel '{naam}' ({bestand}), rij {i + 2}: verhaal zonder toestemming én "
                        f"vrijgave ({toest} = {df.iloc[i][toest]!r}, {vrij} = "
                        f"{df.iloc[i][vrij]!r}); dit verhaal mag niet worden gepubliceerd")
    return problemen


def check_kerncijfers(kerncijfers: dict[str, dict], *, bestand: str) -> list[str]:
    """A key number with a base ``n`` below its ``min_n`` (default: ``params/monitor.yml``) must not be shown."""
    problemen = []
    for naam, k in kerncijfers.items():
        n = k.get("n")
        grens = monitor.min_n(k.get("min_n"))
        if isinstance(n, int | float) and 0 < n < grens and k.get("waarde") is not None:
            problemen.append(f"kerncijfer '{naam}' ({bestand}): n = {int(n)} is kleiner dan het "
                             f"minimum van {grens}; dit cijfer mag niet worden gepubliceerd")
    return problemen


def check_figuren(figuren: dict[str, dict], map: Path, *, bestand: str) -> list[str]:
    """Every figure has its file, alt text, a source and a year (in ``jaar`` or in ``bron``)."""
    problemen = []
    for naam, f in figuren.items():
        pad = map / str(f.get("bestand", ""))
        if not f.get("bestand") or not pad.is_file():
            problemen.append(f"figuur '{naam}' ({bestand}): bestand '{f.get('bestand')}' ontbreekt")
        if not str(f.get("alt") or "").strip():
            problemen.append(f"figuur '{naam}' ({bestand}): alt-tekst ontbreekt")
        if not str(f.get("bron") or "").strip():
            problemen.append(f"figuur '{naam}' ({bestand}): bron ontbreekt in het bijschrift")
        if f.get("jaar") in (None, "") and not re.search(r"\b(19|20)\d\d\b", str(f.get("bron") or "")):
            problemen.append(f"figuur '{naam}' ({bestand}): jaar ontbreekt in het bijschrift")
    return problemen


def check_demo(resultaten: Iterable[Any], bronnen_demo: bool | None) -> tuple[bool, list[str]]:
    """Whether the publication is a demo edition, and problems with inconsistent demo flags.

    Demo when the processed data (``bronnen.json``) or any contributing ``uitvoer.json`` says
    so. Then every ``uitvoer.json`` must carry ``"demo": true`` — otherwise its figures may lack
    the watermark and fictitious figures could pass for real ones.
    """
    resultaten = list(resultaten)
    vlaggen = [r.demo for r in resultaten]
    demo = bool(bronnen_demo) or any(v is True for v in vlaggen)
    problemen = []
    if demo:
        for r in resultaten:
            if r.demo is not True:
                problemen.append(
                    f"{r.index}: de demovlag ontbreekt of staat uit (demo = {r.demo!r}), terwijl "
                    "de publicatie op fictieve demonstratiedata is gebouwd; voer het notebook "
                    "opnieuw uit zodat figuren het watermerk dragen")
    return demo, problemen


def _zonder_citaten(tekst: str) -> str:
    """Text with quotations removed: block quotes and text between quotation marks."""
    tekst = "\n".join(r for r in tekst.splitlines() if not r.lstrip().startswith(">"))
    for patroon in (r"“[^”]*”", r"„[^”“]*[”“]", r"‘[^’]*’", r'"[^"\n]*"', r"«[^»]*»"):
        tekst = re.sub(patroon, " ", tekst)
    return tekst


def _find(termen: Iterable[str], tekst: str) -> list[str]:
    gevonden = []
    for t in termen:
        m = re.search(rf"(?<![\w-])(?:{t})(?![\w-])", tekst, re.I)
        if m:
            gevonden.append(m.group(0))
    return gevonden


def check_stigma(teksten: dict[str, str], termen: Iterable[str]) -> list[str]:
    """Stigmatising labels in the publication's own voice (``teksten``: where -> text).

    Quotations (block quotes, text between quotation marks) are allowed.
    """
    problemen = []
    termen = list(termen)
    for waar, tekst in teksten.items():
        for hit in _find(termen, _zonder_citaten(tekst or "")):
            problemen.append(f"{waar}: stigmatiserend label '{hit}' in de eigen tekst van de "
                             "publicatie; beschrijf het gebied zonder label (citaten mogen wel)")
    return problemen


def check_causaal(teksten: dict[str, str], termen: Iterable[str]) -> list[str]:
    """Causal wording in generated template sentences (``teksten``: where -> sentence)."""
    problemen = []
    termen = list(termen)
    for waar, tekst in teksten.items():
        for hit in _find(termen, tekst or ""):
            problemen.append(f"{waar}: causale formulering '{hit}' in een gegenereerde zin over "
                             "indicatoren; de monitor toont samenhang, geen oorzaak")
    return problemen


class _HtmlLezer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.koppen: list[tuple[int, str]] = []
        self.afbeeldingen: list[dict] = []
        self.links: list[str] = []
        self.scripts_body = 0
        self.banners = 0
        self._in_body = False
        self._kop: int | None = None
        self._koptekst: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "body":
            self._in_body = True
        elif tag == "script" and self._in_body:
            self.scripts_body += 1
        elif tag == "img":
            self.afbeeldingen.append(a)
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "div" and "demo-banner" in (a.get("class") or "").split():
            self.banners += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self._kop = int(tag[1])
            self._koptekst = []

    def handle_endtag(self, tag: str) -> None:
        if self._kop is not None and tag == f"h{self._kop}":
            self.koppen.append((self._kop, " ".join("".join(self._koptekst).split())))
            self._kop = None

    def handle_data(self, data: str) -> None:
        if self._kop is not None:
            self._koptekst.append(data)


def read_html(html_tekst: str) -> _HtmlLezer:
    """Parse a rendered HTML page (lang, headings, images, links, scripts, demo banners)."""
    lezer = _HtmlLezer()
    # embedded images (base64 data URIs, megabytes) carry no markup: shorten before parsing
    lezer.feed(_DATA_URI.sub(lambda m: m.group(1) + "…", html_tekst))
    return lezer


def kopvolgorde(koppen: list[tuple[int, str]]) -> list[str]:
    """Problems with the heading order: one h1 first, and no level skipped going down."""
    problemen = []
    if not koppen or koppen[0][0] != 1:
        problemen.append("de pagina begint niet met één kop van niveau 1 (h1)")
    if sum(1 for k, _ in koppen if k == 1) > 1:
        problemen.append("de pagina heeft meer dan één kop van niveau 1 (h1)")
    vorige = 0
    for niveau, tekst in koppen:
        if niveau > vorige + 1:
            problemen.append(f"kop '{tekst}' (h{niveau}) slaat een niveau over na h{vorige}")
        vorige = niveau
    return problemen


def check_html(html_tekst: str, *, pagina: str, map: Path, demo: bool,
                    vrije_teksten: Iterable[str] = (), scripts_toegestaan: bool = False) -> list[str]:
    """Check a rendered HTML page as a reader gets it.

    ``lang="nl"``; heading order; every image embedded as a data URI or an existing file; every
    relative link resolves under ``map``; the demo banner present when ``demo``; no free text
    with markup appearing unescaped; no ``<script>`` in the body (``scripts_toegestaan`` for
    Quarto's own scripts).
    """
    lezer = read_html(html_tekst)
    problemen = []
    if lezer.lang != "nl":
        problemen.append(f"{pagina}: het html-element heeft lang={lezer.lang!r} in plaats van 'nl'")
    problemen += [f"{pagina}: {p}" for p in kopvolgorde(lezer.koppen)]
    for img in lezer.afbeeldingen:
        src = img.get("src") or ""
        if not src.startswith("data:") and not (map / src).is_file():
            problemen.append(f"{pagina}: afbeelding '{src[:80]}' ontbreekt (gebroken afbeelding)")
        if not (img.get("alt") or "").strip():
            problemen.append(f"{pagina}: afbeelding zonder alt-tekst")
    for href in lezer.links:
        if re.match(r"^(https?:|mailto:|#|data:)", href):
            continue
        if not (map / href.split("#")[0]).exists():
            problemen.append(f"{pagina}: link '{href}' verwijst naar een ontbrekend bestand")
    if demo and lezer.banners < 1:
        problemen.append(f"{pagina}: de banner 'fictieve demonstratiedata' ontbreekt")
    if lezer.scripts_body and not scripts_toegestaan:
        problemen.append(f"{pagina}: de pagina bevat {lezer.scripts_body} <script>-element(en) "
                         "in de inhoud")
    for t in vrije_teksten:
        if re.search(r"[<>&]", t) and t in html_tekst:
            problemen.append(f"{pagina}: vrije tekst staat onge-escapet in de HTML: {t[:60]!r}")
    return problemen
