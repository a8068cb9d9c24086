"""Bounded growth (issue 13): a repeated reject is one row with a count,
retention prunes rejects, runs and the translation memory (and keeps what
it says to keep), a killed run is marked interrupted at the next start, and
a hostile feed grows neither the rejects table nor the run history."""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from feed_support import local_allow

from syndicate.config import Retention
from syndicate.pipeline import run_cycle
from syndicate.store import Store, schema

NOW = datetime(2025, 6, 1, 12, tzinfo=timezone.utc)
DAY = timedelta(days=1)


def _rows(store, table: str) -> list[dict]:
    return [dict(r) for r in store.db.execute(f"SELECT * FROM {table} ORDER BY rowid")]


def _reject_at(store, when: datetime, origin: str, reason: str = "empty file", moved_to: str | None = None):
    from syndicate.store import rejects

    rejects.record(store.db, "inbox", origin, moved_to, reason, when)


# --- rejects: collapse -------------------------------------------------------------


def test_a_repeated_reject_is_one_row_with_a_count_and_last_seen(store):
    for i in range(3):
        _reject_at(store, NOW + i * DAY, "https://portal/rss item 'x'", "item has no link")
    (row,) = _rows(store, "rejects")
    assert row["count"] == 3
    assert row["at"] == NOW.isoformat() and row["last_seen"] == (NOW + 2 * DAY).isoformat()
    assert store.reject_count() == 1
    assert store.recent_rejects()[0]["count"] == 3


def test_different_reasons_origins_or_destinations_stay_apart(store):
    _reject_at(store, NOW, "a.txt", "empty file", "rejected/a.txt")
    _reject_at(store, NOW, "a.txt", "empty file", "rejected/a-2.txt")  # set aside twice: two files on disk
    _reject_at(store, NOW, "a.txt", "binary file", "rejected/a-3.txt")
    _reject_at(store, NOW, "b.txt", "empty file", "rejected/b.txt")
    assert store.reject_count() == 4
    assert {r["count"] for r in _rows(store, "rejects")} == {1}


# --- retention ---------------------------------------------------------------------


def _finished_run(store, started: datetime, status: str = "ok") -> int:
    from syndicate.store import runs

    rid = runs.start(store.db, started)
    runs.finish(store.db, rid, status, 0, {}, started + timedelta(minutes=1))
    return rid


def _memory_at(store, when: datetime, source: str) -> None:
    from syndicate.store import memory

    memory.save(store.db, "m@1", "en-vi", "g1", [(source, source.upper(), None)], when)


def test_pruning_keeps_what_retention_says(store):
    retention = Retention(rejects_days=30, runs_days=7, memory_days=90)
    _reject_at(store, NOW - 31 * DAY, "old.txt")
    _reject_at(store, NOW - 29 * DAY, "recent.txt")
    _reject_at(store, NOW - 40 * DAY, "seen-again.txt")
    _reject_at(store, NOW - 1 * DAY, "seen-again.txt")  # last seen yesterday: kept
    old_runs = [_finished_run(store, NOW - (10 + i) * DAY) for i in range(3)]
    new_run = _finished_run(store, NOW - 2 * DAY)
    _memory_at(store, NOW - 91 * DAY, "old sentence")
    _memory_at(store, NOW - 89 * DAY, "recent sentence")

    removed = store.prune(retention, now=NOW)

    assert removed == {"rejects": 1, "runs": 3, "translation_memory": 1}
    assert sorted(r["origin"] for r in _rows(store, "rejects")) == ["recent.txt", "seen-again.txt"]
    assert [r["id"] for r in _rows(store, "runs")] == [new_run]
    assert old_runs and [r["source"] for r in _rows(store, "translation_memory")] == ["recent sentence"]
    assert store.prune(retention, now=NOW) == {"rejects": 0, "runs": 0, "translation_memory": 0}


def test_the_last_finished_run_is_kept_however_old(store):
    """/healthz and `syndicate status` read it; a daemon stopped for a
    month must not come back to "no runs"."""
    _finished_run(store, NOW - 100 * DAY)
    last = _finished_run(store, NOW - 90 * DAY, status="problems")
    store.prune(Retention(runs_days=1), now=NOW)
    assert [r["id"] for r in _rows(store, "runs")] == [last]
    assert store.last_run()["id"] == last


def test_zero_days_keeps_for_ever(store):
    _reject_at(store, NOW - 3650 * DAY, "ancient.txt")
    _memory_at(store, NOW - 3650 * DAY, "ancient sentence")
    for i in range(2):
        _finished_run(store, NOW - (3650 + i) * DAY)
    assert store.prune(Retention(rejects_days=0, runs_days=0, memory_days=0), now=NOW) == {
        "rejects": 0, "runs": 0, "translation_memory": 0}
    assert len(_rows(store, "runs")) == 2


def test_a_bounded_prune_removes_at_most_the_limit_per_table(store):
    for i in range(25):
        _reject_at(store, NOW - 60 * DAY, f"old-{i}.txt")
    retention = Retention(rejects_days=30, prune_batch=10)
    assert store.prune(retention, now=NOW, limit=10)["rejects"] == 10
    assert store.reject_count() == 15
    # Unbounded (what `syndicate vacuum` does): everything due, in batches.
    assert store.prune(retention, now=NOW)["rejects"] == 15
    assert store.reject_count() == 0


def test_vacuum_gives_the_space_back(store):
    for i in range(3000):
        _reject_at(store, NOW - 60 * DAY, f"old-{i}.txt", "x" * 500)
    store.prune(Retention(), now=NOW)
    before, after = store.vacuum()
    assert after < before / 4


# --- runs a kill left behind ---------------------------------------------------------


def test_a_run_left_running_by_a_kill_is_marked_interrupted_at_the_next_start(tmp_path):
    path = tmp_path / "s.sqlite"
    with Store(path) as store:
        done = store.start_run()
        store.finish_run(done, "ok", 0, {})
        store.start_run()  # the process dies here: kill -9, no finish
    with Store(path) as store:
        current = store.start_run()
        statuses = {r["id"]: r["status"] for r in _rows(store, "runs")}
        assert statuses == {done: "ok", done + 1: "interrupted", current: "running"}
        assert store.last_run()["id"] == done  # an interrupted run never counts as finished
        assert store.run_counts()["interrupted"] == 1


# --- the migration ---------------------------------------------------------------------


def test_rejects_on_record_before_the_migration_keep_their_time(tmp_path):
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path, isolation_level=None)
    # The database as it was just before rejects were counted.
    before = next(i for i, m in enumerate(schema.MIGRATIONS) if "ALTER TABLE rejects ADD COLUMN count" in m)
    for i in range(before):
        for stmt in schema._statements(schema.MIGRATIONS[i]):
            db.execute(stmt)
    db.execute(f"PRAGMA user_version = {before}")
    db.execute("INSERT INTO rejects (source, origin, moved_to, reason, at) VALUES ('inbox', 'a.txt', NULL,"
               " 'empty file', ?)", (NOW.isoformat(),))
    db.close()
    with Store(path) as store:
        (row,) = _rows(store, "rejects")
        assert row["count"] == 1 and row["last_seen"] == NOW.isoformat()
        _reject_at(store, NOW + DAY, "a.txt")
        assert _rows(store, "rejects")[0]["count"] == 2


# --- a hostile feed ----------------------------------------------------------------------


def _feed(base: str, items: list[str]) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
            f'<link>{base}/</link><description>d</description><language>en</language>'
            + "".join(items) + "</channel></rss>")


@pytest.fixture
def feed_site(httpserver, make_workspace):
    def make(items: list[str], **source):
        httpserver.expect_request("/rss.xml").respond_with_data(
            _feed(httpserver.url_for("").rstrip("/"), items), content_type="application/rss+xml")
        ws = make_workspace({"sources": [{"name": "portal", "type": "feed", "url": httpserver.url_for("/rss.xml"),
                                          "language": "en", "host_delay": 0.0, "respect_robots": False,
                                          "retries": 0, "allow_internal": list(local_allow(httpserver)),
                                          **source}]})
        return ws.config()
    return make


def test_twenty_thousand_linkless_items_do_not_grow_rejects_or_runs(feed_site):
    items = [f"<item><title>Item {i}</title><description>Body {i}</description></item>" for i in range(20000)]
    cfg = feed_site(items, fetch_full_text=False)
    sizes = []
    with Store(cfg.db_path) as store:
        for _ in range(3):
            report = run_cycle(cfg, store=store)
            sizes.append(len(store.db.execute("SELECT report_json FROM runs ORDER BY id DESC").fetchone()[0]))
        rows = _rows(store, "rejects")
    assert len(rows) == 1 and rows[0]["count"] == 3
    assert "20000 item(s) have no http(s) link" in rows[0]["reason"] and "'Item 0'" in rows[0]["reason"]
    assert report.counts()["rejected"] == 1
    assert max(sizes) < 5000, sizes  # was 3.8 MB a cycle


def test_items_per_cycle_are_bounded_without_full_text(feed_site, httpserver):
    base = httpserver.url_for("").rstrip("/")
    items = [f"<item><title>Story {i}</title><link>{base}/a/{i}.html</link>"
             f"<description>MPS - Story number {i} has a body long enough to be an article.</description>"
             f"<pubDate>Mon, 01 Jan 2024 {i // 60 % 24:02}:{i % 60:02}:00 +0000</pubDate></item>"
             for i in range(250)]
    cfg = feed_site(items, fetch_full_text=False, max_items=100)
    with Store(cfg.db_path) as store:
        news = [run_cycle(cfg, store=store).counts()["new"] for _ in range(4)]
    assert news == [100, 100, 50, 0]


def test_a_run_report_lists_a_bounded_number_of_rejects(make_workspace):
    ws = make_workspace()
    for i in range(60):
        ws.add(f"empty-{i:02}.txt", text="")
    cfg = ws.config()
    with Store(cfg.db_path) as store:
        report = run_cycle(cfg, store=store)
        assert store.reject_count() == 60  # every one on record
        stored = json.loads(store.db.execute("SELECT report_json FROM runs").fetchone()[0])
    assert report.counts()["rejected"] == 60 and report.exit_code == 3
    (source,) = stored["sources"]
    assert len(source["rejected"]) == 20 and source["rejected_more"] == 40
    assert any("40 more rejected" in line for line in report.lines())
