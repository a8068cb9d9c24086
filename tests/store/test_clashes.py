"""The store's side of a URL listed by two sources: the owner's article
stays, the other copy is recorded as a clash and queues no translation."""
from __future__ import annotations

from datetime import datetime, timezone

from syndicate.article import Article, Block

WHEN = datetime(2019, 8, 9, 1, 0, tzinfo=timezone.utc)


def _article(source: str, title: str) -> Article:
    return Article(source, "en", title, WHEN, [Block("p", f"{title}: the body of the story.")],
                   url="https://portal.example/news/1.html")


def test_store_refuses_another_sources_copy_and_keeps_a_done_translation(store):
    assert store.upsert_article(_article("portal", "Original")) == "new"
    aid = _article("portal", "Original").id
    stored = store.get_article(aid)
    store.save_translation(aid, "vi", source_hash=stored.content_hash, title="Bản dịch", blocks=[Block("p", "x")],
                           engine="ct2", model="m@1", glossary_version="g", problems=[], terms={})
    for _ in range(3):
        assert store.upsert_article(_article("aggregator", "Rewritten")) == "clash"
    assert store.get_article(aid).article.title == "Original"
    assert store.translation_work("g") == []  # nothing to translate again
    assert store.clash_count() == 1
    (clash,) = store.clashes()
    assert (clash["owner"], clash["source"], clash["times"]) == ("portal", "aggregator", 3)


def test_owners_given_lets_a_source_take_over_from_one_no_longer_configured(store):
    store.upsert_article(_article("old-name", "Original"))
    assert store.upsert_article(_article("aggregator", "Rewritten"), owners={"old-name", "aggregator"}) == "clash"
    assert store.upsert_article(_article("new-name", "Original"), owners={"new-name", "aggregator"}) == "unchanged"
    assert store.get_article(_article("x", "y").id).article.source == "new-name"
    assert store.upsert_article(_article("aggregator", "Rewritten"), owners={"new-name", "aggregator"}) == "clash"
