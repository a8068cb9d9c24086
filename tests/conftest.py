"""Shared fixtures. Test helpers live in tests/support (on sys.path via
pyproject's pytest `pythonpath`), never in a package called `tests`:
argos-translate installs a top-level `tests` package of its own."""

import shutil
from pathlib import Path

import pytest

from syndicate.config import load

FIXTURES = Path(__file__).parent / "text" / "testdata"

CONFIG_TEMPLATE = """
[site]
base_url = "http://feeds.example.test/news/"
title = "Test News"

[paths]
data = "data"
feeds = "feeds"

[glossary]
dir = "glossary"

[translation]
# Never the user's own argostranslate folder: tests see only what they install.
packages_dir = "packages"

[[sources]]
name = "inbox"
type = "inbox"
path = "inbox"
language = "auto"
"""


@pytest.fixture
def workspace(tmp_path):
    """A config file, an empty inbox and glossary folder in a temporary
    directory; returns a function that (re)loads the Config."""
    (tmp_path / "inbox").mkdir()
    (tmp_path / "glossary").mkdir()
    (tmp_path / "packages").mkdir()
    cfg_file = tmp_path / "config.toml"
    cfg_file.write_text(CONFIG_TEMPLATE, encoding="utf-8")

    class W:
        root = tmp_path
        inbox = tmp_path / "inbox"
        config_file = cfg_file

        @staticmethod
        def config():
            return load(cfg_file)

        @staticmethod
        def add(name: str, fixture: str | None = None, text: str | None = None, data: bytes | None = None):
            dest = tmp_path / "inbox" / name
            if fixture:
                shutil.copy(FIXTURES / fixture, dest)
            elif text is not None:
                dest.write_text(text, encoding="utf-8")
            else:
                dest.write_bytes(data)
            return dest

    return W


@pytest.fixture(scope="session")
def make_httpserver():
    """pytest-httpserver's server, threaded. Tests that stall a response on
    purpose (timeouts, slow bodies) would otherwise keep the one shared
    server busy after the client gave up, and the next test's requests
    (robots.txt, say) would time out behind them."""
    from pytest_httpserver import HTTPServer

    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()
