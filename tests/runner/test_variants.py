"""Parameter variants: -p NAME VALUE (YAML), validated against the parameters cell, each variant
in its own folder under reports/runs/varianten/, never overwriting the default runs."""

from __future__ import annotations

import json

import pytest

from helpers.runner import core, run
from helpers.runner.spec import RunnerError
from helpers.runner.variants import check_variant, parse_parameter_args, variant_name
from runner_helpers import make_notebook, werk_fixture  # noqa: F401 - fixture "werk"

LIGHT = ["helpers.core.config", "helpers.runner.provenance"]
CELLS = [
    "from helpers.core import config\n"
    "uit = config.run_output_dir(focusgebied, '10_var')\n"
    "(uit / 'n.txt').write_text(str(n * 2))"
]


def test_parse_parameter_args_reads_values_as_yaml():
    args = [
        "-p",
        "jaar_nulmeting",
        "2019",
        "--parameter",
        "referenties",
        "[nederland, gemeente_rest]",
        "-p",
        "label",
        "'2019'",
        "-p",
        "aan",
        "true",
        "-p",
        "x",
        "-3.5",
    ]
    assert parse_parameter_args(args) == {
        "jaar_nulmeting": 2019,
        "referenties": ["nederland", "gemeente_rest"],
        "label": "2019",
        "aan": True,
        "x": -3.5,
    }
    assert parse_parameter_args([]) == {}
    with pytest.raises(RunnerError, match="vraagt om twee waarden: NAAM WAARDE"):
        parse_parameter_args(["-p", "jaar_nulmeting"])
    with pytest.raises(RunnerError, match="onbekende optie of argument '--gebeid'"):
        parse_parameter_args(["--gebeid", "alle"])
    with pytest.raises(RunnerError, match="twee keer opgegeven"):
        parse_parameter_args(["-p", "n", "1", "-p", "n", "2"])
    with pytest.raises(RunnerError, match="geen geldige YAML"):
        parse_parameter_args(["-p", "n", "[1, 2"])


def test_variant_names():
    assert variant_name({"jaar_nulmeting": 2019}) == "jaar_nulmeting-2019"
    assert (
        variant_name({"referenties": ["nederland"], "jaar_nulmeting": 2015})
        == "jaar_nulmeting-2015--referenties-_nederland"
    )
    lang = variant_name({"referenties": ["x" * 50, "y" * 50]})
    assert len(lang) <= 80 and lang != variant_name({"referenties": ["x" * 50, "y" * 49]})
    assert check_variant(None, None, {}) is None
    assert check_variant("nul-2019", {"jaar_nulmeting": 2019}, {}) == "nul-2019"
    with pytest.raises(RunnerError, match="vraagt om minstens één -p"):
        check_variant("x", {}, {})
    with pytest.raises(RunnerError, match="ongeldige variantnaam 'Nul 2019'"):
        check_variant("Nul 2019", {"jaar_nulmeting": 2019}, {})
    bestaand = {"varianten/v/alle/10_x": {"variant_parameters": {"jaar_nulmeting": 2015}}}
    with pytest.raises(RunnerError, match="variant 'v' bestaat al met andere parameters"):
        check_variant("v", {"jaar_nulmeting": 2019}, bestaand)
    assert check_variant("v", {"jaar_nulmeting": 2015}, bestaand) == "v"


def test_unknown_parameter_lists_the_valid_ones(werk):
    make_notebook(werk / "notebooks" / "10_var.ipynb", CELLS)
    with pytest.raises(RunnerError) as exc:
        run(["lelystad"], [], parameters={"m": 1}, quiet=True)
    msg = str(exc.value)
    assert "onbekende parameter 'm' voor notebook '10_var' (bekend: focusgebied, n)" in msg
    with pytest.raises(
        RunnerError, match="parameter 'n' van notebook '10_var' heeft waarde 'drie'"
    ):
        run(["lelystad"], [], parameters={"n": "drie"}, quiet=True)
    assert not (werk / "reports" / "runs").exists()  # nothing ran, nothing written


@pytest.mark.slow
def test_variant_in_own_folder_default_untouched(werk, monkeypatch):
    from typer.testing import CliRunner

    from helpers.cli import app
    from helpers.runner import kernels

    monkeypatch.setattr(kernels, "DEFAULT_PRELOAD", LIGHT)
    monkeypatch.setattr(core.mf, "helpers_hash", lambda: "vast")
    make_notebook(werk / "notebooks" / "10_var.ipynb", CELLS)
    runs = werk / "reports" / "runs"
    assert run(["lelystad"], [], preload=LIGHT, quiet=True).ok
    assert (runs / "lelystad" / "10_var" / "n.txt").read_text() == "6"

    res = CliRunner().invoke(app, ["run", "--gebied", "lelystad", "-p", "n", "5"])
    assert res.exit_code == 0, res.output
    assert "Variant 'n-5'" in res.output and "render --variant n-5" in res.output
    assert (runs / "varianten" / "n-5" / "lelystad" / "10_var" / "n.txt").read_text() == "10"
    assert (runs / "varianten" / "n-5" / "lelystad" / "10_var.ipynb").exists()
    assert (runs / "lelystad" / "10_var" / "n.txt").read_text() == "6"  # default untouched
    m = json.loads((runs / "manifest.json").read_text())["runs"]
    e = m["varianten/n-5/lelystad/10_var"]
    assert e["variant"] == "n-5" and e["variant_parameters"] == {"n": 5}
    assert e["parameters"] == {"focusgebied": "lelystad", "n": 5}
    assert "varianten/n-5/lelystad/10_var/n.txt" in e["bestanden"]
    assert m["lelystad/10_var"]["parameters"]["n"] == 3 and m["lelystad/10_var"]["variant"] is None

    # same variant again: skipped; a named variant of its own; unknown -p name: Dutch error
    res = CliRunner().invoke(app, ["run", "--gebied", "lelystad", "-p", "n", "5"])
    assert "overgeslagen" in res.output
    res = CliRunner().invoke(
        app, ["run", "--gebied", "lelystad", "-p", "n", "7", "--variant", "zeven"]
    )
    assert res.exit_code == 0, res.output
    assert (runs / "varianten" / "zeven" / "lelystad" / "10_var" / "n.txt").read_text() == "14"
    res = CliRunner().invoke(app, ["run", "--gebied", "lelystad", "-p", "nn", "7"])
    assert res.exit_code == 1 and "onbekende parameter 'nn'" in res.output
    assert "(bekend: focusgebied, n)" in res.output
