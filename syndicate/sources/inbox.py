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

An idle cycle costs a directory scan and a stat per file: the store
remembers each file as last read (size, mtime, inode, the hash of its
bytes, the article it became), and a file whose stat is unchanged, and
whose article is stored as it was read, is not read again. A file whose
stat changed but whose bytes did not (touched, copied back) is read but
not parsed.
"""
from __future__ import annotations

import dataclasses
import errno
import hashlib
import os
import stat
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .. import __version__
from ..progress import Progress, ProgressFn
from ..store import InboxFile, utcnow
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
    """The bytes of a regular file that is not a symbolic link (read_regular)."""
    return read_regular(path, max_bytes)[0]


def read_regular(path: Path, max_bytes: int) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file that is not a symbolic link, at most
    `max_bytes`, and its stat; InputError for anything else. The checks are
    made on the open file, so a file swapped for a link or a FIFO after the
    listing is refused too (O_NONBLOCK: opening a FIFO never waits for a writer)."""
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
    return raw, st


def article_from_bytes(raw: bytes, path: Path, *, source: str, language: str,
                       future: tuple[datetime, timedelta] | None = None):
    """`future` is (now, tolerance): a dateline beyond it is refused."""
    text, _encoding = decode_bytes(raw)
    if looks_binary(text):
        raise InputError("binary content: control characters that text does not contain")
    if not text.strip():
        raise InputError("empty file: only whitespace")
    return parse_portal_text(text, source=source, language=language, origin=escape_controls(str(path)),
                             future=future)


def read_article(path: Path, *, source: str, language: str, max_bytes: int,
                 future: tuple[datetime, timedelta] | None = None):
    """One file -> Article, or InputError saying why not."""
    return article_from_bytes(read_file(path, max_bytes), path, source=source, language=language, future=future)


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


def reader_key(source) -> str:
    """What besides a file's bytes shapes its article (or its rejection):
    a change re-reads every file once."""
    return f"{__version__}|{source.language}|{source.max_file_bytes}"


@dataclass
class _Scan:
    """One cycle's pass over the inbox."""
    source: object
    reader: str
    future: tuple[datetime, timedelta]
    result: SourceResult
    stats: dict[str, int] = field(default_factory=lambda: {"files": 0, "read": 0, "parsed": 0})
    moved: set[str] = field(default_factory=set)  # paths set aside this cycle


def collect(source, store, *, now: datetime | None = None, progress: ProgressFn | None = None) -> SourceResult:
    result = SourceResult(name=source.name)
    inbox = source.path
    if inbox is None or not inbox.is_dir():
        result.error = f"inbox folder {escape_controls(str(inbox))} does not exist (sources.{source.name}.path)"
        return result
    scan = _Scan(source, reader_key(source), (now or utcnow(), timedelta(hours=source.max_future_hours)), result)
    known = store.inbox_files(source.name)
    fresh: list[InboxFile] = []
    paths = inbox_files(inbox)
    for path in paths:
        scan.stats["files"] += 1
        row = _take(scan, path, known.get(str(path)))
        if row is not None:
            fresh.append(row)
        if progress:
            progress(Progress(f"reading {source.name}", scan.stats["files"], len(paths), unit="files"))
    # Saved before the pipeline stores the articles: a crash in between
    # leaves rows whose article is not stored, which are not trusted (see
    # store/inbox.py), so those files are read again.
    store.save_inbox_files(source.name, fresh)
    seen = {str(p) for p in paths}
    store.forget_inbox_files(source.name, sorted(set(known) - (seen - scan.moved)))
    result.stats.update(scan.stats)
    return result


def _take(scan: _Scan, path: Path, known: InboxFile | None) -> InboxFile | None:
    """Read one file unless the store says it is stored as it is; the row
    to remember it by, or None (unchanged, rejected or unreadable)."""
    source, result = scan.source, scan.result
    trusted = known if known is not None and known.stored and known.reader == scan.reader else None
    name = escape_controls(path.name)
    try:
        st = path.lstat()  # never through a link: a link is read (and refused) below
        if (trusted and stat.S_ISREG(st.st_mode)
                and (trusted.size, trusted.mtime_ns, trusted.inode) == (st.st_size, st.st_mtime_ns, st.st_ino)):
            result.unchanged += 1
            return None
        raw, st = read_regular(path, source.max_file_bytes)
        scan.stats["read"] += 1
        row_stat = dict(size=st.st_size, mtime_ns=st.st_mtime_ns, inode=st.st_ino)
        file_hash = hashlib.sha256(raw).hexdigest()
        if trusted and trusted.file_hash == file_hash:
            result.unchanged += 1  # touched or copied back: same bytes, same article
            return dataclasses.replace(trusted, **row_stat)
        scan.stats["parsed"] += 1
        article = article_from_bytes(raw, path, source=source.name, language=source.language, future=scan.future)
    except InputError as e:
        reason = f"{name}: {e}"
        moved = set_aside(path, reason, source.path)
        scan.moved.add(str(path))
        result.rejected.append(Rejected(escape_controls(str(path)), reason, escape_controls(str(moved))))
        return None
    except OSError as e:  # unreadable now (permissions, vanished): leave it, retry next run
        result.rejected.append(Rejected(escape_controls(str(path)), f"{name}: cannot read: {e.strerror}", None))
        return None
    result.articles.append(article)
    return InboxFile(str(path), file_hash=file_hash, reader=scan.reader, article_id=article.id,
                     article_hash=article.content_hash(), stored=False, **row_stat)
