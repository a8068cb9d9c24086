"""The article driver: whole articles in, whole translations out.

translate_jobs takes each language direction through four steps, one
small function each:

    plan      split every block into sentences, protect glossary terms
    recall    take what the translation memory already holds
    engine    send each remaining distinct segment once, in length-sorted chunks
    assemble  restore terms, check every output, rebuild each job's paragraphs

and returns one Outcome per job, whose failure (if any) says what kind it
is: no model, an engine that cannot be reached, an engine error,
degenerate output, or a requested stop.
"""
from __future__ import annotations

import enum
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from ..article import Block
from . import checks, splitter
from .engine import INSTALL_HINT, Engine, EngineUnavailable, ModelInfo
from .hook import NoGlossary, Protected, Restored, TermHook
from .memory import TranslationMemory, normalize_source
from .problems import DEGENERATE, Problem

Progress = Callable[[int, int], None]

# Segments per engine call. The engine batches each call by tokens; calls of
# a few hundred sentences keep batches full and let progress move steadily.
CHUNK_SEGMENTS = 256
_TERMINAL = (".", "!", "?", "…", ".\"", ".”", "?”", "!”", "?\"", "!\"")


def prepare_headline(title: str) -> tuple[str, bool]:
    """Headlines are short and unpunctuated, unlike the sentences the models
    were trained on, and models tend to drop or mangle them. Translate the
    headline as one segment (never split), ending with a full stop so the
    model sees a sentence; returns (text, whether a stop was added)."""
    t = " ".join(title.split())
    if not t or t.endswith(_TERMINAL):
        return t, False
    return t + ".", True


def finish_headline(output: str, added: bool) -> str:
    """Take back the full stop prepare_headline added, and no other."""
    out = output.strip()
    if added and out.endswith(".") and not out.endswith(".."):
        out = out[:-1].rstrip()
    return out


# --- what goes in and what comes out ---------------------------------------------


@dataclass
class Job:
    article_id: str
    source_hash: str
    src: str
    tgt: str
    title: str
    blocks: list[Block]


class FailureKind(enum.Enum):
    NO_MODEL = "no_model"  # no package for the direction: the work stays pending
    UNAVAILABLE = "unavailable"  # the engine cannot be reached now: the work stays pending
    ENGINE = "engine"  # the engine raised or miscounted: may pass, so retried
    DEGENERATE = "degenerate"  # the same inputs give the same bad output
    OVER_BUDGET = "over_budget"  # too large to translate: set aside until it changes
    STOPPED = "stopped"  # a stop was requested first: neither done nor failed


@dataclass(frozen=True)
class Budget:
    """What one article may cost: its characters (title and blocks) and its
    segments (the title and every sentence). An article over either is not
    translated (FailureKind.OVER_BUDGET) and costs the cycle one split at
    most, so no single article can hold a cycle hostage. Both limits are
    deterministic, so the same article is refused the same way every time
    and the caller can hold it until it changes."""

    max_chars: int
    max_segments: int

    def over(self, job: "Job", segments: int | None = None) -> str | None:
        chars = len(job.title) + sum(len(b.text) for b in job.blocks)
        if chars > self.max_chars:
            return (f"too large to translate: {chars} characters, the limit is {self.max_chars} "
                    "(translation.max_article_chars)")
        if segments is not None and segments > self.max_segments:
            return (f"too large to translate: {segments} segments, the limit is {self.max_segments} "
                    "(translation.max_article_segments)")
        return None


@dataclass(frozen=True)
class Failure:
    kind: FailureKind
    message: str


@dataclass
class Outcome:
    job: Job
    title: str = ""
    blocks: list[Block] = field(default_factory=list)
    model: ModelInfo | None = None
    glossary_version: str = ""
    problems: list[Problem] = field(default_factory=list)
    terms: dict[str, Any] = field(default_factory=dict)
    # Segments (title + sentences) of this job that the model translated in
    # this call; the rest came from the translation memory (memory_hits).
    # Summed over outcomes, 0 means the run made no model calls.
    model_calls: int = 0
    memory_hits: int = 0
    needs_review: bool = False
    failure: Failure | None = None
    # Per sentence (block -1: the title): {"block", "source", "target",
    # "sep", "terms", "score", "human"}, what an editor sees side by side.
    segments: list[dict[str, Any]] = field(default_factory=list)
    min_score: float | None = None  # the lowest model score of its sentences
    human_segments: int = 0  # sentences an editor wrote (from the human memory)

    @property
    def ok(self) -> bool:
        return self.failure is None

    @property
    def error(self) -> str | None:
        return self.failure.message if self.failure else None

    @property
    def stopped(self) -> bool:
        """Not attempted because a stop was requested: the work stays
        pending for the next cycle."""
        return self.failure is not None and self.failure.kind is FailureKind.STOPPED

    @property
    def unavailable(self) -> bool:
        """Not translated because the engine could not be reached (a server
        down): the work stays pending, like a missing model."""
        return self.failure is not None and self.failure.kind is FailureKind.UNAVAILABLE


@dataclass
class TranslateStats:
    segments: int = 0  # titles + sentences considered
    memory_hits: int = 0
    model_segments: int = 0  # segments the model translated (after de-duplication)
    engine_calls: int = 0
    degenerate: int = 0


_STOPPED = Failure(FailureKind.STOPPED, "stopped before this article was translated")


# --- the steps' own state ------------------------------------------------------------


@dataclass
class _Segment:
    job: int  # index into jobs
    block: int  # -1 for the title
    source: str
    sep: str  # the whitespace that followed it in its block
    protected: Protected
    added_stop: bool = False
    human: str | None = None  # an editor's translation of this sentence


@dataclass
class _Plan:
    src: str
    tgt: str
    model: ModelInfo
    segments: list[_Segment]
    # Per segment, what the model and the memory see: the protected text,
    # normalized; "" when there is nothing to translate.
    keys: list[str]
    version_of: dict[str, str]  # key -> the glossary version that applies to it

    @property
    def direction(self) -> str:
        return f"{self.src}-{self.tgt}"


@dataclass
class _Answers:
    known: dict[str, tuple[str, float | None]] = field(default_factory=dict)  # from the memory
    translated: dict[str, tuple[str, float | None]] = field(default_factory=dict)  # from the engine
    failed: dict[str, Failure] = field(default_factory=dict)


@dataclass
class _Counter:
    callback: Progress | None
    total: int
    done: int = 0

    def advance(self, n: int) -> None:
        self.done += n
        if self.callback and n:
            self.callback(self.done, self.total)


@dataclass
class _Draft:
    """One job's translation while its segments come in."""

    title: str = ""
    parts: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # block -> (text, sep)
    problems: list[Problem] = field(default_factory=list)
    terms: list[dict[str, Any]] = field(default_factory=list)
    failure: Failure | None = None  # the first in segment order wins
    model_calls: int = 0
    memory_hits: int = 0
    needs_review: bool = False
    segments: list[dict[str, Any]] = field(default_factory=list)
    min_score: float | None = None
    human_segments: int = 0

    def add(self, restored: Restored) -> None:
        self.problems.extend(restored.problems)
        self.terms.extend(restored.terms)
        self.needs_review = self.needs_review or restored.needs_review

    def place(self, seg: _Segment, text: str, terms: list[dict[str, Any]] | None = None,
              score: float | None = None) -> None:
        if seg.block == -1:
            self.title = text
        else:
            self.parts.setdefault(seg.block, []).append((text, seg.sep))
        self.segments.append({
            "block": seg.block, "source": seg.source, "target": text, "sep": seg.sep,
            "terms": [{k: t[k] for k in ("source", "target", "ok", "candidate") if k in t} for t in terms or []],
            "score": score, "human": seg.human is not None,
        })
        if score is not None:
            self.min_score = score if self.min_score is None else min(self.min_score, score)


# --- the driver ---------------------------------------------------------------------


def translate_jobs(
    jobs: list[Job],
    engine: Engine,
    glossary: TermHook | None = None,
    memory: TranslationMemory | None = None,
    progress: Progress | None = None,
    *,
    stats: TranslateStats | None = None,
    chunk_segments: int = CHUNK_SEGMENTS,
    stop: threading.Event | None = None,
    budget: Budget | None = None,
) -> list[Outcome]:
    """Translate whole articles.

    ``progress(done, total)`` is called as memory hits are counted and as
    each engine call completes. An article with a degenerate sentence or an
    engine error fails, with its problems listed; good model outputs go
    into the memory. ``stop`` is checked before each engine call, since one
    call can take seconds with a real model: articles not finished then
    come back stopped, while the sentences already translated are
    remembered. An article over ``budget`` fails as OVER_BUDGET before any
    engine call. Outcomes come back in the order of ``jobs``.
    """
    glossary = glossary or NoGlossary()
    stats = stats if stats is not None else TranslateStats()
    outcomes: dict[int, Outcome] = {}
    plans: list[_Plan] = []
    for (src, tgt), idxs in _by_direction(jobs).items():
        model = engine.model(src, tgt)
        if model is None:
            missing = Failure(FailureKind.NO_MODEL, INSTALL_HINT.format(src=src, tgt=tgt))
            outcomes.update({i: Outcome(jobs[i], failure=missing) for i in idxs})
        else:
            plan, refused = _plan(jobs, idxs, src, tgt, model, glossary, budget)
            outcomes.update({i: Outcome(jobs[i], model=model, failure=f) for i, f in refused.items()})
            plans.append(_with_human(plan, memory))
    counter = _Counter(progress, sum(len(p.segments) for p in plans))
    for plan in plans:
        stats.segments += len(plan.segments)
        answers = _recall(plan, memory, stats, counter)
        _call_engine(plan, engine, answers, stats, counter, chunk_segments, stop)
        drafts, fresh = _assemble(plan, answers, glossary, stats)
        _remember(plan, memory, fresh)
        for i, draft in drafts.items():
            outcomes[i] = _outcome(jobs[i], draft, plan.model, glossary.version)
    return [outcomes[i] for i in range(len(jobs))]


def _by_direction(jobs: list[Job]) -> dict[tuple[str, str], list[int]]:
    groups: dict[tuple[str, str], list[int]] = {}
    for i, j in enumerate(jobs):
        groups.setdefault((j.src, j.tgt), []).append(i)
    return groups


def _by_version(keys, version_of: dict[str, str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for k in keys:
        groups.setdefault(version_of[k], []).append(k)
    return groups


def _plan(jobs: list[Job], idxs: list[int], src: str, tgt: str, model: ModelInfo, glossary: TermHook,
          budget: Budget | None) -> tuple[_Plan, dict[int, Failure]]:
    """The direction's segments, protected, and the jobs refused for their size."""
    segs: list[_Segment] = []
    refused: dict[int, Failure] = {}
    for i in idxs:
        job = jobs[i]
        why = budget.over(job) if budget else None  # before splitting: the size alone may refuse it
        sentences = [] if why else [(bi, s, sep) for bi, b in enumerate(job.blocks)
                                    for s, sep in splitter.segments(b.text, src)]
        why = why or (budget.over(job, 1 + len(sentences)) if budget else None)
        if why:
            refused[i] = Failure(FailureKind.OVER_BUDGET, why)
            continue
        head, added = prepare_headline(job.title)
        context = "\n".join([job.title, *(b.text for b in job.blocks)])
        segs.append(_Segment(i, -1, job.title, "", glossary.protect(head, src, tgt, context), added))
        segs.extend(_Segment(i, bi, s, sep, glossary.protect(s, src, tgt, context)) for bi, s, sep in sentences)
    keys = [normalize_source(s.protected.text) for s in segs]
    version_of = {k: s.protected.terms_version or glossary.version for s, k in zip(segs, keys) if k}
    return _Plan(src, tgt, model, segs, keys, version_of), refused


def _with_human(plan: _Plan, memory: TranslationMemory | None) -> _Plan:
    """Sentences an editor translated take the editor's text: neither the
    memory nor the model is asked for them (key "")."""
    if memory is None:
        return plan
    human = memory.human(plan.direction, [s.source for s in plan.segments])
    for i, seg in enumerate(plan.segments):
        seg.human = human.get(normalize_source(seg.source))
        if seg.human is not None:
            plan.keys[i] = ""
    return plan


def _recall(plan: _Plan, memory: TranslationMemory | None, stats: TranslateStats, counter: _Counter) -> _Answers:
    answers = _Answers()
    if memory is not None:
        for version, keys in _by_version(plan.version_of, plan.version_of).items():
            answers.known.update(memory.lookup(plan.model.key, plan.direction, version, keys))
    stats.memory_hits += sum(1 for k in plan.keys if k in answers.known)
    counter.advance(sum(1 for k in plan.keys if k in answers.known or not k))
    return answers


def _call_engine(plan: _Plan, engine: Engine, answers: _Answers, stats: TranslateStats, counter: _Counter,
                 chunk_segments: int, stop: threading.Event | None) -> None:
    todo = sorted({k for k in plan.keys if k and k not in answers.known}, key=len)
    for c in range(0, len(todo), chunk_segments):
        if stop is not None and stop.is_set():
            answers.failed.update(dict.fromkeys(todo[c:], _STOPPED))
            return
        chunk = todo[c : c + chunk_segments]
        _translate_chunk(plan, engine, chunk, answers)
        stats.engine_calls += 1
        down = answers.failed.get(chunk[0])
        if down is not None and down.kind is FailureKind.UNAVAILABLE:
            # Every later call would wait out the same timeouts and retries.
            answers.failed.update(dict.fromkeys(todo[c + chunk_segments:], down))
            return
        stats.model_segments += len(chunk)
        in_chunk = set(chunk)
        counter.advance(sum(1 for k in plan.keys if k in in_chunk))


def _translate_chunk(plan: _Plan, engine: Engine, chunk: list[str], answers: _Answers) -> None:
    try:
        hyps = engine.translate_batch(plan.src, plan.tgt, chunk)
        if len(hyps) != len(chunk):
            raise RuntimeError(f"engine returned {len(hyps)} results for {len(chunk)} sentences")
    except EngineUnavailable as e:
        answers.failed.update(dict.fromkeys(chunk, Failure(FailureKind.UNAVAILABLE, str(e))))
    except Exception as e:  # a broken model must not stop the run
        failure = Failure(FailureKind.ENGINE, f"engine error: {type(e).__name__}: {e}")
        answers.failed.update(dict.fromkeys(chunk, failure))
    else:
        answers.translated.update({k: (h.text, h.score) for k, h in zip(chunk, hyps)})


def _assemble(plan: _Plan, answers: _Answers, glossary: TermHook, stats: TranslateStats
              ) -> tuple[dict[int, _Draft], dict[str, tuple[str, float | None]]]:
    """Each job's draft, and the fresh model outputs that passed the checks
    (what the memory should keep)."""
    drafts: dict[int, _Draft] = {}
    fresh: dict[str, tuple[str, float | None]] = {}
    for seg, key in zip(plan.segments, plan.keys):
        draft = drafts.setdefault(seg.job, _Draft())
        if seg.human is not None:
            draft.human_segments += 1
            draft.place(seg, seg.human)
            continue
        if key in answers.failed:
            draft.failure = draft.failure or answers.failed[key]
            continue
        if not key:
            (raw, score), from_model = ("", None), False
        elif key in answers.known:
            (raw, score), from_model = answers.known[key], False
            draft.memory_hits += 1
        else:
            (raw, score), from_model = answers.translated[key], True
            draft.model_calls += 1
        restored = glossary.restore(raw, seg.protected, plan.src, plan.tgt)
        draft.add(restored)
        text = finish_headline(restored.text, seg.added_stop) if seg.block == -1 else restored.text.strip()
        problem = checks.degenerate(seg.source, text, block=seg.block, score=score,
                                    copies_expected=plan.model.copies) if key else None
        if problem is not None:
            stats.degenerate += 1
            draft.problems.append(problem)
        elif from_model:
            fresh[key] = (raw, score)
        draft.place(seg, text, restored.terms, score if key else None)
    return drafts, fresh


def _remember(plan: _Plan, memory: TranslationMemory | None, fresh: dict[str, tuple[str, float | None]]) -> None:
    if memory is None or not fresh:
        return
    for version, keys in _by_version(fresh, plan.version_of).items():
        memory.store(plan.model.key, plan.direction, version, [(k, *fresh[k]) for k in keys])


def _outcome(job: Job, draft: _Draft, model: ModelInfo, glossary_version: str) -> Outcome:
    if draft.failure is not None and draft.failure.kind in (FailureKind.STOPPED, FailureKind.UNAVAILABLE):
        return Outcome(job, model=model, failure=draft.failure)  # nothing half-translated comes back
    blocks = []
    for bi, b in enumerate(job.blocks):
        parts = draft.parts.get(bi, [])
        blocks.append(Block(b.kind, splitter.join_segments([t for t, _ in parts], [s for _, s in parts])))
    terms = draft.terms
    return Outcome(
        job, title=draft.title, blocks=blocks, model=model, glossary_version=glossary_version,
        problems=draft.problems,
        terms={"total": len(terms), "ok": sum(1 for t in terms if t.get("ok")), "items": terms} if terms else {},
        model_calls=draft.model_calls, memory_hits=draft.memory_hits, needs_review=draft.needs_review,
        failure=draft.failure or _degenerate(draft.problems), segments=draft.segments,
        min_score=draft.min_score, human_segments=draft.human_segments,
    )


def _degenerate(problems: list[Problem]) -> Failure | None:
    bad = [p for p in problems if p.type == DEGENERATE]
    if not bad:
        return None
    return Failure(FailureKind.DEGENERATE, f"degenerate output in {len(bad)} segment(s): " + "; ".join(
        f"{','.join(p.detail['checks'])}: {p.detail['source'][:60]!r}" for p in bad[:3]
    ))
