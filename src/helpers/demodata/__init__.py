"""Deterministic fictitious demo data in exactly the real raw formats.

Each generator module in :data:`GENERATORS` has ``generate(out: Path, seed: int) -> list[Path]``
and writes files whose names contain ``demo``. Same seed, same bytes (xlsx timestamps fixed).
Add a domain by writing a module and listing it here.
"""

from __future__ import annotations

from helpers.demodata.generate import GENERATORS, demo_data_cli, write_demo_data

__all__ = ["GENERATORS", "demo_data_cli", "write_demo_data"]
