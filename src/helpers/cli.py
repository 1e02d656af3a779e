"""Command-line interface ``wijkmonitor`` (typer).

Every command imports its heavy module lazily inside the function body, so that
``wijkmonitor --help`` starts instantly. Commands are thin: parse options, call one function
of the package, turn :class:`helpers.core.errors.WijkmonitorError` into a red message and exit 1.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

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
    nulmeting: int | None = typer.Option(None, "--nulmeting", help="Jaar van de nulmeting (standaard: params/monitor.yml)."),
) -> None:
    """Inlezen plus de indicatorbasis voor de 20 focusgebieden in één keer."""
    _guard(build_processed, raw, out, nulmeting)


def build_processed(raw: Path, out: Path, nulmeting: int | None = None) -> None:
    """Body of ``wijkmonitor build``: ingest, then the indicator base, with a Dutch summary.

    The only place that chains :mod:`helpers.ingest` and :mod:`helpers.studies`.
    """
    from rich.console import Console

    from helpers.core import provenance
    from helpers.ingest.build import run_ingest
    from helpers.studies.indicators import base

    console = Console()
    raw, out = Path(raw), Path(out)
    check_registries()  # a broken params/*.yml fails before anything is written
    console.print(f"Inlezen van ruwe bestanden uit {raw} ...")
    run_ingest(raw, out)
    console.print("Indicatorbasis opbouwen ...")
    res = base.build_uit_map(out, nulmeting)
    ontbreekt = base.ontbrekende_bronnen(res, out)
    paden = base.write_indicatorbasis(res, out, ontbreekt, provenance.load_bronnen(out))
    b = res.basis
    gevuld = b["waarde"].notna().sum()
    console.print(f"{len(b)} rijen (focusgebied x indicator x jaar), {gevuld} met een waarde.")
    for p in paden:
        console.print(f"geschreven: {p}")
    if ontbreekt:
        console.print("[bold]Ontbrekende bronnen en gaten[/bold] (zie ook datakwaliteit.md):")
        for r in ontbreekt:
            console.print(f"  - {r}")


def check_registries() -> None:
    """Load the registries ``build`` depends on (focus areas, indicators, run-wide values);
    raises :class:`helpers.core.errors.RegistryError` (a YAML syntax error with file, line and
    column) before ingest writes anything."""
    from helpers.registers import focusgebieden, indicatoren, monitor

    monitor.load_monitor()
    focusgebieden.load_focusgebieden()
    indicatoren.load_indicatoren()


@app.command()
def fetch(
    out: Path = typer.Option(config.DATA_RAW, "--out", help="Map waarin de gedownloade tabellen komen."),
    jaar: list[int] = typer.Option([], "--jaar", help="KWB-jaargang(en); standaard alle bekende."),
) -> None:
    """Download KWB-tabellen voor de focusgemeenten via cbsodata (internet nodig)."""
    from helpers.ingest.fetch import fetch_cli

    _guard(fetch_cli, out, jaar)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def run(
    ctx: typer.Context,
    focusgebied: list[str] = typer.Option([], "--gebied", help="Focusgebied-id of 'alle' (herhaalbaar)."),
    alle: bool = typer.Option(False, "--alle", help="Alle 20 focusgebieden plus 'alle'."),
    notebook: list[str] = typer.Option([], "--notebook", help="Notebooknaam zonder .ipynb (herhaalbaar)."),
    jobs: int | None = typer.Option(None, "--jobs", help="Aantal parallelle taken (standaard: aantal kernen)."),
    force: bool = typer.Option(False, "--force", help="Ook ongewijzigde notebooks opnieuw uitvoeren."),
    executor: str = typer.Option("local", "--executor", help="'local' (parallel op deze machine) of 'dask' (bestaand Dask-cluster)."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Adres van de Dask-scheduler."),
    html: bool = typer.Option(False, "--html", help="Ook een HTML-versie (zonder code) van elk uitgevoerd notebook maken; zonder deze optie alleen bij een mislukte uitvoering."),
    variant: str | None = typer.Option(None, "--variant", help="Naam van de parametervariant (standaard: afgeleid van de -p-waarden)."),
) -> None:
    """Voer notebooks uit per focusgebied: parallel, incrementeel en herleidbaar.

    Parameters wijzigen met -p NAAM WAARDE (herhaalbaar; de waarde wordt als YAML gelezen,
    bijv. -p jaar_nulmeting 2019 of -p min_n 20). Elke combinatie is een
    variant met een eigen map reports/runs/varianten/<naam>/; die komt alleen in de
    publicatie met 'wijkmonitor render --variant NAAM'.
    """
    from helpers.runner import run_cli

    code = _guard(
        run_cli,
        gebieden=focusgebied,
        alle=alle,
        notebooks=notebook,
        jobs=jobs,
        force=force,
        executor=executor,
        scheduler=scheduler,
        html=html,
        extra_args=list(ctx.args),
        variant=variant,
    )
    if code:
        raise typer.Exit(code=code)


def survey_tables(input: Path, mapping: Path, out: Path) -> list[Path]:
    """Body of ``wijkmonitor survey``: read a Sprockler export, analyse, write the tables."""
    from rich.console import Console

    from helpers.ingest.readers.sprockler_export import read_export
    from helpers.registers.sprockler import load_mapping
    from helpers.studies.survey import analyse, write_tables

    m = load_mapping(mapping)
    resp = read_export(Path(input), m)
    paths = write_tables(analyse(resp, m), Path(out))
    console = Console()
    for p in paths:
        console.print(f"geschreven: {p}")
    console.print(f"{len(resp)} respondenten ingelezen (ids vervangen door pseudoniemen; "
                  "die staan niet in de uitvoer)")
    return paths


@app.command()
def survey(
    input: Path = typer.Option(..., "--input", help="Sprockler-export (CSV of XLSX)."),
    mapping: Path = typer.Option(config.SPROCKLER_YML, "--mapping", help="Koppelbestand (YAML)."),
    out: Path = typer.Option(..., "--out", help="Map voor de tabellen."),
) -> None:
    """Analyseer een Sprockler-export: bipolen, tripool, beeldwijzer en verhalen."""
    _guard(survey_tables, input, mapping, out)


@app.command()
def render(
    run_first: bool = typer.Option(True, "--run/--no-run", help="Eerst notebookuitvoer bijwerken."),
    jobs: int | None = typer.Option(None, "--jobs", help="Parallelle taken voor de runner."),
    focusgebied: str | None = typer.Option(
        None, "--gebied", help="Alleen de factsheet van dit focusgebied (id) verversen in de "
        "bestaande editie; verder niets."),
    variant: str | None = typer.Option(None, "--variant", help="Publiceer een parametervariant (wijkmonitor run -p ...) naar reports/_output/varianten/NAAM/."),
) -> None:
    """Maak de publiekssamenvatting en de factsheets (HTML en PDF)."""
    _guard(render_publication, run_first=run_first, jobs=jobs, focusgebied=focusgebied,
           variant=variant)


def update_notebooks(jobs: int | None = None, console: Any = None) -> Any:
    """Bring the ``alle`` outputs of the notebooks the publication uses up to date (runner).

    Incremental: the runner skips runs whose notebook, inputs, helpers and parameters did not
    change. Only notebooks present in ``notebooks/`` are requested. Raises
    :class:`helpers.core.errors.WijkmonitorError` when a notebook run failed.
    """
    from helpers.core import config
    from helpers.core.errors import WijkmonitorError
    from helpers.publish import content as inhoud
    from helpers.runner import run

    nodig = inhoud.benodigde_notebooks(inhoud.load_config())
    aanwezig = [nb for nb in nodig if (config.NOTEBOOKS / f"{nb}.ipynb").exists()]
    if not aanwezig:
        return None
    resultaat = run(["alle"], aanwezig, jobs=jobs, console=console)
    if not resultaat.ok:
        namen = ", ".join(f"{r.gebied}/{r.notebook}" for r in resultaat.mislukt)
        raise WijkmonitorError(f"de publicatie is niet gemaakt: notebook(s) mislukt: {namen}")
    return resultaat


def render_publication(run_first: bool = True, jobs: int | None = None,
                       focusgebied: str | None = None, variant: str | None = None) -> None:
    """Entry point of ``wijkmonitor render`` (``gebied``: one area's factsheet only;
    ``variant``: publish that parameter variant)."""
    from rich.console import Console

    from helpers.publish import render

    console = Console(highlight=False)
    if run_first:
        update_notebooks(jobs=jobs, console=console)
    resultaat = render(jobs=jobs, focusgebied=focusgebied, variant=variant)
    for w in resultaat.waarschuwingen:
        console.print(f"[yellow]Let op:[/yellow] {w}")
    if focusgebied is not None:
        namen = ", ".join(p.name for p in resultaat.bestanden)
        console.print(f"Factsheet van {focusgebied} ververst in {resultaat.output}: {namen} "
                      f"({resultaat.duur_s:.1f} s)")
        return
    aantal = sum(1 for p in resultaat.bestanden if p.suffix in (".html", ".pdf"))
    console.print(
        f"Publicatie gemaakt met {resultaat.renderer.get('naam')}: {aantal} HTML- en PDF-bestanden "
        f"in {resultaat.output} ({resultaat.duur_s:.1f} s)"
        + (" — [bold red]fictieve demonstratiedata[/bold red]" if resultaat.demo else "")
    )


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
