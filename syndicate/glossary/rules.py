"""Problems that change translations, so a glossary with any of them is
refused like one with a syntax error: `run` stops, the daemon keeps its
last good glossary, and add/import/remove refuse an edit that makes one.

- text on disk that is not NFC, or Vietnamese in the other tone-mark style
  (the loader would quietly output something other than the file says);
- one source form with two targets, and a variant that reads as another
  entry's form (ignoring case where either entry does): which target wins
  would depend on file order;
- a person entry that is an ordinary word or a part of many names: it is
  matched inside names nobody entered, so "Do Van Hoa" would come out as
  "Do Van Hòa" (a Vietnamese single syllable is always an ordinary word:
  hòa "peace", lâm "forest").

`glossary check` reports these next to its notes (duplicates, entries that
never match or are shadowed), which do not change what other text becomes.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator

from .fileformat import Entry
from .match import key_of
from .units import Units
from ..text.vietnamese import fold, has_old_style

# (entry, key whose line it is, kind, message)
Problem = tuple[Entry, str, str, str]
ERROR_KINDS = ("not-nfc", "old-tone", "conflict", "variant-collision", "person-word", "person-part")
# A person form that is part of this many names of units.tsv is part of many
# more names of people, which no list holds.
MANY_NAMES = 2


def problems(entries: list[Entry], units: Units | None = None) -> Iterator[Problem]:
    yield from _text(entries)
    yield from _collisions(entries)
    yield from _people(entries, units)


def errors(entries: list[Entry], units: Units | None = None) -> list[str]:
    """Each problem as "file:line: kind: message", the form GlossaryError carries."""
    return [f"{e.file.name}:{e.line_of(key)}: {kind}: {msg}" for e, key, kind, msg in problems(entries, units)]


def _text(entries: list[Entry]) -> Iterator[Problem]:
    """Text as written (the loader normalizes, so look at the raw values)."""
    for e in entries:
        for key, val in e.raw.items():
            for v in val if isinstance(val, list) else [val]:
                if not isinstance(v, str) or key == "note":
                    continue
                if not unicodedata.is_normalized("NFC", v):
                    yield e, key, "not-nfc", f"{key} {v!r} is not Unicode NFC"
                elif key.startswith("vi") and has_old_style(v):
                    yield e, key, "old-tone", f"{key} {v!r} uses old-style tone marks (write hòa, thủy, Ủy, khỏe)"


def key_for(e: Entry, lang: str, form: str) -> str:
    """The key a form is written under, for its line number."""
    return lang if form == e.text(lang) else f"{lang}_variants"


def _collisions(entries: list[Entry]) -> Iterator[Problem]:
    """One source form, two targets: the same form as written, or the same
    but for case where either entry ignores case (a variant "general" of
    one entry takes every "General" of another)."""
    for src, tgt in (("en", "vi"), ("vi", "en")):
        exact: dict[str, tuple[Entry, str]] = {}
        folded: dict[str, list[tuple[Entry, str]]] = {}
        for e in entries:
            if not e.works(src, tgt):
                continue
            reported = False
            for form in dict.fromkeys(e.forms(src)):
                k = key_of(form)
                others = [exact[k]] if k in exact else []
                others += [(o, f) for o, f in folded.get(k.casefold(), ()) if "ignore" in (o.case, e.case)]
                hit = next(((o, f) for o, f in others if o is not e and o.text(tgt) != e.text(tgt)), None)
                if hit and not reported:
                    reported = True
                    yield e, key_for(e, src, form), *_collision(e, form, *hit, src, tgt)
                exact.setdefault(k, (e, form))
                folded.setdefault(k.casefold(), []).append((e, form))


def _collision(e: Entry, form: str, other: Entry, other_form: str, src: str, tgt: str) -> tuple[str, str]:
    if form == e.text(src) and other_form == other.text(src):
        return "conflict", f"{src} {form!r} -> {e.text(tgt)!r}, but {other.where} gives {other.text(tgt)!r}"
    return "variant-collision", (
        f"{src} {form!r} ({'variant of ' + repr(e.text(src)) if form != e.text(src) else 'canonical'}) -> "
        f"{e.text(tgt)!r}, but {other.where} reads {other_form!r} as {other.text(tgt)!r}")


def name_parts(units: Units | None, wanted: set[str]) -> Counter:
    """How many names of units.tsv each of `wanted` is a proper run of words
    of, in Vietnamese and as English writes it ("Hòa", "Hoa" in "Khánh Hòa")."""
    parts: Counter = Counter()
    longest = max((len(w.split()) for w in wanted), default=0)
    for name in {u.name for u in (units.units if units else ())}:
        for spelled in {name, fold(name)}:
            w = spelled.split()
            runs = {" ".join(w[i:j]) for i in range(len(w)) for j in range(i + 1, min(len(w), i + longest) + 1)
                    if j - i < len(w)}
            parts.update(runs & wanted)
    return parts


def _people(entries: list[Entry], units: Units | None) -> Iterator[Problem]:
    people = [e for e in entries if e.category == "people" and not e.is_pattern]
    parts = name_parts(units, {f for e in people for lang in ("en", "vi") for f in e.forms(lang)})
    for e in people:
        for lang, family in (("en", "Nguyen Van"), ("vi", "Nguyễn Văn")):
            tgt = "vi" if lang == "en" else "en"
            if not e.works(lang, tgt):
                continue
            found = next(filter(None, (_person_problem(e, lang, f, family, parts) for f in e.forms(lang))), None)
            if found:
                yield e, *found
                break


def _person_problem(e: Entry, lang: str, form: str, family: str, parts: Counter) -> tuple[str, str, str] | None:
    tgt = "vi" if lang == "en" else "en"
    example = (f"{family} {form}", f"{family} {e.text(tgt)}")
    n = parts.get(form, 0)
    if n >= MANY_NAMES:
        return key_for(e, lang, form), "person-part", (
            f"person {form!r} is part of {n} names in units.tsv and of people's names no list holds: "
            f"{example[0]!r} would come out as {example[1]!r}; write the full name")
    if lang == "vi" and len(form.split()) == 1 and fold(form) != form:
        return key_for(e, lang, form), "person-word", (
            f"person {form!r} is one Vietnamese syllable, an ordinary word and a part of many names: "
            f"{example[0]!r} would come out as {example[1]!r}; write the full name")
    return None


__all__ = ["ERROR_KINDS", "MANY_NAMES", "errors", "key_for", "name_parts", "problems"]
