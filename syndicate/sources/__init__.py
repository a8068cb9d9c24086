"""Sources: where articles come from. One interface, one module per type.

Each type provides ``collect(source, store) -> SourceResult``; the pipeline
stores what comes back and reports the rest. A source never raises for bad
input: it sets the input aside and says why. Owns reading inputs (inbox
files, feeds and their pages) up to the Article; the store and the text
rules sit below it, the pipeline above.
"""
from __future__ import annotations

from ..progress import ProgressFn
from . import feed, inbox
from .base import Rejected, SourceResult
from .fetch import Deadline
from .politeness import Politeness

__all__ = ["Deadline", "Politeness", "Rejected", "SourceResult", "collect"]


def collect(source, store, *, politeness: Politeness | None = None, deadline: Deadline | None = None,
            stop=None, progress: ProgressFn | None = None) -> SourceResult:
    """Dispatch on the source's type. `politeness` (host delay, robots.txt)
    is shared by the sources of a run that fetch over HTTP; `deadline` (the
    cycle's) and `stop` (a threading.Event) end a feed's collection early;
    `progress` hears about each inbox file read."""
    if source.type == "inbox":
        return inbox.collect(source, store, progress=progress)
    if source.type == "feed":
        return feed.collect(source, store, politeness=politeness, deadline=deadline, stop=stop)
    raise ValueError(f"unknown source type {source.type!r}")
