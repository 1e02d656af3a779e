"""The demo edition as a reader gets it (issue 14, points 6 and 7): built as ``make demo`` builds
it (demo data, ingest, the publication's notebooks, render), then read in Debian's chromium
(axe-core at 1280 px, page width at 390 px) and with pypdf (tagged PDF/UA-1, page budget).

Slow: runs the notebooks of the publication (about ten minutes on two cores).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.core import config
from publish_fixtures import axe_overtredingen, paginabreedtes, pdf_ua_problemen

pytestmark = pytest.mark.slow

PUBLICATIE_PAGINAS = 40
FACTSHEET_PAGINAS = 2


@pytest.fixture(scope="module")
def demo_editie(tmp_path_factory) -> Path:
    """``reports/_output`` of a demo edition built through the CLI in a temporary project."""
    base = tmp_path_factory.mktemp("demo-editie")
    env = {
        **os.environ,
        "WIJKMONITOR_RAW": str(base / "raw"),
        "WIJKMONITOR_PROCESSED": str(base / "processed"),
        "WIJKMONITOR_REPORTS": str(base / "reports"),
    }
    # built as `make demo` builds it: without the suite's strict read check (helpers.runner.reads),
    # which is tested on its own; here only the reader's view of the edition counts
    env.pop("WIJKMONITOR_STRIKTE_INVOER", None)
    cli = [sys.executable, "-m", "helpers.cli"]
    for stap in (
        ["demo-data", "--out", str(base / "raw")],
        ["build", "--raw", str(base / "raw"), "--out", str(base / "processed")],
        ["render", "--jobs", "2"],
    ):
        proc = subprocess.run(
            [*cli, *stap], env=env, capture_output=True, text=True, timeout=3600, cwd=config.ROOT
        )
        assert proc.returncode == 0, (stap, proc.stdout[-3000:], proc.stderr[-3000:])
    return base / "reports" / "_output"


def _pdfs(out: Path) -> list[Path]:
    return sorted(out.glob("*.pdf"))


def test_every_pdf_is_tagged_pdf_ua(demo_editie):
    problemen = {}
    for pad in _pdfs(demo_editie):
        titel = "Publiekssamenvatting" if pad.stem == "publiekssamenvatting" else "Factsheet"
        if p := pdf_ua_problemen(pad, titel=titel):
            problemen[pad.name] = p
    assert len(_pdfs(demo_editie)) == 21
    assert problemen == {}


def _paginas(pad: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pad).pages)


def test_publication_within_its_page_budget(demo_editie):
    assert _paginas(demo_editie / "publiekssamenvatting.pdf") <= PUBLICATIE_PAGINAS


def test_every_factsheet_within_its_page_budget(demo_editie):
    te_lang = {
        p.name: n
        for p in demo_editie.glob("factsheet-*.pdf")
        if (n := _paginas(p)) > FACTSHEET_PAGINAS
    }
    assert te_lang == {}


def test_axe_core_finds_no_violations_at_1280(demo_editie):
    assert axe_overtredingen(sorted(demo_editie.glob("*.html")), 1280) == {}


def test_no_sideways_page_scroll_at_390(demo_editie):
    breed = paginabreedtes(sorted(demo_editie.glob("*.html")), 390)
    assert len(breed) == 21
    assert {k: v for k, v in breed.items() if v > 390} == {}
