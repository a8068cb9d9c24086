"""Atomic file replacement: a reader (or the HTTP server) never sees half a
file, and a file whose bytes would not change is not touched, so its mtime
and ETag stay stable."""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

# A temp file this old is an orphan: a write takes milliseconds. Besides the
# holder of the data folder's lock, an editor's command (review, withdraw)
# publishes without it, so a young temp file may be another process's.
STALE_TMP_SECONDS = 600


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically replace `path` with `data` unless it already holds exactly that."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return True


def remove_stale_temp_files(root: Path, now: float | None = None) -> list[Path]:
    """Delete the temp files a killed publish left under `root` (ours only:
    dotfiles ending in .tmp, older than STALE_TMP_SECONDS); returns them."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    for folder, _dirs, names in os.walk(root):
        for name in names:
            if not (name.startswith(".") and name.endswith(".tmp")):
                continue
            p = Path(folder) / name
            try:
                if p.is_symlink() or now - p.stat().st_mtime < STALE_TMP_SECONDS:
                    continue
                p.unlink()
            except FileNotFoundError:
                continue
            removed.append(p)
    return removed
