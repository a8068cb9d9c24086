"""The README documents every command, option and config key, as
sqlite-utils' documentation does its CLI: a new one without a line in the
README fails here."""
from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from syndicate import config
from syndicate.cli import main

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.M | re.S)
    assert m, f"README has no '## {title}' section"
    return m.group(1)


def _blocks(text: str) -> dict[str, str]:
    """`#### \\`syndicate X\\`` heading -> the text under it."""
    parts = re.split(r"^#### `([^`]+)`\n", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def _commands(group: click.Group, prefix=()):
    for name, cmd in sorted(group.commands.items()):
        yield (*prefix, name), cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*prefix, name))


COMMANDS = [((), main), *_commands(main)]
REFERENCE = _blocks(_section("Command reference"))


@pytest.mark.parametrize("path,cmd", COMMANDS, ids=[" ".join(p) or "syndicate" for p, _ in COMMANDS])
def test_every_command_and_option_is_in_the_readme(path, cmd):
    heading = " ".join(("syndicate", *path))
    assert heading in REFERENCE, f"README, Command reference: no '#### `{heading}`'"
    block = REFERENCE[heading]
    for p in cmd.params:
        if isinstance(p, click.Option) and not p.hidden:
            for opt in (*p.opts, *p.secondary_opts):
                assert f"`{opt}" in block, f"README, `{heading}`: option {opt} is not documented"


def test_the_reference_names_no_command_that_does_not_exist():
    known = {" ".join(("syndicate", *p)) for p, _ in COMMANDS}
    assert set(REFERENCE) <= known, set(REFERENCE) - known


KEYS = config.all_keys()


@pytest.mark.parametrize("key", KEYS)
def test_every_config_key_is_in_the_readme(key):
    assert f"`{key}`" in _section("Configuration"), f"README, Configuration: {key} is not documented"


def test_a_missing_option_fails_the_check():
    @click.command()
    @click.option("--undocumented-option", help="x")
    def run():
        """Run."""

    with pytest.raises(AssertionError, match="undocumented-option"):
        test_every_command_and_option_is_in_the_readme(("run",), run)
