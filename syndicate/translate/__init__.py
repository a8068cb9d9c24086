"""Offline translation: the engine seam and its implementations."""
from __future__ import annotations

from .base import (  # noqa: F401
    Engine,
    Hypothesis,
    Job,
    ModelInfo,
    NoGlossary,
    Outcome,
    Protected,
    Restored,
    TermHook,
    TranslateStats,
    translate_jobs,
)


def load_engine(config) -> Engine:
    """The CTranslate2 engine over the configured packages folder. Models
    load on first use and stay loaded as long as the engine (see
    ctranslate.py), so a daemon, which keeps one engine, pays the load once;
    a direction with no package reports None from engine.model() and its
    translations stay pending."""
    # Deferred on purpose: ctranslate.py imports ctranslate2 and
    # sentencepiece, which commands that never translate (status, models
    # list, glossary check) should not pay for.
    from .ctranslate import CTranslate2Engine

    return CTranslate2Engine.from_config(config)
