"""`glossary check` finds each kind of problem with file:line, and the
repository's glossary is clean."""
from __future__ import annotations

import unicodedata
from pathlib import Path

from terms_support import write

from syndicate.glossary.check import check_dir


REPO_GLOSSARY = Path(__file__).resolve().parents[2] / "glossary"


def kinds(findings):
    return {(f.file, f.line, f.kind) for f in findings}


def test_repo_glossary_is_clean():
    assert [str(f) for f in check_dir(REPO_GLOSSARY)] == []


def test_each_kind_of_problem(small_dir):
    nfd = unicodedata.normalize("NFD", "Hà Nội")
    write(small_dir, "bad.toml", f'''
        category = "places"
        case = "exact"

        [[term]]
        en = "Quang Ninh"
        vi = "Quảng Ninh"

        [[term]]
        en = "Son La"
        vi = "Sơn Lá"

        [[term]]
        en = "Hanoi"
        vi = "{nfd}"

        [[term]]
        en = "Khanh Hoa"
        vi = "Khánh Ho\u00e0"

        [[term]]
        en = "({{place}}) police"
        vi = "công an ({{place}})"
        direction = "en-vi"
        ''')
    write(small_dir, "zz_shadow.toml", '''
        case = "ignore"

        [[term]]
        en = "black credit"
        vi = "tín dụng đen"
        direction = "vi-en"
        note = "same pair again, one way"

        [[term]]
        en = "{rank} {person} speaks"
        vi = "{rank} {person} phát biểu"
        en_variants = ["{rank}  {person}"]
        ''')
    write(small_dir, "empty.toml", '''
        [[term]]
        en = "Deputy Minister"
        vi = ""
        ''')
    f = check_dir(small_dir)
    k = kinds(f)
    # Quang Ninh twice: reported at the later of the two (files in name order)
    assert ("places.toml", 5, "duplicate") in k
    assert ("places.toml", 9, "conflict") in k  # en "Son La" -> two different targets
    assert ("bad.toml", 14, "not-nfc") in k
    assert ("bad.toml", 18, "old-tone") in k
    assert ("bad.toml", 21, "never-matches") in k  # starts with "(": never at a word start
    assert ("zz_shadow.toml", 4, "duplicate") in k
    assert ("zz_shadow.toml", 5, "shadowed") in k
    # the variant "{rank}  {person}", on its own line, reads as titles.toml's pattern
    assert ("zz_shadow.toml", 12, "variant-collision") in k
    assert ("empty.toml", 3, "error") in k
    text = "\n".join(map(str, f))
    assert "places.toml:5: duplicate: 'Quang Ninh' <-> 'Quảng Ninh' already at bad.toml:4" in text
    assert "places.toml:9: conflict: en 'Son La' -> 'Sơn La', but bad.toml:8 gives 'Sơn Lá'" in text
    assert "zz_shadow.toml:5: shadowed: 'tín dụng đen' (vi->en) is always taken by phrases.toml:1" in text


def test_pattern_without_fillers(tmp_path):
    write(tmp_path / "g", "titles.toml", '''
        [[term]]
        en = "Director of the {place} Provincial Police Department"
        vi = "Giám đốc Công an tỉnh {place}"
        ''')
    f = check_dir(tmp_path / "g")
    assert [str(x) for x in f][:1] == [
        "titles.toml:2: never-matches: pattern 'Director of the {place} Provincial Police Department' (en->vi): "
        "no entry can fill {place}"]


def test_english_with_vietnamese_diacritics(tmp_path):
    write(tmp_path / "g", "people.toml", '''
        [[term]]
        en = "Tô Lâm"
        vi = "Tô Lâm"

        [[term]]
        en = "Dang Hong Duc"
        vi = "Đặng Hồng Đức"
        en_variants = ["Đang Hong Duc"]
        ''')
    f = [str(x) for x in check_dir(tmp_path / "g")]
    assert "people.toml:2: en-diacritics: en 'Tô Lâm' has diacritics; English writes Vietnamese names " \
           "without them, Đ as D: 'To Lam'" in f
    assert any(x.startswith("people.toml:8: en-diacritics: en_variants 'Đang Hong Duc'") for x in f)
    assert not any(":6:" in x for x in f)


def test_a_folder_without_glossary_files_is_a_finding(tmp_path):
    (tmp_path / "README.md").write_text("not a glossary", encoding="utf-8")
    assert [str(f) for f in check_dir(tmp_path)] == [f"{tmp_path}:1: error: no glossary files (*.toml) in this folder"]
