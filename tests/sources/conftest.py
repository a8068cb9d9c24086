"""Fixtures for remote-source tests: a real SQLite store and a real local
HTTP server (pytest-httpserver's `httpserver` fixture)."""
from __future__ import annotations

import pytest

from syndicate.sources import fetch as fetch_mod
from syndicate.store import Store


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "data" / "syndicate.sqlite")
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _fresh_host_clock():
    # host_delay and robots.txt are process-wide on purpose; tests must not
    # wait on each other or see another test's robots.txt (one server port).
    fetch_mod._host_last.clear()
    fetch_mod._robots_cache.clear()
    yield
