"""The generated places file: current, complete, and well-formed text."""
from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

from syndicate.text.vietnamese import fold, has_old_style

ROOT = Path(__file__).resolve().parents[2]


def test_places_file_is_what_the_generator_writes():
    r = subprocess.run([sys.executable, "glossary/tools/gen_places.py", "--check"], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_units_before_and_after_the_merger(repo_glossary):
    places = [e for e in repo_glossary.entries if e.file.name == "places.toml"]
    current = [e for e in places if e.note.startswith(("province, code", "centrally-run city, code"))]
    before = [e for e in places if e.note.startswith("province until 2025")]
    assert len(current) == 34
    assert len(current) + len(before) == 64  # 63 before 2025, plus Huế split off as a city in 2025
    names = {e.vi for e in current}
    assert {"Hà Nội", "Thành phố Hồ Chí Minh", "Huế", "Quảng Ninh", "Sơn La", "Khánh Hòa", "Thanh Hóa"} <= names
    assert {e.vi for e in before} >= {"Hà Giang", "Bà Rịa - Vũng Tàu", "Thừa Thiên Huế", "Hòa Bình"}


def test_every_entry_is_nfc_new_style_and_english_is_ascii(repo_glossary):
    for e in repo_glossary.entries:
        for v in (e.vi, *e.vi_variants):
            assert unicodedata.is_normalized("NFC", v) and not has_old_style(v), (e.where, v)
        if e.category in ("places", "people") and e.file.name != "countries.toml":
            for v in e.forms("en"):
                assert v.isascii(), (e.where, v)
        elif e.file.name == "countries.toml" and e.works("en", "vi"):
            # Foreign names keep their own diacritics in English ("Côte d’Ivoire"),
            # and are read as writers type them without.
            assert all(fold(v).replace("’", "'") in e.forms("en") for v in e.forms("en") if not v.isascii()), e.where
            if e.file.name == "places.toml" and e.en not in ("Hanoi", "Ho Chi Minh City", "Hue", "Da Nang",
                                                               "Ba Ria - Vung Tau", "Thua Thien Hue"):
                assert e.en == fold(e.vi), e.where


def test_people_are_romanized_from_their_vietnamese(repo_glossary):
    for e in repo_glossary.entries:
        if e.category == "people" and not e.en.startswith("President"):
            assert e.en == fold(e.vi), e.where
