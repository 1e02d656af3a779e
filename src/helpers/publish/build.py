"""Generate the Quarto sources (``.qmd``) of the publication and the factsheets with jinja2.

:func:`build_bronnen` writes into a build folder (``reports/_gegenereerd/``, git-ignored):
``publiekssamenvatting.qmd``, ``factsheet-<id>.qmd`` per area, ``figuren/<notebook>/`` (copies
of the figures), ``assets/`` (CSS, typst template, Lua filter), ``_quarto.yml`` and, for demo
editions, ``_banner.html`` / ``_banner.typ``. Templates: ``reports/*.qmd.j2``; narrative:
``reports/teksten/*.md``. It also runs every content guard (:mod:`helpers.publish.guards`)
and the subset check, and raises one :class:`PublicationGuardError` listing all problems.
"""

from __future__ import annotations

import html
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers.core import nl
from helpers.core.provenance import DEMO_LABEL
from helpers.kit.output import GEEN_GEGEVENS_TEKST
from helpers.publish import chapters, factsheet, guards, layout
from helpers.publish.content import BRON_REPORTS, Resultaat, load_tekst
from helpers.publish.edition import AANNAMES_DOWNLOAD, XLSX_DOWNLOAD, write_quarto_project
from helpers.publish.subset import subset_problemen
from helpers.publish.veiligheid import tekst_problemen
from helpers.registers.indicatoren import load_indicatoren
from helpers.runner.absent import build_bronnenlijst, build_melding


@dataclass
class Bouw:
    """What :func:`build_bronnen` produced: the sources and what the later steps need."""

    map: Path
    documenten: dict[str, Path]  # output stem -> .qmd
    demo: bool
    tabellen: list[dict] = field(default_factory=list)  # download entries
    vrije_teksten: list[str] = field(default_factory=list)
    waarschuwingen: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # area/indicator id -> reader label
    verborgen: list[str] = field(default_factory=list)  # column patterns left out of the body


def download_naam(notebook: str, tabel: str) -> str:
    """Relative path of a table's CSV download (from ``reports/_output/``)."""
    veilig = re.sub(r"[^A-Za-z0-9_-]+", "-", f"{notebook}-{tabel}")
    return f"downloads/{veilig}.csv"


def banner_html() -> str:
    """The sticky demo banner at the top of every HTML page (our markup, not content)."""
    return (f'<div class="demo-banner" role="region" aria-label="Let op">Let op: {html.escape(DEMO_LABEL)}. '
            "De cijfers en figuren zijn verzonnen en zeggen niets over de echte gebieden."
            "</div>\n")


def banner_typst() -> str:
    """Typst page header with the demo banner: repeated on every page of the PDF."""
    tekst = (f"Let op: {DEMO_LABEL}. De cijfers en figuren zijn verzonnen en zeggen niets over "
             "de echte gebieden.")
    return ('#set page(header: block(width: 100%, fill: rgb("#b00020"), inset: 6pt, radius: 2pt)'
            f'[#text(fill: white, weight: "bold", size: 8.5pt)[{tekst}]])\n')


def _per_gebied(naam: str, ids: list[str]) -> str | None:
    for gid in ids:
        if naam.endswith("_" + gid) or naam.endswith("-" + gid):
            return gid
    return None


class _Teller:
    def __init__(self) -> None:
        self.figuur = 0
        self.tabel = 0


def _figuur_blok(r: Resultaat, naam: str, meta: dict, build: Path, teller: _Teller,
                 breedte: str | None = None) -> str:
    bestand = str(meta["bestand"])
    doel = build / "figuren" / r.gebied / r.notebook / bestand
    if not doel.exists() and r.pad(bestand).is_file():  # a missing file is a guard problem
        doel.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(r.pad(bestand), doel)
    teller.figuur += 1
    return layout.figuur(doel.relative_to(build).as_posix(), nummer=teller.figuur,
                         titel=meta.get("titel") or naam, bron=meta.get("bron") or "",
                         jaar=meta.get("jaar"), alt=meta.get("alt") or "", breedte=breedte)


def _tabel_blok(r: Resultaat, naam: str, meta: dict, df: Any, teller: _Teller,
                bouw: Bouw, filter_kolom: str | None = None, max_rijen: int = 40,
                kolommen: list[str] | None = None, koppen: dict[str, str] | None = None) -> str:
    teller.tabel += 1
    titel = f"Tabel {teller.tabel}. {meta.get('titel') or naam}"
    download = download_naam(r.notebook, naam)
    if len(df) > max_rijen and guards.verhaal_kolom(df) is None:
        # named as the list of downloads names it: the reader title, not the file
        leestitel = layout.md_tekst(meta.get("titel") or naam)
        return (f"**{layout.md_tekst(titel)}** (bron: {layout.md_tekst(meta.get('bron') or '')}). "
                f"Deze tabel telt {nl.getal(len(df))} rijen. Zo'n lange tabel staat alleen in "
                f"de downloads, onder de titel '{leestitel}': [{leestitel} (CSV)]({download}).")
    tekst_kolom = guards.verhaal_kolom(df)
    if tekst_kolom is not None:
        bouw.vrije_teksten += [str(v) for v in df[tekst_kolom].dropna()]
        titel_kolom = next((c for c in df.columns if str(c).lower() in ("titel", "kop")), None)
        kop = f"**{layout.md_tekst(titel)}** (bron: {layout.md_tekst(meta.get('bron') or '')})"
        return kop + "\n\n" + layout.verhalen(df, tekst_kolom, titel_kolom)
    for c in df.columns:
        if df[c].dtype == object:
            bouw.vrije_teksten += [str(v) for v in df[c].dropna()]
    toon = df.drop(columns=[filter_kolom]) if filter_kolom else df
    toon = layout.build_lezerslabels(toon, bouw.labels)
    if kolommen is None and bouw.verborgen:  # technical columns stay in the downloads only
        kolommen = [c for c in toon.columns
                    if not any(re.search(p, str(c), re.I) for p in bouw.verborgen)]
    return layout.pipe_tabel(toon, titel=titel, bron=meta.get("bron") or "",
                             n_kolom=meta.get("n_kolom"), min_n=meta.get("min_n"),
                             n_uitleg=meta.get("n_uitleg"), download=download, kolommen=kolommen,
                             koppen={**bouw.labels, **(koppen or {})})


def _check_resultaat(r: Resultaat, tabellen: dict[str, Any], cfg: dict,
                          vrijgegeven: set[str] | None) -> list[str]:
    problemen = []
    bestand = str(r.index)
    problemen += guards.check_figuren(r.figuren, r.map, bestand=bestand)
    problemen += guards.check_kerncijfers(r.kerncijfers, bestand=bestand)
    for naam, df in tabellen.items():
        meta = r.tabellen[naam]
        problemen += guards.check_onderdrukking(
            df, naam=naam, bestand=bestand, n_kolom=meta.get("n_kolom"), min_n=meta.get("min_n"))
        problemen += guards.check_privacy(
            df, naam=naam, bestand=bestand, respondent_kolommen=cfg["respondent_kolommen"],
            vrijgegeven=vrijgegeven)
    problemen += guards.check_causaal(
        {f"{bestand}, tekst '{k}'": v for k, v in r.teksten.items()}, cfg["causaal"])
    eigen = {f"{bestand}, tekst '{k}'": v for k, v in r.teksten.items()}
    for soort in ("figuren", "tabellen"):
        for k, m in getattr(r, soort).items():
            eigen[f"{bestand}, {soort} '{k}' (titel/alt)"] = " ".join(
                str(m.get(x) or "") for x in ("titel", "alt"))
    for k, m in r.kerncijfers.items():
        eigen[f"{bestand}, kerncijfer '{k}'"] = str(m.get("label") or "")
    problemen += guards.check_stigma(eigen, cfg["stigmatiserend"])
    return problemen


def build_geen_gegevens_blok(leeg: list[Resultaat], deels: bool = False) -> str:
    """The plain statement that this edition has no data for (part of) a chapter or section.

    ``leeg``: the results with status ``geen gegevens``; ``deels``: other notebooks of the same
    chapter do have data (their figures and tables follow). Replaces the researcher text of the
    chapter, which states findings that this edition cannot show.
    """
    labels: list[str] = []
    for r in leeg:
        labels += [b for b in r.ontbrekende_bronnen if b not in labels]
    if not deels:
        return (f"**Geen gegevens in deze editie.** {layout.md_tekst(build_melding(labels))} "
                "Daarom staan hier geen bevindingen.")
    titels = [str(r.data.get("titel") or r.notebook) for r in leeg]
    return (f"**Voor een deel van dit hoofdstuk heeft deze editie geen gegevens** "
            f"({layout.md_tekst('; '.join(titels))}). "
            f"{layout.md_tekst(build_bronnenlijst(labels))} De beschrijving "
            "van de bevindingen is daarom weggelaten; hieronder staan alleen de cijfers die in "
            "deze editie wel beschikbaar zijn.")


def build_geen_gegevens_secties(leeg: list[Resultaat], secties: list[dict],
                                notebooks: list[str]) -> list[dict]:
    """The sections of a chapter some of whose notebooks have no data in this edition.

    All of them without data: one section with the plain statement only. Some: the statement,
    then only the generated blocks (figures, tables from the notebooks with data), never the
    researchers' text, which states findings this edition cannot show.
    """
    deels = len(leeg) < len(notebooks)
    blokken = [b for s in secties for b in s["blokken"] if b != chapters.GEEN_CIJFERS] \
        if deels else []
    return [{"kop": "", "tekst": build_geen_gegevens_blok(leeg, deels=deels),
             "blokken": blokken}]


def _bronnen_tabel(bronnen: dict) -> str:
    import pandas as pd

    rijen = [{"bestand": Path(str(b.get("pad", ""))).name, "formaat": b.get("formaat"),
              "jaar": b.get("jaar"), "rijen": b.get("rijen"),
              "sha256": str(b.get("sha256") or "")[:12],
              "demo": "ja" if b.get("demo") else "nee"}
             for b in bronnen.get("bestanden", [])]
    if not rijen:
        return "Er zijn nog geen verwerkte bronbestanden (voer `wijkmonitor build` uit)."
    df = pd.DataFrame(rijen)
    return layout.pipe_tabel(df, titel="Ingelezen bronbestanden met jaargang en controlegetal",
                             bron="data/processed/bronnen.json")


def build_colofon(cfg: dict, datum: str) -> str:
    """The colofon for readers, from ``colofon`` in ``params/publicatie.yml`` only: publisher,
    edition date, terms of re-use, sources and contact (no file names, hashes or commits)."""
    c = cfg.get("colofon") or {}
    regels = [f"- **Uitgever:** {layout.md_tekst(c.get('uitgever') or cfg.get('uitgever') or '')}"]
    if c.get("plaats"):
        regels[0] += f", {layout.md_tekst(c['plaats'])}"
    regels.append(f"- **Datum van deze editie:** {layout.md_tekst(datum)}")
    if c.get("hergebruik"):
        regels.append(f"- **Hergebruik:** {layout.md_tekst(c['hergebruik'])}")
    if c.get("bronnen"):
        regels.append("- **Bronnen:** " + "; ".join(layout.md_tekst(b) for b in c["bronnen"]) + ".")
    if c.get("contact"):
        regels.append(f"- **Contact:** {layout.md_tekst(c['contact'])}")
    return "\n".join(regels)


def _notebooks_lijst(resultaten: list[Resultaat], manifest: dict) -> str:
    regels = []
    for r in resultaten:
        info = manifest.get(f"{r.gebied}/{r.notebook}") if isinstance(manifest, dict) else None
        extra = ""
        if isinstance(info, dict):
            stukken = [f"{label} {layout.md_tekst(str(info[k])[:k_len])}"
                       for k, label, k_len in (("eind", "uitgevoerd", 16), ("git_commit", "commit", 7),
                                               ("status", "status", 20))
                       if info.get(k)]
            extra = f" ({', '.join(stukken)})" if stukken else ""
        regels.append(f"- {layout.md_tekst(r.notebook)} (gebied {layout.md_tekst(r.gebied)}){extra}")
    return "\n".join(regels) or "Nog geen notebookuitvoer."


def build_bronnen(
    *,
    cfg: dict,
    resultaten: dict[str, Resultaat],
    build: Path,
    gebieden: list[tuple[str, str]],
    bronnen: dict,
    manifest: dict | None = None,
    datum: Any = None,
    editie: str = "",
    renderer: str = "",
    afbakening: dict[str, str] | None = None,
    teksten_map: Path | None = None,
    sjablonen: Path | None = None,
    vrijgegeven: set[str] | None = None,
    gemeenten: dict[str, str] | None = None,
) -> Bouw:
    """Check all content and write the ``.qmd`` sources into ``build`` (emptied first).

    ``resultaten``: the ``alle`` results by notebook; ``gebieden``: ``[(id, naam)]``;
    ``bronnen``: ``bronnen.json`` content; ``afbakening``: area id -> registry note;
    ``vrijgegeven``: released story texts (:func:`helpers.publish.guards.vrijgegeven_verhalen`);
    ``gemeenten``: area id -> name of its municipality (factsheet header).
    Raises :class:`PublicationGuardError` listing every problem; nothing is rendered then.
    """
    import datetime as dt

    import jinja2


    sjablonen = sjablonen or BRON_REPORTS
    datum_tekst = nl.datum(datum or dt.date.today())
    if build.exists():
        shutil.rmtree(build)
    build.mkdir(parents=True)
    shutil.copytree(sjablonen / "assets", build / "assets")
    write_quarto_project(build, sjablonen)

    demo, problemen = guards.check_demo(resultaten.values(), bronnen.get("demo") if bronnen else None)
    bouw = Bouw(map=build, documenten={}, demo=demo)
    ids = [g for g, _ in gebieden]
    bouw.labels = {i.id: i.label for i in load_indicatoren()} | dict(gebieden)

    bouw.verborgen = list(cfg.get("verborgen_kolommen") or [])
    titels: dict[str, str] = cfg.get("tabeltitels") or {}
    tabellen: dict[str, dict[str, Any]] = {}
    for nb, r in resultaten.items():
        for naam, meta in r.tabellen.items():  # reader titles from params/publicatie.yml
            if f"{nb}/{naam}" in titels:
                meta["titel"] = titels[f"{nb}/{naam}"]
        tabellen[nb] = {naam: r.load_tabel(naam) for naam in r.tabellen}
        problemen += _check_resultaat(r, tabellen[nb], cfg, vrijgegeven)

    max_rijen = int(cfg.get("max_rijen_tabel", 40))
    tabelkolommen: dict[str, list[str]] = cfg.get("tabelkolommen") or {}
    koppen: dict[str, str] = cfg.get("kolomkoppen") or {}
    eigen_teksten: dict[str, str] = {}
    teller = _Teller()

    def notebook_tabel(r: Resultaat, naam: str, meta: dict, df: Any) -> str:
        if guards.verhaal_kolom(df) is None and not any(
                t["notebook"] == r.notebook and t["naam"] == naam for t in bouw.tabellen):
            bouw.tabellen.append({"notebook": r.notebook, "naam": naam, "meta": meta, "df": df,
                                  "download": download_naam(r.notebook, naam)})
        return _tabel_blok(r, naam, meta, df, teller, bouw, max_rijen=max_rijen,
                           kolommen=tabelkolommen.get(f"{r.notebook}/{naam}"), koppen=koppen)

    def lezerstabel(df: Any, *, titel: str, bron: str, koppen: dict[str, str] | None = None,
                    legenda: str | None = None) -> str:
        teller.tabel += 1
        return layout.pipe_tabel(df, titel=f"Tabel {teller.tabel}. {titel}", bron=bron,
                                 koppen=koppen, legenda=legenda)

    bron_blokken = chapters.Bronnen(
        resultaten=resultaten, tabellen=tabellen, labels=bouw.labels,
        figuur=lambda r, naam, meta: _figuur_blok(r, naam, meta, build, teller),
        tabel=notebook_tabel, lezerstabel=lezerstabel, teksten=teksten_map)
    bouwstenen = list(cfg.get("bouwstenen") or [])
    hoofdstukken = []
    for h in cfg["hoofdstukken"]:
        tekst = load_tekst(h["tekst"], teksten_map)
        eigen_teksten[f"reports/teksten/{h['tekst']}"] = tekst
        for nb in h["notebooks"]:
            if nb not in resultaten:
                bouw.waarschuwingen.append(f"uitvoer van notebook {nb} ontbreekt (hoofdstuk "
                                           f"'{h['titel']}')")
        leeg = [resultaten[nb] for nb in h["notebooks"]
                if nb in resultaten and resultaten[nb].geen_gegevens]
        hh, gezien = h, len(bron_blokken.waarschuwingen)
        if leeg and len(leeg) == len(h["notebooks"]):  # no blocks at all: only check the text
            hh = {**h, "secties": [*(h.get("secties") or []), *(h.get("blokken") or {})],
                  "blokken": {}}
        secties, fout = chapters.build_hoofdstuk(hh, tekst, bron_blokken, bouwstenen=bouwstenen,
                                                 bron=f"reports/teksten/{h['tekst']}")
        problemen += fout
        if hh is not h:  # its missing numbers are no news: the chapter says it has no data
            del bron_blokken.waarschuwingen[gezien:]
        if leeg:  # the researcher text states findings this edition has no data for
            secties = build_geen_gegevens_secties(leeg, secties, h["notebooks"])
        hoofdstukken.append({"id": h["id"], "titel": layout.md_tekst(h["titel"]),
                             "secties": secties})
    # every notebook table not shown in a chapter goes to the annex "Tabellen" (stories never:
    # only the ones chosen by the stated rule are published)
    bijlage = []
    for h in cfg["hoofdstukken"]:
        blokken = []
        for nb in h["notebooks"]:
            r = resultaten.get(nb)
            if r is None or r.geen_gegevens:
                continue
            for naam, meta in r.tabellen.items():
                df = tabellen[nb][naam]
                if (nb, naam) in bron_blokken.geplaatst or guards.verhaal_kolom(df) is not None:
                    continue
                bron_blokken.geplaatst.add((nb, naam))
                blokken.append(notebook_tabel(r, naam, meta, df))
        if blokken:
            bijlage.append({"titel": layout.md_tekst(h["titel"]), "blokken": blokken})
    bouw.waarschuwingen += bron_blokken.waarschuwingen

    verantwoording_tekst = load_tekst("publicatie_verantwoording.md", teksten_map)
    eigen_teksten["reports/teksten/publicatie_verantwoording.md"] = verantwoording_tekst
    downloads = [f"- [Alle tabellen als Excel-bestand (XLSX)]({XLSX_DOWNLOAD})"]
    downloads += [f"- [{layout.md_tekst(t['meta'].get('titel') or t['naam'])} (CSV)]({t['download']})"
                  for t in bouw.tabellen]
    colofon = {
        "tekst": build_colofon(cfg, datum_tekst),
        "downloads": "\n".join(downloads),
    }
    verantwoording = {
        "tekst": verantwoording_tekst,
        "bronnen": _bronnen_tabel(bronnen or {}),
        "notebooks": _notebooks_lijst(list(resultaten.values()), manifest or {}),
        "aannames": AANNAMES_DOWNLOAD,
        "editie": layout.md_tekst(editie or "zonder nummer"),
        "renderer": layout.md_tekst(renderer or "onbekend"),
    }
    # Front matter values are parsed by pandoc/Quarto as markdown (raw HTML allowed): registry
    # values enter them only as escaped inert text (layout.md_tekst), never as they are.
    context = {"titel": layout.md_tekst(cfg["titel"]),
               "ondertitel": layout.md_tekst(cfg.get("ondertitel", "")),
               "datum": layout.md_tekst(datum_tekst), "demo": demo, "hoofdstukken": hoofdstukken,
               "colofon": colofon, "verantwoording": verantwoording, "bijlage": bijlage}

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(sjablonen)),
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             autoescape=False)
    teksten: dict[str, str] = {"publiekssamenvatting": env.get_template(
        "publiekssamenvatting.qmd.j2").render(**context)}

    fs_tekst = load_tekst(cfg["factsheet"]["tekst"], teksten_map)
    eigen_teksten[f"reports/teksten/{cfg['factsheet']['tekst']}"] = fs_tekst
    fs_sjabloon = env.get_template("factsheet.qmd.j2")
    fs = cfg["factsheet"]
    kern_nb, _, kern_tabel = str(fs.get("tabel") or "10_indicatorbasis/kerncijfers_per_gebied"
                                 ).partition("/")
    r_kern = resultaten.get(kern_nb)
    df_kern = tabellen.get(kern_nb, {}).get(kern_tabel)
    if r_kern is not None and df_kern is not None:
        bouw.tabellen.append({"notebook": kern_nb, "naam": kern_tabel,
                              "meta": r_kern.tabellen[kern_tabel], "df": df_kern,
                              "download": download_naam(kern_nb, kern_tabel)})
    for gid, naam in gebieden:
        fteller = _Teller()
        eigen_zinnen = {k: t for k, t in (r_kern.teksten.items() if r_kern else [])
                        if _per_gebied(k, ids) == gid}
        zinnen = [layout.md_alinea(t) for k, t in eigen_zinnen.items()
                  if not k.startswith(GEEN_GEGEVENS_TEKST)]
        ontbrekend = [layout.md_alinea(t) for k, t in eigen_zinnen.items()
                      if k.startswith(GEEN_GEGEVENS_TEKST)]
        figs = factsheet.build_figuren(
            r_kern, gid, list(fs.get("figuren") or []),
            lambda r, n, m, t=fteller: _figuur_blok(r, n, m, build, t, breedte="26%"),
            bevinding=factsheet.build_bevinding(df_kern, gid, naam, (gemeenten or {}).get(gid, "")))
        kerntabel = (factsheet.build_kerntabel(
            df_kern, gid, list(fs.get("indicatoren") or []),
            titel="Kerncijfers van het gebied, de rest van de gemeente en Nederland",
            bron=(r_kern.tabellen[kern_tabel].get("bron") or "") if r_kern else "")
            if df_kern is not None else factsheet.GEEN_KERNCIJFERS)
        if r_kern is not None and r_kern.geen_gegevens:
            kerntabel = build_geen_gegevens_blok([r_kern])
        kerntabel = "\n\n".join([kerntabel, *ontbrekend])
        teksten[f"factsheet-{gid}"] = fs_sjabloon.render(
            naam=layout.md_tekst(naam),
            kop=factsheet.build_kop(df_kern, gid, (gemeenten or {}).get(gid, ""),
                                    str(fs.get("inwoners") or "inwoners")),
            datum=layout.md_tekst(datum_tekst), demo=demo, tekst=fs_tekst,
            afbakening=layout.md_alinea((afbakening or {}).get(gid, "")), zinnen=zinnen,
            figuren=figs, kerntabel=kerntabel, interventies=factsheet.build_interventies(gid))

    problemen += guards.check_stigma(eigen_teksten, cfg["stigmatiserend"])
    for stam, tekst in teksten.items():
        problemen += subset_problemen(tekst, f"{stam}.qmd")
    for naam, tekst in eigen_teksten.items():
        problemen += subset_problemen(tekst, naam)
        problemen += tekst_problemen(tekst, naam)  # the strict subset, on pandoc's AST
    guards.refuse(problemen)

    if demo:
        (build / "_banner.html").write_text(banner_html(), encoding="utf-8")
        (build / "_banner.typ").write_text(banner_typst(), encoding="utf-8")
    for stam, tekst in teksten.items():
        pad = build / f"{stam}.qmd"
        pad.write_text(tekst, encoding="utf-8")
        bouw.documenten[stam] = pad
    return bouw
