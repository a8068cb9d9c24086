"""Fixtures for remote-source tests (the store and the HTTP server are
tests/conftest.py's and pytest-httpserver's)."""
from __future__ import annotations

import pytest

from syndicate.sources import fetch as fetch_mod


@pytest.fixture(autouse=True)
def _fresh_host_clock():
    # host_delay and robots.txt are process-wide on purpose; tests must not
    # wait on each other or see another test's robots.txt (one server port).
    fetch_mod._host_last.clear()
    fetch_mod._robots_cache.clear()
    yield
