"""Fixtures for remote-source tests: a real SQLite store and a real local
HTTP server (pytest-httpserver's `httpserver` fixture)."""
from __future__ import annotations

import pytest

from syndicate.sources import Politeness
from syndicate.store import Store


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "data" / "syndicate.sqlite")
    yield s
    s.close()


@pytest.fixture
def politeness():
    """Host delay and robots.txt shared by a test's cycles, as the daemon
    shares one across its life; a new test starts with none."""
    return Politeness()
