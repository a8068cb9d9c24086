"""Invisible and control characters: what article text may keep, and how
untrusted strings (file names, lines of a rejected file) are shown.

Article text loses the bidirectional controls (a U+202E in a title makes a
reader show "txt.exe" as "exe.txt" and can reverse a leader's name) and the
zero-width characters, except a zero-width joiner inside an emoji sequence
("👨‍👩‍👧" is one glyph; without the joiners it is three) or between letters of
the scripts that need it. Strings printed to a terminal, a log or a reason
file are escaped instead of cleaned, so nothing is hidden from the operator
and no ANSI sequence or line break can forge a log line.
"""
from __future__ import annotations

import re
import unicodedata

# Embeddings, overrides and isolates (U+202A-202E, U+2066-2069), the marks
# (LRM, RLM, ALM): none is needed in English or Vietnamese text.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
# Control characters (C0 but tab and line breaks, DEL, C1) have no place in
# text either: an ESC in a title recolours a terminal, and XML 1.0 cannot
# carry most of them, so a feed holding one would not parse.
# Those Python counts as whitespace (vertical tab, form feed, the separators
# U+001C-001F, NEL) separate words, so they become a space.
_CONTROL_SPACES = "\x0b\x0c\x1c\x1d\x1e\x1f\x85"
_CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x09), *range(0x0E, 0x1C), *range(0x7F, 0xA0)]
                    if chr(c) not in _CONTROL_SPACES)
_STRIP = dict.fromkeys(map(ord, BIDI_CONTROLS + _CONTROLS + "\u200b\u2060\ufeff\u00ad\ufffe\uffff"), None)
_STRIP.update(dict.fromkeys(map(ord, _CONTROL_SPACES), " "))
_ZWJ, _ZWNJ = "\u200d", "\u200c"

# Extended_Pictographic, as ranges (unicodedata does not expose the property):
# the emoji blocks, the older symbol blocks that emoji sequences start from,
# and the few emoji among Latin-1 and letterlike symbols.
_PICTO = (
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9\u21aa\u231a\u231b\u2328\u23cf"
    "\u23e9-\u23f3\u23f8-\u23fa\u24c2\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe\u2600-\u27bf"
    "\u2934\u2935\u2b05-\u2b07\u2b1b\u2b1c\u2b50\u2b55\u3030\u303d\u3297\u3299"
    "\U0001f000-\U0001faff"
)
# What may sit between a pictograph and the joiner: variation selector 16,
# skin tones, tag characters (subdivision flags) and the keycap mark.
_EMOJI_TAIL = "\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f\u20e3"
_EMOJI_ZWJ = re.compile(rf"(?<=[{_PICTO}{_EMOJI_TAIL}])\u200d(?=[{_PICTO}])")


def _joinable(c: str) -> bool:
    """A letter or mark of a script that uses ZWJ to choose a glyph form
    (Arabic, Indic, ...): anything past Greek that is not Latin."""
    n = ord(c)
    if n < 0x0370 or 0x1E00 <= n <= 0x1EFF:
        return False
    return c.isalpha() or unicodedata.category(c).startswith("M")


def _keep_joiner(text: str, i: int) -> bool:
    if text[i] == _ZWJ and _EMOJI_ZWJ.match(text, i):
        return True
    return 0 < i < len(text) - 1 and _joinable(text[i - 1]) and _joinable(text[i + 1])


def strip_invisible(text: str) -> str:
    """Text without bidi controls, control characters or zero-width
    characters. A joiner (ZWJ)
    stays where it joins an emoji sequence, and a joiner or non-joiner
    (ZWNJ) between two letters of a script that shapes by them."""
    text = text.translate(_STRIP)
    if _ZWJ not in text and _ZWNJ not in text:
        return text
    return "".join(c for i, c in enumerate(text) if c not in (_ZWJ, _ZWNJ) or _keep_joiner(text, i))


def has_bidi_controls(text: str) -> bool:
    return any(c in BIDI_CONTROLS for c in text)


def _escape_char(c: str) -> str:
    n = ord(c)
    if c == "\n":
        return "\\n"
    if c == "\r":
        return "\\r"
    if c == "\t":
        return "\\t"
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"


def _unsafe(c: str) -> bool:
    # C0 and C1 controls (ESC starts ANSI sequences, CR rewrites a line), the
    # bidi controls, and every other invisible format or separator character.
    cat = unicodedata.category(c)
    return cat in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn") or c in BIDI_CONTROLS


def escape_controls(text: str) -> str:
    """``text`` safe to print on one line: control, format and bidi
    characters as Python-style escapes (``\\n``, ``\\x1b``, ``\\u202e``);
    everything visible, Vietnamese included, as it is."""
    if not any(_unsafe(c) for c in text):
        return text
    return "".join(_escape_char(c) if _unsafe(c) else c for c in text)


def excerpt(line: str, limit: int = 40) -> str:
    """A short, escaped, quoted excerpt of a line of an article, for a
    reason that must show the offending line and no more of the file."""
    short = line[:limit] + ("…" if len(line) > limit else "")
    return "'" + escape_controls(short) + "'"
