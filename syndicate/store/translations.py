"""The translations table: one row per (article, target language).

title/body_json hold the last complete, good translation (what is
published); status says whether work is outstanding ("pending", "done",
"failed"). A failed attempt never overwrites good content.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..article import Block, blocks_from_json, blocks_to_json
from . import articles
from .articles import StoredArticle
from .db import iso, parse_iso, transaction


@dataclass
class StoredTranslation:
    article_id: str
    language: str
    status: str
    title: str | None
    blocks: list[Block] | None
    done_hash: str | None
    engine: str | None
    model: str | None
    glossary_version: str | None
    problems: list[Any]
    terms: dict[str, Any]
    updated: datetime | None
    attempts: int
    last_error: str | None


def translation_from_row(r: sqlite3.Row) -> StoredTranslation:
    return StoredTranslation(
        article_id=r["article_id"],
        language=r["language"],
        status=r["status"],
        title=r["title"],
        blocks=blocks_from_json(r["body_json"]) if r["body_json"] else None,
        done_hash=r["done_hash"],
        engine=r["engine"],
        model=r["model"],
        glossary_version=r["glossary_version"],
        problems=json.loads(r["problems_json"]),
        terms=json.loads(r["terms_json"]),
        updated=parse_iso(r["updated"]) if r["updated"] else None,
        attempts=r["attempts"],
        last_error=r["last_error"],
    )


def queue(db: sqlite3.Connection, article_id: str, language: str) -> None:
    """Mark the translation into `language` as work to do."""
    with transaction(db):
        db.execute(
            "INSERT INTO translations (article_id, language, status) VALUES (?, ?, 'pending')"
            " ON CONFLICT (article_id, language) DO UPDATE SET status='pending'",
            (article_id, language),
        )


def _work_query(select: str, glossary_version: str | None) -> tuple[str, list[Any]]:
    q = (
        f"SELECT {select} FROM translations t JOIN articles a ON a.id = t.article_id"
        " WHERE (t.status != 'done' OR t.done_hash IS NOT a.content_hash"
    )
    params: list[Any] = []
    if glossary_version is not None:
        q += " OR t.glossary_version IS NOT ?"
        params.append(glossary_version)
    return q + ")", params


def work(db: sqlite3.Connection, glossary_version: str | None,
         languages: list[str] | None = None) -> list[tuple[StoredArticle, str]]:
    """Articles whose translation is pending, failed, or made from an older
    source or glossary. Oldest first, so a backlog drains in order.
    `languages`: only translations into these."""
    q, params = _work_query("a.*, t.language AS tlang", glossary_version)
    if languages is not None:
        q += f" AND t.language IN ({', '.join('?' * len(languages))})"
        params.extend(languages)
    q += " ORDER BY a.published, a.id"
    return [(articles.stored_from_row(r), r["tlang"]) for r in db.execute(q, params)]


def work_counts(db: sqlite3.Connection, glossary_version: str | None) -> dict[str, int]:
    """{target language: how many translations work() would return}, without loading them."""
    q, params = _work_query("t.language, COUNT(*)", glossary_version)
    return {lang: n for lang, n in db.execute(q + " GROUP BY t.language", params)}


def save(
    db: sqlite3.Connection,
    article_id: str,
    language: str,
    *,
    source_hash: str,
    title: str,
    blocks: list[Block],
    engine: str,
    model: str,
    glossary_version: str,
    problems: list[Any],
    terms: dict[str, Any],
    now: datetime,
) -> bool:
    """Record a complete, good translation. Returns False (and stores
    nothing) when the source changed since the work was taken."""
    body = blocks_to_json(blocks)
    with transaction(db):
        if articles.content_hash(db, article_id) != source_hash:
            return False
        old = db.execute(
            "SELECT title, body_json, updated FROM translations WHERE article_id = ? AND language = ?",
            (article_id, language),
        ).fetchone()
        # `updated` moves only when readers would see a difference, so
        # re-translating to the same text republishes byte-identical feeds.
        if old is not None and old["title"] == title and old["body_json"] == body and old["updated"]:
            updated = old["updated"]
        else:
            updated = iso(now)
        db.execute(
            "INSERT INTO translations (article_id, language, status, title, body_json, done_hash, engine,"
            " model, glossary_version, problems_json, terms_json, updated, attempts, last_error)"
            " VALUES (?, ?, 'done', ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, NULL)"
            " ON CONFLICT (article_id, language) DO UPDATE SET status='done', title=excluded.title,"
            " body_json=excluded.body_json, done_hash=excluded.done_hash, engine=excluded.engine,"
            " model=excluded.model, glossary_version=excluded.glossary_version,"
            " problems_json=excluded.problems_json, terms_json=excluded.terms_json,"
            " updated=excluded.updated, attempts=translations.attempts + 1, last_error=NULL, failed_key=NULL",
            (
                article_id, language, title, body, source_hash, engine, model, glossary_version,
                json.dumps(problems, ensure_ascii=False), json.dumps(terms, ensure_ascii=False), updated,
            ),
        )
        return True


def fail(
    db: sqlite3.Connection, article_id: str, language: str, error: str, problems: list[Any] | None,
    glossary_version: str | None, failed_key: str | None,
) -> None:
    """Record a failed attempt. The last good content, if any, stays.
    `failed_key` marks a failure that would repeat with the same inputs."""
    with transaction(db):
        db.execute(
            "UPDATE translations SET status='failed', attempts=attempts + 1, last_error=?,"
            " problems_json=?, glossary_version=COALESCE(?, glossary_version), failed_key=?"
            " WHERE article_id = ? AND language = ?",
            (error, json.dumps(problems or [], ensure_ascii=False), glossary_version, failed_key,
             article_id, language),
        )


def failed_keys(db: sqlite3.Connection) -> dict[tuple[str, str], str]:
    """{(article id, language): key} of failures that would repeat."""
    rows = db.execute(
        "SELECT article_id, language, failed_key FROM translations"
        " WHERE status = 'failed' AND failed_key IS NOT NULL"
    )
    return {(a, lang): k for a, lang, k in rows}


def get(db: sqlite3.Connection, article_id: str, language: str) -> StoredTranslation | None:
    r = db.execute(
        "SELECT * FROM translations WHERE article_id = ? AND language = ?", (article_id, language)
    ).fetchone()
    return translation_from_row(r) if r else None


def count_by_status(db: sqlite3.Connection) -> dict[str, int]:
    return {s: n for s, n in db.execute("SELECT status, COUNT(*) FROM translations GROUP BY status")}


def published_into(db: sqlite3.Connection, language: str, limit: int) -> list[tuple[StoredArticle, StoredTranslation]]:
    """Articles with a good translation into `language` and that translation,
    newest article first; ties break on id."""
    rows = db.execute(
        "SELECT a.*, t.article_id AS t_article_id, t.language AS t_language, t.status AS t_status,"
        " t.title AS t_title, t.body_json AS t_body_json, t.done_hash, t.engine, t.model,"
        " t.glossary_version, t.problems_json, t.terms_json, t.updated AS t_updated, t.attempts,"
        " t.last_error FROM translations t JOIN articles a ON a.id = t.article_id"
        " WHERE t.language = ? AND t.title IS NOT NULL AND t.body_json IS NOT NULL"
        " ORDER BY a.published DESC, a.id LIMIT ?",
        (language, limit),
    )
    out = []
    for r in rows:
        t = StoredTranslation(
            article_id=r["t_article_id"], language=r["t_language"], status=r["t_status"],
            title=r["t_title"], blocks=blocks_from_json(r["t_body_json"]), done_hash=r["done_hash"],
            engine=r["engine"], model=r["model"], glossary_version=r["glossary_version"],
            problems=json.loads(r["problems_json"]), terms=json.loads(r["terms_json"]),
            updated=parse_iso(r["t_updated"]), attempts=r["attempts"], last_error=r["last_error"],
        )
        out.append((articles.stored_from_row(r), t))
    return out
