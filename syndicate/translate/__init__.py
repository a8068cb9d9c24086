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
    load on first use and stay loaded for the process (see ctranslate.py),
    so a daemon pays the load once; a direction with no package reports
    None from engine.model() and its translations stay pending."""
    from .ctranslate import CTranslate2Engine

    return CTranslate2Engine.from_config(config)
