"""Per-sentence checks for degenerate model output.

Neural models fail in a few recognisable ways: they return nothing, loop
on a phrase ("the police the police the police"), stop early or run on
(a length far from the source's), or hand the source back untranslated.
Any of these in an article makes it a failed translation, never a
published one.

The untranslated-copy check has two guards. It only looks at sentences
with enough words of letters (names, numbers, "Photo: MPS" legitimately
come back unchanged), and it is off for a package that declares itself a
copy model (metadata.json ``"syndicate": {"copy_model": true}``, the test
package from tests/support/copy_model.py), whose every output is a copy
by design; every other check still applies to it.
"""
from __future__ import annotations

import re
import unicodedata

from .problems import DEGENERATE, ERROR, Problem

MIN_RATIO_CHARS = 20  # shorter sources vary too much for a length ratio
MIN_RATIO, MAX_RATIO = 0.35, 3.0
COPY_MIN_WORDS = 4
COPY_MIN_LETTERS = 15

_WORD = re.compile(r"\w+", re.UNICODE)


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFC", s).casefold()
    return " ".join(_WORD.findall(s))


def _max_repeat(words: list[str], n: int) -> int:
    """Longest run of one n-gram repeated back to back."""
    best = 1
    for start in range(n):
        grams = [tuple(words[i : i + n]) for i in range(start, len(words) - n + 1, n)]
        run = 1
        for a, b in zip(grams, grams[1:]):
            run = run + 1 if a == b else 1
            best = max(best, run)
    return best


def repetition(source: str, output: str) -> bool:
    """An n-gram (n = 1..6) looping in the output more than in the source."""
    ow = _norm(output).split()
    sw = _norm(source).split()
    for n in range(1, 7):
        limit = 4 if n == 1 else 3
        r = _max_repeat(ow, n)
        if r >= limit and r > _max_repeat(sw, n):
            return True
    return False


def check(source: str, output: str, *, copies_expected: bool = False) -> list[str]:
    """Names of the checks ``output`` fails as a translation of ``source``."""
    failed: list[str] = []
    has_content = any(ch.isalnum() for ch in source)
    if not output.strip():
        return ["empty"] if has_content else []
    if repetition(source, output):
        failed.append("repetition")
    src_len = len(source.strip())
    if src_len >= MIN_RATIO_CHARS:
        ratio = len(output.strip()) / src_len
        if not MIN_RATIO <= ratio <= MAX_RATIO:
            failed.append("length_ratio")
    if not copies_expected:
        ns = _norm(source)
        words = [w for w in ns.split() if any(ch.isalpha() for ch in w)]
        letters = sum(ch.isalpha() for ch in ns)
        if len(words) >= COPY_MIN_WORDS and letters >= COPY_MIN_LETTERS and _norm(output) == ns:
            failed.append("untranslated")
    return failed


def degenerate(source: str, output: str, *, block: int, score: float | None,
               copies_expected: bool = False) -> Problem | None:
    """The problem that fails a translation whose sentence ``output`` is
    degenerate, or None when it passes every check. block -1 is the title."""
    failed = check(source, output, copies_expected=copies_expected)
    if not failed:
        return None
    return Problem(DEGENERATE, ERROR, "", {
        "checks": failed, "block": block, "source": source, "output": output, "score": score,
    })
