"""Translation memory: what a model said for a sentence, reused instead of
asking it again. The rows live in the store's ``translation_memory`` table.

Key: (model key with its version, direction, glossary version, normalized
source segment). The glossary version is the one the glossary gives for
that sentence (Protected.terms_version: its matches and their targets), so
a glossary edit misses only on the sentences it touches. The source segment is what the model is given, i.e. the
sentence after the glossary put its placeholders in, and the target is
what the model returned for it; the glossary restores terms after the
lookup exactly as after a model call, so term coverage is recorded the
same way on a hit. A new model version or glossary version is a new key:
nothing stale is ever reused.

Only outputs that passed the degenerate-output checks are stored.

Human translations (an editor's corrected sentences) sit beside it, keyed
by direction and the source sentence as written: they hold for any model
and glossary version, and the driver uses them before asking either.
"""
from __future__ import annotations

import re
import unicodedata

from ..store import Store

_WS = re.compile(r"\s+")


def normalize_source(text: str) -> str:
    """NFC and single spaces: the same sentence re-ingested with different
    whitespace or composition is still a hit."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


class TranslationMemory:
    def __init__(self, store: Store):
        self._store = store

    def lookup(
        self, model: str, direction: str, glossary_version: str, sources: list[str]
    ) -> dict[str, tuple[str, float | None]]:
        """{normalized source: (target, score)} for the sources on record."""
        keys = sorted({normalize_source(s) for s in sources})
        return self._store.memory_lookup(model, direction, glossary_version, keys)

    def store(
        self,
        model: str,
        direction: str,
        glossary_version: str,
        items: list[tuple[str, str, float | None]],
    ) -> None:
        """Record (source, target, score) triples in one transaction."""
        if not items:
            return
        rows = [(normalize_source(s), t, sc) for s, t, sc in items]
        self._store.memory_save(model, direction, glossary_version, rows)

    def count(self) -> int:
        return self._store.memory_count()

    # Editors' sentences: keyed by the sentence as written, whatever the
    # model or glossary; the driver prefers them to the memory and the model.

    def human(self, direction: str, sources: list[str]) -> dict[str, str]:
        """{normalized source sentence: an editor's translation}."""
        keys = sorted({normalize_source(s) for s in sources if s.strip()})
        return self._store.human_lookup(direction, keys) if keys else {}

    def save_human(self, direction: str, items: list[tuple[str, str]], *, by: str, article_id: str) -> None:
        rows = [(normalize_source(s), t) for s, t in items if s.strip()]
        if rows:
            self._store.human_save(direction, rows, by=by, article_id=article_id)
