"""Environment failures (issue 13): a folder that cannot be written, a full
disk and a corrupt database end a command with ExitCode.ENVIRONMENT and
one line naming the path and the cause, not exit 1 with a traceback (the
README says 1 is a bug). The daemon refuses to start on them the same
way, and a cycle that fails on them turns /healthz to failed at once.

Tests run as root, so chmod does not make a folder read-only for them: a
file where a folder must be, a real SQLite "disk full" (max_page_count)
and an injected writer raising ENOSPC stand in for it."""
from __future__ import annotations

import errno
import json
from datetime import datetime, timedelta, timezone

import pytest
import requests

import feedserver
import testsite
from syndicate import publish as publish_mod
from syndicate import pipeline
from syndicate.daemon import Daemon
from syndicate.exitcodes import ExitCode, environment_problem
from syndicate.serve import app_for
from syndicate.store import Store
from syndicate.translate import NoGlossary


def test_the_code():
    assert ExitCode.ENVIRONMENT == 74
    assert len({ExitCode.ERROR, ExitCode.CONFIG, ExitCode.INPUT, ExitCode.TRANSLATION, ExitCode.FORCED,
                ExitCode.ENVIRONMENT}) == 6


def _one_clear_line(r, *needles: str) -> None:
    assert r.exit_code == ExitCode.ENVIRONMENT, r.output
    assert "Traceback" not in r.output and "Traceback" not in r.stderr
    line = r.stderr.strip()
    assert "\n" not in line and line.startswith("syndicate: environment error: "), r.stderr
    for n in needles:
        assert n in line, (n, line)


def _corrupt_database(site):
    db = site.root / "data" / "syndicate.sqlite"
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_bytes(b"these bytes are not an SQLite database\n" * 200)
    return db


@pytest.mark.parametrize("args", [["run"], ["status"], ["vacuum"], ["ingest", "IN"], ["daemon", "--interval-seconds", "60"]])
def test_a_corrupt_database(site, args):
    db = _corrupt_database(site)
    args = [str(site.config_file) if a == "IN" else a for a in args]
    before = db.read_bytes()
    r = site.invoke(*args)
    if args[0] == "daemon":  # it logs instead of printing; the same line
        assert r.exit_code == ExitCode.ENVIRONMENT, r.output
        assert "environment error" in r.output and str(db) in r.output and "Traceback" not in r.output
    else:
        _one_clear_line(r, str(db), "not an SQLite database")
    assert db.read_bytes() == before  # never "repaired" by overwriting it


def test_a_feeds_folder_that_cannot_be_written(site):
    feeds = site.root / "feeds"
    feeds.write_text("a file where the feeds folder should be\n")
    r = site.invoke("run")
    _one_clear_line(r, str(feeds))
    # The failure is on record for `status` and /healthz, with its code.
    with Store(site.root / "data" / "syndicate.sqlite") as store:
        last = store.last_run()
    assert last["status"] == "error" and last["exit_code"] == ExitCode.ENVIRONMENT
    assert str(feeds) in last["report"]["error"]


def test_a_full_disk_while_publishing(site, monkeypatch):
    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(publish_mod, "write_if_changed", full)
    r = site.invoke("run")
    _one_clear_line(r, str(site.root / "feeds"), "no space left")


def test_a_data_folder_that_cannot_be_created(site):
    """The daemon cannot even take its lock."""
    (site.root / "blocker").write_text("x")
    text = site.config_file.read_text()
    site.config_file.write_text(text.replace('data = "data"', 'data = "blocker/data"'))
    r = site.invoke("daemon", "--interval-seconds", "60")
    assert r.exit_code == ExitCode.ENVIRONMENT, r.output
    assert "environment error" in r.output and str(site.root / "blocker") in r.output
    r = site.invoke("run")
    _one_clear_line(r, str(site.root / "blocker"))


def test_a_bug_keeps_its_traceback_and_exit_1(site, monkeypatch):
    def bug(*a, **k):
        raise KeyError("not an environment problem")

    monkeypatch.setattr(pipeline, "publish", bug)
    r = site.invoke("run")
    assert r.exit_code == ExitCode.ERROR and isinstance(r.exception, KeyError)


# --- a store that cannot be written, in the daemon ---------------------------------------


def _unwritable_store_cycle(cfg, *, store, **kw):
    """A real SQLITE_READONLY on the cycle's first write: not even the
    failure can be recorded, so the store's last run stays the good one."""
    store.db.execute("PRAGMA query_only = ON")
    return pipeline.run_cycle(cfg, store=store, **kw)


def test_a_cycle_failing_on_the_disk_fails_healthz_at_once(site, caplog):
    cfg = testsite.load(site.config_file)
    with Store(cfg.db_path) as store:  # an earlier cycle that went well
        store.finish_run(store.start_run(), "ok", 0, {})
    daemon = Daemon(cfg, engine=_NoEngine(), glossary_loader=lambda c: NoGlossary(),
                    run_cycle=_unwritable_store_cycle)
    with feedserver.running(app_for(cfg, daemon.last_cycle)) as url:
        assert requests.get(url + "healthz").status_code == 200
        assert daemon.cycle() is None  # logged, not raised: the next cycle tries again
        r = requests.get(url + "healthz")
        assert r.status_code == 503 and r.json()["status"] == "failed"
    with Store(cfg.db_path) as store:
        assert store.last_run()["status"] == "ok"  # what a store-only /healthz would have said
    (record,) = [r for r in caplog.records if r.levelname == "ERROR"]
    assert "environment error" in record.getMessage() and str(cfg.db_path) in record.getMessage()
    assert record.exc_info is None  # one line, no traceback


class _NoEngine:
    def model(self, src, tgt):
        return None


def test_sqlite_errors_are_classified_by_their_code(tmp_path):
    import sqlite3

    db = tmp_path / "x.sqlite"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE t (x)")
    con.execute("PRAGMA max_page_count = 2")
    with pytest.raises(sqlite3.DatabaseError) as full:
        con.execute("INSERT INTO t VALUES (?)", ("x" * 100000,))
    assert "no space left for the database" in environment_problem(full.value, db)
    with pytest.raises(sqlite3.DatabaseError) as bug:
        con.execute("SELECT * FROM no_such_table")
    assert environment_problem(bug.value, db) is None  # a bug, not the disk


# --- syndicate vacuum ------------------------------------------------------------------


def test_vacuum_prunes_by_retention_and_reports_it(site):
    cfg = testsite.load(site.config_file)
    old = datetime.now(timezone.utc) - timedelta(days=400)
    with Store(cfg.db_path) as store:
        for i in range(2000):
            store.db.execute("INSERT INTO rejects (source, origin, reason, at, last_seen) VALUES (?, ?, ?, ?, ?)",
                             ("inbox", f"f{i}.txt", "empty file " + "x" * 300, old.isoformat(), old.isoformat()))
        for i in range(5):
            store.db.execute("INSERT INTO runs (started, finished, status, exit_code) VALUES (?, ?, 'ok', 0)",
                             (old.isoformat(), old.isoformat()))
        store.record_reject("inbox", "new.txt", None, "empty file")
    r = site.invoke("vacuum")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0] == "removed: 2000 rejects, 4 runs, 0 translation memory entries"
    assert lines[1].startswith("database: ") and str(cfg.db_path) in lines[1]
    with Store(cfg.db_path) as store:
        assert [x["origin"] for x in store.recent_rejects()] == ["new.txt"]
        assert store.last_run() is not None  # the last finished run stays
    again = json.loads(site.invoke("vacuum", "--json").output)
    assert again["removed"] == {"rejects": 0, "runs": 0, "translation_memory": 0}
    assert again["bytes_after"] <= again["bytes_before"]


def test_vacuum_takes_the_lock(site, lock_holder):
    r = site.invoke("vacuum")
    assert r.exit_code == ExitCode.LOCKED and f"pid {lock_holder.pid}" in r.stderr
