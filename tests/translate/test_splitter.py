"""Sentence splitting edge cases in English and Vietnamese news text."""
from __future__ import annotations

import pytest

from syndicate.translate.splitter import Steps, join_segments, segments, split_sentences


@pytest.mark.parametrize(
    "text, expected",
    [
        # military/police ranks and titles introduce a name
        ("Gen. To Lam chaired the meeting. Maj. Gen. Le Tan Toi attended.",
         ["Gen. To Lam chaired the meeting.", "Maj. Gen. Le Tan Toi attended."]),
        ("Lt. Col. Tran Minh Tam spoke. Col. Nguyen Van Hung agreed.",
         ["Lt. Col. Tran Minh Tam spoke.", "Col. Nguyen Van Hung agreed."]),
        ("Mr. Hung lives at No. 12 Tran Hung Dao Street. He is 40.",
         ["Mr. Hung lives at No. 12 Tran Hung Dao Street.", "He is 40."]),
        # U.S. mid-sentence vs at the end of one
        ("The U.S. Embassy sent a delegation. It met the police.",
         ["The U.S. Embassy sent a delegation.", "It met the police."]),
        ("The delegation flew to the U.S. The trip lasted a week.",
         ["The delegation flew to the U.S.", "The trip lasted a week."]),
        # numbers with thousands separators of both conventions
        ("Police arrested 3,489 suspects in 2019. Another 1,200 were fined.",
         ["Police arrested 3,489 suspects in 2019.", "Another 1,200 were fined."]),
        # quotes: punctuation inside the quote; lowercase after it continues
        ('"We will win," he said. "Is it over?" she asked. Nobody answered.',
         ['"We will win," he said.', '"Is it over?" she asked.', "Nobody answered."]),
        ('He said: "The case is closed." Then he left.',
         ['He said: "The case is closed."', "Then he left."]),
        # ellipses: a capital after them is a new sentence, lowercase is not
        ("The investigation continues... Police ask for help.",
         ["The investigation continues...", "Police ask for help."]),
        ("They waited… and waited. Nothing came.",
         ["They waited… and waited.", "Nothing came."]),
        # initials
        ("J. Smith and Nguyen V. A. met. They talked.",
         ["J. Smith and Nguyen V. A. met.", "They talked."]),
        ("Really? Yes! Fine.", ["Really?", "Yes!", "Fine."]),
        ("Police detained Nguyen Van A. He confessed.", ["Police detained Nguyen Van A.", "He confessed."]),
        # a number ending a sentence is no list marker
        ("Priority No. 1. The police must act. He scored 2. Then he left.",
         ["Priority No. 1.", "The police must act.", "He scored 2.", "Then he left."]),
    ],
)
def test_english(text, expected):
    assert split_sentences(text, "en") == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Công an TP. Hồ Chí Minh bắt giữ 3.489 đối tượng. Vụ án đang được điều tra.",
         ["Công an TP. Hồ Chí Minh bắt giữ 3.489 đối tượng.", "Vụ án đang được điều tra."]),
        ("ThS. Lê Thị Hòa trình bày tham luận. Đại tá Nguyễn Văn Hùng phát biểu.",
         ["ThS. Lê Thị Hòa trình bày tham luận.", "Đại tá Nguyễn Văn Hùng phát biểu."]),
        ("Số tiền thu giữ là 1.000.000 đồng. Ủy ban nhân dân tỉnh đã chỉ đạo.",
         ["Số tiền thu giữ là 1.000.000 đồng.", "Ủy ban nhân dân tỉnh đã chỉ đạo."]),
        ("“Chúng tôi sẽ bảo vệ an ninh Tổ quốc,” ông nói. Đây là nhiệm vụ quan trọng.",
         ["“Chúng tôi sẽ bảo vệ an ninh Tổ quốc,” ông nói.", "Đây là nhiệm vụ quan trọng."]),
        ("Ông hỏi: “Ai chịu trách nhiệm?” Đó là câu hỏi lớn.",
         ["Ông hỏi: “Ai chịu trách nhiệm?”", "Đó là câu hỏi lớn."]),
        ("Giá trị tài sản là 3,5 tỷ đồng... Đối tượng đã bỏ trốn.",
         ["Giá trị tài sản là 3,5 tỷ đồng...", "Đối tượng đã bỏ trốn."]),
        ("Đ/c Trần Văn A. chủ trì. Ông Ánh phát biểu.",
         ["Đ/c Trần Văn A. chủ trì.", "Ông Ánh phát biểu."]),
        # a one-letter given name ends the sentence when an opener follows
        ("Người bị hại là anh Nguyễn Văn A. Ông cho biết đã mất 3,5 tỷ đồng.",
         ["Người bị hại là anh Nguyễn Văn A.", "Ông cho biết đã mất 3,5 tỷ đồng."]),
        # joined degrees and titles introduce a name
        ("PGS.TS. Trần Văn B trình bày. Th.S. Lê Thị C phát biểu. Hội nghị kết thúc.",
         ["PGS.TS. Trần Văn B trình bày.", "Th.S. Lê Thị C phát biểu.", "Hội nghị kết thúc."]),
        ("Ths. Lê Văn D và NGƯT. Phạm E dự. BSCKII. Hồ F trả lời.",
         ["Ths. Lê Văn D và NGƯT. Phạm E dự.", "BSCKII. Hồ F trả lời."]),
        # TP.HCM is a name, not a title: it can end a sentence
        ("Đoàn công tác tới TP.HCM. Đại tá Nguyễn Văn Hùng tiếp đoàn.",
         ["Đoàn công tác tới TP.HCM.", "Đại tá Nguyễn Văn Hùng tiếp đoàn."]),
        # "ở", "ủy", "ấy" are small letters though they sit among capitals in Unicode
        ("Tại Hà Nội, Huế, v.v. ở các địa phương đều triển khai. Kết quả tốt.",
         ["Tại Hà Nội, Huế, v.v. ở các địa phương đều triển khai.", "Kết quả tốt."]),
        ("Thiệt hại lên tới... ở mức hàng tỷ đồng. Ủy ban đã chỉ đạo.",
         ["Thiệt hại lên tới... ở mức hàng tỷ đồng.", "Ủy ban đã chỉ đạo."]),
        ("Sự việc xảy ra ngày 9.8.2019. Công an đã vào cuộc.",
         ["Sự việc xảy ra ngày 9.8.2019.", "Công an đã vào cuộc."]),
        # list markers open their item, at a line start or after a colon
        ("1. Tăng cường công tác tuyên truyền.\nII. NHIỆM VỤ TRỌNG TÂM",
         ["1. Tăng cường công tác tuyên truyền.", "II. NHIỆM VỤ TRỌNG TÂM"]),
        ("Nhiệm vụ gồm: 1. Tăng cường tuần tra. 2. Phối hợp chặt chẽ.",
         ["Nhiệm vụ gồm: 1. Tăng cường tuần tra.", "2. Phối hợp chặt chẽ."]),
    ],
)
def test_vietnamese(text, expected):
    assert split_sentences(text, "vi") == expected


def test_line_breaks_are_boundaries_and_are_kept():
    text = "First line. Second sentence\nThird line without stop\n\nFourth."
    segs = segments(text, "en")
    assert [s for s, _ in segs] == ["First line.", "Second sentence", "Third line without stop", "Fourth."]
    assert [sep for _, sep in segs] == [" ", "\n", "\n\n", ""]
    assert join_segments([s.upper() for s, _ in segs], [sep for _, sep in segs]) == text.upper()


def test_degenerate_inputs():
    assert split_sentences("", "en") == []
    assert split_sentences("   \n ", "vi") == []
    assert split_sentences("No full stop at all", "en") == ["No full stop at all"]
    assert split_sentences("Ends with space. ", "en") == ["Ends with space."]


# --- linear time (issue 13, item 3) ---------------------------------------------------
# The old splitter backtracked through every punctuation run at every start,
# copied the rest of the line at every candidate and rescanned from a start
# that abbreviations kept from advancing: 40,000 "!" took 23 s, 1 MB hours.
# Steps counts every character the splitter reads (scans, matches, slices);
# bench/splitter.py times the same inputs.

MB = 1_000_000
HOSTILE = {
    "bangs": lambda n: "!" * n,
    "titles": lambda n: "Mr. " * (n // 4),
    "dots": lambda n: "..." * (n // 3),
    "spaced dots": lambda n: "... " * (n // 4),
    "initials": lambda n: "A. " * (n // 3),
    "endings": lambda n: "U.S. " * (n // 5),
    "list marks": lambda n: "gồm: 2. " * (n // 8),
    "one long word": lambda n: "a" * n + ". B",
    "openers": lambda n: "a. " + "(" * n,
    "closers": lambda n: "a!" + "”" * n + " B",
    "short sentences": lambda n: "Hi. " * (n // 4),
}
STEPS_PER_CHAR = 10  # the worst input above reads each character about 8 times


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_megabyte_line_is_split_in_steps_linear_in_its_length(name):
    text = HOSTILE[name](MB)
    steps = Steps()
    segs = segments(text, steps=steps)
    assert steps.n <= STEPS_PER_CHAR * len(text)
    assert "".join(s + sep for s, sep in segs).replace(" ", "") == text.strip().replace(" ", "")  # nothing lost
    # Half the text, half the work: no hidden quadratic term.
    half = Steps()
    segments(HOSTILE[name](MB // 2), steps=half)
    assert steps.n <= 2.05 * half.n


def test_hostile_lines_split_as_the_rules_say():
    assert split_sentences("!" * MB) == ["!" * MB]
    assert split_sentences("Mr. " * 1000) == [("Mr. " * 1000).strip()]  # a title never ends a sentence
    assert split_sentences("..." * 1000) == ["..." * 1000]
    assert len(split_sentences("Hi. " * 1000)) == 1000


@pytest.mark.parametrize("text", ["Gen. To Lam chaired the meeting. Maj. Gen. Le Tan Toi attended.",
                                  "Nhiệm vụ gồm: 1. Tăng cường tuần tra. 2. Phối hợp chặt chẽ."])
def test_ordinary_text_costs_a_few_steps_per_character(text):
    steps = Steps()
    segments(text, steps=steps)
    assert steps.n <= STEPS_PER_CHAR * len(text)
