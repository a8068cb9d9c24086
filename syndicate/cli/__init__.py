"""The command line, `syndicate [--config FILE] COMMAND`: click and nothing
else. One module per command group; each turns the library's errors into a
message and an ExitCode (common.py). Modules here import downward only, and
nothing in the package imports syndicate.cli."""
from __future__ import annotations

import logging

import click

from .. import __version__
from .common import DEFAULT_CONFIG, Commands
from .daemon import daemon_command
from .glossary import glossary
from .models import models
from .review import review
from .run import ingest, run, status, vacuum
from .serve import serve_command
from .translate import translate_cmd
from .withdraw import restore, withdraw


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), default=None, envvar="SYNDICATE_CONFIG",
    help=f"Configuration file (default: ./{DEFAULT_CONFIG}, or $SYNDICATE_CONFIG).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log debug details to stderr.")
@click.version_option(__version__, prog_name="syndicate")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, verbose: bool) -> None:
    """Offline English<->Vietnamese translation and syndication feeds.

    Picks up articles from the configured sources, translates each into the
    other language with a local model and the glossary, and publishes RSS,
    Atom and JSON feeds in both languages.
    """
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    ctx.obj = {}


for _command in (run, ingest, status, vacuum, daemon_command, serve_command, translate_cmd, models, glossary, review,
                 withdraw, restore):
    main.add_command(_command)
