"""Runs whose declared inputs are missing: a source absent from this edition, or a real failure.

A processed source table (a key of :data:`helpers.core.provenance.BRON_LABELS`) that is missing
although ``wijkmonitor build`` ran (``bronnen.json`` exists and does not list the table) means
that this edition has no raw files of that source: the run gets the status ``geen gegevens``,
no kernel starts, and :func:`write_geen_gegevens` writes an ``uitvoer.json`` naming the
missing sources in reader terms (the publication then says that this edition has no data for
that part). Any other missing input is a failure (``mislukt``); the hint to run
``wijkmonitor build`` is given only when the build output is really absent.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from helpers.core import config
from helpers.core.io import write_json
from helpers.core.provenance import BRON_LABELS, bron_label

BUILD_HINT = " (eerst 'wijkmonitor build' uitvoeren?)"


@dataclass
class Afwezig:
    """What is missing for one run: ``bronnen`` (processed source tables absent from this
    edition) and ``fout`` (the failure message when an input is missing for another reason)."""

    bronnen: list[str] = field(default_factory=list)
    fout: str | None = None

    @property
    def labels(self) -> list[str]:
        """The absent sources in reader terms."""
        return [bron_label(t) for t in self.bronnen]


def _in(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def classify_missing(
    missing: list[Path],
    bronnen: dict,
    processed: Path | None = None,
    shown: dict[Path, str] | None = None,
) -> Afwezig:
    """Sort the missing inputs of one run into absent sources and failures.

    ``bronnen``: the ``bronnen.json`` of ``processed`` (default :data:`config.DATA_PROCESSED`;
    ``{}`` when build never ran). ``shown``: path -> text for messages. An input is an absent
    source when it is a ``<tabel>.parquet`` in ``processed`` for a registered source table
    that the last build did not write. Otherwise the first such input makes the run fail with
    ``invoer ontbreekt: <pad>``, plus :data:`BUILD_HINT` only for a file in ``processed``
    while no build output exists.
    """
    processed = Path(processed or config.DATA_PROCESSED)
    geschreven = set((bronnen or {}).get("tabellen") or {})
    uit = Afwezig()
    for p in missing:
        binnen = _in(p, processed)
        if (
            bronnen
            and binnen
            and p.suffix == ".parquet"
            and p.stem in BRON_LABELS
            and p.stem not in geschreven
        ):
            if p.stem not in uit.bronnen:
                uit.bronnen.append(p.stem)
            continue
        if uit.fout is None:
            tekst = (shown or {}).get(p, p.as_posix())
            if binnen and not bronnen:
                hint = BUILD_HINT
            elif binnen:
                hint = (
                    " (staat niet in de uitvoer van de laatste 'wijkmonitor build'; "
                    "die opnieuw uitvoeren?)"
                )
            else:
                hint = ""
            uit.fout = f"invoer ontbreekt: {tekst}{hint}"
    return uit


def build_bronnenlijst(labels: list[str]) -> str:
    """ "Ontbrekende bron: A." or "Ontbrekende bronnen: A; B." ('' without labels)."""
    if not labels:
        return ""
    return f"Ontbrekende bron{'nen' if len(labels) > 1 else ''}: {'; '.join(labels)}."


def build_melding(labels: list[str]) -> str:
    """The Dutch statement for readers that this edition has no data for a part."""
    return " ".join(
        t
        for t in ("Deze editie bevat geen gegevens voor dit onderdeel.", build_bronnenlijst(labels))
        if t
    )


def write_geen_gegevens(
    folder: Path, focusgebied: str, notebook: str, titel: str, bronnen: list[str], demo: bool
) -> Path:
    """Replace the outputs of one run by an ``uitvoer.json`` with status ``geen gegevens``.

    ``folder``: the run's output folder (``reports/runs/<gebied>/<notebook>``, or under
    ``varianten/<naam>/``). Earlier outputs of the run (figures, tables, the executed copy and
    its HTML beside the folder) are removed first, so nothing from an older edition with data
    can be published with this one. Returns the path of the ``uitvoer.json``.
    """
    if folder.is_dir():
        shutil.rmtree(folder)
    for suffix in (".ipynb", ".html"):
        folder.with_name(f"{folder.name}{suffix}").unlink(missing_ok=True)
    folder.mkdir(parents=True)
    labels = [bron_label(t) for t in bronnen]
    data = {
        "gebied": focusgebied,
        "notebook": notebook,
        "titel": titel,
        "demo": bool(demo),
        "status": "geen gegevens",
        "ontbrekende_bronnen": labels,
        "melding": build_melding(labels),
        "figuren": {},
        "tabellen": {},
        "kerncijfers": {},
        "teksten": {},
    }
    return write_json(folder / config.UITVOER_JSON, data)
