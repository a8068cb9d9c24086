"""The articles table: one row per original article, keyed by its id, with
the content hash that says whether a re-ingested copy changed, and the
source that owns it: another source offering the same id (the same URL)
never overwrites it, it is recorded as a clash (clashes.py)."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from collections.abc import Collection
from datetime import datetime

from ..article import Article, blocks_from_json, blocks_to_json
from . import clashes
from .db import iso, parse_iso, transaction


@dataclass
class StoredArticle:
    article: Article
    updated: datetime  # its last significant change; its dateline until edited
    content_hash: str
    stored: datetime | None = None  # when this content was stored (first ingest, or the last edit)


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
    )


def stored_from_row(r: sqlite3.Row) -> StoredArticle:
    return StoredArticle(article_from_row(r), parse_iso(r["updated"]), r["content_hash"], parse_iso(r["ingested_at"]))


def content_hash(db: sqlite3.Connection, article_id: str) -> str | None:
    r = db.execute("SELECT content_hash FROM articles WHERE id = ?", (article_id,)).fetchone()
    return r["content_hash"] if r else None


def upsert(db: sqlite3.Connection, article: Article, now: datetime, owners: Collection[str] | None = None) -> str:
    """Insert or update the article's row; "new", "updated", "unchanged", or
    "clash" when another source owns it (nothing written but the clash).
    `owners`: the sources that keep what they own (the configured ones);
    an article owned by any other (a source renamed or removed) passes to
    the source offering it. None: every owner keeps its articles."""
    h = article.content_hash()
    aid = article.id
    with transaction(db):
        row = db.execute("SELECT content_hash, source FROM articles WHERE id = ?", (aid,)).fetchone()
        if row is not None and row["source"] != article.source:
            if owners is None or row["source"] in owners:
                clashes.record(db, aid, article.url, row["source"], article.source, now)
                return "clash"
            clashes.forget(db, aid, article.source)
            db.execute("UPDATE articles SET source = ? WHERE id = ?", (article.source, aid))
        if row is not None and row["content_hash"] == h:
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
    """Originals written in `language`, newest first; ties break on id."""
    rows = db.execute(
        "SELECT * FROM articles WHERE language = ? ORDER BY published DESC, id LIMIT ?", (language, limit)
    )
    return [stored_from_row(r) for r in rows]
