"""What one language's feed shows: originals written in it and good
translations into it, read from the articles and translations tables."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from ..article import Article, Block
from . import articles, translations
from .translations import StoredTranslation


@dataclass
class FeedItem:
    """One entry of one language's feed: an original, or a translation into it."""

    article: Article
    language: str
    title: str
    blocks: list[Block]
    updated: datetime  # when readers' version last changed: stored or edited, or translated
    translation: StoredTranslation | None  # None for an original


def feed_items(db: sqlite3.Connection, language: str, limit: int) -> list[FeedItem]:
    """Newest first. Ties break on id so the order never wobbles."""
    # An original's entry changed for readers when its content was stored:
    # an instant, not the dateline's midnight that `updated` starts from.
    items = [
        FeedItem(s.article, language, s.article.title, s.article.blocks, max(s.updated, s.stored or s.updated), None)
        for s in articles.newest(db, language, limit)
    ]
    for s, t in translations.published_into(db, language, limit):
        items.append(FeedItem(s.article, language, t.title, t.blocks, t.updated, t))
    items.sort(key=lambda it: (it.article.published, it.article.id), reverse=True)
    return items[:limit]
