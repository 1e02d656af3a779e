"""Benchmark of ``wijkmonitor build`` on all real open-data files, boundaries included
(issue 12: target <= 10 s wall time and <= 1 GB peak memory on 2 cores).

The raw folder is the real data folder itself (``../shared/data/real``, read only): the
national Leefbaarometer wijk file, KWB 2024 (national), KWB 2019 Amsterdam (OData), KWB 2023
Utrecht (xlsx), SES-WOA 2019 and the CBS wijk- en buurtkaart 2022 as TopoJSON (3,340 wijken).

The command runs as a user runs it: a fresh process ``python -m helpers.cli build --raw ...
--out <tmp>``. Reported: the wall time of that process (interpreter start, imports, ingest,
boundary checks and projection, indicator base, writes) and its peak resident memory
(``resource.getrusage(RUSAGE_CHILDREN)``, ru_maxrss of the largest child), plus its CPU time
(user + system), which does not grow when other processes share the cores. Additionally, in the
worker mode, the boundary file alone (read, check, project, write GeoParquet).

Usage: ``.venv/bin/python benchmarks/bench_build.py [--runs N]`` (default 3 runs; the
fastest and the slowest are shown, the median is compared with the target). Exit 0 always:
targets are shown, not asserted.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 10.0
TARGET_MB = 1024.0
TOPOJSON = "wijk-2022-wgs84.topojson"


def real_dir() -> Path:
    env = os.environ.get("WIJKMONITOR_SHARED_REAL")
    return Path(env) if env else ROOT.parent / "shared" / "data" / "real"


def run_build(raw: Path, out: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MB) of one ``wijkmonitor
    build`` in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "helpers.cli", "build", "--raw", str(raw), "--out", str(out)]
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = r0.ru_maxrss
    t0 = time.perf_counter()
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = r1.ru_maxrss
    cpu = (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)
    if res.returncode != 0:
        sys.exit(f"build failed ({res.returncode}):\n{res.stdout}\n{res.stderr}")
    # ru_maxrss of children is the maximum over all children so far: runs are equal in size,
    # so the maximum is the peak of a build.
    return wall, cpu, max(peak, before) / 1024


def worker_boundaries(raw: Path, out: Path) -> None:
    """The boundary file alone in this process: read + check + project + write."""
    t0 = time.perf_counter()
    from helpers.ingest.grenzen import read_boundary_file, write_grenzen

    t1 = time.perf_counter()
    c1 = time.process_time()
    p = raw / TOPOJSON
    g = read_boundary_file(p, p.read_bytes())
    write_grenzen(g.frame, out / "grenzen.parquet")
    t2 = time.perf_counter()
    c2 = time.process_time()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"import_s": t1 - t0, "grenzen_s": t2 - t1, "grenzen_cpu_s": c2 - c1,
                      "wijken": len(g.frame), "peak_rss_mb": rss}))


def main() -> None:
    raw = real_dir()
    if not (raw / TOPOJSON).exists():
        print(f"real data missing in {raw}: skipped")
        return
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 3
    files = sorted(p.name for p in raw.iterdir() if p.is_file())
    print(f"wijkmonitor build on {raw} ({len(files)} files: {', '.join(files)})")
    walls, cpus, peaks = [], [], []
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        for i in range(runs):
            wall, cpu, peak = run_build(raw, Path(tmp) / f"out{i}")
            walls.append(wall)
            cpus.append(cpu)
            peaks.append(peak)
            print(f"  run {i + 1}: {wall:5.2f} s wall, {cpu:5.2f} s CPU, peak RSS {peak:6.0f} MB")
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        w = subprocess.run(
            [sys.executable, __file__, "--worker", str(raw), tmp],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        geo = json.loads(w.stdout.strip().splitlines()[-1])
    med, cpu = statistics.median(walls), statistics.median(cpus)
    print(f"build: median {med:.2f} s wall (min {min(walls):.2f}, max {max(walls):.2f}), "
          f"median {cpu:.2f} s CPU; peak RSS {max(peaks):.0f} MB")
    print(f"  target <= {TARGET_S:.0f} s: wall {'OK' if med <= TARGET_S else 'OVER'}, CPU "
          f"{'OK' if cpu <= TARGET_S else 'OVER'}; <= {TARGET_MB:.0f} MB: "
          f"{'OK' if max(peaks) <= TARGET_MB else 'OVER'}")
    print("  (build runs in one thread: on an idle machine its wall time is about its CPU time; "
          "on a shared machine the wall time grows with the load)")
    print(f"boundaries alone ({geo['wijken']} wijken): {geo['grenzen_s']:.2f} s wall, "
          f"{geo['grenzen_cpu_s']:.2f} s CPU after {geo['import_s']:.2f} s imports, peak RSS "
          f"{geo['peak_rss_mb']:.0f} MB")
    print(
        f"load average now: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
        f"({os.cpu_count()} cores; other processes share them)"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker_boundaries(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
