"""``wijkmonitor render --gebied ID`` (issue 14, point 8): one area's factsheet is refreshed in the
existing edition, and nothing else is rendered or touched."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.core import config
from helpers.core.errors import InputError, WijkmonitorError
from helpers.publish import render
from helpers.publish.edition import sha256
from publish_fixtures import GEBIEDEN, make_bronnen, make_runs, render_kwargs


def _staat(out: Path) -> dict[str, tuple[int, str]]:
    return {
        p.relative_to(out).as_posix(): (p.stat().st_mtime_ns, sha256(p))
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def editie(tmp_path):
    runs = make_runs(tmp_path, gebieden=GEBIEDEN[:2])
    kwargs = render_kwargs(tmp_path, runs, make_bronnen(tmp_path), gebieden=GEBIEDEN[:2])
    render(**kwargs)
    return kwargs


def test_one_area_refreshes_only_its_factsheet(editie, monkeypatch):
    from helpers.publish import engine

    out = editie["output"]
    voor = _staat(out)
    gerenderd: list[str] = []
    echte = engine.render_documenten

    def tel(documenten, *args, **kwargs):
        gerenderd.extend(documenten)
        return echte(documenten, *args, **kwargs)

    monkeypatch.setattr(engine, "render_documenten", tel)
    gid = GEBIEDEN[1][0]
    r = render(**editie, focusgebied=gid)
    assert gerenderd == [f"factsheet-{gid}"]  # the publication and other areas not rendered
    assert sorted(p.name for p in r.bestanden) == [f"factsheet-{gid}.html", f"factsheet-{gid}.pdf"]
    na = _staat(out)
    veranderd = {k for k in na if na[k] != voor.get(k)}
    assert veranderd == {f"factsheet-{gid}.html", f"factsheet-{gid}.pdf", "editie.json"}
    assert set(na) == set(voor)  # nothing removed, nothing added
    record = json.loads((out / "editie.json").read_text(encoding="utf-8"))
    assert record["verversingen"][-1]["gebied"] == gid
    for naam in (f"factsheet-{gid}.html", f"factsheet-{gid}.pdf"):
        assert record["uitvoer"][naam] == sha256(out / naam)
    assert not list(editie["build"].glob("_output.tmp-*"))


def test_unknown_area_is_refused_and_nothing_changes(editie):
    voor = _staat(editie["output"])
    with pytest.raises(InputError) as fout:
        render(**editie, focusgebied="nergens-noord")
    assert "onbekend focusgebied 'nergens-noord'" in str(fout.value)
    assert "focusgebieden.yml" in str(fout.value)
    assert _staat(editie["output"]) == voor


def test_one_area_needs_an_existing_edition(tmp_path):
    runs = make_runs(tmp_path, gebieden=GEBIEDEN[:1])
    kwargs = render_kwargs(tmp_path, runs, make_bronnen(tmp_path), gebieden=GEBIEDEN[:1])
    with pytest.raises(WijkmonitorError, match="nog geen editie"):
        render(**kwargs, focusgebied=GEBIEDEN[0][0])
    assert not kwargs["output"].exists()


@pytest.mark.slow
def test_cli_render_gebied(tmp_path):
    """End to end: ``wijkmonitor render --no-run``, then ``--gebied`` for one registry area."""
    from helpers.registers import focusgebieden as registry

    gebieden = [(g.id, g.naam) for g in registry.load_focusgebieden()]
    reports = tmp_path / "reports"
    make_runs(reports, gebieden=gebieden)
    env = {
        **os.environ,
        "WIJKMONITOR_REPORTS": str(reports),
        "WIJKMONITOR_PROCESSED": str(make_bronnen(tmp_path)),
    }
    exe = [sys.executable, "-m", "helpers.cli"]
    proc = subprocess.run(
        [*exe, "render", "--no-run", "--jobs", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        cwd=config.ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    out = reports / "_output"
    voor = _staat(out)
    gid = gebieden[3][0]
    proc = subprocess.run(
        [*exe, "render", "--no-run", "--gebied", gid],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        cwd=config.ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert f"Factsheet van {gid} ververst" in proc.stdout
    na = _staat(out)
    assert {k for k in na if na[k] != voor[k]} == {
        f"factsheet-{gid}.html",
        f"factsheet-{gid}.pdf",
        "editie.json",
    }
    proc = subprocess.run(
        [*exe, "render", "--no-run", "--gebied", "nergens"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        cwd=config.ROOT,
    )
    assert proc.returncode != 0 and "onbekend focusgebied 'nergens'" in proc.stdout + proc.stderr
