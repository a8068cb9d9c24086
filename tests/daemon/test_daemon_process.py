"""`syndicate daemon --serve` as a real process: schedule, serve, refuse a
second instance, stop cleanly on SIGTERM."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import feedparser
import pytest
import requests

import testsite

REPO = testsite.REPO


def _cli(cfg: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "syndicate.cli", "--config", str(cfg), *args]


def _wait(pred, timeout=30.0, step=0.1):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if pred():
                return True
        except requests.RequestException:
            pass
        time.sleep(step)
    return False


def _titles(url: str) -> list[str]:
    parsed = feedparser.parse(requests.get(url, timeout=5).content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return [e.title for e in parsed.entries]


@pytest.fixture
def daemon_proc(tmp_path, copy_packages):
    en_sample = next(p for p in testsite.SAMPLES if "cyber" in p.name)
    cfg = testsite.make(tmp_path, samples=[p for p in testsite.SAMPLES if p != en_sample], models=copy_packages)
    log = open(tmp_path / "daemon.log", "w+")
    proc = subprocess.Popen(_cli(cfg, "daemon", "--serve", "--log-format", "json", "--interval-seconds", "0.5"),
                            cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    yield proc, cfg, tmp_path, en_sample, log
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    log.close()


def _log_events(log) -> list[dict]:
    log.flush()
    log.seek(0)
    out = []
    for line in log.read().splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            out.append({"msg": line})
    return out


def test_daemon_end_to_end(daemon_proc):
    proc, cfg_file, root, en_sample, log = daemon_proc
    cfg = testsite.load(cfg_file)
    base = cfg.site.base_url

    # The start-up cycle publishes and the embedded server serves it.
    assert _wait(lambda: requests.get(base + "healthz", timeout=2).status_code == 200), _log_events(log)
    before = _titles(base + "en/atom.xml")
    assert len(before) == 1 + 2  # one English original, two translations from Vietnamese

    # Drop a new article in the inbox; a later cycle publishes it.
    (root / "inbox" / en_sample.name).write_bytes(en_sample.read_bytes())
    assert _wait(lambda: len(_titles(base + "en/atom.xml")) == 4), _log_events(log)
    assert "Police officers trained to fight high-tech crime" in _titles(base + "en/atom.xml")
    # ...and its translation reaches the Vietnamese feed (the copy model keeps
    # the words; what matters here is that the daemon's engine translated it).
    assert _wait(lambda: "Police officers trained to fight high-tech crime" in _titles(base + "vi/rss.xml"))

    # A second daemon, and a one-off run, refuse: same data folder.
    lock_file = str(root / "data" / "syndicate.lock")
    second = subprocess.run(_cli(cfg_file, "daemon"), cwd=REPO, capture_output=True, text=True, timeout=60)
    assert second.returncode == 2
    assert lock_file in second.stderr and f"pid {proc.pid}" in second.stderr
    run = subprocess.run(_cli(cfg_file, "run"), cwd=REPO, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and lock_file in run.stderr

    # SIGTERM: a clean exit well within 10 s, lock released, feeds whole.
    t0 = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=10)
    assert code == 0, _log_events(log)
    assert time.monotonic() - t0 < 10
    events = _log_events(log)
    assert any(e.get("event") == "stopped" and not e.get("forced") for e in events)
    cycles = [e for e in events if e.get("event") == "cycle"]
    assert len(cycles) >= 2 and all(e["ok"] for e in cycles)
    assert cycles[0]["new"] == 3 and cycles[0]["translated"] == 3
    assert sum(e["new"] for e in cycles) == 4
    assert sum(e["translated"] for e in cycles) == 4
    assert all(e["failed"] == 0 for e in cycles)
    assert not (root / "data" / "syndicate.lock.owner").exists()
    leftovers = [p for p in cfg.feeds_dir.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]
    assert leftovers == []
    for f in ("en/atom.xml", "en/rss.xml", "vi/atom.xml", "vi/rss.xml"):
        assert not feedparser.parse((cfg.feeds_dir / f).read_bytes()).bozo, f
    # The folder is free again: a one-off run works now.
    run = subprocess.run(_cli(cfg_file, "run"), cwd=REPO, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr


N = 2000  # enough that ingesting takes a while even on a fast disk


def test_sigterm_during_a_long_cycle_exits_within_10s(tmp_path):
    """Many articles in the inbox: SIGTERM lands mid-ingest; the cycle stops
    between articles and the process exits in time with the store usable."""
    inbox_src = tmp_path / "src"
    inbox_src.mkdir()
    sample = testsite.SAMPLES[0].read_text(encoding="utf-8").splitlines()
    for i in range(N):
        lines = list(sample)
        lines[2] = f"{lines[2]} (part {i})"  # a distinct headline: a distinct article
        (inbox_src / f"a{i:04}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    cfg_file = testsite.make(tmp_path, samples=sorted(inbox_src.iterdir()))
    log_path = tmp_path / "daemon.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(_cli(cfg_file, "daemon", "--interval-seconds", "60"), cwd=REPO,
                                stdout=log, stderr=subprocess.STDOUT)
        try:
            db = tmp_path / "data" / "syndicate.sqlite"
            assert _wait(db.exists, timeout=30, step=0.02)
            t0 = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=10)
            elapsed = time.monotonic() - t0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    text = log_path.read_text()
    assert code == 0, text
    assert elapsed < 10
    assert "stopped cleanly" in text
    assert "(interrupted)" in text  # it did land inside the cycle
    # The next run picks up where the daemon stopped, without duplicates.
    run = subprocess.run(_cli(cfg_file, "run", "--json"), cwd=REPO, capture_output=True, text=True, timeout=120)
    report = json.loads(run.stdout)
    c = report["counts"]
    assert c["new"] + c["unchanged"] == N
    from syndicate.store import Store

    with Store(tmp_path / "data" / "syndicate.sqlite") as store:
        assert sum(store.article_count().values()) == N


def test_a_failing_cycle_turns_healthz_503_and_the_daemon_keeps_going(tmp_path):
    cfg_file = testsite.make(tmp_path)
    cfg = testsite.load(cfg_file)
    cfg.feeds_dir.parent.mkdir(parents=True, exist_ok=True)
    cfg.feeds_dir.write_text("a file where the feeds folder should be\n")  # publishing must fail
    with open(tmp_path / "daemon.log", "w+") as log:
        proc = subprocess.Popen(_cli(cfg_file, "daemon", "--serve", "--log-format", "json",
                                     "--interval-seconds", "0.5"), cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
        try:
            health = cfg.site.base_url + "healthz"
            assert _wait(lambda: requests.get(health, timeout=2).json().get("status") == "failed"), _log_events(log)
            r = requests.get(health, timeout=2)
            assert r.status_code == 503 and r.json()["status"] == "failed"
            assert str(cfg.feeds_dir) not in r.text  # the cause is for the logs, not the public
            # Fix the cause: the next cycle succeeds without a restart.
            cfg.feeds_dir.unlink()
            assert _wait(lambda: requests.get(health, timeout=2).status_code == 200), _log_events(log)
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=10) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        failed = [e for e in _log_events(log) if e.get("event") == "cycle" and not e["ok"]]
        assert failed and "error" in failed[0] and failed[0]["level"] == "error"


def test_start_up_errors_are_clear(tmp_path):
    import socket

    cfg_file = testsite.make(tmp_path, samples=[])
    good = cfg_file.read_text()
    cfg_file.write_text(good.replace("interval_minutes = 15", "interval_minutes = 0"))
    r = subprocess.run(_cli(cfg_file, "daemon"), cwd=REPO, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "schedule.interval_minutes" in r.stderr

    with socket.socket() as s:  # the configured port is taken
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        cfg_file.write_text(good.replace(f"port = {testsite.load_port(good)}", f"port = {port}"))
        r = subprocess.run(_cli(cfg_file, "daemon", "--serve"), cwd=REPO, capture_output=True, text=True,
                           timeout=60)
    assert r.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in r.stderr
    # It gave the data folder back on the way out.
    assert not (tmp_path / "data" / "syndicate.lock.owner").exists()


def test_sigterm_while_a_step_ignores_it_still_exits_within_10s(tmp_path, httpserver):
    """A remote source that hangs mid-fetch: the cycle cannot reach a stop
    check, so the daemon gives up on it after its deadline and exits anyway
    (uncommitted work rolls back; feed files are whole or untouched)."""
    import threading

    from werkzeug import Response

    arrived, release = threading.Event(), threading.Event()

    def hang(request):
        arrived.set()
        release.wait(30)
        return Response("<rss version='2.0'><channel><title>t</title></channel></rss>",
                        content_type="application/rss+xml")

    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/feed.xml").respond_with_handler(hang)
    extra = f"""
[[sources]]
name = "slow"
type = "feed"
url = "{httpserver.url_for('/feed.xml')}"
allow_internal = ["localhost:{httpserver.port}"]
language = "en"
timeout = 60.0
retries = 0
"""
    cfg_file = testsite.make(tmp_path, extra=extra)
    cfg = testsite.load(cfg_file)
    try:
        with open(tmp_path / "daemon.log", "w") as log:
            proc = subprocess.Popen(_cli(cfg_file, "daemon", "--interval-seconds", "60"), cwd=REPO,
                                    stdout=log, stderr=subprocess.STDOUT)
            try:
                assert arrived.wait(30), (tmp_path / "daemon.log").read_text()
                t0 = time.monotonic()
                proc.send_signal(signal.SIGTERM)
                code = proc.wait(timeout=15)
                elapsed = time.monotonic() - t0
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
    finally:
        release.set()
    text = (tmp_path / "daemon.log").read_text()
    assert elapsed < 10, text
    assert code == 70, text
    assert "did not finish within" in text
    # Nothing half-done: the inbox articles stored before the fetch are
    # there, feed files (if any) are whole, and a run can take over at once.
    assert not [p for p in cfg.feeds_dir.rglob("*") if p.name.startswith(".")]
    run = subprocess.run(_cli(cfg_file, "run"), cwd=REPO, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    from syndicate.store import Store

    with Store(cfg.db_path) as store:
        assert sum(store.article_count().values()) == len(testsite.SAMPLES)
