"""Every command and subcommand documents itself."""
import click
import pytest
from click.testing import CliRunner

from syndicate.cli import main


def _commands(group: click.Group, prefix=()):
    for name, cmd in sorted(group.commands.items()):
        path = (*prefix, name)
        yield path
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, path)


ALL = list(_commands(main))


def test_the_documented_commands_exist():
    names = {" ".join(p) for p in ALL}
    for expected in ("run", "ingest", "status", "daemon", "serve", "translate", "models list", "models install",
                     "models remove", "glossary check", "glossary export", "glossary import", "glossary candidates"):
        assert expected in names


@pytest.mark.parametrize("path", ALL, ids=[" ".join(p) for p in ALL])
def test_help(path):
    r = CliRunner().invoke(main, [*path, "--help"])
    assert r.exit_code == 0, r.output
    assert r.output.startswith("Usage: ")
    # A summary line of its own, not just the usage line.
    assert len([ln for ln in r.output.splitlines() if ln.strip()]) > 2
