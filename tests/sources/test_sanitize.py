"""sanitize_html: nothing executable reaches a feed reader; links absolute."""
from __future__ import annotations

from syndicate.publish.sanitize import sanitize_html

BASE = "https://portal.example/en/news/item.html"


def test_scripts_styles_iframes_removed_with_their_content():
    out = sanitize_html(
        "<p>Text</p><script>steal()</script><style>p{color:red}</style>"
        "<iframe src='https://ads.example'>fallback</iframe><noscript>ns</noscript>"
        "<svg><script>also()</script></svg><object data='x.swf'>obj</object>",
        BASE,
    )
    assert out == "<p>Text</p>"


def test_event_handlers_and_style_attributes_removed():
    out = sanitize_html('<p onclick="x()" style="position:fixed" onmouseover=y()>Hi</p><img src="a.png" onerror="z()">', BASE)
    assert out == '<p>Hi</p><img src="https://portal.example/en/news/a.png">'


def test_javascript_and_data_urls_removed_even_disguised():
    for href in ("javascript:alert(1)", "  JaVaScRiPt:alert(1)", "jav&#x09;ascript:alert(1)",
                 "vbscript:msgbox(1)", "data:text/html;base64,PHNjcmlwdD4="):
        out = sanitize_html(f'<a href="{href}">x</a>', BASE)
        assert "href" not in out, href
        assert "script" not in out.lower() or "javascript" not in out.lower()
    assert "src" not in sanitize_html('<img src="data:image/png;base64,AAAA">', BASE)


def test_relative_links_made_absolute():
    out = sanitize_html(
        '<a href="/vi/tin/1.html">a</a> <a href="other.html">b</a> <a href="//cdn.example/x">c</a>'
        ' <a href="#top">d</a> <a href="mailto:press@portal.example">e</a>',
        BASE,
    )
    assert 'href="https://portal.example/vi/tin/1.html"' in out
    assert 'href="https://portal.example/en/news/other.html"' in out
    assert 'href="https://cdn.example/x"' in out
    assert 'href="https://portal.example/en/news/item.html#top"' in out
    assert 'href="mailto:press@portal.example"' in out
    assert out.count('rel="noopener noreferrer"') == 5


def test_ordinary_article_markup_kept():
    html = '<p>One <b>bold</b> <em>word</em>.</p><blockquote>Quote</blockquote><ul><li>item</li></ul><h2>Sub</h2>'
    assert sanitize_html(html, BASE) == html


def test_vietnamese_text_untouched():
    assert sanitize_html("<p>Hòa bình, thủy lợi, Ủy ban, sức khỏe</p>", BASE) == "<p>Hòa bình, thủy lợi, Ủy ban, sức khỏe</p>"
