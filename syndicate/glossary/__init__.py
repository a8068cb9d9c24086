"""The glossary: official titles, ranks, names, places and organizations,
enforced in every translation (see glossary/README.md for the file format).

load_glossary is the one way a command, a run or the daemon gets the
glossary; the modules under it own the file format, matching, enforcement,
checking, editing and exchange with other tools."""
from __future__ import annotations

import logging
from pathlib import Path

from .enforce import Glossary, load  # noqa: F401
from .fileformat import Entry, GlossaryError  # noqa: F401

log = logging.getLogger(__name__)


def load_glossary(directory: str | Path) -> Glossary:
    """The glossary folder, validated in full (errors raise GlossaryError
    with file:line messages). A folder that does not exist is an empty
    glossary, with a warning, for every command alike, so a minimal setup
    still runs; `syndicate glossary check` is the one that reports it."""
    if not Path(directory).is_dir():
        log.warning("glossary folder %s not found: no glossary terms are enforced", directory)
        return Glossary([], Path(directory))
    return load(directory)
