"""Normalization: bytes -> clean Unicode text -> an Article.

Every source (inbox files, fetched pages) goes through the same functions,
so the store only ever holds NFC text with one Vietnamese tone-mark
convention, and the glossary, the translation memory and the feeds can
compare strings byte for byte.

The convention is the traditional one used by the ministry's portal and
most Vietnamese media: in an open syllable ending in oa, oe or uy the tone
sits on the first vowel ("hòa", "khỏe", "thủy", "Ủy ban"), not on the a, e or
y after it. Everything else is placed identically in both conventions, so
only those three pairs need rewriting.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time

from ..article import TZ, Article, Block

# --- decoding ---------------------------------------------------------------


class InputError(Exception):
    """Input that cannot become an article; the message says why and where."""


_VI_MARKERS = set("ăâđêôơưĂÂĐÊÔƠƯ")
_COMBINING_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _vietnamese_score(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    marked = 0
    for c in unicodedata.normalize("NFD", text):
        if c in _COMBINING_TONES or c in _VI_MARKERS or c in ("\u0302", "\u0306", "\u031b"):
            marked += 1
    return marked / len(letters)


def _looks_utf16(raw: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII-heavy text has a NUL in every other byte."""
    if len(raw) < 4 or len(raw) % 2:
        return None
    sample = raw[:4000]
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nul > 0.4 * half and even_nul < 0.05 * half:
        return "utf-16-le"
    if even_nul > 0.4 * half and odd_nul < 0.05 * half:
        return "utf-16-be"
    return None


def decode_bytes(raw: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes to text; returns (text, encoding used).

    Order: a BOM wins, then a declared charset, then strict UTF-8, then
    the two legacy code pages the portal's archive was written in. UTF-8
    is tried before any guess because valid UTF-8 is almost never an
    accident, while cp1252 and cp1258 decode any byte string at all.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    utf16 = _looks_utf16(raw)
    if utf16:
        try:
            return raw.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    if b"\x00" in raw:
        raise InputError(f"contains NUL bytes (first at byte {raw.index(0)}): binary, not text")
    if declared:
        try:
            return raw.decode(declared), declared.lower()
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; fall through to detection
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # cp1258 writes Vietnamese as base letters plus combining tone marks; a
    # Vietnamese text read as cp1252 instead shows stray symbols where the
    # marks were, so whichever reads as more Vietnamese wins.
    as_1258 = raw.decode("cp1258", errors="replace")
    try:
        as_1252 = raw.decode("cp1252")
    except UnicodeDecodeError:
        return as_1258, "cp1258"
    if _vietnamese_score(as_1258) > 0.02 and _vietnamese_score(as_1258) > _vietnamese_score(as_1252):
        return as_1258, "cp1258"
    return as_1252, "cp1252"


def looks_binary(text: str) -> bool:
    """Control characters other than whitespace in more than 1% of the text."""
    if not text:
        return False
    bad = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f")
    return bad / len(text) > 0.01


# --- text normalization -------------------------------------------------------

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_COMMA_BETWEEN_WORDS = re.compile(r"(?<=[^\W\d_]),(?=[^\W\d_])")

_TONES = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng
# Second-vowel tone in an open oa/oe/uy syllable -> first vowel. "qu" is a
# consonant, so "quý" and "quả" are left alone (the lookbehind).
# The lookahead also refuses a following combining mark: in "hoặc" the dot
# below is followed by the breve, so the syllable is not an open "oa".
_NEW_STYLE = re.compile(r"(?<![qQ])([oOuU])([aAeEyY])([" + _TONES + r"])(?![^\W\d_]|[\u0300-\u036f])")


def _tone_fix(m: re.Match[str]) -> str:
    first, second, tone = m.group(1), m.group(2), m.group(3)
    pair = (first + second).lower()
    if pair not in ("oa", "oe", "uy"):
        return m.group(0)
    return first + tone + second


def normalize_vi_tones(text: str) -> str:
    """Move the tone of an open oa/oe/uy syllable to its first vowel, as in
    "hòa/khỏe/thủy"; returns NFC."""
    decomposed = unicodedata.normalize("NFD", text)
    # NFD orders the tone after any hat/horn/breve, and o/a/e/u/y in these
    # pairs carry none, so the tone follows the vowel directly.
    fixed = _NEW_STYLE.sub(_tone_fix, decomposed)
    return unicodedata.normalize("NFC", fixed)


def normalize_text(text: str, lang: str | None = None) -> str:
    """One line of text: NFC, one tone convention, no invisible or doubled
    spaces, and the space that belongs after a comma between words."""
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH)
    text = _SPACES.sub(" ", text).strip()
    text = _COMMA_BETWEEN_WORDS.sub(", ", text)
    if lang != "en":
        # English text never contains these pairs with tone marks, so this is
        # safe for mixed or unknown-language text too.
        text = normalize_vi_tones(text)
    return text


def detect_language(text: str) -> str:
    """"vi" or "en". Vietnamese marks almost every other syllable with a
    diacritic; English text (even with Vietnamese names written without
    them, as the portal does) has next to none."""
    return "vi" if _vietnamese_score(text) > 0.05 else "en"


# --- dates --------------------------------------------------------------------

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_EN_DATE = re.compile(r"^([A-Za-z]+)\.?,?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:\s+(\d{1,2}):(\d{2}))?$")
_VI_DATE = re.compile(r"^(?:ngày\s+)?(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[\s,|-]+(\d{1,2})[:h](\d{2}))?$", re.I)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?")


def parse_dateline(line: str) -> datetime | None:
    """The portal's datelines, as a datetime in Asia/Ho_Chi_Minh.

    English: "August, 09 2019" (also "August 9, 2019"). Vietnamese:
    "09/08/2019", day first. Returns None when the line is not a date.
    """
    s = line.strip()
    d: date | None = None
    hh = mm = 0
    try:
        if m := _EN_DATE.match(s):
            month = _MONTHS.get(m.group(1).lower())
            if month is None:
                return None
            d = date(int(m.group(3)), month, int(m.group(2)))
            hh, mm = int(m.group(4) or 0), int(m.group(5) or 0)
        elif m := _VI_DATE.match(s):
            d = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            hh, mm = int(m.group(4) or 0), int(m.group(5) or 0)
        elif m := _ISO_DATE.match(s):
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            hh, mm = int(m.group(4) or 0), int(m.group(5) or 0)
        else:
            return None
        return datetime.combine(d, time(hh, mm), tzinfo=TZ)
    except ValueError:
        return None


# --- portal text format ---------------------------------------------------------

_BOILERPLATE = re.compile(r"under construction|đang (?:được )?(?:xây dựng|thử nghiệm|nâng cấp)", re.I)
# The portal's conventions, shared with the feed source so both read
# articles the same way: the lead's agency tag, an English byline, a note.
LEAD_TAG = re.compile(r"^(MPS|Bộ Công an|BCA|CAND)\s*[-–—]\s*")
BYLINE_EN = re.compile(r"^by\s+(.{2,80})$", re.I)
NOTE_MARK = re.compile(r"^[*•]\s*")
CAPTION_MAX_WORDS = 16


@dataclass
class _Para:
    line: int  # 1-based line number of its first line
    text: str


def _paragraphs(lines: list[str], start: int) -> list[_Para]:
    paras: list[_Para] = []
    buf: list[str] = []
    first = start
    for i in range(start, len(lines)):
        if lines[i].strip():
            if not buf:
                first = i
            buf.append(lines[i].strip())
        elif buf:
            paras.append(_Para(first + 1, " ".join(buf)))
            buf = []
    if buf:
        paras.append(_Para(first + 1, " ".join(buf)))
    return paras


def _is_vi_byline(text: str) -> bool:
    """A bare name: a few capitalized words, no sentence punctuation."""
    words = text.split()
    return 1 <= len(words) <= 5 and not re.search(r"[.!?:;,]$", text) and all(w[0].isupper() for w in words)


def _is_caption(text: str, lang: str) -> bool:
    # The portal puts photo captions inline as one short sentence of their
    # own; body paragraphs are several sentences. A short one-sentence
    # paragraph is treated as a caption, which at worst styles a short
    # paragraph as a caption: nothing is lost either way.
    words = text.split()
    limit = CAPTION_MAX_WORDS if lang == "en" else CAPTION_MAX_WORDS + 4
    sentences = re.findall(r"[.!?](?:\s|$)", text)
    return len(words) <= limit and len(sentences) <= 1 and text[-1:] in ".!?"


def parse_portal_text(text: str, *, source: str, language: str, origin: str) -> Article:
    """Parse one portal export (already decoded) into an Article.

    `language` is "en", "vi" or "auto". Raises InputError naming the line
    when the headline, the dateline or the body is missing.
    """
    lines = [normalize_text(ln) if ln.strip() else "" for ln in text.splitlines()]
    i = 0
    while i < len(lines) and not lines[i]:
        i += 1
    if i == len(lines):
        raise InputError("empty: no text at all")
    if _BOILERPLATE.search(lines[i]):
        i += 1
        while i < len(lines) and not lines[i]:
            i += 1
    if i == len(lines):
        raise InputError(f"line {i}: no headline after the boilerplate line")
    headline_line = i
    headline = lines[i]
    if parse_dateline(headline):
        raise InputError(f"line {i + 1}: no headline: the first line is already the dateline {headline!r}")
    i += 1
    while i < len(lines) and not lines[i]:
        i += 1
    if i == len(lines):
        raise InputError(f"line {headline_line + 1}: headline {headline!r} is not followed by a dateline")
    published = parse_dateline(lines[i])
    if published is None:
        raise InputError(
            f"line {i + 1}: expected a dateline such as 'August, 09 2019' or '09/08/2019', got {lines[i][:60]!r}"
        )
    date_line = i
    paras = _paragraphs(lines, i + 1)
    if not paras:
        raise InputError(f"line {date_line + 1}: no body after the dateline")

    lang = language
    if lang == "auto":
        lang = detect_language(headline + " " + " ".join(p.text for p in paras[:5]))
    headline = normalize_text(headline, lang)

    author = None
    last = paras[-1].text
    if m := BYLINE_EN.match(last):
        author = m.group(1).strip()
        paras.pop()
    elif lang == "vi" and len(paras) > 1 and _is_vi_byline(last):
        author = last
        paras.pop()
    if not paras:
        raise InputError(f"line {date_line + 1}: no body after the dateline, only a byline")

    tag = None
    blocks: list[Block] = []
    for n, p in enumerate(paras):
        t = normalize_text(p.text, lang)
        if n == 0 and (m := LEAD_TAG.match(t)):
            tag = m.group(1)
            t = t[m.end():]
            blocks.append(Block("p", t))
        elif NOTE_MARK.match(t):
            blocks.append(Block("note", NOTE_MARK.sub("", t, count=1)))
        elif n > 0 and _is_caption(t, lang):
            blocks.append(Block("caption", t))
        else:
            blocks.append(Block("p", t))
    if not any(b.kind == "p" and b.text for b in blocks):
        raise InputError(f"line {paras[0].line}: no body paragraph, only captions or notes")

    return Article(
        source=source,
        language=lang,
        title=headline,
        published=published,
        blocks=blocks,
        author=normalize_text(author, lang) if author else None,
        tag=tag,
        origin=origin,
    )
