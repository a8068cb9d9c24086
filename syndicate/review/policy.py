"""The hold policy: whether a finished translation goes out or waits for
a person, and why. One policy per direction ([review] en_vi, vi_en):

    publish       every good translation is published (a fresh install)
    hold-flagged  one with a reason below waits; the rest are published
    hold-all      every translation waits
"""
from __future__ import annotations

from ..config import Review
from ..translate import Outcome
from ..translate.problems import DEGENERATE

# Why a translation waits, as `review list --reason` names them.
GLOSSARY = "glossary"  # a term lost, duplicated or missing
DEGENERATE_OUTPUT = "degenerate"  # a sentence failed the output checks
LOW_SCORE = "low-score"  # a sentence scored under [review] min_score
UNKNOWN_NAME = "unknown-name"  # a name the glossary lacks, kept as written
HOLD_ALL = "hold-all"  # the direction's policy holds everything
REASONS = (GLOSSARY, DEGENERATE_OUTPUT, LOW_SCORE, UNKNOWN_NAME, HOLD_ALL)


def flags(out: Outcome, min_score: float) -> list[str]:
    """What a person should look at in this translation, whatever the policy."""
    found: list[str] = []
    if any(p.type != DEGENERATE for p in out.problems):
        found.append(GLOSSARY)
    if any(p.type == DEGENERATE for p in out.problems):
        found.append(DEGENERATE_OUTPUT)
    if out.min_score is not None and out.min_score < min_score:
        found.append(LOW_SCORE)
    if any(t.get("candidate") for t in (out.terms or {}).get("items", [])):
        found.append(UNKNOWN_NAME)
    return found


def hold_reasons(out: Outcome, cfg: Review) -> list[str]:
    """Why this translation must wait for a person; [] when it may go out."""
    policy = cfg.policy(out.job.src, out.job.tgt)
    if policy == "publish":
        return []
    found = flags(out, cfg.min_score)
    if policy == "hold-all":
        return [HOLD_ALL, *found]
    return found
