"""Editorial review: which finished translations wait for a person, and
what a person does with them.

Owns the hold policy per direction (policy.py: the reasons a translation
waits), the plain-text edit file an editor corrects a translation in
(editfile.py: render, parse, validate with the line of each mistake), and
the actions on a translation or an article (actions.py: approve, reject,
edit, withdraw, restore, each recorded with who and when). It sits between
translate and publish: it reads and writes through the store and knows
nothing of feeds or the command line.
"""
from __future__ import annotations

from .actions import (  # noqa: F401
    ActionError,
    Item,
    approve,
    edit,
    find_item,
    queue,
    reject,
    restore,
    reviewer,
    withdraw,
)
from .editfile import EditError, parse_edit, render_edit  # noqa: F401
from .policy import REASONS, hold_reasons  # noqa: F401

__all__ = [
    "REASONS", "ActionError", "EditError", "Item", "approve", "edit", "find_item", "hold_reasons",
    "parse_edit", "queue", "reject", "render_edit", "restore", "reviewer", "withdraw",
]
