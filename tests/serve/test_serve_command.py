"""`syndicate serve` as a process: binds, serves the configured folder,
stops on SIGTERM; a busy port is a clear error."""
from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys

import requests

import sample_feeds
import testsite


def _start(cfg, *args):
    return subprocess.Popen([sys.executable, "-m", "syndicate.cli", "--config", str(cfg), "serve", *args],
                            cwd=testsite.REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_serve_command_serves_and_stops_on_sigterm(tmp_path):
    cfg = testsite.make(tmp_path, samples=[])
    sample_feeds.write(tmp_path / "feeds")
    proc = _start(cfg, "--port", "0")
    try:
        line = proc.stdout.readline()
        m = re.search(r"on (http://\S+)", line)
        assert m, line + proc.stderr.read()
        url = m.group(1)
        r = requests.get(url + "vi/rss.xml")
        assert r.status_code == 200 and r.headers["Cache-Control"] == "public, max-age=60"
        assert sample_feeds.VI_TITLES[0] in r.text
        assert requests.get(url + "healthz").status_code == 503  # no run yet
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_busy_port_is_a_clear_error(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        cfg = testsite.make(tmp_path, samples=[], port=port)
        proc = _start(cfg)
        _, err = proc.communicate(timeout=30)
    # Like `syndicate daemon --serve` (README: exit 2 when the port is taken),
    # naming the settings to change.
    assert proc.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port} ([server] host/port)" in err
