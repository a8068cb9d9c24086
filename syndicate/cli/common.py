"""What every command shares: the config, the data-folder lock, the glossary
and the engine, each turning its error into a message and an ExitCode, so
the same situation ends every command the same way."""
from __future__ import annotations

import contextlib
import functools
from pathlib import Path
from typing import Iterator, NoReturn

import click

from .. import translate as translation
from ..config import Config, ConfigError, load
from ..exitcodes import ExitCode, environment_problem
from ..glossary import Glossary, GlossaryError, load_glossary
from ..lock import LockedError, data_lock

DEFAULT_CONFIG = "config.toml"


def fail(code: ExitCode, message: str) -> NoReturn:
    """End the command: the message on stderr, the code as exit status."""
    click.echo(message, err=True)
    raise click.exceptions.Exit(int(code))


class Commands(click.Group):
    """The command group: an environment failure (a full or read-only disk,
    a corrupt database) met by any command ends it with one line naming the
    path and the cause and ExitCode.ENVIRONMENT, not a traceback and 1:
    the operator must fix the machine, not report a bug."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except Exception as e:
            obj = ctx.obj if isinstance(ctx.obj, dict) else {}
            cfg = obj.get("config")
            line = environment_problem(e, cfg.db_path if cfg is not None else obj.get("db_path"))
            if line is None:
                raise
            fail(ExitCode.ENVIRONMENT, f"syndicate: environment error: {line}")


def remember_db_path(ctx: click.Context, db_path) -> None:
    """For a command that reads the store without a loaded config (status
    with a broken one): an environment failure then still names the file."""
    root = ctx.find_root()
    if not isinstance(root.obj, dict):
        root.obj = {}
    root.obj["db_path"] = db_path


def config_path(ctx: click.Context) -> str:
    """The config file the command line names (--config, $SYNDICATE_CONFIG, or the default)."""
    return ctx.find_root().params.get("config_path") or DEFAULT_CONFIG


def get_config(ctx: click.Context) -> Config:
    """The loaded config; loading is deferred so `--help` works without one."""
    root = ctx.find_root()
    if not isinstance(root.obj, dict):
        root.obj = {}
    if "config" not in root.obj:
        path = config_path(ctx)
        try:
            root.obj["config"] = load(path)
        except ConfigError as e:
            fail(ExitCode.CONFIG, f"syndicate: configuration error: {e}")
    return root.obj["config"]


def pass_config(f):
    """Pass the loaded Config as the command's first argument."""

    @click.pass_context
    def wrapper(ctx: click.Context, *args, **kwargs):
        return ctx.invoke(f, get_config(ctx), *args, **kwargs)

    return functools.update_wrapper(wrapper, f)


@contextlib.contextmanager
def holding_lock(cfg: Config, what: str) -> Iterator[None]:
    """Hold the data folder's lock; a held lock ends the command with a
    message naming the holder."""
    try:
        with data_lock(cfg.data_dir, what=what):
            yield
    except LockedError as e:
        fail(ExitCode.LOCKED, f"syndicate: {e}")


def glossary_or_exit(directory: Path) -> Glossary:
    """The glossary, validated in full; errors end the command, each printed
    with file:line: a run must not translate official titles with half a
    glossary, and no command edits or lists one either."""
    try:
        return load_glossary(directory)
    except GlossaryError as e:
        fail(ExitCode.GLOSSARY, "\n".join(f"syndicate: glossary error: {line}" for line in e.errors))


def engine_or_exit(cfg: Config):
    """The translation engine; one that cannot be set up is a [translation]
    configuration problem."""
    try:
        # Through the package attribute, so tests can substitute an engine.
        return translation.load_engine(cfg)
    except Exception as e:
        fail(ExitCode.CONFIG, f"syndicate: cannot load the translation engine ([translation]): {e}")
