"""Administrative units below the province (glossary/units.tsv, generated):
the type word comes from the unit, a shared English name is settled by the
article's province or flagged, a name no list holds becomes a candidate, and
patterns put the right level word before provinces and centrally-run cities."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from syndicate.glossary.enforce import TERM_AMBIGUOUS

ROOT = Path(__file__).resolve().parents[2]


def found(g, text, src="en", tgt="vi", context=""):
    return [(m.source, m.target) for m in g.find(text, src, tgt, context)]


def test_units_file_is_what_the_generator_writes():
    r = subprocess.run([sys.executable, "glossary/tools/gen_units.py", "--check"], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_units_of_both_eras_and_every_level(repo_glossary):
    u = repo_glossary.units
    types = {(x.level, x.type) for x in u.units}
    assert {("district", t) for t in ("quận", "huyện", "thị xã", "thành phố")} <= types
    assert {("commune", t) for t in ("phường", "xã", "thị trấn", "đặc khu")} <= types
    # the dataset's pre-reform table is the last three-tier state (Huế already a city)
    assert sum(1 for x in u.units if x.level == "province") == 63
    assert {x.era for x in u.units} == {"before", "since", "both"}


def test_the_type_word_comes_from_the_unit(repo_glossary):
    g = repo_glossary
    assert found(g, "Ky Son District") == [("Ky Son District", "huyện Kỳ Sơn")]
    assert found(g, "Ninh Kieu District") == [("Ninh Kieu District", "quận Ninh Kiều")]
    assert found(g, "Sa Pa Town") == [("Sa Pa Town", "thị xã Sa Pa")]
    assert found(g, "Thu Duc City") == [("Thu Duc City", "thành phố Thủ Đức")]
    assert found(g, "Lao Bao Township") == [("Lao Bao Township", "thị trấn Lao Bảo")]
    # and Vietnamese type words give the English ones
    assert found(g, "quận Cái Răng và thị xã Sa Pa, xã Y Tý, đặc khu Phú Quốc", "vi", "en") == [
        ("quận Cái Răng", "Cai Rang District"), ("thị xã Sa Pa", "Sa Pa Town"), ("xã Y Tý", "Y Ty Commune"),
        ("đặc khu Phú Quốc", "Phu Quoc Special Zone")]


def test_a_shared_english_name_is_settled_by_the_article_or_flagged(repo_glossary):
    g = repo_glossary
    # Thanh Thủy: communes in Hà Giang, Hà Nam, Thanh Hóa, Nghệ An ... and Thanh Thúy is not one
    assert found(g, "Thanh Thuy Commune", context="Police of Ha Giang province said") == [
        ("Thanh Thuy Commune", "xã Thanh Thủy")]
    # Bình Giã (Bà Rịa - Vũng Tàu) or Bình Gia (Lạng Sơn): kept as written, flagged
    p = g.protect("Officers reached Binh Gia Commune.", "en", "vi")
    r = g.restore(p.text, p, "en", "vi")
    assert r.text == "Officers reached Binh Gia Commune." and r.needs_review
    assert [x.type for x in r.problems] == [TERM_AMBIGUOUS]
    assert any("Lạng Sơn" in c for c in r.problems[0].detail["could_be"])
    # the province named elsewhere in the article settles it
    p = g.protect("Officers reached Binh Gia Commune.", "en", "vi", context="Lang Son border guards ...")
    r = g.restore(p.text, p, "en", "vi")
    assert (r.text, r.problems) == ("Officers reached xã Bình Gia.", [])
    # two spellings in the same province stay unresolved: Tân Thanh and Tân Thành, Lạng Sơn
    p = g.protect("Officers reached Tan Thanh Commune.", "en", "vi", context="Lang Son border guards ...")
    assert g.restore(p.text, p, "en", "vi").problems[0].type == TERM_AMBIGUOUS


def test_a_name_no_list_holds_is_kept_and_becomes_a_candidate(repo_glossary):
    g = repo_glossary
    m = g.find("Officers of Xyzabc Commune Police", "en", "vi")
    assert [(x.source, x.target, x.candidate) for x in m] == [
        ("Xyzabc Commune Police", "Công an Xyzabc Commune", True)]
    m = g.find("Công an xã Đắk Xyz", "vi", "en")
    assert [(x.target, x.candidate) for x in m] == [("Dak Xyz Commune Police", True)]


def test_level_words_follow_the_place(repo_glossary):
    g = repo_glossary
    # a centrally-run city never takes the province word, whatever the writer wrote
    assert found(g, "Can Tho Provincial Police") == [("Can Tho Provincial Police", "Công an thành phố Cần Thơ")]
    assert found(g, "Công an tỉnh Cần Thơ", "vi", "en") == [("Công an tỉnh Cần Thơ", "Can Tho City Police")]
    assert found(g, "the Hai Phong City Border Guard")[0] == (
        "Hai Phong City Border Guard", "Bộ đội Biên phòng thành phố Hải Phòng")
    # the command is not the force (issue 10)
    assert found(g, "Quang Tri Provincial Border Guard Command") == [
        ("Quang Tri Provincial Border Guard Command", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Quảng Trị")]
    assert found(g, "Bộ đội Biên phòng tỉnh Quảng Trị", "vi", "en") == [
        ("Bộ đội Biên phòng tỉnh Quảng Trị", "Quang Tri Provincial Border Guard")]
    # a provincial city that shares its province's name is a city, not the province
    assert found(g, "Cao Bang City Police") == [("Cao Bang City Police", "Công an thành phố Cao Bằng")]


def test_bodies_and_heads_at_each_level(repo_glossary):
    g = repo_glossary
    cases = {
        "Lai Chau Provincial Military Command": "Bộ Chỉ huy Quân sự tỉnh Lai Châu",
        "Gia Lai Provincial People's Court": "Tòa án nhân dân tỉnh Gia Lai",
        "Can Tho City People's Procuracy": "Viện Kiểm sát nhân dân thành phố Cần Thơ",
        "Dien Bien Provincial Customs Department": "Cục Hải quan tỉnh Điện Biên",
        "Standing Board of the Quang Tri Provincial Party Committee": "Ban Thường vụ Tỉnh ủy Quảng Trị",
        "Binh Duong Provincial Party Committee's Standing Board": "Ban Thường vụ Tỉnh ủy Bình Dương",
        "Chief of the Bat Xat District Police": "Trưởng Công an huyện Bát Xát",
        "Deputy Chief of the Ninh Kieu District Police": "Phó Trưởng Công an quận Ninh Kiều",
        "Chairman of the Lai Chau Provincial People's Council": "Chủ tịch Hội đồng nhân dân tỉnh Lai Châu",
        "Na Ngoi Border Guard Station": "Đồn Biên phòng Na Ngoi",
        "Huong Hoa District Party Committee": "Huyện ủy Hướng Hóa",
    }
    for en, vi in cases.items():
        assert found(g, en) == [(en, vi)], en
        assert found(g, vi, "vi", "en")[0][1].replace("'s Standing Board", "") in (
            en, en.replace("Binh Duong Provincial Party Committee's Standing Board",
                           "Standing Board of the Binh Duong Provincial Party Committee")), vi


def test_a_unit_does_not_swallow_the_name_after_it(repo_glossary):
    assert found(repo_glossary, "Trưởng Công an xã Na Ngoi Lò Văn Thanh", "vi", "en") == [
        ("Trưởng Công an xã Na Ngoi", "Chief of the Na Ngoi Commune Police"), ("Lò Văn Thanh", "Lo Van Thanh")]


def test_a_bare_unit_name_only_where_the_article_settles_it(repo_glossary):
    g = repo_glossary
    text = "the border communes of Mu Ca and Thu Lum"
    assert found(g, text, context="Lai Chau Provincial Police") == [("Mu Ca", "Mù Cả"), ("Thu Lum", "Thu Lũm")]
    assert found(g, text) == []  # no province named: two capitalized words are not enough
    # a person's name is not a place
    assert found(g, "Lo Van Sang met them", context="Lai Chau") == []


def test_a_body_the_text_goes_on_naming_is_not_cut_short(repo_glossary):
    g = repo_glossary
    assert found(g, "Chief of the Office of the Ministry, said") == [
        ("Chief of the Office of the Ministry", "Chánh Văn phòng Bộ Công an")]
    assert found(g, "the Office of the Ministry of Foreign Affairs") == [
        ("Ministry of Foreign Affairs", "Bộ Ngoại giao")]


def test_writers_variants_are_one_term(repo_glossary):
    g = repo_glossary
    cyber = "Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao"
    for en in ("Department of Cyber Security and High-Tech Crime Prevention",
               "Department of Cyber Security and High Tech Crime Prevention",
               "department of cyber security and high–tech crime prevention",
               "Department of Cyber Security and Hi-tech Crime Prevention"):
        assert found(g, en) == [(en, cyber)], en
    for en in ("the All People Protecting National Security movement", "the All People Protect National Security movement"):
        assert found(g, en)[0][1] == "phong trào Toàn dân bảo vệ an ninh Tổ quốc", en
    assert found(g, "the Ministry’s Office")[0][1] == "Văn phòng Bộ Công an"  # curly apostrophe
    assert found(g, "the Binh Duong Provincial Party Committee’s Standing Board")[0][1] == "Ban Thường vụ Tỉnh ủy Bình Dương"
