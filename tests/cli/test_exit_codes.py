"""One exit-code vocabulary for every command (README, "Exit codes"): a
config error, a glossary error and a locked data folder end each command
that meets them with exit 2 and a message that names the key, the
file:line or the holder."""
from __future__ import annotations

import pytest

from syndicate.exitcodes import ExitCode


def _args(site, name: str) -> list[str]:
    """Arguments that get each command as far as its config."""
    some_file = str(site.config_file)  # any existing file: a PATH argument must exist
    return {
        "run": ["run"],
        "ingest": ["ingest", some_file],
        "status": ["status"],
        "daemon": ["daemon", "--interval-seconds", "60"],
        "serve": ["serve", "--port", "0"],
        "translate": ["translate", "--from", "en", "--to", "vi", "General To Lam"],
        "glossary list": ["glossary", "list"],
        "glossary add": ["glossary", "add", "--en", "Major", "--vi", "Thiếu tá", "-c", "ranks"],
        "glossary remove": ["glossary", "remove", "--en", "Colonel"],
        "glossary check": ["glossary", "check"],
        "glossary export": ["glossary", "export", "--format", "csv", "--output", "-"],
        "glossary import": ["glossary", "import", str(site.root / "in.csv")],
        "glossary candidates": ["glossary", "candidates"],
        "models list": ["models", "list"],
        "models install": ["models", "install", some_file],
        "models remove": ["models", "remove", "en-vi"],
    }[name]


READS_CONFIG = ["run", "ingest", "status", "daemon", "serve", "translate", "glossary list", "glossary add",
                "glossary remove", "glossary check", "glossary export", "glossary import", "glossary candidates",
                "models list", "models install", "models remove"]
LOADS_GLOSSARY = ["run", "daemon", "translate", "glossary list", "glossary add", "glossary remove",
                  "glossary export", "glossary import", "glossary candidates"]
TAKES_LOCK = ["run", "ingest", "daemon"]


def test_the_vocabulary():
    assert (ExitCode.OK, ExitCode.ERROR, ExitCode.INPUT, ExitCode.TRANSLATION, ExitCode.FORCED) == (0, 1, 3, 4, 70)
    assert ExitCode.CONFIG == ExitCode.GLOSSARY == ExitCode.LOCKED == ExitCode.USAGE == 2


@pytest.mark.parametrize("name", READS_CONFIG)
def test_config_error(site, name):
    (site.root / "in.csv").write_text("en,vi\nMajor,Thiếu tá\n", encoding="utf-8")
    site.break_config()
    r = site.invoke(*_args(site, name))
    assert r.exit_code == ExitCode.CONFIG, r.output
    assert "configuration error" in r.stderr and site.config_error in r.stderr


@pytest.mark.parametrize("name", LOADS_GLOSSARY)
def test_glossary_error(site, name):
    (site.root / "in.csv").write_text("en,vi\nMajor,Thiếu tá\n", encoding="utf-8")
    (site.root / "data").mkdir()
    (site.root / "data" / "syndicate.sqlite").touch()  # candidates wants a store
    site.break_glossary()
    before = (site.root / "glossary" / "ranks.toml").read_bytes()
    r = site.invoke(*_args(site, name))
    assert r.exit_code == ExitCode.GLOSSARY, r.output
    assert site.glossary_error in r.stderr
    assert (site.root / "glossary" / "ranks.toml").read_bytes() == before
    assert not (site.root / "feeds" / "en").exists()  # nothing ran


@pytest.mark.parametrize("name", TAKES_LOCK)
def test_locked(site, lock_holder, name):
    r = site.invoke(*_args(site, name))
    assert r.exit_code == ExitCode.LOCKED, r.output
    assert str(site.root / "data" / "syndicate.lock") in r.stderr
    assert f"pid {lock_holder.pid}" in r.stderr


def test_glossary_check_reports_errors_as_findings(site):
    # The linter's job is to find problems: they are its findings (exit 1), not a refusal to start.
    site.break_glossary()
    r = site.invoke("glossary", "check")
    assert r.exit_code == ExitCode.REFUSED and "ranks.toml:6: error: en is empty" in r.output


@pytest.mark.parametrize("args", [["run"], ["translate", "--from", "en", "--to", "vi", "--protect-only", "To Lam"]])
def test_a_missing_glossary_folder_is_a_warning_for_every_command(site, args, caplog):
    (site.root / "glossary").rmdir()
    r = site.invoke(*args)
    assert r.exit_code == ExitCode.OK, r.output
    # A warning on stderr (pytest catches the log record before it gets there).
    assert "glossary folder" in caplog.text and "not found" in caplog.text


def test_translate_without_a_model_is_a_failed_translation(site):
    r = site.invoke("translate", "--from", "en", "--to", "vi", "General To Lam")
    assert r.exit_code == ExitCode.TRANSLATION and "syndicate models install" in r.stderr


def test_unreadable_import_file_is_a_rejected_input(site):
    bad = site.root / "bad.tbx"
    bad.write_text("<martif><text><body><termEntry>", encoding="utf-8")
    r = site.invoke("glossary", "import", str(bad))
    assert r.exit_code == ExitCode.INPUT, r.output
    assert str(bad) in r.stderr
