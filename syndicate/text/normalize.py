"""Normalization: bytes -> clean Unicode text.

Every source (inbox files, fetched pages) goes through the same functions,
so the store only ever holds NFC text with one Vietnamese tone-mark
convention (text/vietnamese.py), and the glossary, the translation memory
and the feeds can compare strings byte for byte. Datelines are read in
text/dates.py, the portal's export format in text/portal.py.
"""
from __future__ import annotations

import re
import unicodedata

from .hygiene import strip_invisible
from .vietnamese import tone_convention

# --- decoding ---------------------------------------------------------------


class InputError(Exception):
    """Input that cannot become an article; the message says why and where."""


def _vietnamese_letters() -> dict[str, int]:
    """Every letter with a Vietnamese diacritic, precomposed (NFC), and how
    many diacritics it carries (hat, breve or horn, then a tone)."""
    vowels = "aăâeêioôơuưy"
    tones = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
    out = {}
    for v in vowels + vowels.upper():
        for t in tones:
            c = unicodedata.normalize("NFC", v + t)
            marks = sum(1 for m in unicodedata.normalize("NFD", c) if unicodedata.combining(m))
            if marks:
                out[c] = marks
    return out | {"đ": 1, "Đ": 1}


_VI_LETTERS = _vietnamese_letters()


def _vietnamese_score(text: str) -> float:
    """Vietnamese diacritics per letter, on NFC text. A Vietnamese letter
    is one precomposed character (at most two marks); a letter still
    followed by combining marks after NFC carries marks no Vietnamese
    letter has, so it is left out of the count altogether. A stack of marks
    (Zalgo text) on some words therefore cannot tip the verdict either
    way: the clean letters decide. Counting marks, not marked letters,
    tells cp1258 from cp1252: cp1252 reads a cp1258 tone mark as a letter
    of its own ("CôÒng" for "Cổng"), which adds a letter and drops a mark."""
    nfc = unicodedata.normalize("NFC", text)
    letters = marks = 0
    for i, c in enumerate(nfc):
        if not c.isalpha() or (i + 1 < len(nfc) and unicodedata.category(nfc[i + 1]).startswith("M")):
            continue
        letters += 1
        marks += _VI_LETTERS.get(c, 0)
    return marks / letters if letters else 0.0


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

_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_COMMA_BETWEEN_WORDS = re.compile(r"(?<=[^\W\d_]),(?=[^\W\d_])")


def normalize_text(text: str, lang: str | None = None) -> str:
    """One line of text: NFC, one tone convention, no invisible or doubled
    spaces, no bidi controls (text/hygiene.py), and the space that belongs
    after a comma between words."""
    text = strip_invisible(unicodedata.normalize("NFC", text))
    text = _SPACES.sub(" ", text).strip()
    text = _COMMA_BETWEEN_WORDS.sub(", ", text)
    if lang != "en":
        # English text never contains these pairs with tone marks, so this is
        # safe for mixed or unknown-language text too.
        text = tone_convention(text)
    return text


def detect_language(text: str) -> str:
    """"vi" or "en". Vietnamese marks almost every other syllable with a
    diacritic; English text (even with Vietnamese names written without
    them, as the portal does) has next to none."""
    return "vi" if _vietnamese_score(text) > 0.05 else "en"
