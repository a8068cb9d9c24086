"""A publish killed between writing its temp file and the rename leaves a
`.NAME.xxxx.tmp` behind (issue 13). The next cycle removes those orphans
and nothing else: not a temp file a writer may still be filling, not
another program's file."""
from __future__ import annotations

import os
import time

from syndicate.pipeline import run_cycle
from syndicate.publish.files import STALE_TMP_SECONDS, remove_stale_temp_files
from syndicate.store import Store


def _aged(path, seconds: float):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"<half a feed")
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def test_the_next_cycle_removes_orphan_temp_files_only(workspace):
    cfg = workspace.config()
    feeds = cfg.feeds_dir
    orphans = [_aged(feeds / "en" / ".atom.xml.k2j3h4.tmp", 3600),
               _aged(feeds / "en" / "articles" / ".x.html.a8b9.tmp", 86400)]
    fresh = _aged(feeds / "vi" / ".rss.xml.q1w2.tmp", 5)  # a writer may still be at it
    others = [_aged(feeds / ".gitkeep", 3600), _aged(feeds / "notes.tmp", 3600)]
    with Store(cfg.db_path) as store:
        report = run_cycle(cfg, store=store)
    assert report.stale_temp_files == 2
    assert not any(p.exists() for p in orphans)
    assert fresh.exists() and all(p.exists() for p in others)


def test_the_age_comes_from_the_clock_given(tmp_path):
    tmp = _aged(tmp_path / "en" / ".feed.json.zz.tmp", 60)
    assert remove_stale_temp_files(tmp_path) == []
    assert remove_stale_temp_files(tmp_path, now=time.time() + STALE_TMP_SECONDS) == [tmp]
    assert remove_stale_temp_files(tmp_path / "missing") == []
