"""Benchmark: demo-data generation (CBS KWB + SES-WOA, Leefbaarometer, geometry; then all).

Target: the whole `wijkmonitor demo-data` in under 10 s. Prints wall and CPU seconds per
generator module and the size of what it wrote. Run: `.venv/bin/python benchmarks/bench_demodata.py`.
The machine may be shared: CPU seconds are the steadier figure.
"""

from __future__ import annotations

import importlib
import tempfile
import time
from pathlib import Path

from helpers.demodata import GENERATORS


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-demodata-") as tmp:
        out = Path(tmp)
        tw, tc = time.perf_counter(), time.process_time()
        for name in GENERATORS:
            module = importlib.import_module(f"helpers.demodata.{name}")
            w, c = time.perf_counter(), time.process_time()
            paths = module.generate(out, 2025)
            size = sum(p.stat().st_size for p in paths) / 1e6
            print(
                f"{name:16s} wall {time.perf_counter() - w:6.2f} s  cpu {time.process_time() - c:6.2f} s"
                f"  {len(paths):3d} files  {size:6.1f} MB"
            )
        print(
            f"{'total':16s} wall {time.perf_counter() - tw:6.2f} s  cpu {time.process_time() - tc:6.2f} s"
        )


if __name__ == "__main__":
    main()
