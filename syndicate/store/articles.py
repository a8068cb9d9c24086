"""The articles table: one row per original article, keyed by its id, with
the content hash that says whether a re-ingested copy changed, and the
source that owns it: another source offering the same id (the same URL)
never overwrites it, it is recorded as a clash (clashes.py)."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from collections.abc import Collection
from datetime import datetime

from ..article import TZ, Article, blocks_from_json, blocks_to_json
from . import clashes
from .db import iso, parse_iso, transaction


@dataclass
class StoredArticle:
    article: Article
    updated: datetime  # its last significant change; its dateline until edited
    content_hash: str
    stored: datetime | None = None  # when this content was stored (first ingest, or the last edit)
    withdrawn_at: datetime | None = None
    withdrawn_reason: str | None = None


def article_from_row(r: sqlite3.Row) -> Article:
    return Article(
        source=r["source"],
        language=r["language"],
        title=r["title"],
        published=parse_iso(r["published"]),
        blocks=blocks_from_json(r["body_json"]),
        url=r["url"],
        author=r["author"],
        tag=r["tag"],
        origin=r["origin"],
        stored_id=r["id"],
    )


def stored_from_row(r: sqlite3.Row) -> StoredArticle:
    keys = r.keys()
    withdrawn = r["withdrawn_at"] if "withdrawn_at" in keys else None
    return StoredArticle(
        article_from_row(r), parse_iso(r["updated"]), r["content_hash"], parse_iso(r["ingested_at"]),
        parse_iso(withdrawn) if withdrawn else None, r["withdrawn_reason"] if withdrawn else None,
    )


def content_hash(db: sqlite3.Connection, article_id: str) -> str | None:
    r = db.execute("SELECT content_hash FROM articles WHERE id = ?", (article_id,)).fetchone()
    return r["content_hash"] if r else None


def _day(dt: datetime):
    return dt.astimezone(TZ).date()


def upsert(db: sqlite3.Connection, article: Article, now: datetime, owners: Collection[str] | None = None) -> str:
    """Insert or update the article's row; "new", "updated", "unchanged", or
    "clash" when another source owns it (nothing written but the clash).
    `owners`: the sources that keep what they own (the configured ones);
    an article owned by any other (a source renamed or removed) passes to
    the source offering it. None: every owner keeps its articles."""
    h = article.content_hash()
    aid = article.id
    with transaction(db):
        row = db.execute("SELECT content_hash, source, published FROM articles WHERE id = ?", (aid,)).fetchone()
        if row is not None and row["source"] != article.source:
            if owners is None or row["source"] in owners:
                clashes.record(db, aid, article.url, row["source"], article.source, now)
                return "clash"
            clashes.forget(db, aid, article.source)
            db.execute("UPDATE articles SET source = ? WHERE id = ?", (article.source, aid))
        # A corrected dateline changes no text but is news to readers too;
        # a feed moving an item's time within its day is not.
        if row is not None and row["content_hash"] == h and _day(parse_iso(row["published"])) == _day(article.published):
            return "unchanged"
        values = dict(
            id=aid,
            source=article.source,
            language=article.language,
            url=article.url,
            title=article.title,
            author=article.author,
            tag=article.tag,
            published=iso(article.published),
            body_json=blocks_to_json(article.blocks),
            content_hash=h,
            origin=article.origin,
            ingested_at=iso(now),
        )
        if row is None:
            # First sight: its last significant change is its publication.
            values["updated"] = iso(article.published)
            db.execute(
                "INSERT INTO articles (id, source, language, url, title, author, tag, published,"
                " updated, body_json, content_hash, origin, ingested_at) VALUES (:id, :source,"
                " :language, :url, :title, :author, :tag, :published, :updated, :body_json,"
                " :content_hash, :origin, :ingested_at)",
                values,
            )
            return "new"
        values["updated"] = iso(max(now, article.published))
        db.execute(
            "UPDATE articles SET source=:source, language=:language, url=:url, title=:title,"
            " author=:author, tag=:tag, published=:published, updated=:updated,"
            " body_json=:body_json, content_hash=:content_hash, origin=:origin,"
            " ingested_at=:ingested_at WHERE id=:id",
            values,
        )
        return "updated"


def get(db: sqlite3.Connection, article_id: str) -> StoredArticle | None:
    r = db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
    return stored_from_row(r) if r is not None else None


def count_by_language(db: sqlite3.Connection) -> dict[str, int]:
    rows = db.execute("SELECT language, COUNT(*) FROM articles GROUP BY language")
    return {lang: n for lang, n in rows}


def all_articles(db: sqlite3.Connection) -> list[Article]:
    return [article_from_row(r) for r in db.execute("SELECT * FROM articles ORDER BY published DESC, id")]


def newest(db: sqlite3.Connection, language: str, limit: int) -> list[StoredArticle]:
    """Originals written in `language` and not withdrawn, newest first; ties break on id."""
    rows = db.execute(
        "SELECT * FROM articles WHERE language = ? AND withdrawn_at IS NULL ORDER BY published DESC, id LIMIT ?",
        (language, limit),
    )
    return [stored_from_row(r) for r in rows]


# --- identity -----------------------------------------------------------------------
#
# A URL is an article's identity, so a remote item keeps its entry whatever
# changes in it. An inbox file has no URL; its natural id (source + headline
# + date) changes with a corrected headline or dateline, so two more keys
# lead to the article a file already became:
#   path:ORIGIN   the file it was read from: a correction saved over the
#                 file. Taken only if the stored article still shares its
#                 headline or at least half its paragraphs with the file,
#                 so an exporter reusing a name for another article does
#                 not overwrite the old one.
#   natural:ID    every natural id a version of it had: the same article
#                 exported again under a new name (after a correction too)
#                 finds it by its headline and date.
# A file renamed and corrected in the same step is a new article: nothing
# about it is known to be the same any more (two distinct articles may
# share a body, and do in the tests).


def _path_key(article: Article) -> str:
    return "path:" + article.origin


def _natural_key(article: Article) -> str:
    return "natural:" + article.natural_id


def _keyed(db: sqlite3.Connection, source: str, key: str) -> str | None:
    r = db.execute("SELECT article_id FROM article_keys WHERE source = ? AND key = ?", (source, key)).fetchone()
    return r["article_id"] if r else None


def _same_article(old: Article, new: Article) -> bool:
    if old.title == new.title:
        return True
    old_paras = {b.text for b in old.blocks}
    shared = sum(1 for b in new.blocks if b.text in old_paras)
    return shared * 2 >= max(len(old.blocks), len(new.blocks), 1)


def resolve_id(db: sqlite3.Connection, article: Article) -> str:
    """The id a freshly read article is stored under (see the rules above)."""
    if article.url or article.stored_id:
        return article.id
    if article.origin:
        by_path = _keyed(db, article.source, _path_key(article))
        old = get(db, by_path) if by_path else None
        if old is not None and old.article.language == article.language and _same_article(old.article, article):
            return by_path
    known = _keyed(db, article.source, _natural_key(article))
    if known and content_hash(db, known) is not None:
        return known
    return article.natural_id


def remember_keys(db: sqlite3.Connection, article: Article) -> None:
    """Point this file's path and body at the article it is stored as."""
    if article.url:
        return
    keys = [_natural_key(article)] + ([_path_key(article)] if article.origin else [])
    with transaction(db):
        db.executemany(
            "INSERT INTO article_keys (source, key, article_id) VALUES (?, ?, ?)"
            " ON CONFLICT (source, key) DO UPDATE SET article_id = excluded.article_id",
            [(article.source, k, article.id) for k in keys],
        )


# --- withdrawal ---------------------------------------------------------------------


def set_withdrawn(db: sqlite3.Connection, article_id: str, at: datetime | None, reason: str | None) -> None:
    """Withdraw (at set) or restore (at None) an article; the row stays."""
    with transaction(db):
        db.execute(
            "UPDATE articles SET withdrawn_at = ?, withdrawn_reason = ? WHERE id = ?",
            (iso(at) if at else None, reason, article_id),
        )


def withdrawn(db: sqlite3.Connection, limit: int) -> list[StoredArticle]:
    """Withdrawn articles, the latest withdrawal first."""
    rows = db.execute(
        "SELECT * FROM articles WHERE withdrawn_at IS NOT NULL ORDER BY withdrawn_at DESC, id LIMIT ?", (limit,)
    )
    return [stored_from_row(r) for r in rows]


def find(db: sqlite3.Connection, ref: str) -> list[str]:
    """Ids of the articles `ref` names: an id or a unique prefix of one
    (at least 6 characters), a URL, or the path an inbox file was read from."""
    rows = db.execute(
        "SELECT id FROM articles WHERE id = ? OR url = ? OR origin = ?"
        " UNION SELECT article_id FROM article_keys WHERE key = ?",
        (ref, ref, ref, "path:" + ref),
    ).fetchall()
    if not rows and len(ref) >= 6 and all(c in "0123456789abcdef" for c in ref):
        rows = db.execute("SELECT id FROM articles WHERE id LIKE ? ORDER BY id", (ref + "%",)).fetchall()
    return sorted({r[0] for r in rows})
