"""A feed item dated far in the future (2099) pinned itself to the top of
every feed. Feed items are clamped to when they were first seen, with a
note; an inbox file so dated is rejected (tests/sources/test_inbox.py)."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import feedparser
from click.testing import CliRunner
from feed_support import local_allow

from syndicate.cli import main
from syndicate.exitcodes import ExitCode

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Portal</title><link>{base}/</link><description>d</description>
<item><title>{title}</title><link>{base}/news/future.html</link>
<pubDate>Thu, 01 Jan 2099 08:00:00 +0700</pubDate>
<description>Police in Son La dismantled a drug ring on Thursday.</description></item>
<item><title>Traffic safety campaign launched</title><link>{base}/news/traffic.html</link>
<pubDate>Fri, 09 Aug 2019 08:00:00 +0700</pubDate>
<description>The traffic police launched a safety campaign.</description></item>
</channel></rss>"""


def _serve(httpserver, title: str) -> str:
    base = httpserver.url_for("").rstrip("/")
    httpserver.clear()
    httpserver.expect_request("/rss.xml").respond_with_data(
        RSS.format(base=base, title=title), content_type="application/rss+xml")
    return base


def _run(workspace):
    r = CliRunner().invoke(main, ["--config", str(workspace.config_file), "run", "--json"], catch_exceptions=False)
    return r.exit_code, json.loads(r.output)


def test_a_feed_item_dated_2099_is_clamped_to_its_first_sight_with_a_note(httpserver, make_workspace):
    base = _serve(httpserver, "Police dismantle drug ring")
    workspace = make_workspace({"sources": [{
        "name": "portal", "type": "feed", "url": f"{base}/rss.xml", "language": "en",
        "fetch_full_text": False, "respect_robots": False, "timeout": 2.0, "retries": 0, "host_delay": 0.0,
        "allow_internal": list(local_allow(httpserver))}]})
    before = datetime.now(timezone.utc).replace(microsecond=0)
    code, report = _run(workspace)
    after = datetime.now(timezone.utc)
    assert code == ExitCode.OK and report["counts"]["new"] == 2
    (note,) = [n for n in report["notes"] if "max_future_hours" in n]
    assert note.startswith(f"source portal: {base}/news/future.html: dated 2099-01-01T08:00:00+07:00, more than 24 h")

    def future_entry():
        feed = feedparser.parse((workspace.root / "feeds" / "en" / "rss.xml").read_bytes())
        (e,) = [e for e in feed.entries if "drug ring" in e.title]
        return datetime(*e.published_parsed[:6], tzinfo=timezone.utc)

    first = future_entry()
    assert before <= first <= after + timedelta(seconds=1)  # now, not 2099

    # The item changes: it is updated, and its date stays the first sight's.
    _serve(httpserver, "Police dismantle cross-border drug ring")
    code, report = _run(workspace)
    assert report["counts"]["updated"] == 1
    assert future_entry() == first
