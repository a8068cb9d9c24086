"""`syndicate daemon`'s process: the `run` cycle on a schedule, optionally
with the HTTP server.

One process, one BlockingScheduler, one job. The translation engine is
loaded once (model loading dominates a short cycle); the config and the
glossary are re-read before each cycle when their files changed (reloader.py).

Stopping: SIGTERM or SIGINT sets `stop`, which the pipeline checks between
articles, and shuts the scheduler down. The process waits for the current
article (one store transaction) to finish and exits well inside systemd's
TimeoutStopSec. If the article does not finish in time the process exits
anyway: its transaction was never committed, so SQLite rolls it back, and
feed files are only ever replaced by an atomic rename, so none is left half
written.
"""
from __future__ import annotations

import dataclasses
import logging
import os
import signal
import socket
import threading
import time
from typing import Any, Callable

from apscheduler.schedulers import SchedulerNotRunningError

from .. import pipeline
from .. import translate as translation
from ..exitcodes import ExitCode, environment_problem
from ..lock import LockedError, data_lock
from ..progress import Meter, Progress
from ..schedule import JOB_ID, build_scheduler, make_trigger, misfire_grace_seconds, schedule_period_seconds
from ..sources.politeness import Politeness
from ..serve import LastCycle, app_for, create_server, server_url, start_in_thread, stop_server
from ..store import Store, utcnow
from ..translate.memory import TranslationMemory
from ..websub import notify
from .reloader import Reloader, glossary_for

log = logging.getLogger("syndicate.daemon")

PROGRESS_EVERY_S = 30.0  # a long cycle logs where it is this often; a short one never does
STOP_DEADLINE_S = 8.0  # signal -> giving up on the current article; leaves time to close the server
# and exit within 10 s. systemd's TimeoutStopSec (20 s) is the outer bound.


def report_dict(report: Any) -> dict[str, Any]:
    if report is None:
        return {}
    if isinstance(report, dict):
        return report
    fn = getattr(report, "to_dict", None)
    if callable(fn):
        return fn()
    if dataclasses.is_dataclass(report):
        return dataclasses.asdict(report)
    return dict(vars(report))


def summarize(report: dict[str, Any]) -> dict[str, Any]:
    """The numbers worth one log line: the run's counts, changed feeds,
    exit code and per-stage timings."""
    out: dict[str, Any] = dict(report.get("counts") or {})
    out["changed_feeds"] = len(report.get("changed_feeds") or [])
    if "exit_code" in report:
        out["exit_code"] = report["exit_code"]
    for stage, secs in (report.get("timings") or {}).items():
        out[f"{stage}_s"] = secs
    return out


class ProgressLog:
    """The daemon's progress lines: at most one per `every` seconds, the
    first only once a cycle has run that long, so the journal shows where a
    long cycle is (a backlog with a real model takes minutes) and a short
    cycle logs nothing but its summary."""

    def __init__(self, cycle: int, every: float = PROGRESS_EVERY_S, clock: Callable[[], float] = time.monotonic):
        self.cycle = cycle
        self.every = every
        self.clock = clock
        self.meter = Meter(every, clock)
        self._last = clock()

    def __call__(self, p: Progress) -> None:
        now = self.meter.observe(p)
        if now - self._last < self.every:
            return
        self._last = now
        fields = {"event": "progress", "cycle": self.cycle, "stage": p.stage, "done": p.done, "total": p.total}
        if p.sentences is not None:
            fields["sentences"] = p.sentences
        log.info("cycle %d: %s", self.cycle, self.meter.line(p), extra={"fields": fields})


class Daemon:
    def __init__(self, cfg, *, engine=None, interval_seconds: float | None = None,
                 glossary_loader: Callable = glossary_for, run_cycle: Callable | None = None,
                 progress_every: float = PROGRESS_EVERY_S):
        self.reloader = Reloader(cfg, glossary_loader)
        self.interval_seconds = interval_seconds
        self.stop = threading.Event()
        self.idle = threading.Event()
        self.idle.set()
        self.cycles = 0
        self.scheduler = None
        self._engine = engine
        self._run_cycle = run_cycle or pipeline.run_cycle
        self.progress_every = progress_every
        # One for the daemon's life: robots.txt read once an hour, not every cycle.
        self.politeness = Politeness()
        self._started_scheduler = threading.Event()
        self._schedule_seen: dict[str, Any] | None = None
        self._stop_requested_at: float | None = None
        # Shared with the embedded server's /healthz (see serve.LastCycle).
        self.last_cycle = LastCycle()

    @property
    def cfg(self):
        return self.reloader.cfg

    @property
    def engine(self):
        if self._engine is None:
            self._engine = translation.load_engine(self.cfg)
        return self._engine

    def cycle(self) -> dict[str, Any] | None:
        """One scheduled cycle. Never raises: a failed cycle is logged, recorded
        and retried at the next run time."""
        # idle is cleared before stop is checked, so wait_idle() after a stop
        # request either sees this cycle running or this cycle sees the stop.
        self.idle.clear()
        try:
            if self.stop.is_set():
                return None
            return self._cycle()
        finally:
            self.idle.set()

    def _cycle(self) -> dict[str, Any] | None:
        self.cycles += 1
        n = self.cycles
        t0 = time.monotonic()
        reload_errors = self.reloader.refresh()
        self._maybe_reschedule()
        cfg = self.cfg
        try:
            with Store(cfg.db_path) as store:
                report = report_dict(
                    self._run_cycle(cfg, engine=self.engine, glossary=self.reloader.glossary, store=store,
                                    memory=TranslationMemory(store), stop=self.stop,
                                    politeness=self.politeness, reload_errors=reload_errors,
                                    progress=ProgressLog(n, self.progress_every))
                )
        except Exception as e:
            # run_cycle records a run that raised as "error", so /healthz
            # reports it (from memory too, for a disk too full to record it);
            # the next scheduled cycle tries again.
            self.last_cycle.failed, self.last_cycle.finished = True, utcnow()
            self._log_failure(n, time.monotonic() - t0, e, cfg)
            return None
        self.last_cycle.failed, self.last_cycle.finished = False, utcnow()
        elapsed = time.monotonic() - t0
        hub = cfg.websub.hub or None
        websub = notify(hub, cfg.data_dir, list(report.get("changed_feeds") or []), stop=self.stop) if hub else {}
        self._log_cycle(n, elapsed, report, websub, reload_errors)
        return report

    @staticmethod
    def _log_failure(n: int, elapsed: float, e: Exception, cfg) -> None:
        """A bug gets its traceback; a full or read-only disk or a corrupt
        database gets one line naming the path and the cause."""
        env = environment_problem(e, cfg.db_path)
        fields = {"event": "cycle", "cycle": n, "ok": False, "error": env or str(e), "seconds": round(elapsed, 3)}
        if env:
            fields["exit_code"] = int(ExitCode.ENVIRONMENT)
            log.error("cycle %d failed after %.1fs: environment error: %s", n, elapsed, env,
                      extra={"fields": fields})
        else:
            log.exception("cycle %d failed after %.1fs: %s", n, elapsed, e, extra={"fields": fields})

    def _log_cycle(self, n: int, elapsed: float, report: dict[str, Any], websub: dict[str, Any],
                   reload_errors: list[str]) -> None:
        counts = summarize(report)
        fields = {"event": "cycle", "cycle": n, "ok": True, "seconds": round(elapsed, 3), **counts}
        if websub:
            fields["websub_pinged"] = len(websub["pinged"])
            fields["websub_pending"] = len(websub["pending"])
        if reload_errors:
            fields["reload_errors"] = reload_errors
        if self.stop.is_set():
            fields["interrupted"] = True
        text = " ".join(f"{k}={v}" for k, v in counts.items())
        log.info("cycle %d done in %.1fs%s: %s", n, elapsed, " (interrupted)" if self.stop.is_set() else "",
                 text or "no report", extra={"fields": fields})
        # The counts say how many; the journal must also say which file or
        # source and why, as `syndicate run` prints it.
        for severity, line in pipeline.problem_lines(report):
            log.log(logging.WARNING if severity == "warning" else logging.INFO, "cycle %d: %s", n, line,
                    extra={"fields": {"event": "problem", "cycle": n}})

    def _maybe_reschedule(self) -> None:
        if self.scheduler is None or self.interval_seconds is not None:
            return
        sched = self.cfg.schedule
        if sched == self._schedule_seen:
            return
        self._schedule_seen = sched
        try:
            self.scheduler.reschedule_job(JOB_ID, trigger=make_trigger(self.cfg))
            log.info("schedule changed: %s", sched.cron or f"every {sched.interval_minutes} min")
        except Exception as e:
            log.error("could not apply the new schedule, keeping the old one: %s", e)

    # --- process life --------------------------------------------------------

    def request_stop(self, reason: str) -> None:
        if self.stop.is_set():
            return
        self._stop_requested_at = time.monotonic()
        self.stop.set()
        log.info("%s: no new cycles; finishing the current article, then exiting", reason,
                 extra={"fields": {"event": "stopping", "reason": reason}})
        # The signal handler runs on the main thread, which may be inside the
        # scheduler holding its locks; shut it down from another thread.
        threading.Thread(target=self._shutdown_scheduler, name="syndicate-stopper", daemon=True).start()

    def _shutdown_scheduler(self) -> None:
        deadline = time.monotonic() + STOP_DEADLINE_S
        while time.monotonic() < deadline:
            sched = self.scheduler
            if sched is not None and sched.running:
                try:
                    sched.shutdown(wait=False)
                except SchedulerNotRunningError:
                    pass
                return
            if self._started_scheduler.is_set():
                return  # start() already returned or was never entered
            time.sleep(0.05)

    def run_forever(self) -> ExitCode:
        """Schedule cycles until stopped. Returns the process exit code."""
        period = schedule_period_seconds(self.cfg, self.interval_seconds)
        self._schedule_seen = self.cfg.schedule
        self.scheduler = build_scheduler(self.cycle, make_trigger(self.cfg, self.interval_seconds), period)
        log.info("scheduling cycles %s (misfire grace %ds); first cycle now",
                 f"every {period:g}s" if not self.cfg.schedule.cron or self.interval_seconds
                 else f"on cron {self.cfg.schedule.cron!r}",
                 misfire_grace_seconds(period))
        try:
            if not self.stop.is_set():
                self.scheduler.start()
        finally:
            self._started_scheduler.set()
        return self.wait_idle()

    def wait_idle(self) -> ExitCode:
        started = self._stop_requested_at or time.monotonic()
        if self.idle.wait(max(0.0, STOP_DEADLINE_S - (time.monotonic() - started))):
            log.info("stopped cleanly", extra={"fields": {"event": "stopped"}})
            return ExitCode.OK
        log.error("the current article did not finish within %.0fs; exiting anyway "
                  "(its uncommitted transaction is rolled back, feeds stay whole)", STOP_DEADLINE_S,
                  extra={"fields": {"event": "stopped", "forced": True}})
        return ExitCode.FORCED


def install_signal_handlers(daemon: Daemon) -> None:
    """SIGTERM/SIGINT -> daemon.request_stop(), a second one -> exit at once.

    A Python signal handler runs on the main thread between two bytecodes,
    possibly while that thread holds a lock (inside Event.set, logging, the
    scheduler): taking any lock there can deadlock, and did when two SIGTERMs
    arrived together. So the handler does nothing; the C-level wakeup fd
    carries the signal number to a watcher thread, which does the work with
    ordinary locking.
    """
    reader, writer = socket.socketpair()
    writer.setblocking(False)

    def watch() -> None:
        seen = 0
        while True:
            data = reader.recv(16)
            if not data:
                return
            for signum in data:
                name = signal.Signals(signum).name if signum in set(signal.Signals) else str(signum)
                seen += 1
                if seen == 1:
                    daemon.request_stop(f"received {name}")
                else:
                    log.warning("%s again: exiting now", name,
                                extra={"fields": {"event": "stopped", "forced": True}})
                    logging.shutdown()
                    os._exit(ExitCode.FORCED)

    threading.Thread(target=watch, name="syndicate-signals", daemon=True).start()
    signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    daemon._signal_sockets = (reader, writer)  # keep them open for the process's life

    def handler(signum, frame):  # the wakeup fd has already recorded it
        pass

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def _start_server(cfg, last_cycle: LastCycle):
    """The embedded HTTP server, bound and serving; (None, None) when the
    port cannot be bound (logged)."""
    host, port = cfg.server.host, cfg.server.port
    try:
        server = create_server(app_for(cfg, last_cycle), host, port, cfg.server)
    except OSError as e:
        log.error("cannot listen on %s:%s ([server] host/port): %s", host, port, e)
        return None, None
    thread = start_in_thread(server)
    log.info("serving %s on %s", cfg.feeds_dir, server_url(server))
    return server, thread


def _check_store(cfg) -> ExitCode | None:
    """Open an existing store once before anything is scheduled: a corrupt
    or unwritable database stops the start with one line, not a traceback
    every cycle. A missing one is the first cycle's to create."""
    if not cfg.db_path.exists():
        return None
    try:
        Store(cfg.db_path).close()
    except Exception as e:
        env = environment_problem(e, cfg.db_path)
        if env is None:
            raise
        log.error("cannot start: environment error: %s", env, extra={"fields": {"event": "environment"}})
        return ExitCode.ENVIRONMENT
    return None


def run_daemon(cfg, *, serve: bool = False, interval_seconds: float | None = None) -> ExitCode:
    """The whole daemon process. Returns its exit code."""
    try:
        lock_cm = data_lock(cfg.data_dir, "syndicate daemon")
        lock_cm.__enter__()
    except LockedError as e:
        log.error("%s", e, extra={"fields": {"event": "locked", "lock_file": str(e.lock_file)}})
        return ExitCode.LOCKED
    except OSError as e:
        env = environment_problem(e)
        if env is None:
            raise
        log.error("cannot start: environment error: %s", env, extra={"fields": {"event": "environment"}})
        return ExitCode.ENVIRONMENT
    server = thread = None
    try:
        try:
            daemon = Daemon(cfg, interval_seconds=interval_seconds)
        except Exception as e:  # the glossary, as a rule: the message names file:line
            log.error("cannot start: %s", e)
            return ExitCode.CONFIG
        problem = _check_store(cfg)
        if problem is not None:
            return problem
        install_signal_handlers(daemon)
        if serve:
            server, thread = _start_server(cfg, daemon.last_cycle)
            if server is None:
                return ExitCode.CONFIG
        try:
            daemon.engine  # load the models once, before the first cycle
        except Exception as e:
            log.error("cannot load the translation engine ([translation]): %s", e)
            return ExitCode.CONFIG
        code = daemon.run_forever()
        if code != ExitCode.OK:
            # The worker thread is still inside an article; interpreter
            # shutdown would wait for it, so leave without waiting.
            logging.shutdown()
            os._exit(code)
        return code
    finally:
        if server is not None:
            stop_server(server, thread)
        lock_cm.__exit__(None, None, None)
