"""approve, reject and edit through the command line: what each publishes,
what it records, and that a broken edit changes nothing."""
from __future__ import annotations

import json
from urllib.parse import parse_qs

import feedparser

from syndicate.publish import entry_id

EN_FILE = "2024-03-15-traffic-safety-conference.txt"
EN_TITLE = "Da Nang police launch traffic safety campaign ahead of tourist season"
VI_TITLE = "Công an tỉnh Khánh Hòa diễn tập phòng cháy, chữa cháy tại khu dân cư"
CAPTION = "Traffic police officers at the launch ceremony."
VI_CAPTION = "Cán bộ cảnh sát giao thông tại lễ ra quân."


def _held_site(make_site):
    site = make_site({"en_vi": "hold-all"})
    site.run()
    (item,) = [q for q in site.queue() if q["article"]["title"] == EN_TITLE]
    return site, item["id"]


def _vi_entry(site, aid):
    feed = feedparser.parse(site.feed("vi", "atom.xml"))
    return next((e for e in feed.entries if e.id == entry_id(aid, "vi")), None)


def _snapshot(site) -> dict[str, bytes]:
    return {str(p.relative_to(site.root)): p.read_bytes() for p in (site.root / "feeds").rglob("*") if p.is_file()}


def test_approve_publishes_as_reviewed_and_changes_only_the_affected_files(make_site):
    site, aid = _held_site(make_site)
    assert _vi_entry(site, aid) is None
    before = _snapshot(site)
    r = site.invoke("review", "approve", aid, env={"SYNDICATE_REVIEWER": "thu.ha"})
    assert r.exit_code == 0, r.output
    assert f"approved {aid} (en-vi) by thu.ha" in r.output
    after = _snapshot(site)
    changed = {k for k in after if before.get(k) != after[k]}
    # The vi feeds and the vi feed's page, the new page, the original's page
    # (it now links the translation) and the index; the English feeds and
    # the English feed's page keep their bytes and ETags.
    assert changed == {"feeds/vi/rss.xml", "feeds/vi/atom.xml", "feeds/vi/feed.json", "feeds/vi/index.html",
                       f"feeds/vi/articles/{aid}.html", f"feeds/en/articles/{aid}.html", "feeds/index.html"}

    e = _vi_entry(site, aid)
    assert [t.term for t in e.tags] == ["reviewed-translation"]
    assert e.summary.startswith("[Bản dịch đã duyệt] ")
    with site.store() as store:
        t = store.get_translation(aid, "vi")
        assert (t.review, t.reviewed_by) == ("approved", "thu.ha")
        assert e.updated_parsed[:6] == t.reviewed_at.utctimetuple()[:6]  # updated = the approval time
    assert "đã được biên tập viên duyệt ngày" in e.content[0].value
    # Our own pages say it in words: the feed's page and the index beside the
    # title, the original's page on its link; the feeds' marker stays in the feeds.
    feeds = site.root / "feeds"
    view = (feeds / "vi" / "index.html").read_text(encoding="utf-8")
    assert '<span class="mt">bản dịch đã duyệt</span>' in view and "[Bản dịch" not in view
    assert f'{aid}.html">{EN_TITLE}</a> <small class="mt">(bản dịch đã duyệt)</small>' in (
        feeds / "index.html").read_text(encoding="utf-8")
    assert "Đọc bằng tiếng Việt (bản dịch đã duyệt)" in (feeds / "en" / "articles" / f"{aid}.html").read_text(
        encoding="utf-8")
    assert site.queue() == [q for q in site.queue() if q["id"] != aid] and len(site.queue()) == 1
    log = site.invoke("review", "log", aid).output
    assert "approve  thu.ha" in log


def test_machine_translations_carry_a_category_and_a_marker_in_every_format(make_site):
    site = make_site()
    site.run()
    atom = feedparser.parse(site.feed("vi", "atom.xml"))
    rss = feedparser.parse(site.feed("vi", "rss.xml"))
    js = json.loads(site.feed("vi", "feed.json"))
    for feed in (atom, rss):
        translated = [e for e in feed.entries if e.title == EN_TITLE]
        assert [t.term for t in translated[0].tags] == ["machine-translation"]
        assert translated[0].summary.startswith("[Bản dịch máy] ")
        originals = [e for e in feed.entries if e.title == VI_TITLE]
        assert "tags" not in originals[0] and not originals[0].summary.startswith("[")
    item = next(it for it in js["items"] if it["title"] == EN_TITLE)
    assert item["tags"] == ["machine-translation"] and item["summary"].startswith("[Bản dịch máy] ")
    assert item["_syndicate"]["reviewed"] is False
    en = feedparser.parse(site.feed("en", "atom.xml"))
    assert next(e for e in en.entries if e.title == VI_TITLE).summary.startswith("[Machine translation] ")
    view = (site.root / "feeds" / "vi" / "index.html").read_text(encoding="utf-8")
    assert '<span class="mt">bản dịch máy</span>' in view and "[Bản dịch" not in view


def test_reject_withholds_the_translation_and_keeps_the_original(make_site):
    site, aid = _held_site(make_site)
    assert site.invoke("review", "reject", aid).exit_code == 2  # --reason is required
    r = site.invoke("review", "reject", aid, "--reason", "the title of the colonel is wrong", "--by", "lan")
    assert r.exit_code == 0, r.output
    assert _vi_entry(site, aid) is None and aid not in site.pages("vi")
    assert aid in site.pages("en")
    assert aid not in {q["id"] for q in site.queue()}
    assert "reject   lan: the title of the colonel is wrong" in site.invoke("review", "log", aid).output
    assert "0 waiting" not in site.invoke("status").output and "1 rejected" in site.invoke("status").output
    site.run()  # nothing changed: it stays rejected
    with site.store() as store:
        assert store.get_translation(aid, "vi").review == "rejected"


EDIT_HEADLINE_AND_CAPTION = f"""
    import sys
    from pathlib import Path
    p = Path(sys.argv[1])
    lines = p.read_text(encoding="utf-8").splitlines()
    out = []
    for i, line in enumerate(lines):
        if i and lines[i - 1].startswith("#> [headline]"):
            line = "Công an Đà Nẵng ra quân bảo đảm an toàn giao thông mùa du lịch"
        elif i and lines[i - 1].startswith("#>") and lines[i - 1].endswith({CAPTION!r}):
            line = {VI_CAPTION!r}
        out.append(line)
    p.write_text("\\n".join(out) + "\\n", encoding="utf-8")
"""


def test_edit_with_editor_publishes_the_edit_and_keeps_human_sentences(make_site, editor):
    site, aid = _held_site(make_site)
    editor = editor(EDIT_HEADLINE_AND_CAPTION)
    r = site.invoke("review", "edit", aid, "--by", "minh", env={"EDITOR": editor, "VISUAL": ""})
    assert r.exit_code == 0, r.output
    assert "2 sentence(s) changed" in r.output
    e = _vi_entry(site, aid)
    assert e.title == "Công an Đà Nẵng ra quân bảo đảm an toàn giao thông mùa du lịch"
    assert VI_CAPTION in e.content[0].value and [t.term for t in e.tags] == ["reviewed-translation"]
    assert not list((site.root / "data" / "review").glob("*"))  # the work file is gone once applied

    # The source changes elsewhere: the article is translated again, and
    # the edited sentences stay as the editor wrote them.
    f = site.inbox(EN_FILE)
    f.write_text(f.read_text(encoding="utf-8").replace("3,489", "3,500"), encoding="utf-8")
    report = site.run()
    assert report["counts"]["updated"] == 1 and report["counts"]["translated"] == 1
    with site.store() as store:
        t = store.get_translation(aid, "vi")
        assert t.title == "Công an Đà Nẵng ra quân bảo đảm an toàn giao thông mùa du lịch"
        assert any(b.text == VI_CAPTION for b in t.blocks) and any("3,500" in b.text for b in t.blocks)
        assert t.review == "held"  # hold-all: the new version waits again
        assert store.human_count() == 2

    # Another article with the same caption gets the editor's sentence.
    other = site.inbox("2024-05-01-patrol.txt")
    other.write_text("Patrols begin on coastal roads\nMay 01, 2024\n\nMPS - Patrols began on the coastal roads "
                     f"of Da Nang on Wednesday morning.\n\n{CAPTION}\n", encoding="utf-8")
    site.set_review({"en_vi": "publish"})
    site.run()
    with site.store() as store:
        (new,) = [a for a in store.all_articles() if a.title == "Patrols begin on coastal roads"]
        assert [b.text for b in store.get_translation(new.id, "vi").blocks][-1] == VI_CAPTION


def test_a_broken_edit_file_is_refused_with_its_line_and_nothing_changes(make_site, tmp_path):
    site, aid = _held_site(make_site)
    work = tmp_path / "edit.txt"
    r = site.invoke("review", "edit", aid, "--file", str(work))
    assert r.exit_code == 1 and work.exists()  # written for the editor to fill in
    lines = work.read_text(encoding="utf-8").splitlines()
    head = lines.index(next(line for line in lines if line.startswith("#> [headline]")))
    with site.store() as store:
        before = store.get_translation(aid, "vi")

    def refused(new_lines, expect):
        work.write_text("\n".join(new_lines) + "\n", encoding="utf-8")
        r = site.invoke("review", "edit", aid, "--file", str(work))
        assert r.exit_code == 1, r.output
        assert expect in r.output and "nothing changed" in r.output and str(work) in r.output
        with site.store() as store:
            assert store.get_translation(aid, "vi") == before
        assert work.exists()

    two = lines[: head + 2] + ["một câu thừa"] + lines[head + 2:]
    refused(two, f"{work}:{head + 3}: a second line under [headline]")
    old_tone = list(lines)
    old_style = "Ho\u00e0"  # the old style, as an escape: the repository keeps one convention
    old_tone[head + 1] = f"Công an tỉnh Khánh {old_style} ra quân"
    refused(old_tone, f"{work}:{head + 2}: tone marks in the old style: '{old_style}' -> 'Hòa'")
    missing = lines[: head + 1] + lines[head + 2:]
    refused(missing, f"{work}:{head + 1}: no translation under [headline]")
    # Ingested text loses these (text/hygiene.py); an edit must not bring
    # them back: a right-to-left override can reverse a leader's name.
    hidden = list(lines)
    hidden[head + 1] = "Công an \u202eĐà Nẵng\u202c ra\u200b quân"
    refused(hidden, f"{work}:{head + 2}: invisible or control characters U+202E, U+202C, U+200B")
    moved = [line.replace("#> [headline] Da Nang", "#> [headline] Hue") for line in lines]
    refused(moved, f"{work}:{head + 1}: source line changed, added or moved")
    assert aid in {q["id"] for q in site.queue()}

    # Fixed, the same file goes through.
    good = list(lines)
    good[head + 1] = "Công an Đà Nẵng ra quân"
    work.write_text("\n".join(good) + "\n", encoding="utf-8")
    r = site.invoke("review", "edit", aid, "--file", str(work))
    assert r.exit_code == 0, r.output
    assert _vi_entry(site, aid).title == "Công an Đà Nẵng ra quân"


def test_a_refused_editor_session_keeps_the_editors_work(make_site, editor):
    site, aid = _held_site(make_site)
    editor = editor("""
        import sys
        from pathlib import Path
        p = Path(sys.argv[1])
        p.write_text(p.read_text(encoding="utf-8") + "một dòng thừa\\n", encoding="utf-8")
    """)
    r = site.invoke("review", "edit", aid, env={"EDITOR": editor, "VISUAL": ""})
    assert r.exit_code == 1 and "a second line under" in r.output
    (kept,) = (site.root / "data" / "review").glob("*.txt")
    assert kept.read_text(encoding="utf-8").endswith("một dòng thừa\n") and str(kept) in r.output


def test_glossary_candidates_propose_a_rendering_an_editor_changed(make_site, editor):
    site = make_site({"en_vi": "hold-all"}, glossary='[[term]]\nen = "Colonel"\nvi = "Đại tá"\n')
    site.run()
    (item,) = [q for q in site.queue() if q["article"]["title"] == EN_TITLE]
    editor = editor("""
        import sys
        from pathlib import Path
        p = Path(sys.argv[1])
        p.write_text(p.read_text(encoding="utf-8").replace("Đại tá Nguyen Van Hai", "Thượng tá Nguyễn Văn Hải"),
                     encoding="utf-8")
    """)
    assert site.invoke("review", "edit", item["id"], "--by", "minh", env={"EDITOR": editor}).exit_code == 0
    r = site.invoke("glossary", "candidates")
    assert r.exit_code == 0, r.output
    assert f"edited  en-vi  Colonel = Thượng tá  (was Đại tá; article {item['id']}, by minh)" in r.output
    assert f"edited  en-vi  Nguyen Van Hai = Nguyễn Văn Hải  (was Nguyen Van Hai; article {item['id']}" in r.output


def test_an_approval_pings_the_hub_for_the_changed_feeds_only(make_site, httpserver):
    site, aid = _held_site(make_site)
    text = site.config_file.read_text(encoding="utf-8")
    site.config_file.write_text(text.replace('hub = ""', f'hub = "{httpserver.url_for("/hub")}"'), encoding="utf-8")
    httpserver.expect_request("/hub", method="POST").respond_with_data("", status=204)
    site.run()  # the hub is now in every feed: all of them change once
    httpserver.clear_log()
    r = site.invoke("review", "approve", aid)
    assert r.exit_code == 0 and "WebSub: 3 pinged, 0 pending" in r.output
    pinged = {parse_qs(req.get_data(as_text=True))["hub.url"][0] for req, _ in httpserver.log}
    base = text.split('base_url = "')[1].split('"')[0]
    assert pinged == {f"{base}vi/rss.xml", f"{base}vi/atom.xml", f"{base}vi/feed.json"}
