"""Fixtures for remote-source tests (the store and the HTTP server are
tests/conftest.py's and pytest-httpserver's)."""
from __future__ import annotations

import pytest

from syndicate.sources import Politeness


@pytest.fixture
def politeness():
    """Host delay and robots.txt shared by a test's cycles, as the daemon
    shares one across its life; a new test starts with none."""
    return Politeness()
