"""`syndicate daemon`: the command; the process lives in syndicate.daemon."""
from __future__ import annotations

import click

from ..config import Config
from ..daemon import run_daemon
from ..logs import setup_logging
from .common import get_config


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
    cfg: Config = get_config(ctx)
    if interval_seconds is not None and interval_seconds <= 0:
        raise click.BadParameter("must be positive", param_hint="--interval-seconds")
    raise click.exceptions.Exit(int(run_daemon(cfg, serve=serve, interval_seconds=interval_seconds)))
