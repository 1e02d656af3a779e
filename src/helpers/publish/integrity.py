"""Only what the runner wrote gets published: the outputs ``render`` uses, checked against the
run manifest (``reports/runs/manifest.json``, see :mod:`helpers.runner.manifest`).

For every notebook result the publication uses, :func:`check_results` requires

- a manifest entry for that run (``alle/<notebook>``, or ``varianten/<naam>/alle/<notebook>``
  for ``render --variant``), with status ``geslaagd`` (or ``geen gegevens``: its sources are
  absent from this edition, :mod:`helpers.runner.absent`) and file hashes (``bestanden``);
- for ``uitvoer.json`` and every figure and table it names: a recorded sha256 equal to the
  file's current sha256 (a file edited, replaced or added after the run is refused; a missing
  file is left to the content guards, which name it);
- the recorded parameters matching their recorded hash, and equal to the parameters the runner
  would use now (``params/monitor.yml``, ``params/notebooks.yml``, the parameters cell; for a
  variant the defaults plus the variant's own parameters), so a run with other parameters is
  never published as the default edition.

Every problem names the file and says what to do; :func:`helpers.publish.guards.weiger` turns
the list into one Dutch :class:`~helpers.core.errors.PublicationGuardError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers.core.errors import PublicationGuardError
from helpers.publish.content import Resultaat, load_resultaten
from helpers.runner import manifest as mf
from helpers.runner.spec import RunnerError, load_specs, resolve_parameters
from helpers.runner.status import GEEN_GEGEVENS

OPNIEUW = "voer 'wijkmonitor run --gebied alle --notebook {nb}{extra}' opnieuw uit"


def expected_parameters(notebooks: list[str], variant: dict[str, Any] | None = None,
                        notebooks_dir: Path | None = None) -> dict[str, dict[str, Any] | None]:
    """Per notebook, the parameters the runner would give its ``alle`` run now (``None`` for a
    notebook it does not know). ``variant``: the variant's parameters, applied to the notebooks
    that declare them."""
    specs = load_specs(notebooks_dir)
    out: dict[str, dict[str, Any] | None] = {}
    for nb in notebooks:
        spec = specs.get(nb)
        if spec is None:
            out[nb] = None
            continue
        eigen = {k: v for k, v in (variant or {}).items() if k in spec.parameters}
        try:
            out[nb] = resolve_parameters(spec, "alle", eigen)
        except RunnerError:
            out[nb] = None
    return out


def _used_files(r: Resultaat) -> list[str]:
    """Names (relative to the result's folder) of the files the publication reads."""
    names = ["uitvoer.json"]
    for groep in (r.figuren, r.tabellen):
        for naam, meta in groep.items():
            names.append(str((meta or {}).get("bestand") or f"{naam}.csv"))
    return names


def _relative(runs: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(runs.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def check_result(r: Resultaat, entry: dict[str, Any] | None, runs: Path,
                 expected: dict[str, Any] | None, variant: str | None = None) -> list[str]:
    """Problems (Dutch, naming the file) of one result against its manifest entry."""
    extra = f" -p ... --variant {variant}" if variant else ""
    hint = OPNIEUW.format(nb=r.notebook, extra=extra)
    index = _relative(runs, r.index)
    if not entry:
        return [f"{index}: niet gemaakt door 'wijkmonitor run' (geen vermelding "
                f"'{mf.key(r.gebied, r.notebook, variant)}' in manifest.json); {hint}"]
    if entry.get("status") not in ("geslaagd", GEEN_GEGEVENS):
        return [f"{index}: de laatste uitvoering is mislukt ({entry.get('fout')}); {hint}"]
    hashes = entry.get("bestanden")
    if not isinstance(hashes, dict):
        return [f"{index}: manifest.json bevat geen hashes van de geschreven bestanden "
                f"(uitvoering van een oudere versie); {hint.replace('run ', 'run --force ')}"]
    problems = []
    for naam in _used_files(r):
        path = r.pad(naam)
        rel = _relative(runs, path)
        if not path.is_file():
            continue  # a missing file is reported by the content guards (guards.py)
        if rel not in hashes:
            problems.append(f"{rel}: niet geschreven door de uitvoering in manifest.json "
                            f"(na de uitvoering toegevoegd); {hint}")
        elif mf.file_hash(path) != hashes[rel]:
            problems.append(f"{rel}: gewijzigd na de uitvoering (sha256 verschilt van "
                            f"manifest.json); {hint}")
    params = entry.get("parameters")
    if mf.json_hash(params) != entry.get("parameters_hash"):
        problems.append(f"{index}: de parameters in manifest.json kloppen niet met hun hash; {hint}")
    elif expected is not None and params != expected:
        verschil = sorted(k for k in {*(params or {}), *expected}
                          if (params or {}).get(k) != expected.get(k))
        uitleg = ", ".join(f"{k} = {(params or {}).get(k)!r} (verwacht {expected.get(k)!r})"
                           for k in verschil)
        problems.append(f"{index}: uitgevoerd met andere parameters dan nu gelden: {uitleg}; "
                        f"{hint}")
    return problems


def check_results(resultaten: dict[str, Resultaat], manifest: dict[str, Any], runs: Path,
                  expected: dict[str, dict[str, Any] | None],
                  varianten: dict[str, str] | None = None) -> list[str]:
    """Problems of every result the publication uses (empty list: all as the runner wrote).

    ``varianten``: notebook -> variant name for the results taken from a variant."""
    problems: list[str] = []
    for nb, r in resultaten.items():
        variant = (varianten or {}).get(nb)
        entry = manifest.get(mf.key(r.gebied, r.notebook, variant))
        problems += check_result(r, entry, runs, expected.get(nb), variant)
    return problems


def variant_parameters(manifest: dict[str, Any], variant: str) -> dict[str, Any]:
    """The parameters a variant was run with (``variant_parameters`` of its manifest entries).

    Raises :class:`~helpers.core.errors.PublicationGuardError` when no run of ``variant`` is
    recorded, listing the variants that are."""
    prefix = mf.variant_prefix(variant)
    for k, entry in manifest.items():
        if k.startswith(prefix) and isinstance(entry, dict):
            return dict(entry.get("variant_parameters") or {})
    bekend = sorted({k.split("/")[1] for k in manifest if k.startswith(f"{mf.VARIANTS}/")})
    raise PublicationGuardError(
        f"variant '{variant}' is niet uitgevoerd (geen vermelding in manifest.json; bekende "
        f"varianten: {', '.join(bekend) or 'geen'}); maak hem met 'wijkmonitor run --gebied "
        f"alle -p NAAM WAARDE --variant {variant}'")


def load_results(runs: Path, notebooks: list[str], variant: str | None = None
                 ) -> tuple[dict[str, Resultaat], dict[str, str]]:
    """The ``alle`` results the publication uses, and which of them come from ``variant``.

    With a variant, a notebook the variant ran is taken from ``runs/varianten/<naam>/``; the
    other notebooks from the default runs."""
    resultaten = load_resultaten(runs, notebooks)
    uit_variant: dict[str, str] = {}
    if variant:
        for nb, r in load_resultaten(runs / mf.variant_prefix(variant), notebooks).items():
            resultaten[nb] = r
            uit_variant[nb] = variant
    return resultaten, uit_variant
