"""The schema: append-only migrations and the schema version they lead to.

The database's `user_version` pragma records how many migrations it has
had; opening a store applies the rest, each in one transaction.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from .db import StoreError, transaction

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
    # Bounded growth. A reject seen again (the same source, origin, reason
    # and place it was moved to) is one row with a count and the time it was
    # last seen, so a feed repeating a bad item every cycle adds nothing; the
    # indexes make the retention deletes at the end of each cycle cheap.
    """
    ALTER TABLE rejects ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE rejects ADD COLUMN last_seen TEXT;
    UPDATE rejects SET last_seen = at;
    CREATE INDEX rejects_key ON rejects (source, origin, reason);
    CREATE INDEX rejects_last_seen ON rejects (last_seen);
    CREATE INDEX runs_started ON runs (started);
    CREATE INDEX translation_memory_created ON translation_memory (created);
    """,
    # Two sources listing one URL (the article's id): the first to store it
    # owns the article, and each other source's claim is kept here instead
    # of overwriting the owner's text (store/clashes.py).
    """
    CREATE TABLE clashes (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        source TEXT NOT NULL,
        owner TEXT NOT NULL,
        url TEXT,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        times INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (article_id, source)
    );
    """,
    # Inbox files as last read: a file whose stat is unchanged, and whose
    # article is stored as it was read, is not read or parsed again, so an
    # idle cycle costs a directory scan and a stat per file. `reader` keys
    # what else shaped the article (syndicate's version, the language, the
    # size limit): when it changes, every file is read again.
    """
    CREATE TABLE inbox_files (
        source TEXT NOT NULL,
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        inode INTEGER NOT NULL,
        file_hash TEXT NOT NULL,
        reader TEXT NOT NULL,
        article_id TEXT NOT NULL,
        article_hash TEXT NOT NULL,
        seen TEXT NOT NULL,
        PRIMARY KEY (source, path)
    );
    """,
    # Editorial review. `review` says whether a done translation may be
    # published: "auto" (the policy let it through), "held" (waits for a
    # person), "approved", "edited" (both published as reviewed) or
    # "rejected" (withheld; the original stays). segments_json keeps each
    # sentence with its source, so an editor sees and edits them side by
    # side. reviews is the history of every action, with who and when.
    # human_memory holds editors' sentences, preferred over any model.
    # article_keys maps an inbox file's path and its body to the article
    # it became, so a corrected headline or a re-export keeps the entry.
    # A withdrawn article stays stored but leaves every published file.
    """
    ALTER TABLE translations ADD COLUMN review TEXT NOT NULL DEFAULT 'auto';
    ALTER TABLE translations ADD COLUMN review_reasons_json TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE translations ADD COLUMN reviewed_at TEXT;
    ALTER TABLE translations ADD COLUMN reviewed_by TEXT;
    ALTER TABLE translations ADD COLUMN min_score REAL;
    ALTER TABLE translations ADD COLUMN segments_json TEXT;
    ALTER TABLE articles ADD COLUMN withdrawn_at TEXT;
    ALTER TABLE articles ADD COLUMN withdrawn_reason TEXT;
    CREATE TABLE reviews (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        article_id TEXT NOT NULL,
        language TEXT NOT NULL,
        action TEXT NOT NULL,
        by TEXT NOT NULL,
        at TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        detail_json TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX reviews_article ON reviews (article_id, id);
    CREATE TABLE human_memory (
        direction TEXT NOT NULL,
        source TEXT NOT NULL,
        target TEXT NOT NULL,
        by TEXT NOT NULL,
        at TEXT NOT NULL,
        article_id TEXT NOT NULL,
        PRIMARY KEY (direction, source)
    );
    CREATE TABLE article_keys (
        source TEXT NOT NULL,
        key TEXT NOT NULL,
        article_id TEXT NOT NULL,
        PRIMARY KEY (source, key)
    );
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


def schema_version(db: sqlite3.Connection) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: sqlite3.Connection, path: Path) -> None:
    """Bring the database up to SCHEMA_VERSION; refuse one from a newer
    syndicate rather than write to a schema we do not know."""
    version = schema_version(db)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: schema version {version} is newer than this syndicate "
            f"understands ({SCHEMA_VERSION}); upgrade syndicate"
        )
    for i in range(version, SCHEMA_VERSION):
        with transaction(db):
            # Another process opening the same new store (the daemon and
            # /healthz, say) may have applied it since we read the version;
            # under the write lock the version is certain.
            if schema_version(db) > i:
                continue
            for stmt in _statements(MIGRATIONS[i]):
                db.execute(stmt)
            db.execute(f"PRAGMA user_version = {i + 1}")
