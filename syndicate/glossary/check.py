"""`glossary check`: every problem a maintainer should fix, with file:line.

Errors refuse the glossary (every command and run, like a load error):
syntax, unknown keys, missing or empty fields, bad slots, and the problems
of rules.py that change translations (text not NFC, old-style tone marks,
one source with two targets, a variant that collides with another entry, a
person entry that is an ordinary word or a part of many names). Notes load
but deserve a look: duplicates, English forms with Vietnamese diacritics,
patterns that never match, and entries another entry shadows.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .enforce import Glossary
from .fileformat import OPEN_SLOTS, SLOT_RE, SLOTS, Entry, parse_dir
from .rules import ERROR_KINDS, key_for, problems
from .units import Units, load_units
from ..text.vietnamese import fold


@dataclass
class Finding:
    file: str
    line: int
    kind: str
    message: str

    @property
    def is_error(self) -> bool:
        """Refuses the glossary (kind "error" is a load error); the rest are notes."""
        return self.kind == "error" or self.kind in ERROR_KINDS

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.kind}: {self.message}"


def check_dir(directory: Path) -> list[Finding]:
    parsed = parse_dir(Path(directory))
    units, unit_errors = load_units(Path(directory))
    findings: list[Finding] = []
    for err in parsed.errors + unit_errors:
        where, _, msg = err.partition(": ")
        file, _, line = where.rpartition(":")
        findings.append(Finding(file or where, int(line) if line.isdigit() else 1, "error", msg))
    if not parsed.errors and not parsed.files:
        # A wrong --dir or [glossary] dir would otherwise pass as "ok: 0 entries".
        findings.append(Finding(str(directory), 1, "error", "no glossary files (*.toml) in this folder"))
    findings.extend(check_entries(parsed.entries, units))
    findings.sort(key=lambda f: (f.file, f.line))
    return findings


def check_entries(entries: list[Entry], units: Units | None = None) -> list[Finding]:
    out: list[Finding] = []
    checks = (lambda es: problems(es, units), _check_english, _check_duplicates,
              lambda es: _check_matching(es, units))
    for check in checks:
        for e, key, kind, msg in check(entries):
            out.append(Finding(e.file.name, e.line_of(key), kind, msg))
    return out


# Each check yields (entry, key, kind, message); check_entries turns them into
# findings at the key's line.


def _check_english(entries: list[Entry]):
    """English forms written with Vietnamese diacritics. Foreign names keep
    theirs in English ("Côte d'Ivoire", "Réunion"), so only marks no other
    language uses, or a person's English copied from the Vietnamese, count."""
    for e in entries:
        for key in ("en", "en_variants"):
            val = e.raw.get(key)
            for v in val if isinstance(val, list) else [val]:
                if isinstance(v, str) and fold(v) != v and (
                        _vietnamese_marks(v) or (e.category == "people" and v == e.raw.get("vi"))):
                    yield e, key, "en-diacritics", (f"{key} {v!r} has diacritics; English writes Vietnamese "
                                                    f"names without them, Đ as D: {fold(v)!r}")


# Horn (ơ, ư), hook above (ả), dot below (ạ), breve (ă) and đ: Vietnamese
# letters no other language's names bring into English.
_VI_MARKS = {"\u031b", "\u0309", "\u0323"}


def _vietnamese_marks(text: str) -> bool:
    for c in text:
        marks = [m for m in unicodedata.normalize("NFD", c) if unicodedata.combining(m)]
        if c in "đĐăĂ" or _VI_MARKS & set(marks) or len(marks) > 1:  # len > 1: a tone on â, ê, ô
            return True
    return False


def _check_duplicates(entries: list[Entry]):
    """The same en/vi pair twice."""
    seen: dict[tuple, Entry] = {}
    for e in entries:
        k = (e.en.casefold(), e.vi.casefold())
        if k in seen:
            yield e, "en", "duplicate", f"{e.en!r} <-> {e.vi!r} already at {seen[k].where}"
        else:
            seen[k] = e


def _check_matching(entries: list[Entry], units: Units | None = None):
    """Patterns that never match and entries that lose to another on their
    own text: run the real matcher over each form. One finding per entry."""
    g = Glossary(entries, units=units)
    reported: set[int] = set()
    for src, tgt in (("en", "vi"), ("vi", "en")):
        m = g.matcher(src, tgt)
        for e in entries:
            if not e.works(src, tgt) or id(e) in reported:
                continue
            for form in e.forms(src):
                finding = _match_finding(m, e, src, tgt, form)
                if finding is not None:
                    yield e, key_for(e, src, form), *finding
                    reported.add(id(e))
                    break


def _match_finding(m, e: Entry, src: str, tgt: str, form: str) -> tuple[str, str] | None:
    """(kind, message) when `form` of `e` does not match as itself, else None."""
    samples = _samples(m, form)
    if samples and not m._standalone(e):
        # only used before a name: try it before one
        samples = [f"{x} {'Nguyễn Văn An' if src == 'vi' else 'Nguyen Van An'}" for x in samples]
    if samples is None:
        missing = [s for s in e.slots if SLOTS[s] not in m.fillers and SLOTS[s] not in m.slot_alt]
        return "never-matches", f"pattern {form!r} ({src}->{tgt}): no entry can fill " + ", ".join("{" + s + "}" for s in missing)
    winners, whole_winners = [], []
    for text in samples:
        found = m.find(text)
        if found and found[0].start == 0 and (found[0].end == len(text) or not m._standalone(e)):
            whole_winners.append(found[0].entry)
        winners.append(found[0].entry if found else None)
    if e in winners:
        return None
    w = next((x for x in whole_winners if x is not None), None)
    if w is not None:
        return "shadowed", f"{form!r} ({src}->{tgt}) is always taken by {w.where} ({w.text(src)!r})"
    if e.is_pattern:
        return "never-matches", f"pattern {form!r} ({src}->{tgt}) matches none of its own examples"
    return "never-matches", f"{form!r} ({src}->{tgt}) cannot match on word boundaries"


def _samples(m, form: str) -> list[str] | None:
    """The form itself, or for a pattern up to three fillings of its slots."""
    slots = SLOT_RE.findall(form)
    if not slots:
        return [form]
    texts = []
    for i in range(3):
        text = form
        for s in slots:
            if SLOTS[s] in OPEN_SLOTS:
                if SLOTS[s] not in m.slot_alt:
                    return None  # no units.tsv
                text = text.replace("{" + s + "}", _OPEN_SAMPLES[(SLOTS[s], m.src)][i], 1)
                continue
            fillers = m.fillers.get(SLOTS[s])
            if not fillers:
                return None
            # Prefer short fillers: long ones may be explicit entries already.
            pick = sorted(fillers, key=lambda fe: len(fe[0]))[min(i, len(fillers) - 1)][0]
            text = text.replace("{" + s + "}", pick, 1)
        texts.append(text)
    return texts


# Units of the generated data (glossary/units.tsv) to try open slots with.
_OPEN_SAMPLES = {
    ("units", "vi"): ["huyện Kỳ Sơn", "xã Na Ngoi", "quận Ninh Kiều"],
    ("units", "en"): ["Ky Son District", "Na Ngoi Commune", "Ninh Kieu District"],
    ("names", "vi"): ["Na Ngoi", "Kỳ Sơn", "Mù Cả"],
    ("names", "en"): ["Na Ngoi", "Ky Son", "Mu Ca"],
}

__all__ = ["Finding", "check_dir", "check_entries"]
