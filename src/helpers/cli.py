"""Command-line interface ``wijkmonitor`` (typer).

Every command imports its heavy module lazily inside the function body, so that
``wijkmonitor --help`` starts instantly. Commands are thin: parse options, call one function
of the package, turn :class:`helpers.core.errors.WijkmonitorError` into a red message and exit 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from helpers.core import config

app = typer.Typer(
    help="wijkmonitor: werkbank van de Monitor SPUK Kansrijke Wijk.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _fail(exc: Exception) -> None:
    typer.secho(f"Fout: {exc}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code=1)


def _guard(fn, *args, **kwargs):
    from helpers.core.errors import WijkmonitorError

    try:
        return fn(*args, **kwargs)
    except WijkmonitorError as exc:
        _fail(exc)


@app.command()
def ingest(
    raw: Path = typer.Option(config.DATA_RAW, "--raw", help="Map met ruwe bestanden."),
    out: Path = typer.Option(config.DATA_PROCESSED, "--out", help="Map voor de verwerkte tabellen."),
) -> None:
    """Lees ruwe CBS-, Leefbaarometer- en registratiebestanden in tot gecontroleerde tabellen."""
    from helpers.ingest.build import ingest_cli

    _guard(ingest_cli, raw, out)


@app.command("demo-data")
def demo_data(
    out: Path = typer.Option(config.DATA_RAW, "--out", help="Map waarin de demobestanden komen."),
    seed: int = typer.Option(2025, "--seed", help="Zaad van de toevalsgenerator (zelfde zaad, zelfde bytes)."),
) -> None:
    """Schrijf deterministische fictieve demonstratiedata in de echte bestandsformaten."""
    from helpers.demodata import demo_data_cli

    _guard(demo_data_cli, out, seed)


@app.command()
def build(
    raw: Path = typer.Option(config.DATA_RAW, "--raw", help="Map met ruwe bestanden."),
    out: Path = typer.Option(config.DATA_PROCESSED, "--out", help="Map voor de verwerkte tabellen."),
    nulmeting: int = typer.Option(2022, "--nulmeting", help="Jaar van de nulmeting."),
) -> None:
    """Inlezen plus de indicatorbasis voor de 20 focusgebieden in één keer."""
    from helpers.studies.indicators.base import build_cli

    _guard(build_cli, raw, out, nulmeting)


@app.command()
def fetch(
    out: Path = typer.Option(config.DATA_RAW, "--out", help="Map waarin de gedownloade tabellen komen."),
    jaar: list[int] = typer.Option([], "--jaar", help="KWB-jaargang(en); standaard alle bekende."),
) -> None:
    """Download KWB-tabellen voor de focusgemeenten via cbsodata (internet nodig)."""
    from helpers.ingest.fetch import fetch_cli

    _guard(fetch_cli, out, jaar)


@app.command()
def run(
    gebied: list[str] = typer.Option([], "--gebied", help="Focusgebied-id of 'alle' (herhaalbaar)."),
    alle: bool = typer.Option(False, "--alle", help="Alle 20 focusgebieden plus 'alle'."),
    notebook: list[str] = typer.Option([], "--notebook", help="Notebooknaam zonder .ipynb (herhaalbaar)."),
    jobs: int | None = typer.Option(None, "--jobs", help="Aantal parallelle taken (standaard: aantal kernen)."),
    force: bool = typer.Option(False, "--force", help="Ook ongewijzigde notebooks opnieuw uitvoeren."),
    executor: str = typer.Option("local", "--executor", help="'local' (parallel op deze machine) of 'dask' (bestaand Dask-cluster)."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Adres van de Dask-scheduler."),
) -> None:
    """Voer notebooks uit per focusgebied: parallel, incrementeel en herleidbaar."""
    from helpers.runner import run_cli

    code = _guard(
        run_cli,
        gebieden=gebied,
        alle=alle,
        notebooks=notebook,
        jobs=jobs,
        force=force,
        executor=executor,
        scheduler=scheduler,
    )
    if code:
        raise typer.Exit(code=code)


@app.command()
def survey(
    input: Path = typer.Option(..., "--input", help="Sprockler-export (CSV of XLSX)."),
    mapping: Path = typer.Option(config.SPROCKLER_YML, "--mapping", help="Koppelbestand (YAML)."),
    out: Path = typer.Option(..., "--out", help="Map voor de tabellen."),
) -> None:
    """Analyseer een Sprockler-export: bipolen, tripool, beeldwijzer en verhalen."""
    from helpers.studies.survey import survey_cli

    _guard(survey_cli, input, mapping, out)


@app.command()
def render(
    run_first: bool = typer.Option(True, "--run/--no-run", help="Eerst notebookuitvoer bijwerken."),
    jobs: int | None = typer.Option(None, "--jobs", help="Parallelle taken voor de runner."),
) -> None:
    """Maak de publiekssamenvatting en de factsheets (HTML en PDF)."""
    from helpers.publish import render_cli

    _guard(render_cli, run_first=run_first, jobs=jobs)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
