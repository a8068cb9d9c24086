"""The test copy model copies its input: installed in production, the
Vietnamese feeds fill with English and nothing looks broken to a machine.
Installing it warns, and so does every run and daemon cycle that has it."""
from __future__ import annotations

import logging

from click.testing import CliRunner

import testsite
from syndicate.cli import main
from syndicate.daemon import Daemon
from syndicate.exitcodes import ExitCode


def _cli(cfg_file, *args):
    return CliRunner().invoke(main, ["--config", str(cfg_file), *args])


def test_installing_and_running_with_the_copy_model_warn(tmp_path, copy_packages, caplog):
    cfg_file = testsite.make(tmp_path, samples=testsite.SAMPLES[:1])
    r = _cli(cfg_file, "models", "install", str(copy_packages[("en", "vi")]))
    assert r.exit_code == ExitCode.OK, r.output
    assert "installed en->vi" in r.stdout
    assert "warning:" in r.stderr and "TEST COPY MODEL" in r.stderr and "production" in r.stderr

    for _ in range(2):  # every run, not only the first
        r = _cli(cfg_file, "run")
        assert r.exit_code == ExitCode.OK, r.output
        assert "the en->vi model" in r.stdout and "TEST COPY MODEL" in r.stdout
        assert "vi->en model" not in r.stdout  # not installed: the usual advice instead

    daemon = Daemon(testsite.load(cfg_file), interval_seconds=60)
    with caplog.at_level(logging.WARNING, logger="syndicate.daemon"):
        daemon.cycle()
    assert any("TEST COPY MODEL" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)


def test_a_real_model_draws_no_such_warning(tmp_path, copy_packages, monkeypatch):
    """The warning follows the package's own flag, not its name or size.
    (Unflagged, the copy model's output fails the untranslated-copy check:
    exit 4, which is not what this test is about.)"""
    from syndicate.translate import packages

    cfg_file = testsite.make(tmp_path, samples=testsite.SAMPLES[:1], models=copy_packages)
    monkeypatch.setattr(packages.PackageInfo, "copy_model", property(lambda self: False))
    r = _cli(cfg_file, "run")
    assert "translation failed" in r.output and "COPY MODEL" not in r.output
