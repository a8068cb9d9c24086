"""What a real model does to glossary placeholders, headlines and the
output checks: the measurement behind bench/real_model.py and the test
that pins it (tests/translate/test_real_model.py).

The English fixture articles (tests/glossary/testdata/*_en.txt) go through
translate_jobs with the real glossary and a real engine, exactly as a run
sends them; the engine is wrapped to keep each raw output, so every
placeholder sent can be followed: back exactly once as written, back once
in a form restore() still accepts (spaced, lower case), lost (restore puts
the term back by position and flags the sentence), or duplicated (restore
keeps the first). Every output is also put through the output checks with
the untranslated-copy check on.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from syndicate.glossary.enforce import Glossary
from syndicate.text.portal import parse_portal_text
from syndicate.translate import Job, translate_jobs
from syndicate.translate import checks, splitter
from syndicate.translate.driver import finish_headline, prepare_headline
from syndicate.translate.memory import normalize_source
from syndicate.translate.problems import DEGENERATE, TERM_DUPLICATED, TERM_LOST, TERM_MISSING

TESTDATA = Path(__file__).resolve().parents[1] / "glossary" / "testdata"


@dataclass
class Counts:
    segments: int = 0
    sent: int = 0  # placeholders sent to the model
    exact: int = 0  # back once, exactly as written
    varied: int = 0  # back once, spaced or in another case: restore() accepts it
    lost: int = 0  # restore() put the term back by position and flagged the sentence
    duplicated: int = 0  # restore() kept the first copy and flagged the sentence
    missing: int = 0  # a term's target absent from the final text (after any fallback)
    moved: int = 0  # back exactly, but more than a quarter of the sentence away from where it was sent
    reordered: int = 0  # segments whose placeholders came back in another order
    checks: Counter = field(default_factory=Counter)  # output check -> segments it fired on

    @property
    def survival(self) -> float:
        """Placeholders back exactly once, in any form restore() accepts."""
        return (self.exact + self.varied) / self.sent if self.sent else 1.0


@dataclass
class Measurement:
    engine: str
    articles: int
    body: Counts = field(default_factory=Counts)
    headlines: Counts = field(default_factory=Counts)
    headline_stop_kept: int = 0  # headlines whose added full stop came back (and was taken off)
    failed_articles: int = 0  # failed by the output checks (degenerate)
    review_articles: int = 0
    examples: list[tuple[str, str, str]] = field(default_factory=list)  # (what, sent, raw output)
    raw: dict[str, str] = field(default_factory=dict)  # every segment sent -> the model's raw output

    @property
    def total(self) -> Counts:
        t = Counts()
        for c in (self.body, self.headlines):
            for f in ("segments", "sent", "exact", "varied", "lost", "duplicated", "missing"):
                setattr(t, f, getattr(t, f) + getattr(c, f))
            t.checks.update(c.checks)
        return t


class Recording:
    """An engine that keeps every raw output, keyed by what was sent."""

    def __init__(self, engine):
        self.engine, self.name, self.raw = engine, engine.name, {}

    def model(self, src, tgt):
        return self.engine.model(src, tgt)

    def translate_batch(self, src, tgt, sentences):
        hyps = self.engine.translate_batch(src, tgt, sentences)
        self.raw.update({s: h.text for s, h in zip(sentences, hyps)})
        return hyps


def fixture_jobs(src: str = "en", tgt: str = "vi") -> list[Job]:
    jobs = []
    for p in sorted(TESTDATA.glob(f"*_{src}.txt")):
        a = parse_portal_text(p.read_text(encoding="utf-8"), source="fixtures", language=src, origin=str(p))
        jobs.append(Job(p.stem, p.stem, src, tgt, a.title, a.blocks))
    return jobs


def measure(engine, glossary: Glossary, src: str = "en", tgt: str = "vi", jobs: list[Job] | None = None
            ) -> Measurement:
    """The fixture articles (or ``jobs``) through translate_jobs, followed segment by segment."""
    jobs = jobs if jobs is not None else fixture_jobs(src, tgt)
    rec = Recording(engine)
    outs = translate_jobs(jobs, rec, glossary)
    m = Measurement(engine.name, len(jobs))
    m.raw = rec.raw
    m.failed_articles = sum(1 for o in outs if any(p.type == DEGENERATE for p in o.problems))
    m.review_articles = sum(1 for o in outs if o.needs_review)
    for job in jobs:
        head, added = prepare_headline(job.title)
        _follow(m, m.headlines, glossary, rec, job.title, head, src, tgt, added)
        for b in job.blocks:
            for s, _ in splitter.segments(b.text, src):
                _follow(m, m.body, glossary, rec, s, s, src, tgt, None)
    return m


def _follow(m: Measurement, c: Counts, glossary: Glossary, rec: Recording, source: str, sent: str,
            src: str, tgt: str, headline_stop: bool | None) -> None:
    """One segment: its placeholders, its restore, its output checks."""
    protected = glossary.protect(sent, src, tgt)
    raw = rec.raw.get(normalize_source(protected.text), "")
    restored = glossary.restore(raw, protected, src, tgt)
    c.segments += 1
    kinds = Counter(p.type for p in restored.problems)
    spans = protected.state.spans if protected.state else []
    exact = sum(1 for sp in spans if len(re.findall(rf"\b{sp.id}\b", raw)) == 1)
    c.sent += len(spans)
    c.lost += kinds[TERM_LOST]
    c.duplicated += kinds[TERM_DUPLICATED]
    c.missing += kinds[TERM_MISSING]
    c.exact += exact
    _placement(c, [sp.id for sp in spans], protected.text, raw)
    c.varied += len(spans) - kinds[TERM_LOST] - kinds[TERM_DUPLICATED] - exact
    if kinds[TERM_LOST] or kinds[TERM_DUPLICATED]:
        what = "lost" if kinds[TERM_LOST] else "duplicated"
        m.examples.append((what, protected.text, raw))
    text = restored.text.strip()
    if headline_stop is not None:
        if headline_stop and raw.rstrip().endswith("."):
            m.headline_stop_kept += 1
        text = finish_headline(restored.text, bool(headline_stop))
    c.checks.update(checks.check(source, text, copies_expected=False))


def _placement(c: Counts, ids: list[str], sent: str, raw: str) -> None:
    """Where the placeholders that came back once landed, relative to the
    sentence length (word order legitimately moves them a little)."""
    at = {}
    for pid in ids:
        hits_in = [m.start() for m in re.finditer(rf"\b{pid}\b", sent)]
        hits_out = [m.start() for m in re.finditer(rf"\b{pid}\b", raw)]
        if len(hits_in) == 1 and len(hits_out) == 1:
            at[pid] = hits_out[0]
            if abs(hits_in[0] / max(len(sent), 1) - hits_out[0] / max(len(raw), 1)) > 0.25:
                c.moved += 1
    if list(at) != sorted(at, key=at.get):
        c.reordered += 1


def round_trip(engine, raw_outputs: list[str], src: str = "pt", tgt: str = "en") -> Counts:
    """Placeholders in the en->pt outputs, sent on through the pt->en model:
    how a second real model (another vocabulary, another language) treats
    them. Counted by the ids alone: there is no pt glossary to restore."""
    c = Counts()
    texts = [t for t in raw_outputs if re.search(r"\b[A-Z]{4}\b", t)]
    hyps = engine.translate_batch(src, tgt, texts)
    for text, h in zip(texts, hyps):
        c.segments += 1
        for pid in set(re.findall(r"\b(?:ZQ|QX|XZ|JQ|QJ)[A-Z]{2}\b", text)):
            n_in = len(re.findall(rf"\b{pid}\b", text))
            n_out = len(re.findall(rf"\b{pid}\b", h.text))
            loose = len(re.findall(r"\s?".join(pid), h.text, re.IGNORECASE))
            c.sent += n_in
            c.exact += min(n_in, n_out)
            c.varied += max(0, min(n_in, loose) - min(n_in, n_out))
            c.lost += max(0, n_in - max(n_out, loose))
            c.duplicated += max(0, max(n_out, loose) - n_in)
    return c
