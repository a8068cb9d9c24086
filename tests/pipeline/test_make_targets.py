"""The quick start's make targets, as a newcomer runs them: `make run`
publishes, `make serve` serves the site at the config's address. Run in a
copy of the Makefile against a throwaway site, with this interpreter's venv
(so nothing is installed)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

import testsite

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _make(target: str) -> list[str]:
    venv = Path(sys.prefix)
    # -o: the venv is taken as installed; VENV: this interpreter's.
    return ["make", "-s", "-o", str(venv / ".installed"), f"VENV={venv}", target]


def _site(tmp_path: Path) -> Path:
    shutil.copy(testsite.REPO / "Makefile", tmp_path / "Makefile")
    return testsite.make(tmp_path, samples=testsite.SAMPLES)


def test_make_run_then_make_serve_shows_the_site(tmp_path):
    cfg = testsite.load(_site(tmp_path))
    r = subprocess.run(_make("run"), cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"articles: {len(testsite.SAMPLES)} new" in r.stdout
    proc = subprocess.Popen(_make("serve"), cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        end, page = time.monotonic() + 60, None
        while time.monotonic() < end and page is None:
            try:
                page = requests.get(cfg.site.base_url, timeout=2)
            except requests.ConnectionError:
                time.sleep(0.2)
        assert page is not None and page.status_code == 200, proc.stdout.read1().decode() if page is None else page
        assert "text/html" in page.headers["Content-Type"]
        assert requests.get(cfg.site.base_url + "vi/atom.xml", timeout=5).status_code == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # make and the server it started
        proc.wait(timeout=20)
