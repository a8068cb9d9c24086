"""`glossary check`: every problem a maintainer should fix, with file:line.

Load errors (syntax, unknown keys, missing or empty fields, bad slots)
refuse the glossary outright; the findings below load but misbehave:
duplicates, one source with two targets, text that is not NFC, old-style
tone marks, English forms with Vietnamese diacritics, patterns that never
match, and entries another entry shadows.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .enforce import Glossary
from .match import key_of
from .fileformat import OPEN_SLOTS, SLOT_RE, SLOTS, Entry, parse_dir
from .units import Units, load_units
from ..text.vietnamese import fold, has_old_style


@dataclass
class Finding:
    file: str
    line: int
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.kind}: {self.message}"


def _form_key(e: Entry, form: str) -> str:
    k = key_of(form)
    return k.casefold() if e.case == "ignore" else k


def _key(e: Entry, lang: str, form: str) -> str:
    """The key a form is written under, for its line number."""
    return lang if form == e.text(lang) else f"{lang}_variants"


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
    checks = (_check_text, _check_duplicates, _check_conflicts, lambda es: _check_matching(es, units))
    for check in checks:
        for e, key, kind, msg in check(entries):
            out.append(Finding(e.file.name, e.line_of(key), kind, msg))
    return out


# Each check yields (entry, key, kind, message); check_entries turns them into
# findings at the key's line.


def _check_text(entries: list[Entry]):
    """Text as written (the loader normalizes, so look at the raw values)."""
    for e in entries:
        for key, val in e.raw.items():
            for v in val if isinstance(val, list) else [val]:
                if not isinstance(v, str):
                    continue
                if not unicodedata.is_normalized("NFC", v):
                    yield e, key, "not-nfc", f"{key} {v!r} is not Unicode NFC"
                if key.startswith("vi") and has_old_style(v):
                    yield e, key, "old-tone", f"{key} {v!r} uses old-style tone marks (write hòa, thủy, Ủy, khỏe)"
                if key.startswith("en") and fold(v) != v:
                    yield e, key, "en-diacritics", (f"{key} {v!r} has diacritics; English writes Vietnamese names "
                                                    f"without them, Đ as D: {fold(v)!r}")


def _check_duplicates(entries: list[Entry]):
    """The same en/vi pair twice."""
    seen: dict[tuple, Entry] = {}
    for e in entries:
        k = (e.en.casefold(), e.vi.casefold())
        if k in seen:
            yield e, "en", "duplicate", f"{e.en!r} <-> {e.vi!r} already at {seen[k].where}"
        else:
            seen[k] = e


def _check_conflicts(entries: list[Entry]):
    """One source form, two targets."""
    for src, tgt in (("en", "vi"), ("vi", "en")):
        targets: dict[str, Entry] = {}
        for e in entries:
            if not e.works(src, tgt):
                continue
            for form in dict.fromkeys(e.forms(src)):
                k = _form_key(e, form)
                other = targets.get(k)
                if other is None:
                    targets[k] = e
                elif other is not e and other.text(tgt) != e.text(tgt):
                    yield e, _key(e, src, form), "conflict", (
                        f"{src} {form!r} -> {e.text(tgt)!r}, but {other.where} gives {other.text(tgt)!r}")


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
                    yield e, _key(e, src, form), *finding
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
