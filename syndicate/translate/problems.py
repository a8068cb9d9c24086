"""The one shape of a problem recorded on a translation.

Two producers find problems: the output checks (a degenerate sentence,
which fails the translation) and the glossary's restore() (a term lost,
duplicated or missing, which a person should review). Both record a
Problem; the store keeps ``to_dict()`` of each in the translation's JSON
column, and ``from_dict()`` reads any stored row back, including rows
written before this shape existed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

# Severities. A "review" problem leaves the translation published and
# flagged; an "error" problem is why it failed.
REVIEW = "review"
ERROR = "error"

# Types.
DEGENERATE = "degenerate"
TERM_LOST = "term_lost"
TERM_DUPLICATED = "term_duplicated"
TERM_MISSING = "term_missing"
TERM_UNKNOWN_PLACEHOLDER = "term_unknown_placeholder"

_FIXED = ("type", "severity", "entry")


@dataclass(frozen=True)
class Problem:
    type: str  # DEGENERATE, TERM_LOST, ...
    severity: str  # REVIEW or ERROR
    entry: str = ""  # the glossary entry concerned, "file:line"; "" when none is
    # What a person needs to see it: e.g. source, target, checks, output.
    detail: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Stored flat (see to_dict), so a detail key must not shadow a field.
        clash = [k for k in _FIXED if k in self.detail]
        if clash:
            raise ValueError(f"problem detail must not hold {clash}")

    def to_dict(self) -> dict[str, Any]:
        """Flat, so a stored problem reads the same as the glossary's
        problems always have: {"type", "severity", "entry", **detail}."""
        return {"type": self.type, "severity": self.severity, "entry": self.entry, **self.detail}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Problem":
        rest = dict(d)
        # Degenerate output used to be stored as {"kind": "degenerate", ...}
        # with no severity: it always failed the translation.
        legacy = "kind" in rest and "type" not in rest
        type_ = rest.pop("kind") if legacy else rest.pop("type", "")
        severity = rest.pop("severity", ERROR if legacy else REVIEW)
        entry = rest.pop("entry", "")
        return cls(str(type_), str(severity), str(entry or ""), rest)

