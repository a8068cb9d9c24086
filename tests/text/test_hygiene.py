"""Text hygiene: bidi controls and zero-width characters in article text,
emoji sequences kept whole, untrusted strings escaped for display, and
language detection that stacks of combining marks cannot flip."""
import random
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from syndicate.cli import main
from syndicate.text.hygiene import escape_controls, excerpt, strip_invisible
from syndicate.text.normalize import detect_language, normalize_text
from syndicate.text.portal import parse_portal_text

DATA = Path(__file__).parent / "testdata"
EN = (DATA / "en_border_meeting.txt").read_text(encoding="utf-8")
VI = (DATA / "vi_traffic_review.txt").read_text(encoding="utf-8")

RLO, LRI, PDI, PDF = "\u202e", "\u2066", "\u2069", "\u202c"
ZWJ, ZWNJ = "\u200d", "\u200c"
FAMILY = "\U0001f468" + ZWJ + "\U0001f469" + ZWJ + "\U0001f467"  # man, woman, girl: one glyph
RAINBOW_FLAG = "\U0001f3f3\ufe0f" + ZWJ + "\U0001f308"
WOMAN_POLICE_DARK = "\U0001f46e\U0001f3ff" + ZWJ + "\u2640\ufe0f"  # skin tone before the joiner


@pytest.mark.parametrize("control", list("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"))
def test_every_bidi_control_is_stripped_from_text(control):
    assert normalize_text(f"Minister{control} To Lam") == "Minister To Lam"


def test_a_right_to_left_override_cannot_reverse_a_title():
    spoof = f"Bộ trưởng {RLO}máL ôT{PDF} phát biểu"
    assert normalize_text(spoof) == "Bộ trưởng máL ôT phát biểu"
    a = parse_portal_text(f"{LRI}Headline{PDI} {RLO}txt.exe\n\nAugust, 09 2019\nMPS - Body {RLO}text.\n",
                          source="s", language="en", origin="x")
    assert a.title == "Headline txt.exe"
    assert a.blocks[0].text == "Body text."


@pytest.mark.parametrize("emoji", [FAMILY, RAINBOW_FLAG, WOMAN_POLICE_DARK])
def test_a_zero_width_joiner_inside_an_emoji_sequence_stays(emoji):
    assert normalize_text(f"Ngày hội {emoji} gia đình") == f"Ngày hội {emoji} gia đình"


def test_zero_width_characters_elsewhere_are_stripped():
    assert normalize_text(f"Công{ZWJ} an{ZWNJ}\u200b tỉnh\u2060") == "Công an tỉnh"
    # A joiner after an emoji but before a letter joins nothing.
    assert strip_invisible("\U0001f468" + ZWJ + "a") == "\U0001f468a"
    assert strip_invisible(ZWJ + "\U0001f468") == "\U0001f468"


def test_joiners_between_letters_of_joining_scripts_stay():
    persian = "\u0645\u06cc" + ZWNJ + "\u062e\u0648\u0627\u0647\u0645"  # "mi-khaham", ZWNJ is spelling
    devanagari = "\u0915\u094d" + ZWJ + "\u0937"  # half form of ka
    assert strip_invisible(persian) == persian
    assert strip_invisible(devanagari) == devanagari


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("report\n.txt", "report\\n.txt"),
        ("\x1b[31mred\x1b[0m.txt", "\\x1b[31mred\\x1b[0m.txt"),
        ("a\rb\tc", "a\\rb\\tc"),
        ("c1\x85\x9b.txt", "c1\\x85\\x9b.txt"),
        (f"invoice{RLO}fdp.exe", "invoice\\u202efdp.exe"),
        ("Báo cáo Ủy ban.txt", "Báo cáo Ủy ban.txt"),  # visible text is left as it is
    ],
)
def test_escape_controls_makes_one_visible_line(raw, shown):
    assert escape_controls(raw) == shown
    assert escape_controls(shown) == shown  # escaping twice changes nothing


def test_excerpt_is_short_escaped_and_quoted():
    assert excerpt("x" * 100) == "'" + "x" * 40 + "…'"
    assert excerpt("tab\there\x1b[2J") == "'tab\\there\\x1b[2J'"


def _zalgo(text: str, share: float, seed: int = 7) -> str:
    """Stack eight random combining marks on a share of the letters."""
    rnd = random.Random(seed)
    marks = [chr(c) for c in range(0x300, 0x370)]
    return "".join(
        c + "".join(rnd.choice(marks) for _ in range(8)) if c.isalpha() and rnd.random() < share else c
        for c in text
    )


@pytest.mark.parametrize("share", [0.3, 0.7, 1.0])
def test_stacked_combining_marks_do_not_make_english_vietnamese(share):
    assert detect_language(_zalgo(EN, share)) == "en"


@pytest.mark.parametrize("share", [0.3, 0.7])
def test_stacked_combining_marks_do_not_make_vietnamese_english(share):
    assert detect_language(_zalgo(VI, share)) == "vi"


def test_one_acute_per_letter_is_not_vietnamese_either():
    # Three acute accents on every letter: after NFC one composes, two stay.
    assert detect_language("".join(c + "\u0301" * 3 if c.isalpha() else c for c in EN)) == "en"


def test_control_characters_leave_text_and_word_separators_become_spaces():
    assert normalize_text("Title \x1b[31mred\x07\x00 end\x7f\x9b") == "Title [31mred end"
    assert normalize_text("one\x0btwo\x0cthree\x1ffour\x85five") == "one two three four five"


def test_a_control_character_in_a_title_no_longer_breaks_publishing(workspace):
    """An ESC in a headline (too few to count as binary) was stored as it
    was, and every later publish failed: lxml refuses control characters in
    XML, so each cycle crashed on the same article."""
    workspace.add("a.txt", text="Title \x1b[31mred\n\nAugust, 09 2019\nMPS - " + "Body text here. " * 20 + "\n")
    r = CliRunner().invoke(main, ["--config", str(workspace.config_file), "run"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    feed = feedparser.parse((workspace.root / "feeds" / "en" / "atom.xml").read_bytes())
    assert not feed.bozo and [e.title for e in feed.entries] == ["Title [31mred"]
