"""The data-folder lock, held by real processes."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

import testsite
from syndicate.lock import LockedError, data_lock, lock_path

REPO = str(testsite.REPO)


def _holder(data_dir) -> subprocess.Popen:
    """Another process that takes the lock and keeps it until killed."""
    code = textwrap.dedent(
        f"""
        import sys, time
        from syndicate.lock import data_lock
        with data_lock({str(data_dir)!r}, "test holder"):
            print("locked", flush=True)
            time.sleep(60)
        """
    )
    p = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "locked"
    return p


def test_second_holder_in_the_same_process_is_refused(tmp_path):
    with data_lock(tmp_path / "data"):
        with pytest.raises(LockedError) as e:
            with data_lock(tmp_path / "data"):
                pass
        msg = str(e.value)
        assert str(lock_path(tmp_path / "data")) in msg
        assert f"pid {os.getpid()}" in msg
    # Released: it can be taken again.
    with data_lock(tmp_path / "data"):
        pass


def test_other_process_is_named_and_a_killed_holder_leaves_no_stale_lock(tmp_path):
    data = tmp_path / "data"
    p = _holder(data)
    try:
        with pytest.raises(LockedError) as e:
            with data_lock(data):
                pass
        assert f"pid {p.pid}" in str(e.value)
        assert e.value.lock_file == data / "syndicate.lock"
    finally:
        p.send_signal(signal.SIGKILL)
        p.wait()
    # SIGKILL ran no clean-up, yet the OS dropped the lock with the process.
    with data_lock(data):
        pass


def test_syndicate_run_refuses_while_locked(tmp_path):
    cfg = testsite.make(tmp_path, samples=[])
    p = _holder(tmp_path / "data")
    try:
        r = subprocess.run([sys.executable, "-m", "syndicate.cli", "--config", str(cfg), "run"], cwd=REPO,
                           capture_output=True, text=True, timeout=60)
    finally:
        p.kill()
        p.wait()
    assert r.returncode == 2, r.stderr
    assert str(tmp_path / "data" / "syndicate.lock") in r.stderr
    assert f"pid {p.pid}" in r.stderr
