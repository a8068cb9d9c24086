"""SQLite store: articles, their translations, the translation memory, run history.

One transaction per article: a crash at any point leaves either the old or
the new state of that article, never a mix, and the next run picks up what
is still pending. WAL mode lets `syndicate status` and the HTTP server read
while a run writes.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from ..article import Article, Block, blocks_from_json, blocks_to_json, other_language

# Each entry migrates from version i to i+1. Never edit a released migration:
# append a new one.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        language TEXT NOT NULL CHECK (language IN ('en', 'vi')),
        url TEXT,
        title TEXT NOT NULL,
        author TEXT,
        tag TEXT,
        published TEXT NOT NULL,
        updated TEXT NOT NULL,
        body_json TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        origin TEXT NOT NULL DEFAULT '',
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX articles_lang_published ON articles (language, published DESC);

    -- One row per (article, target language). title/body_json hold the last
    -- complete, good translation (what is published); status says whether
    -- work is outstanding. A failed attempt never overwrites good content.
    CREATE TABLE translations (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        language TEXT NOT NULL CHECK (language IN ('en', 'vi')),
        status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
        title TEXT,
        body_json TEXT,
        done_hash TEXT,
        engine TEXT,
        model TEXT,
        glossary_version TEXT,
        problems_json TEXT NOT NULL DEFAULT '[]',
        terms_json TEXT NOT NULL DEFAULT '{}',
        updated TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        PRIMARY KEY (article_id, language)
    );
    CREATE INDEX translations_status ON translations (status);

    CREATE TABLE translation_memory (
        model TEXT NOT NULL,
        direction TEXT NOT NULL,
        glossary_version TEXT NOT NULL,
        source TEXT NOT NULL,
        target TEXT NOT NULL,
        score REAL,
        created TEXT NOT NULL,
        PRIMARY KEY (model, direction, glossary_version, source)
    );

    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        started TEXT NOT NULL,
        finished TEXT,
        status TEXT NOT NULL DEFAULT 'running',
        exit_code INTEGER,
        report_json TEXT NOT NULL DEFAULT '{}'
    );

    CREATE TABLE rejects (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        source TEXT NOT NULL,
        origin TEXT NOT NULL,
        moved_to TEXT,
        reason TEXT NOT NULL,
        at TEXT NOT NULL
    );

    CREATE TABLE source_state (
        name TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        last_success TEXT,
        last_error TEXT,
        last_error_at TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        backoff_until TEXT
    );
    """,
    # Remote feed sources: what each feed item looked like when we last took
    # it, so an unchanged item costs no page fetch, and the content hash we
    # handed to the pipeline, so an item collected but never stored (crash
    # between collect and store) is fetched again.
    """
    CREATE TABLE source_items (
        source TEXT NOT NULL,
        url TEXT NOT NULL,
        entry_hash TEXT,
        content_hash TEXT,
        full_text INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        seen TEXT NOT NULL,
        PRIMARY KEY (source, url)
    );
    """,
    # A failure that would repeat: degenerate output from the same source,
    # model and glossary. The pipeline holds such a translation until one of
    # the three changes instead of paying the model to fail every cycle.
    """
    ALTER TABLE translations ADD COLUMN failed_key TEXT;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


def _statements(script: str) -> list[str]:
    """Split a migration into statements (executescript would commit the
    open transaction, and a migration must apply whole or not at all)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def iso(dt: datetime) -> str:
    return dt.isoformat()


def parse_iso(s: str) -> datetime:
    return datetime.fromisoformat(s)


class StoreError(Exception):
    pass


@dataclass
class StoredArticle:
    article: Article
    updated: datetime
    content_hash: str


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


@dataclass
class FeedItem:
    """One entry of one language's feed: an original, or a translation into it."""

    article: Article
    language: str
    title: str
    blocks: list[Block]
    updated: datetime
    translation: StoredTranslation | None  # None for an original


def _article_from_row(r: sqlite3.Row) -> Article:
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


def _translation_from_row(r: sqlite3.Row) -> StoredTranslation:
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


class Store:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves so every
        # transaction boundary is explicit. check_same_thread=False lets the
        # daemon's scheduler thread use a store opened on the main thread;
        # callers never share one connection between threads at once.
        self.db = sqlite3.connect(str(path), isolation_level=None, timeout=30, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.execute("PRAGMA busy_timeout=30000")
        self._migrate()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema version {version} is newer than this syndicate "
                f"understands ({SCHEMA_VERSION}); upgrade syndicate"
            )
        for i in range(version, SCHEMA_VERSION):
            with self.transaction() as db:
                for stmt in _statements(MIGRATIONS[i]):
                    db.execute(stmt)
                db.execute(f"PRAGMA user_version = {i + 1}")

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    # --- articles -------------------------------------------------------

    def upsert_article(self, article: Article, now: datetime | None = None) -> str:
        """Store an article; returns "new", "updated" or "unchanged".

        A new or changed article gets a pending translation into the other
        language, in the same transaction, so no crash can leave an article
        without its translation work queued.
        """
        now = now or utcnow()
        h = article.content_hash()
        aid = article.id
        with self.transaction() as db:
            row = db.execute("SELECT content_hash, published FROM articles WHERE id = ?", (aid,)).fetchone()
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
                result = "new"
            else:
                values["updated"] = iso(max(now, article.published))
                db.execute(
                    "UPDATE articles SET source=:source, language=:language, url=:url, title=:title,"
                    " author=:author, tag=:tag, published=:published, updated=:updated,"
                    " body_json=:body_json, content_hash=:content_hash, origin=:origin,"
                    " ingested_at=:ingested_at WHERE id=:id",
                    values,
                )
                result = "updated"
            db.execute(
                "INSERT INTO translations (article_id, language, status) VALUES (?, ?, 'pending')"
                " ON CONFLICT (article_id, language) DO UPDATE SET status='pending'",
                (aid, other_language(article.language)),
            )
            return result

    def get_article(self, article_id: str) -> StoredArticle | None:
        r = self.db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if r is None:
            return None
        return StoredArticle(_article_from_row(r), parse_iso(r["updated"]), r["content_hash"])

    def article_count(self) -> dict[str, int]:
        rows = self.db.execute("SELECT language, COUNT(*) FROM articles GROUP BY language")
        return {lang: n for lang, n in rows}

    def all_articles(self) -> list[Article]:
        return [_article_from_row(r) for r in self.db.execute("SELECT * FROM articles ORDER BY published DESC, id")]

    # --- translations ---------------------------------------------------

    def translation_work(self, glossary_version: str | None = None) -> list[tuple[StoredArticle, str]]:
        """Articles whose translation is pending, failed, or made from an older
        source or glossary. Oldest first, so a backlog drains in order."""
        q = (
            "SELECT a.*, t.language AS tlang FROM translations t JOIN articles a ON a.id = t.article_id"
            " WHERE t.status != 'done' OR t.done_hash IS NOT a.content_hash"
        )
        params: list[Any] = []
        if glossary_version is not None:
            q += " OR t.glossary_version IS NOT ?"
            params.append(glossary_version)
        q += " ORDER BY a.published, a.id"
        out = []
        for r in self.db.execute(q, params):
            out.append((StoredArticle(_article_from_row(r), parse_iso(r["updated"]), r["content_hash"]), r["tlang"]))
        return out

    def save_translation(
        self,
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
        now: datetime | None = None,
    ) -> bool:
        """Record a complete, good translation. Returns False (and stores
        nothing) when the source changed since the work was taken."""
        now = now or utcnow()
        body = blocks_to_json(blocks)
        with self.transaction() as db:
            cur = db.execute("SELECT content_hash FROM articles WHERE id = ?", (article_id,)).fetchone()
            if cur is None or cur["content_hash"] != source_hash:
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

    def fail_translation(
        self, article_id: str, language: str, error: str, problems: list[Any] | None = None,
        glossary_version: str | None = None, failed_key: str | None = None,
    ) -> None:
        """Record a failed attempt. The last good content, if any, stays.
        `failed_key` marks a failure that would repeat with the same inputs."""
        with self.transaction() as db:
            db.execute(
                "UPDATE translations SET status='failed', attempts=attempts + 1, last_error=?,"
                " problems_json=?, glossary_version=COALESCE(?, glossary_version), failed_key=?"
                " WHERE article_id = ? AND language = ?",
                (error, json.dumps(problems or [], ensure_ascii=False), glossary_version, failed_key,
                 article_id, language),
            )

    def failed_keys(self) -> dict[tuple[str, str], str]:
        """{(article id, language): key} of failures that would repeat."""
        rows = self.db.execute(
            "SELECT article_id, language, failed_key FROM translations"
            " WHERE status = 'failed' AND failed_key IS NOT NULL"
        )
        return {(a, lang): k for a, lang, k in rows}

    def get_translation(self, article_id: str, language: str) -> StoredTranslation | None:
        r = self.db.execute(
            "SELECT * FROM translations WHERE article_id = ? AND language = ?", (article_id, language)
        ).fetchone()
        return _translation_from_row(r) if r else None

    def translation_counts(self) -> dict[str, int]:
        return {s: n for s, n in self.db.execute("SELECT status, COUNT(*) FROM translations GROUP BY status")}

    # --- feeds ------------------------------------------------------------

    def feed_items(self, language: str, limit: int) -> list[FeedItem]:
        """Originals written in `language` and good translations into it,
        newest first. Ties break on id so the order never wobbles."""
        items: list[FeedItem] = []
        for r in self.db.execute(
            "SELECT * FROM articles WHERE language = ? ORDER BY published DESC, id LIMIT ?", (language, limit)
        ):
            a = _article_from_row(r)
            items.append(FeedItem(a, language, a.title, a.blocks, parse_iso(r["updated"]), None))
        for r in self.db.execute(
            "SELECT a.*, t.article_id AS t_article_id, t.language AS t_language, t.status AS t_status,"
            " t.title AS t_title, t.body_json AS t_body_json, t.done_hash, t.engine, t.model,"
            " t.glossary_version, t.problems_json, t.terms_json, t.updated AS t_updated, t.attempts,"
            " t.last_error FROM translations t JOIN articles a ON a.id = t.article_id"
            " WHERE t.language = ? AND t.title IS NOT NULL AND t.body_json IS NOT NULL"
            " ORDER BY a.published DESC, a.id LIMIT ?",
            (language, limit),
        ):
            a = _article_from_row(r)
            t = StoredTranslation(
                article_id=r["t_article_id"], language=r["t_language"], status=r["t_status"],
                title=r["t_title"], blocks=blocks_from_json(r["t_body_json"]), done_hash=r["done_hash"],
                engine=r["engine"], model=r["model"], glossary_version=r["glossary_version"],
                problems=json.loads(r["problems_json"]), terms=json.loads(r["terms_json"]),
                updated=parse_iso(r["t_updated"]), attempts=r["attempts"], last_error=r["last_error"],
            )
            items.append(FeedItem(a, language, t.title, t.blocks, t.updated, t))
        items.sort(key=lambda it: (it.article.published, it.article.id), reverse=True)
        return items[:limit]

    # --- runs, rejects, sources ---------------------------------------------

    def start_run(self, now: datetime | None = None) -> int:
        with self.transaction() as db:
            cur = db.execute("INSERT INTO runs (started) VALUES (?)", (iso(now or utcnow()),))
            return cur.lastrowid

    def finish_run(self, run_id: int, status: str, exit_code: int, report: dict[str, Any]) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET finished=?, status=?, exit_code=?, report_json=? WHERE id=?",
                (iso(utcnow()), status, exit_code, json.dumps(report, ensure_ascii=False), run_id),
            )

    def last_run(self) -> dict[str, Any] | None:
        r = self.db.execute("SELECT * FROM runs WHERE finished IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()
        if r is None:
            return None
        d = dict(r)
        d["report"] = json.loads(d.pop("report_json"))
        return d

    def record_reject(self, source: str, origin: str, moved_to: str | None, reason: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO rejects (source, origin, moved_to, reason, at) VALUES (?, ?, ?, ?, ?)",
                (source, origin, moved_to, reason, iso(utcnow())),
            )

    def reject_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM rejects").fetchone()[0]

    def recent_rejects(self, limit: int = 10) -> list[dict[str, Any]]:
        """The latest rejected inputs, newest first."""
        rows = self.db.execute(
            "SELECT source, origin, moved_to, reason, at FROM rejects ORDER BY id DESC LIMIT ?", (limit,)
        ).fetchall()
        return [dict(zip(("source", "origin", "moved_to", "reason", "at"), r)) for r in rows]

    def source_state(self, name: str) -> dict[str, Any]:
        r = self.db.execute("SELECT * FROM source_state WHERE name = ?", (name,)).fetchone()
        return dict(r) if r else {"name": name, "failures": 0}

    def all_source_states(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute("SELECT * FROM source_state ORDER BY name")]

    def set_source_state(self, name: str, **fields: Any) -> None:
        cols = sorted(fields)
        with self.transaction() as db:
            db.execute("INSERT OR IGNORE INTO source_state (name) VALUES (?)", (name,))
            if cols:
                db.execute(
                    f"UPDATE source_state SET {', '.join(c + '=?' for c in cols)} WHERE name = ?",
                    [fields[c] for c in cols] + [name],
                )
