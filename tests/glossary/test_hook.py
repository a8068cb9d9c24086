"""protect()/restore(): placeholders in, targets back, every term checked;
lost and duplicated placeholders fall back visibly; unknown Vietnamese names
after a rank or title are romanized."""
from __future__ import annotations

import re

from syndicate.glossary import load


def roundtrip(g, text, src, tgt, model=lambda s: s):
    p = g.protect(text, src, tgt)
    return p, g.restore(model(p.text), p, src, tgt)


def test_protect_replaces_terms_with_placeholders(small_dir):
    g = load(small_dir)
    p = g.protect("General To Lam worked with Quang Ninh Provincial Police Department.", "en", "vi")
    assert p.text == "ZQAA worked with ZQAB."
    r = g.restore("ZQAA làm việc với ZQAB.", p, "en", "vi")
    assert r.text == "Đại tướng Tô Lâm làm việc với Công an tỉnh Quảng Ninh."
    assert not r.problems and not r.needs_review
    assert [(t["source"], t["target"], t["ok"]) for t in r.terms] == [
        ("General To Lam", "Đại tướng Tô Lâm", True),
        ("Quang Ninh Provincial Police Department", "Công an tỉnh Quảng Ninh", True)]
    assert r.terms[1]["entry"] == "organizations.toml:3" and r.terms[1]["kind"] == "pattern"


def test_no_terms_passes_text_through(small_dir):
    g = load(small_dir)
    p, r = roundtrip(g, "Nothing to see here.", "en", "vi")
    assert p.text == "Nothing to see here." and r.text == "Nothing to see here." and r.terms == []


def test_reordered_and_mangled_placeholders_still_restore(small_dir):
    g = load(small_dir)
    p = g.protect("Black credit and the Ministry of Public Security.", "en", "vi")
    assert p.text == "ZQAA and the ZQAB."
    # models reorder, lower-case or split a token; all are accepted
    r = g.restore("zqab và Z QAA.", p, "en", "vi")
    assert r.text == "Bộ Công an và tín dụng đen."
    assert all(t["ok"] for t in r.terms) and not r.needs_review


def test_sentence_initial_lowercase_term_is_capitalized(small_dir):
    g = load(small_dir)
    p, r = roundtrip(g, "Black credit is a crime.", "en", "vi")
    assert r.text.startswith("Tín dụng đen is")
    p, r = roundtrip(g, "Tín dụng đen là tội phạm.", "vi", "en")
    assert r.text == "Black credit là tội phạm."


def test_lost_placeholder_is_inserted_and_flagged(small_dir):
    g = load(small_dir)
    p = g.protect("The delegation met Quang Ninh Provincial Police Department and discussed black credit.", "en", "vi")
    assert p.text == "The delegation met ZQAA and discussed ZQAB."
    r = g.restore("Đoàn đã gặp và thảo luận về ZQAB.", p, "en", "vi")
    assert "Công an tỉnh Quảng Ninh" in r.text and "tín dụng đen" in r.text
    assert r.needs_review
    assert [pr.type for pr in r.problems] == ["term_lost"]
    assert r.problems[0].detail["target"] == "Công an tỉnh Quảng Ninh"
    lost = next(t for t in r.terms if t["target"] == "Công an tỉnh Quảng Ninh")
    assert lost["ok"] and lost["fallback"] == "inserted"
    # inserted at a word gap near where it stood, not glued to a word
    assert re.search(r"(^|\s)Công an tỉnh Quảng Ninh(\s|$)", r.text)


def test_everything_lost_still_keeps_every_term(small_dir):
    g = load(small_dir)
    p = g.protect("General To Lam and black credit.", "en", "vi")
    r = g.restore("", p, "en", "vi")
    assert "Đại tướng Tô Lâm" in r.text and "tín dụng đen" in r.text
    assert r.needs_review and len(r.problems) == 2


def test_duplicated_placeholder_keeps_one_copy(small_dir):
    g = load(small_dir)
    p = g.protect("Quang Ninh Provincial Police Department met the press.", "en", "vi")
    r = g.restore("ZQAA ZQAA gặp báo chí ZQAA.", p, "en", "vi")
    assert r.text.count("Công an tỉnh Quảng Ninh") == 1
    assert r.needs_review and r.problems[0].type == "term_duplicated" and r.problems[0].detail["copies"] == 3


def test_unknown_placeholder_is_dropped_and_flagged(small_dir):
    g = load(small_dir)
    p = g.protect("black credit", "en", "vi")
    r = g.restore("ZQAA ZQZZ", p, "en", "vi")
    assert r.text == "Tín dụng đen"
    assert [pr.type for pr in r.problems] == ["term_unknown_placeholder"]


def test_placeholder_prefix_avoids_text_that_looks_like_one(small_dir):
    g = load(small_dir)
    p = g.protect("Code ZQAB mentions black credit.", "en", "vi")
    assert "ZQAB" in p.text and p.state.prefix != "ZQ"
    r = g.restore(p.text, p, "en", "vi")
    assert r.text == "Code ZQAB mentions tín dụng đen." and not r.problems


def test_unknown_vietnamese_name_after_rank_is_romanized(small_dir):
    g = load(small_dir)
    p, r = roundtrip(g, "Đại tá Phạm Văn Hùng phát biểu.", "vi", "en")
    assert r.text == "Colonel Pham Van Hung phát biểu."
    names = [t for t in r.terms if t["kind"] == "name"]
    assert names == [{"source": "Phạm Văn Hùng", "target": "Pham Van Hung", "ok": True, "category": "people",
                      "entry": "", "kind": "name"}]
    p, r = roundtrip(g, "Đại tá Đặng Đình Đức.", "vi", "en")
    assert r.text == "Colonel Dang Dinh Duc."


def test_name_detection_needs_a_surname_and_stops_at_terms(repo_glossary):
    g = repo_glossary
    # "Bộ Công an" after a title is an organization, not a person
    assert [m.kind for m in g.find("Bộ trưởng Bộ Công an", "vi", "en")] == ["term"]
    # a capitalized word that is no surname is not a name
    assert [m.source for m in g.find("Đại tá Sáng nay", "vi", "en")] == ["Đại tá"]
    ms = g.find("Thiếu tướng Nguyễn Văn Bình Công an tỉnh Sơn La", "vi", "en")
    assert [(m.source, m.target) for m in ms] == [
        ("Thiếu tướng", "Major General"), ("Nguyễn Văn Bình", "Nguyen Van Binh"),
        ("Công an tỉnh Sơn La", "Son La Provincial Police Department")]


def test_english_unknown_name_is_kept_and_listed_as_candidate(small_dir):
    g = load(small_dir)
    p, r = roundtrip(g, "Colonel Pham Van Hung spoke.", "en", "vi")
    assert r.text == "Đại tá Pham Van Hung spoke."
    cand = [t for t in r.terms if t.get("candidate")]
    assert cand and cand[0]["source"] == "Pham Van Hung"


def test_same_term_twice_gets_two_placeholders(small_dir):
    g = load(small_dir)
    p, r = roundtrip(g, "black credit, black credit", "en", "vi")
    assert p.text == "ZQAA, ZQAB"
    assert r.text == "Tín dụng đen, tín dụng đen" and len(r.terms) == 2 and not r.problems


def test_seed_sentence_end_to_end_without_model(repo_glossary):
    s = ("MPS - General To Lam, Politburo member and Minister of Public Security, leading a delegation "
         "of the Ministry of Public Security, worked with Quang Ninh Provincial Police Department on August 9.")
    p, r = roundtrip(repo_glossary, s, "en", "vi")
    for t in ("Đại tướng Tô Lâm", "Ủy viên Bộ Chính trị", "Bộ trưởng Bộ Công an", "Công an tỉnh Quảng Ninh"):
        assert t in r.text
    assert all(t["ok"] for t in r.terms) and not r.problems


def test_model_output_is_left_as_is_when_nothing_went_wrong(small_dir):
    g = load(small_dir)
    p = g.protect("black credit , again", "en", "vi")
    r = g.restore("ZQAA ,  again", p, "en", "vi")
    assert r.text == "Tín dụng đen ,  again"


def test_lost_term_goes_back_by_its_position_in_what_the_model_saw(repo_glossary):
    g = repo_glossary
    # The first term is long in the source but one placeholder for the model:
    # positions are measured in the protected text, so the lost second term
    # goes where its placeholder stood, not a third of the way in.
    p = g.protect("Director of the Quang Ninh Provincial Police Department met Minister To Lam "
                  "at the end of the day.", "en", "vi")
    assert p.text == "ZQAA met ZQAB at the end of the day."
    r = g.restore("ZQAA met  at the end of the day.", p, "en", "vi")
    assert r.text == "Giám đốc Công an tỉnh Quảng Ninh met Bộ trưởng Tô Lâm at the end of the day."
    p = g.protect("He met Minister To Lam.", "en", "vi")
    assert g.restore("He met .", p, "en", "vi").text == "He met Bộ trưởng Tô Lâm."


def test_lost_term_goes_back_into_its_empty_quotes_or_brackets(repo_glossary):
    g = repo_glossary
    p = g.protect('Ông nói (Công an tỉnh Sơn La) và "tín dụng đen" là vấn nạn.', "vi", "en")
    assert p.text == 'Ông nói (ZQAA) và "ZQAB" là vấn nạn.'
    r = g.restore('He said () and "" is a scourge.', p, "vi", "en")
    assert r.text == 'He said (Son La Provincial Police Department) and "black credit" is a scourge.'
    assert [x.type for x in r.problems] == ["term_lost", "term_lost"] and r.needs_review
