"""Benchmark: render the publiekssamenvatting plus 20 factsheets, HTML and PDF.

Target (issue 7): <= 60 s on 2 cores from up-to-date notebook outputs. Uses the checkout's
``reports/runs/alle`` outputs when the notebooks have run (``wijkmonitor run --gebied alle``),
otherwise hand-made fixture outputs for all 20 areas (tests/publish_fixtures.py). Writes into a
temporary folder, never into ``reports/_output``.

    .venv/bin/python benchmarks/bench_render.py [--jobs 2] [--herhaal 1]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--herhaal", type=int, default=1)
    args = parser.parse_args()

    from helpers.core import config
    from helpers.kit.output import UITVOER_JSON
    from helpers.publish import render
    from helpers.registers import focusgebieden as registry

    gebieden = [(g.id, g.naam) for g in registry.load_focusgebieden()]
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        base = Path(tmp)
        if (config.RUNS / "alle" / "10_indicatorbasis" / UITVOER_JSON).exists():
            runs, processed, bron = config.RUNS, config.DATA_PROCESSED, "reports/runs (notebooks)"
        else:
            from publish_fixtures import make_bronnen, make_runs

            runs, processed = make_runs(base, gebieden=gebieden), make_bronnen(base)
            bron = "fixture outputs (notebooks not run yet)"
        print(f"invoer: {bron}; {len(gebieden)} factsheets + publiekssamenvatting; "
              f"jobs={args.jobs}; cpu's={os.cpu_count()}")
        tijden = []
        for i in range(args.herhaal):
            t0 = time.perf_counter()
            r = render(runs=runs, processed=processed, output=base / f"_output{i}",
                       build=base / f"_gegenereerd{i}", gebieden=gebieden, jobs=args.jobs)
            tijden.append(time.perf_counter() - t0)
            html = len(list(r.output.glob("*.html")))
            pdf = len(list(r.output.glob("*.pdf")))
            print(f"run {i + 1}: {tijden[-1]:.1f} s — {html} HTML, {pdf} PDF, renderer "
                  f"{r.renderer['naam']} (demo={r.demo})")
        print(f"beste: {min(tijden):.1f} s (doel <= 60 s op 2 kernen)")
        return 0 if min(tijden) <= 60 else 1


if __name__ == "__main__":
    raise SystemExit(main())
