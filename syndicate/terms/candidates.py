"""Mining stored articles for capitalized phrases no glossary entry covers:
titles, names and places a maintainer should add."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .glossary import Glossary
from .vi import normalize

# "Ministry of Public Security": capitalized words, joined by a few lower-case
# connectors. Vietnamese proper names capitalize every syllable.
_CAP = r"[^\W\d_][^\W_]*"
_EN_PHRASE = re.compile(rf"\b(?:[A-Z]{_CAP}|[A-Z]+)(?:(?:\s+(?:of|the|and|for|on|in|de))*\s+(?:[A-Z]{_CAP}|[A-Z]{{2,}}))+")
_VI_PHRASE = re.compile(rf"(?<!\w)(?:[A-ZĐÀ-Ỹ]{_CAP})(?:\s+[A-ZĐÀ-Ỹ]{_CAP})+")
_LEADING = re.compile(r"^(?:The|A|An|In|On|At|By|For|Of|And|But|Meanwhile|According|Speaking|Regarding)\s+")
_SENT = re.compile(r"(?<=[.!?])\s+")


@dataclass
class Candidate:
    phrase: str
    lang: str
    count: int
    example: str


def _phrases(text: str, lang: str) -> list[str]:
    rx = _EN_PHRASE if lang == "en" else _VI_PHRASE
    out = []
    for m in rx.finditer(text):
        p = m.group()
        while True:
            stripped = _LEADING.sub("", p)
            if stripped == p:
                break
            p = stripped
        p = re.sub(r"(?:\s+(?:of|the|and|for|on|in|de))+$", "", p)
        if len(p.split()) >= 2:
            out.append(p)
    return out


def mine(articles, glossary: Glossary, limit: int = 50, min_count: int = 1) -> list[Candidate]:
    counts: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], str] = {}
    for a in articles:
        lang = a.language
        tgt = "vi" if lang == "en" else "en"
        texts = [a.title] + [b.text for b in a.blocks]
        for text in texts:
            text = normalize(text)
            for sentence in _SENT.split(text):
                for p in _phrases(sentence, lang):
                    if _covered(glossary, p, lang, tgt):
                        continue
                    k = (lang, p)
                    counts[k] += 1
                    examples.setdefault(k, sentence)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][1]))
    return [Candidate(p, lang, n, examples[(lang, p)]) for (lang, p), n in ranked if n >= min_count][:limit]


def _covered(glossary: Glossary, phrase: str, src: str, tgt: str) -> bool:
    """Every word of the phrase lies inside some glossary match."""
    matches = [m for m in glossary.find(phrase, src, tgt) if m.entry is not None]
    covered = [False] * len(phrase)
    for m in matches:
        for i in range(m.start, m.end):
            covered[i] = True
    return all(covered[w.start()] for w in re.finditer(r"\w+", phrase)
               if w.group() not in ("of", "the", "and", "for", "on", "in", "de"))
