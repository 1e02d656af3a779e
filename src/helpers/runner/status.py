"""Outcomes of a batch: statuses, per-run results, progress display and summary table."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GESLAAGD, MISLUKT, OVERGESLAGEN = "geslaagd", "mislukt", "overgeslagen"
#: A run whose sources are absent from this edition (no kernel started; not a failure).
GEEN_GEGEVENS = "geen gegevens"
SKIP_TEXT = "overgeslagen (ongewijzigd)"


@dataclass
class TaakResultaat:
    """Outcome of one area x notebook run.

    ``status``: ``geslaagd``, ``mislukt``, ``geen gegevens`` (its sources are absent from this
    edition: ``toelichting`` names them) or ``overgeslagen`` (unchanged since the last
    successful run). ``ipynb``/``html``: the executed copy and its HTML export
    (``None`` when not exported: only with ``html=True`` or for a failed run);
    ``uitvoer_map``: ``reports/runs/<gebied>/<notebook>/`` (files the notebook wrote).
    """

    gebied: str
    notebook: str
    status: str
    duur_s: float = 0.0
    fout: str | None = None
    fouten: list[str] = field(default_factory=list)
    ipynb: Path | None = None
    html: Path | None = None
    uitvoer_map: Path | None = None
    toelichting: str | None = None


@dataclass
class RunResult:
    """All outcomes of one :func:`run` call, in plan order."""

    resultaten: list[TaakResultaat]
    duur_s: float
    manifest: Path
    variant: str | None = None

    def _met(self, status: str) -> list[TaakResultaat]:
        return [r for r in self.resultaten if r.status == status]

    @property
    def geslaagd(self) -> list[TaakResultaat]:
        return self._met(GESLAAGD)

    @property
    def mislukt(self) -> list[TaakResultaat]:
        return self._met(MISLUKT)

    @property
    def geen_gegevens(self) -> list[TaakResultaat]:
        return self._met(GEEN_GEGEVENS)

    @property
    def overgeslagen(self) -> list[TaakResultaat]:
        return self._met(OVERGESLAGEN)

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.mislukt

    @property
    def exit_code(self) -> int:
        """0 when nothing failed (``geen gegevens`` is no failure), else 1."""
        return 0 if self.ok else 1


class ProgressDisplay:
    """Progress (rich): areas x notebooks; geslaagd, mislukt, overgeslagen; elapsed."""

    def __init__(self, total: int, console: Any, quiet: bool) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.console, self.quiet = console, quiet
        self.tel = {GESLAAGD: 0, GEEN_GEGEVENS: 0, MISLUKT: 0, OVERGESLAGEN: 0}
        self.progress = Progress(
            TextColumn("[bold]notebooks × gebieden"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.description}"), TimeElapsedColumn(),
            console=console, disable=quiet, transient=False,
        )
        self.task = self.progress.add_task(self._desc(), total=total)

    def _desc(self) -> str:
        return (f"geslaagd {self.tel[GESLAAGD]} · geen gegevens {self.tel[GEEN_GEGEVENS]} · "
                f"mislukt {self.tel[MISLUKT]} · "
                f"overgeslagen {self.tel[OVERGESLAGEN]}")

    def __enter__(self) -> ProgressDisplay:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.progress.__exit__(*exc)

    def done(self, r: TaakResultaat) -> None:
        from helpers.core.nl import getal

        self.tel[r.status] += 1
        if not self.quiet:
            if r.status == OVERGESLAGEN:
                msg = f"[dim]{r.gebied} / {r.notebook}: {SKIP_TEXT}[/dim]"
            elif r.status == GESLAAGD:
                msg = f"[green]✓[/green] {r.gebied} / {r.notebook} ({getal(r.duur_s, 1)} s)"
            elif r.status == GEEN_GEGEVENS:
                msg = f"[yellow]○ {r.gebied} / {r.notebook}: geen gegevens[/yellow] — {r.toelichting}"
            else:
                msg = f"[red]✗ {r.gebied} / {r.notebook}: mislukt[/red] — {r.fout}"
            self.progress.console.print(msg, highlight=False)
        self.progress.update(self.task, advance=1, description=self._desc())


def print_summary(result: RunResult, console: Any) -> None:
    """Summary table: gebied, notebook, status, duur, first line of the error (or which sources
    are absent); then totals."""
    from rich.table import Table

    from helpers.core.nl import getal

    table = Table(title="Samenvatting uitvoering", show_lines=False)
    for col in ("Gebied", "Notebook", "Status", "Duur (s)", "Fout of toelichting"):
        table.add_column(col, overflow="fold")
    kleur = {GESLAAGD: "green", GEEN_GEGEVENS: "yellow", MISLUKT: "bold red", OVERGESLAGEN: "dim"}
    for r in result.resultaten:
        status = SKIP_TEXT if r.status == OVERGESLAGEN else r.status
        uitleg = r.fout or r.toelichting
        table.add_row(r.gebied, r.notebook, f"[{kleur[r.status]}]{status}[/]",
                      getal(r.duur_s, 1) if r.status not in (OVERGESLAGEN, GEEN_GEGEVENS) else "–",
                      uitleg.splitlines()[0] if uitleg else "")
    console.print(table)
    console.print(
        f"{len(result.geslaagd)} geslaagd, {len(result.geen_gegevens)} geen gegevens, "
        f"{len(result.mislukt)} mislukt, "
        f"{len(result.overgeslagen)} overgeslagen in {getal(result.duur_s, 1)} s; "
        f"manifest: {result.manifest}",
        highlight=False,
    )
