"""Run the real waitress server on a free loopback port in a thread."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from syndicate.serve import create_server, server_url, start_in_thread, stop_server


@contextmanager
def running(app, host: str = "127.0.0.1", settings=None) -> Iterator[str]:
    """settings: a config.Server with the limits to run under."""
    # A short loop timeout: each test's server stops in 0.1 s, not 1 s.
    server = create_server(app, host, 0, settings, asyncore_loop_timeout=0.1)
    thread = start_in_thread(server)
    try:
        yield server_url(server)
    finally:
        stop_server(server, thread)
