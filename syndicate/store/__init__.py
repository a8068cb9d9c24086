"""The SQLite store, and the only place in syndicate that speaks SQL.

`Store` is the one object callers hold; each method delegates to the
module for its table group:

    db.py            the connection, pragmas, the one transaction()
    schema.py        append-only migrations and the schema version
    articles.py      articles
    clashes.py       a URL listed by more than one source
    translations.py  translations (pending, done, failed work per language)
    feeds.py         what one language's feed shows (articles + translations)
    runs.py          run history
    rejects.py       rejected inputs
    sources.py       source_state and source_items
    inbox.py         inbox_files (what each inbox file was when last read)
    memory.py        translation_memory and human_memory (editors' sentences)
    reviews.py       reviews: the history of editorial actions

One transaction per article: a crash at any point leaves either the old or
the new state of that article, never a mix, and the next run picks up what
is still pending. WAL mode lets `syndicate status` and the HTTP server read
while a run writes.
"""
from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Collection
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, ContextManager

from ..article import Article, Block, other_language
from ..config import Retention
from . import articles, clashes, feeds, inbox, memory, rejects, reviews, runs, schema, sources, translations
from .articles import StoredArticle
from .db import StoreError, connect, iso, parse_iso, transaction, utcnow
from .feeds import FeedItem
from .inbox import InboxFile
from .schema import MIGRATIONS, SCHEMA_VERSION
from .sources import ItemState
from .translations import StoredTranslation

__all__ = [
    "MIGRATIONS", "SCHEMA_VERSION", "FeedItem", "InboxFile", "ItemState", "Store", "StoreError", "StoredArticle",
    "StoredTranslation", "iso", "parse_iso", "utcnow",
]


class Store:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.db = connect(path)
        schema.migrate(self.db, self.path)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> ContextManager[sqlite3.Connection]:
        return transaction(self.db)

    @property
    def schema_version(self) -> int:
        return schema.schema_version(self.db)

    # --- articles and their translations ----------------------------------

    def upsert_article(self, article: Article, now: datetime | None = None, *,
                       owners: Collection[str] | None = None) -> str:
        """Store an article; returns "new", "updated", "unchanged", or
        "clash": another source owns this id (URL) and keeps its article;
        the clash is recorded (see clashes()). An article owned by a source
        not in `owners` (when given) passes to this one.

        A new or changed article gets a pending translation into the other
        language, in the same transaction, so no crash can leave an article
        without its translation work queued.
        """
        with self.transaction():
            # A corrected headline or dateline, or a re-export under a new
            # name, keeps the id the article already has (articles.py).
            article = dataclasses.replace(article, stored_id=articles.resolve_id(self.db, article))
            before = articles.content_hash(self.db, article.id)
            result = articles.upsert(self.db, article, now or utcnow(), owners)
            if result == "clash":
                return result
            articles.remember_keys(self.db, article)
            # Only a change of text needs a new translation (not a dateline).
            if result != "unchanged" and before != article.content_hash():
                translations.queue(self.db, article.id, other_language(article.language))
            return result

    def clash_count(self) -> int:
        return clashes.count(self.db)

    def clashes(self, limit: int = 10) -> list[dict[str, Any]]:
        """URLs offered by a source other than their owner, most recently
        seen first: url, owner, source, first_seen, last_seen, times."""
        return clashes.recent(self.db, limit)

    def get_article(self, article_id: str) -> StoredArticle | None:
        return articles.get(self.db, article_id)

    def article_count(self) -> dict[str, int]:
        return articles.count_by_language(self.db)

    def all_articles(self) -> list[Article]:
        return articles.all_articles(self.db)

    def translation_work(self, glossary_version: str | None = None,
                         languages: list[str] | None = None) -> list[tuple[StoredArticle, str]]:
        """Articles whose translation is pending, failed, or made from an older
        source or glossary. Oldest first, so a backlog drains in order.
        `languages`: only translations into these."""
        return translations.work(self.db, glossary_version, languages)

    def translation_work_counts(self, glossary_version: str | None = None) -> dict[str, int]:
        """{target language: size of translation_work()}, loading no article."""
        return translations.work_counts(self.db, glossary_version)

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
        review: str = "auto",
        review_reasons: list[str] | None = None,
        min_score: float | None = None,
        segments: list[dict[str, Any]] | None = None,
    ) -> bool:
        """Record a complete, good translation. Returns False (and stores
        nothing) when the source changed since the work was taken.
        review: "auto" (publish) or "held" (wait for a person)."""
        return translations.save(
            self.db, article_id, language, source_hash=source_hash, title=title, blocks=blocks,
            engine=engine, model=model, glossary_version=glossary_version, problems=problems,
            terms=terms, now=now or utcnow(), review=review, review_reasons=review_reasons,
            min_score=min_score, segments=segments,
        )

    def fail_translation(
        self, article_id: str, language: str, error: str, problems: list[Any] | None = None,
        glossary_version: str | None = None, failed_key: str | None = None,
    ) -> None:
        """Record a failed attempt. The last good content, if any, stays.
        `failed_key` marks a failure that would repeat with the same inputs."""
        translations.fail(self.db, article_id, language, error, problems, glossary_version, failed_key)

    def failed_keys(self) -> dict[tuple[str, str], str]:
        """{(article id, language): key} of failures that would repeat."""
        return translations.failed_keys(self.db)

    def get_translation(self, article_id: str, language: str) -> StoredTranslation | None:
        return translations.get(self.db, article_id, language)

    def translation_counts(self) -> dict[str, int]:
        return translations.count_by_status(self.db)

    def feed_items(self, language: str, limit: int) -> list[FeedItem]:
        """Originals written in `language` and good translations into it,
        newest first. Ties break on id so the order never wobbles."""
        return feeds.feed_items(self.db, language, limit)

    # --- runs and rejects ---------------------------------------------------

    def start_run(self, now: datetime | None = None) -> int:
        return runs.start(self.db, now or utcnow())

    def finish_run(self, run_id: int, status: str, exit_code: int, report: dict[str, Any]) -> None:
        runs.finish(self.db, run_id, status, exit_code, report, utcnow())

    def last_run(self) -> dict[str, Any] | None:
        return runs.last_finished(self.db)

    def run_counts(self) -> dict[str, int]:
        """{status: runs on record}; "interrupted" counts runs a kill left unfinished."""
        return runs.count_by_status(self.db)

    def record_reject(self, source: str, origin: str, moved_to: str | None, reason: str) -> None:
        rejects.record(self.db, source, origin, moved_to, reason, utcnow())

    def reject_count(self) -> int:
        return rejects.count(self.db)

    def recent_rejects(self, limit: int = 10) -> list[dict[str, Any]]:
        """The latest rejected inputs, newest first."""
        return rejects.recent(self.db, limit)

    # --- sources --------------------------------------------------------------

    def source_state(self, name: str) -> dict[str, Any]:
        return sources.state(self.db, name)

    def all_source_states(self) -> list[dict[str, Any]]:
        return sources.all_states(self.db)

    def set_source_state(self, name: str, **fields: Any) -> None:
        sources.set_state(self.db, name, fields)

    def source_items(self, source: str) -> dict[str, ItemState]:
        """{url: what the item looked like when last taken} for one source."""
        return sources.items(self.db, source)

    def save_source_item(
        self, source: str, url: str, *, entry_hash: str | None, content_hash: str | None,
        full_text: bool, attempts: int, last_error: str | None, now: datetime | None = None,
    ) -> None:
        sources.save_item(
            self.db, source, url, entry_hash=entry_hash, content_hash=content_hash, full_text=full_text,
            attempts=attempts, last_error=last_error, now=now or utcnow(),
        )

    def unconfirmed_items(self, source: str) -> list[str]:
        """Items handed to the pipeline whose article is not (or not in that
        version) in the store: a run stopped between collect and store."""
        return sources.unconfirmed(self.db, source)

    def forget_source_items(self, source: str, keep: set[str], older_than: datetime) -> int:
        """Drop item rows that left the feed long ago; the table would otherwise
        grow by every item a portal ever published. An item that comes back
        costs one page fetch and stores as unchanged."""
        return sources.forget_items(self.db, source, keep, older_than)

    def inbox_files(self, source: str) -> dict[str, InboxFile]:
        """{path: the file as last read} for one inbox source."""
        return inbox.files(self.db, source)

    def save_inbox_files(self, source: str, rows: list[InboxFile], now: datetime | None = None) -> None:
        inbox.save(self.db, source, rows, now or utcnow())

    def forget_inbox_files(self, source: str, paths: list[str]) -> None:
        inbox.forget(self.db, source, paths)

    # --- translation memory -----------------------------------------------------

    def memory_lookup(
        self, model: str, direction: str, glossary_version: str, segments: list[str]
    ) -> dict[str, tuple[str, float | None]]:
        return memory.lookup(self.db, model, direction, glossary_version, segments)

    def memory_save(
        self, model: str, direction: str, glossary_version: str, items: list[tuple[str, str, float | None]],
    ) -> None:
        memory.save(self.db, model, direction, glossary_version, items, utcnow())

    def memory_count(self) -> int:
        return memory.count(self.db)

    def human_lookup(self, direction: str, sources: list[str]) -> dict[str, str]:
        """{normalized source sentence: an editor's translation of it}."""
        return memory.human_lookup(self.db, direction, sources)

    def human_save(self, direction: str, items: list[tuple[str, str]], *, by: str, article_id: str) -> None:
        memory.human_save(self.db, direction, items, by=by, article_id=article_id, now=utcnow())

    def human_count(self) -> int:
        return memory.human_count(self.db)

    # --- editorial review and withdrawal -------------------------------------------

    def find_articles(self, ref: str) -> list[str]:
        """Ids named by an id (or a unique prefix), a URL or an inbox file's path."""
        return articles.find(self.db, ref)

    def set_review(self, article_id: str, language: str, review: str, *, by: str, at: datetime,
                   note: str = "", detail: dict[str, Any] | None = None, title: str | None = None,
                   blocks: list[Block] | None = None, segments: list[dict[str, Any]] | None = None) -> None:
        """A person's decision on a translation and its line in the history, in one transaction."""
        with self.transaction():
            translations.set_review(self.db, article_id, language, review, by=by, at=at, title=title,
                                    blocks=blocks, segments=segments)
            reviews.record(self.db, article_id, language, _ACTIONS[review], by=by, at=at, note=note,
                           detail=detail)

    def in_review(self, *states: str) -> list[tuple[StoredArticle, StoredTranslation]]:
        return translations.in_review(self.db, states)

    def review_counts(self) -> dict[str, int]:
        return translations.review_counts(self.db)

    def review_history(self, article_id: str) -> list[dict[str, Any]]:
        return reviews.history(self.db, article_id)

    def review_edits(self) -> list[dict[str, Any]]:
        return reviews.edits(self.db)

    def withdraw(self, article_id: str, *, by: str, at: datetime, reason: str) -> None:
        with self.transaction():
            articles.set_withdrawn(self.db, article_id, at, reason)
            reviews.record(self.db, article_id, "", "withdraw", by=by, at=at, note=reason)

    def restore(self, article_id: str, *, by: str, at: datetime, note: str = "") -> None:
        with self.transaction():
            articles.set_withdrawn(self.db, article_id, None, None)
            reviews.record(self.db, article_id, "", "restore", by=by, at=at, note=note)

    def withdrawn(self, limit: int) -> list[StoredArticle]:
        return articles.withdrawn(self.db, limit)

    def unpublished(self) -> list[tuple[str, str]]:
        """(article id, language) of versions that must have no page."""
        return translations.unpublished(self.db)

    # --- retention ----------------------------------------------------------------

    def prune(self, retention: Retention, now: datetime | None = None, limit: int | None = None) -> dict[str, int]:
        """Delete rejects, runs and translation memory older than `retention`
        says (0 days: keep forever); {table: rows deleted}. `limit` bounds the
        rows each table loses in this call, so pruning at the end of a cycle
        stays cheap however large the backlog; None prunes everything due."""
        now = now or utcnow()
        due = {
            "rejects": (rejects.prune, retention.rejects_days),
            "runs": (runs.prune, retention.runs_days),
            "translation_memory": (memory.prune, retention.memory_days),
        }
        removed: dict[str, int] = {}
        for table, (prune, days) in due.items():
            removed[table] = 0
            if days <= 0:
                continue
            cutoff = now - timedelta(days=days)
            while True:
                batch = retention.prune_batch if limit is None else min(limit, retention.prune_batch)
                n = prune(self.db, cutoff, batch)
                removed[table] += n
                if limit is not None or n < batch:
                    break
        return removed

    def vacuum(self) -> tuple[int, int]:
        """Rewrite the database file without its free pages; (bytes before,
        bytes after), the write-ahead log included."""
        before = self._size()
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.execute("VACUUM")
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return before, self._size()

    def _size(self) -> int:
        files = (self.path, self.path.with_name(self.path.name + "-wal"))
        return sum(p.stat().st_size for p in files if p.exists())


_ACTIONS = {"approved": "approve", "edited": "edit", "rejected": "reject", "held": "hold"}
