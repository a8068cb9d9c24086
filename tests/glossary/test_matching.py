"""Matching: normalized text, word boundaries, longest first, patterns
before their parts, case per entry; and the seed articles fully covered."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from terms_support import write

from syndicate.glossary import load

SEEDS = Path("/work/shared/seeds")


def found(g, text, src="en", tgt="vi"):
    return [(m.source, m.target) for m in g.find(text, src, tgt)]


def test_longest_match_first(small_dir):
    g = load(small_dir)
    assert found(g, "the Deputy Minister of Public Security said") == [
        ("Deputy Minister of Public Security", "Thứ trưởng Bộ Công an")]
    assert found(g, "the Minister of Public Security said") == [
        ("Minister of Public Security", "Bộ trưởng Bộ Công an")]


def test_pattern_beats_its_parts_and_handles_both_word_orders(small_dir):
    g = load(small_dir)
    assert found(g, "worked with Quang Ninh Provincial Police Department on") == [
        ("Quang Ninh Provincial Police Department", "Công an tỉnh Quảng Ninh")]
    assert found(g, "the Provincial Police of Son La said") == [
        ("Provincial Police of Son La", "Công an tỉnh Sơn La")]
    # Without a place the plain entry still applies.
    assert found(g, "the provincial police department said") == [
        ("provincial police department", "Công an tỉnh")]
    # And the other direction rebuilds the English word order.
    assert found(g, "Công an tỉnh Sơn La cho biết", "vi", "en") == [
        ("Công an tỉnh Sơn La", "Son La Provincial Police Department")]


def test_rank_person_pattern(small_dir):
    g = load(small_dir)
    assert found(g, "General To Lam spoke") == [("General To Lam", "Đại tướng Tô Lâm")]
    assert found(g, "Đại tướng Tô Lâm phát biểu", "vi", "en") == [("Đại tướng Tô Lâm", "General To Lam")]


def test_word_boundaries(small_dir):
    g = load(small_dir)
    assert found(g, "Son Lao and Quang Ninhs and xblack credit") == []
    assert found(g, "black credits") == []
    assert found(g, "(black credit)") == [("black credit", "tín dụng đen")]
    assert found(g, "Sơn Lam", "vi", "en") == []


def test_case_rules(small_dir):
    g = load(small_dir)
    # "ignore": any case; "exact": only as written.
    assert found(g, "BLACK CREDIT and Black Credit") == [
        ("BLACK CREDIT", "tín dụng đen"), ("Black Credit", "tín dụng đen")]
    assert found(g, "the general public and quang ninh") == []
    assert found(g, "Quang Ninh") == [("Quang Ninh", "Quảng Ninh")]


def test_matching_runs_on_normalized_text(small_dir):
    write(small_dir, "titles2.toml", '[[term]]\nen = "Politburo member"\nvi = "Ủy viên Bộ Chính trị"\n')
    g = load(small_dir)
    nfd = unicodedata.normalize("NFD", "Tô Lâm, Ủy viên Bộ Chính trị")
    old_style = "U\u1ef7 viên Bộ Chính trị"
    assert found(g, nfd, "vi", "en") == [("Tô Lâm", "To Lam"), ("Ủy viên Bộ Chính trị", "Politburo member")]
    assert found(g, old_style, "vi", "en") == [("Ủy viên Bộ Chính trị", "Politburo member")]


def test_whitespace_and_apostrophes(repo_glossary):
    assert found(repo_glossary, "the Chairman of the  Son La Provincial People’s Committee") == [
        ("Chairman of the  Son La Provincial People’s Committee", "Chủ tịch Ủy ban nhân dân tỉnh Sơn La")]


def test_issue_pattern_examples(repo_glossary):
    g = repo_glossary
    want = "Chủ tịch Ủy ban nhân dân tỉnh Quảng Ninh"
    assert found(g, "Chairman of the Provincial People's Committee of Quang Ninh") == [
        ("Chairman of the Provincial People's Committee of Quang Ninh", want)]
    assert found(g, "Chairman of the Quang Ninh Provincial People's Committee") == [
        ("Chairman of the Quang Ninh Provincial People's Committee", want)]
    assert found(g, want, "vi", "en") == [(want, "Chairman of the Quang Ninh Provincial People's Committee")]
    # The type word comes from the unit: a rural district is a huyện, an urban one a quận.
    assert found(g, "Ky Son District Police Station")[0][1] == "Công an huyện Kỳ Sơn"
    assert found(g, "Ninh Kieu District Police")[0][1] == "Công an quận Ninh Kiều"
    assert found(g, "Lieutenant General Le Quy Vuong") == [
        ("Lieutenant General Le Quy Vuong", "Trung tướng Lê Quý Vương")]


def test_direction_limits(repo_glossary):
    # "Hồ Chí Minh" reads as the President in Vietnamese; English "Ho Chi Minh"
    # alone is not an entry (it is usually the city).
    assert found(repo_glossary, "Hồ Chí Minh", "vi", "en") == [("Hồ Chí Minh", "Ho Chi Minh")]
    assert found(repo_glossary, "Ho Chi Minh City") == [("Ho Chi Minh City", "Thành phố Hồ Chí Minh")]


def test_places_before_and_after_merger(repo_glossary):
    assert found(repo_glossary, "Ha Giang province") == [("Ha Giang province", "tỉnh Hà Giang")]
    assert found(repo_glossary, "tỉnh Thừa Thiên Huế", "vi", "en") == [("tỉnh Thừa Thiên Huế", "Thua Thien Hue province")]
    assert found(repo_glossary, "Hoàn Kiếm Ward", ) == []  # exact-case place, English side
    assert found(repo_glossary, "phường Hoàn Kiếm", "vi", "en") == [("phường Hoàn Kiếm", "Hoan Kiem Ward")]


SEED_TERMS = {
    "000_4de3343c679c961f.txt": {
        "To Lam": "Tô Lâm",
        "General To Lam": "Đại tướng Tô Lâm",
        "Politburo member": "Ủy viên Bộ Chính trị",
        "Minister of Public Security": "Bộ trưởng Bộ Công an",
        "Ministry of Public Security": "Bộ Công an",
        "Quang Ninh Provincial Police Department": "Công an tỉnh Quảng Ninh",
        "Provincial Police of Quang Ninh": "Công an tỉnh Quảng Ninh",
        "Quang Ninh Provincial Police": "Công an tỉnh Quảng Ninh",
        "Minister To Lam": "Bộ trưởng Tô Lâm",
        "black credit": "tín dụng đen",
        "Quang Ninh": "Quảng Ninh",
        "local Party committees and authorities": "cấp ủy, chính quyền địa phương",
        "the Party and State": "Đảng và Nhà nước",
        "security and order": "an ninh, trật tự",
        "political security": "an ninh chính trị",
        "high-tech crimes": "tội phạm sử dụng công nghệ cao",
        "drug-related crime": "tội phạm về ma túy",
        "professional police officers": "Công an chính quy",
    },
    "002_dba8432a7dbf1820.txt": {
        "Major General Le Tan Toi": "Thiếu tướng Lê Tấn Tới",
        "Deputy Minister of Public Security": "Thứ trưởng Bộ Công an",
        "Deputy Minister Le Tan Toi": "Thứ trưởng Lê Tấn Tới",
        "Son La provincial police": "Công an tỉnh Sơn La",
        "Son La Provincial Police Department": "Công an tỉnh Sơn La",
        "Son La province": "tỉnh Sơn La",
        "Party congresses at all local levels": "đại hội Đảng bộ các cấp",
        "Party congresses at all levels": "đại hội Đảng bộ các cấp",
        "MPS": "Bộ Công an",
        "social order and safety": "trật tự, an toàn xã hội",
        "cyber security": "an ninh mạng",
        "economic security": "an ninh kinh tế",
        "information security": "an ninh thông tin",
    },
}


@pytest.mark.parametrize("name", sorted(SEED_TERMS))
def test_seed_articles_are_covered(repo_glossary, name):
    path = SEEDS / name
    if path.exists():
        text = path.read_text(encoding="utf-8")
    else:  # the seeds live outside the repo; these lines are quoted from them
        text = "\n".join(SEED_TERMS[name])
    got = {}
    for para in text.split("\n"):
        for m in repo_glossary.find(para, "en", "vi"):
            got[m.source] = m.target
    for src, tgt in SEED_TERMS[name].items():
        if path.exists() and src not in text:
            continue
        hits = [s for s in got if s == src or src in s]
        assert hits, f"{src!r} not matched in {name}"
        assert any(tgt in got[s] for s in hits), (src, {s: got[s] for s in hits})


def test_rank_that_is_an_ordinary_word_matches_only_before_a_name(repo_glossary):
    g = repo_glossary
    assert found(g, "Major efforts were made by the General Department.") == []
    assert found(g, "Major Nguyen Van An spoke.") == [("Major", "Thiếu tá"), ("Nguyen Van An", "Nguyen Van An")]
    assert found(g, "Major General Le Tan Toi") == [("Major General Le Tan Toi", "Thiếu tướng Lê Tấn Tới")]
    assert found(g, "Thiếu tá Nguyễn Văn An", "vi", "en") == [("Thiếu tá", "Major"), ("Nguyễn Văn An", "Nguyen Van An")]
    # Only the English words are ambiguous: Vietnamese ranks are ranks anywhere.
    assert found(g, "Ông được thăng hàm Đại tướng năm 2019.", "vi", "en") == [("Đại tướng", "General")]
    assert found(g, "hàm Thiếu tá", "vi", "en") == [("Thiếu tá", "Major")]


def test_company_grade_ranks_follow_the_official_english(repo_glossary):
    # Law on Officers of the People's Army / on the People's Public Security,
    # official English: Second Lieutenant, Lieutenant, Senior Lieutenant, Captain.
    g = repo_glossary
    assert found(g, "Đại úy Trần Đức Anh và Thượng úy Lê Văn Đức", "vi", "en") == [
        ("Đại úy", "Captain"), ("Trần Đức Anh", "Tran Duc Anh"),
        ("Thượng úy", "Senior Lieutenant"), ("Lê Văn Đức", "Le Van Duc")]
    assert found(g, "Captain Tran Duc Anh") == [("Captain", "Đại úy"), ("Tran Duc Anh", "Tran Duc Anh")]
    assert found(g, "the captain of the team") == []


def test_a_name_that_contains_a_place_name_stays_a_name(repo_glossary):
    # Thanh Xuân, Hoàng Mai, Minh Châu are wards, and given names too.
    g = repo_glossary
    assert found(g, "Đại tá Nguyễn Thanh Xuân phát biểu.", "vi", "en") == [
        ("Đại tá", "Colonel"), ("Nguyễn Thanh Xuân", "Nguyen Thanh Xuan")]
    assert found(g, "Colonel Nguyen Thanh Xuan spoke.") == [
        ("Colonel", "Đại tá"), ("Nguyen Thanh Xuan", "Nguyen Thanh Xuan")]
    # without a rank the name is left to the model, never half-translated
    assert found(g, "bà Trần Thị Hoàng Mai sống tại Hoàng Mai, Hà Nội.", "vi", "en") == [
        ("Hoàng Mai", "Hoang Mai"), ("Hà Nội", "Hanoi")]
    # a term that is not a place still ends the name
    assert found(g, "Đại tá Phạm Văn Hùng Công an tỉnh Sơn La", "vi", "en") == [
        ("Đại tá", "Colonel"), ("Phạm Văn Hùng", "Pham Van Hung"),
        ("Công an tỉnh Sơn La", "Son La Provincial Police Department")]
    assert found(g, "Công an tỉnh Lâm Đồng và Tô Lâm", "vi", "en")[0][1] == "Lam Dong Provincial Police Department"


def test_every_spelling_of_the_hcm_city_police_is_one_term(repo_glossary):
    for vi in ("Công an TP.HCM", "Công an TP. Hồ Chí Minh", "Công an TPHCM", "Công an Thành phố Hồ Chí Minh"):
        assert found(repo_glossary, f"{vi} cho biết", "vi", "en") == [(vi, "Ho Chi Minh City Police")], vi


def test_centrally_run_cities_keep_city_titles(repo_glossary):
    g = repo_glossary
    assert found(g, "Bí thư Thành ủy TP Hồ Chí Minh", "vi", "en") == [
        ("Bí thư Thành ủy TP Hồ Chí Minh", "Secretary of the Ho Chi Minh City Party Committee")]
    assert found(g, "Secretary of the Ho Chi Minh City Party Committee") == [
        ("Secretary of the Ho Chi Minh City Party Committee", "Bí thư Thành ủy Thành phố Hồ Chí Minh")]
    assert found(g, "Chủ tịch UBND TP.HCM", "vi", "en") == [
        ("Chủ tịch UBND TP.HCM", "Chairman of the Ho Chi Minh City People's Committee")]
    # a Thành ủy, not a Tỉnh ủy; and never the General Secretary
    assert found(g, "Hanoi Party chief") == [("Hanoi Party chief", "Bí thư Thành ủy Hà Nội")]
    assert found(g, "Quang Ninh Party chief") == [("Quang Ninh Party chief", "Bí thư Tỉnh ủy Quảng Ninh")]
    # no "City City" whatever pattern a Ho Chi Minh City spelling fills
    for m in g.find("Ủy ban nhân dân thành phố TP.HCM và Thành ủy TP.HCM", "vi", "en"):
        assert "City City" not in m.target, m


def test_vice_president_is_the_state_office_only_before_a_name(repo_glossary):
    g = repo_glossary
    assert found(g, "Vice President Vo Thi Anh Xuan") == [("Vice President Vo Thi Anh Xuan", "Phó Chủ tịch nước Võ Thị Ánh Xuân")]
    assert found(g, "State Vice President") == [("State Vice President", "Phó Chủ tịch nước")]
    assert ("Vice President", "Phó Chủ tịch nước") not in found(g, "Vice President of the Vietnam Fatherland Front")
    assert found(g, "Phó Chủ tịch nước", "vi", "en") == [("Phó Chủ tịch nước", "Vice President")]


def test_general_after_another_title_word_is_not_a_rank(repo_glossary):
    g = repo_glossary
    assert found(g, "Consul General Tran Van Cuong spoke.") == []
    assert found(g, "Procurator General Le Minh Tri spoke.") == [
        ("Procurator General", "Viện trưởng Viện kiểm sát nhân dân tối cao"), ("Le Minh Tri", "Le Minh Tri")]
    # after lower case, punctuation or a dash it is the rank
    assert found(g, "MPS - General Nguyen Van An met him.")[1:] == [
        ("General", "Đại tướng"), ("Nguyen Van An", "Nguyen Van An")]
    assert found(g, "He met General Nguyen Van An.") == [("General", "Đại tướng"), ("Nguyen Van An", "Nguyen Van An")]
    # a capitalized word that opens the sentence does not hide the rank
    assert found(g, "Yesterday General Nguyen Van An spoke.") == [
        ("General", "Đại tướng"), ("Nguyen Van An", "Nguyen Van An")]


def test_head_of_a_local_police_keeps_its_place(repo_glossary):
    g = repo_glossary
    assert found(g, "Trưởng Công an huyện Mộc Châu Nguyễn Văn An", "vi", "en") == [
        ("Trưởng Công an huyện Mộc Châu", "Chief of the Moc Chau District Police"), ("Nguyễn Văn An", "Nguyen Van An")]
    assert found(g, "Head of the Co To Commune Police") == [
        ("Head of the Co To Commune Police", "Trưởng Công an xã Cô Tô")]


def test_rank_of_the_police_before_a_name(repo_glossary):
    g = repo_glossary
    assert found(g, "Trung tướng Công an Nguyễn Văn Long phát biểu.", "vi", "en") == [
        ("Trung tướng Công an", "Police Lieutenant General"), ("Nguyễn Văn Long", "Nguyen Van Long")]
    assert found(g, "Thiếu tướng Công an Lê Tấn Tới", "vi", "en") == [
        ("Thiếu tướng Công an", "Police Major General"), ("Lê Tấn Tới", "Le Tan Toi")]
    # without a name it is the rank and then the police of a place
    assert found(g, "sĩ quan hàm Đại tá Công an tỉnh Quảng Ninh", "vi", "en")[-2:] == [
        ("Đại tá", "Colonel"), ("Công an tỉnh Quảng Ninh", "Quang Ninh Provincial Police Department")]


def test_police_department_of_a_place_is_one_term(repo_glossary):
    # province or city is not said: the neutral short form, never "... Department" left over
    assert found(repo_glossary, "the Son La Police Department said") == [
        ("Son La Police Department", "Công an Sơn La")]
    assert found(repo_glossary, "the Da Nang City Police Department said") == [
        ("Da Nang City Police Department", "Công an thành phố Đà Nẵng")]


def test_name_after_a_title_and_the_body_it_heads(repo_glossary):
    g = repo_glossary
    assert found(g, "Bộ trưởng Bộ Quốc phòng Phan Văn Giang dự.", "vi", "en") == [
        ("Bộ trưởng", "Minister"), ("Bộ Quốc phòng", "Ministry of National Defence"),
        ("Phan Văn Giang", "Phan Van Giang")]
    # an organization alone is no title: what follows is not taken for a name
    assert found(g, "Bộ Quốc phòng Việt Nam", "vi", "en") == [
        ("Bộ Quốc phòng", "Ministry of National Defence"), ("Việt Nam", "Vietnam")]
