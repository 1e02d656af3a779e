"""One place for every path of the project.

All paths derive from the project root (the folder holding ``pyproject.toml``). Environment
variables override them for tests and batch runs:

- ``WIJKMONITOR_ROOT``: project root (default: found from this file's location).
- ``WIJKMONITOR_RAW`` / ``WIJKMONITOR_PROCESSED`` / ``WIJKMONITOR_REPORTS``: data folders.
- ``WIJKMONITOR_NOTEBOOKS``: folder with the notebooks the runner executes.
- ``WIJKMONITOR_SHARED_REAL``: folder with the real CBS/Leefbaarometer open data
  (default ``<root>/../shared/data/real``).
- ``WIJKMONITOR_RUNNER``: set to ``1`` by ``wijkmonitor run`` in every kernel it starts; only
  then do notebooks write into :data:`RUNS` (what gets published). Anything else (the lab,
  plain papermill, a script calling the helpers) writes into :data:`VERKENNING`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path


def _find_root() -> Path:
    env = os.environ.get("WIJKMONITOR_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists() and (parent / "params").is_dir():
            return parent
    return Path.cwd().resolve()


ROOT: Path = _find_root()
PARAMS: Path = ROOT / "params"
DOCS: Path = ROOT / "docs"


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).resolve() if value else default


DATA_RAW: Path = _env_path("WIJKMONITOR_RAW", ROOT / "data" / "raw")
DATA_PROCESSED: Path = _env_path("WIJKMONITOR_PROCESSED", ROOT / "data" / "processed")
REPORTS: Path = _env_path("WIJKMONITOR_REPORTS", ROOT / "reports")
RUNS: Path = REPORTS / "runs"
#: Scratch output of interactive runs (git-ignored, never published).
VERKENNING: Path = REPORTS / "verkenning"
RUNNER_ENV = "WIJKMONITOR_RUNNER"
NOTEBOOKS: Path = _env_path("WIJKMONITOR_NOTEBOOKS", ROOT / "notebooks")
OUTPUT: Path = REPORTS / "_output"
SHARED_REAL: Path = _env_path("WIJKMONITOR_SHARED_REAL", ROOT.parent / "shared" / "data" / "real")

# Registries (declarative YAML, one edit adds an area or an indicator).
FOCUSGEBIEDEN_YML: Path = PARAMS / "focusgebieden.yml"
INDICATOREN_YML: Path = PARAMS / "indicatoren.yml"
SPROCKLER_YML: Path = PARAMS / "sprockler.yml"
CODEBOOM_YML: Path = PARAMS / "codeboom.yml"
INTERVENTIES_YML: Path = PARAMS / "interventies.yml"
NOTEBOOKS_YML: Path = PARAMS / "notebooks.yml"
MONITOR_YML: Path = PARAMS / "monitor.yml"
# Researcher-editable prose of the studies (source files, never build output).
TEKSTEN: Path = ROOT / "reports" / "teksten"

# Processed tables (build output, never committed).
REGIONS_PARQUET = "regions.parquet"
KWB_PARQUET = "kwb.parquet"
LEEFBAAROMETER_PARQUET = "leefbaarometer.parquet"
INDICATORBASIS_PARQUET = "indicatorbasis.parquet"
#: Wijk boundaries (GeoParquet, EPSG:28992), written by ingest from the CBS wijk- en buurtkaart.
GRENZEN_PARQUET = "grenzen.parquet"
# Index of one notebook run's outputs (written by helpers.kit.output, or by the runner for a run
# whose sources are absent from this edition).
UITVOER_JSON = "uitvoer.json"


def processed(name: str, base: Path | None = None) -> Path:
    """Path of a processed table ``name`` under ``base`` (default :data:`DATA_PROCESSED`)."""
    return (base or DATA_PROCESSED) / name


def run_dir(focusgebied: str, base: Path | None = None) -> Path:
    """Folder of the executed notebooks of one area (or ``alle``)."""
    return (base or RUNS) / focusgebied


def is_runner() -> bool:
    """True inside a kernel started by ``wijkmonitor run`` (environment ``WIJKMONITOR_RUNNER=1``)."""
    return os.environ.get(RUNNER_ENV) == "1"


#: Set by the runner for every kernel: the folder its outputs go to (``reports/runs``, or
#: ``reports/runs/varianten/<naam>`` for a parameter variant).
RUN_OUTPUT_ENV = "WIJKMONITOR_RUN_OUTPUT"


def output_root() -> Path:
    """Where notebooks write by default: :data:`RUNS` under the runner (or the variant folder
    the runner names in ``WIJKMONITOR_RUN_OUTPUT``), else :data:`VERKENNING`."""
    if not is_runner():
        return VERKENNING
    folder = os.environ.get(RUN_OUTPUT_ENV)
    return Path(folder) if folder else RUNS


def run_output_dir(focusgebied: str, notebook: str, base: Path | None = None) -> Path:
    """Folder for the files (key numbers, figures) a notebook writes for ``gebied``.

    ``<base>/<gebied>/<notebook>/``, created on demand; ``base`` defaults to
    :func:`output_root`: ``reports/runs`` only under ``wijkmonitor run``, otherwise
    ``reports/verkenning`` (an interactive run never changes what gets published).
    """
    p = (base or output_root()) / focusgebied / notebook
    p.mkdir(parents=True, exist_ok=True)
    return p


# Paths a caller may redirect with :func:`use_paths` (tests, a second workspace in one process).
CONFIGURABLE = ("DATA_RAW", "DATA_PROCESSED", "REPORTS", "RUNS", "VERKENNING", "OUTPUT",
                "NOTEBOOKS", "NOTEBOOKS_YML", "FOCUSGEBIEDEN_YML", "INDICATOREN_YML",
                "SPROCKLER_YML", "CODEBOOM_YML", "INTERVENTIES_YML", "MONITOR_YML", "TEKSTEN")
_ENV = {"DATA_RAW": "WIJKMONITOR_RAW", "DATA_PROCESSED": "WIJKMONITOR_PROCESSED",
        "REPORTS": "WIJKMONITOR_REPORTS", "NOTEBOOKS": "WIJKMONITOR_NOTEBOOKS"}


@contextlib.contextmanager
def use_paths(**paths: Path) -> Iterator[None]:
    """Redirect project paths for the duration of a ``with`` block, then restore them.

    Keys are names from :data:`CONFIGURABLE`. Giving ``REPORTS`` alone moves ``RUNS``,
    ``VERKENNING`` and ``OUTPUT`` along (unless given too). The matching ``WIJKMONITOR_*``
    environment variables are set as well, so kernels started inside the block (the runner's)
    see the same folders. Raises ``KeyError`` for an unknown name.
    """
    unknown = sorted(set(paths) - set(CONFIGURABLE))
    if unknown:
        raise KeyError(f"unknown path names {unknown}; known: {list(CONFIGURABLE)}")
    new = {k: Path(v) for k, v in paths.items()}
    if "REPORTS" in new:
        new.setdefault("RUNS", new["REPORTS"] / "runs")
        new.setdefault("VERKENNING", new["REPORTS"] / "verkenning")
        new.setdefault("OUTPUT", new["REPORTS"] / "_output")
    g = globals()
    old = {k: g[k] for k in new}
    old_env = {e: os.environ.get(e) for k, e in _ENV.items() if k in new}
    try:
        g.update(new)
        for k, e in _ENV.items():
            if k in new:
                os.environ[e] = str(new[k])
        yield
    finally:
        g.update(old)
        for e, v in old_env.items():
            if v is None:
                os.environ.pop(e, None)
            else:
                os.environ[e] = v
