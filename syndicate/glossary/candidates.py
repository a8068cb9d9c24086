"""Mining stored articles for capitalized phrases no glossary entry covers:
titles, names and places a maintainer should add.

A candidate is a run of capitalized words (English may join them with
"of", "the", "and", "for": "Department of Foreign Affairs") in which no
word lies inside a glossary match. What the glossary covers is cut out, so
"Colonel Dinh Van Khoa" yields "Dinh Van Khoa". A sentence's first word
counts as capitalized only if the articles never write it in lower case
("Representatives of ..." is not a name; "Nguyen ..." is).

edited_renderings adds what editors changed: a term whose rendering an
editor rewrote in a review edit is proposed with the editor's wording.
"""
from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass

from .enforce import Glossary
from ..text.vietnamese import normalize

_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_SENT = re.compile(r"(?<=[.!?…])[\"”’)]*\s+")
CONNECTORS = {"en": {"of", "the", "and", "for", "on", "in"}, "vi": set()}
# Capitalized but never part of a name: dates and days.
_CALENDAR = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "Tháng", "Thứ", "Chủ", "Nhật",
}


# Words that open sentences or stand before a name but never start one
# (inside a run they may: "Trần Đức Anh"). The lower-case test above needs the word to appear in lower case
# somewhere in the store, which a small store may not show ("Theo Cục, ...").
_NEVER_NAME = {
    "en": {"According", "After", "Before", "During", "In", "On", "At", "The", "This", "That", "These",
           "Those", "Mr", "Mrs", "Ms", "Dr", "Speaking", "Meanwhile", "However"},
    "vi": {"Theo", "Trong", "Tại", "Sau", "Trước", "Khi", "Nhưng", "Tuy", "Vì", "Đây", "Đó", "Các", "Những",
           "Cùng", "Ngoài", "Hiện", "Với", "Để", "Từ", "Đến", "Qua", "Về", "Do", "Nếu", "Ông", "Anh", "Chị"},
}


@dataclass
class Candidate:
    phrase: str
    lang: str
    count: int
    example: str


def _is_cap(tok: str) -> bool:
    return tok[0].isupper() and tok not in _CALENDAR


def _runs(sentence: str, lang: str, lower_vocab: set[str], covered: list[bool]) -> list[str]:
    toks = list(_TOKEN.finditer(sentence))
    out: list[str] = []
    run: list[re.Match] = []

    def flush() -> None:
        while run and not _is_cap(run[-1].group()):
            run.pop()
        if sum(1 for t in run if _is_cap(t.group())) >= 2:
            out.append(sentence[run[0].start():run[-1].end()])
        run.clear()

    for i, t in enumerate(toks):
        w = t.group()
        gap = sentence[run[-1].end():t.start()] if run else ""
        if run and not re.fullmatch(r"\s+", gap):
            flush()
        inside = covered[t.start()]
        first = i == 0 or not sentence[:t.start()].strip(" “\"'‘(")
        cap = _is_cap(w) and not (first and w.lower() in lower_vocab) and not (not run and w in _NEVER_NAME[lang])
        if not inside and cap:
            run.append(t)
        elif not inside and run and w in CONNECTORS[lang]:
            run.append(t)
        else:
            flush()
    flush()
    return out


def mine(articles, glossary: Glossary, limit: int = 50, min_count: int = 1) -> list[Candidate]:
    texts: list[tuple[str, str]] = []
    for a in articles:
        for text in [a.title] + [b.text for b in a.blocks]:
            texts.append((a.language, normalize(text)))
    lower_vocab = {w for _, t in texts for w in _TOKEN.findall(t) if w.islower()}
    counts: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], str] = {}
    for lang, text in texts:
        tgt = "vi" if lang == "en" else "en"
        for sentence in _SENT.split(text):
            if not sentence.strip():
                continue
            covered = [False] * (len(sentence) + 1)
            for m in glossary.find(sentence, lang, tgt):
                if m.entry is None:
                    continue  # a name found after a rank is not in the glossary: still a candidate
                for i in range(m.start, m.end):
                    covered[i] = True
            for p in _runs(sentence, lang, lower_vocab, covered):
                k = (lang, p)
                counts[k] += 1
                examples.setdefault(k, sentence)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][1]))
    return [Candidate(p, lang, n, examples[(lang, p)]) for (lang, p), n in ranked if n >= min_count][:limit]


# --- renderings editors changed -------------------------------------------------------
# An editor who rewrites how a term came out ("Cục Cảnh sát giao thông" ->
# "Phòng Cảnh sát giao thông") is telling the glossary something: each such
# change is proposed, with the edited sentence as its example, for a
# terminologist to accept (glossary add) or not.


@dataclass
class Rendering:
    source: str  # the term in the source sentence
    before: str  # how it was rendered (the glossary's target, or the name as written)
    after: str  # what the editor wrote in its place
    direction: str  # "en-vi" or "vi-en"
    article_id: str
    by: str
    example: str  # the edited sentence


def _replacement(before: str, after: str, term: str) -> str | None:
    """What replaced `term` of `before` in `after`, by a word-level diff."""
    at = before.find(term)
    if at < 0:
        return None
    words = before.split()
    # Word indexes the term spans in `before`.
    start = len(before[:at].split())
    end = start + len(term.split())
    new_words = after.split()
    picked: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, words, new_words, autojunk=False).get_opcodes():
        touches = i1 < end and i2 > start or (i1 == i2 and start < i1 < end)
        if touches:
            # Keep the part of an unchanged run that lies inside the term.
            lo, hi = (max(i1, start), min(i2, end)) if op == "equal" else (i1, i2)
            picked.extend(new_words[j1 + (lo - i1): j1 + (hi - i1)] if op == "equal" else new_words[j1:j2])
    out = " ".join(picked).strip(" ,.;:")
    return out if out and out != term else None


def edited_renderings(edits: list[dict]) -> list[Rendering]:
    """Proposals from the review history (store.review_edits()): every term
    whose rendering an editor changed, oldest first, one per distinct change."""
    seen: set[tuple[str, str, str]] = set()
    out: list[Rendering] = []
    for e in edits:
        detail = e.get("detail") or {}
        for c in detail.get("changes", []):
            for term in c.get("terms", []):
                target = term.get("target") or ""
                if not target or target not in c["before"] or target in c["after"]:
                    continue
                new = _replacement(c["before"], c["after"], target)
                key = (term.get("source", ""), target, new or "")
                if new and key not in seen:
                    seen.add(key)
                    out.append(Rendering(term.get("source", ""), target, new, detail.get("direction", ""),
                                         e["article_id"], e["by"], c["after"]))
    return out
