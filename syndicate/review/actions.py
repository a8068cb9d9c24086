"""What a person does: approve, reject or edit a translation, withdraw or
restore an article. Each action is one store transaction with its line in
the review history (who, when, why); the caller republishes the feeds.

An item is named by the article's id (or a unique prefix of at least six
characters), its URL, or the path of the inbox file it came from; its
translation is the one into the article's other language.
"""
from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..article import Block, other_language
from ..store import Store, StoredArticle, StoredTranslation, utcnow
from ..translate.memory import TranslationMemory
from ..translate.splitter import join_segments


class ActionError(Exception):
    """The action cannot be taken; the message says why. Nothing changed."""


@dataclass
class Item:
    stored: StoredArticle
    translation: StoredTranslation | None

    @property
    def id(self) -> str:
        return self.stored.article.id

    @property
    def src(self) -> str:
        return self.stored.article.language

    @property
    def tgt(self) -> str:
        return other_language(self.src)

    @property
    def direction(self) -> str:
        return f"{self.src}-{self.tgt}"

    @property
    def state(self) -> str:
        t = self.translation
        if t is None or t.title is None:
            return t.status if t else "none"
        return t.review

    def segments(self) -> list[dict[str, Any]]:
        """The translation sentence by sentence; a translation stored before
        sentences were kept pairs whole paragraphs instead."""
        t = self.translation
        if t is None or t.title is None:
            raise ActionError(f"{self.id}: no translation to review yet ({self.state})")
        if t.segments:
            return [dict(s) for s in t.segments]
        a = self.stored.article
        pairs = [(-1, a.title, t.title)]
        pairs += [(i, b.text, tb.text) for i, (b, tb) in enumerate(zip(a.blocks, t.blocks or []))]
        return [{"block": b, "source": s, "target": x, "sep": "", "terms": [], "score": None, "human": False}
                for b, s, x in pairs]


def reviewer(by: str | None = None) -> str:
    """Who acts: --by, else $SYNDICATE_REVIEWER, else the login name."""
    who = by or os.environ.get("SYNDICATE_REVIEWER") or ""
    if not who:
        try:
            who = getpass.getuser()
        except (KeyError, OSError):
            who = "unknown"
    return who


def find_item(store: Store, ref: str) -> Item:
    found = store.find_articles(ref)
    if not found and os.path.exists(ref):
        found = store.find_articles(os.path.abspath(ref))
    if not found:
        raise ActionError(f"{ref}: no stored article has this id, URL or inbox path (see `syndicate review list`)")
    if len(found) > 1:
        raise ActionError(f"{ref}: names {len(found)} articles ({', '.join(found[:5])}); give more of the id")
    stored = store.get_article(found[0])
    assert stored is not None
    return Item(stored, store.get_translation(stored.article.id, other_language(stored.article.language)))


def queue(store: Store, direction: str | None = None, reason: str | None = None) -> list[Item]:
    """What waits for a person, oldest article first; withdrawn ones do not wait."""
    out = []
    for stored, t in store.in_review("held"):
        item = Item(stored, t)
        if stored.withdrawn_at is not None or (direction and item.direction != direction):
            continue
        if reason and reason not in t.review_reasons:
            continue
        out.append(item)
    return out


def _decidable(item: Item) -> StoredTranslation:
    t = item.translation
    if t is None or t.title is None:
        raise ActionError(f"{item.id}: the translation is not done yet ({item.state}); run `syndicate run` first")
    if t.done_hash != item.stored.content_hash:
        raise ActionError(f"{item.id}: the original changed since this translation; the next run translates it again")
    return t


def approve(store: Store, item: Item, by: str, now: datetime | None = None, note: str = "") -> None:
    _decidable(item)
    store.set_review(item.id, item.tgt, "approved", by=by, at=now or utcnow(), note=note)


def reject(store: Store, item: Item, by: str, reason: str, now: datetime | None = None) -> None:
    _decidable(item)
    if not reason.strip():
        raise ActionError("a rejection needs a reason (--reason)")
    store.set_review(item.id, item.tgt, "rejected", by=by, at=now or utcnow(), note=reason)


def edit(store: Store, item: Item, targets: list[str], by: str, now: datetime | None = None) -> int:
    """Apply an editor's sentences (from parse_edit, one per segment);
    returns how many changed. The changed ones go into the human memory,
    preferred over the model from now on wherever the source sentence recurs."""
    _decidable(item)
    segments = item.segments()
    if len(targets) != len(segments):
        raise ActionError(f"{item.id}: {len(targets)} sentences for {len(segments)}")
    changes = [{"segment": i, "source": s["source"], "before": s["target"], "after": t, "terms": s.get("terms", [])}
               for i, (s, t) in enumerate(zip(segments, targets)) if s["target"] != t]
    now = now or utcnow()
    if not changes:
        approve(store, item, by, now, note="edited file saved unchanged")
        return 0
    for s, t in zip(segments, targets):
        if s["target"] != t:
            s.update(target=t, human=True)
    title = next((s["target"] for s in segments if s["block"] == -1), item.translation.title)
    blocks = []
    for bi, b in enumerate(item.stored.article.blocks):
        mine = [s for s in segments if s["block"] == bi]
        blocks.append(Block(b.kind, join_segments([s["target"] for s in mine], [s["sep"] for s in mine])))
    with store.transaction():
        store.set_review(item.id, item.tgt, "edited", by=by, at=now, title=title, blocks=blocks, segments=segments,
                         detail={"direction": item.direction, "changes": changes})
        TranslationMemory(store).save_human(item.direction, [(c["source"], c["after"]) for c in changes],
                                            by=by, article_id=item.id)
    return len(changes)


def withdraw(store: Store, item: Item, by: str, reason: str, now: datetime | None = None) -> None:
    if item.stored.withdrawn_at is not None:
        raise ActionError(f"{item.id}: already withdrawn on {item.stored.withdrawn_at.isoformat()}")
    if not reason.strip():
        raise ActionError("a withdrawal needs a reason (--reason)")
    store.withdraw(item.id, by=by, at=now or utcnow(), reason=reason)


def restore(store: Store, item: Item, by: str, now: datetime | None = None) -> None:
    if item.stored.withdrawn_at is None:
        raise ActionError(f"{item.id}: is not withdrawn")
    store.restore(item.id, by=by, at=now or utcnow())
