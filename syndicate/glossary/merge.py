"""What an import adds to a glossary folder.

Rows already present (same English and Vietnamese) are skipped; a row whose
source form already translates to something else is a conflict and is left
out; a CSV row that clashes only in its reverse direction is kept one way.
Subject fields of other tools that are not category names are folded into
the note. Writing the result is edit.add_blocks's job.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..text.vietnamese import normalize
from .edit import entry_block
from .exchange import Record
from .fileformat import Entry

CATEGORY_NAME = re.compile(r"[A-Za-z0-9_-]+")
PAIRS = (("en", "vi"), ("vi", "en"))


@dataclass
class ImportPlan:
    blocks: dict[str, list[str]] = field(default_factory=dict)  # category -> entry blocks to add
    skipped: int = 0
    conflicts: list[str] = field(default_factory=list)  # one message per row left out
    narrowed: int = 0  # rows kept in their own direction only

    @property
    def added(self) -> int:
        return sum(len(b) for b in self.blocks.values())


def fold_subject_fields(records: list[Record], category: str) -> list[str]:
    """Move records whose category is not a category name into `category`,
    keeping the field in their note: another tool's subject field ("Law
    enforcement", "police/ranks", "../x") must not become a path. Returns
    the odd fields, sorted."""
    odd = sorted({r.category for r in records if not CATEGORY_NAME.fullmatch(r.category)})
    for r in records:
        if r.category in odd:
            r.note = "\n".join(x for x in (r.note, f"subject field: {r.category}") if x)
            r.category = category
    return odd


def _targets(existing: list[Entry]) -> dict[tuple[str, str], tuple[str, str]]:
    """Each source form's target, per direction: (lang, folded form) -> (target, where)."""
    target: dict[tuple[str, str], tuple[str, str]] = {}
    for e in existing:
        if e.is_pattern:
            continue
        for src, tgt in PAIRS:
            if e.works(src, tgt):
                for f in e.forms(src):
                    target.setdefault((src, f.casefold()), (e.text(tgt), e.where))
    return target


def plan_import(records: list[Record], existing: list[Entry], file_name: str) -> ImportPlan:
    """Check the rows against the folder and against each other (two rows of
    one file can clash as well)."""
    plan = ImportPlan()
    pairs = {(e.en.casefold(), e.vi.casefold()) for e in existing}
    target = _targets(existing)
    for r in records:
        vi = normalize(r.vi)
        if (r.en.casefold(), vi.casefold()) in pairs:
            plan.skipped += 1
            continue
        forms = {"en": r.en, "vi": vi}
        clash = {}
        for src, tgt in PAIRS:
            if r.direction in ("both", f"{src}-{tgt}"):
                have = target.get((src, forms[src].casefold()))
                if have is not None and have[0] != forms[tgt]:
                    clash[src] = have
        direction = r.direction
        if clash and r.source and r.source not in clash and direction == "both":
            # A CSV row is a source -> target pair: it still holds in its own
            # direction ("Đường Hoa" -> "Duong Hoa" while "Duong Hoa" already
            # reads as "Dương Hòa"), so keep it one way rather than drop it.
            direction = f"{r.source}-{'vi' if r.source == 'en' else 'en'}"
            plan.narrowed += 1
            clash = {}
        if clash:
            src, (have, where) = next(iter(clash.items()))
            tgt = "vi" if src == "en" else "en"
            plan.conflicts.append(f"conflict: {forms[src]!r} -> {forms[tgt]!r}, but {where} has {have!r}; not imported")
            continue
        pairs.add((r.en.casefold(), vi.casefold()))
        for src, tgt in PAIRS:
            if direction in ("both", f"{src}-{tgt}"):
                target.setdefault((src, forms[src].casefold()), (forms[tgt], f"{Path(file_name).name} {r.where}"))
        plan.blocks.setdefault(r.category, []).append(entry_block(
            r.en, vi, en_variants=r.en_variants, vi_variants=r.vi_variants, case=r.case,
            direction=direction, note=r.note, standalone=r.standalone))
    return plan
