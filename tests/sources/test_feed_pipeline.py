"""Feed sources through the whole cycle: local portal -> `syndicate run` ->
published feeds read back with feedparser."""
from __future__ import annotations

import json
from urllib.parse import urlsplit

import feedparser
from click.testing import CliRunner
from feed_support import EN_PAGES, Site, read_testdata

from syndicate.cli import main
from syndicate.exitcodes import ExitCode

def feed_sources(base: str) -> dict:
    """Config overrides: the portal's two feeds instead of the inbox."""
    # The portal is a loopback test server: allowed by its host:port.
    fast = {"timeout": 2.0, "retries": 0, "host_delay": 0.0, "allow_internal": [urlsplit(base).netloc]}
    return {"sources": [
        {"name": "mps-en", "type": "feed", "url": f"{base}/en/rss.xml", "language": "auto", **fast},
        {"name": "mps-vi", "type": "feed", "url": f"{base}/vi/atom.xml", **fast},
    ]}


def portal(httpserver) -> Site:
    site = Site(httpserver)
    site.put_feed("/en/rss.xml", "rss_en.xml", etag='"en-1"')
    for path, body in EN_PAGES.items():
        site.put(path, body)
    site.put_feed("/vi/atom.xml", "atom_vi.xml", content_type="application/atom+xml")
    site.put("/vi/tin/ma-tuy.html", read_testdata("page_vi.html"))
    site.put("/vi/tin/nhat-ban.html", read_testdata("page_cp1258.html"), "text/html; charset=utf-8")
    return site


def run(tmp_path, *args):
    return CliRunner().invoke(main, ["--config", str(tmp_path / "config.toml"), *args], catch_exceptions=False)


def test_feed_sources_are_published_and_a_broken_one_is_reported(httpserver, tmp_path, make_workspace):
    site = portal(httpserver)
    make_workspace(feed_sources(site.base))

    r = run(tmp_path, "run")
    assert r.exit_code == ExitCode.OK, r.output
    assert "articles: 5 new, 0 updated, 0 unchanged, 0 rejected" in r.output

    en = feedparser.parse((tmp_path / "feeds" / "en" / "atom.xml").read_bytes())
    vi = feedparser.parse((tmp_path / "feeds" / "vi" / "atom.xml").read_bytes())
    assert not en.bozo and not vi.bozo
    assert [e.title for e in en.entries] == [
        "Police dismantle cross-border drug ring",
        "Minister receives Japanese delegation",
        "Traffic safety campaign launched",
    ]
    first = en.entries[0]
    # The item's URL is the link to the original.
    assert site.url("/en/news/drug-ring.html") in [l.href for l in first.links]
    assert first.author == "Linh Anh"
    content = first.content[0].value
    assert "Son La on Thursday dismantled a cross-border drug trafficking ring" in content
    assert "MPS - " not in content  # the agency tag is metadata, as for inbox articles
    assert "Share on Facebook" not in content and "<script" not in content
    assert {e.title for e in vi.entries} == {
        "Triệt phá đường dây ma túy xuyên quốc gia",
        "Bộ trưởng tiếp đoàn đại biểu Nhật Bản",
    }
    legacy = next(e for e in vi.entries if e.title.startswith("Bộ trưởng"))
    assert "Ủy ban nhân dân thành phố" in legacy.content[0].value
    snapshot = {p: p.read_bytes() for p in (tmp_path / "feeds").rglob("*") if p.is_file()}

    # Nothing new at the portal: no page fetched, no byte of any feed changed.
    site.log.clear()
    r2 = run(tmp_path, "run")
    assert r2.exit_code == ExitCode.OK, r2.output
    assert "articles: 0 new, 0 updated" in r2.output
    assert not any("/news/" in p or "/tin/" in p for p in site.paths())
    assert {p: p.read_bytes() for p in (tmp_path / "feeds").rglob("*") if p.is_file()} == snapshot

    # The English feed breaks: that source fails with a clear line, the
    # other goes on, what was published stays.
    site.put("/en/rss.xml", read_testdata("malformed.xml"), "application/rss+xml")
    site.put("/vi/tin/ma-tuy.html", read_testdata("page_vi.html").replace(b"30 kg", b"32 kg"))
    site.put(
        "/vi/atom.xml",
        read_testdata("atom_vi.xml").decode().replace("{base}", site.base).replace(
            "<updated>2019-08-09T09:00:00+07:00</updated>\n    <published>",
            "<updated>2019-08-10T07:00:00+07:00</updated>\n    <published>",
        ),
        "application/atom+xml",
    )
    r3 = run(tmp_path, "run")
    assert r3.exit_code == ExitCode.INPUT, r3.output
    assert f"source mps-en: FAILED: {site.url('/en/rss.xml')}: malformed feed XML: line 10" in r3.output
    assert "articles: 0 new, 1 updated" in r3.output
    en3 = feedparser.parse((tmp_path / "feeds" / "en" / "atom.xml").read_bytes())
    assert len(en3.entries) == 3
    vi3 = feedparser.parse((tmp_path / "feeds" / "vi" / "atom.xml").read_bytes())
    assert any("32 kg" in e.content[0].value for e in vi3.entries)

    st = run(tmp_path, "status", "--json")
    sources = {s["name"]: s for s in json.loads(st.output)["sources"]}
    assert sources["mps-en"]["failures"] == 1
    assert "malformed feed XML" in sources["mps-en"]["last_error"]
    assert sources["mps-vi"]["failures"] == 0 and sources["mps-vi"]["last_success"]


def test_an_entity_hidden_behind_a_doctype_comment_reaches_no_published_title(httpserver, tmp_path, make_workspace):
    site = Site(httpserver)
    site.put("/en/rss.xml", (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [ <!-- <a> --> <!ENTITY x "boom"> ]>\n'
        '<rss version="2.0"><channel><title>Portal</title><language>en</language>'
        f'<item><title>Minister &x; visits</title><link>{site.base}/en/news/x.html</link>'
        '<description>The Minister visits the province, says the feed, in enough words.</description></item>'
        '</channel></rss>'), "application/rss+xml")
    make_workspace({"sources": feed_sources(site.base)["sources"][:1]})
    r = run(tmp_path, "run")
    assert r.exit_code == ExitCode.INPUT, r.output
    assert "feed declares XML entities in its DOCTYPE; refused" in r.output
    published = [p.read_bytes() for p in (tmp_path / "feeds").rglob("*") if p.is_file()]
    assert published and not any(b"boom" in body for body in published)
