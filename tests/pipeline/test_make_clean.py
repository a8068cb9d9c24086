"""`make clean` returns a checkout to its committed state: everything a run
publishes or stores goes, feeds/README.md stays."""
from __future__ import annotations

import shutil
import subprocess

import pytest

import testsite
from syndicate.pipeline import run_cycle
from syndicate.store import Store


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_clean_removes_every_published_file(tmp_path):
    shutil.copy(testsite.REPO / "Makefile", tmp_path / "Makefile")
    (tmp_path / "feeds").mkdir()
    shutil.copy(testsite.REPO / "feeds" / "README.md", tmp_path / "feeds" / "README.md")
    cfg = testsite.load(testsite.make(tmp_path, samples=testsite.SAMPLES[:1]))
    (tmp_path / "inbox" / "bad.txt").write_bytes(b"")
    with Store(cfg.db_path) as store:
        run_cycle(cfg, store=store)
    assert (tmp_path / "rejected").is_dir()
    subprocess.run(["make", "-s", "clean"], cwd=tmp_path, check=True)
    left = sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "feeds").rglob("*"))
    assert left == ["feeds/README.md"]
    assert not (tmp_path / "data").exists() and not (tmp_path / "rejected").exists()
