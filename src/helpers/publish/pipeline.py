"""The render pipeline: sources -> guards -> HTML + PDF -> downloads -> ``reports/_output``."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from helpers.core import config
from helpers.core.io import move_into_place
from helpers.core.provenance import load_bronnen
from helpers.publish import audit, factsheet, guards, integrity, leesbaarheid, veiligheid
from helpers.publish import build as bouw_mod
from helpers.publish import content as inhoud
from helpers.publish import edition as editie_mod
from helpers.publish import engine as motor
from helpers.registers import focusgebieden
from helpers.runner import manifest as mf


@dataclass
class RenderResultaat:
    """What :func:`render` wrote."""

    output: Path
    bestanden: list[Path]
    demo: bool
    renderer: dict
    duur_s: float
    waarschuwingen: list[str] = field(default_factory=list)


def _manifest(runs: Path) -> dict:
    import json

    pad = runs / "manifest.json"
    if not pad.exists():
        return {}
    try:
        return (json.loads(pad.read_text(encoding="utf-8")) or {}).get("runs", {})
    except (ValueError, AttributeError):
        return {}


def render(
    *,
    runs: Path | None = None,
    processed: Path | None = None,
    output: Path | None = None,
    build: Path | None = None,
    gebieden: list[tuple[str, str]] | None = None,
    afbakening: dict[str, str] | None = None,
    cfg_pad: Path | None = None,
    jobs: int | None = None,
    datum: dt.date | None = None,
    teksten_map: Path | None = None,
    sjablonen: Path | None = None,
    aannames: Path | None = None,
    variant: str | None = None,
    focusgebied: str | None = None,
) -> RenderResultaat:
    """Render the publication and factsheets from the notebooks' ``alle`` outputs.

    Defaults come from :mod:`helpers.core.config` (``reports/runs``, ``data/processed``,
    ``reports/_output``, ``reports/_gegenereerd``) and the area focusgebieden. Raises
    :class:`helpers.core.errors.PublicationGuardError` when content must not be published (small n,
    unreleased stories, respondent ids, stigmatising or causal wording, inconsistent demo
    flags, constructs outside the subset, an HTML page failing the reader checks, a suppressed
    cell that can be recovered from the tables of the edition: :mod:`helpers.publish.audit`) and
    :class:`helpers.publish.engine.RenderError` when pandoc/typst/quarto fail. In both cases
    the previous ``output`` folder is left as it was.

    Every output used is first checked against the run manifest
    (:mod:`helpers.publish.integrity`): files changed after the run, outputs not written by
    ``wijkmonitor run`` and runs with other parameters than now apply are refused, naming the
    file. ``variant``: publish the parameter variant ``naam`` (``wijkmonitor run -p ...
    --variant naam``) instead of the default runs, into ``reports/_output/varianten/<naam>/``.

    ``gebied``: render only that area's factsheet (HTML + PDF) into the existing edition in
    ``output`` (its links to the publication and the downloads are checked there); the other
    files stay as they are and ``editie.json`` records the refresh
    (:func:`helpers.publish.edition.update_editie`). Raises :class:`InputError` for an unknown
    area and :class:`WijkmonitorError` when there is no edition yet.
    """

    t0 = time.perf_counter()
    runs = Path(runs or config.RUNS)
    output = Path(output or (config.OUTPUT / mf.VARIANTS / variant if variant else config.OUTPUT))
    build = Path(build or config.REPORTS / "_gegenereerd")
    cfg_pad = Path(cfg_pad or inhoud.PUBLICATIE_YML)
    cfg = inhoud.load_config(cfg_pad)
    if gebieden is None:

        gebieden_reg = focusgebieden.load_focusgebieden()
        gebieden = [(g.id, g.naam) for g in gebieden_reg]
        if afbakening is None:
            afbakening = {g.id: g.toelichting for g in gebieden_reg}
    if focusgebied is not None:
        gebieden = editie_mod.select_gebied(gebieden, focusgebied, output)
    notebooks = inhoud.benodigde_notebooks(cfg)
    manifest = _manifest(runs)
    resultaten, uit_variant = integrity.load_results(runs, notebooks, variant)
    verwacht = integrity.expected_parameters(
        notebooks, integrity.variant_parameters(manifest, variant) if variant else None)
    guards.refuse(integrity.check_results(resultaten, manifest, runs, verwacht, uit_variant))
    bronnen = load_bronnen(processed)
    info = motor.renderer_info()
    code = editie_mod.code_commit()
    nu = dt.datetime.now(dt.UTC).replace(microsecond=0)
    editie = nu.isoformat() + (f"/{code['commit'][:7]}" if code.get("commit") else "")

    gebouwd = bouw_mod.build_bronnen(
        cfg=cfg, resultaten=resultaten, build=build, gebieden=gebieden, bronnen=bronnen,
        manifest=manifest, datum=datum, editie=editie, renderer=motor.renderer_tekst(info),
        afbakening=afbakening, teksten_map=teksten_map, sjablonen=sjablonen,
        vrijgegeven=guards.vrijgegeven_verhalen(Path(processed or config.DATA_PROCESSED)),
        gemeenten=factsheet.load_gemeentenamen(Path(processed or config.DATA_PROCESSED)))
    # disclosure audit: every table of the edition together (publication, factsheets and
    # downloads use these tables); refuses when a suppressed cell can be recovered
    guards.refuse(audit.audit_tables(gebouwd.tabellen))
    if focusgebied is not None:  # one factsheet and nothing else
        gebouwd.documenten = {k: v for k, v in gebouwd.documenten.items()
                              if k == f"factsheet-{focusgebied}"}
        gebouwd.tabellen = []
    links = output if focusgebied is not None else None  # the edition the factsheet links into

    # staging folders live in the (git-ignored) build folder; moved into place at the end
    tmp = build / f"_output.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    try:
        # downloads (CSV/XLSX) are written while pandoc and typst render the documents
        with ThreadPoolExecutor(max_workers=1) as pool:
            downloads = pool.submit(editie_mod.write_downloads, gebouwd.tabellen, tmp, cfg,
                                    demo=gebouwd.demo, editie=editie,
                                    aannames=aannames) if focusgebied is None else None
            bestanden = motor.render_documenten(gebouwd.documenten, tmp, demo=gebouwd.demo,
                                                jobs=jobs)
            bestanden += downloads.result() if downloads else []
        problemen = []
        eigen = veiligheid.build_eigen_hashes(build)  # the edition's own images and stylesheet
        for pad in sorted(tmp.glob("*.html")):
            html_tekst = pad.read_text(encoding="utf-8")
            problemen += guards.check_html(
                html_tekst, pagina=pad.name, map=links or tmp, demo=gebouwd.demo,
                vrije_teksten=gebouwd.vrije_teksten, scripts_toegestaan=info["naam"] == "quarto")
            # last line: every element, attribute and URL against the allow-list
            problemen += veiligheid.html_problemen(html_tekst, pagina=pad.name, map=links or tmp,
                                                   build=build, quarto=info["naam"] == "quarto",
                                                   eigen=eigen)
            if pad.stem == "publiekssamenvatting":  # plain Dutch before the Verantwoording
                problemen += leesbaarheid.check_termen(
                    html_tekst, cfg.get("statistische_termen") or [], pagina=pad.name)
        guards.refuse(problemen)
        if focusgebied is not None:
            bestanden = editie_mod.update_editie(output, tmp, bestanden, focusgebied=focusgebied,
                                                 editie=editie, renderer=info)
            shutil.rmtree(tmp, ignore_errors=True)
            return RenderResultaat(output=output, bestanden=bestanden, demo=gebouwd.demo,
                                   renderer=info, duur_s=time.perf_counter() - t0,
                                   waarschuwingen=gebouwd.waarschuwingen)
        record = editie_mod.editie_record(
            editie=editie, datum=(datum or nu.date()).isoformat(), demo=gebouwd.demo,
            renderer=info, cfg_pad=cfg_pad, resultaten=list(resultaten.values()), bronnen=bronnen,
            gebieden=[g for g, _ in gebieden],
            parameters={"notebooks": notebooks, "jobs": jobs, "variant": variant,
                        "manifest": {k: manifest.get(k) for k in (
                            mf.key("alle", nb, uit_variant.get(nb)) for nb in notebooks)}},
            uitvoer=bestanden, out=tmp)
        bestanden.append(editie_mod.write_editie(record, tmp))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    oud = build / f"_output.oud-{os.getpid()}"
    output.parent.mkdir(parents=True, exist_ok=True)
    if output.exists():
        move_into_place(output, oud)
    move_into_place(tmp, output)
    shutil.rmtree(oud, ignore_errors=True)
    return RenderResultaat(output=output, bestanden=[output / p.relative_to(tmp) for p in bestanden],
                           demo=gebouwd.demo, renderer=info, duur_s=time.perf_counter() - t0,
                           waarschuwingen=gebouwd.waarschuwingen)
