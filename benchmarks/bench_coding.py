"""Benchmark of the coding module on a large synthetic coded-segments file.

Prints the time to read/validate N segments and to compute frequencies per area and a
co-occurrence matrix. Usage: ``python benchmarks/bench_coding.py [N]`` (default 50 000).
The machine may be shared: read the figures as an order of magnitude.
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from pathlib import Path

from helpers.ingest.readers import segmenten
from helpers.registers import codeboom
from helpers.registers.focusgebieden import focusgebied_ids
from helpers.studies import coding


def main(n: int = 50_000) -> None:
    boom = codeboom.load_codeboom()
    codes = [c for c in boom.codes if c.count("/") == 1]
    gebieden = focusgebied_ids()
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "segmenten.csv"
        with p.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(segmenten.VERPLICHTE_KOLOMMEN)
            for i in range(n):
                w.writerow(["interview", f"r{i % 5000}", rng.choice(gebieden), f"tekst {i}",
                            ";".join(rng.sample(codes, rng.randint(1, 4))), "ja", "nee"])
        t0 = time.perf_counter()
        s = segmenten.read_segments(p, boom)
        t1 = time.perf_counter()
        coding.code_frequencies(s, by="focusgebied", niveau=2, codeboom=boom)
        t2 = time.perf_counter()
        coding.cooccurrence(s, niveau=1)
        t3 = time.perf_counter()
    print(f"segmenten: {n}")
    print(f"read_segments (validatie incl.): {t1 - t0:.2f} s ({n / (t1 - t0):,.0f} segmenten/s)")
    print(f"code_frequencies per focusgebied, niveau 2: {t2 - t1:.2f} s")
    print(f"cooccurrence niveau 1: {t3 - t2:.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
