"""The translation seam: one engine interface, one glossary hook, and the
article-level driver that batches every pending sentence of a run.

Engines only turn lists of sentences into lists of hypotheses. Everything
article-shaped (splitting, the glossary, the translation memory, checking
the output, reassembling paragraphs) happens here, once, for every engine.
"""
from __future__ import annotations

import threading

from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from ..article import Block


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


# --- glossary hook ------------------------------------------------------------


@dataclass
class Protected:
    """A sentence with its glossary terms replaced by placeholders.

    ``terms_version`` is the glossary's version as it applies to this
    sentence: it changes only when an edit changes what the sentence
    matches. The translation memory is keyed on it rather than on the
    whole glossary's version, so after a glossary edit only the sentences
    it touches go back to the model. "" means "use the glossary's version".
    """

    text: str
    state: Any = None
    terms_version: str = ""


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
    # Segments (title + sentences) of this job that the model translated in
    # this call; the rest came from the translation memory (memory_hits).
    # Summed over outcomes, 0 means the run made no model calls.
    model_calls: int = 0
    memory_hits: int = 0
    needs_review: bool = False
    # Not attempted because a stop was requested: neither done nor failed,
    # the work stays pending for the next cycle.
    stopped: bool = False


# --- the driver ---------------------------------------------------------------

Progress = Callable[[int, int], None]


def _by_version(keys, version_of: dict[str, str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for k in keys:
        groups.setdefault(version_of[k], []).append(k)
    return groups

_STOPPED = "stopped before this article was translated"

# Segments per engine call. The engine batches each call by tokens; calls of
# a few hundred sentences keep batches full and let progress move steadily.
CHUNK_SEGMENTS = 256
_TERMINAL = (".", "!", "?", "…", ".\"", ".”", "?”", "!”", "?\"", "!\"")


def split_sentences(text: str, lang: str) -> list[str]:
    from .splitter import split_sentences as split

    return split(text, lang)


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


@dataclass
class TranslateStats:
    segments: int = 0  # titles + sentences considered
    memory_hits: int = 0
    model_segments: int = 0  # segments the model translated (after de-duplication)
    engine_calls: int = 0
    degenerate: int = 0


@dataclass
class _Unit:
    job: int
    block: int  # -1 for the title
    source: str
    sep: str
    protected: Protected
    added_stop: bool = False


def _as_memory(memory: Any) -> Any:
    if memory is None or hasattr(memory, "lookup"):
        return memory
    from .memory import TranslationMemory

    return TranslationMemory(memory)  # a Store or a sqlite3 connection


def translate_jobs(
    jobs: list[Job],
    engine: Engine,
    glossary: TermHook | None = None,
    memory: Any = None,
    progress: Progress | None = None,
    *,
    stats: TranslateStats | None = None,
    chunk_segments: int = CHUNK_SEGMENTS,
    stop: threading.Event | None = None,
) -> list[Outcome]:
    """Translate whole articles.

    Per direction: split every block into sentences, protect glossary terms,
    take what the translation memory already holds, send each remaining
    distinct segment once to the engine in length-sorted chunks (calling
    ``progress(done, total)`` as each chunk completes), restore terms, check
    every output, and reassemble the paragraphs with their line structure.
    An article with a degenerate sentence or an engine error is ok=False
    with its problems listed; good model outputs go into the memory.
    ``stop`` is checked before each engine call, since one call can take
    seconds with a real model: articles not finished then come back
    ``stopped``, while the sentences already translated are remembered.
    Outcomes come back in the order of ``jobs``.
    """
    from . import checks
    from .memory import normalize_source
    from .splitter import join_segments, segments

    glossary = glossary or NoGlossary()
    memory = _as_memory(memory)
    stats = stats if stats is not None else TranslateStats()
    results: dict[int, Outcome] = {}

    by_dir: dict[tuple[str, str], list[int]] = {}
    for i, j in enumerate(jobs):
        by_dir.setdefault((j.src, j.tgt), []).append(i)

    plans: list[tuple[str, str, ModelInfo, list[_Unit]]] = []
    for (src, tgt), idxs in by_dir.items():
        info = engine.model(src, tgt)
        if info is None:
            for i in idxs:
                results[i] = Outcome(jobs[i], ok=False, error=INSTALL_HINT.format(src=src, tgt=tgt))
            continue
        units: list[_Unit] = []
        for i in idxs:
            j = jobs[i]
            head, added = prepare_headline(j.title)
            units.append(_Unit(i, -1, j.title, "", glossary.protect(head, src, tgt), added))
            for bi, b in enumerate(j.blocks):
                for s, sep in segments(b.text, src):
                    units.append(_Unit(i, bi, s, sep, glossary.protect(s, src, tgt)))
        plans.append((src, tgt, info, units))

    total = sum(len(u) for *_, u in plans)
    done = 0
    for src, tgt, info, units in plans:
        direction = f"{src}-{tgt}"
        keys = [normalize_source(u.protected.text) for u in units]
        stats.segments += len(units)
        version_of = {k: u.protected.terms_version or glossary.version for u, k in zip(units, keys) if k}
        known: dict[str, tuple[str, float | None]] = {}
        if memory is not None:
            for version, ks in _by_version(version_of, version_of).items():
                known.update(memory.lookup(info.key, direction, version, ks))
        translated: dict[str, tuple[str, float | None]] = {}
        errors: dict[str, str] = {}
        todo = sorted({k for k in keys if k and k not in known}, key=len)
        n_hits = sum(1 for k in keys if k in known or not k)
        stats.memory_hits += sum(1 for k in keys if k in known)
        done += n_hits
        if progress and n_hits:
            progress(done, total)
        for c in range(0, len(todo), chunk_segments):
            if stop is not None and stop.is_set():
                for k in todo[c:]:
                    errors[k] = _STOPPED
                break
            chunk = todo[c : c + chunk_segments]
            try:
                hyps = engine.translate_batch(src, tgt, chunk)
                if len(hyps) != len(chunk):
                    raise RuntimeError(f"engine returned {len(hyps)} results for {len(chunk)} sentences")
            except Exception as e:  # a broken model must not stop the run
                for k in chunk:
                    errors[k] = f"engine error: {type(e).__name__}: {e}"
            else:
                for k, h in zip(chunk, hyps):
                    translated[k] = (h.text, h.score)
            stats.engine_calls += 1
            stats.model_segments += len(chunk)
            in_chunk = set(chunk)
            done += sum(1 for k in keys if k in in_chunk)
            if progress:
                progress(done, total)

        per_job: dict[int, dict[str, Any]] = {}
        to_remember: dict[str, tuple[str, float | None]] = {}
        for u, k in zip(units, keys):
            acc = per_job.setdefault(
                u.job, {"title": "", "blocks": {}, "problems": [], "terms": [], "error": None,
                        "model": 0, "hits": 0, "review": False},
            )
            if not k:
                raw, score, fresh = "", None, False
            elif k in errors:
                acc["error"] = acc["error"] or errors[k]
                continue
            elif k in known:
                (raw, score), fresh = known[k], False
                acc["hits"] += 1
            else:
                (raw, score), fresh = translated[k], True
                acc["model"] += 1
            r = glossary.restore(raw, u.protected, src, tgt)
            text = finish_headline(r.text, u.added_stop) if u.block == -1 else r.text.strip()
            acc["problems"].extend(r.problems)
            acc["terms"].extend(r.terms)
            acc["review"] = acc["review"] or r.needs_review
            failed = checks.check(u.source, text, copies_expected=info.copies) if k else []
            if failed:
                stats.degenerate += 1
                acc["problems"].append({
                    "kind": "degenerate", "checks": failed, "block": u.block,
                    "source": u.source, "output": text, "score": score,
                })
            elif fresh:
                to_remember[k] = (raw, score)
            if u.block == -1:
                acc["title"] = text
            else:
                acc["blocks"].setdefault(u.block, []).append((text, u.sep))
        if memory is not None and to_remember:
            for version, ks in _by_version(to_remember, version_of).items():
                memory.store(info.key, direction, version, [(k, *to_remember[k]) for k in ks])

        for i in sorted(per_job):
            j, acc = jobs[i], per_job[i]
            blocks = []
            for bi, b in enumerate(j.blocks):
                parts = acc["blocks"].get(bi, [])
                blocks.append(Block(b.kind, join_segments([t for t, _ in parts], [s for _, s in parts])))
            degenerate = [p for p in acc["problems"] if p.get("kind") == "degenerate"]
            error = acc["error"]
            if error is None and degenerate:
                error = f"degenerate output in {len(degenerate)} segment(s): " + "; ".join(
                    f"{','.join(p['checks'])}: {p['source'][:60]!r}" for p in degenerate[:3]
                )
            terms = acc["terms"]
            ok_terms = sum(1 for t in terms if t.get("ok"))
            if error == _STOPPED:
                results[i] = Outcome(j, ok=False, model=info, error=_STOPPED, stopped=True)
                continue
            results[i] = Outcome(
                j, ok=error is None, title=acc["title"], blocks=blocks, model=info,
                glossary_version=glossary.version, problems=acc["problems"],
                terms={"total": len(terms), "ok": ok_terms, "items": terms} if terms else {},
                error=error, model_calls=acc["model"], memory_hits=acc["hits"], needs_review=acc["review"],
            )
    return [results[i] for i in range(len(jobs))]
