"""[review] policies through `syndicate run`: what is published, what waits,
and that what waits is in no published file and is counted."""
from __future__ import annotations

import json

import feedparser
import pytest

from syndicate.article import other_language


def _translations(site) -> dict[str, tuple[str, str, str]]:
    """{article id: (source language, title, review state)} of every translation."""
    with site.store() as store:
        out = {}
        for a in store.all_articles():
            t = store.get_translation(a.id, other_language(a.language))
            out[a.id] = (a.language, a.title, t.review)
        return out


def _feed_ids(site, lang: str) -> dict[str, set[str]]:
    """Entry ids per format of one language's feeds."""
    atom = {e.id for e in feedparser.parse(site.feed(lang, "atom.xml")).entries}
    rss = {e.id for e in feedparser.parse(site.feed(lang, "rss.xml")).entries}
    js = {it["id"] for it in json.loads(site.feed(lang, "feed.json"))["items"]}
    return {"atom": atom, "rss": rss, "json": js}


@pytest.mark.parametrize("held_src", ["en", "vi"])
def test_hold_all_holds_one_direction_and_publishes_the_other(make_site, held_src):
    key = f"{held_src}_{other_language(held_src)}"
    site = make_site({key: "hold-all"})
    report = site.run()
    assert report["counts"]["held_for_review"] == 2 and report["counts"]["waiting_review"] == 2
    states = _translations(site)
    held = {aid for aid, (lang, _, state) in states.items() if state == "held"}
    assert {states[a][0] for a in held} == {held_src} and len(held) == 2
    assert {s for _, _, s in states.values()} == {"held", "auto"}

    # Held translations: no entry in any format, no page, not on the index.
    from syndicate.publish import entry_id

    tgt = other_language(held_src)
    ids = _feed_ids(site, tgt)
    for aid in held:
        for fmt in ("atom", "rss", "json"):
            assert entry_id(aid, tgt) not in ids[fmt]
        assert aid not in site.pages(tgt)
    for aid, (lang, title, _) in states.items():
        # Every original is published; the other direction's translations too.
        assert entry_id(aid, lang) in _feed_ids(site, lang)["atom"]
        if aid not in held:
            assert entry_id(aid, other_language(lang)) in _feed_ids(site, other_language(lang))["atom"]
    assert len(ids["atom"]) == 2  # the two originals only
    index = (site.root / "feeds" / "index.html").read_text(encoding="utf-8")
    assert index.count(f'href="{tgt}/articles/') == 2
    # Nor on the language's feed page, which lists the two originals only.
    view = (site.root / "feeds" / tgt / "index.html").read_text(encoding="utf-8")
    assert view.count('href="articles/') == 2 and not any(aid in view for aid in held)

    # `status` counts what waits; `review list` shows it, oldest first, with why.
    status = site.invoke("status")
    assert "review: 2 waiting" in status.output
    queue = site.queue()
    assert {q["id"] for q in queue} == held
    assert all(q["direction"] == f"{held_src}-{tgt}" and q["reasons"] == ["hold-all"] for q in queue)
    assert [q["article"]["published"] for q in queue] == sorted(q["article"]["published"] for q in queue)
    assert site.queue("--direction", f"{tgt}-{held_src}") == []


@pytest.mark.parametrize("held_src", ["en", "vi"])
def test_hold_flagged_holds_only_flagged_translations(make_site, held_src):
    key = f"{held_src}_{other_language(held_src)}"
    # The copy model scores every sentence 0.0: a threshold above it flags
    # every translation of that direction, one below flags none.
    site = make_site({key: "hold-flagged", "min_score": 0.5})
    site.run()
    queue = site.queue()
    assert len(queue) == 2 and all(q["reasons"] == ["low-score"] for q in queue)
    assert all(q["direction"].startswith(held_src) for q in queue)
    assert site.queue("--reason", "glossary") == []
    assert len(_feed_ids(site, other_language(held_src))["atom"]) == 2  # its originals only


def test_hold_flagged_publishes_what_nothing_flags(make_site):
    site = make_site({"en_vi": "hold-flagged", "vi_en": "hold-flagged", "min_score": -1.0})
    report = site.run()
    assert report["counts"]["held_for_review"] == 0
    assert site.queue() == []
    assert len(_feed_ids(site, "vi")["atom"]) == 4 and len(_feed_ids(site, "en")["atom"]) == 4


def test_hold_flagged_holds_an_unknown_name_and_says_so(make_site):
    # A name after a glossary rank that the glossary lacks is kept as
    # written and flagged: both English samples have one ("Colonel Nguyen Van Hai").
    site = make_site({"en_vi": "hold-flagged"}, glossary='[[term]]\nen = "Colonel"\nvi = "Đại tá"\n')
    site.run()
    queue = site.queue()
    assert len(queue) == 2 and all(q["reasons"] == ["unknown-name"] for q in queue)
    assert site.queue("--reason", "unknown-name") == queue
    shown = site.invoke("review", "show", queue[0]["id"][:8])
    assert shown.exit_code == 0
    assert "term 'Nguyen Van Hai' -> 'Nguyen Van Hai': ok (name not in the glossary)" in shown.output
    assert "term 'Colonel' -> 'Đại tá': ok" in shown.output


def test_policy_reasons_for_each_kind_of_finding():
    from syndicate.config import Review
    from syndicate.review import hold_reasons
    from syndicate.translate import Job, Outcome, Problem

    def outcome(src="en", problems=(), score=None, terms=None):
        return Outcome(Job("a", "h", src, other_language(src), "T", []), problems=list(problems),
                       min_score=score, terms=terms or {})

    flagged = Review(en_vi="hold-flagged", vi_en="publish", min_score=-1.0)
    lost = Problem("term_lost", "review", "ranks.toml:3", {"source": "Colonel", "target": "Đại tá"})
    bad = Problem("degenerate", "error", "", {"checks": ["repetition"]})
    assert hold_reasons(outcome(problems=[lost]), flagged) == ["glossary"]
    assert hold_reasons(outcome(problems=[bad]), flagged) == ["degenerate"]
    assert hold_reasons(outcome(score=-1.2), flagged) == ["low-score"]
    assert hold_reasons(outcome(score=-0.8), flagged) == []
    assert hold_reasons(outcome(terms={"items": [{"candidate": True}]}), flagged) == ["unknown-name"]
    assert hold_reasons(outcome("vi", problems=[lost]), flagged) == []  # vi-en publishes
    every = Review(en_vi="hold-all", vi_en="hold-all")
    assert hold_reasons(outcome("vi"), every) == ["hold-all"]
    assert hold_reasons(outcome(problems=[lost]), every) == ["hold-all", "glossary"]


def test_publish_is_the_default_and_publishes_everything(make_site):
    site = make_site()
    report = site.run()
    assert report["counts"]["held_for_review"] == 0 and report["counts"]["waiting_review"] == 0
    assert {s for _, _, s in _translations(site).values()} == {"auto"}
    assert "review:" not in site.invoke("status").output
