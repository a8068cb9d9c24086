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


class EngineUnavailable(RuntimeError):
    """The engine is set up but cannot translate now (a server down, slow
    or refusing): nothing is wrong with the articles, so their translations
    stay pending for the next cycle instead of failing. The message names
    where the engine looked and what went wrong, never a credential."""


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


DIRECTIONS = (("en", "vi"), ("vi", "en"))


def engine_names(translation) -> dict[tuple[str, str], str]:
    """The configured engine of each direction ([translation] engine_en_vi, engine_vi_en)."""
    return {(s, t): getattr(translation, f"engine_{s}_{t}") for s, t in DIRECTIONS}


class RoutedEngine:
    """One engine per direction, behind the one Engine interface: the
    driver asks it as it would ask any engine."""

    name = "routed"

    def __init__(self, routes: dict[tuple[str, str], Engine]):
        self.routes = routes

    def model(self, src: str, tgt: str) -> ModelInfo | None:
        engine = self.routes.get((src, tgt))
        return engine.model(src, tgt) if engine is not None else None

    def translate_batch(self, src: str, tgt: str, sentences: list[str]) -> list[Hypothesis]:
        engine = self.routes.get((src, tgt))
        if engine is None:
            raise LookupError(f"no engine configured for {src}->{tgt}")
        return engine.translate_batch(src, tgt, sentences)


def load_engine(config) -> Engine:
    """The engine each direction is configured to use. CTranslate2 models
    load on first use and stay loaded as long as the engine (see
    ctranslate.py), so a daemon, which keeps one engine, pays the load once;
    a direction with no package reports None from engine.model() and its
    translations stay pending. With every direction on ctranslate2 (the
    default) this is the CTranslate2 engine itself."""
    # Deferred on purpose: ctranslate.py imports ctranslate2 and
    # sentencepiece, which commands that never translate (status, models
    # list, glossary check) should not pay for.
    from .ctranslate import CTranslate2Engine
    from .openai_compat import OpenAICompatEngine

    names = engine_names(config.translation)
    ct2 = CTranslate2Engine.from_config(config)
    if all(n == "ctranslate2" for n in names.values()):
        return ct2
    llm = OpenAICompatEngine.from_config(config, {d for d, n in names.items() if n == "openai"})
    return RoutedEngine({d: llm if n == "openai" else ct2 for d, n in names.items()})
