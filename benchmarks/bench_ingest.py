"""Benchmark of ``wijkmonitor ingest`` (issue 2 performance targets).

(a) the real national Leefbaarometer wijk file + the national KWB 2024 StatLine file
    (target: <= 3 s on 2 cores);
(b) a generated national buurt-level Leefbaarometer file, about 14,500 buurten x 9 years, in
    the real format (``bu_code,bu_naam,jaar,lbm,afw,fys,onv,soc,vrz,won``, ``NA`` for missing,
    quoted names with commas), written by this script to a temp folder
    (target: <= 5 s and <= 1 GB peak memory).

Each case runs in a fresh Python process (as the CLI does); the worker reports the time to
import the libraries, the time of :func:`helpers.ingest.build.run_ingest`, and the process's peak
resident memory (``resource.getrusage``, ru_maxrss). The wall time of the whole process
(interpreter start + imports + ingest + writing) is what a user waits for.

Usage: ``.venv/bin/python benchmarks/bench_ingest.py`` (needs ../shared/data/real for (a)).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LBM_FILE = "Leefbaarometer-scores wijken 2002-2022.csv"
KWB_FILE = "kwb-2024-bevolking-statline.csv"
YEARS = [2002, 2008, 2012, 2014, 2016, 2018, 2020, 2022, 2024]


def worker(raw: str, out: str) -> None:
    """Run one ingest in this process and print timings and peak memory as JSON."""
    import resource

    t0 = time.perf_counter()
    import pandas  # noqa: F401
    import pandera.pandas  # noqa: F401

    from helpers.ingest.build import run_ingest

    t1 = time.perf_counter()
    res = run_ingest(Path(raw), Path(out))
    t2 = time.perf_counter()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"import_s": t1 - t0, "ingest_s": t2 - t1, "peak_rss_mb": rss_mb,
                      "tabellen": res.tabellen}))


def generate_buurt_file(path: Path, n_buurten: int = 14500, seed: int = 1) -> int:
    """Write a national buurt-level Leefbaarometer file in the real format; return its rows."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    n_gm = 342
    gm = np.sort(rng.choice(np.arange(1, 2000), n_gm, replace=False))
    per = np.full(n_gm, n_buurten // n_gm)
    per[: n_buurten - per.sum()] += 1
    gm_of = np.repeat(gm, per)
    seq = np.concatenate([np.arange(k) for k in per])
    codes = np.char.add("BU", np.char.add(np.char.zfill(gm_of.astype(str), 4),
                                          np.char.zfill(seq.astype(str), 4)))
    names = np.array([f"Buurt {i}" if i % 7 else f"Kern {i}, buitengebied" for i in range(n_buurten)],
                     dtype=object)
    rows = n_buurten * len(YEARS)
    level = rng.normal(0, 0.15, n_buurten)
    df = pd.DataFrame({
        "bu_code": np.tile(codes, len(YEARS)),
        "bu_naam": np.tile(names, len(YEARS)),
        "jaar": np.repeat(YEARS, n_buurten),
    })
    afw = np.tile(level, len(YEARS)) + rng.normal(0, 0.03, rows)
    df["lbm"] = 4.102265 + afw
    df["afw"] = afw
    dims_known = df["jaar"].isin([2014, 2018, 2020, 2022, 2024]).to_numpy()
    for c in ["fys", "onv", "soc", "vrz", "won"]:
        v = rng.normal(0, 0.06, rows)
        df[c] = np.where(dims_known, v, np.nan)
    df.loc[rng.choice(rows, 50, replace=False), "lbm"] = np.nan  # some NA totals
    df = df.sort_values(["bu_code", "jaar"], kind="stable")
    df.to_csv(path, index=False, na_rep="NA", float_format="%.15g")
    return rows


def run_case(label: str, raw: Path, out: Path, target_s: float, target_mb: float | None) -> dict:
    import os
    import resource

    load = os.getloadavg()[0]
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--worker", str(raw), str(out)],
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
        raise SystemExit(f"{label}: ingest failed")
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    ok_t = wall <= target_s
    ok_m = target_mb is None or r["peak_rss_mb"] <= target_mb
    print(f"{label}")
    print(f"  tables        : {r['tabellen']}")
    print(f"  imports       : {r['import_s']:.2f} s")
    print(f"  run_ingest    : {r['ingest_s']:.2f} s")
    print(f"  process wall  : {wall:.2f} s  (target <= {target_s:.0f} s: {'OK' if ok_t else 'MISSED'})")
    print(f"  process CPU   : {cpu:.2f} s user+sys (machine load average before: {load:.1f}; "
          "the machine is shared)")
    mem = f"  peak RSS      : {r['peak_rss_mb']:.0f} MB"
    if target_mb is not None:
        mem += f"  (target <= {target_mb:.0f} MB: {'OK' if ok_m else 'MISSED'})"
    print(mem)
    return {**r, "wall_s": wall, "cpu_s": cpu, "ok": ok_t and ok_m}


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from helpers.core import config

    results = []
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        tmp = Path(tmp)
        real = config.SHARED_REAL
        if (real / LBM_FILE).exists() and (real / KWB_FILE).exists():
            raw_a = tmp / "raw-a"
            raw_a.mkdir()
            for f in (LBM_FILE, KWB_FILE):
                shutil.copy(real / f, raw_a / f)
            results.append(run_case("(a) real Leefbaarometer wijken + KWB 2024 StatLine (national)",
                                    raw_a, tmp / "out-a", 3.0, None))
        else:
            print(f"(a) skipped: real files not found in {real}")
        raw_b = tmp / "raw-b"
        raw_b.mkdir()
        n = generate_buurt_file(raw_b / "leefbaarometer-buurten-generated.csv")
        size = (raw_b / "leefbaarometer-buurten-generated.csv").stat().st_size / 1e6
        print(f"(generated buurt file: {n:,} rows, {size:.1f} MB)")
        results.append(run_case("(b) generated national buurt Leefbaarometer (14,500 x 9)",
                                raw_b, tmp / "out-b", 5.0, 1024.0))
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3])
    else:
        sys.exit(main())
