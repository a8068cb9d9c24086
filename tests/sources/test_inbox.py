import dataclasses
import os

import pytest

from syndicate.sources import collect

GOOD_EN = "Headline\n\nAugust, 09 2019\nMPS - A body paragraph. With two sentences.\n\nBy Linh Anh\n"


def _inbox_source(workspace, **opts):
    cfg = workspace.config()
    return dataclasses.replace(cfg.sources[0], **opts)


def test_good_files_become_articles_and_stay_in_the_inbox(workspace, store):
    workspace.add("a.txt", fixture="en_border_meeting.txt")
    workspace.add("b.txt", fixture="vi_traffic_review.txt")
    res = collect(_inbox_source(workspace), store)
    assert res.error is None and res.rejected == []
    assert sorted(a.language for a in res.articles) == ["en", "vi"]
    assert sorted(p.name for p in workspace.inbox.iterdir()) == ["a.txt", "b.txt"]


def test_in_progress_and_hidden_files_are_left_alone(workspace, store):
    workspace.add(".hidden.txt", text=GOOD_EN)
    workspace.add("export.txt.part", text="half a fi")
    res = collect(_inbox_source(workspace), store)
    assert res.articles == [] and res.rejected == []
    assert (workspace.inbox / "export.txt.part").exists()


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n \n", "empty"),
        ("nul.txt", b"Headline\n\x00\x00binary", "NUL bytes"),
        ("binary.bin", bytes(range(1, 32)) * 40, "binary"),
        ("nodate.txt", b"Headline\n\nnot a date\nMPS - body\n", "line 3: expected a dateline"),
        ("nobody.txt", b"Headline\n\nAugust, 09 2019\n", "no body"),
    ],
)
def test_bad_files_are_set_aside_with_a_reason(workspace, store, name, content, reason):
    workspace.add(name, data=content)
    workspace.add("good.txt", text=GOOD_EN)
    res = collect(_inbox_source(workspace), store)
    assert [a.title for a in res.articles] == ["Headline"]  # the run goes on
    (rej,) = res.rejected
    assert reason in rej.reason and name in rej.reason
    moved = workspace.root / "rejected" / name
    assert rej.moved_to == str(moved)
    assert moved.read_bytes() == content  # set aside intact, never deleted
    why = (workspace.root / "rejected" / (name + ".reason.txt")).read_text(encoding="utf-8")
    assert reason in why
    assert not (workspace.inbox / name).exists()


def test_oversized_file_is_rejected_by_configured_limit(workspace, store):
    workspace.add("big.txt", text=GOOD_EN + "x" * 2000)
    res = collect(_inbox_source(workspace, max_file_bytes=1000), store)
    assert "too large" in res.rejected[0].reason and "limit is 1000" in res.rejected[0].reason


def test_a_second_rejected_file_of_the_same_name_does_not_overwrite(workspace, store):
    workspace.add("x.txt", data=b"")
    collect(_inbox_source(workspace), store)
    workspace.add("x.txt", data=b"\x00")
    collect(_inbox_source(workspace), store)
    names = sorted(p.name for p in (workspace.root / "rejected").iterdir())
    assert names == ["x.1.txt", "x.1.txt.reason.txt", "x.txt", "x.txt.reason.txt"]


def test_missing_inbox_is_a_source_error(workspace, store):
    os.rmdir(workspace.inbox)
    res = collect(_inbox_source(workspace), store)
    assert "does not exist" in res.error
