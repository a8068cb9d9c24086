"""Term accuracy in the style of the WMT terminology task: of the source
terms the glossary says must be translated a given way, the share whose
required target form appears in the output.

Counting is per occurrence: a term found twice in the source needs its
target twice in the output. The same count is taken on a reference
translation (does the glossary agree with how people translate these
articles?) and on the output of the model without the glossary (what the
enforcement adds).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..article import Article
from ..translate.driver import Job, translate_jobs
from ..translate.hook import NoGlossary
from ..translate.problems import REVIEW
from .enforce import Glossary
from ..text.vietnamese import normalize


@dataclass
class Score:
    direction: str
    articles: int = 0
    segments: int = 0
    terms: int = 0
    hits: int = 0
    baseline_hits: int = 0
    reference_hits: int = 0
    reference_terms: int = 0
    review: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # article, source, target
    reference_misses: list[tuple[str, str]] = field(default_factory=list)  # article, target

    @staticmethod
    def pct(n: int, d: int) -> str:
        return f"{100.0 * n / d:.1f}%" if d else "n/a"


def _text(title: str, blocks) -> str:
    return "\n".join([title, *(b.text for b in blocks)])


def required_terms(glossary: Glossary, article: Article, src: str, tgt: str) -> Counter:
    """Target forms the glossary requires, with how often. Names the
    glossary lacks in English (kept as written) are candidates, not terms."""
    need: Counter = Counter()
    for seg in [article.title, *(b.text for b in article.blocks)]:
        for m in glossary.find(seg, src, tgt):
            if not m.candidate:
                need[(m.source, m.target)] += 1
    return need


def _hits(need: Counter, text: str) -> tuple[int, list[tuple[str, str]]]:
    folded = text.casefold()
    by_target: Counter = Counter()
    for (_, tgt), n in need.items():
        by_target[tgt] += n
    hits, missed = 0, []
    for tgt, n in by_target.items():
        found = folded.count(tgt.casefold())
        hits += min(n, found)
        if found < n:
            missed.extend([("", tgt)] * (n - found))
    return hits, missed


def score(pairs: list[tuple[Article, Article | None]], glossary: Glossary, engine, src: str, tgt: str) -> Score:
    s = Score(f"{src}->{tgt}")
    jobs = [Job(a.id, a.content_hash(), src, tgt, a.title, a.blocks) for a, _ in pairs]
    with_g = translate_jobs(jobs, engine, glossary)
    without = translate_jobs(jobs, engine, NoGlossary())
    for (a, ref), og, ob in zip(pairs, with_g, without):
        if not og.ok:
            raise RuntimeError(f"{a.title!r}: {og.error}")
        need = required_terms(glossary, a, src, tgt)
        s.articles += 1
        s.segments += 1 + len(a.blocks)
        s.terms += sum(need.values())
        h, missed = _hits(need, _text(og.title, og.blocks))
        s.hits += h
        s.misses.extend((a.title, "", t) for _, t in missed)
        s.baseline_hits += _hits(need, _text(ob.title, ob.blocks))[0]
        s.review += sum(1 for p in og.problems if p.severity == REVIEW)
        if ref is not None:
            s.reference_terms += sum(need.values())
            rh, rmissed = _hits(need, _text(ref.title, ref.blocks))
            s.reference_hits += rh
            s.reference_misses.extend((a.title, t) for _, t in rmissed)
    return s


# --- An evaluation set with its own term lists --------------------------------
#
# score() above counts the terms the glossary itself finds, so it cannot see
# a term the glossary misses. The evaluation set (tests/glossary/eval) lists
# what a human says each article must carry, so a miss counts as one.


@dataclass(frozen=True)
class RequiredTerm:
    category: str
    source: str
    targets: tuple[str, ...]  # any of these forms counts


@dataclass
class CategoryScore:
    terms: int = 0
    hits: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # article, source, target


@dataclass
class EvalScore:
    direction: str
    articles: int = 0
    review: int = 0
    categories: dict[str, CategoryScore] = field(default_factory=dict)
    candidates: int = 0  # unknown names kept as written and listed as candidates
    unknown: int = 0

    @property
    def terms(self) -> int:
        return sum(c.terms for c in self.categories.values())

    @property
    def hits(self) -> int:
        return sum(c.hits for c in self.categories.values())


def _count(text: str, forms: tuple[str, ...]) -> int:
    folded = normalize(text).casefold()
    return sum(folded.count(normalize(f).casefold()) for f in forms)


def score_listed(items: list[tuple[str, Article, Article, list[RequiredTerm], list[str]]],
                 glossary: Glossary, engine, src: str, tgt: str) -> EvalScore:
    """items: (name, source article, reference translation, required terms,
    unknown names). A term is needed as many times as the reference carries it."""
    s = EvalScore(f"{src}->{tgt}")
    jobs = [Job(a.id, a.content_hash(), src, tgt, a.title, a.blocks) for _, a, *_ in items]
    for (name, a, ref, terms, unknown), out in zip(items, translate_jobs(jobs, engine, glossary)):
        if not out.ok:
            raise RuntimeError(f"{a.title!r}: {out.error}")
        s.articles += 1
        s.review += sum(1 for p in out.problems if p.severity == REVIEW)
        text, ref_text = _text(out.title, out.blocks), _text(ref.title, ref.blocks)
        for t in terms:
            need = _count(ref_text, t.targets)
            got = min(need, _count(text, t.targets))
            c = s.categories.setdefault(t.category, CategoryScore())
            c.terms += need
            c.hits += got
            if got < need:
                c.misses.append((name, t.source, " | ".join(t.targets)))
        flagged = {r["source"] for r in out.terms.get("items", []) if r.get("candidate")}
        s.unknown += len(unknown)
        s.candidates += sum(1 for n in unknown if n in flagged and n in text)
    return s
