"""Content hashes, the run manifest ``reports/runs/manifest.json`` and the skip decision.

Manifest shape (one entry per area and notebook, key ``"<gebied>/<notebook>"``)::

    {"versie": 1,
     "runs": {"utrecht-overvecht/10_indicatorbasis": {
         "gebied": "utrecht-overvecht", "notebook": "10_indicatorbasis",
         "status": "geslaagd" | "mislukt",
         "parameters": {...}, "invoer": {"data/processed/kwb.parquet": "<sha256>"},
         "bron_hash": "<sha256 of the notebook's cells and metadata>",
         "helpers_hash": "<sha256 of src/helpers/**/*.py + params/*.yml>",
         "parameters_hash": "<sha256>", "versie_wijkmonitor": "0.1.0", "git_commit": "..." | null,
         "git_dirty": false | true | null, "git_diff_hash": "<sha256>" | null,
         "kernel": "wijkmonitor", "variant": null | "<naam>",
         "versies": {"python": "3.11.9", "pandas": "2.2.3", ...},
         "start": "2026-12-02T10:00:00+00:00", "eind": "...", "duur_s": 4.2, "fout": null | "...",
         "ipynb": "utrecht-overvecht/10_indicatorbasis.ipynb",
         "html": "utrecht-overvecht/10_indicatorbasis.html",
         "uitvoer_map": "utrecht-overvecht/10_indicatorbasis",
         "bestanden": {"utrecht-overvecht/10_indicatorbasis/uitvoer.json": "<sha256>", ...}}},
     "geschiedenis": {"utrecht-overvecht/10_indicatorbasis": [<earlier entries, newest first>]}}

``bestanden`` holds the sha256 of every file the run wrote (the executed copy, the HTML export
and everything in ``uitvoer_map``, which the runner empties before the run), so that
``wijkmonitor render`` can refuse outputs changed afterwards. ``geschiedenis`` keeps, per run
key, the entries that later runs replaced (at most :data:`HISTORY_LIMIT`, newest first; their
``bestanden`` condensed to ``bestanden_hash``). Variants (``wijkmonitor run -p ...``) have keys
and paths under ``varianten/<naam>/``.

Paths inside the manifest are relative to ``reports/runs`` (executed copies) or to the project
root (inputs, where possible). Only the standard library is imported here.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

from helpers.core import config
from helpers.core.io import write_json

MANIFEST = "manifest.json"
_CHUNK = 1 << 20


def file_hash(path: Path) -> str:
    """SHA-256 (hex) of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def json_hash(value: Any) -> str:
    """SHA-256 of a value's canonical JSON (sorted keys)."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


# Code and registries that notebooks never import: editing them must not re-run notebooks
# (e.g. a change to the publication layout). Prefixes of the relative paths hashed below.
NOT_FOR_NOTEBOOKS: tuple[str, ...] = (
    "helpers/publish/",
    "helpers/demodata/",
    "helpers/cli.py",
    "params/publicatie.yml",
)


def helpers_hash(package_dir: Path | None = None, params_dir: Path | None = None) -> str:
    """One hash over the helpers package code and the registries.

    Covers every ``*.py`` under the ``helpers`` package (``src/helpers/**``) and every
    ``params/*.yml``, by relative path and content. Any change re-runs every notebook, except
    changes to code and registries that no notebook uses: :data:`NOT_FOR_NOTEBOOKS` (the
    publishing step, the demo-data generator and the CLI wrapper).
    """
    import helpers

    pkg = package_dir or Path(helpers.__file__).parent
    params = params_dir or config.PARAMS
    h = hashlib.sha256()
    files = [(f"helpers/{p.relative_to(pkg).as_posix()}", p) for p in sorted(pkg.rglob("*.py"))]
    if params.is_dir():
        files += [(f"params/{p.name}", p) for p in sorted(params.glob("*.yml"))]
    files = [(rel, p) for rel, p in files if not rel.startswith(NOT_FOR_NOTEBOOKS)]
    for rel, p in files:
        h.update(rel.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def git_commit(root: Path | None = None) -> str | None:
    """``git rev-parse HEAD`` of the project (``None`` without git or outside a repository)."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root or config.ROOT,
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def _git(args: list[str], root: Path | None, timeout: int = 30) -> bytes | None:
    try:
        out = subprocess.run(["git", *args], cwd=root or config.ROOT, capture_output=True,
                             timeout=timeout)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout if out.returncode == 0 else None


def git_diff_hash(root: Path | None = None) -> str | None:
    """SHA-256 of the uncommitted changes: ``git diff HEAD --binary`` plus every untracked,
    not ignored file (path and bytes). ``None`` for a clean tree, without git or outside a
    repository. Two runs with the same commit and the same hash used the same sources."""
    diff = _git(["diff", "HEAD", "--binary"], root)
    others = _git(["ls-files", "--others", "--exclude-standard", "-z"], root)
    if diff is None or others is None:
        return None
    names = sorted(n for n in others.decode("utf-8", "replace").split("\0") if n)
    if not diff and not names:
        return None
    h = hashlib.sha256(diff)
    base = root or config.ROOT
    for name in names:
        h.update(b"\0" + name.encode() + b"\0")
        try:
            h.update((base / name).read_bytes())
        except OSError:
            h.update(b"<onleesbaar>")
    return h.hexdigest()


def git_dirty(root: Path | None = None) -> bool | None:
    """True when the work tree has uncommitted changes (``git status --porcelain`` not empty).

    Then :func:`git_commit` alone does not describe the code and parameters a run used (e.g.
    an edited ``params/*.yml``). ``None`` without git or outside a repository.
    """
    try:
        out = subprocess.run(["git", "status", "--porcelain"], cwd=root or config.ROOT,
                             capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return bool(out.stdout.strip()) if out.returncode == 0 else None


#: Distributions whose versions every run records (results may depend on them).
KEY_LIBRARIES: tuple[str, ...] = (
    "numpy", "pandas", "pyarrow", "scipy", "statsmodels", "matplotlib", "seaborn", "pyyaml",
    "papermill", "nbclient", "ipykernel",
)


def library_versions(names: tuple[str, ...] = KEY_LIBRARIES) -> dict[str, str | None]:
    """Python's version and the installed version of each distribution (``None``: absent)."""
    import platform
    from importlib import metadata

    versies: dict[str, str | None] = {"python": platform.python_version()}
    for name in names:
        try:
            versies[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versies[name] = None
    return versies


def display_path(path: Path) -> str:
    """Path relative to the project root where possible (for the manifest and messages)."""
    try:
        return path.resolve().relative_to(config.ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def load_manifest(runs: Path | None = None) -> dict[str, Any]:
    """The manifest of ``runs`` (default :data:`config.RUNS`); empty when absent or unreadable."""
    p = (runs or config.RUNS) / MANIFEST
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"versie": 1, "runs": {}}
    data.setdefault("runs", {})
    return data


def save_manifest(data: dict[str, Any], runs: Path | None = None) -> Path:
    """Write the manifest atomically (through :func:`helpers.core.io.write_json`)."""
    return write_json((runs or config.RUNS) / MANIFEST, data, sort_keys=True)


#: Earlier runs kept per run key in ``geschiedenis`` (newest first).
HISTORY_LIMIT = 20


def _history_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """A replaced entry as kept in the history: ``bestanden`` condensed to one hash."""
    kept = {k: v for k, v in entry.items() if k != "bestanden"}
    if "bestanden" in entry:
        kept["bestanden_hash"] = json_hash(entry["bestanden"])
    return kept


def update_manifest(entries: dict[str, dict[str, Any]], runs: Path | None = None) -> Path:
    """Merge ``entries`` into the manifest on disk (re-read first) and write it atomically.

    Re-reading keeps entries another run wrote in the meantime (e.g. ``wijkmonitor render``
    running notebooks for ``alle`` while a batch runs the areas). An entry that replaces a
    different one moves the old one into ``geschiedenis`` (bounded by :data:`HISTORY_LIMIT`).
    """
    data = load_manifest(runs)
    data.setdefault("versie", 1)
    history = data.setdefault("geschiedenis", {})
    for k, entry in entries.items():
        old = data["runs"].get(k)
        if old and old != entry:
            history[k] = [_history_entry(old), *history.get(k, [])][:HISTORY_LIMIT]
        data["runs"][k] = entry
    return save_manifest(data, runs)


def key(focusgebied: str, notebook: str, variant: str | None = None) -> str:
    """Manifest key of one run (``varianten/<variant>/<gebied>/<notebook>`` for a variant)."""
    return f"{variant_prefix(variant)}{focusgebied}/{notebook}"


def variant_prefix(variant: str | None) -> str:
    """Relative folder of a variant inside ``reports/runs`` (``''`` for the default run)."""
    return f"{VARIANTS}/{variant}/" if variant else ""


#: Folder inside ``reports/runs`` that holds parameter variants (never published by default).
VARIANTS = "varianten"


def output_hashes(runs: Path, entry: dict[str, Any]) -> dict[str, str]:
    """SHA-256 of every file a run wrote, by path relative to ``runs``: the entry's ``ipynb``,
    ``html`` and every file under ``uitvoer_map`` (temporary ``.*.tmp`` files left out)."""
    out: dict[str, str] = {}
    for k in ("ipynb", "html"):
        if entry.get(k) and (runs / entry[k]).is_file():
            out[entry[k]] = file_hash(runs / entry[k])
    folder = runs / entry["uitvoer_map"] if entry.get("uitvoer_map") else None
    if folder is not None and folder.is_dir():
        for p in sorted(folder.rglob("*")):
            if p.is_file() and not (p.name.startswith(".") and p.name.endswith(".tmp")):
                out[p.relative_to(runs).as_posix()] = file_hash(p)
    return out


def is_unchanged(previous: dict[str, Any] | None, current: dict[str, Any], runs: Path,
                 html: bool = False) -> bool:
    """True when a previous successful run had the same hashes and its files still exist.

    ``current`` holds ``bron_hash``, ``helpers_hash``, ``parameters_hash`` and ``invoer``
    (path -> hash) of the planned run. ``html``: the HTML export is asked for, so it must
    exist too (a run made without ``--html`` then runs again).
    """
    if not previous or previous.get("status") != "geslaagd":
        return False
    for k in ("bron_hash", "helpers_hash", "parameters_hash", "invoer"):
        if previous.get(k) != current.get(k):
            return False
    files = ("ipynb", "html") if html else ("ipynb",)
    return all(previous.get(k) and (runs / previous[k]).exists() for k in files)
