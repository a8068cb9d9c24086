import sqlite3
from datetime import datetime, timezone

import pytest

from syndicate.article import TZ, Article, Block
from syndicate.store import SCHEMA_VERSION, Store, StoreError


def art(title="Headline", body="Body text.", lang="en", day=9):
    return Article(
        source="inbox", language=lang, title=title, published=datetime(2019, 8, day, tzinfo=TZ),
        blocks=[Block("p", body)], author="Linh Anh", tag="MPS",
    )


def test_new_database_is_migrated_and_in_wal_mode(store):
    assert store.schema_version == SCHEMA_VERSION
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "s.sqlite"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer than this syndicate"):
        Store(path)


def test_two_openers_of_a_new_store_migrate_it_once(tmp_path):
    """The daemon creating its store while /healthz (or `syndicate status`)
    opens it too: both read version 0, one migrates, and the other must
    not apply the same migrations again ("table articles already exists")."""
    import threading
    import time

    from syndicate.store.db import connect

    path = tmp_path / "s.sqlite"
    holder = connect(path)
    holder.execute("BEGIN IMMEDIATE")  # both openers read version 0, then wait for the write lock
    errors: list[BaseException] = []

    def open_store() -> None:
        try:
            Store(path).close()
        except BaseException as e:
            errors.append(e)

    openers = [threading.Thread(target=open_store) for _ in range(2)]
    for t in openers:
        t.start()
    time.sleep(0.5)  # lets both reach the lock; not a timing assertion
    holder.execute("ROLLBACK")
    for t in openers:
        t.join(timeout=60)
    holder.close()
    assert errors == []
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION


def test_ingesting_again_changes_nothing(store):
    assert store.upsert_article(art()) == "new"
    before = store.db.execute("SELECT * FROM articles").fetchall()
    assert store.upsert_article(art()) == "unchanged"
    assert store.db.execute("SELECT * FROM articles").fetchall() == before
    assert store.article_count() == {"en": 1}


def test_changed_body_updates_same_id_with_new_updated(store):
    a = art()
    store.upsert_article(a)
    first = store.get_article(a.id)
    assert first.updated == a.published  # never-changed article: updated = published
    later = datetime(2024, 1, 1, 12, tzinfo=timezone.utc)
    assert store.upsert_article(art(body="Corrected body."), now=later) == "updated"
    second = store.get_article(a.id)
    assert second.updated == later
    assert second.article.blocks == [Block("p", "Corrected body.")]
    assert store.article_count() == {"en": 1}


def test_new_article_queues_translation_into_the_other_language(store):
    store.upsert_article(art(lang="vi", title="Tiêu đề"))
    ((stored, tgt),) = store.translation_work("g1")
    assert tgt == "en" and stored.article.title == "Tiêu đề"


def test_translation_saved_only_for_the_source_it_was_made_from(store):
    a = art()
    store.upsert_article(a)
    old_hash = a.content_hash()
    store.upsert_article(art(body="Edited."))
    ok = store.save_translation(
        a.id, "vi", source_hash=old_hash, title="T", blocks=[Block("p", "x")], engine="e", model="m@1",
        glossary_version="g", problems=[], terms={},
    )
    assert ok is False
    assert store.get_translation(a.id, "vi").status == "pending"


def test_failed_attempt_keeps_last_good_translation(store):
    a = art()
    store.upsert_article(a)
    store.save_translation(
        a.id, "vi", source_hash=a.content_hash(), title="Tiêu đề", blocks=[Block("p", "Nội dung.")],
        engine="e", model="m@1", glossary_version="g1", problems=[], terms={},
    )
    store.fail_translation(a.id, "vi", "degenerate output", [{"kind": "repetition"}], "g2")
    t = store.get_translation(a.id, "vi")
    assert t.status == "failed" and t.last_error == "degenerate output"
    assert t.title == "Tiêu đề"  # still what is published
    assert [it.title for it in store.feed_items("vi", 10)] == ["Tiêu đề"]


def test_glossary_change_makes_done_translations_work_again(store):
    a = art()
    store.upsert_article(a)
    store.save_translation(
        a.id, "vi", source_hash=a.content_hash(), title="T", blocks=[], engine="e", model="m@1",
        glossary_version="g1", problems=[], terms={},
    )
    assert store.translation_work("g1") == []
    assert [w[1] for w in store.translation_work("g2")] == ["vi"]


def test_retranslating_to_the_same_text_keeps_updated(store):
    a = art()
    store.upsert_article(a)
    kw = dict(source_hash=a.content_hash(), title="T", blocks=[Block("p", "x")], engine="e", model="m@1",
              problems=[], terms={})
    store.save_translation(a.id, "vi", glossary_version="g1", now=datetime(2024, 1, 1, tzinfo=timezone.utc), **kw)
    store.save_translation(a.id, "vi", glossary_version="g2", now=datetime(2025, 1, 1, tzinfo=timezone.utc), **kw)
    assert store.get_translation(a.id, "vi").updated == datetime(2024, 1, 1, tzinfo=timezone.utc)


def test_a_failure_inside_a_transaction_leaves_nothing_behind(store):
    with pytest.raises(RuntimeError):
        with store.transaction() as db:
            db.execute(
                "INSERT INTO articles (id, source, language, title, published, updated, body_json, content_hash,"
                " ingested_at) VALUES ('x', 's', 'en', 't', 'p', 'u', '[]', 'h', 'i')"
            )
            raise RuntimeError("crash")
    assert store.article_count() == {}


def test_feed_items_mix_originals_and_translations_newest_first(store):
    old_vi = art(lang="vi", title="Cũ", day=1)
    new_en = art(title="New", day=20)
    store.upsert_article(old_vi)
    store.upsert_article(new_en)
    store.save_translation(
        old_vi.id, "en", source_hash=old_vi.content_hash(), title="Old", blocks=[Block("p", "b")], engine="e",
        model="m@1", glossary_version="g", problems=[], terms={},
    )
    items = store.feed_items("en", 10)
    assert [(i.title, i.translation is not None) for i in items] == [("New", False), ("Old", True)]
    assert [i.title for i in store.feed_items("en", 1)] == ["New"]


def test_writes_inside_an_open_transaction_join_it(store):
    # An article and its queued translation are one write; a caller's own
    # transaction around several writes applies whole or not at all too.
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.upsert_article(art())
            store.record_reject("inbox", "x.txt", None, "bad")
            raise RuntimeError("crash")
    assert store.article_count() == {} and store.translation_counts() == {} and store.reject_count() == 0
    with store.transaction():
        store.upsert_article(art())
        store.record_reject("inbox", "x.txt", None, "bad")
    assert not store.db.in_transaction
    assert store.article_count() == {"en": 1} and store.translation_counts() == {"pending": 1}
