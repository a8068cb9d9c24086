"""Entries' `updated` is a real instant (issue 12, item 9).

Entries carried midnight of their dateline, so two articles of one day
shared atom:updated and the W3C validator warned "Two entries with the same
value for atom:updated". An original's entry is dated when it was stored
(or edited), a translation's when it was made, in +07:00; republishing
stays byte-identical.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from lxml import etree

from syndicate.article import TZ, Article, Block
from syndicate.publish import publish
from syndicate.store import Store

ATOM = "{http://www.w3.org/2005/Atom}"
DAY = datetime(2024, 3, 15, tzinfo=TZ)


def article(title: str, text: str = "Officers patrol every day.") -> Article:
    return Article(source="inbox", language="en", title=title, published=DAY, blocks=[Block("p", text)])


def updated_by_title(cfg) -> dict[str, str]:
    root = etree.parse(str(cfg.feeds_dir / "en" / "atom.xml")).getroot()
    return {e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}updated") for e in root.iter(f"{ATOM}entry")}


def test_two_articles_of_one_day_are_dated_when_they_were_stored(workspace):
    cfg = workspace.config()
    with Store(cfg.db_path) as store:
        store.upsert_article(article("Border guards patrol"), datetime(2024, 3, 15, 2, 0, 5, tzinfo=timezone.utc))
        store.upsert_article(article("Traffic police campaign"), datetime(2024, 3, 15, 3, 30, tzinfo=timezone.utc))
        publish(cfg, store)
    assert updated_by_title(cfg) == {
        "Border guards patrol": "2024-03-15T09:00:05+07:00",
        "Traffic police campaign": "2024-03-15T10:30:00+07:00",
    }


def test_an_edit_dates_the_entry_at_the_edit(workspace):
    cfg = workspace.config()
    first = datetime(2024, 3, 15, 2, 0, tzinfo=timezone.utc)
    with Store(cfg.db_path) as store:
        store.upsert_article(article("Border guards patrol"), first)
        store.upsert_article(article("Border guards patrol", "Officers patrol every night."), first + timedelta(hours=5))
        publish(cfg, store)
    assert updated_by_title(cfg) == {"Border guards patrol": "2024-03-15T14:00:00+07:00"}


def test_articles_stored_within_one_second_still_differ_and_republish_identically(workspace):
    """The store keeps instants to the second and one run stores many
    articles a second: ties are told apart by microseconds, the same way
    every time."""
    cfg = workspace.config()
    same = datetime(2024, 3, 15, 2, 0, 5, tzinfo=timezone.utc)
    titles = ["Border guards patrol", "Traffic police campaign", "Cyber security training"]
    with Store(cfg.db_path) as store:
        for t in titles:
            store.upsert_article(article(t), same)
        publish(cfg, store)
        got = updated_by_title(cfg)
        assert len(set(got.values())) == 3
        stamps = sorted(datetime.fromisoformat(v) for v in got.values())
        assert stamps[0] == same and stamps[-1] - stamps[0] < timedelta(milliseconds=1)
        before = {p: p.read_bytes() for p in cfg.feeds_dir.rglob("*") if p.is_file()}
        again = publish(cfg, store)
    assert again.written == []
    assert {p: p.read_bytes() for p in before} == before
