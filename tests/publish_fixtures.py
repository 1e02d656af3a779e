"""Hand-made notebook outputs (uitvoer.json + files) for the publishing tests.

Written with :class:`helpers.kit.output.Uitvoer` into a temporary ``runs`` folder, so the tests do
not depend on the notebooks. Three areas keep the fast tests fast; the slow test uses all 20.
"""

from __future__ import annotations

import json
from pathlib import Path

GEBIEDEN = [
    ("utrecht-overvecht", "Utrecht Overvecht"),
    ("rotterdam-zuid", "Rotterdam Zuid"),
    ("heerlen-noord", "Heerlen Noord"),
]
XSS = "<script>alert(1)</script>"


def _figuur(titel: str):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4, 2.5))
    ax.plot([2018, 2020, 2022], [3.8, 3.9, 3.95], color="#0072B2")
    ax.set_title(titel)
    ax.set_xlabel("jaar")
    ax.set_ylabel("score")
    return fig


def bipolen(min_n: int = 10):
    """A suppressed bipole table (helpers.core.privacy) with a small group of residents."""
    import pandas as pd

    from helpers.core.privacy import suppress_shares

    rijen = []
    for vraag in ("Gedeelde ambitie", "Bewonersbetrokkenheid"):
        for groep, n in (("alle", 120), ("bewoner", 6), ("gemeente", 40), ("programmabureau", 30),
                         ("uitvoerend", 44)):
            rijen.append({"vraag": vraag, "groep": groep, "n": n, "positief": 55.0,
                          "neutraal": 25.0, "negatief": 20.0})
    return suppress_shares(pd.DataFrame(rijen), by=["vraag"], min_n=min_n, signaal_n=30)


def make_runs(base: Path, *, gebieden=GEBIEDEN, demo: bool = True, verhaal: str = XSS,
              toestemming: bool = True, tekst: str | None = None) -> Path:
    """Write fixture outputs for 10_indicatorbasis, 20_procesevaluatie and 40_samenhang."""
    import matplotlib.pyplot as plt
    import pandas as pd

    from helpers.kit.output import Uitvoer

    runs = base / "runs"
    u = Uitvoer("alle", "10_indicatorbasis", demo=demo, base=runs)
    fig = _figuur("Leefbaarometer")
    u.figuur(fig, "dimensies_lbm", titel="Leefbaarometer-score in de focusgebieden",
             alt="Lijn die licht stijgt van 3,8 naar 3,95", bron="Leefbaarometer 3.0 (BZK)",
             jaar=2022)
    plt.close(fig)
    rijen = []
    for i, (gid, naam) in enumerate(gebieden):
        fig = _figuur(naam)
        u.figuur(fig, f"trend_lbm_{gid}", titel=f"Leefbaarometer {naam}",
                 alt=f"Trend van de leefbaarheid in {naam}", bron="Leefbaarometer 3.0 (BZK)",
                 jaar="2002-2022")
        plt.close(fig)
        rijen.append({"focusgebied": gid, "naam": naam, "indicator": "inwoners",
                      "label": "Aantal inwoners", "eenheid": "aantal", "jaar": 2024,
                      "waarde": 12345.0 + i * 1000, "gemeente_rest": 250000.0,
                      "nederland": 17900000.0, "basis": 12345 + i * 1000})
        rijen.append({"focusgebied": gid, "naam": naam, "indicator": "lbm",
                      "label": "Leefbaarometer", "eenheid": "score", "jaar": 2024,
                      "waarde": 3.912 + i / 100, "gemeente_rest": 4.1, "nederland": 4.2,
                      "basis": 500})
    u.tabel(pd.DataFrame(rijen), "kerncijfers_per_gebied", titel="Kerncijfers per focusgebied",
            bron="CBS Kerncijfers wijken en buurten 2024", n_kolom="basis", min_n=10)
    u.kerncijfer("inwoners", 1234567, label="Inwoners in de focusgebieden", eenheid="inwoners",
                 bron="CBS", jaar=2024)
    u.kerncijfer("lbm_focusgebieden", 3.9123, label="Leefbaarometer alle focusgebieden",
                 eenheid="score", bron="Leefbaarometer 3.0 (BZK)", jaar=2024)
    u.kerncijfer("lbm_nederland", 4.2, label="Leefbaarometer Nederland", eenheid="score",
                 bron="Leefbaarometer 3.0 (BZK)", jaar=2024)
    u.tekst("lbm", tekst or "De Leefbaarometer-score van de focusgebieden was in 2022 hoger "
            "dan in 2018; in dezelfde periode veranderde ook de samenstelling van de bevolking.")
    u.write()

    p = Uitvoer("alle", "20_procesevaluatie", demo=demo, base=runs)
    p.kerncijfer("positief_gedeelde_ambitie", 42.35, label="% positief: Gedeelde ambitie",
                 eenheid="%", bron="Vragenlijst procesevaluatie (Sprockler)", jaar=2025, decimalen=1)
    p.kerncijfer("positief_betrokkenheid", 61.0, label="% positief: Betrokkenheid", eenheid="%",
                 bron="Vragenlijst procesevaluatie (Sprockler)", jaar=2025)
    p.tabel(bipolen(), "bipolen", titel="Oordeel per bouwsteen en groep",
            bron="Vragenlijst procesevaluatie (Sprockler) 2025", n_kolom="n", min_n=10)
    verhalen = pd.DataFrame({"titel": ["Samen de buurt in", "Het buurthuis"],
                             "verhaal": [verhaal, "We kregen eindelijk ruimte voor ideeën & plannen."],
                             "rol": ["bewoner", "uitvoerend"],
                             "toestemming": [toestemming, True], "vrijgegeven": [True, True]})
    p.tabel(verhalen, "verhalen", titel="Verhalen van deelnemers",
            bron="Vragenlijst procesevaluatie (Sprockler) 2025")
    p.write()

    s = Uitvoer("alle", "40_samenhang", demo=demo, base=runs)
    s.kerncijfer("aandeel", 42.35, label="Aandeel interventies met effect op meer domeinen",
                 eenheid="%", bron="Interventieregister", jaar=2025, decimalen=1)
    s.write()
    return record_in_manifest(runs)


def record_in_manifest(runs: Path, notebooks=("10_indicatorbasis", "20_procesevaluatie", "40_samenhang"),
               variant: str | None = None, **parameters) -> Path:
    """Record the fixture outputs in ``runs/manifest.json`` as ``wijkmonitor run`` does: status,
    the parameters the runner would use now (plus ``parameters`` for a variant) and the sha256
    of every file in each output folder. Call again after editing an output on purpose."""
    from helpers.publish.integrity import expected_parameters
    from helpers.runner import manifest as mf

    verwacht = expected_parameters(list(notebooks), parameters or None)
    entries = {}
    for nb in notebooks:
        prefix = mf.variant_prefix(variant)
        entry = {"gebied": "alle", "notebook": nb, "status": "geslaagd", "variant": variant,
                 "variant_parameters": parameters or None, "parameters": verwacht[nb],
                 "parameters_hash": mf.json_hash(verwacht[nb]),
                 "uitvoer_map": f"{prefix}alle/{nb}", "ipynb": None, "html": None}
        entry["bestanden"] = mf.output_hashes(runs, entry)
        entries[mf.key("alle", nb, variant)] = entry
    mf.update_manifest(entries, runs)
    return runs


def make_bronnen(base: Path, demo: bool = True) -> Path:
    processed = base / "processed"
    processed.mkdir(parents=True, exist_ok=True)
    (processed / "bronnen.json").write_text(json.dumps({
        "demo": demo, "aangemaakt": "2026-12-02T02:00:00+00:00",
        "bestanden": [{"pad": "data/raw/kwb-2024-demo.csv", "sha256": "ab" * 32,
                       "formaat": "kwb-statline", "jaar": 2024, "rijen": 1000, "demo": demo},
                      {"pad": "data/raw/leefbaarometer-demo.csv", "sha256": "cd" * 32,
                       "formaat": "leefbaarometer-csv", "jaar": 2022, "rijen": 500, "demo": demo}],
    }), encoding="utf-8")
    return processed


def render_kwargs(base: Path, runs: Path, processed: Path, gebieden=GEBIEDEN) -> dict:
    import datetime as dt

    return {"runs": runs, "processed": processed, "output": base / "_output",
            "build": base / "_gegenereerd", "gebieden": list(gebieden),
            "afbakening": {g: f"Werkdefinitie van {n}." for g, n in gebieden},
            "datum": dt.date(2026, 12, 2), "jobs": 2}


# --- reading the HTML as a reader would: Debian chromium driven by playwright -------------------

AXE_REGELS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_pad() -> str:
    """Path of Debian's ``chromium`` (playwright's own browser download is not reachable).

    Skips the test where chromium, playwright or axe-playwright-python is missing — except in
    CI (``CI``/``WIJKMONITOR_CI``), where ``.ci/run`` installs chromium and a missing browser
    fails the test instead of hiding it."""
    import importlib.util
    import os
    import shutil

    import pytest

    ontbreekt = [m for m in ("playwright", "axe_playwright_python")
                 if importlib.util.find_spec(m) is None]
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        ontbreekt.append("chromium")
    if ontbreekt:
        melding = f"niet geïnstalleerd: {', '.join(ontbreekt)}"
        if os.environ.get("CI") or os.environ.get("WIJKMONITOR_CI"):
            pytest.fail(melding)
        pytest.skip(melding)
    return chromium


def axe_overtredingen(paginas: list[Path], breedte: int = 1280) -> dict[str, list[tuple[str, int]]]:
    """axe-core violations (WCAG 2.1 A/AA and best practice) per page: ``{naam: [(regel, n)]}``
    for the pages with at least one."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    uit: dict[str, list[tuple[str, int]]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_pad(), args=CHROMIUM_ARGS)
        try:
            pagina = browser.new_page(viewport={"width": breedte, "height": 900})
            for pad in paginas:
                pagina.goto(Path(pad).as_uri())
                uitslag = Axe().run(pagina, options={"runOnly": {"type": "tag",
                                                                  "values": AXE_REGELS}})
                fouten = [(v["id"], len(v["nodes"])) for v in uitslag.response["violations"]]
                if fouten:
                    uit[Path(pad).name] = fouten
        finally:
            browser.close()
    return uit


def paginabreedtes(paginas: list[Path], breedte: int) -> dict[str, int]:
    """``document.documentElement.scrollWidth`` of every page at a viewport of ``breedte`` px."""
    from playwright.sync_api import sync_playwright

    uit: dict[str, int] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_pad(), args=CHROMIUM_ARGS)
        try:
            pagina = browser.new_page(viewport={"width": breedte, "height": 900})
            for pad in paginas:
                pagina.goto(Path(pad).as_uri())
                uit[Path(pad).name] = pagina.evaluate("document.documentElement.scrollWidth")
        finally:
            browser.close()
    return uit


# --- the PDF as a tagged PDF/UA-1 document (pypdf) ---------------------------------------------


def structuur(pdf) -> list[dict]:
    """Every structure element of a pypdf reader as ``{"S": "/H1", "Alt": ...}``, depth first."""
    uit: list[dict] = []

    def loop(knoop) -> None:
        knoop = knoop.get_object()
        if not isinstance(knoop, dict):
            return
        if "/S" in knoop:
            uit.append({"S": str(knoop["/S"]), "Alt": knoop.get("/Alt")})
        kinderen = knoop.get("/K")
        for kind in kinderen if isinstance(kinderen, list) else [kinderen]:
            if kind is not None and hasattr(kind, "get_object"):
                loop(kind)

    loop(pdf.trailer["/Root"]["/StructTreeRoot"])
    return uit


def pdf_ua_problemen(pad: Path, *, titel: str) -> list[str]:
    """What a tagged PDF/UA-1 document lacks (empty list = fine)."""
    import re

    from pypdf import PdfReader

    pdf = PdfReader(pad)
    root = pdf.trailer["/Root"]
    problemen = []
    if not (root.get("/MarkInfo") or {}).get("/Marked"):
        problemen.append("niet getagd (MarkInfo/Marked ontbreekt)")
    if "/StructTreeRoot" not in root:
        return [*problemen, "geen structuurboom"]
    if not str(root.get("/Lang") or "").lower().startswith("nl"):
        problemen.append(f"taal {root.get('/Lang')!r} in plaats van nl")
    if titel not in str((pdf.metadata or {}).get("/Title") or ""):
        problemen.append(f"titel {(pdf.metadata or {}).get('/Title')!r} mist {titel!r}")
    if not (root.get("/ViewerPreferences") or {}).get("/DisplayDocTitle"):
        problemen.append("DisplayDocTitle staat niet aan")
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8") if "/Metadata" in root else ""
    if not re.search(r"pdfuaid:part(>|=\")1", xmp):
        problemen.append("geen PDF/UA-1-kenmerk (pdfuaid:part) in de XMP-metadata")
    elementen = structuur(pdf)
    soorten = {e["S"] for e in elementen}
    for nodig in ("/H1", "/P"):
        if nodig not in soorten:
            problemen.append(f"structuurelement {nodig} ontbreekt")
    for e in elementen:
        if e["S"] == "/Figure" and not str(e["Alt"] or "").strip():
            problemen.append("figuur zonder alternatieve tekst in de structuurboom")
    return problemen


# --- figures as placed in the edition: text size at print size and on screen (issue 14, point 5)

#: The smallest text of a placed figure, at print size (PDF) and on screen (CSS pt), in pt.
MIN_TEKST_PT = 8.0


def geplaatste_figuren(reports: Path, stam: str) -> list[dict]:
    """The figures of document ``stam`` (``publiekssamenvatting``, ``factsheet-<id>``) in
    document order: their ``uitvoer.json`` entry plus ``pad`` (the PNG as placed, in
    ``_gegenereerd/figuren``), from the generated markdown source."""
    import re

    bron = (reports / "_gegenereerd" / f"{stam}.qmd").read_text(encoding="utf-8")
    uit = []
    for rel in re.findall(r"\]\((figuren/[^)\s]+\.png)\)", bron):
        _, gebied, notebook, bestand = rel.split("/")
        index = json.loads((reports / "runs" / gebied / notebook / "uitvoer.json")
                           .read_text(encoding="utf-8"))
        naam, meta = next((n, m) for n, m in index["figuren"].items() if m["bestand"] == bestand)
        uit.append({**meta, "naam": f"{notebook}/{naam}",
                    "pad": reports / "_gegenereerd" / rel})
    return uit


def pdf_plaatsingen(pdf: Path, figuren: list[dict]) -> list[dict]:
    """Each figure of ``figuren`` (document order) with the width at which the PDF places it
    (``geplaatst_pt``, from the image objects of the pages, matched in order on pixel size) and
    ``drukmaat_pt``: its smallest text at print size = font size x placed width / own width."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c
    from PIL import Image

    beelden = []
    doc = pdfium.PdfDocument(pdf)
    for nr, pagina in enumerate(doc, start=1):
        for obj in pagina.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=8):
            links, _, rechts, _ = obj.get_bounds()
            beelden.append((nr, tuple(obj.get_px_size()), rechts - links))
    uit, i = [], 0
    for f in figuren:
        with Image.open(f["pad"]) as im:
            maat = im.size
        while i < len(beelden) and beelden[i][1] != maat:
            i += 1
        assert i < len(beelden), f"{pdf.name}: figuur {f['naam']} ({maat}) niet in de PDF"
        nr, _, breedte = beelden[i]
        i += 1
        uit.append({**f, "pagina": nr, "geplaatst_pt": round(breedte, 1),
                    "drukmaat_pt": round(f["kleinste_tekst_pt"] * breedte
                                         / (f["breedte_inch"] * 72), 2)})
    return uit


def html_plaatsingen(html: Path, figuren: list[dict], breedte: int) -> list[dict]:
    """Each figure of ``figuren`` with its width on screen in Chromium at a viewport of
    ``breedte`` px (``geplaatst_px``) and ``schermmaat_pt``: its smallest text in CSS pt
    (96 px = 72 pt) = font size x shown width / own width (96 px per inch)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_pad(), args=CHROMIUM_ARGS)
        try:
            pagina = browser.new_page(viewport={"width": breedte, "height": 900})
            pagina.goto(Path(html).as_uri())
            breedtes = pagina.evaluate(
                "Array.from(document.querySelectorAll('figure img'))"
                ".map(i => i.getBoundingClientRect().width)")
        finally:
            browser.close()
    assert len(breedtes) == len(figuren), (html.name, len(breedtes), len(figuren))
    return [{**f, "geplaatst_px": round(b, 1),
             "schermmaat_pt": round(f["kleinste_tekst_pt"] * b / (f["breedte_inch"] * 96), 2)}
            for f, b in zip(figuren, breedtes, strict=True)]
