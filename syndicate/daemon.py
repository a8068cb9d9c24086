"""`syndicate daemon`: the `run` cycle on a schedule, optionally with the HTTP server.

One process, one BlockingScheduler, one job. The translation engine is
loaded once (model loading dominates a short cycle); the config and the
glossary are re-read before each cycle when their files changed, and a bad
edit is logged while the last good version stays in use.

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
import json
import logging
import os
import signal
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

import click

from . import config as config_mod
from .lock import LockedError, data_lock

log = logging.getLogger("syndicate.daemon")

JOB_ID = "syndicate-cycle"
STOP_DEADLINE_S = 8.0  # signal -> giving up on the current article; leaves time to close the server
# and exit within 10 s. systemd's TimeoutStopSec (20 s) is the outer bound.
EXIT_OK = 0
EXIT_CONFIG = 2
EXIT_LOCKED = 2  # another process holds the data folder (as `syndicate run` exits)
EXIT_FORCED = 70  # the current article did not finish within the deadline


# --- logging ---------------------------------------------------------------------


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for journald/Loki/Elastic shippers."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            out.update(fields)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def setup_logging(fmt: str = "text", level: int = logging.INFO) -> None:
    root = logging.getLogger()
    if root.level == logging.DEBUG:  # `syndicate -v` asked for more
        level = logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for h in list(root.handlers):
        root.removeHandler(h)
    root.addHandler(handler)
    root.setLevel(level)
    # APScheduler logs every job start/end at INFO; our cycle line says it better.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("waitress").setLevel(logging.WARNING)


# --- schedule --------------------------------------------------------------------


def make_trigger(cfg, interval_seconds: float | None = None):
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    if interval_seconds is not None:
        return IntervalTrigger(seconds=interval_seconds)
    if cfg.schedule.cron:
        return CronTrigger.from_crontab(cfg.schedule.cron)
    return IntervalTrigger(minutes=cfg.schedule.interval_minutes)


def schedule_period_seconds(cfg, interval_seconds: float | None = None) -> float:
    """The time between two cycles; for a cron expression, the gap between
    its next two fire times (good enough to judge staleness)."""
    if interval_seconds is not None:
        return float(interval_seconds)
    if cfg.schedule.cron:
        from apscheduler.triggers.cron import CronTrigger

        trig = CronTrigger.from_crontab(cfg.schedule.cron)
        now = datetime.now(trig.timezone)
        first = trig.get_next_fire_time(None, now)
        second = trig.get_next_fire_time(first, first + timedelta(seconds=1)) if first else None
        if first and second:
            return (second - first).total_seconds()
    return cfg.schedule.interval_minutes * 60.0


def misfire_grace_seconds(period: float) -> int:
    """How late a run may start and still run.

    APScheduler 3.x defaults to 1 s and then *skips* the run with only a
    warning: a cycle delayed by a slow previous cycle, a suspended VM or a
    busy host would silently not happen. Here a run may be up to one whole
    period late (at least 5 minutes): later than that, the next scheduled
    run comes sooner than waiting would have, and coalesce makes a backlog
    of missed runs a single run.
    """
    return int(max(300, period))


def build_scheduler(job: Callable[[], None], trigger, period: float, run_now: bool = True):
    from apscheduler.schedulers.blocking import BlockingScheduler

    sched = BlockingScheduler(timezone=timezone.utc)
    sched.add_job(
        job,
        trigger,
        id=JOB_ID,
        name="syndicate cycle",
        max_instances=1,  # never two cycles at once on one store
        coalesce=True,  # a backlog of missed runs is one run, not a burst
        misfire_grace_time=misfire_grace_seconds(period),
        next_run_time=datetime.now(timezone.utc) if run_now else None,
        replace_existing=True,
    )
    return sched


# --- reloading -------------------------------------------------------------------


def _fingerprint(paths: list[Path]) -> tuple:
    out = []
    for root in paths:
        if root.is_dir():
            files = sorted(p for p in root.rglob("*") if p.is_file())
        else:
            files = [root]
        for f in files:
            try:
                st = f.stat()
                out.append((str(f), st.st_mtime_ns, st.st_size))
            except OSError:
                out.append((str(f), None, None))
    return tuple(out)


def load_glossary(cfg):
    """The glossary as a TermHook (the same loader `syndicate run` uses).
    Raises on a glossary with errors."""
    from .runtime import load_glossary as _load

    return _load(cfg)


class Reloader:
    """Config and glossary, re-read when their files change; the last good
    version is kept when a new one does not load."""

    # Sections the running process cannot take over without a restart.
    RESTART_KEYS = ("paths", "translation", "server")

    def __init__(self, cfg, glossary_loader: Callable = load_glossary):
        self.cfg = cfg
        self.glossary_loader = glossary_loader
        self.glossary = glossary_loader(cfg)
        self._cfg_fp = _fingerprint([cfg.file])
        self._gl_fp = _fingerprint([cfg.glossary_dir])
        self.errors: list[str] = []

    def refresh(self) -> list[str]:
        """Reload what changed. Returns the errors of this refresh (also logged)."""
        errors: list[str] = []
        fp = _fingerprint([self.cfg.file])
        if fp != self._cfg_fp:
            try:
                new = config_mod.load(self.cfg.file)
            except config_mod.ConfigError as e:
                errors.append(f"config: {e}")
                log.error("config reload failed, keeping the last good configuration: %s", e,
                          extra={"fields": {"event": "reload-failed", "what": "config", "error": str(e)}})
            else:
                for key in self.RESTART_KEYS:
                    if getattr(new, key) != getattr(self.cfg, key):
                        log.warning("config [%s] changed; it takes effect after a restart", key)
                        new = dataclasses.replace(new, **{key: getattr(self.cfg, key)})
                log.info("config reloaded from %s", new.file)
                self.cfg = new
                self._cfg_fp = fp
        gfp = _fingerprint([self.cfg.glossary_dir])
        if gfp != self._gl_fp:
            try:
                self.glossary = self.glossary_loader(self.cfg)
            except Exception as e:  # any failure to load keeps the old glossary
                errors.append(f"glossary: {e}")
                log.error("glossary reload failed, keeping version %s: %s",
                          getattr(self.glossary, "version", "?"), e,
                          extra={"fields": {"event": "reload-failed", "what": "glossary", "error": str(e)}})
            else:
                log.info("glossary reloaded (version %s)", getattr(self.glossary, "version", "?"))
                self._gl_fp = gfp
        self.errors = errors
        return errors


# --- the cycle -------------------------------------------------------------------


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


class Daemon:
    def __init__(self, cfg, *, engine=None, interval_seconds: float | None = None,
                 glossary_loader: Callable = load_glossary, run_cycle: Callable | None = None):
        self.reloader = Reloader(cfg, glossary_loader)
        self.interval_seconds = interval_seconds
        self.stop = threading.Event()
        self.idle = threading.Event()
        self.idle.set()
        self.cycles = 0
        self.scheduler = None
        self._engine = engine
        self._run_cycle = run_cycle
        self._started_scheduler = threading.Event()
        self._schedule_seen: dict[str, Any] | None = None
        self._stop_requested_at: float | None = None

    @property
    def cfg(self):
        return self.reloader.cfg

    @property
    def engine(self):
        if self._engine is None:
            from .translate import load_engine

            self._engine = load_engine(self.cfg)
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
        from .store import Store

        self.cycles += 1
        n = self.cycles
        t0 = time.monotonic()
        reload_errors = self.reloader.refresh()
        self._maybe_reschedule()
        cfg = self.cfg
        run_cycle = self._run_cycle
        if run_cycle is None:
            from .pipeline import run_cycle
        report: dict[str, Any] = {}
        try:
            from .runtime import open_memory

            with Store(cfg.db_path) as store:
                report = report_dict(
                    run_cycle(cfg, engine=self.engine, glossary=self.reloader.glossary, store=store,
                              memory=open_memory(store), stop=self.stop)
                )
        except Exception as e:
            # run_cycle records a run that raised as "error", so /healthz
            # reports it; the next scheduled cycle tries again.
            elapsed = time.monotonic() - t0
            log.exception("cycle %d failed after %.1fs: %s", n, elapsed, e,
                          extra={"fields": {"event": "cycle", "cycle": n, "ok": False, "error": str(e),
                                            "seconds": round(elapsed, 3)}})
            return None
        elapsed = time.monotonic() - t0

        websub: dict[str, Any] = {}
        hub = cfg.websub.hub or None
        if hub:
            from .websub import notify

            websub = notify(hub, cfg.data_dir, list(report.get("changed_feeds") or []), stop=self.stop)

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
        from .pipeline import problem_lines

        for severity, line in problem_lines(report):
            log.log(logging.WARNING if severity == "warning" else logging.INFO, "cycle %d: %s", n, line,
                    extra={"fields": {"event": "problem", "cycle": n}})
        return report

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
        from apscheduler.schedulers import SchedulerNotRunningError

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

    def run_forever(self) -> int:
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

    def wait_idle(self) -> int:
        started = self._stop_requested_at or time.monotonic()
        if self.idle.wait(max(0.0, STOP_DEADLINE_S - (time.monotonic() - started))):
            log.info("stopped cleanly", extra={"fields": {"event": "stopped"}})
            return EXIT_OK
        log.error("the current article did not finish within %.0fs; exiting anyway "
                  "(its uncommitted transaction is rolled back, feeds stay whole)", STOP_DEADLINE_S,
                  extra={"fields": {"event": "stopped", "forced": True}})
        return EXIT_FORCED


def install_signal_handlers(daemon: Daemon) -> None:
    """SIGTERM/SIGINT -> daemon.request_stop(), a second one -> exit at once.

    A Python signal handler runs on the main thread between two bytecodes,
    possibly while that thread holds a lock (inside Event.set, logging, the
    scheduler): taking any lock there can deadlock, and did when two SIGTERMs
    arrived together. So the handler does nothing; the C-level wakeup fd
    carries the signal number to a watcher thread, which does the work with
    ordinary locking.
    """
    import socket

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
                    os._exit(EXIT_FORCED)

    threading.Thread(target=watch, name="syndicate-signals", daemon=True).start()
    signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    daemon._signal_sockets = (reader, writer)  # keep them open for the process's life

    def handler(signum, frame):  # the wakeup fd has already recorded it
        pass

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def run_daemon(cfg, *, serve: bool = False, interval_seconds: float | None = None) -> int:
    """The whole daemon process. Returns its exit code."""
    from . import serve as serve_mod

    try:
        lock_cm = data_lock(cfg.data_dir, "syndicate daemon")
        lock_cm.__enter__()
    except LockedError as e:
        log.error("%s", e, extra={"fields": {"event": "locked", "lock_file": str(e.lock_file)}})
        return EXIT_LOCKED
    server = thread = None
    try:
        try:
            daemon = Daemon(cfg, interval_seconds=interval_seconds)
        except Exception as e:
            log.error("cannot start: %s", e)
            return EXIT_CONFIG
        install_signal_handlers(daemon)
        if serve:
            try:
                server = serve_mod.create_server(serve_mod.app_for(cfg), cfg.server.host, cfg.server.port)
            except OSError as e:
                log.error("cannot listen on %s:%s ([server] host/port): %s", cfg.server.host,
                          cfg.server.port, e)
                return EXIT_CONFIG
            thread = serve_mod.start_in_thread(server)
            log.info("serving %s on %s", cfg.feeds_dir, serve_mod.server_url(server))
        try:
            daemon.engine  # load the models once, before the first cycle
        except Exception as e:
            log.error("cannot load the translation engine ([translation]): %s", e)
            return EXIT_CONFIG
        code = daemon.run_forever()
        if code != EXIT_OK:
            # The worker thread is still inside an article; interpreter
            # shutdown would wait for it, so leave without waiting.
            logging.shutdown()
            os._exit(code)
        return code
    finally:
        if server is not None:
            serve_mod.stop_server(server, thread)
        lock_cm.__exit__(None, None, None)


# --- command line ----------------------------------------------------------------


def config_from_ctx(ctx: click.Context):
    """The Config the top-level `syndicate --config FILE` group names."""
    from .cli import get_config

    return get_config(ctx)


@click.command("daemon")
@click.option("--serve", "serve", is_flag=True, help="Also serve the feeds folder over HTTP ([server] host/port).")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: one JSON object per line, for log shippers.")
@click.option("--interval-seconds", type=float, default=None, hidden=True,
              help="Override the schedule with an interval in seconds (tests).")
@click.pass_context
def daemon_command(ctx: click.Context, serve: bool, log_format: str, interval_seconds: float | None) -> None:
    """Run the cycle on the [schedule] interval or cron, until SIGTERM/SIGINT.

    One cycle runs at start-up. The data folder is locked: a second daemon or
    a `syndicate run` on it refuses to start. Exit codes: 0 stopped cleanly;
    2 configuration or glossary error at start-up, or the data folder is
    locked by another process; 70 stopped before the current article finished.
    """
    setup_logging(log_format)
    cfg = config_from_ctx(ctx)
    if interval_seconds is not None and interval_seconds <= 0:
        raise click.BadParameter("must be positive", param_hint="--interval-seconds")
    ctx.exit(run_daemon(cfg, serve=serve, interval_seconds=interval_seconds))
