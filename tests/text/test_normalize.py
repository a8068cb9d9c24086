import unicodedata
from datetime import datetime
from pathlib import Path

import pytest

from syndicate.article import TZ
from syndicate.text.dates import parse_dateline
from syndicate.text.normalize import InputError, decode_bytes, detect_language, normalize_text
from syndicate.text.portal import parse_portal_text
from syndicate.text.vietnamese import tone_convention

DATA = Path(__file__).parent / "testdata"
EN = (DATA / "en_border_meeting.txt").read_text(encoding="utf-8")
VI = (DATA / "vi_traffic_review.txt").read_text(encoding="utf-8")

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 writes Vietnamese: letters with hats, horns and
    breves precomposed, tone marks as separate combining characters."""
    out = []
    for ch in text:
        d = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in d if c in _TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONE_MARKS))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


# --- decoding ---------------------------------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
        lambda t: t.encode("utf-16"),  # with BOM
        lambda t: t.encode("utf-16-le"),  # no BOM
        lambda t: t.encode("utf-16-be"),
        to_cp1258,
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le", "utf16be", "cp1258"],
)
def test_vietnamese_text_decodes_identically_from_every_encoding(encode):
    text, _ = decode_bytes(encode(VI))
    assert normalize_text(text) == normalize_text(VI)
    a = parse_portal_text(text, source="t", language="auto", origin="x")
    assert a.title == "Hội nghị tổng kết công tác bảo đảm trật tự, an toàn giao thông năm 2023"


def test_cp1258_is_told_apart_from_cp1252():
    raw = to_cp1258("Công an tỉnh Quảng Ninh")
    assert raw.decode("cp1258") != "Công an tỉnh Quảng Ninh"  # combining marks, not NFC yet
    text, enc = decode_bytes(raw)
    assert enc == "cp1258"
    assert normalize_text(text) == "Công an tỉnh Quảng Ninh"


def test_cp1252_english_with_curly_quotes():
    raw = "Police fight \u201cblack credit\u201d \u2013 officers\u2019 report".encode("cp1252")
    text, enc = decode_bytes(raw)
    assert enc == "cp1252"
    assert text == "Police fight \u201cblack credit\u201d \u2013 officers\u2019 report"


def test_nul_bytes_are_refused_with_offset():
    with pytest.raises(InputError, match="NUL bytes .*byte 3"):
        decode_bytes(b"abc\x00def\x01\x02")


# --- text ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "given, want",
    [
        ("ho\u00e0 bình", "hòa bình"),
        ("sức kho\u1ebb", "sức khỏe"),
        ("thu\u1ef7 sản", "thủy sản"),
        ("U\u1ef7 ban", "Ủy ban"),
        ("U\u1ef6 BAN", "ỦY BAN"),
        ("tu\u1ef3", "tùy"),
        ("quý", "quý"),  # qu- is a consonant: unchanged in both conventions
        ("hoặc", "hoặc"),  # closed syllable with a breve
        ("kế hoạch", "kế hoạch"),
        ("Nguyễn", "Nguyễn"),
        ("khuyến", "khuyến"),
        ("hoàn thành", "hoàn thành"),
    ],
)
def test_one_tone_mark_convention(given, want):
    assert tone_convention(given) == want
    assert normalize_text(unicodedata.normalize("NFD", given)) == want


def test_invisible_and_no_break_spaces_go():
    assert normalize_text("\u00a0\u00a0Công\u200b an\u00a0tỉnh \ufeff ") == "Công an tỉnh"


def test_comma_space_between_words_but_not_numbers():
    assert normalize_text("crimes,stamped out 3,489 cases,1.000.000 đồng") == "crimes, stamped out 3,489 cases,1.000.000 đồng"


def test_language_detection():
    assert detect_language("Minister To Lam works with Quang Ninh police") == "en"
    assert detect_language("Bộ trưởng Tô Lâm làm việc với Công an tỉnh Quảng Ninh") == "vi"


@pytest.mark.parametrize(
    "line, want",
    [
        ("August, 09 2019", (2019, 8, 9)),
        ("October, 09 2020", (2020, 10, 9)),
        ("August 9, 2019", (2019, 8, 9)),
        ("09/08/2019", (2019, 8, 9)),  # day first
        ("9/8/2019", (2019, 8, 9)),
        ("28/12/2023", (2023, 12, 28)),
    ],
)
def test_datelines(line, want):
    assert parse_dateline(line) == datetime(*want, tzinfo=TZ)


@pytest.mark.parametrize("line", ["Augst, 09 2019", "31/02/2020", "MPS - General To Lam", ""])
def test_not_datelines(line):
    assert parse_dateline(line) is None


# --- portal format ----------------------------------------------------------------


def test_english_article_structure():
    a = parse_portal_text(EN, source="inbox", language="auto", origin="f")
    assert a.language == "en"
    assert a.title == "Lao Cai police strengthen border cooperation with Yunnan counterparts"
    assert a.published == datetime(2023, 11, 5, tzinfo=TZ)
    assert a.tag == "MPS"
    assert a.author == "Linh Chi"
    kinds = [b.kind for b in a.blocks]
    assert kinds == ["p", "p", "caption", "p", "note"]
    assert a.blocks[0].text.startswith("Major General Hoang Van Minh")  # tag removed from the lead
    assert "drug trafficking, human trafficking" in a.blocks[1].text
    assert "3,489 kilograms" in a.blocks[3].text
    assert a.blocks[4].text == "On the same day, the delegation visited the Kim Thanh International Border Gate."


def test_vietnamese_article_structure():
    a = parse_portal_text(VI, source="inbox", language="auto", origin="f")
    assert a.language == "vi"
    assert a.published == datetime(2023, 12, 28, tzinfo=TZ)
    assert a.tag == "Bộ Công an"
    assert a.author == "Thanh Hòa"
    assert [b.kind for b in a.blocks] == ["p", "p", "caption", "p", "note"]
    assert "1.000.000 trường hợp" in a.blocks[1].text
    assert all(unicodedata.is_normalized("NFC", b.text) for b in a.blocks)


def test_lowercase_byline_and_no_boilerplate():
    text = "A headline\n\nOctober, 09 2020\nMPS - Body text here. More.\n\nby Minh Tam\n"
    a = parse_portal_text(text, source="s", language="en", origin="f")
    assert a.author == "Minh Tam"
    assert a.title == "A headline"


@pytest.mark.parametrize(
    "text, match",
    [
        ("", "empty"),
        ("\n\n   \n", "empty"),
        ("August, 09 2019\nMPS - body\n", "line 1: no headline"),
        ("Headline only\n", "line 1: headline 'Headline only' is not followed by a dateline"),
        ("Headline\n\nYesterday\nMPS - body\n", "line 3: expected a dateline"),
        ("Headline\nAugust, 09 2019\n\n\n", "line 2: no body"),
        ("Headline\nAugust, 09 2019\n\nBy Linh Anh\n", "only a byline"),
    ],
)
def test_bad_articles_name_the_line(text, match):
    with pytest.raises(InputError, match=match):
        parse_portal_text(text, source="s", language="auto", origin="f")


def test_same_article_same_id_and_hash():
    a = parse_portal_text(EN, source="inbox", language="auto", origin="one")
    b = parse_portal_text(EN.replace("\n", "\r\n"), source="inbox", language="auto", origin="two")
    assert a.id == b.id
    assert a.content_hash() == b.content_hash()
