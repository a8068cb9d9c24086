"""The translations table: one row per (article, target language).

title/body_json hold the last complete, good translation (what is
published); status says whether work is outstanding ("pending", "done",
"failed"). A failed attempt never overwrites good content.

`review` says whether a done translation may be published: "auto" and the
reviewed states "approved" and "edited" are; "held" waits for a person and
"rejected" is withheld. Only those three published states reach a feed.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
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
    review: str = "auto"
    review_reasons: list[str] = field(default_factory=list)
    reviewed_at: datetime | None = None
    reviewed_by: str | None = None
    min_score: float | None = None
    # [{"block", "source", "target", "sep", "terms"}] per sentence (block -1: the title)
    segments: list[dict[str, Any]] | None = None

    @property
    def reviewed(self) -> bool:
        return self.review in REVIEWED


# States a published translation may be in; "reviewed" ones were seen by a person.
PUBLISHED = ("auto", "approved", "edited")
REVIEWED = ("approved", "edited")
_PUBLISHED_SQL = "('auto', 'approved', 'edited')"


def _review_fields(r: sqlite3.Row, prefix: str = "") -> dict[str, Any]:
    keys = r.keys()
    if prefix + "review" not in keys:
        return {}
    at = r[prefix + "reviewed_at"]
    seg = r[prefix + "segments_json"]
    return dict(
        review=r[prefix + "review"], review_reasons=json.loads(r[prefix + "review_reasons_json"]),
        reviewed_at=parse_iso(at) if at else None, reviewed_by=r[prefix + "reviewed_by"],
        min_score=r[prefix + "min_score"], segments=json.loads(seg) if seg else None,
    )


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
        **_review_fields(r),
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
    review: str = "auto",
    review_reasons: list[str] | None = None,
    min_score: float | None = None,
    segments: list[dict[str, Any]] | None = None,
) -> bool:
    """Record a complete, good translation. Returns False (and stores
    nothing) when the source changed since the work was taken.

    `review` is what the policy decided ("auto" or "held"). A translation
    a person already decided on keeps that decision while the text stays
    the same (a glossary edit that changes nothing in it, say)."""
    body = blocks_to_json(blocks)
    with transaction(db):
        if articles.content_hash(db, article_id) != source_hash:
            return False
        old = db.execute(
            "SELECT title, body_json, updated, review, reviewed_at, reviewed_by FROM translations"
            " WHERE article_id = ? AND language = ?",
            (article_id, language),
        ).fetchone()
        same = old is not None and old["title"] == title and old["body_json"] == body and old["updated"]
        # `updated` moves only when readers would see a difference, so
        # re-translating to the same text republishes byte-identical feeds.
        updated = old["updated"] if same else iso(now)
        decided = (old["review"], old["reviewed_at"], old["reviewed_by"]) if same and old["review"] in (
            *REVIEWED, "rejected") else (review, None, None)
        db.execute(
            "INSERT INTO translations (article_id, language, status, title, body_json, done_hash, engine,"
            " model, glossary_version, problems_json, terms_json, updated, attempts, last_error, review,"
            " reviewed_at, reviewed_by, review_reasons_json, min_score, segments_json)"
            " VALUES (?, ?, 'done', ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, NULL, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (article_id, language) DO UPDATE SET status='done', title=excluded.title,"
            " body_json=excluded.body_json, done_hash=excluded.done_hash, engine=excluded.engine,"
            " model=excluded.model, glossary_version=excluded.glossary_version,"
            " problems_json=excluded.problems_json, terms_json=excluded.terms_json,"
            " updated=excluded.updated, attempts=translations.attempts + 1, last_error=NULL, failed_key=NULL,"
            " review=excluded.review, reviewed_at=excluded.reviewed_at, reviewed_by=excluded.reviewed_by,"
            " review_reasons_json=excluded.review_reasons_json, min_score=excluded.min_score,"
            " segments_json=excluded.segments_json",
            (
                article_id, language, title, body, source_hash, engine, model, glossary_version,
                json.dumps(problems, ensure_ascii=False), json.dumps(terms, ensure_ascii=False), updated,
                *decided, json.dumps(review_reasons or [], ensure_ascii=False), min_score,
                json.dumps(segments, ensure_ascii=False) if segments is not None else None,
            ),
        )
        return True


def set_review(
    db: sqlite3.Connection, article_id: str, language: str, review: str, *, by: str, at: datetime,
    title: str | None = None, blocks: list[Block] | None = None, segments: list[dict[str, Any]] | None = None,
) -> None:
    """A person's decision. Approving or editing makes `updated` the
    decision's time (readers see when it was reviewed); an edit replaces
    the text and its sentences."""
    with transaction(db):
        db.execute(
            "UPDATE translations SET review = ?, reviewed_at = ?, reviewed_by = ?,"
            " updated = CASE WHEN ? IN ('approved', 'edited') THEN ? ELSE updated END,"
            " title = COALESCE(?, title), body_json = COALESCE(?, body_json),"
            " segments_json = COALESCE(?, segments_json) WHERE article_id = ? AND language = ?",
            (review, iso(at), by, review, iso(at), title, blocks_to_json(blocks) if blocks is not None else None,
             json.dumps(segments, ensure_ascii=False) if segments is not None else None, article_id, language),
        )


def in_review(db: sqlite3.Connection, states: tuple[str, ...]) -> list[tuple[StoredArticle, StoredTranslation]]:
    """Done translations in these review states with their articles,
    oldest article first (the order a queue is worked in)."""
    marks = ",".join("?" * len(states))
    rows = db.execute(
        "SELECT t.article_id, t.language FROM translations t JOIN articles a ON a.id = t.article_id"
        f" WHERE t.status = 'done' AND t.review IN ({marks}) ORDER BY a.published, a.id",
        states,
    ).fetchall()
    out = []
    for aid, lang in rows:
        a, t = articles.get(db, aid), get(db, aid, lang)
        if a is not None and t is not None:
            out.append((a, t))
    return out


def review_counts(db: sqlite3.Connection) -> dict[str, int]:
    """{review state: n} of done translations of articles not withdrawn."""
    rows = db.execute(
        "SELECT t.review, COUNT(*) FROM translations t JOIN articles a ON a.id = t.article_id"
        " WHERE t.status = 'done' AND a.withdrawn_at IS NULL GROUP BY t.review"
    )
    return {s: n for s, n in rows}


def unpublished(db: sqlite3.Connection) -> list[tuple[str, str]]:
    """(article id, language) of every version that must not have a page:
    both versions of a withdrawn article, and translations held or rejected."""
    rows = db.execute(
        "SELECT id, language FROM articles WHERE withdrawn_at IS NOT NULL"
        " UNION SELECT t.article_id, t.language FROM translations t JOIN articles a ON a.id = t.article_id"
        f" WHERE a.withdrawn_at IS NOT NULL OR (t.title IS NOT NULL AND t.review NOT IN {_PUBLISHED_SQL})"
    )
    return [(a, lang) for a, lang in rows]


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
        " t.last_error, t.review, t.review_reasons_json, t.reviewed_at, t.reviewed_by, t.min_score,"
        " t.segments_json FROM translations t JOIN articles a ON a.id = t.article_id"
        " WHERE t.language = ? AND t.title IS NOT NULL AND t.body_json IS NOT NULL"
        f" AND t.review IN {_PUBLISHED_SQL} AND a.withdrawn_at IS NULL"
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
            **_review_fields(r),
        )
        out.append((articles.stored_from_row(r), t))
    return out
