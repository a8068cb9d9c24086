"""What every source hands back: the articles it read and what it set aside."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..article import Article


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
    # Inputs known to be stored as they are, so not read again (inbox files
    # whose stat did not change): the pipeline counts them as unchanged.
    unchanged: int = 0
    stats: dict = field(default_factory=dict)
