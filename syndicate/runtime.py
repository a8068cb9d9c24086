"""What a cycle needs besides the config: the glossary, the translation
memory and the data-folder lock. Shared by `syndicate run` and the daemon."""
from __future__ import annotations

import contextlib
import logging

import click

from .pipeline import EXIT_USAGE
from .translate import NoGlossary

log = logging.getLogger("syndicate")


def load_glossary(cfg):
    try:
        from . import terms
    except ImportError:  # until the glossary package lands
        return NoGlossary()
    return terms.load_glossary(cfg.glossary_dir)


def open_memory(store):
    try:
        from .translate.memory import TranslationMemory
    except ImportError:
        return None
    return TranslationMemory(store.db)


@contextlib.contextmanager
def locked(cfg, ctx: click.Context | None = None):
    try:
        from .lock import LockedError, data_lock
    except ImportError:
        yield
        return
    try:
        with data_lock(cfg.data_dir):
            yield
    except LockedError as e:
        click.echo(f"syndicate: {e}", err=True)
        if ctx is not None:
            ctx.exit(EXIT_USAGE)
        raise
