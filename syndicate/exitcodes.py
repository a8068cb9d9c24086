"""Exit codes: one vocabulary for every command, the run history and the
daemon, so a script or a unit file reads the same situation the same way
whichever command met it. The README's "Exit codes" table documents it.

Some situations share a number on purpose (a refused request and a bug are
both "did not do it", a config, glossary or lock problem are all "fix the
setup first"); they keep their own names so each call site says which one
it means.
"""
from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    # Unexpected failure: a bug, with its traceback.
    ERROR = 1
    # The request was refused and nothing changed (a duplicate glossary
    # entry, a package that fails its checks), or `glossary check` found
    # problems; the message says why.
    REFUSED = 1
    # Bad command line.
    USAGE = 2
    # The config file is missing or wrong; the message names the key.
    CONFIG = 2
    # The glossary has errors; each is printed with file:line.
    GLOSSARY = 2
    # Another run or daemon holds the data folder; the message names it.
    LOCKED = 2
    # An input file was rejected, or a source could not be read.
    INPUT = 3
    # A translation failed (takes precedence over INPUT).
    TRANSLATION = 4
    # The daemon exited before the current article finished.
    FORCED = 70
