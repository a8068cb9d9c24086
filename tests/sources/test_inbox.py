import dataclasses
import json
import os
from datetime import datetime, timezone

import pytest
from click.testing import CliRunner

from syndicate.cli import main
from syndicate.exitcodes import ExitCode
from syndicate.sources.inbox import SYMLINK_REASON, collect, read_file
from syndicate.text.normalize import InputError

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


# --- links, special files and names (issue 13, item 2 and 13) --------------------------

SECRET = "SECRET-7f3a9c-do-not-publish"


def _everything_written(workspace, output: str) -> str:
    """All the run left behind as text: its output, every file under the
    workspace (reason files, feeds, the SQLite store's bytes) except the
    secret files themselves."""
    parts = [output]
    for p in workspace.root.rglob("*"):
        if p.is_file() and not p.is_symlink() and "outside" not in p.parts:
            parts.append(p.read_bytes().decode("utf-8", "replace"))
    return "\n".join(parts)


def test_a_symlink_to_a_file_outside_is_set_aside_unread_and_its_secret_appears_nowhere(workspace):
    """A link to a readable file elsewhere was ingested and published, and a
    line of a link's target was quoted in the reject reason (reason.txt, the
    rejects table, stdout, the report)."""
    outside = workspace.root / "outside"
    outside.mkdir()
    # One target that parses as an article (it would be published), one that
    # fails on its second line (its line would be quoted in the reason).
    good_secret = outside / "article.txt"
    good_secret.write_text(f"{SECRET} headline\n\nAugust, 09 2019\nMPS - {SECRET} body.\n", encoding="utf-8")
    bad_secret = outside / "passwd"
    bad_secret.write_text(f"root:x:0:0:root:/root:/bin/bash\n{SECRET}:x:1000:1000::/home/s:/bin/sh\n",
                          encoding="utf-8")
    (workspace.inbox / "article.txt").symlink_to(good_secret)
    (workspace.inbox / "passwd.txt").symlink_to(bad_secret)
    workspace.add("good.txt", text=GOOD_EN)

    runner = CliRunner()
    args = ["--config", str(workspace.config_file)]
    r = runner.invoke(main, [*args, "run", "--json"], catch_exceptions=False)
    report = json.loads(r.output)
    assert r.exit_code == ExitCode.INPUT
    assert report["counts"]["new"] == 1 and report["counts"]["rejected"] == 2
    for rej in report["sources"][0]["rejected"]:
        assert "symbolic link" in rej["reason"]
    status = runner.invoke(main, [*args, "status"], catch_exceptions=False).output
    assert "symbolic link" in status

    assert SECRET not in _everything_written(workspace, r.output + status)
    # The links were moved, not their targets, which are untouched.
    rejected = workspace.root / "rejected"
    assert (rejected / "article.txt").is_symlink() and (rejected / "passwd.txt").is_symlink()
    assert os.readlink(rejected / "passwd.txt") == str(bad_secret)
    assert SECRET in bad_secret.read_text(encoding="utf-8") and SECRET in good_secret.read_text(encoding="utf-8")
    assert not (workspace.inbox / "article.txt").exists()


def test_a_link_to_a_folder_and_a_fifo_are_set_aside_without_being_opened(workspace, store):
    target = workspace.root / "elsewhere"
    target.mkdir()
    (target / "inner.txt").write_text(GOOD_EN, encoding="utf-8")
    (workspace.inbox / "dirlink").symlink_to(target)
    os.mkfifo(workspace.inbox / "pipe.txt")  # opened for reading without a writer, it would block forever
    (workspace.inbox / "subfolder").mkdir()  # folders are not entries: left alone
    res = collect(_inbox_source(workspace), store)
    assert res.articles == []
    reasons = sorted(r.reason for r in res.rejected)
    assert reasons == ["dirlink: " + SYMLINK_REASON, "pipe.txt: not a regular file: a FIFO"]
    assert (workspace.root / "rejected" / "dirlink").is_symlink()
    assert (target / "inner.txt").exists() and (workspace.inbox / "subfolder").is_dir()


def test_read_file_refuses_a_link_on_the_open_file_itself(tmp_path):
    """The check is O_NOFOLLOW on the open, not a look before it: a file
    swapped for a link after the listing is refused as well."""
    real = tmp_path / "real.txt"
    real.write_text(GOOD_EN, encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    with pytest.raises(InputError, match="symbolic link"):
        read_file(link, 1000)
    assert read_file(real, 1000) == GOOD_EN.encode("utf-8")


def test_a_file_that_grows_past_the_limit_is_not_read_past_it(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes(b"x" * 50)
    with pytest.raises(InputError, match="limit is 10"):
        read_file(f, 10)


def test_file_names_with_line_breaks_and_ansi_escapes_are_escaped_everywhere(workspace):
    evil = "bad\n\x1b[31mrejected ok.txt\x1b[0m\u202etxt"
    workspace.add(evil, text="Only a headline\n")
    workspace.add("good.txt", text=GOOD_EN)
    runner = CliRunner()
    args = ["--config", str(workspace.config_file)]
    out = runner.invoke(main, [*args, "run"], catch_exceptions=False).output
    out_json = runner.invoke(main, [*args, "run", "--json"], catch_exceptions=False).output
    status = runner.invoke(main, [*args, "status"], catch_exceptions=False).output
    shown = "bad\\n\\x1b[31mrejected ok.txt\\x1b[0m\\u202etxt"
    (line,) = [ln for ln in out.splitlines() if ln.startswith("rejected ")]
    assert line.startswith(f"rejected {shown}: line 1: headline 'Only a headline' is not followed by a dateline")
    assert shown in status
    for text in (out, out_json, status):
        assert "\x1b" not in text and "\u202e" not in text and "bad\n" not in text
    reason_file = next((workspace.root / "rejected").glob("*.reason.txt"))
    why = reason_file.read_text(encoding="utf-8")
    assert shown in why and "\x1b" not in why and len(why.splitlines()) == 3
    assert (workspace.root / "rejected" / evil).exists()  # the file itself keeps its name


def test_a_reason_quotes_only_a_short_escaped_excerpt_of_the_offending_line(workspace, store):
    long_line = "\x1b]0;owned\x07" + "y" * 300
    workspace.add("x.txt", text=f"Headline\n\n{long_line}\nBody.\n")
    (rej,) = collect(_inbox_source(workspace), store).rejected
    assert rej.reason.startswith("x.txt: line 3: expected a dateline")
    # The terminal-title sequence is gone (control characters never reach a
    # reason, escaped or stripped), and the line is cut short.
    assert "]0;owned" in rej.reason and "\x1b" not in rej.reason and "\x07" not in rej.reason
    assert "y" * 40 not in rej.reason  # an excerpt, not the line


# --- dates in the future (issue 13, item 12) ------------------------------------------


def test_a_file_dated_2099_is_set_aside_naming_the_line_and_the_key(workspace, store):
    """A date far in the future pinned its item to the top of every feed."""
    workspace.add("future.txt", text="Headline\n\n01/01/2099\nMPS - Body.\n")
    workspace.add("good.txt", text=GOOD_EN)
    res = collect(_inbox_source(workspace), store)
    assert [a.title for a in res.articles] == ["Headline"]
    (rej,) = res.rejected
    assert rej.reason.startswith("future.txt: line 3: the dateline '01/01/2099' is dated 2099-01-01T00:00:00+07:00,"
                                 " more than 24 h after now")
    assert rej.reason.endswith("(sources.max_future_hours)")
    assert (workspace.root / "rejected" / "future.txt").exists()


@pytest.mark.parametrize("hours, accepted", [(24.0, True), (1.0, False)])
def test_the_future_tolerance_is_the_configured_one(workspace, store, hours, accepted):
    # 10 August 00:00 in Hanoi is 9 August 17:00 UTC: 7 hours after this clock.
    now = datetime(2019, 8, 9, 10, 0, tzinfo=timezone.utc)
    workspace.add("a.txt", text=GOOD_EN.replace("August, 09 2019", "August, 10 2019"))
    res = collect(_inbox_source(workspace, max_future_hours=hours), store, now=now)
    assert len(res.articles) == (1 if accepted else 0)
    assert len(res.rejected) == (0 if accepted else 1)


def test_ingest_refuses_a_link_and_a_future_date_too(workspace, tmp_path):
    real = tmp_path / "real.txt"
    real.write_text(GOOD_EN, encoding="utf-8")
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "link.txt").symlink_to(real)
    (folder / "later.txt").write_text(GOOD_EN.replace("2019", "2099"), encoding="utf-8")
    r = CliRunner().invoke(main, ["--config", str(workspace.config_file), "ingest", str(folder)])
    assert r.exit_code == ExitCode.INPUT
    assert "link.txt: rejected: a symbolic link" in r.stderr
    assert "later.txt: rejected: line 3: the dateline 'August, 09 2099'" in r.stderr
