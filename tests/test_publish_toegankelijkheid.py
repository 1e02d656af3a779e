"""Accessibility of the publication's own styling: WCAG 2.1 contrast of every CSS colour pair,
the colour-blind-safe palette, and the demo banner styles in HTML and typst."""

from __future__ import annotations

import re

import pytest

from helpers.core import config
from helpers.publish import build as bouw

CSS = config.ROOT / "reports" / "assets" / "publicatie.css"
TYPST = config.ROOT / "reports" / "assets" / "publicatie.typst"
WIT = "#ffffff"
TEKST = "#1a1a1a"


def luminantie(hex_kleur: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour '#rrggbb'."""
    h = hex_kleur.lstrip("#")
    kanalen = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in kanalen]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio (1..21)."""
    la, lb = sorted((luminantie(a), luminantie(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_formula_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def _regels(css: str) -> list[tuple[str, dict[str, str]]]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    uit = []
    for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        decl = dict(re.findall(r"([\w-]+)\s*:\s*([^;]+);?", body))
        uit.append((sel.strip(), {k: v.strip() for k, v in decl.items()}))
    return uit


def test_every_css_text_colour_has_aa_contrast():
    """Each rule's text colour against its own background (or white), >= 4.5:1 (AA)."""
    regels = _regels(CSS.read_text(encoding="utf-8"))
    gecontroleerd = 0
    for sel, decl in regels:
        kleur = decl.get("color")
        achtergrond = decl.get("background-color")
        if kleur and kleur.startswith("#"):
            tegen = achtergrond if achtergrond and achtergrond.startswith("#") else WIT
            assert contrast(kleur, tegen) >= 4.5, (sel, kleur, tegen)
            gecontroleerd += 1
        elif achtergrond and achtergrond.startswith("#"):
            assert contrast(TEKST, achtergrond) >= 4.5, (sel, TEKST, achtergrond)
            gecontroleerd += 1
    assert gecontroleerd >= 8


def test_typst_template_colours_have_aa_contrast():
    kleuren = set(re.findall(r'rgb\("(#[0-9a-fA-F]{6})"\)', TYPST.read_text(encoding="utf-8")))
    tekstkleuren = kleuren - {"#bfbfbf"}  # table rule lines, not text
    for k in tekstkleuren:
        assert contrast(k, WIT) >= 4.5, k


def test_demo_banner_contrast_and_sticky():
    css = next(d for sel, d in _regels(CSS.read_text(encoding="utf-8")) if sel == ".demo-banner")
    assert css["position"] == "sticky" and css["top"] == "0"
    assert contrast(css["color"], css["background-color"]) >= 4.5
    kleur = re.search(r'fill: rgb\("(#[0-9a-fA-F]{6})"\)', bouw.banner_typst()).group(1)
    assert contrast(WIT, kleur) >= 4.5
    assert 'class="demo-banner"' in bouw.banner_html()
    assert "fictieve demonstratiedata" in bouw.banner_html()


def test_palette_is_colour_blind_safe_okabe_ito():
    from helpers.kit.display import PALET

    okabe_ito = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
                 "#000000"}
    assert set(PALET) == okabe_ito
