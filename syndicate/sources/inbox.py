"""Inbox source: a folder of plain-text portal exports.

Files stay in the inbox after ingestion (the store's content hash makes a
second read a no-op, and an edited file updates its article). A file that
cannot become an article is moved to ``rejected/`` beside the inbox with a
``.reason.txt`` next to it: set aside for a person, never deleted.

An idle cycle costs a directory scan and a stat per file: the store
remembers each file as last read (size, mtime, inode, the hash of its
bytes, the article it became), and a file whose stat is unchanged, and
whose article is stored as it was read, is not read again. A file whose
stat changed but whose bytes did not (touched, copied back) is read but
not parsed.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__
from ..progress import Progress, ProgressFn
from ..store import InboxFile
from ..text.normalize import InputError, decode_bytes, looks_binary
from ..text.portal import parse_portal_text
from .base import Rejected, SourceResult

# Names that exporters use while a file is still being written.
_IN_PROGRESS_SUFFIXES = (".tmp", ".part", ".partial", ".swp", "~")


def rejected_dir(inbox: Path) -> Path:
    return inbox.parent / "rejected"


def inbox_files(inbox: Path) -> list[Path]:
    files = []
    for entry in sorted(inbox.iterdir()):
        if entry.name.startswith(".") or entry.name.endswith(_IN_PROGRESS_SUFFIXES):
            continue
        if entry.is_file():
            files.append(entry)
    return files


def read_checked(path: Path, max_bytes: int, size: int | None = None) -> bytes:
    """The file's bytes, or InputError when it is empty or too large."""
    size = path.stat().st_size if size is None else size
    if size == 0:
        raise InputError("empty file (0 bytes)")
    if size > max_bytes:
        raise InputError(f"too large: {size} bytes, the limit is {max_bytes} (sources.max_file_bytes)")
    return path.read_bytes()


def article_from_bytes(raw: bytes, path: Path, *, source: str, language: str):
    text, _encoding = decode_bytes(raw)
    if looks_binary(text):
        raise InputError("binary content: control characters that text does not contain")
    if not text.strip():
        raise InputError("empty file: only whitespace")
    return parse_portal_text(text, source=source, language=language, origin=str(path))


def read_article(path: Path, *, source: str, language: str, max_bytes: int):
    """One file -> Article, or InputError saying why not."""
    return article_from_bytes(read_checked(path, max_bytes), path, source=source, language=language)


def set_aside(path: Path, reason: str, inbox: Path) -> Path:
    """Move a rejected file beside the inbox, never over another file."""
    dest_dir = rejected_dir(inbox)
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / path.name
    n = 1
    while dest.exists() or dest.with_name(dest.name + ".reason.txt").exists():
        dest = dest_dir / f"{path.stem}.{n}{path.suffix}"
        n += 1
    # Reason first: if we crash between the two steps the file is still in
    # the inbox and is simply rejected again next run.
    stamp = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    dest.with_name(dest.name + ".reason.txt").write_text(
        f"file: {path}\nrejected: {stamp}\nreason: {reason}\n", encoding="utf-8"
    )
    os.replace(path, dest)
    return dest


def reader_key(source) -> str:
    """What besides a file's bytes shapes its article (or its rejection):
    a change re-reads every file once."""
    return f"{__version__}|{source.language}|{source.max_file_bytes}"


def collect(source, store, progress: ProgressFn | None = None) -> SourceResult:
    result = SourceResult(name=source.name)
    inbox = source.path
    if inbox is None or not inbox.is_dir():
        result.error = f"inbox folder {inbox} does not exist (sources.{source.name}.path)"
        return result
    known = store.inbox_files(source.name)
    reader = reader_key(source)
    seen: set[str] = set()
    fresh: list[InboxFile] = []
    stats = {"files": 0, "read": 0, "parsed": 0}
    paths = inbox_files(inbox)
    for path in paths:
        seen.add(str(path))
        stats["files"] += 1
        row = _take(path, source, known.get(str(path)), reader, result, stats)
        if row is not None:
            fresh.append(row)
        if progress:
            progress(Progress(f"reading {source.name}", stats["files"], len(paths), unit="files"))
    # Saved before the pipeline stores the articles: a crash in between
    # leaves rows whose article is not stored, which are not trusted (see
    # store/inbox.py), so those files are read again.
    store.save_inbox_files(source.name, fresh)
    moved = {r.origin for r in result.rejected if r.moved_to}
    store.forget_inbox_files(source.name, sorted(set(known) - (seen - moved)))
    result.stats.update(stats)
    return result


def _take(path: Path, source, known: InboxFile | None, reader: str, result: SourceResult,
          stats: dict[str, int]) -> InboxFile | None:
    """Read one file unless the store says it is stored as it is; the row
    to remember it by, or None (unchanged, rejected or unreadable)."""
    trusted = known if known is not None and known.stored and known.reader == reader else None
    try:
        st = path.stat()
        if trusted and (trusted.size, trusted.mtime_ns, trusted.inode) == (st.st_size, st.st_mtime_ns, st.st_ino):
            result.unchanged += 1
            return None
        raw = read_checked(path, source.max_file_bytes, st.st_size)
        stats["read"] += 1
        row_stat = dict(size=st.st_size, mtime_ns=st.st_mtime_ns, inode=st.st_ino)
        file_hash = hashlib.sha256(raw).hexdigest()
        if trusted and trusted.file_hash == file_hash:
            result.unchanged += 1  # touched or copied back: same bytes, same article
            return dataclasses.replace(trusted, **row_stat)
        stats["parsed"] += 1
        article = article_from_bytes(raw, path, source=source.name, language=source.language)
    except InputError as e:
        reason = f"{path.name}: {e}"
        moved = set_aside(path, reason, source.path)
        result.rejected.append(Rejected(str(path), reason, str(moved)))
        return None
    except OSError as e:  # unreadable now (permissions, vanished): leave it, retry next run
        result.rejected.append(Rejected(str(path), f"{path.name}: cannot read: {e.strerror}", None))
        return None
    result.articles.append(article)
    return InboxFile(str(path), file_hash=file_hash, reader=reader, article_id=article.id,
                     article_hash=article.content_hash(), stored=False, **row_stat)
