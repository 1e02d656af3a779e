"""Benchmark: build the full indicator base for the 20 focus areas from processed national tables.

Target (issue 3): <= 5 s on 2 cores. The processed tables are made once (not timed) by ingest
from a raw folder: the real open data in ../shared/data/real by default, or ``--raw DIR``
(e.g. the demo data: ``wijkmonitor demo-data --out /tmp/demo``). Then
:func:`helpers.studies.indicators.base.build_indicatorbasis` is timed (in memory: processed tables already
read) and :func:`helpers.studies.indicators.base.build_uit_map` (reading the parquet files too).

    .venv/bin/python benchmarks/bench_indicators.py [--raw DIR] [--herhaal 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    from helpers.core import config
    from helpers.ingest.build import run_ingest
    from helpers.registers.focusgebieden import load_focusgebieden
    from helpers.registers.indicatoren import load_indicatoren
    from helpers.studies.indicators.base import _load_processed, build_indicatorbasis, build_uit_map

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--raw", type=Path, default=config.SHARED_REAL)
    ap.add_argument("--herhaal", type=int, default=3)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-indicators-") as tmp:
        out = Path(tmp)
        t0 = time.perf_counter()
        run_ingest(args.raw, out)
        print(f"ingest (niet meegeteld): {time.perf_counter() - t0:.2f} s")
        regions, kwb, lbm = _load_processed(out)
        print(f"invoer: regions {len(regions):,} rijen, kwb {len(kwb):,} rijen, "
              f"leefbaarometer {len(lbm):,} rijen")
        gebieden = load_focusgebieden()
        reg = load_indicatoren()

        tijden, cpu = [], []
        for _ in range(args.herhaal):
            t, c = time.perf_counter(), time.process_time()
            res = build_indicatorbasis(regions, kwb, lbm, gebieden, reg, 2022)
            tijden.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        print(f"build_indicatorbasis (in geheugen): wandklok mediaan {statistics.median(tijden):.2f} s "
              f"(min {min(tijden):.2f} s), CPU-tijd mediaan {statistics.median(cpu):.2f} s, over "
              f"{len(tijden)} keer; {len(res.basis):,} rijen, {len(res.wijken):,} wijkwaarden")
        print(f"systeembelasting (load average 1 min): {os.getloadavg()[0]:.1f} "
              "(een gedeelde machine maakt de wandklok trager dan de CPU-tijd)")
        t = time.perf_counter()
        build_uit_map(out, 2022, gebieden, reg)
        print(f"build_uit_map (incl. parquet lezen): {time.perf_counter() - t:.2f} s")
        print("doel: <= 5 s op 2 kernen")


if __name__ == "__main__":
    main()
