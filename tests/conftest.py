"""Shared fixtures: a real store, a workspace with config overrides, the
session's copy models and a threaded HTTP server. Test helpers live in
tests/support (on sys.path via pyproject's pytest `pythonpath`), never in a
package called `tests`: argos-translate installs a top-level `tests` package
of its own."""

import shutil
from pathlib import Path

import copy_model
import pytest
import testsite

from syndicate.config import Config, load
from syndicate.store import Store

FIXTURES = Path(__file__).parent / "text" / "testdata"


@pytest.fixture
def store(tmp_path):
    """A real Store on a SQLite file in the test's temporary folder."""
    s = Store(tmp_path / "data" / "syndicate.sqlite")
    yield s
    s.close()


class Workspace:
    """A config file (testsite.BASE_CONFIG with overrides), an empty inbox,
    glossary and packages folder under one root."""

    def __init__(self, root: Path, overrides: dict | None = None):
        self.root = root
        self.inbox = root / "inbox"
        self.config_file = testsite.write_config(root, overrides)

    def config(self) -> Config:
        return load(self.config_file)

    def configure(self, overrides: dict) -> Config:
        """Rewrite the config with these overrides (of the base, not of the
        last call) and load it."""
        testsite.write_config(self.root, overrides)
        return self.config()

    def add(self, name: str, fixture: str | None = None, text: str | None = None, data: bytes | None = None) -> Path:
        dest = self.inbox / name
        if fixture:
            shutil.copy(FIXTURES / fixture, dest)
        elif text is not None:
            dest.write_text(text, encoding="utf-8")
        else:
            dest.write_bytes(data)
        return dest


@pytest.fixture
def make_workspace(tmp_path):
    """make_workspace(overrides=None, root=None) -> Workspace; overrides as
    {"section": {"key": value}} or {"sources": [...]} (see testsite.merged)."""
    return lambda overrides=None, root=None: Workspace(root or tmp_path, overrides)


@pytest.fixture
def workspace(make_workspace):
    return make_workspace()


@pytest.fixture(scope="session")
def copy_packages(tmp_path_factory):
    """{(src, tgt): path of a built .argosmodel} for en->vi and vi->en, built
    once per session (never committed, never downloaded)."""
    d = tmp_path_factory.mktemp("argosmodels")
    return {
        (s, t): copy_model.build_package(d / f"{s}_{t}.argosmodel", s, t)
        for s, t in (("en", "vi"), ("vi", "en"))
    }


@pytest.fixture(scope="session")
def installed_packages_dir(tmp_path_factory, copy_packages):
    """A packages folder with both copy models installed through argostranslate.
    Shared by the session: tests must not install into or remove from it."""
    d = tmp_path_factory.mktemp("packages")
    testsite.install_copy_models(d, copy_packages)
    return d


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
