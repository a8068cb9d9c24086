"""`syndicate review list / show / approve / reject / edit / log`: the
editors' queue of held translations and what they do with them. Every
action is recorded with who (--by, $SYNDICATE_REVIEWER or the login name)
and when, and the feeds are republished at once (WebSub pinged for the
files that changed)."""
from __future__ import annotations

import json
import os
import shlex
import subprocess
from pathlib import Path

import click

from .. import review as R
from ..config import Config
from ..exitcodes import ExitCode
from ..pipeline import republish
from ..store import Store
from .common import fail, pass_config

BY = click.option("--by", default=None, help="Who acts (default: $SYNDICATE_REVIEWER, else the login name).")


def open_store(cfg: Config) -> Store:
    if not cfg.db_path.exists():
        fail(ExitCode.USAGE, f"syndicate: no store at {cfg.db_path}: run `syndicate run` first")
    return Store(cfg.db_path)


def item_or_exit(store: Store, ref: str) -> R.Item:
    try:
        return R.find_item(store, ref)
    except R.ActionError as e:
        fail(ExitCode.REFUSED, f"syndicate: {e}")


def published(cfg: Config, store: Store) -> None:
    pub, websub = republish(cfg, store)
    line = f"feeds: {len(pub.written)} files written, {len(pub.removed)} pages removed"
    if websub:
        line += f"; WebSub: {len(websub['pinged'])} pinged, {len(websub['pending'])} pending"
    click.echo(line)


@click.group()
def review() -> None:
    """Review held translations: list, show, approve, reject, edit, log."""


def _row(item: R.Item) -> dict:
    a, t = item.stored.article, item.translation
    assert t is not None
    return {
        "id": item.id, "direction": item.direction, "reasons": t.review_reasons,
        "article": {"title": a.title, "published": a.published.isoformat(), "source": a.source,
                    "origin": a.origin, "url": a.url},
        "translation": {"title": t.title, "translated": t.updated.isoformat() if t.updated else None,
                        "min_score": t.min_score, "problems": len(t.problems)},
    }


@review.command("list")
@click.option("--direction", type=click.Choice(["en-vi", "vi-en"]), default=None, help="Only this direction.")
@click.option("--reason", type=click.Choice(R.REASONS), default=None, help="Only items held for this reason.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of the items.")
@pass_config
def list_cmd(cfg: Config, direction, reason, as_json) -> None:
    """The translations waiting for review, oldest article first."""
    with open_store(cfg) as store:
        items = R.queue(store, direction, reason)
        rows = [_row(i) for i in items]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        click.echo(f"{r['id']}  {r['direction']}  {r['article']['published'][:10]}  {','.join(r['reasons'])}\n"
                   f"    {r['article']['title']}\n    {r['translation']['title']}")
    click.echo(f"{len(rows)} waiting for review", err=True)


def _show_lines(item: R.Item) -> list[str]:
    t = item.translation
    assert t is not None
    a = item.stored.article
    out = [f"article {item.id} ({item.direction}), {a.source}: {a.origin or a.url or ''}",
           f"state: {item.state}" + (f" ({', '.join(t.review_reasons)})" if t.review_reasons else "")
           + (f", by {t.reviewed_by} at {t.reviewed_at.isoformat()}" if t.reviewed_at else ""),
           f"model: {t.engine} {t.model}, glossary {t.glossary_version}, lowest score "
           + (f"{t.min_score:.3f}" if t.min_score is not None else "-")]
    if item.stored.withdrawn_at:
        out.append(f"WITHDRAWN {item.stored.withdrawn_at.isoformat()}: {item.stored.withdrawn_reason}")
    segments = item.segments()
    for i, seg in enumerate(segments):
        score = f"  (score {seg['score']:.3f})" if seg.get("score") is not None else ""
        who = "  (human)" if seg.get("human") else ""
        out += ["", f"{R.editfile.label(segments, i)} {seg['source']}", f"  -> {seg['target']}{score}{who}"]
        for term in seg.get("terms") or []:
            mark = "ok" if term.get("ok") else "MISSING"
            kind = " (name not in the glossary)" if term.get("candidate") else ""
            out.append(f"     term {term['source']!r} -> {term['target']!r}: {mark}{kind}")
    if t.problems:
        out.append("")
        out += [f"problem: {p.get('type')} {p.get('entry') or ''} {p.get('source') or p.get('checks') or ''}".rstrip()
                for p in t.problems]
    return out


@review.command()
@click.argument("item_id", metavar="ID")
@pass_config
def show(cfg: Config, item_id: str) -> None:
    """Source and translation sentence by sentence, with terms, problems and scores."""
    with open_store(cfg) as store:
        item = item_or_exit(store, item_id)
        try:
            lines = _show_lines(item)
        except R.ActionError as e:
            fail(ExitCode.REFUSED, f"syndicate: {e}")
    for line in lines:
        click.echo(line)


def act_on(cfg: Config, item_id: str, action, resolve=None) -> None:
    """Find the item, take the action (its message printed), republish."""
    with open_store(cfg) as store:
        item = item_or_exit(store, resolve(store, item_id) if resolve else item_id)
        try:
            message = action(store, item)
        except R.ActionError as e:
            fail(ExitCode.REFUSED, f"syndicate: {e}")
        click.echo(message)
        published(cfg, store)


@review.command()
@click.argument("item_id", metavar="ID")
@BY
@pass_config
def approve(cfg: Config, item_id: str, by: str | None) -> None:
    """Publish the translation as reviewed."""
    who = R.reviewer(by)

    def act(store, item):
        R.approve(store, item, who)
        return f"approved {item.id} ({item.direction}) by {who}"

    act_on(cfg, item_id, act)


@review.command()
@click.argument("item_id", metavar="ID")
@click.option("--reason", required=True, help="Why the translation is withheld (kept in the log).")
@BY
@pass_config
def reject(cfg: Config, item_id: str, reason: str, by: str | None) -> None:
    """Withhold the translation; the original stays published."""
    who = R.reviewer(by)

    def act(store, item):
        R.reject(store, item, who, reason)
        return f"rejected {item.id} ({item.direction}) by {who}: {reason}"

    act_on(cfg, item_id, act)


def _run_editor(path: Path) -> None:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        done = subprocess.run([*shlex.split(editor), str(path)])
    except OSError as e:
        fail(ExitCode.REFUSED, f"syndicate: cannot start the editor {editor!r} ($EDITOR): {e}; "
                               f"your file is {path}; use --file")
    if done.returncode != 0:
        fail(ExitCode.REFUSED, f"syndicate: the editor exited with status {done.returncode}; nothing changed "
                               f"(the file is kept: {path})")


@review.command()
@click.argument("item_id", metavar="ID")
@click.option("--file", "file_", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Take the edited file from FILE instead of opening $EDITOR (for scripts).")
@BY
@pass_config
def edit(cfg: Config, item_id: str, file_: Path | None, by: str | None) -> None:
    """Correct the translation in $EDITOR (or --file), one sentence per line;
    saving approves the edited version."""
    who = R.reviewer(by)
    with open_store(cfg) as store:
        item = item_or_exit(store, item_id)
        try:
            segments = item.segments()
        except R.ActionError as e:
            fail(ExitCode.REFUSED, f"syndicate: {e}")
        path = file_ or cfg.data_dir / "review" / f"{item.id}.{item.tgt}.txt"
        if file_ is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():  # a file kept from a refused edit is reopened as the editor left it
                path.write_text(R.render_edit(item.id, item.src, item.tgt, segments), encoding="utf-8")
            _run_editor(path)
        elif not path.exists():
            path.write_text(R.render_edit(item.id, item.src, item.tgt, segments), encoding="utf-8")
            fail(ExitCode.REFUSED, f"syndicate: wrote the translation to edit to {path}; correct it and run "
                                   f"this command again")
        try:
            targets = R.parse_edit(path.read_text(encoding="utf-8"), segments, item.tgt, str(path))
        except (R.EditError, UnicodeDecodeError) as e:
            fail(ExitCode.REFUSED, f"syndicate: edit refused, nothing changed: {e}\n"
                                   f"your edit is kept in {path}; fix it and run the command again")
        if targets is None:
            fail(ExitCode.REFUSED, f"syndicate: {path} holds no translation: edit cancelled, nothing changed")
        try:
            n = R.edit(store, item, targets, who)
        except R.ActionError as e:
            fail(ExitCode.REFUSED, f"syndicate: {e}")
        if file_ is None:
            path.unlink()
        click.echo(f"edited {item.id} ({item.direction}) by {who}: {n} sentence(s) changed"
                   + (", kept as human translations" if n else "; approved as it was"))
        published(cfg, store)


@review.command()
@click.argument("item_id", metavar="ID")
@pass_config
def log(cfg: Config, item_id: str) -> None:
    """The history of an article: every review action, who and when."""
    with open_store(cfg) as store:
        item = item_or_exit(store, item_id)
        rows = store.review_history(item.id)
    for r in rows:
        n = len(r["detail"].get("changes", []))
        extra = f" ({n} sentence(s) changed)" if n else ""
        note = f": {r['note']}" if r["note"] else ""
        click.echo(f"{r['at']}  {r['action']:<8} {r['by']}{extra}{note}")
    if not rows:
        click.echo(f"{item.id}: no review actions yet", err=True)
