"""Inbox source: a folder of plain-text portal exports.

Files stay in the inbox after ingestion (the store's content hash makes a
second read a no-op, and an edited file updates its article). A file that
cannot become an article is moved to ``rejected/`` beside the inbox with a
``.reason.txt`` next to it: set aside for a person, never deleted.

Only regular files are read, and never through a symbolic link: a link in
the inbox would let whoever can write there publish (or quote in a reject
reason) any file the service can read. A link, a FIFO, a socket or a device
node is set aside like a bad file: the entry itself is moved (for a link,
the link, never its target), and nothing behind it is opened. File names
are escaped (text/hygiene.py) wherever they are printed or recorded.
"""
from __future__ import annotations

import errno
import os
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ..store import utcnow
from ..text.hygiene import escape_controls
from ..text.normalize import InputError, decode_bytes, looks_binary
from ..text.portal import parse_portal_text
from .base import Rejected, SourceResult

# Names that exporters use while a file is still being written.
_IN_PROGRESS_SUFFIXES = (".tmp", ".part", ".partial", ".swp", "~")
_NOT_REGULAR = {stat.S_IFIFO: "a FIFO", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a character device",
                stat.S_IFBLK: "a block device", stat.S_IFDIR: "a folder"}
SYMLINK_REASON = ("a symbolic link: links are not followed, so its target was not read "
                  "(put the file itself in the inbox)")


def rejected_dir(inbox: Path) -> Path:
    return inbox.parent / "rejected"


def inbox_files(inbox: Path) -> list[Path]:
    """The entries to read or set aside: everything but folders, hidden
    names and files still being written. Checked without following links,
    so a link to a folder is listed (and set aside), not entered."""
    files = []
    for entry in sorted(inbox.iterdir()):
        if entry.name.startswith(".") or entry.name.endswith(_IN_PROGRESS_SUFFIXES):
            continue
        try:
            if stat.S_ISDIR(entry.lstat().st_mode):
                continue
        except FileNotFoundError:  # removed since the listing
            continue
        files.append(entry)
    return files


def read_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file that is not a symbolic link, at most
    `max_bytes`; InputError for anything else. The checks are made on the
    open file, so a file swapped for a link or a FIFO after the listing is
    refused too (O_NONBLOCK: opening a FIFO never waits for a writer)."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise InputError(SYMLINK_REASON) from None
        raise
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"not a regular file: {_NOT_REGULAR.get(stat.S_IFMT(st.st_mode), 'a special file')}")
        if st.st_size == 0:
            raise InputError("empty file (0 bytes)")
        if st.st_size > max_bytes:
            raise InputError(f"too large: {st.st_size} bytes, the limit is {max_bytes} (sources.max_file_bytes)")
        raw = f.read(max_bytes + 1)
    if len(raw) > max_bytes:  # grew while we read it
        raise InputError(f"too large: more than {max_bytes} bytes (sources.max_file_bytes)")
    return raw


def read_article(path: Path, *, source: str, language: str, max_bytes: int,
                 future: tuple[datetime, timedelta] | None = None):
    """One file -> Article, or InputError saying why not. `future` is
    (now, tolerance): a dateline beyond it is refused."""
    raw = read_file(path, max_bytes)
    text, _encoding = decode_bytes(raw)
    if looks_binary(text):
        raise InputError("binary content: control characters that text does not contain")
    if not text.strip():
        raise InputError("empty file: only whitespace")
    return parse_portal_text(text, source=source, language=language, origin=escape_controls(str(path)),
                             future=future)


def set_aside(path: Path, reason: str, inbox: Path) -> Path:
    """Move a rejected entry beside the inbox, never over another one (nor
    through a link someone left there)."""
    dest_dir = rejected_dir(inbox)
    dest_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    n = 0
    while True:
        dest = dest_dir / (path.name if n == 0 else f"{path.stem}.{n}{path.suffix}")
        n += 1
        if os.path.lexists(dest):
            continue
        try:
            # Reason first, created exclusively: if we crash between the two
            # steps the file is still in the inbox and is rejected again next run.
            with open(dest.with_name(dest.name + ".reason.txt"), "x", encoding="utf-8") as f:
                f.write(f"file: {escape_controls(str(path))}\nrejected: {stamp}\nreason: {reason}\n")
        except FileExistsError:
            continue
        os.replace(path, dest)
        return dest


def collect(source, store, *, now: datetime | None = None) -> SourceResult:
    result = SourceResult(name=source.name)
    inbox = source.path
    if inbox is None or not inbox.is_dir():
        result.error = f"inbox folder {escape_controls(str(inbox))} does not exist (sources.{source.name}.path)"
        return result
    future = (now or utcnow(), timedelta(hours=source.max_future_hours))
    for path in inbox_files(inbox):
        name = escape_controls(path.name)
        try:
            article = read_article(path, source=source.name, language=source.language,
                                   max_bytes=source.max_file_bytes, future=future)
        except InputError as e:
            reason = f"{name}: {e}"
            moved = set_aside(path, reason, inbox)
            result.rejected.append(Rejected(escape_controls(str(path)), reason, escape_controls(str(moved))))
            continue
        except OSError as e:  # unreadable now (permissions, vanished): leave it, retry next run
            result.rejected.append(Rejected(escape_controls(str(path)), f"{name}: cannot read: {e.strerror}", None))
            continue
        result.articles.append(article)
    result.stats["files"] = len(result.articles) + len(result.rejected)
    return result
