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
    translate_jobs,
)


class NullEngine:
    """No models installed: every direction reports missing."""

    name = "none"

    def model(self, src: str, tgt: str) -> ModelInfo | None:
        return None

    def translate_batch(self, src, tgt, sentences):  # pragma: no cover - never called
        raise RuntimeError("no model")


def load_engine(config) -> Engine:
    """The engine the config asks for. Loaded once per process and reused
    across daemon cycles, since model loading dominates short runs."""
    return NullEngine()
