"""Writes the legacy-encoded Vietnamese pages in this folder (their bytes are
committed; this script says how they were made).

Windows-1258 has precomposed letters for the vowel shapes (ô, ơ, ă, ...) but
not for most tone marks, which it encodes as combining characters: so the
text is decomposed, the shape diacritics put back, and tone marks left
combining, exactly what a legacy Vietnamese page holds.

Run: python tests/sources/testdata/make_legacy_pages.py
"""
import unicodedata
from pathlib import Path

HERE = Path(__file__).parent
SHAPES = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn

TEXT = {
    "title": "Công an Thủ đô bảo đảm an ninh dịp Quốc khánh",
    "p1": "Bộ Công an - Công an thành phố Hà Nội đã huy động lực lượng bảo đảm tuyệt đối an toàn cho các hoạt động kỷ niệm Quốc khánh, hòa bình và trật tự.",
    "p2": "Ủy ban nhân dân thành phố đề nghị người dân chấp hành nghiêm quy định về an toàn giao thông và giữ gìn sức khỏe trong những ngày lễ.",
    "p3": "Lực lượng cảnh sát giao thông sẽ phân luồng tại các tuyến phố trung tâm từ sáng sớm đến hết ngày hôm sau.",
}


def to_cp1258(s: str) -> bytes:
    out = []
    for ch in unicodedata.normalize("NFD", s):
        if ch in SHAPES and out:
            # NFD orders a dot below before the circumflex ("ộ" = o, U+0323, U+0302):
            # put the shape onto the base letter, keep the tone mark after it.
            i = len(out) - 1
            while i > 0 and unicodedata.combining(out[i]):
                i -= 1
            out[i] = unicodedata.normalize("NFC", out[i] + ch)
        else:
            out.append(ch)
    return "".join(out).encode("cp1258")


def page(charset_meta: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset_meta}">
<title>{TEXT['title']}</title>
</head>
<body>
<div class="menu"><a href="/">Trang chủ</a> <a href="/tin">Tin tức</a></div>
<div class="article">
<h1>{TEXT['title']}</h1>
<p>{TEXT['p1']}</p>
<p>{TEXT['p2']}</p>
<p>{TEXT['p3']}</p>
</div>
<div class="footer">Bản quyền Bộ Công an</div>
</body>
</html>
"""


FEED = """<?xml version="1.0" encoding="windows-1258"?>
<rss version="2.0">
  <channel>
    <title>Bộ Công an - Tin tức</title>
    <link>{base}/vi/</link>
    <description>Tin tức an ninh trật tự</description>
    <item>
      <title>Ủy ban nhân dân thành phố họp về thủy lợi và sức khỏe</title>
      <link>{base}/vi/tin/uy-ban.html</link>
      <pubDate>Sat, 10 Aug 2019 07:00:00 +0700</pubDate>
      <description>Ủy ban nhân dân thành phố đã họp bàn về công tác thủy lợi, hòa bình và chăm sóc sức khỏe cộng đồng.</description>
    </item>
  </channel>
</rss>
"""


if __name__ == "__main__":
    # A legacy feed: the XML declaration is right; tests serve it with a
    # Content-Type that says utf-8.
    (HERE / "rss_vi_cp1258.xml").write_bytes(to_cp1258(FEED))
    # Served with "charset=utf-8" in the tests: the header lies, the meta tag is right.
    (HERE / "page_cp1258.html").write_bytes(to_cp1258(page("windows-1258")))
    # UTF-8 in decomposed form (NFD), as some editors save it.
    (HERE / "page_nfd.html").write_bytes(unicodedata.normalize("NFD", page("utf-8")).encode("utf-8"))
