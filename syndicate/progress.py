"""Progress of long work: what a cycle reports as it goes, and the meter
that turns those reports into rate, ETA and one line of text, for a
terminal (cli/) or the daemon's log.

The pipeline only calls ``progress(Progress(...))``; how often anything is
shown is the meter's business, so reporting every file or article is fine.
The clock is injected: tests drive it, nothing here sleeps.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Progress:
    stage: str  # "reading inbox-name", "storing", "translating"
    done: int  # items (files, articles) done so far in this stage
    total: int
    unit: str = "articles"
    sentences: int | None = None  # translating: sentences done so far (memory hits too)


ProgressFn = Callable[[Progress], None]


def _duration(seconds: float) -> str:
    s = int(round(seconds))
    if s >= 3600:
        return f"{s // 3600}h{s % 3600 // 60:02d}m"
    if s >= 60:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s}s"


class Meter:
    """Rate and ETA per stage; `due()` says when `every` seconds have passed
    since the last line shown (the first report of a stage, and its last,
    are always due)."""

    def __init__(self, every: float, clock: Callable[[], float] = time.monotonic):
        self.every = every
        self.clock = clock
        self._stage: str | None = None
        self._started = 0.0
        self._shown = float("-inf")

    def observe(self, p: Progress) -> float:
        """Note the report (a new stage restarts the rate); returns the time."""
        now = self.clock()
        if p.stage != self._stage:
            self._stage, self._started, self._shown = p.stage, now, float("-inf")
        return now

    def due(self, p: Progress) -> bool:
        now = self.observe(p)
        if now - self._shown >= self.every or p.done >= p.total:
            self._shown = now
            return True
        return False

    def line(self, p: Progress) -> str:
        """e.g. "translating: 120/4000 articles, 1530 sentences, 12.3 articles/s, ETA 5m15s"."""
        elapsed = self.clock() - self._started
        parts = [f"{p.stage}: {p.done}/{p.total} {p.unit}"]
        if p.sentences is not None:
            parts.append(f"{p.sentences} sentences")
        if elapsed > 0 and p.done > 0:
            rate = p.done / elapsed
            parts.append(f"{rate:.1f} {p.unit}/s")
            if p.done < p.total:
                parts.append(f"ETA {_duration((p.total - p.done) / rate)}")
        elif p.done < p.total:
            parts.append("ETA unknown")
        return ", ".join(parts)
