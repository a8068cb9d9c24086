"""Two sources listing one URL: the first to store it owns the article, the
other never overwrites it, and the clash is reported once per change in the
run's report and always in `syndicate status`, with no flip-flop and no
re-translation from one cycle to the next."""
from __future__ import annotations

import json

import feedparser
from click.testing import CliRunner
from feed_support import Site, article_page, local_allow

from syndicate.cli import main
from syndicate.exitcodes import ExitCode
from syndicate.store import Store


def _feed(site: Site, title: str, description: str) -> str:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><language>en</language>'
        f"<item><title>{title}</title><link>{site.base}/news/minister.html</link>"
        f"<description>{description}</description><pubDate>Fri, 09 Aug 2019 08:00:00 +0700</pubDate></item>"
        "</channel></rss>"
    )


def portal_and_aggregator(httpserver) -> Site:
    site = Site(httpserver)
    site.put("/portal.xml", _feed(site, "Minister receives Japanese delegation", "Portal summary."),
             "application/rss+xml")
    site.put("/news/minister.html", article_page(
        "Minister receives Japanese delegation",
        ["MPS - The Minister on Thursday received a delegation of the Japanese National Police Agency."]))
    # An aggregator lists the same URL with its own (wrong) title and text.
    site.put("/aggregator.xml", _feed(site, "Deputy Minister meets visitors",
                                      "An aggregator's rewrite of the story, long enough to be an article."),
             "application/rss+xml")
    return site


def sources(site: Site, httpserver, first: str = "portal") -> dict:
    common = {"type": "feed", "language": "en", "host_delay": 0.0, "retries": 0,
              "allow_internal": list(local_allow(httpserver))}
    portal = {"name": "portal", "url": site.url("/portal.xml"), **common}
    aggregator = {"name": "aggregator", "url": site.url("/aggregator.xml"), "fetch_full_text": False, **common}
    return {"sources": [portal, aggregator] if first == "portal" else [aggregator, portal]}


def run(ws, *args):
    return CliRunner().invoke(main, ["--config", str(ws.config_file), *args], catch_exceptions=False)


def test_a_second_source_never_overwrites_the_first_ones_article(httpserver, make_workspace):
    site = portal_and_aggregator(httpserver)
    ws = make_workspace(sources(site, httpserver))
    url = site.url("/news/minister.html")

    first = run(ws, "run")
    assert first.exit_code == ExitCode.OK, first.output
    assert "articles: 1 new, 0 updated, 0 unchanged, 0 rejected" in first.output
    assert (f"source aggregator: {url} belongs to source portal; its article was kept, "
            "this source's copy not stored") in first.output
    titles = [e.title for e in feedparser.parse((ws.root / "feeds" / "en" / "atom.xml").read_bytes()).entries]
    assert titles == ["Minister receives Japanese delegation"]

    # Later cycles: nothing flips, nothing is re-fetched or re-queued.
    site.log.clear()
    for _ in range(2):
        again = run(ws, "run")
        assert "articles: 0 new, 0 updated" in again.output and "belongs to source" not in again.output
    assert "/news/minister.html" not in site.paths()
    cfg = ws.config()
    with Store(cfg.db_path) as store:
        (article,) = store.all_articles()
        assert article.source == "portal" and article.title == "Minister receives Japanese delegation"
        assert store.translation_counts() == {"pending": 1}

    status = run(ws, "status")
    assert "source clashes: 1" in status.output
    assert f"  {url}: owned by portal, also listed by aggregator (1 time(s), last " in status.output
    info = json.loads(run(ws, "status", "--json").output)
    assert [(c["url"], c["owner"], c["source"]) for c in info["recent_clashes"]] == [(url, "portal", "aggregator")]


def test_a_changed_item_from_the_other_source_is_reported_again_and_still_not_stored(httpserver, make_workspace):
    site = portal_and_aggregator(httpserver)
    ws = make_workspace(sources(site, httpserver))
    run(ws, "run")
    site.put("/aggregator.xml", _feed(site, "Minister meets visitors again",
                                      "A second rewrite by the aggregator, also long enough."), "application/rss+xml")
    r = run(ws, "run")
    assert "belongs to source portal" in r.output and "0 updated" in r.output
    status = run(ws, "status")
    assert "(2 time(s)" in status.output
    with Store(ws.config().db_path) as store:
        assert [a.title for a in store.all_articles()] == ["Minister receives Japanese delegation"]


def test_the_first_source_in_the_config_owns_what_it_stores_first(httpserver, make_workspace):
    site = portal_and_aggregator(httpserver)
    ws = make_workspace(sources(site, httpserver, first="aggregator"))
    r = run(ws, "run")
    assert "source portal: " in r.output and "belongs to source aggregator" in r.output
    with Store(ws.config().db_path) as store:
        assert [a.title for a in store.all_articles()] == ["Deputy Minister meets visitors"]


def test_a_renamed_source_takes_over_its_old_articles_without_a_clash(httpserver, make_workspace):
    site = portal_and_aggregator(httpserver)
    ws = make_workspace(sources(site, httpserver))
    run(ws, "run")
    renamed = sources(site, httpserver)
    renamed["sources"][0]["name"] = "mps-portal"
    ws.configure(renamed)
    r = run(ws, "run")
    assert "articles: 0 new, 0 updated, 1 unchanged" in r.output, r.output
    assert "belongs to source" not in r.output
    with Store(ws.config().db_path) as store:
        (article,) = store.all_articles()
        assert article.source == "mps-portal"
        assert store.translation_counts() == {"pending": 1}
