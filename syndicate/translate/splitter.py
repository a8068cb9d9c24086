"""Sentence splitting for English and Vietnamese news text, with no model
and no downloads (argostranslate's default splitter fetches one at run time).

A boundary is sentence-final punctuation (. ! ? … or ...), then optional
closing quotes or brackets, then whitespace, then something that can start
a sentence: an uppercase letter, a digit, or an opening quote or bracket.
A boundary is cancelled when the word before a period is an abbreviation
that introduces what follows (Gen., Lt., Col., No., Mr., TP., ThS.) or an
initial ("J. Smith"). Abbreviations that can also end a sentence (U.S.,
Inc., a.m.) split only before a word that usually starts one ("The").

Numbers need no rule: "3.489", "3,489" and "1.000.000 đồng" have no space
after the separator, and a boundary needs whitespace.

Line breaks are hard boundaries and are kept: ``segments`` returns each
sentence with the whitespace that followed it, so ``join_segments`` puts a
translated paragraph back together with its original line structure.

Splitting is linear in the length of the text (``Steps`` counts the work;
bench/splitter.py times it): text from outside, such as a line of a
million "!", must not hold a cycle.
"""
from __future__ import annotations

import re

# Abbreviations that never end a sentence: what follows belongs to them.
# Compared case-sensitively ("No. 5" is an abbreviation, "no." is not).
_TITLES_EN = {
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Lt", "Col", "Maj", "Capt", "Cpt", "Sgt", "Cpl",
    "Pvt", "Adm", "Brig", "Cmdr", "Lieut", "Rev", "Hon", "Sen", "Rep", "Gov", "Pres", "Supt",
    "Insp", "St", "Mt", "Ft", "No", "Nos", "Vol", "Art", "Fig", "Para", "Sec", "Ch", "Ref",
    "approx", "vs", "cf", "e.g", "i.e", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug",
    "Sep", "Sept", "Oct", "Nov", "Dec", "Dept", "Assoc", "Est", "Tel", "ext", "p", "pp",
}
_TITLES_VI = {
    "TP", "Tp", "ThS", "Ths", "TS", "PGS", "GS", "BS", "KS", "CN", "NSƯT", "NSND", "TTƯT", "NGND", "NGƯT",
    "BSCKI", "BSCKII", "Q", "P",
    "Th", "Đ/c", "đ/c", "Tr", "tr", "TX", "Tx",
}
_TITLES = _TITLES_EN | _TITLES_VI
# Abbreviations that may end a sentence too.
_ENDINGS = {"U.S", "U.K", "U.N", "E.U", "Inc", "Ltd", "Co", "Corp", "Jr", "Sr", "etc", "a.m", "p.m", "A.M", "P.M"}
# Words that usually open a sentence; after an _ENDINGS abbreviation they mean a boundary.
_STARTERS = {
    "The", "A", "An", "In", "On", "At", "He", "She", "It", "They", "We", "I", "This", "That",
    "These", "Those", "There", "His", "Her", "Its", "Their", "Our", "But", "And", "However",
    "Meanwhile", "According", "After", "Before", "During", "When", "While", "As", "Also",
    "Earlier", "Later", "Last", "Next", "Police", "Officers", "Authorities",
    # Vietnamese
    "Theo", "Trong", "Tại", "Sau", "Trước", "Ông", "Bà", "Anh", "Chị", "Đây", "Đó", "Hiện",
    "Cùng", "Ngoài", "Các", "Những", "Lực", "Cơ", "Người", "Khi", "Nhưng", "Tuy", "Vì",
}

_OPEN = "\"“‘'(\\[«"
_CLOSE = "\"”’')\\]»"

# A candidate boundary: a run of end punctuation, closers, whitespace, then
# any openers before the next word (whether it starts with a capital or a
# digit, Python decides: str.isupper knows more capitals than a class).
# The run must start the run (the lookbehind) and every quantifier is
# possessive, so the pattern never backtracks: trying it at a position costs
# one step, or reads what a match would consume, once. A search from `pos`
# thus costs the characters up to its match's end, which is what Steps
# counts for it. (The old pattern backtracked through every punctuation run
# at every start, and the rest of the line was copied at every candidate:
# 40,000 "!" took 23 s.)
_CANDIDATE = re.compile(
    r"(?<![.!?…])([.!?…]++)[" + _CLOSE + r"]*+(\s++)[" + _OPEN + r"]*+(?=\S)"
)
_NEXT_WORD = re.compile(r"[" + _OPEN + r"]*(\S+)")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_INITIAL_NEXT = re.compile(r"[^\W\d_]\.")
_LIST_MARK = re.compile(r"\d{1,3}|[IVXLC]{1,7}|[a-zđ]")
_NEWLINES = re.compile(r"(\n+)")


class Steps:
    """Characters the splitter examined, summed over every scan, slice and
    match it made. The splitter is linear: this stays within a small
    constant times the length of the text, whatever the text (the tests
    assert it for the inputs that were quadratic)."""

    def __init__(self) -> None:
        self.n = 0


def _abbrev_blocks(word: str, line: str, nxt: int, steps: Steps) -> bool:
    """Does the period after ``word`` belong to an abbreviation (no
    boundary)? ``line[nxt:]`` is what follows the period and its spaces."""
    steps.n += 2 * len(word)
    w = word.lstrip(_OPEN)
    if not w:
        return False
    if w in _TITLES:
        return True
    dotted = "." in w
    # Joined degrees and titles: "PGS.TS. Trần B", "Th.S Nguyễn".
    if dotted:
        parts = w.split(".")
        if all(p in _TITLES_VI or (len(p) == 1 and p.isupper()) for p in parts) \
                and any(p in _TITLES_VI for p in parts):
            return True
    # A single capital letter is an initial ("J. Smith", "Nguyễn V. A. phát
    # biểu") unless a sentence opener follows: Vietnamese given names can be
    # one letter ("Nguyễn Văn A. Ông nói ...").
    if w in _ENDINGS or (dotted and _INITIALS.fullmatch(w)) or (len(w) == 1 and w.isalpha() and w.isupper()):
        first = _NEXT_WORD.match(line, nxt)
        after = first.group(1) if first else ""
        steps.n += (first.end() - nxt if first else 0) + 2 * len(after) + 1
        if len(w) == 1 and _INITIAL_NEXT.match(after):
            return True  # another initial follows: "V. A. met"
        return after.rstrip(",.;:!?") not in _STARTERS
    return False


def _word_before(line: str, start: int, end: int, steps: Steps) -> int:
    """Where the run of non-space characters ending at ``end`` begins (not
    before ``start``); ``end`` when there is none. Scanned backwards: the
    words before two candidates never overlap (a candidate ends in
    whitespace), so every character is read at most once here."""
    i = end
    while i > start and not line[i - 1].isspace():
        i -= 1
    steps.n += end - i + 1
    return i


def _opens_list_item(line: str, start: int, word_start: int, steps: Steps) -> bool:
    """Nothing but whitespace since the sentence began, or a colon or a
    semicolon just before: "1. Tăng cường ...", "gồm: 2. Phối hợp"."""
    i = word_start
    while i > start and line[i - 1].isspace():
        i -= 1
    steps.n += word_start - i + 1
    return i == start or line[i - 1] in ":;"


def _no_boundary_after_period(line: str, start: int, run_start: int, nxt: int, steps: Steps) -> bool:
    ws = _word_before(line, start, run_start, steps)
    if ws == run_start:
        return False
    word = line[ws:run_start]
    if _abbrev_blocks(word, line, nxt, steps):
        return True
    # A list marker ("1. Tăng cường ...", "gồm: 2. Phối hợp", "II. NHIỆM VỤ")
    # opens its item; it is no sentence.
    return bool(_LIST_MARK.fullmatch(word)) and _opens_list_item(line, start, ws, steps)


def _line_segments(line: str, out: list[tuple[str, str]], steps: Steps) -> int:
    """Append the sentences of one line (each with " " after it); return
    where the unfinished rest begins."""
    start = pos = 0
    while m := _CANDIDATE.search(line, pos):
        steps.n += m.end() - pos + 1
        pos = m.end()
        # str.isupper, not a character range: the Vietnamese block U+1EA0-U+1EF9
        # alternates capitals and small letters ("Ạ ạ Ả ả"), so a range would
        # take "ở", "ấy" or "ủy" for capitals and split "... v.v. ở các tỉnh".
        c = line[pos]
        if not (c.isupper() or c.isdigit()):
            continue
        run_start, run_end = m.span(1)
        if run_end - run_start == 1 and line[run_start] == "." and \
                _no_boundary_after_period(line, start, run_start, m.end(2), steps):
            continue
        sent = line[start:m.start(2)].strip()
        steps.n += m.start(2) - start
        if sent:
            out.append((sent, " "))
        start = m.end(2)
    steps.n += len(line) - pos + 1
    return start


def segments(text: str, lang: str = "en", *, steps: Steps | None = None) -> list[tuple[str, str]]:
    """Sentences of ``text`` with the whitespace that followed each.

    ``"".join(s + sep for s, sep in segments(t))`` gives back ``t`` minus
    leading whitespace. ``lang`` is accepted for symmetry; both languages
    share the rules (Vietnamese news mixes English abbreviations in).
    Linear in the length of ``text``; ``steps`` counts the work.
    """
    steps = steps if steps is not None else Steps()
    out: list[tuple[str, str]] = []
    for line, nl in _lines(text, steps):
        start = _line_segments(line, out, steps)
        rest = line[start:].strip()
        steps.n += len(line) - start
        if rest:
            out.append((rest, nl))
        elif out and nl:
            out[-1] = (out[-1][0], nl)
    if out and out[-1][1] == " ":
        out[-1] = (out[-1][0], "")
    return out


def _lines(text: str, steps: Steps) -> list[tuple[str, str]]:
    parts = _NEWLINES.split(text)
    steps.n += len(text) + 1
    out = []
    for i in range(0, len(parts), 2):
        nl = parts[i + 1] if i + 1 < len(parts) else ""
        out.append((parts[i], nl))
    return out


def split_sentences(text: str, lang: str = "en") -> list[str]:
    return [s for s, _ in segments(text, lang)]


def join_segments(sentences: list[str], seps: list[str]) -> str:
    """Reassemble translated sentences with the original separators."""
    return "".join(s + sep for s, sep in zip(sentences, seps)).rstrip()
