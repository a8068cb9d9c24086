"""Photo captions: the export's own layout mark first, a length guess only
without it.

The portal writes two blank lines after a photo caption and one after a
paragraph (seen in its English exports); some exports have one blank line
everywhere. A short one-sentence paragraph used to be styled as a caption
whatever the layout said (issue 12, item 11): "Thiếu tướng Nguyễn Văn Long
chỉ đạo mở rộng điều tra." was rendered in italics.
"""
from __future__ import annotations

from syndicate.text.portal import layout_captions, parse_portal_text

SENTENCE = "Thiếu tướng Nguyễn Văn Long chỉ đạo mở rộng điều tra."
CAPTION = "Thiếu tướng Nguyễn Văn Long phát biểu tại hội nghị."

# A caption followed by two blank lines, the one-sentence paragraph by one.
VI_MARKED = f"""Cổng Thông tin điện tử Bộ Công an đang được xây dựng

Công an tỉnh Lào Cai triệt phá đường dây lừa đảo qua mạng

12/05/2024
Bộ Công an - Ngày 11/5, Công an tỉnh Lào Cai đã triệt phá một đường dây lừa đảo chiếm đoạt tài sản qua mạng xã hội với hơn 300 bị hại ở nhiều tỉnh, thành phố.

Theo cơ quan điều tra, các đối tượng lập nhiều trang mạng giả danh cơ quan nhà nước, dụ dỗ người dân nộp tiền để được hỗ trợ thủ tục. Số tiền chiếm đoạt ước tính hơn 20 tỷ đồng.

{CAPTION}


{SENTENCE}

Công an tỉnh khuyến cáo người dân chỉ làm thủ tục qua cổng dịch vụ công chính thức và không chuyển tiền cho người lạ.

Hải Yến
"""


def kinds(text: str) -> list[tuple[str, str]]:
    a = parse_portal_text(text, source="inbox", language="auto", origin="f")
    return [(b.kind, b.text) for b in a.blocks]


def test_a_one_sentence_paragraph_is_a_paragraph_when_the_export_marks_captions():
    blocks = kinds(VI_MARKED)
    assert ("p", SENTENCE) in blocks
    assert ("caption", CAPTION) in blocks  # the real caption stays a caption
    assert [k for k, _ in blocks] == ["p", "p", "caption", "p", "p"]


def test_the_mark_is_relative_to_the_files_usual_gap():
    """An export with two blank lines between paragraphs marks a caption
    with three; two blank lines everywhere mark nothing."""
    wider = VI_MARKED.replace("\n\n", "\n\n\n")  # every gap + 1: caption 3, paragraphs 2
    assert kinds(wider) == kinds(VI_MARKED)
    even = VI_MARKED.replace(f"{CAPTION}\n\n\n", f"{CAPTION}\n\n")
    # No mark anywhere: the guess applies, and both short sentences look like captions.
    assert [k for k, _ in kinds(even)] == ["p", "p", "caption", "caption", "p"]


def test_an_english_export_marks_its_caption_with_two_blank_lines():
    text = """Ministry of Public Security Portal is under construction

Deputy Minister meets Lao Cai police

May, 12 2024
MPS - Deputy Minister of Public Security Nguyen Van Long worked with the Lao Cai Provincial Police Department on May 11.

The provincial police reported on their results in fighting cross-border crime and online fraud over the first four months of the year.

The Deputy Minister at the working session.


Major General Nguyen Van Long ordered the investigation to be widened.

He asked the provincial police to keep close cooperation with the border guards.

By Thu Trang
"""
    a = parse_portal_text(text, source="inbox", language="auto", origin="f")
    assert [b.kind for b in a.blocks] == ["p", "p", "caption", "p", "p"]
    assert a.author == "Thu Trang"


def test_a_marked_paragraph_that_is_long_stays_a_paragraph():
    long = " ".join(["Công an tỉnh tiếp tục mở rộng điều tra vụ án."] * 6)
    text = VI_MARKED.replace(f"{CAPTION}\n\n\n", f"{long}\n\n\n")
    assert ("p", long) in kinds(text)


def test_trailing_blank_lines_and_the_byline_gap():
    # What follows the file's last paragraph marks nothing...
    assert layout_captions([]) is None
    assert layout_captions([1, 1, 1]) is None
    assert layout_captions([1, 2, 1]) == {1}
    # ...and a caption right before the byline is still seen.
    text = VI_MARKED.replace(
        "công chính thức và không chuyển tiền cho người lạ.\n\nHải Yến\n",
        f"công chính thức và không chuyển tiền cho người lạ.\n\n{CAPTION}\n\n\nHải Yến\n\n\n\n",
    )
    a = parse_portal_text(text, source="inbox", language="auto", origin="f")
    assert a.blocks[-1] == a.blocks[-1].__class__("caption", CAPTION)
    assert a.author == "Hải Yến"
