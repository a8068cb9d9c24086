"""Cycles cost what is new: an inbox file whose stat is unchanged, and whose
article is stored as it was read, is neither read nor parsed again; the
files stay the source of truth, so anything that changed them (an edit, a
file swapped in under the same name, a touch) or anything that could have
lost their article (a crash before it was stored) makes them read again.
Counted, never timed."""
from __future__ import annotations

import dataclasses
import os

import pytest

from syndicate import pipeline
from syndicate.sources import inbox as inbox_source
from syndicate.store import Store

GOOD = "Headline number {i}\n\nAugust, 09 2019\nMPS - Body paragraph {i}. With two sentences.\n\nBy Linh Anh\n"


@pytest.fixture
def parses(monkeypatch):
    """How many times the portal parser ran (the real one runs)."""
    calls = []
    real = inbox_source.parse_portal_text

    def counting(text, **kw):
        calls.append(kw["origin"])
        return real(text, **kw)

    monkeypatch.setattr(inbox_source, "parse_portal_text", counting)
    return calls


def _run(cfg):
    with Store(cfg.db_path) as store:
        return pipeline.run_cycle(cfg, store=store)


def _fill(workspace, n: int):
    return [workspace.add(f"a{i:03}.txt", text=GOOD.format(i=i)) for i in range(n)]


def test_an_idle_cycle_parses_nothing_and_an_edited_file_is_read_again(workspace, parses):
    files = _fill(workspace, 20)
    cfg = workspace.config()
    first = _run(cfg)
    assert first.counts()["new"] == 20 and len(parses) == 20

    parses.clear()
    idle = _run(cfg)
    assert parses == []
    assert idle.counts()["unchanged"] == 20 and idle.counts()["new"] == 0
    assert idle.sources[0].stats == {"files": 20, "read": 0, "parsed": 0}
    assert idle.files_written == 0

    files[3].write_text(GOOD.format(i=3).replace("Body paragraph", "Edited paragraph"), encoding="utf-8")
    after = _run(cfg)
    assert parses == [str(files[3])]
    assert after.counts()["updated"] == 1 and after.counts()["unchanged"] == 19

    parses.clear()
    _run(cfg)
    assert parses == []


def test_a_file_swapped_in_with_the_same_size_and_mtime_is_read(workspace, parses):
    """An exporter that writes a new file and renames it over the old one:
    the inode changes even when size and mtime do not."""
    (f,) = _fill(workspace, 1)
    cfg = workspace.config()
    _run(cfg)
    st = f.stat()
    tmp = f.with_name(f.name + ".tmp")
    tmp.write_text(GOOD.format(i=0).replace("Body", "Bodi"), encoding="utf-8")  # same length
    os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(tmp, f)
    assert (f.stat().st_size, f.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    parses.clear()
    report = _run(cfg)
    assert parses == [str(f)] and report.counts()["updated"] == 1


def test_a_touched_file_is_read_but_not_parsed(workspace, parses):
    (f,) = _fill(workspace, 1)
    cfg = workspace.config()
    _run(cfg)
    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 10**9))
    parses.clear()
    report = _run(cfg)
    assert parses == [] and report.sources[0].stats == {"files": 1, "read": 1, "parsed": 0}
    assert report.counts()["unchanged"] == 1
    parses.clear()
    assert _run(cfg).sources[0].stats["read"] == 0  # the new stat was remembered


def test_files_read_but_never_stored_are_read_again(workspace, parses):
    """A crash between collecting (file rows saved) and storing the articles."""
    _fill(workspace, 3)
    cfg = workspace.config()
    with Store(cfg.db_path) as store:
        res = inbox_source.collect(cfg.sources[0], store)  # and then the process died
        assert len(res.articles) == 3 and store.article_count() == {}
    parses.clear()
    report = _run(cfg)
    assert len(parses) == 3 and report.counts()["new"] == 3


def test_a_changed_source_language_reads_every_file_again(workspace, parses):
    _fill(workspace, 2)
    _run(workspace.config())
    parses.clear()
    cfg = workspace.configure({"sources": [{"name": "inbox", "type": "inbox", "path": "inbox", "language": "en"}]})
    _run(cfg)
    assert len(parses) == 2


def test_removed_and_rejected_files_are_forgotten(workspace):
    files = _fill(workspace, 3)
    cfg = workspace.config()
    _run(cfg)
    files[0].unlink()
    files[1].write_bytes(b"Headline\n\x00\x00binary")  # becomes a reject, moved out
    report = _run(cfg)
    assert len(report.rejected) == 1
    with Store(cfg.db_path) as store:
        assert set(store.inbox_files("inbox")) == {str(files[2])}
    # Forgotten does not mean lost: the article stays, and the file coming back is read again.
    files[0].write_text(GOOD.format(i=0), encoding="utf-8")
    assert _run(cfg).counts()["unchanged"] == 2


def test_a_lowered_size_limit_reaches_files_already_read(workspace):
    files = _fill(workspace, 1)
    cfg = workspace.config()
    _run(cfg)
    src = dataclasses.replace(cfg.sources[0], max_file_bytes=10)
    with Store(cfg.db_path) as store:
        res = inbox_source.collect(src, store)
    assert len(res.rejected) == 1 and "too large" in res.rejected[0].reason
    assert not files[0].exists()


def test_translations_waiting_for_a_missing_model_are_counted_not_loaded(workspace, monkeypatch, copy_packages):
    """With no model for a direction, its backlog is counted (the report
    and the advice stay) but its articles are not read every cycle."""
    import testsite

    workspace.add("en.txt", fixture="en_border_meeting.txt")
    workspace.add("vi.txt", fixture="vi_traffic_review.txt")
    _fill(workspace, 3)  # English
    cfg = workspace.config()
    loaded: list[list[str] | None] = []
    real = Store.translation_work

    def spy(self, glossary_version=None, languages=None):
        loaded.append(languages)
        return real(self, glossary_version, languages)

    monkeypatch.setattr(Store, "translation_work", spy)
    report = _run(cfg)
    assert loaded == [] and report.pending == 5
    assert [n.split(" translation model")[0] for n in report.notes] == ["no en->vi", "no vi->en"]

    testsite.install_copy_models(workspace.root / "packages", {("en", "vi"): copy_packages[("en", "vi")]})
    report = _run(cfg)
    assert loaded == [["vi"]]  # only the direction that has a model
    assert report.translated == 4 and report.pending == 1
    assert [n for n in report.notes if "translation model is installed" in n] == [report.notes[-1]]
    assert "no vi->en" in report.notes[-1]


def test_a_corrected_headline_is_read_once_then_idle_again(workspace, parses):
    """The corrected file keeps its article's id (issue 11's identity rule)
    while its own natural id changes: the cache must follow it there, or
    the file would be parsed on every cycle from then on."""
    (f,) = _fill(workspace, 1)
    cfg = workspace.config()
    _run(cfg)
    f.write_text(GOOD.format(i=0).replace("Headline number 0", "Corrected headline 0"), encoding="utf-8")
    parses.clear()
    corrected = _run(cfg)
    assert corrected.counts()["updated"] == 1 and corrected.counts()["new"] == 0 and len(parses) == 1
    parses.clear()
    idle = _run(cfg)
    assert parses == [] and idle.counts()["unchanged"] == 1
