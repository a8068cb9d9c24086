"""Sources: where articles come from. One interface, one module per type.

Each type provides ``collect(source, store) -> SourceResult``; the pipeline
stores what comes back and reports the rest. A source never raises for bad
input: it sets the input aside and says why.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..article import Article
from .politeness import Politeness


@dataclass
class Rejected:
    origin: str  # file path or URL
    reason: str  # names the problem, with line or key where there is one
    moved_to: str | None = None  # where a rejected file was set aside


@dataclass
class SourceResult:
    name: str
    articles: list[Article] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    error: str | None = None  # the whole source failed this cycle (unreachable, bad feed)
    skipped: str | None = None  # not tried this cycle (backoff), and why
    stats: dict = field(default_factory=dict)


def collect(source, store, *, politeness: Politeness | None = None) -> SourceResult:
    """Dispatch on the source's type. `politeness` (host delay, robots.txt)
    is shared by the sources of a run that fetch over HTTP."""
    if source.type == "inbox":
        from . import inbox

        return inbox.collect(source, store)
    if source.type == "feed":
        from . import feed

        return feed.collect(source, store, politeness=politeness)
    raise ValueError(f"unknown source type {source.type!r}")
