"""Every command and subcommand documents itself, and so does each option."""
import click
import pytest
from click.testing import CliRunner

from syndicate.cli import main


def _commands(group: click.Group, prefix=()):
    for name, cmd in sorted(group.commands.items()):
        path = (*prefix, name)
        yield path, cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, path)


ALL = [((), main), *_commands(main)]
IDS = [" ".join(p) or "syndicate" for p, _ in ALL]


def test_the_documented_commands_exist():
    names = {" ".join(p) for p, _ in ALL}
    for expected in ("run", "ingest", "status", "daemon", "serve", "translate", "models list", "models install",
                     "models remove", "glossary check", "glossary export", "glossary import", "glossary candidates"):
        assert expected in names


@pytest.mark.parametrize("path,cmd", ALL, ids=IDS)
def test_help(path, cmd):
    # Its own help text: click prints a usage and an options list even for a
    # command without one, so the output alone would not tell.
    assert (cmd.help or "").strip(), f"{' '.join(path)}: no help text (a docstring)"
    undocumented = [p.opts[0] for p in cmd.params
                    if isinstance(p, click.Option) and not p.hidden and not (p.help or "").strip()]
    assert not undocumented, f"{' '.join(path)}: options without help: {undocumented}"
    r = CliRunner().invoke(main, [*path, "--help"])
    assert r.exit_code == 0, r.output
    assert r.output.startswith("Usage: ")
    summary = " ".join(cmd.help.split("\n\n")[0].split())
    assert summary in " ".join(r.output.split())


def test_a_command_without_help_fails_the_check():
    @click.command()
    def bare():
        pass

    with pytest.raises(AssertionError, match="no help text"):
        test_help(("bare",), bare)
