import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import feedparser
from click.testing import CliRunner

from syndicate.cli import main
from syndicate.exitcodes import ExitCode

REPO = Path(__file__).resolve().parents[2]


def run_cli(workspace, *args):
    return CliRunner().invoke(main, ["--config", str(workspace.config_file), *args], catch_exceptions=False)


def test_run_publishes_both_languages_and_is_idempotent(workspace):
    workspace.add("en.txt", fixture="en_border_meeting.txt")
    workspace.add("vi.txt", fixture="vi_traffic_review.txt")
    r = run_cli(workspace, "run")
    assert r.exit_code == ExitCode.OK, r.output
    assert "articles: 2 new, 0 updated, 0 unchanged, 0 rejected" in r.output
    # No model installed: originals published, translations pending, one plain hint.
    assert "translations: 0 done, 0 failed, 2 pending" in r.output
    assert "syndicate models install" in r.output
    feeds = workspace.root / "feeds"
    en = feedparser.parse((feeds / "en" / "atom.xml").read_bytes())
    vi = feedparser.parse((feeds / "vi" / "rss.xml").read_bytes())
    assert [e.title for e in en.entries] == ["Lao Cai police strengthen border cooperation with Yunnan counterparts"]
    assert [e.title for e in vi.entries] == ["Hội nghị tổng kết công tác bảo đảm trật tự, an toàn giao thông năm 2023"]
    snapshot = {p: p.read_bytes() for p in feeds.rglob("*") if p.is_file()}

    r2 = run_cli(workspace, "run")
    assert r2.exit_code == ExitCode.OK
    assert "articles: 0 new, 0 updated, 2 unchanged, 0 rejected" in r2.output
    assert "feeds: 0 files written" in r2.output
    assert {p: p.read_bytes() for p in feeds.rglob("*") if p.is_file()} == snapshot


def test_edited_file_updates_its_entry(workspace):
    f = workspace.add("en.txt", fixture="en_border_meeting.txt")
    run_cli(workspace, "run")
    f.write_text(f.read_text(encoding="utf-8").replace("1,250 cases", "1,260 cases"), encoding="utf-8")
    r = run_cli(workspace, "run")
    assert "articles: 0 new, 1 updated, 0 unchanged" in r.output
    d = feedparser.parse((workspace.root / "feeds" / "en" / "atom.xml").read_bytes())
    assert len(d.entries) == 1
    assert "1,260 cases" in d.entries[0].content[0].value
    assert d.entries[0].updated_parsed > d.entries[0].published_parsed


def test_rejected_input_exits_3_names_the_file_and_publishes_the_rest(workspace):
    workspace.add("en.txt", fixture="en_border_meeting.txt")
    workspace.add("broken.txt", text="Only a headline\n")
    r = run_cli(workspace, "run")
    assert r.exit_code == ExitCode.INPUT
    assert "rejected broken.txt: line 1: headline 'Only a headline' is not followed by a dateline" in r.output
    assert (workspace.root / "rejected" / "broken.txt").exists()
    assert len(feedparser.parse((workspace.root / "feeds" / "en" / "rss.xml").read_bytes()).entries) == 1
    s = run_cli(workspace, "status")
    assert "rejected files: 1" in s.output and "last run: #1 problems (exit 3)" in s.output


def test_config_error_names_the_key_and_runs_nothing(make_workspace):
    workspace = make_workspace({"schedule": {"intervall_minutes": 5}})
    workspace.add("en.txt", fixture="en_border_meeting.txt")
    r = CliRunner().invoke(main, ["--config", str(workspace.config_file), "run"])
    assert r.exit_code == ExitCode.USAGE
    assert "schedule.intervall_minutes: unknown key" in r.output
    assert not (workspace.root / "data").exists()


def test_ingest_command_reads_in_place(workspace, tmp_path):
    src = tmp_path / "one.txt"
    src.write_bytes((REPO / "tests/text/testdata/vi_traffic_review.txt").read_bytes())
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01")
    r = run_cli(workspace, "ingest", str(src), str(bad))
    assert r.exit_code == ExitCode.INPUT
    assert f"{src}: new (vi)" in r.output
    assert "bad.txt: rejected: contains NUL bytes" in r.output
    assert bad.exists()  # explicit paths are never moved
    s = run_cli(workspace, "status", "--json")
    info = json.loads(s.output)
    assert info["articles"] == {"vi": 1} and info["translations"] == {"pending": 1}


CRASHER = textwrap.dedent(
    """
    import os, sys
    from syndicate import store
    calls = {"n": 0}
    real = store.Store.upsert_article
    def upsert(self, article, now=None, **kw):
        calls["n"] += 1
        if calls["n"] == 2:
            os._exit(137)  # die like a killed process: no cleanup, no rollback handlers
        return real(self, article, now, **kw)
    store.Store.upsert_article = upsert
    from syndicate.cli import main
    main(["--config", sys.argv[1], "run"])
    """
)


def test_crash_between_two_articles_leaves_a_consistent_store_and_the_next_run_finishes(workspace):
    for i, fx in enumerate(["en_border_meeting.txt", "vi_traffic_review.txt"]):
        workspace.add(f"{i}.txt", fixture=fx)
    workspace.add("2.txt", text="Third headline\n\nMay, 01 2024\nMPS - Third body. Two sentences.\n")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    p = subprocess.run([sys.executable, "-c", CRASHER, str(workspace.config_file)], env=env, capture_output=True)
    assert p.returncode == 137
    db = sqlite3.connect(workspace.root / "data" / "syndicate.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # The first article is there with its translation queued; nothing half-written.
    assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1
    assert db.execute("SELECT COUNT(*) FROM translations WHERE status='pending'").fetchone()[0] == 1
    db.close()

    r = run_cli(workspace, "run")
    assert r.exit_code == ExitCode.OK, r.output
    assert "articles: 2 new, 0 updated, 1 unchanged" in r.output
    db = sqlite3.connect(workspace.root / "data" / "syndicate.sqlite")
    assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 3
    assert db.execute("SELECT COUNT(*) FROM translations").fetchone()[0] == 3
    # The interrupted run is recorded as unfinished, not as a success.
    assert db.execute("SELECT COUNT(*) FROM runs WHERE finished IS NULL").fetchone()[0] == 1


def test_glossary_with_errors_stops_the_run_with_file_and_line(workspace):
    (workspace.root / "glossary" / "ranks.toml").write_text(
        '[[term]]\nen = "Colonel"\nvi = "Đại tá"\n\n[[term]]\nen = ""\nvi = "Thiếu tá"\n', encoding="utf-8"
    )
    workspace.add("en.txt", fixture="en_border_meeting.txt")
    r = CliRunner().invoke(main, ["--config", str(workspace.config_file), "run"])
    assert r.exit_code == ExitCode.USAGE
    assert "glossary error:" in r.output and "ranks.toml:6: en is empty" in r.output
    assert not (workspace.root / "feeds" / "en").exists()  # nothing ran


def test_a_degenerate_translation_is_never_published_and_exits_4(workspace, copy_packages):
    """A model that echoes its input without saying it is a copy model
    produces 'untranslated copies': those articles fail, stay unpublished in
    the other language, and the run exits 4; the other direction publishes."""
    import copy_model

    pk = workspace.root / "packages"
    copy_model.install_package(copy_model.build_package(workspace.root / "ev.argosmodel", "en", "vi", declare_copy=False), pk)
    copy_model.install_package(copy_packages[("vi", "en")], pk)
    workspace.add("en.txt", fixture="en_border_meeting.txt")
    workspace.add("vi.txt", fixture="vi_traffic_review.txt")
    r = run_cli(workspace, "run")
    assert r.exit_code == 4, r.output
    assert "translations: 1 done, 1 failed, 0 pending" in r.output
    assert "translation failed:" in r.output and "-> vi:" in r.output
    vi = feedparser.parse((workspace.root / "feeds" / "vi" / "atom.xml").read_bytes())
    assert [e.title for e in vi.entries] == ["Hội nghị tổng kết công tác bảo đảm trật tự, an toàn giao thông năm 2023"]
    en = feedparser.parse((workspace.root / "feeds" / "en" / "atom.xml").read_bytes())
    assert len(en.entries) == 2  # the original and the vi->en translation
    assert any("Machine translation from Vietnamese" in e.content[0].value for e in en.entries)
    s = json.loads(run_cli(workspace, "status", "--json").output)
    assert s["translations"] == {"done": 1, "failed": 1}

    # The same inputs would fail the same way: held, not paid for again every cycle.
    again = json.loads(run_cli(workspace, "run", "--json").output)
    assert again["exit_code"] == 0 and again["model_calls"] == 0
    assert again["counts"]["held"] == 1 and again["counts"]["pending"] == 0
    assert any("not retried until the article, the model or the glossary changes" in n for n in again["notes"])
    assert json.loads(run_cli(workspace, "status", "--json").output)["translations"] == {"done": 1, "failed": 1}

    # A glossary edit is a new input: the held translation is tried again.
    (workspace.root / "glossary" / "phrases.toml").write_text(
        '[[term]]\nen = "black credit"\nvi = "tín dụng đen"\n', encoding="utf-8")
    third = run_cli(workspace, "run")
    assert third.exit_code == 4 and "translation failed:" in third.output


def test_stop_during_translation_keeps_work_pending_and_the_next_run_finishes(workspace, copy_packages):
    import threading

    import copy_model

    from syndicate.pipeline import run_cycle
    from syndicate.store import Store

    pk = workspace.root / "packages"
    for s, t in (("en", "vi"), ("vi", "en")):
        copy_model.install_package(copy_packages[(s, t)], pk)
    workspace.add("en.txt", fixture="en_border_meeting.txt")
    workspace.add("vi.txt", fixture="vi_traffic_review.txt")
    cfg = workspace.config()
    stop = threading.Event()
    with Store(cfg.db_path) as store:
        report = run_cycle(cfg, store=store, stop=stop, progress=lambda p: p.stage == "translating" and stop.set())
        assert report.stopped and report.failed == []
        # Whatever the first engine call finished is saved; the rest waits, not failed.
        counts = store.translation_counts()
        assert "failed" not in counts and counts["pending"] >= 1
        pending = counts["pending"]
    r = run_cli(workspace, "run")
    assert r.exit_code == ExitCode.OK
    assert f"translations: {pending} done, 0 failed, 0 pending" in r.output


def test_glossary_edit_retranslates_only_the_sentences_it_touches(workspace, copy_packages):
    import copy_model

    pk = workspace.root / "packages"
    copy_model.install_package(copy_packages[("en", "vi")], pk)
    places = workspace.root / "glossary" / "places.toml"
    places.write_text('category = "places"\ncase = "exact"\n\n[[term]]\nen = "Lao Cai"\nvi = "Lào Cai"\n',
                      encoding="utf-8")
    workspace.add("en.txt", fixture="en_border_meeting.txt")
    first = json.loads(run_cli(workspace, "run", "--json").output)
    assert first["counts"]["translated"] == 1 and first["model_calls"] > 2
    entry = feedparser.parse((workspace.root / "feeds" / "vi" / "atom.xml").read_bytes()).entries[0]
    assert "Lào Cai" in entry.title

    # An edit elsewhere in the glossary: nothing this article matches changes.
    (workspace.root / "glossary" / "phrases.toml").write_text(
        '[[term]]\nen = "black credit"\nvi = "tín dụng đen"\n', encoding="utf-8")
    second = json.loads(run_cli(workspace, "run", "--json").output)
    assert second["counts"]["translated"] == 1  # redone under the new glossary version...
    assert second["model_calls"] == 0  # ...entirely from the translation memory
    again = feedparser.parse((workspace.root / "feeds" / "vi" / "atom.xml").read_bytes()).entries[0]
    assert again.title == entry.title
    assert again.updated == entry.updated  # the text is the same: not an update for readers

    # An edit to a term the article uses: only the segments containing it go back to the model.
    places.write_text(places.read_text(encoding="utf-8").replace('vi = "Lào Cai"', 'vi = "tỉnh Lào Cai"'),
                      encoding="utf-8")
    third = json.loads(run_cli(workspace, "run", "--json").output)
    assert third["counts"]["translated"] == 1
    assert third["model_calls"] == 2  # the headline and the lead mention Lao Cai; nothing else does
    entry = feedparser.parse((workspace.root / "feeds" / "vi" / "atom.xml").read_bytes()).entries[0]
    assert entry.title.startswith("Tỉnh Lào Cai")  # the new form, capitalized at the start


def test_status_lists_recent_rejected_files_with_reasons(workspace):
    """`status` said only 'rejected files: 4': an operator could not see which
    files were set aside, where they went, or why, without opening each
    reason file."""
    workspace.add("en.txt", fixture="en_border_meeting.txt")
    workspace.add("broken.txt", text="Only a headline\n")
    workspace.add("empty.txt", text="")
    run_cli(workspace, "run")
    out = run_cli(workspace, "status").output
    lines = out.splitlines()
    assert "rejected files: 2" in lines
    rejected_dir = workspace.root / "rejected"
    broken = [l for l in lines if "broken.txt" in l]
    assert broken and str(rejected_dir / "broken.txt") in broken[0]
    assert "is not followed by a dateline" in broken[0]
    assert any("empty.txt" in l and "empty file" in l for l in lines)
    info = json.loads(run_cli(workspace, "status", "--json").output)
    assert {r["moved_to"] for r in info["recent_rejects"]} == {str(rejected_dir / "broken.txt"), str(rejected_dir / "empty.txt")}
