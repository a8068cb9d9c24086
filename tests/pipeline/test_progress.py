"""Long work shows progress: a line on a terminal for `run` and `ingest`
(items, sentences, rate, ETA), progress lines in the daemon's log during
long cycles, and nothing extra in a pipe. Clocks are injected; nothing is
timed."""
from __future__ import annotations

import io
import logging
import os
import pty
import subprocess
import sys

import testsite
from syndicate.cli.run import TerminalProgress
from syndicate.daemon import Daemon
from syndicate.daemon.process import ProgressLog
from syndicate.pipeline import run_cycle
from syndicate.progress import Meter, Progress
from syndicate.store import Store


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_the_line_says_items_sentences_rate_and_eta():
    clock = Clock()
    m = Meter(1.0, clock)
    assert m.due(Progress("translating", 0, 400, sentences=0))
    assert m.line(Progress("translating", 0, 400, sentences=0)) == \
        "translating: 0/400 articles, 0 sentences, ETA unknown"
    clock.t += 10
    p = Progress("translating", 100, 400, sentences=1300)
    assert m.due(p)
    assert m.line(p) == "translating: 100/400 articles, 1300 sentences, 10.0 articles/s, ETA 30s"
    clock.t += 0.5
    assert not m.due(Progress("translating", 105, 400))  # throttled
    assert m.due(Progress("translating", 400, 400))  # the last one always shows


def test_eta_reads_in_minutes_and_hours():
    clock = Clock()
    m = Meter(1.0, clock)
    m.due(Progress("translating", 0, 10_000))
    clock.t += 60
    assert m.line(Progress("translating", 100, 10_000)).endswith("1.7 articles/s, ETA 1h39m")
    assert m.line(Progress("translating", 50, 150)).endswith("ETA 2m00s")


def test_terminal_progress_redraws_in_place_and_keeps_finished_stages():
    clock, out = Clock(), io.StringIO()
    tp = TerminalProgress(out, clock, every=0.1)
    for i in range(1, 101):  # 100 files read in 1 s: about ten redraws, not a hundred
        clock.t += 0.01
        tp(Progress("reading inbox", i, 100, unit="files"))
    assert 5 <= out.getvalue().count("\r") <= 15
    tp(Progress("translating", 1, 2, sentences=12))
    tp(Progress("translating", 2, 2, sentences=20))
    tp.close()
    lines = out.getvalue().split("\n")
    assert lines[0].rsplit("\r", 1)[-1].startswith("reading inbox: 100/100 files")
    assert lines[1].rsplit("\r", 1)[-1].startswith("translating: 2/2 articles, 20 sentences")
    assert lines[2] == ""


def test_a_cycle_reports_reading_storing_and_translating(tmp_path, copy_packages):
    cfg = testsite.load(testsite.make(tmp_path, models=copy_packages))
    seen: list[Progress] = []
    with Store(cfg.db_path) as store:
        run_cycle(cfg, store=store, progress=seen.append)
    n = len(testsite.SAMPLES)
    stages = [p.stage for p in seen]
    assert stages[:n] == ["reading inbox"] * n and [p.done for p in seen[:n]] == list(range(1, n + 1))
    assert stages[n:2 * n] == ["storing inbox"] * n
    translating = [p for p in seen if p.stage == "translating"]
    assert translating and translating[-1].done == translating[-1].total == n
    assert translating[-1].sentences > n  # sentences, not articles
    assert [p.sentences for p in translating] == sorted(p.sentences for p in translating)


def _run_in_pty(args, cwd):
    """stderr on a pseudo-terminal (what a person sees), stdout in a pipe."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    out = proc.stdout.read().decode()
    proc.wait(timeout=120)
    os.close(master)
    return proc.returncode, out, b"".join(chunks).decode(errors="replace")


def test_run_and_ingest_show_progress_on_a_terminal_only(tmp_path, copy_packages):
    cfg_file = testsite.make(tmp_path, models=copy_packages)
    cli = [sys.executable, "-m", "syndicate.cli", "--config", str(cfg_file)]
    code, out, term = _run_in_pty([*cli, "run"], testsite.REPO)
    assert code == 0, term
    n = len(testsite.SAMPLES)
    assert f"reading inbox: {n}/{n} files" in term
    assert f"translating: {n}/{n} articles" in term and " sentences" in term
    assert "\r" not in out and "articles:" in out  # the report itself is untouched

    code, out, term = _run_in_pty([*cli, "ingest", str(tmp_path / "inbox")], testsite.REPO)
    assert code == 0, term
    assert f"ingesting: {n}/{n} files" in term
    assert out.count(": new (") == n  # source "manual": new articles, one line each, as before

    piped = subprocess.run([*cli, "run"], cwd=testsite.REPO, capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0 and "\r" not in piped.stderr and "reading inbox" not in piped.stderr


def test_the_daemon_logs_progress_only_in_long_cycles():
    clock = Clock()
    logged: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = logged.append
    logger = logging.getLogger("syndicate.daemon")
    logger.addHandler(handler)
    old = logger.level
    logger.setLevel(logging.INFO)
    try:
        plog = ProgressLog(7, every=30, clock=clock)
        for i in range(1, 11):  # a 10 s cycle: nothing
            clock.t += 1
            plog(Progress("translating", i, 1000, sentences=i * 10))
        assert logged == []
        for i in range(11, 101):  # then 90 s more: three lines, 30 s apart
            clock.t += 1
            plog(Progress("translating", i, 1000, sentences=i * 10))
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)
    assert len(logged) == 3
    first = logged[0]
    assert first.getMessage().startswith("cycle 7: translating: 30/1000 articles, 300 sentences, 1.0 articles/s")
    assert first.fields == {"event": "progress", "cycle": 7, "stage": "translating", "done": 30, "total": 1000,
                            "sentences": 300}


def test_a_daemon_cycle_passes_its_progress_to_the_log(tmp_path, caplog):
    cfg = testsite.load(testsite.make(tmp_path))
    with caplog.at_level(logging.INFO, logger="syndicate.daemon"):
        Daemon(cfg, interval_seconds=60, progress_every=0.0).cycle()
    n = len(testsite.SAMPLES)
    assert any(m.startswith(f"cycle 1: reading inbox: {n}/{n} files") for m in caplog.messages), caplog.messages
    assert any(m.startswith(f"cycle 1: storing inbox: {n}/{n} articles") for m in caplog.messages)


def test_clearing_for_other_output_redraws_without_restarting_the_rate():
    """`ingest` prints a line per file: the progress line is erased, the
    file's line printed, and the progress redrawn, its rate still counted
    from the start of the stage."""
    clock, out = Clock(), io.StringIO()
    tp = TerminalProgress(out, clock, every=10.0)
    tp(Progress("ingesting", 1, 40, unit="files"))
    for i in range(2, 21):
        clock.t += 0.5
        tp.clear()
        out.write(f"file {i}\n")
        tp(Progress("ingesting", i, 40, unit="files"))
    last = out.getvalue().rsplit("\r", 1)[-1]
    assert last == "ingesting: 20/40 files, 2.1 files/s, ETA 10s\x1b[K"
