"""What a cycle needs besides the config: the glossary, the translation
memory and the data-folder lock. Shared by `syndicate run` and the daemon."""
from __future__ import annotations

import contextlib
import logging

import click

from . import glossary
from .lock import LockedError, data_lock
from .pipeline import EXIT_USAGE
from .translate.memory import TranslationMemory

log = logging.getLogger("syndicate")


def load_glossary(cfg, ctx: click.Context | None = None):
    """The glossary, validated in full. Errors are printed with file:line
    and, on the command line, end the command with exit status 2: a run
    must not translate official titles with half a glossary."""
    try:
        return glossary.load_glossary(cfg.glossary_dir)
    except glossary.GlossaryError as e:
        if ctx is None:
            raise
        for line in e.errors:
            click.echo(f"syndicate: glossary error: {line}", err=True)
        ctx.exit(EXIT_USAGE)


def open_memory(store):
    return TranslationMemory(store)


@contextlib.contextmanager
def locked(cfg, ctx: click.Context | None = None, what: str = "syndicate run"):
    """Hold the data folder's lock; on the command line a held lock ends
    the command with exit status 2 and a message naming the holder."""
    try:
        with data_lock(cfg.data_dir, what=what):
            yield
    except LockedError as e:
        if ctx is None:
            raise
        click.echo(f"syndicate: {e}", err=True)
        ctx.exit(EXIT_USAGE)
