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
from .politeness import Politeness

__all__ = ["Politeness", "Rejected", "SourceResult", "collect"]


def collect(source, store, *, politeness: Politeness | None = None,
            progress: ProgressFn | None = None) -> SourceResult:
    """Dispatch on the source's type. `politeness` (host delay, robots.txt)
    is shared by the sources of a run that fetch over HTTP; `progress`
    hears about each inbox file read."""
    if source.type == "inbox":
        return inbox.collect(source, store, progress=progress)
    if source.type == "feed":
        return feed.collect(source, store, politeness=politeness)
    raise ValueError(f"unknown source type {source.type!r}")
