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

# A candidate boundary: end punctuation, closers, whitespace.
_CANDIDATE = re.compile(r"(\.\.\.|[.!?…]+)([" + _CLOSE + r"]*)(\s+)")
_WORD_BEFORE = re.compile(r"(\S+)$")
_LIST_MARK = re.compile(r"\d{1,3}|[IVXLC]{1,7}|[a-zđ]")


def _is_upper_start(s: str) -> bool:
    # str.isupper, not a character range: the Vietnamese block U+1EA0-U+1EF9
    # alternates capitals and small letters ("Ạ ạ Ả ả"), so a range would
    # take "ở", "ấy" or "ủy" for capitals and split "... v.v. ở các tỉnh".
    c = s.lstrip(_OPEN)[:1]
    return bool(c) and (c.isupper() or c.isdigit())


def _abbrev_blocks(word: str, nxt: str) -> bool:
    """Does the period after ``word`` belong to an abbreviation (no boundary)?"""
    w = word.lstrip(_OPEN)
    if not w:
        return False
    if w in _TITLES_EN or w in _TITLES_VI:
        return True
    # Joined degrees and titles: "PGS.TS. Trần B", "Th.S Nguyễn".
    parts = w.split(".")
    if len(parts) > 1 and all(p in _TITLES_VI or (len(p) == 1 and p.isupper()) for p in parts) \
            and any(p in _TITLES_VI for p in parts):
        return True
    # A single capital letter is an initial ("J. Smith", "Nguyễn V. A. phát
    # biểu") unless a sentence opener follows: Vietnamese given names can be
    # one letter ("Nguyễn Văn A. Ông nói ...").
    if w in _ENDINGS or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", w) or \
            (len(w) == 1 and w.isalpha() and w.isupper()):
        first = re.match(r"[" + _OPEN + r"]*([^\s]+)", nxt)
        nxt_word = first.group(1).rstrip(",.;:!?") if first else ""
        if len(w) == 1 and re.match(r"[^\W\d_]\.", first.group(1) if first else ""):
            return True  # another initial follows: "V. A. met"
        return nxt_word not in _STARTERS
    return False


def segments(text: str, lang: str = "en") -> list[tuple[str, str]]:
    """Sentences of ``text`` with the whitespace that followed each.

    ``"".join(s + sep for s, sep in segments(t))`` gives back ``t`` minus
    leading whitespace. ``lang`` is accepted for symmetry; both languages
    share the rules (Vietnamese news mixes English abbreviations in).
    """
    out: list[tuple[str, str]] = []
    for line, nl in _lines(text):
        start = 0
        for m in _CANDIDATE.finditer(line):
            end_punct, space = m.group(1), m.group(3)
            nxt = line[m.end():]
            if not nxt or not _is_upper_start(nxt):
                continue
            if end_punct == ".":
                wb = _WORD_BEFORE.search(line, start, m.start())
                if wb and _abbrev_blocks(wb.group(1), nxt):
                    continue
                # A list marker ("1. Tăng cường ...", "gồm: 2. Phối hợp",
                # "II. NHIỆM VỤ") opens its item; it is no sentence.
                before = line[start:wb.start()].strip() if wb else ""
                if wb and _LIST_MARK.fullmatch(wb.group(1)) and (not before or before.endswith((":", ";"))):
                    continue
            sent = line[start:m.end() - len(space)]
            if sent.strip():
                out.append((sent.strip(), " "))
            start = m.end()
        rest = line[start:].strip()
        if rest:
            out.append((rest, nl))
        elif out and nl:
            out[-1] = (out[-1][0], nl)
    if out and out[-1][1] == " ":
        out[-1] = (out[-1][0], "")
    return out


def _lines(text: str) -> list[tuple[str, str]]:
    parts = re.split(r"(\n+)", text)
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
