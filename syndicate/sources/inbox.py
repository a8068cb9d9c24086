"""Inbox source: a folder of plain-text portal exports.

Files stay in the inbox after ingestion (the store's content hash makes a
second read a no-op, and an edited file updates its article). A file that
cannot become an article is moved to ``rejected/`` beside the inbox with a
``.reason.txt`` next to it: set aside for a person, never deleted.
"""
from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

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


def read_article(path: Path, *, source: str, language: str, max_bytes: int):
    """One file -> Article, or InputError saying why not."""
    size = path.stat().st_size
    if size == 0:
        raise InputError("empty file (0 bytes)")
    if size > max_bytes:
        raise InputError(f"too large: {size} bytes, the limit is {max_bytes} (sources.max_file_bytes)")
    raw = path.read_bytes()
    text, _encoding = decode_bytes(raw)
    if looks_binary(text):
        raise InputError("binary content: control characters that text does not contain")
    if not text.strip():
        raise InputError("empty file: only whitespace")
    return parse_portal_text(text, source=source, language=language, origin=str(path))


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


def collect(source, store) -> SourceResult:
    result = SourceResult(name=source.name)
    inbox = source.path
    if inbox is None or not inbox.is_dir():
        result.error = f"inbox folder {inbox} does not exist (sources.{source.name}.path)"
        return result
    max_bytes = source.max_file_bytes
    for path in inbox_files(inbox):
        try:
            article = read_article(path, source=source.name, language=source.language, max_bytes=max_bytes)
        except InputError as e:
            reason = f"{path.name}: {e}"
            moved = set_aside(path, reason, inbox)
            result.rejected.append(Rejected(str(path), reason, str(moved)))
            continue
        except OSError as e:  # unreadable now (permissions, vanished): leave it, retry next run
            result.rejected.append(Rejected(str(path), f"{path.name}: cannot read: {e.strerror}", None))
            continue
        result.articles.append(article)
    result.stats["files"] = len(result.articles) + len(result.rejected)
    return result
