"""`syndicate withdraw ID --reason` and `syndicate restore ID`: take an
article and its translations out of every feed, page and index, keeping
them in the store (a re-ingest does not bring them back), and put them back."""
from __future__ import annotations

import re

import click

from .. import review as R
from ..config import LANGUAGES, Config
from ..publish.entries import entry_id
from ..store import Store
from .common import pass_config
from .review import BY, act_on

_PAGE = re.compile(r"/(?:en|vi)/articles/([0-9a-f]{24})\.html(?:[?#].*)?$")


def article_ref(store: Store, ref: str) -> str:
    """What `ref` names as the store knows it: an entry id (urn:uuid:...)
    or an entry's page link becomes its article's id; anything else (an id,
    the original's URL, an inbox path) is looked up as it is."""
    page = _PAGE.search(ref)
    if page:
        return page.group(1)
    if ref.startswith("urn:uuid:"):
        for a in store.all_articles():
            if any(entry_id(a.id, lang) == ref for lang in LANGUAGES):
                return a.id
    return ref


@click.command()
@click.argument("item_id", metavar="ID")
@click.option("--reason", required=True, help="Why it is withdrawn (kept in the log, not published).")
@BY
@pass_config
def withdraw(cfg: Config, item_id: str, reason: str, by: str | None) -> None:
    """Take an article and its translations out of every feed, page and index.

    ID: the article's id (or a unique prefix), a published entry's id or
    link, or the inbox file's path. The article stays in the store, so a
    re-ingest does not bring it back; Atom announces the removal
    (at:deleted-entry, RFC 6721). `syndicate restore ID` undoes it."""
    who = R.reviewer(by)

    def act(store: Store, item: R.Item) -> str:
        R.withdraw(store, item, who, reason)
        return f"withdrew {item.id} ({item.stored.article.title}) by {who}: {reason}"

    act_on(cfg, item_id, act, article_ref)


@click.command()
@click.argument("item_id", metavar="ID")
@BY
@pass_config
def restore(cfg: Config, item_id: str, by: str | None) -> None:
    """Put a withdrawn article and its translations back in the feeds."""
    who = R.reviewer(by)

    def act(store: Store, item: R.Item) -> str:
        R.restore(store, item, who)
        return f"restored {item.id} ({item.stored.article.title}) by {who}"

    act_on(cfg, item_id, act, article_ref)

