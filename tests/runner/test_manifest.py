"""Run manifest: hashes of the files written, history of earlier runs, hash of the diff."""

from __future__ import annotations

import subprocess

import pytest

from helpers.runner import manifest as mf


def test_output_hashes_cover_every_file_written(tmp_path):
    runs = tmp_path / "runs"
    (runs / "alle" / "10_x" / "sub").mkdir(parents=True)
    (runs / "alle" / "10_x.ipynb").write_text("{}")
    (runs / "alle" / "10_x" / "uitvoer.json").write_text("{}")
    (runs / "alle" / "10_x" / "sub" / "f.png").write_bytes(b"png")
    (runs / "alle" / "10_x" / ".half.csv.123.tmp").write_text("x")
    entry = {"ipynb": "alle/10_x.ipynb", "html": None, "uitvoer_map": "alle/10_x"}
    hashes = mf.output_hashes(runs, entry)
    assert sorted(hashes) == ["alle/10_x.ipynb", "alle/10_x/sub/f.png", "alle/10_x/uitvoer.json"]
    assert hashes["alle/10_x/sub/f.png"] == mf.file_hash(runs / "alle" / "10_x" / "sub" / "f.png")


def test_history_keeps_earlier_runs_bounded_newest_first(tmp_path):
    for i in range(mf.HISTORY_LIMIT + 5):
        entry = {"status": "geslaagd", "start": f"t{i:02d}", "bestanden": {"a": str(i)}}
        mf.update_manifest({"alle/10_x": entry}, tmp_path)
        mf.update_manifest({"alle/10_x": entry}, tmp_path)  # the same entry again: no history
    data = mf.load_manifest(tmp_path)
    assert data["runs"]["alle/10_x"]["start"] == f"t{mf.HISTORY_LIMIT + 4:02d}"
    history = data["geschiedenis"]["alle/10_x"]
    assert len(history) == mf.HISTORY_LIMIT
    assert [h["start"] for h in history[:2]] == [
        f"t{mf.HISTORY_LIMIT + 3:02d}",
        f"t{mf.HISTORY_LIMIT + 2:02d}",
    ]
    assert "bestanden" not in history[0]
    assert history[0]["bestanden_hash"] == mf.json_hash({"a": str(mf.HISTORY_LIMIT + 3)})


def test_variant_keys_and_folders():
    assert mf.key("alle", "10_x") == "alle/10_x"
    assert mf.key("alle", "10_x", "nul2019") == "varianten/nul2019/alle/10_x"


def test_git_diff_hash_changes_with_the_changes(tmp_path):
    if subprocess.run(["git", "--version"], capture_output=True).returncode:
        pytest.skip("git not installed")

    def run(*a):
        return subprocess.run(["git", *a], cwd=tmp_path, check=True, capture_output=True)

    run("init", "-q")
    (tmp_path / "a.yml").write_text("x: 1\n")
    run("add", "a.yml")
    run("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "a")
    assert mf.git_diff_hash(tmp_path) is None and mf.git_dirty(tmp_path) is False
    (tmp_path / "a.yml").write_text("x: 2\n")
    eerste = mf.git_diff_hash(tmp_path)
    assert eerste and mf.git_dirty(tmp_path) is True
    (tmp_path / "a.yml").write_text("x: 3\n")
    tweede = mf.git_diff_hash(tmp_path)
    assert tweede and tweede != eerste
    (tmp_path / "nieuw.py").write_text("print(1)\n")  # untracked files count too
    assert mf.git_diff_hash(tmp_path) not in (None, tweede)
    assert mf.git_diff_hash(tmp_path / "nergens") is None
