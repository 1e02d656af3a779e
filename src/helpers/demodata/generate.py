"""Run all demo-data generators (see :mod:`helpers.demodata`)."""

from __future__ import annotations

import importlib
from pathlib import Path

GENERATORS: list[str] = [
    "kwb", "leefbaarometer", "geometry",  # CBS KWB 2019-2024 + SES-WOA, Leefbaarometer, wijkgrenzen
    "themes_b",  # VE-bereik, re-integratie, informele netwerken armoede, segmenten (themastudies B)
    "sprockler",  # Sprockler-export procesevaluatie (reproduceert de gepubliceerde percentages)
    "coding", "themes_a",  # gecodeerde segmenten; sociale cohesie (initiatieven, kernpersonen)
]


def write_demo_data(out: Path, seed: int = 2025) -> list[Path]:
    """Write all demo files into ``out`` and return their paths (sorted)."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in GENERATORS:
        module = importlib.import_module(f"helpers.demodata.{name}")
        written.extend(module.generate(out, seed))
    return sorted(written)


def demo_data_cli(out: Path, seed: int = 2025) -> None:
    """CLI body of ``wijkmonitor demo-data``."""
    from rich.console import Console

    console = Console()
    paths = write_demo_data(Path(out), seed)
    for p in paths:
        console.print(f"geschreven: {p}")
    console.print(f"{len(paths)} demobestanden (fictieve demonstratiedata) in {out}")
