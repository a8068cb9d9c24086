"""One writer per data folder.

A daemon and a `syndicate run` (or two daemons) on the same data folder would
interleave cycles and race on the feed files. Both take this lock first and
the loser refuses to start, naming the lock file and, when it can, the pid
holding it.

The lock is an OS-level flock (via filelock), so it disappears with the
process: a daemon killed with SIGKILL leaves no stale lock behind. The pid
sits in a separate file because a contender must be able to read it without
touching the lock file itself; it is only trusted while the lock is held.
"""
from __future__ import annotations

import os
import socket
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout

LOCK_NAME = "syndicate.lock"
OWNER_NAME = "syndicate.lock.owner"


class LockedError(Exception):
    """Another process holds the data folder's lock."""

    def __init__(self, lock_file: Path, owner: str | None):
        self.lock_file = lock_file
        self.owner = owner
        held_by = f" by {owner}" if owner else ""
        super().__init__(
            f"{lock_file} is held{held_by}: another syndicate daemon or run is using the data folder "
            f"{lock_file.parent}. Stop it first, or point this one at another [paths] data."
        )


def lock_path(data_dir: Path) -> Path:
    return Path(data_dir) / LOCK_NAME


def _read_owner(data_dir: Path) -> str | None:
    try:
        text = (Path(data_dir) / OWNER_NAME).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text or None


@contextmanager
def data_lock(data_dir: Path | str, what: str = "syndicate") -> Iterator[Path]:
    """Hold the data folder's lock for the duration of the block.

    Raises LockedError at once (no waiting) when another process holds it.
    """
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    path = lock_path(data_dir)
    # thread_local=False: the daemon takes the lock on the main thread and
    # runs cycles on the scheduler's worker thread.
    lock = FileLock(str(path), thread_local=False)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise LockedError(path, _read_owner(data_dir)) from None
    owner_file = data_dir / OWNER_NAME
    try:
        owner_file.write_text(f"pid {os.getpid()} ({what} on {socket.gethostname()})\n", encoding="utf-8")
        yield path
    finally:
        try:
            owner_file.unlink()
        except OSError:
            pass
        lock.release()
