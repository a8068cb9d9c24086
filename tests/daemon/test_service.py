"""The daemon as deploy/syndicate.service runs it: a home it cannot write
(ProtectSystem=strict makes /srv/syndicate read-only), models in the
service's packages folder, and only the unit's writable folders written.

Tests run as root, so a read-only bind mount is not available: the home is
a regular FILE, under which every attempt to create a folder fails, the
way a read-only file system fails it."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import testsite

REPO = testsite.REPO
UNIT = REPO / "deploy" / "syndicate.service"
XDG = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "ARGOS_PACKAGES_DIR", "SNAP")


def unit_settings(path: Path = UNIT) -> dict[str, list[str]]:
    """[Service] key -> values in order (systemd keys repeat)."""
    out: dict[str, list[str]] = {}
    section = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        if section == "Service":
            key, _, value = line.partition("=")
            out.setdefault(key, []).append(value)
    return out


def unit_environment(settings: dict[str, list[str]]) -> dict[str, str]:
    env = {}
    for line in settings.get("Environment", []):
        for item in line.split():
            k, _, v = item.partition("=")
            env[k] = v
    return env


def writable_roots(settings: dict[str, list[str]]) -> list[str]:
    """What systemd leaves writable under ProtectSystem=strict."""
    roots = [p for line in settings.get("ReadWritePaths", []) for p in line.split()]
    roots += [f"/var/lib/{d}" for line in settings.get("StateDirectory", []) for d in line.split()]
    roots += [f"/var/cache/{d}" for line in settings.get("CacheDirectory", []) for d in line.split()]
    return roots


def _under(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def _first_cycle(cmd: list[str], env: dict[str, str], log_path: Path, timeout: float = 90) -> dict:
    """Start the daemon, wait for its first cycle's log line, stop it."""
    with open(log_path, "w+") as log:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            end = time.monotonic() + timeout
            while time.monotonic() < end and proc.poll() is None:
                cycles = [e for e in _events(log_path) if e.get("event") == "cycle"]
                if cycles:
                    break
                time.sleep(0.2)
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=15)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    text = log_path.read_text()
    cycles = [e for e in _events(log_path) if e.get("event") == "cycle"]
    assert cycles, text
    assert code == 0, text
    return cycles[0]


def _events(log_path: Path) -> list[dict]:
    out = []
    for line in log_path.read_text().splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            pass
    return out


def _base_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in XDG}
    env["HOME"] = str(home)
    return env


@pytest.mark.parametrize("packages_from", ["config", "environment"])
def test_daemon_runs_a_cycle_with_a_home_it_cannot_write(tmp_path, copy_packages, packages_from):
    cfg_file = testsite.make(tmp_path / "srv", models=copy_packages)
    home = tmp_path / "home-is-a-file"
    home.write_text("not a folder: creating anything under $HOME fails\n")
    env = _base_env(home)
    if packages_from == "environment":
        # The unit's way for a config that leaves packages_dir empty.
        text = cfg_file.read_text()
        cfg_file.write_text(text.replace('packages_dir = "packages"', 'packages_dir = ""'))
        env["ARGOS_PACKAGES_DIR"] = str(tmp_path / "srv" / "packages")
    cmd = [sys.executable, "-m", "syndicate.cli", "--config", str(cfg_file), "daemon", "--log-format", "json",
           "--interval-seconds", "60"]
    cycle = _first_cycle(cmd, env, tmp_path / "daemon.log")
    assert cycle["ok"] and cycle["new"] == len(testsite.SAMPLES)
    assert cycle["translated"] == len(testsite.SAMPLES) and cycle["failed"] == 0
    assert home.is_file()


def test_unit_points_every_writable_need_at_a_writable_folder():
    settings = unit_settings()
    assert settings["ProtectSystem"] == ["strict"]
    env = unit_environment(settings)
    roots = writable_roots(settings)
    for key in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        assert key in env and _under(env[key], roots), (key, env.get(key), roots)
    assert env["ARGOS_PACKAGES_DIR"] == "/srv/syndicate/packages"
    # The config the README installs lives in the working directory; its
    # data, feeds, inbox and rejected folders are the writable ones.
    workdir = settings["WorkingDirectory"][0]
    for d in ("data", "feeds", "inbox", "rejected"):
        assert _under(f"{workdir}/{d}", roots), d


def test_the_units_command_and_environment_run_a_cycle_writing_only_where_allowed(tmp_path, copy_packages):
    """ExecStart and Environment= as written in the unit, with /srv/syndicate,
    /var/lib and /var/cache moved under tmp_path: the first cycle translates,
    and nothing outside the unit's writable folders changes."""
    settings = unit_settings()
    srv, state = tmp_path / "srv" / "syndicate", tmp_path / "var"
    mapping = {"/srv/syndicate": str(srv), "/var/": str(state) + "/"}

    def mapped(value: str) -> str:
        for a, b in mapping.items():
            value = value.replace(a, b)
        return value

    cfg_file = testsite.make(srv, models=copy_packages)
    for root in writable_roots(settings):  # systemd makes the State/CacheDirectory ones
        Path(mapped(root)).mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in XDG}
    env.update({k: mapped(v) for k, v in unit_environment(settings).items()})
    exec_start = settings["ExecStart"][0].split()
    assert exec_start[0].endswith("/bin/syndicate")
    cmd = [sys.executable, "-m", "syndicate.cli", *(mapped(a) for a in exec_start[1:]), "--interval-seconds", "60"]
    assert str(cfg_file) in cmd
    # --serve binds [server] port: testsite.make picked a free one.
    writable = [mapped(r) for r in writable_roots(settings)]

    def snapshot() -> dict[str, tuple]:
        out = {}
        for p in tmp_path.rglob("*"):
            if not _under(str(p), writable) and p.name != "daemon.log":
                st = p.lstat()
                out[str(p)] = (st.st_size, st.st_mtime_ns) if p.is_file() else ("dir",)
        return out

    before = snapshot()
    cycle = _first_cycle(cmd, env, tmp_path / "daemon.log")
    assert cycle["ok"] and cycle["translated"] == len(testsite.SAMPLES)
    assert snapshot() == before
