"""Finding glossary terms in text.

Text is matched after normalization (NFC, one tone-mark convention). A form
matches only on word boundaries, with each entry's case rule. At each word
start every candidate form is tried and the longest match wins, so
"Deputy Minister of Public Security" beats "Minister of Public Security",
and a pattern ("{place} Provincial Police Department") beats the place
inside it; on a tie an explicit entry beats a pattern.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .fileformat import SLOT_RE, SLOTS, Entry
from ..text.vietnamese import SURNAMES, fold

_WORD = re.compile(r"\w+")
_FOLDED_SURNAMES = frozenset(fold(s) for s in SURNAMES)
# English words that make a title with a following General/Major/Captain.
_TITLE_HEADS = frozenset("""Procurator Attorney Auditor Inspector Consul Secretary Surgeon Solicitor
    Accountant Postmaster Governor Adjutant Quartermaster Paymaster Registrar Advocate Comptroller
    Sergeant Drum Group Sea Staff""".split())
_APOS = "['’]"


def _literal(text: str, ignore_case: bool) -> str:
    """Regex for a literal stretch: any run of whitespace matches any other,
    and straight and curly apostrophes match each other."""
    out = []
    for i, chunk in enumerate(re.split(r"(\s+)", text)):
        if i % 2:
            out.append(r"\s+")
        elif chunk:
            out.append(_APOS.join(re.escape(p) for p in re.split(_APOS, chunk)))
    body = "".join(out)
    return f"(?i:{body})" if ignore_case and body else body


def key_of(text: str) -> str:
    """Whitespace- and apostrophe-insensitive lookup key."""
    return " ".join(text.replace("’", "'").split())


@dataclass
class Form:
    entry: Entry
    text: str
    regex: re.Pattern
    slots: list[str] = field(default_factory=list)

    @property
    def is_pattern(self) -> bool:
        return bool(self.slots)


@dataclass
class Match:
    start: int
    end: int
    source: str
    target: str
    entry: Entry | None  # None for a name found after a rank or title
    fillers: dict[str, Entry] = field(default_factory=dict)
    kind: str = "term"  # term | pattern | name
    candidate: bool = False  # a name the glossary lacks

    @property
    def category(self) -> str:
        return self.entry.category if self.entry else "people"


class Matcher:
    """All forms usable for one direction, indexed by their first word."""

    def __init__(self, entries: list[Entry], src: str, tgt: str):
        self.src, self.tgt = src, tgt
        usable = [e for e in entries if e.works(src, tgt)]
        self.fillers: dict[str, list[tuple[str, Entry]]] = {}
        self.lookup: dict[str, tuple[dict[str, Entry], dict[str, Entry]]] = {}
        for e in usable:
            if e.is_pattern:
                continue
            exact, folded = self.lookup.setdefault(e.category, ({}, {}))
            for f in e.forms(src):
                self.fillers.setdefault(e.category, []).append((f, e))
                exact.setdefault(key_of(f), e)
                if e.case == "ignore":
                    folded.setdefault(key_of(f).casefold(), e)
        self.slot_alt: dict[str, str] = {}
        for cat, items in self.fillers.items():
            items.sort(key=lambda fe: -len(fe[0]))
            self.slot_alt[cat] = "|".join(_literal(f, e.case == "ignore") for f, e in items)
        self.index: dict[str, list[Form]] = {}
        self.bound_index: dict[str, list[Form]] = {}  # standalone = false: only before a name
        self.forms: list[Form] = []
        for order, e in enumerate(usable):
            for f in e.forms(src):
                form = self._compile(e, f)
                if form is None:
                    continue
                self.forms.append(form)
                index = self.index if self._standalone(e) else self.bound_index
                for k in self._first_words(f):
                    index.setdefault(k, []).append(form)

    def _standalone(self, e: Entry) -> bool:
        """standalone = false is for English words that are also ordinary
        words ("General", "Major", "Private"); their Vietnamese forms
        ("Đại tướng", "Thiếu tá") are ranks wherever they stand, as in
        "được thăng hàm Đại tướng". An entry that only reads Vietnamese
        (direction vi-en) has no English side: there the flag is meant for
        the Vietnamese ("{rank} Công an" only before a name)."""
        return e.standalone or (self.src != "en" and e.direction != "vi-en")

    def _compile(self, e: Entry, text: str) -> Form | None:
        parts = SLOT_RE.split(text)
        rx, slots = [], []
        for i, p in enumerate(parts):
            if i % 2:
                cat = SLOTS[p]
                if cat not in self.slot_alt:
                    return None  # no entries can fill it: the check command reports this
                rx.append(f"(?P<s{len(slots)}>{self.slot_alt[cat]})")
                slots.append(p)
            elif p:
                lead = r"\s+" if p[0].isspace() else ""
                trail = r"\s+" if p[-1].isspace() and p.strip() else ""
                rx.append(lead + _literal(p.strip(), e.case == "ignore") + trail if p.strip() else r"\s+")
        return Form(e, text, re.compile("".join(rx) + r"(?!\w)"), slots)

    def _first_words(self, text: str) -> set[str]:
        m = SLOT_RE.match(text)
        if m:  # the pattern starts with a slot: index it under every filler's first word
            out = set()
            for f, _ in self.fillers.get(SLOTS[m.group(1)], []):
                w = _WORD.search(f)
                if w:
                    out.add(w.group().casefold())
            return out
        w = _WORD.search(text)
        return {w.group().casefold()} if w else set()

    def filler(self, slot: str, text: str) -> Entry | None:
        exact, folded = self.lookup.get(SLOTS[slot], ({}, {}))
        k = key_of(text)
        return exact.get(k) or folded.get(k.casefold())

    def match_at(self, text: str, pos: int, word: str, bound: bool = False) -> Match | None:
        best: tuple[tuple[int, int], Match] | None = None
        index = self.bound_index if bound else self.index
        for form in index.get(word.casefold(), ()):
            m = form.regex.match(text, pos)
            if not m:
                continue
            fillers: dict[str, Entry] = {}
            target = form.entry.text(self.tgt)
            ok = True
            for i, slot in enumerate(form.slots):
                fe = self.filler(slot, m.group(f"s{i}"))
                if fe is None:
                    ok = False
                    break
                fillers[slot] = fe
                target = target.replace("{" + slot + "}", fe.text(self.tgt))
            if not ok:
                continue
            if self.tgt == "en":
                # "{place} City ..." filled with "Ho Chi Minh City"
                target = re.sub(r"\bCity City\b", "City", target)
            rank = (m.end(), 0 if form.is_pattern else 1)
            if best is None or rank > best[0]:
                kind = "pattern" if form.is_pattern else "term"
                best = (rank, Match(pos, m.end(), m.group(), target, form.entry, fillers, kind))
        return best[1] if best else None

    def find(self, text: str) -> list[Match]:
        out: list[Match] = []
        pos = 0
        for w in _WORD.finditer(text):
            if w.start() < pos:
                continue
            m = self.match_at(text, w.start(), w.group())
            name = None
            b = self.match_at(text, w.start(), w.group(), bound=True) if self.bound_index else None
            prev = re.search(r"(\w+)[ \t]$", text[max(0, w.start() - 30):w.start()])
            if b is not None and prev and prev.group(1) in _TITLE_HEADS:
                # "Procurator General Le Minh Tri", "Sergeant Major ...":
                # General/Major/Captain is part of another title, not a rank.
                b = None
            if b is not None and (m is None or b.end > m.end):
                name = self._name_after(text, b.end)
                if name or self._person_at(text, b.end):
                    m = b
            if m is None:
                continue
            if m.kind == "term" and m.category == "places" and self._continues_name(text, m.start):
                continue  # "Nguyễn Thanh Xuân" is a person, not Nguyễn + the ward Thanh Xuân
            prev = out[-1] if out else None
            out.append(m)
            pos = m.end
            # A title, or a title and the body it heads ("Bộ trưởng Bộ Quốc
            # phòng Phan Văn Giang"), is followed by the holder's name.
            heads = m.entry.category in ("ranks", "titles") or (
                m.entry.category == "organizations" and prev is not None and prev.entry is not None
                and prev.entry.category == "titles" and not text[prev.end:m.start].strip())
            if name is None and heads:
                name = self._name_after(text, m.end)
            if name:
                out.append(name)
                pos = name.end
        return out

    def _surnames(self) -> set[str] | frozenset[str]:
        return SURNAMES if self.src == "vi" else _FOLDED_SURNAMES

    def _continues_name(self, text: str, start: int) -> bool:
        """Is text[start:] preceded, across one space, by capitalized words
        that open with a family name ("Nguyễn ", "Trần Thị ")?"""
        if start < 2 or text[start - 1] != " ":
            return False
        words = text[:start - 1].split(" ")[-3:]
        run: list[str] = []
        for t in reversed(words):
            if not (t[:1].isupper() and t.isalpha() and (t[1:].islower() or len(t) == 1)):
                break
            run.append(t)
        return any(t in self._surnames() for t in run)

    def _person_at(self, text: str, end: int) -> bool:
        """Does a glossary person follow ("Thiếu tướng Công an Lê Tấn Tới")?"""
        sp = re.match(r"[ \t]+", text[end:])
        w = _WORD.match(text, end + sp.end()) if sp else None
        if not w:
            return False
        m = self.match_at(text, w.start(), w.group())
        return bool(m and m.category == "people")

    def _name_after(self, text: str, end: int) -> Match | None:
        """A person the glossary lacks, right after a rank or title."""
        sp = re.match(r"[ \t]+", text[end:])
        if not sp:
            return None
        start = end + sp.end()
        w = _WORD.match(text, start)
        if not w or self.match_at(text, start, w.group()):
            return None
        run = re.match(r"[^\W\d_]+(?: [^\W\d_]+){0,3}", text[start:])
        words: list[str] = []
        offset = start
        for t in run.group().split(" ") if run else []:
            if not (t[0].isupper() and (t[1:].islower() or len(t) == 1)):
                break
            if words:
                inner = self.match_at(text, offset, t)
                # "... Hùng Công an tỉnh": the name stops where a term starts,
                # but not at a place: given names are often place names too
                # ("Nguyễn Thanh Xuân", "Trần Thị Hoàng Mai").
                if inner and not (inner.kind == "term" and inner.category == "places"):
                    break
            words.append(t)
            offset += len(t) + 1
        if len(words) < 2:
            return None
        if words[0] not in self._surnames():
            return None
        source = " ".join(words)
        if self.src == "vi":
            return Match(start, start + len(source), source, fold(source), None, kind="name")
        # English: a name not in the glossary stays as written and is listed
        # as a candidate for a new entry.
        return Match(start, start + len(source), source, source, None, kind="name", candidate=True)
