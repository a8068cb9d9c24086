"""The engine interface: what a translation model is to the rest of syndicate.

Engines only turn lists of sentences into lists of hypotheses. Everything
article-shaped (splitting, the glossary, the translation memory, checking
the output, reassembling paragraphs) happens in driver.py, once, for every
engine.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class ModelInfo:
    engine: str  # e.g. "ctranslate2"
    name: str  # package name
    version: str
    # The package declares a model whose output copies its input (the test
    # copy model): the untranslated-copy check is off for it. Not part of the key.
    copies: bool = field(default=False, compare=False)

    @property
    def key(self) -> str:
        return f"{self.engine}:{self.name}@{self.version}"


@dataclass
class Hypothesis:
    text: str
    score: float | None = None


class Engine(Protocol):
    name: str

    def model(self, src: str, tgt: str) -> ModelInfo | None:
        """The model that would translate src->tgt, or None if none is installed."""

    def translate_batch(self, src: str, tgt: str, sentences: list[str]) -> list[Hypothesis]:
        """Translate sentences; results in the same order as the input."""


INSTALL_HINT = (
    "no {src}->{tgt} translation model is installed; originals are published and "
    "translations stay pending. Install one with `syndicate models install FILE.argosmodel` "
    "(see README, 'Translation models')."
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
