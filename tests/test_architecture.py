"""The house plan as a test: layers, no cycles, no hidden imports, small modules.

Reads every module of ``src/helpers`` with :mod:`ast` (function-level imports included) and
checks the rules of ``docs/architecture.md``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PKG = SRC / "helpers"

# Layer of every top-level room, and which rooms each may import (besides itself).
ALLOWED = {
    "core": set(),
    "registers": {"core"},
    "ingest": {"core", "registers"},
    "demodata": {"core", "registers", "ingest"},
    "kit": {"core", "registers"},
    "studies": {"core", "registers", "kit"},
    "runner": {"core", "registers"},
    "publish": {"core", "registers", "kit", "studies", "runner"},
    "cli": {"core", "registers", "ingest", "demodata", "kit", "studies", "runner", "publish"},
}
# Function-level imports of own modules are allowed only here (they keep `--help` and the
# runner's skip path light), and only of modules.
LAZY_OK = ("cli", "runner")
MAX_LINES = 500
MAX_LINES_EXEMPT = ("demodata",)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PKG.rglob("*.py"))}


def _imports(path: Path, known: dict[str, Path]) -> list[tuple[str, int, bool]]:
    """(imported own module, line, inside a function) for every import of ``helpers``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[tuple[str, int, bool]] = []
    funcs: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            funcs.update(id(n) for n in ast.walk(node) if n is not node)
    for node in ast.walk(tree):
        inner = id(node) in funcs
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno, inner) for a in node.names if a.name.startswith("helpers")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.startswith("helpers"):
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                out.append((sub if sub in known else node.module, node.lineno, inner))
    return out


def _edges() -> dict[str, list[tuple[str, int, bool]]]:
    known = _modules()
    return {m: [(i, ln, f) for i, ln, f in _imports(p, known) if i in known and i != m]
            for m, p in known.items()}


def test_layer_rule():
    bad = []
    for mod, deps in _edges().items():
        room = _room(mod)
        if mod == "helpers":  # the package itself: version and docstring only
            continue
        if room not in ALLOWED:
            bad.append(f"{mod}: module outside the rooms {sorted(ALLOWED)}")
            continue
        for dep, line, _ in deps:
            droom = _room(dep)
            if droom and droom != room and droom not in ALLOWED[room]:
                bad.append(f"{mod}:{line} imports {dep} ({room} may use {sorted(ALLOWED[room])})")
    assert not bad, "\n".join(bad)


def test_ingest_and_studies_never_import_each_other():
    bad = [f"{m}:{ln} -> {d}" for m, deps in _edges().items() for d, ln, _ in deps
           if {_room(m), _room(d)} == {"ingest", "studies"}]
    assert not bad, "\n".join(bad)


def test_no_import_cycles():
    graph = {m: {d for d, _, _ in deps if d != "helpers"} for m, deps in _edges().items()}
    # a package's __init__ importing its own submodules is a re-export, not a dependency cycle
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cyc = stack[stack.index(nxt):] + [nxt]
                if not all(a.startswith(b + ".") or b.startswith(a + ".") for a, b in zip(cyc, cyc[1:], strict=False)):
                    cycles.append(cyc)
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n, [])
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


def test_function_level_imports_only_in_cli_and_runner():
    bad = [f"{m}:{ln} imports {d} inside a function" for m, deps in _edges().items()
           for d, ln, inner in deps if inner and _room(m) not in LAZY_OK]
    assert not bad, "\n".join(bad)


def test_lazy_imports_in_cli_and_runner_name_modules():
    known = _modules()
    bad = []
    for m, p in known.items():
        if _room(m) not in LAZY_OK:
            continue
        tree = ast.parse(p.read_text(encoding="utf-8"))
        for fn in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
            for node in ast.walk(fn):
                if isinstance(node, ast.ImportFrom) and node.module \
                        and node.module.startswith("helpers") and node.module not in known:
                    bad.append(f"{m}:{node.lineno} from {node.module}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("path", sorted(PKG.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_module_size(path):
    rel = path.relative_to(PKG)
    if any(part in MAX_LINES_EXEMPT for part in rel.parts):
        return
    n = len(path.read_text(encoding="utf-8").splitlines())
    assert n <= MAX_LINES, f"{path.relative_to(SRC)} has {n} lines (at most {MAX_LINES})"


def test_init_files_only_reexport():
    bad = []
    for p in PKG.rglob("__init__.py"):
        tree = ast.parse(p.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bad.append(f"{p.relative_to(SRC)}:{node.lineno} defines {node.name}")
    assert not bad, "\n".join(bad)


DUTCH_VERBS = ("laad_", "lees_", "bouw_", "schrijf_", "toon_", "stap_", "maak_", "bereken_",
               "controleer_", "publiceer_", "normaliseer_", "onderdruk_", "kies_", "zoek_",
               "bewaar_", "voer_", "selecteer_", "registreer_", "weiger", "aggregeer",
               "ontkoppel", "afkappen")
# Dutch verbs that are a whole function name (a method ``schrijf``, a function ``laad``).
DUTCH_VERB_NAMES = {"laad", "lees", "schrijf", "toon", "bouw", "maak", "kies", "normaliseer",
                    "onderdruk", "selecteer", "registreer", "publiceer", "zoek", "controleer"}


def test_function_names_use_english_verbs():
    """docs/glossary.md: code grammar is English; Dutch only for domain nouns."""
    bad = []
    for p in PKG.rglob("*.py"):
        tree = ast.parse(p.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                    and (node.name.lstrip("_").startswith(DUTCH_VERBS)
                         or node.name.lstrip("_") in DUTCH_VERB_NAMES):
                bad.append(f"{p.relative_to(SRC)}:{node.lineno} {node.name}")
    assert not bad, "\n".join(bad)


TESTS = Path(__file__).resolve().parent
# Project-wide tests that check the repository as a whole, not one room.
TOP_LEVEL_TESTS = {"test_architecture.py", "test_repo_hygiene.py", "test_notebooks_reexecute.py",
                   "test_notebook_pairing.py", "test_verkennen.py"}


def test_tests_mirror_the_package():
    """Every test file sits in the folder of the room it tests (tests/<room>/… mirrors
    src/helpers/<room>/…); only project-wide checks sit at the top."""
    misplaced = []
    for path in sorted(TESTS.rglob("test_*.py")):
        rel = path.relative_to(TESTS)
        if len(rel.parts) == 1:
            if rel.name not in TOP_LEVEL_TESTS:
                misplaced.append(f"{rel} (tests/ itself is for project-wide checks)")
            continue
        package = PKG.joinpath(*rel.parts[:-1])
        if not (package / "__init__.py").is_file():
            misplaced.append(f"{rel} (no package helpers/{'/'.join(rel.parts[:-1])})")
    assert not misplaced, "tests outside the mirrored layout:\n" + "\n".join(misplaced)


def test_every_room_has_tests():
    rooms = sorted(p.name for p in PKG.iterdir() if (p / "__init__.py").is_file())
    untested = [r for r in rooms if not any((TESTS / r).rglob("test_*.py"))]
    assert not untested, f"rooms without a test folder: {untested}"


def test_focus_area_parameter_is_called_focusgebied():
    """docs/glossary.md: one concept, one name. A parameter taking a focus-area id is
    ``focusgebied`` (as in the notebooks and the columns), never ``gebied`` or ``gebied_id``."""
    bad = []
    for p in PKG.rglob("*.py"):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                a = node.args
                for arg in (*a.posonlyargs, *a.args, *a.kwonlyargs):
                    if arg.arg in ("gebied", "gebied_id", "area", "area_id"):
                        bad.append(f"{p.relative_to(SRC)}:{node.lineno} {node.name}({arg.arg})")
    assert not bad, "\n".join(bad)
