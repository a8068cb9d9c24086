"""Corrections reach the same entry (headline, dateline, re-export under a
new name; a remote item keyed by its URL) and withdraw/restore round-trip."""
from __future__ import annotations

import shutil

import feedparser

from syndicate.publish import entry_id

EN_FILE = "2024-03-15-traffic-safety-conference.txt"
EN_TITLE = "Da Nang police launch traffic safety campaign ahead of tourist season"


def _counts(report) -> tuple[int, int, int]:
    c = report["counts"]
    return c["new"], c["updated"], c["unchanged"]


def _atom_titles(site, lang="en") -> list[str]:
    return [e.title for e in feedparser.parse(site.feed(lang, "atom.xml")).entries]


def test_a_corrected_headline_and_dateline_update_one_entry(make_site):
    site = make_site()
    site.run()
    f = site.inbox(EN_FILE)
    text = f.read_text(encoding="utf-8")
    ids_before = {e.id for e in feedparser.parse(site.feed("en", "atom.xml")).entries}

    f.write_text(text.replace(EN_TITLE, "Da Nang police launch summer traffic safety campaign"), encoding="utf-8")
    assert _counts(site.run()) == (0, 1, 3)
    titles = _atom_titles(site)
    assert "Da Nang police launch summer traffic safety campaign" in titles and EN_TITLE not in titles
    assert len(titles) == 4
    assert {e.id for e in feedparser.parse(site.feed("en", "atom.xml")).entries} == ids_before
    assert EN_TITLE not in site.published_text()  # the translation's copy of it too

    dateline = next(line for line in text.splitlines() if "2024" in line)
    f.write_text(f.read_text(encoding="utf-8").replace(dateline, "March 16, 2024"), encoding="utf-8")
    assert _counts(site.run()) == (0, 1, 3)
    feed = feedparser.parse(site.feed("en", "atom.xml"))
    assert len(feed.entries) == 4 and {e.id for e in feed.entries} == ids_before
    (entry,) = [e for e in feed.entries if e.title == "Da Nang police launch summer traffic safety campaign"]
    assert entry.published.startswith("2024-03-16")
    with site.store() as store:
        assert sum(store.article_count().values()) == 4


def test_a_reexport_under_a_new_name_does_not_duplicate(make_site):
    site = make_site()
    site.run()
    old = site.inbox(EN_FILE)
    # After a correction too: the corrected article exported again elsewhere.
    old.write_text(old.read_text(encoding="utf-8").replace(EN_TITLE, "Da Nang police launch a campaign"),
                   encoding="utf-8")
    site.run()
    shutil.copy(old, site.inbox("export-0042.txt"))
    assert _counts(site.run()) == (0, 0, 5)
    old.unlink()
    assert _counts(site.run()) == (0, 0, 4)
    assert len(_atom_titles(site)) == 4
    # Another article saved under the old name is a new article, not an
    # overwrite of the first one.
    old.write_text("Border guards meet fishermen\nMay 2, 2024\n\nMPS - Border guards met fishermen in Quang Ngai "
                   "on Thursday to explain new rules.\n", encoding="utf-8")
    assert _counts(site.run())[0] == 1
    assert len(_atom_titles(site)) == 5


def test_withdraw_and_restore_round_trip(make_site):
    site = make_site()
    site.run()
    with site.store() as store:
        (aid,) = [a.id for a in store.all_articles() if a.title == EN_TITLE]
    en_link = next(e.link for e in feedparser.parse(site.feed("en", "atom.xml")).entries if e.title == EN_TITLE)
    r = site.invoke("withdraw", str(site.inbox(EN_FILE)), "--reason", "figures under review", "--by", "lan")
    assert r.exit_code == 0, r.output
    assert f"withdrew {aid}" in r.output
    for lang in ("en", "vi"):
        feed = feedparser.parse(site.feed(lang, "atom.xml"))
        assert not feed.bozo and len(feed.entries) == 3
        assert feed.feed["at_deleted-entry"]["ref"] == entry_id(aid, lang)
        assert aid not in site.pages(lang)
    assert EN_TITLE not in site.published_text()
    assert "figures under review" not in site.published_text()  # the reason stays in the store
    assert "1 article(s) withdrawn" in site.invoke("status").output

    # A re-ingest does not bring it back; a second withdrawal is refused.
    site.inbox(EN_FILE).touch()
    site.run()
    assert EN_TITLE not in site.published_text()
    assert site.invoke("withdraw", aid, "--reason", "again").exit_code == 1

    r = site.invoke("restore", en_link, "--by", "lan")  # the published entry's link names it
    assert r.exit_code == 0, r.output
    feed = feedparser.parse(site.feed("en", "atom.xml"))
    assert len(feed.entries) == 4 and "at_deleted-entry" not in feed.feed
    assert aid in site.pages("en") and aid in site.pages("vi")
    assert site.invoke("withdraw", entry_id(aid, "vi"), "--reason", "by entry id").exit_code == 0
    log = site.invoke("review", "log", aid).output
    assert "withdraw lan: figures under review" in log and "restore  lan" in log


def test_unknown_and_ambiguous_ids_are_refused(make_site):
    site = make_site()
    site.run()
    r = site.invoke("withdraw", "no-such-article", "--reason", "x")
    assert r.exit_code == 1 and "no stored article" in r.output
    r = site.invoke("review", "approve", "0")
    assert r.exit_code == 1
