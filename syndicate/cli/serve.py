"""`syndicate serve`: the command; the WSGI app and server live in syndicate.serve."""
from __future__ import annotations

import signal
import sys

import click

from ..exitcodes import ExitCode
from ..logs import setup_logging
from ..serve import app_for, create_server, server_url
from .common import fail, get_config


@click.command("serve")
@click.option("--host", default=None, help="Address to bind (default: [server] host).")
@click.option("--port", type=int, default=None, help="Port to bind (default: [server] port; 0 picks a free one).")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: one JSON object per line, for log shippers.")
@click.pass_context
def serve_command(ctx: click.Context, host: str | None, port: int | None, log_format: str) -> None:
    """Serve the feeds folder over HTTP until SIGTERM/SIGINT.

    GET and HEAD only; ETag/Last-Modified with 304s, gzip, Cache-Control
    max-age from [server] cache_max_age; /healthz reports the last run.
    """
    setup_logging(log_format)
    cfg = get_config(ctx)
    host = host or cfg.server.host
    port = cfg.server.port if port is None else port
    try:
        server = create_server(app_for(cfg), host, port, cfg.server)
    except OSError as e:
        # As `syndicate daemon --serve` does.
        fail(ExitCode.CONFIG, f"syndicate: cannot listen on {host}:{port} ([server] host/port): {e}")

    def on_term(signum, frame):
        # waitress's run() closes the server on SystemExit.
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_term)
    # On stdout: the line a script (or a test) waits for, with the real port.
    click.echo(f"serving {cfg.feeds_dir} on {server_url(server)}")
    sys.stdout.flush()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
