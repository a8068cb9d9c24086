"""Fixtures for the command-line tests: a site with a config, a broken
config or glossary on demand, and a real process holding the data lock."""
from __future__ import annotations

import logging
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

import testsite
from syndicate.cli import main

BROKEN_GLOSSARY = '[[term]]\nen = "Colonel"\nvi = "Đại tá"\n\n[[term]]\nen = ""\nvi = "Thiếu tá"\n'
GLOSSARY_ERROR = "ranks.toml:6: en is empty"
CONFIG_ERROR = "schedule.intervall_minutes"


class Site:
    glossary_error = GLOSSARY_ERROR
    config_error = CONFIG_ERROR

    def __init__(self, root):
        self.root = root
        self.config_file = testsite.make(root, samples=[])

    def invoke(self, *args: str):
        return CliRunner().invoke(main, ["--config", str(self.config_file), *args])

    def break_config(self) -> None:
        text = self.config_file.read_text(encoding="utf-8")
        self.config_file.write_text(text.replace("interval_minutes = 15", "intervall_minutes = 15"), encoding="utf-8")

    def break_glossary(self) -> None:
        (self.root / "glossary" / "ranks.toml").write_text(BROKEN_GLOSSARY, encoding="utf-8")


@pytest.fixture
def site(tmp_path):
    return Site(tmp_path)


@pytest.fixture(autouse=True)
def _keep_logging():
    """`daemon` and `serve` point the root logger at the runner's stderr;
    put it back so later tests do not log into a closed stream."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def lock_holder(site):
    """Another process holding the site's data-folder lock until the test ends."""
    code = textwrap.dedent(
        f"""
        import time
        from syndicate.lock import data_lock
        with data_lock({str(site.root / "data")!r}, "test holder"):
            print("locked", flush=True)
            time.sleep(60)
        """
    )
    p = subprocess.Popen([sys.executable, "-c", code], cwd=testsite.REPO, stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "locked"
    yield p
    p.kill()
    p.wait()
