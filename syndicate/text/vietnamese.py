"""Vietnamese text rules: the project's one tone-mark convention and ASCII
folding for names. Ingest normalization and the glossary both use these, so
article text and glossary forms compare byte for byte.

The convention is the traditional one used by the ministry's portal and most
Vietnamese media: in an open syllable whose nucleus is oa, oe or uy the tone
mark sits on the first vowel ("hòa", "khỏe", "thủy", "Ủy ban"), not on the a,
e or y after it. Everything else is placed identically in both conventions,
so only those three pairs need rewriting, and English text (which never has
them with tone marks) is left alone.
"""
from __future__ import annotations

import re
import unicodedata

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
# On NFD text: o+a, o+e or u+y with the tone on the second vowel, ending the
# syllable (no letter after it). "qu" + y is excluded: there the u belongs to
# the consonant and the mark stays on y ("quý"). A combining mark after the
# tone (the breve of "hoặc", which NFD orders after the dot below) means the
# vowel is not a plain a/e/y, so that is excluded too.
_END = r"(?![^\W\d_]|[\u0300-\u036f])"
_OLD_STYLE = re.compile(
    rf"(?<![qQ])([oO])([aAeE])([{_TONES}]){_END}|(?<![qQ])([uU])([yY])([{_TONES}]){_END}"
)


def _move(m: re.Match) -> str:
    if m.group(1):
        return m.group(1) + m.group(3) + m.group(2)
    return m.group(4) + m.group(6) + m.group(5)


def tone_convention(text: str) -> str:
    """NFC text with the project's tone-mark placement."""
    # NFD orders the tone after any hat/horn/breve, and the vowels of these
    # pairs carry none, so the tone follows the vowel directly.
    nfd = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _OLD_STYLE.sub(_move, nfd))


def normalize(text: str) -> str:
    """NFC plus one tone convention, the same rule the ingest normalizer
    applies, so glossary forms and article text always agree."""
    return tone_convention(text)


def has_old_style(text: str) -> bool:
    return tone_convention(text) != unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Vietnamese to ASCII as English-language news writes names: no
    diacritics, Đ->D ("Phạm Văn Hùng" -> "Pham Van Hung")."""
    text = text.replace("Đ", "D").replace("đ", "d")
    nfd = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in nfd if not unicodedata.combining(c)))


# Common Vietnamese family names: a capitalized run after a rank or title is
# taken for a person only when it starts with one, so "Bộ trưởng Bộ Công an"
# never turns "Bộ Công" into a name.
SURNAMES = frozenset(
    """Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn
    Vương Trương Đinh Lâm Phùng Mai Tô Trịnh Lương Tạ Hà Cao Chu Lưu Thái Nông Triệu Kiều
    Quách Tăng Lại Khuất Giang La Đàm Âu Tôn Thân Châu Lò Lục Lữ Hứa Mạc Văn Từ Doãn Đồng
    Hầu Kim Lã Nghiêm Ninh Phí Phó Quan Thạch Tiêu Trang Ông Ung Hàn Bạch Bế Điểu Y""".split()
)
