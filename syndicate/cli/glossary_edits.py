"""What `glossary remove` and `glossary import` show before they write: the
patterns that use the entries, examples that would read differently, and
the stored translations that would change; then they ask (--yes skips the
question, for scripts).

The edit is first made on a copy of the folder, so what is shown comes
from the glossary as it would load, and an edit it would refuse is
refused before anything is asked.
"""
from __future__ import annotations

import dataclasses
import shutil
import tempfile
from pathlib import Path
from typing import Callable

import click

from ..article import other_language
from ..exitcodes import ExitCode
from ..glossary import Glossary, GlossaryError, load
from ..glossary.fileformat import Entry
from ..glossary.impact import Change, article_sentences, changes, examples, needles, slot_users
from ..store import Store
from .common import DEFAULT_CONFIG, fail, get_config

SHOW = 8  # changed sentences listed per kind; the rest are counted


def edited_copy(directory: Path, edit: Callable[[Path], None], refused: str) -> Glossary:
    """The glossary as it would be after `edit` (given the copy's folder)."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "glossary"
        if Path(directory).is_dir():
            shutil.copytree(directory, copy)
        try:
            edit(copy)
            return load(copy)
        except GlossaryError as e:
            fail(ExitCode.REFUSED, f"{refused}, the glossary would not load:\n" + "\n".join(e.errors))


def in_copy(entry: Entry, copy: Path) -> Entry:
    """The same entry, in the copy of its folder."""
    return dataclasses.replace(entry, file=copy / entry.file.name)


def show_impact(ctx: click.Context, old: Glossary, new: Glossary, changed: list[Entry]) -> int:
    """Print what the edit affects; returns how many stored translations change."""
    for e in changed:
        users = slot_users(e, new.entries)
        if users:
            click.echo(f"{e.en} <-> {e.vi} fills {len(users)} pattern(s): " +
                       "; ".join(f"{p.where} {p.en}" for p in users[:SHOW]) + (" ..." if len(users) > SHOW else ""))
    _list("examples that read differently", changes(old, new, examples(changed, new.entries + changed)))
    pairs, why_not = _stored(ctx)
    if why_not:
        click.echo(f"stored translations: not checked ({why_not})")
        return 0
    changed_sentences = changes(old, new, article_sentences(pairs), needles(changed))
    articles = {c.where for c in changed_sentences}
    _list(f"stored translations that would change: {len(articles)} of {len(pairs)}", changed_sentences)
    return len(articles)


def _list(title: str, found: list[Change]) -> None:
    click.echo(f"{title}:" if found else f"{title}: none")
    for c in found[:SHOW]:
        click.echo(f"  {c}")
    if len(found) > SHOW:
        click.echo(f"  ... and {len(found) - SHOW} more sentence(s)")


def _stored(ctx: click.Context) -> tuple[list, str]:
    """(article, target language) of every stored translation, or why none."""
    root = ctx.find_root()
    obj = ctx.find_object(dict) or {}
    config = root.params.get("config_path") or DEFAULT_CONFIG
    if obj.get("glossary_dir") and not Path(config).exists():
        return [], f"--dir without a config ({config}), so no store"
    cfg = get_config(ctx)
    if not cfg.db_path.exists():
        return [], f"no store at {cfg.db_path}"
    with Store(cfg.db_path) as store:
        pairs = []
        for a in store.all_articles():
            t = store.get_translation(a.id, other_language(a.language))
            if t is not None and t.blocks is not None:
                pairs.append((a, other_language(a.language)))
    return pairs, ""


def confirm(question: str, yes: bool, what: str) -> None:
    """Ask; no answer (a script without --yes) is a no."""
    if yes:
        return
    try:
        if click.confirm(question, default=False, err=True):
            return
    except click.Abort:
        click.echo(err=True)  # end the unanswered question's line
    fail(ExitCode.REFUSED, f"{what}: nothing changed (answer y, or pass --yes)")
