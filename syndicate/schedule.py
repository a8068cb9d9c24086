"""When cycles run: the trigger from [schedule], the period between two
cycles (which /healthz uses to judge staleness), the misfire grace, and the
one-job scheduler the daemon runs."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Callable

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

JOB_ID = "syndicate-cycle"


def make_trigger(cfg, interval_seconds: float | None = None):
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


def build_scheduler(job: Callable[[], None], trigger, period: float, run_now: bool = True) -> BlockingScheduler:
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
