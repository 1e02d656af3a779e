"""The edition record (``editie.json``) and the downloads (CSV, XLSX with metadata sheet).

``reports/_output/editie.json``::

    {"editie": "2026-12-02T03:10:00+00:00/ab12cd3", "datum": "2026-12-02", "demo": true,
     "code": {"commit": "...", "gewijzigd": false},
     "renderer": {"naam": "pandoc+typst", "pandoc": "3.6.1", "typst": "0.15.2"},
     "parameters": {"publicatie_yml_sha256": "...", "gebieden": [...], "notebooks": [...]},
     "bronnen": [{"pad": ..., "sha256": ..., "formaat": ..., "jaar": ..., "demo": ...}],
     "notebookuitvoer": [{"gebied": "alle", "notebook": ..., "bestand": "uitvoer.json",
                          "sha256": ..., "demo": ..., "bestanden": {"<file>": "<sha256>"}}],
     "uitvoer": {"publiekssamenvatting.html": "<sha256>", ...}}
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from helpers.core import config
from helpers.core.errors import InputError, WijkmonitorError
from helpers.core.io import move_into_place, write_json, write_table
from helpers.core.provenance import DEMO_LABEL
from helpers.publish import codeboek
from helpers.registers.indicatoren import load_indicatoren

METADATA_BLAD = "Metadata"
AANNAMES_DOWNLOAD = "downloads/aannames-en-kanttekeningen.md"
XLSX_DOWNLOAD = "downloads/publiekssamenvatting-tabellen.xlsx"


def sha256(path: Path) -> str:
    """SHA-256 hex digest of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for blok in iter(lambda: fh.read(1 << 20), b""):
            h.update(blok)
    return h.hexdigest()


def write_quarto_project(build: Path, bron: Path) -> None:
    """Copy the Quarto project file into the build folder (used by the Quarto path)."""
    shutil.copy2(bron / "_quarto.yml", build / "_quarto.yml")


def code_commit(root: Path | None = None) -> dict:
    """The git commit of the code and whether the working tree has changes (best effort)."""
    root = root or config.ROOT
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                                text=True, timeout=10, check=True).stdout.strip()
        status = subprocess.run(["git", "status", "--porcelain", "--", "src", "params",
                                 "reports", "notebooks"], cwd=root, capture_output=True,
                                text=True, timeout=10, check=True).stdout
        return {"commit": commit, "gewijzigd": bool(status.strip())}
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "gewijzigd": None}


def attributie(bron: str, regels: list[dict]) -> str:
    """The attribution line of a table (``Bron: CBS`` / ``Bron: Leefbaarometer 3.0 (BZK)``)."""
    for r in regels:
        if re.search(r["patroon"], bron or "", re.I):
            return r["tekst"]
    return f"Bron: {bron}" if bron else "Bron: wijkmonitor"


def write_downloads(tabellen: list[dict], out: Path, cfg: dict, *, demo: bool,
                      editie: str, aannames: Path | None = None) -> list[Path]:
    """Write every publication table as CSV plus one XLSX with a metadata sheet into ``out``.

    ``tabellen``: entries with ``notebook``, ``naam``, ``meta`` (uitvoer.json table metadata),
    ``df`` and ``download`` (relative path under ``out``). CSVs keep the machine-readable
    point decimal (UTF-8); the XLSX carries title, attribution and the demo label per sheet.
    Column headers are the reader labels of the publication (with the unit where a column has
    one); the sheet ``Codeboek`` (and ``downloads/codeboek.csv``) lists per column its id,
    label, unit and source (:mod:`helpers.publish.codeboek`).
    Every file goes through :func:`helpers.core.io.write_table`: numbers stay numbers, text
    that a spreadsheet would read as a formula is neutralised, no XLSX cell is a formula.
    """
    import pandas as pd

    geschreven: list[Path] = []
    (out / "downloads").mkdir(parents=True, exist_ok=True)
    indicatoren = list(load_indicatoren())
    labels = {i.id: i.label for i in indicatoren}
    eenheden = {i.id: i.eenheid for i in indicatoren}
    kolomkoppen = dict(cfg.get("kolomkoppen") or {})
    meta_rijen = []
    lezers: list[Any] = []
    codes: list[dict] = []
    for t in tabellen:
        pad = out / t["download"]
        bron = str(t["meta"].get("bron") or "")
        koppen_t = codeboek.build_koppen(t["df"], koppen=kolomkoppen, labels=labels,
                                         eenheden=eenheden)
        df = codeboek.build_lezerstabel(t["df"], koppen_t)
        lezers.append((koppen_t, df))
        geschreven.append(write_table(pad, df))
        meta_rijen.append({
            "bestand": Path(t["download"]).name, "blad": "", "titel": t["meta"].get("titel") or t["naam"],
            "bron": bron, "attributie": attributie(bron, cfg.get("attributie", [])),
            "notebook": t["notebook"], "n_kolom": t["meta"].get("n_kolom") or "",
            "min_n": t["meta"].get("min_n") or "", "rijen": len(df),
            "demo": DEMO_LABEL if demo else "nee", "editie": editie,
        })
    bladen: dict[str, pd.DataFrame] = {}
    koppen: dict[str, list[str]] = {}
    for t, m, (koppen_t, df) in zip(tabellen, meta_rijen, lezers, strict=True):
        basis = re.sub(r"[\[\]:*?/\\]", "-", f"{t['notebook'][:3]}{t['naam']}")[:31]
        blad, volgnummer = basis, 0
        while blad.lower() in {b.lower() for b in bladen} | {METADATA_BLAD.lower(),
                                                             codeboek.CODEBOEK_BLAD.lower()}:
            volgnummer += 1
            blad = basis[:28] + f"{volgnummer:03d}"
        m["blad"] = blad
        koppen[blad] = [m["titel"], m["attributie"]] + ([f"Let op: {DEMO_LABEL}"] if demo else [])
        bladen[blad] = df
        codes += codeboek.build_codeboek(blad, t["df"], koppen_t, eenheden=eenheden, labels=labels,
                                         bron=m["attributie"])
    bladen[METADATA_BLAD] = pd.DataFrame(meta_rijen, columns=[
        "blad", "bestand", "titel", "bron", "attributie", "notebook", "n_kolom", "min_n", "rijen",
        "demo", "editie"])
    bladen[codeboek.CODEBOEK_BLAD] = pd.DataFrame(
        codes, columns=["blad", "kolom", "id", "label", "eenheid", "bron"])
    geschreven.append(write_table(out / XLSX_DOWNLOAD, bladen, koppen=koppen))
    geschreven.append(write_table(out / "downloads" / "codeboek.csv",
                                  bladen[codeboek.CODEBOEK_BLAD]))
    geschreven.append(write_table(out / "downloads" / "metadata.csv", pd.DataFrame(meta_rijen)))
    aannames = aannames or config.DOCS / "aqa" / "assumptions-caveats.md"
    doel = out / AANNAMES_DOWNLOAD
    if aannames.exists():
        shutil.copy2(aannames, doel)
    else:
        doel.write_text("# Aannames en kanttekeningen\n\nNog niet beschikbaar.\n", encoding="utf-8")
    geschreven.append(doel)
    return geschreven


def editie_record(*, editie: str, datum: str, demo: bool, renderer: dict, cfg_pad: Path,
                  resultaten: list[Any], bronnen: dict, gebieden: list[str],
                  parameters: dict, uitvoer: list[Path], out: Path) -> dict:
    """The content of ``editie.json`` (see the module docstring)."""
    nb_uitvoer = []
    for r in resultaten:
        bestanden = {}
        for soort in ("figuren", "tabellen"):
            for meta in getattr(r, soort).values():
                p = r.pad(str(meta.get("bestand", "")))
                if p.is_file():
                    bestanden[p.name] = sha256(p)
        nb_uitvoer.append({"gebied": r.gebied, "notebook": r.notebook, "bestand": "uitvoer.json",
                           "sha256": sha256(r.index), "demo": r.demo, "bestanden": bestanden,
                           "geen_gegevens": bool(getattr(r, "geen_gegevens", False))})
    return {
        "editie": editie,
        "datum": datum,
        "demo": demo,
        "code": code_commit(),
        "renderer": renderer,
        "parameters": {"publicatie_yml_sha256": sha256(cfg_pad) if cfg_pad.exists() else None,
                       "gebieden": gebieden, **parameters},
        "bronnen": [{k: b.get(k) for k in ("pad", "sha256", "formaat", "jaar", "rijen", "demo")}
                    for b in (bronnen or {}).get("bestanden", [])],
        "bronnen_aangemaakt": (bronnen or {}).get("aangemaakt"),
        "notebookuitvoer": nb_uitvoer,
        "uitvoer": {p.relative_to(out).as_posix(): sha256(p) for p in sorted(uitvoer)},
    }


def write_editie(record: dict, out: Path) -> Path:
    """Write ``editie.json`` into ``out``."""
    pad = out / "editie.json"
    pad.write_text(json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True),
                   encoding="utf-8")
    return pad


def select_gebied(gebieden: list[tuple[str, str]], focusgebied: str,
                  output: Path) -> list[tuple[str, str]]:
    """The one area ``gebied`` of ``gebieden`` for ``wijkmonitor render --gebied``.

    Raises :class:`InputError` (naming ``params/focusgebieden.yml``) for an unknown id and
    :class:`WijkmonitorError` when ``output`` holds no edition yet (a single factsheet is a
    refresh of an existing edition: it links to the publication and the downloads).
    """
    gekozen = [(g, n) for g, n in gebieden if g == focusgebied]
    if not gekozen:
        raise InputError(config.PARAMS / "focusgebieden.yml",
                         f"onbekend focusgebied '{focusgebied}'", column="id",
                         expected="een id uit params/focusgebieden.yml: "
                         + ", ".join(g for g, _ in gebieden))
    if not (Path(output) / "editie.json").is_file():
        raise WijkmonitorError(
            f"er is nog geen editie in {output}: maak eerst de hele publicatie met "
            "'wijkmonitor render' en ververs daarna één factsheet met --gebied")
    return gekozen


def update_editie(output: Path, tmp: Path, bestanden: list[Path], *, focusgebied: str, editie: str,
                  renderer: dict) -> list[Path]:
    """Move one refreshed factsheet (``bestanden`` in ``tmp``) into the edition in ``output``
    and record it in ``editie.json``: new hashes under ``uitvoer`` and an entry under
    ``verversingen`` (area, edition stamp, code commit, renderer). Returns the moved paths."""
    pad = Path(output) / "editie.json"
    record = json.loads(pad.read_text(encoding="utf-8"))
    verplaatst = []
    for p in bestanden:
        naam = p.relative_to(tmp).as_posix()
        record.setdefault("uitvoer", {})[naam] = sha256(p)
        verplaatst.append(move_into_place(p, Path(output) / naam))
    record.setdefault("verversingen", []).append({
        "gebied": focusgebied, "editie": editie, "code": code_commit(), "renderer": renderer,
        "bestanden": sorted(p.name for p in verplaatst)})
    write_json(pad, record)
    return verplaatst
