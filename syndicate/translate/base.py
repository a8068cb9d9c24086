"""The translation seam: one engine interface, one glossary hook, and the
article-level driver that batches every pending sentence of a run.

Engines only turn lists of sentences into lists of hypotheses. Everything
article-shaped (splitting, the glossary, the translation memory, checking
the output, reassembling paragraphs) happens here, once, for every engine.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from ..article import Block


@dataclass(frozen=True)
class ModelInfo:
    engine: str  # e.g. "ctranslate2"
    name: str  # package name
    version: str

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


class NoModelError(Exception):
    pass


INSTALL_HINT = (
    "no {src}->{tgt} translation model is installed; originals are published and "
    "translations stay pending. Install one with `syndicate models install FILE.argosmodel` "
    "(see README, 'Translation models')."
)


# --- glossary hook ------------------------------------------------------------


@dataclass
class Protected:
    """A sentence with its glossary terms replaced by placeholders."""

    text: str
    state: Any = None


@dataclass
class Restored:
    text: str
    problems: list[dict[str, Any]] = field(default_factory=list)
    terms: list[dict[str, Any]] = field(default_factory=list)  # one per source term: {"source", "target", "ok"}
    needs_review: bool = False


class TermHook(Protocol):
    version: str

    def protect(self, text: str, src: str, tgt: str) -> Protected: ...

    def restore(self, output: str, protected: Protected, src: str, tgt: str) -> Restored: ...


class NoGlossary:
    version = "none"

    def protect(self, text: str, src: str, tgt: str) -> Protected:
        return Protected(text)

    def restore(self, output: str, protected: Protected, src: str, tgt: str) -> Restored:
        return Restored(output)


# --- jobs -----------------------------------------------------------------------


@dataclass
class Job:
    article_id: str
    source_hash: str
    src: str
    tgt: str
    title: str
    blocks: list[Block]


@dataclass
class Outcome:
    job: Job
    ok: bool
    title: str = ""
    blocks: list[Block] = field(default_factory=list)
    model: ModelInfo | None = None
    glossary_version: str = ""
    problems: list[dict[str, Any]] = field(default_factory=list)
    terms: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    model_calls: int = 0


_SENT_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]?[A-ZĐÀ-Ỹ0-9])")


def split_sentences(text: str, lang: str) -> list[str]:
    """Placeholder splitter; syndicate.translate.splitter replaces it."""
    return [s for s in _SENT_END.split(text) if s.strip()]


Progress = Callable[[int, int], None]


def translate_jobs(
    jobs: list[Job],
    engine: Engine,
    glossary: TermHook | None = None,
    memory: Any = None,
    progress: Progress | None = None,
) -> list[Outcome]:
    """Translate whole articles. Every sentence of every job in one direction
    goes to the engine in one call, so batching works across articles."""
    glossary = glossary or NoGlossary()
    outcomes: list[Outcome] = []
    by_dir: dict[tuple[str, str], list[Job]] = {}
    for j in jobs:
        by_dir.setdefault((j.src, j.tgt), []).append(j)
    for (src, tgt), djobs in by_dir.items():
        info = engine.model(src, tgt)
        if info is None:
            for j in djobs:
                outcomes.append(Outcome(j, ok=False, error=INSTALL_HINT.format(src=src, tgt=tgt)))
            continue
        units: list[tuple[int, int, int, Protected]] = []  # job, block (-1 title), sentence, protected
        for ji, j in enumerate(djobs):
            units.append((ji, -1, 0, glossary.protect(j.title, src, tgt)))
            for bi, b in enumerate(j.blocks):
                for si, s in enumerate(split_sentences(b.text, src)):
                    units.append((ji, bi, si, glossary.protect(s, src, tgt)))
        try:
            hyps = engine.translate_batch(src, tgt, [u[3].text for u in units])
        except Exception as e:  # a broken model must not stop the run
            for j in djobs:
                outcomes.append(Outcome(j, ok=False, model=info, error=f"engine error: {e}"))
            continue
        if progress:
            progress(len(units), len(units))
        parts: dict[int, dict[int, list[str]]] = {}
        probs: dict[int, list[dict[str, Any]]] = {}
        for (ji, bi, si, prot), h in zip(units, hyps):
            r = glossary.restore(h.text, prot, src, tgt)
            parts.setdefault(ji, {}).setdefault(bi, []).append(r.text)
            probs.setdefault(ji, []).extend(r.problems)
        for ji, j in enumerate(djobs):
            p = parts.get(ji, {})
            title = " ".join(p.get(-1, []))
            blocks = [Block(b.kind, " ".join(p.get(bi, []))) for bi, b in enumerate(j.blocks)]
            outcomes.append(
                Outcome(j, ok=True, title=title, blocks=blocks, model=info,
                        glossary_version=glossary.version, problems=probs.get(ji, []), model_calls=1)
            )
    return outcomes
