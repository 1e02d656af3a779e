"""Runner: declarations, validation (Dutch messages), hashing, manifest, error detection.

Fast: no kernel starts here (see tests/runner/test_execute.py for executions).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import nbformat
import pytest

from helpers.runner import batch, core, notebook_specs
from helpers.runner import manifest as mf
from helpers.runner.execute import notebook_errors
from helpers.runner.provenance import herkomst_html
from helpers.runner.spec import RunnerError, parse_parameters, resolve_input
from runner_helpers import make_notebook, werk_fixture  # noqa: F401 - fixture "werk"


def test_parse_parameters_types_defaults_comments():
    params = parse_parameters(
        'focusgebied: str = "alle"  # id of alle\njaar: int = 2022\nalpha: float = 0.05\n'
        'toon: bool = True\nrefs: list[str] = ["gemeente", "nl"]\nopties: dict = {}\n'
    )
    assert {k: p.type for k, p in params.items()} == {
        "focusgebied": "str", "jaar": "int", "alpha": "float", "toon": "bool", "refs": "list",
        "opties": "dict"}
    assert params["refs"].standaard == ["gemeente", "nl"]
    assert params["focusgebied"].toelichting == "id of alle"


@pytest.mark.parametrize("src, fragment", [
    ("x = 3", "regel 1: alleen toewijzingen met type"),
    ("x: set = {1}", "type 'set' wordt niet ondersteund"),
    ("x: int = 'drie'", "standaardwaarde 'drie' van 'x' past niet bij type int"),
    ("x: int = True", "past niet bij type int"),
    ("x: int = len([])", "is geen letterlijke waarde"),
    ("x: int = 1\nx: int = 2", "regel 2: parameter 'x' staat twee keer"),
    ("x: int = (", "syntaxfout"),
])
def test_parse_parameters_errors(src, fragment):
    with pytest.raises(RunnerError, match=fragment.replace("(", r"\(").replace("[", r"\[")):
        parse_parameters(src)


def test_notebook_declaration_errors(werk):
    nbdir = werk / "notebooks"
    make_notebook(nbdir / "10_a.ipynb", ["pass"], params="n: int = 3\n")
    with pytest.raises(RunnerError, match=r"10_a.ipynb': parametercel mist 'focusgebied: str"):
        notebook_specs()
    (nbdir / "10_a.ipynb").unlink()
    make_notebook(nbdir / "Analyse.ipynb", ["pass"])
    assert notebook_specs() == {}  # not NN_name: not a batch notebook
    make_notebook(nbdir / "10_a.ipynb", ["pass"])
    nb = nbformat.read(nbdir / "10_a.ipynb", 4)
    del nb.metadata["wijkmonitor"]
    nbformat.write(nb, nbdir / "10_a.ipynb")
    with pytest.raises(RunnerError, match="metadata 'wijkmonitor' ontbreekt"):
        notebook_specs()


def test_specs_expose_parameters_inputs_and_alle(werk):
    make_notebook(werk / "notebooks" / "10_a.ipynb", ["pass"], inputs=["{processed}/kwb.parquet"],
                  alle=False)
    spec = notebook_specs()["10_a"]
    assert list(spec.parameters) == ["focusgebied", "n"]
    assert spec.alle is False and spec.per_gebied is True
    assert spec.input_paths() == [werk / "processed" / "kwb.parquet"]


def test_unknown_placeholder():
    with pytest.raises(RunnerError, match=r"onbekende plaatshouder '\{tmp\}'"):
        resolve_input("{tmp}/x.csv")


def test_unknown_area_is_an_error(werk):
    make_notebook(werk / "notebooks" / "10_a.ipynb", ["pass"])
    with pytest.raises(RunnerError, match="onbekend focusgebied 'atlantis'"):
        core.plan(["atlantis"], [])


def test_no_area_is_an_error(werk):
    make_notebook(werk / "notebooks" / "10_a.ipynb", ["pass"])
    with pytest.raises(RunnerError, match="geen gebied gekozen"):
        core.plan([], [])


def test_unknown_notebook_is_an_error(werk):
    make_notebook(werk / "notebooks" / "10_a.ipynb", ["pass"])
    with pytest.raises(RunnerError, match="onbekend notebook '99_x' \\(bekend: 10_a\\)"):
        core.plan(["lelystad"], ["99_x"])


def test_unknown_parameter_is_an_error(werk):
    make_notebook(werk / "notebooks" / "10_a.ipynb", ["pass"])
    with pytest.raises(RunnerError, match="onbekende parameter 'm' voor notebook '10_a'"):
        core.plan(["lelystad"], [], parameters={"m": 1})


def test_wrong_type_is_an_error(werk):
    make_notebook(werk / "notebooks" / "10_a.ipynb", ["pass"])
    with pytest.raises(RunnerError, match=r"parameter 'n' .* waarde 'drie' van type str "
                                          r"\(verwacht: geheel getal \(int\)\)"):
        core.plan(["lelystad"], [], parameters={"n": "drie"})


def test_focusgebied_cannot_be_overridden(werk):
    make_notebook(werk / "notebooks" / "10_a.ipynb", ["pass"])
    with pytest.raises(RunnerError, match="'focusgebied' wordt door de runner gezet"):
        core.plan(["lelystad"], [], parameters={"focusgebied": "x"})


def test_notebooks_yml_defaults_validated(werk):
    make_notebook(werk / "notebooks" / "10_a.ipynb", ["pass"])
    yml = werk / "notebooks.yml"
    yml.write_text("notebooks:\n  10_a:\n    parameters: {n: 7}\nalgemeen: {onbekend: 1}\n")
    taken = core.plan(["lelystad"], [])
    assert taken[0].parameters == {"focusgebied": "lelystad", "n": 7}
    yml.write_text("notebooks:\n  10_a:\n    parameters: {n: 1.5}\n")
    with pytest.raises(RunnerError, match=r"bestand 'notebooks.yml', notebook '10_a': parameter "
                                          r"'n' .* \(verwacht: geheel getal"):
        core.plan(["lelystad"], [])
    yml.write_text("notebooks:\n  10_a:\n    parameters: {k: 1}\n")
    with pytest.raises(RunnerError, match="onbekende parameter 'k'"):
        core.plan(["lelystad"], [])
    yml.write_text("notebooks:\n  20_b:\n    parameters: {}\n")
    with pytest.raises(RunnerError, match="onbekend notebook '20_b'"):
        core.plan(["lelystad"], [])
    yml.write_text("nootbooks: {}\n")
    with pytest.raises(RunnerError, match="onverwachte sleutels"):
        core.plan(["lelystad"], [])


def test_plan_alle_and_per_gebied(werk):
    nbdir = werk / "notebooks"
    make_notebook(nbdir / "10_a.ipynb", ["pass"])
    make_notebook(nbdir / "20_b.ipynb", ["pass"], alle=False)
    make_notebook(nbdir / "30_c.ipynb", ["pass"], per_gebied=False)
    taken = [(t.spec.naam, t.gebied) for t in core.plan([], [], alle=True)]
    assert ("10_a", "alle") in taken and ("20_b", "alle") not in taken
    assert ("30_c", "lelystad") not in taken and ("30_c", "alle") in taken
    assert len(taken) == 4 + 3 + 1
    with pytest.raises(RunnerError, match="niets uit te voeren"):
        core.plan(["alle"], ["20_b"])


def test_run_validates_before_any_kernel(werk, monkeypatch):
    make_notebook(werk / "notebooks" / "10_a.ipynb", ["pass"])

    def boom(*a, **k):  # pragma: no cover - must not be reached
        raise AssertionError("kernel started")

    monkeypatch.setattr(batch, "run_local", boom)
    with pytest.raises(RunnerError, match="onbekend focusgebied"):
        core.run(["nergens"], [], quiet=True)
    with pytest.raises(RunnerError, match="vraagt om --scheduler"):
        core.run(["lelystad"], [], executor="dask", quiet=True)
    with pytest.raises(RunnerError, match="--jobs moet minstens 1"):
        core.run(["lelystad"], [], jobs=0, quiet=True)


def test_missing_input_fails_without_kernel(werk, monkeypatch):
    make_notebook(werk / "notebooks" / "10_a.ipynb", ["pass"], inputs=["{processed}/kwb.parquet"])
    monkeypatch.setattr(batch, "run_local", lambda *a, **k: iter(()))
    result = core.run(["lelystad"], [], quiet=True)
    assert result.exit_code == 1
    assert "invoer ontbreekt" in result.mislukt[0].fout and "kwb.parquet" in result.mislukt[0].fout


def test_helpers_hash_changes_with_code_and_params(tmp_path):
    pkg, params = tmp_path / "helpers", tmp_path / "params"
    (pkg / "sub").mkdir(parents=True)
    params.mkdir()
    (pkg / "a.py").write_text("x = 1\n")
    (pkg / "sub" / "b.py").write_text("y = 1\n")
    (params / "p.yml").write_text("a: 1\n")
    h0 = mf.helpers_hash(pkg, params)
    (pkg / "sub" / "b.py").write_text("y = 2\n")
    h1 = mf.helpers_hash(pkg, params)
    (params / "p.yml").write_text("a: 2\n")
    h2 = mf.helpers_hash(pkg, params)
    assert len({h0, h1, h2}) == 3
    assert mf.helpers_hash(pkg, params) == h2
    # code no notebook uses (publishing, demo generator) does not invalidate runs
    (pkg / "publish").mkdir()
    (pkg / "publish" / "bouw.py").write_text("z = 1\n")
    (params / "publicatie.yml").write_text("t: 1\n")
    assert mf.helpers_hash(pkg, params) == h2
    (pkg / "publish" / "bouw.py").write_text("z = 2\n")
    assert mf.helpers_hash(pkg, params) == h2


def test_manifest_roundtrip_and_skip_rule(tmp_path):
    runs = tmp_path / "runs"
    (runs / "g").mkdir(parents=True)
    (runs / "g" / "n.ipynb").write_text("{}")
    (runs / "g" / "n.html").write_text("")
    cur = {"bron_hash": "a", "helpers_hash": "b", "parameters_hash": "c", "invoer": {"x": "d"}}
    prev = {**cur, "status": "geslaagd", "ipynb": "g/n.ipynb", "html": "g/n.html"}
    mf.save_manifest({"versie": 1, "runs": {"g/n": prev}}, runs)
    assert mf.load_manifest(runs)["runs"]["g/n"] == prev
    assert not list(runs.glob(".*.tmp"))
    umask = os.umask(0)
    os.umask(umask)
    assert (runs / "manifest.json").stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's 0600
    assert mf.is_unchanged(prev, cur, runs)
    assert not mf.is_unchanged({**prev, "status": "mislukt"}, cur, runs)
    assert not mf.is_unchanged(prev, {**cur, "invoer": {"x": "e"}}, runs)
    (runs / "g" / "n.html").unlink()
    assert mf.is_unchanged(prev, cur, runs)  # HTML not asked for
    assert not mf.is_unchanged(prev, cur, runs, html=True)
    assert not mf.is_unchanged({**prev, "html": None}, cur, runs, html=True)
    (runs / "g" / "n.ipynb").unlink()
    assert not mf.is_unchanged(prev, cur, runs)


def test_git_commit_tolerates_no_git(tmp_path):
    assert mf.git_commit(tmp_path) is None
    assert mf.git_dirty(tmp_path) is None


def test_git_dirty_flags_uncommitted_changes(tmp_path):
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "monitor.yml").write_text("min_n: 10\n")
    subprocess.run([*git, "add", "."], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=tmp_path, check=True)
    assert mf.git_dirty(tmp_path) is False
    (tmp_path / "monitor.yml").write_text("min_n: 5\n")  # an edited parameter file
    assert mf.git_dirty(tmp_path) is True


def test_library_versions_python_and_key_libraries():
    import platform

    versies = mf.library_versions(("pandas", "geen-bestaand-pakket-xyz"))
    assert versies["python"] == platform.python_version()
    assert versies["pandas"] and versies["pandas"][0].isdigit()
    assert versies["geen-bestaand-pakket-xyz"] is None
    assert set(mf.KEY_LIBRARIES) <= set(mf.library_versions())


def _executed(*outputs):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x", execution_count=1)
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    nb.cells = [cell]
    return nb


@pytest.mark.parametrize("output, fragment", [
    ({"output_type": "error", "ename": "ValueError", "evalue": "kapot", "traceback": []},
     "ValueError: kapot"),
    ({"output_type": "stream", "name": "stderr",
      "text": "Traceback (most recent call last):\n  File x\nKeyError: 'kolom'\n"}, "KeyError: 'kolom'"),
    ({"output_type": "stream", "name": "stderr", "text": "UsageError: Line magic function `%x` not found.\n"},
     "UsageError"),
    ({"output_type": "stream", "name": "stdout",
      "text": "[Errno 2] No such file or directory: '/nergens'\n"}, "[Errno 2]"),
    ({"output_type": "display_data", "metadata": {}, "data": {"text/plain":
      "\x1b[31m╭─\x1b[0m Traceback \x1b[1m(most recent call last)\x1b[0m ─╮\n│ x │\n╰──╯\n"
      "\x1b[1mZeroDivisionError: \x1b[0mdivision by zero\n"}}, "ZeroDivisionError: division by zero"),
])
def test_notebook_errors_detected(output, fragment):
    found = notebook_errors(_executed(output))
    assert len(found) == 1 and fragment in found[0] and found[0].startswith("cel 1")


def test_notebook_errors_ignores_warnings_and_output():
    nb = _executed(
        {"output_type": "stream", "name": "stderr",
         "text": "/tmp/x.py:1: FutureWarning: pas op\n  warnings.warn('pas op')\n"},
        {"output_type": "stream", "name": "stdout", "text": "Errors: 0 gevonden\n"},
        {"output_type": "execute_result", "execution_count": 1, "metadata": {},
         "data": {"text/plain": "ok"}},
    )
    assert notebook_errors(nb) == []


def test_unexecuted_cell_is_an_error():
    nb = _executed()
    nb.cells.append(nbformat.v4.new_code_cell("print(1)"))
    assert "niet uitgevoerd" in notebook_errors(nb)[0]


def test_herkomst_html_escapes():
    html = herkomst_html({"gebied": "<script>", "parameters": {"n": "<b>"}, "invoer": {}})
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Herkomst van deze uitvoering" in html and "geen gedeclareerde invoerbestanden" in html


def test_cli_help_and_import_stay_light():
    code = ("import sys, time; t=time.time(); import helpers.runner, helpers.runner.spec, "
            "helpers.runner.manifest, helpers.runner.core, helpers.runner.batch, "
            "helpers.runner.planning, helpers.runner.status; "
            "heavy=[m for m in ('pandas','papermill','nbconvert','matplotlib','nbclient') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_rerun_skip_path_says_so(werk, monkeypatch, capsys):
    """Skip path without kernels: a fake successful previous run in the manifest."""
    make_notebook(werk / "notebooks" / "10_a.ipynb", ["pass"])
    calls = []

    def fake_local(tasks, *a):
        for t in tasks:
            calls.append(t["gebied"])
            for k in ("ipynb", "html"):
                p = core.Path(t[k])
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_text("{}")
            yield {"gebied": t["gebied"], "notebook": t["notebook"], "status": "geslaagd",
                   "fout": None, "fouten": [], "start": "s", "eind": "e", "duur_s": 0.1}

    monkeypatch.setattr(batch, "run_local", fake_local)
    monkeypatch.setattr(core.mf, "helpers_hash", lambda: "vast")
    core.run(["lelystad", "rotterdam-zuid"], [], quiet=True)
    assert sorted(calls) == ["lelystad", "rotterdam-zuid"]
    result = core.run(["lelystad", "rotterdam-zuid"], [])  # timing: benchmarks/bench_runner.py
    assert [r.status for r in result.resultaten] == ["overgeslagen", "overgeslagen"]
    assert "overgeslagen (ongewijzigd)" in capsys.readouterr().out
    assert len(calls) == 2
    core.run(["lelystad"], [], force=True, quiet=True)
    assert len(calls) == 3
    data = json.loads((werk / "reports" / "runs" / "manifest.json").read_text())
    assert set(data["runs"]) == {"lelystad/10_a", "rotterdam-zuid/10_a"}


def test_kernel_name_project_kernel_or_fallback(tmp_path, monkeypatch):
    """The runner runs on the project kernel when registered, else on the venv's python3."""
    from helpers.runner.execute import task_kernel_name
    from helpers.runner.kernels import find_kernel_name

    spec = tmp_path / "kernels" / "wm-test-kernel"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps(
        {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
         "display_name": "test", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    find_kernel_name.cache_clear()
    try:
        assert find_kernel_name("wm-test-kernel") == "wm-test-kernel"
        assert find_kernel_name("wm-nergens-geregistreerd") == "python3"
    finally:
        find_kernel_name.cache_clear()
    assert task_kernel_name({"kernel_name": "eigen"}) == "eigen"
    assert task_kernel_name({}) in ("wijkmonitor", "python3")


def test_run_wide_parameters_have_no_literal_default():
    """params/monitor.yml is the one source of the nulmeting year and the thresholds."""
    with pytest.raises(RunnerError, match="run-brede waarde"):
        parse_parameters('focusgebied: str = "alle"\nmin_n: int = 10\n')
    with pytest.raises(RunnerError, match="run-brede waarde"):
        parse_parameters('focusgebied: str = "alle"\njaar_nulmeting: int = 2022\n')
    ps = parse_parameters('focusgebied: str = "alle"\nsignaal_n: int = None\n')
    assert ps["signaal_n"].standaard is None


def test_every_notebook_gets_run_wide_values_from_monitor_yml():
    from helpers.registers.monitor import PARAMETERS, load_monitor
    from helpers.runner.spec import load_specs, resolve_parameters

    waarden = load_monitor().as_parameters()
    gezien = set()
    for naam, spec in load_specs().items():
        declared = [p for p in PARAMETERS if p in spec.parameters]
        gezien.update(declared)
        assert all(spec.parameters[p].standaard is None for p in declared), naam
        values = resolve_parameters(spec, "alle")
        assert {p: values[p] for p in declared} == {p: waarden[p] for p in declared}, naam
    assert gezien == set(PARAMETERS)
