"""encoding.decode_html on real-world charset mistakes."""
from __future__ import annotations

import unicodedata

from feed_support import read_testdata

from syndicate.sources.encoding import decode_html

TITLE = "Công an Thủ đô bảo đảm an ninh dịp Quốc khánh"


def test_windows_1258_with_lying_utf8_header_uses_meta_and_composes():
    d = decode_html(read_testdata("page_cp1258.html"), "text/html; charset=utf-8")
    assert d.encoding == "cp1258" and d.how == "meta"
    assert TITLE in d.text
    assert "Ủy ban nhân dân" in d.text and "sức khỏe" in d.text
    assert unicodedata.is_normalized("NFC", d.text)


def test_windows_1258_without_any_declaration_is_not_mojibake():
    body = read_testdata("page_cp1258.html").replace(b"charset=windows-1258", b"")
    d = decode_html(body, "text/html")
    assert (d.encoding, d.how) == ("cp1258", "detected")
    assert TITLE in d.text and "Ủy ban nhân dân" in d.text


def test_nfd_page_becomes_nfc():
    raw = read_testdata("page_nfd.html")
    assert not unicodedata.is_normalized("NFC", raw.decode("utf-8"))
    d = decode_html(raw, "text/html")
    assert TITLE in d.text and unicodedata.is_normalized("NFC", d.text)


def test_utf8_page_with_latin1_header_is_utf8():
    # Apache's AddDefaultCharset: the header says iso-8859-1, the page is UTF-8.
    d = decode_html(read_testdata("page_vi.html"), "text/html; charset=ISO-8859-1")
    assert d.encoding == "utf-8"
    assert "Triệt phá đường dây ma túy" in d.text


def test_header_charset_used_for_legacy_page_without_meta():
    body = "<p>Café – “quoted”</p>".encode("cp1252")
    d = decode_html(body, "text/html; charset=iso-8859-1")
    # iso-8859-1 means windows-1252 on the web: curly quotes and dashes survive.
    assert d.text == "<p>Café – “quoted”</p>"
    assert d.how == "header"


def test_bom_wins():
    body = "\ufeff<p>Xin chào</p>".encode("utf-16-le")
    d = decode_html(b"\xff\xfe" + body[2:], "text/html; charset=iso-8859-1")
    assert "Xin chào" in d.text and d.how == "bom"


def test_unknown_charset_label_falls_through():
    d = decode_html("<p>Hà Nội</p>".encode("utf-8"), "text/html; charset=klingon-8")
    assert d.text == "<p>Hà Nội</p>"
