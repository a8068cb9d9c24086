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
from pathlib import Path

from .fileformat import OPEN_SLOTS, SLOT_RE, SLOTS, Entry
from .units import EN_NAME, EN_UNIT, VI_NAME, VI_UNIT, Found, Units
from ..text.vietnamese import SURNAMES, fold

_WORD = re.compile(r"\w+")
_FOLDED_SURNAMES = frozenset(fold(s) for s in SURNAMES)
# English words that make a title with a following General/Major/Captain.
_TITLE_HEADS = frozenset("""Procurator Attorney Auditor Inspector Consul Secretary Surgeon Solicitor
    Accountant Postmaster Governor Adjutant Quartermaster Paymaster Registrar Advocate Comptroller
    Sergeant Drum Group Sea Staff""".split())
_APOS = "['’]"
_HYPHEN = r"[-‐–\s]"
_OPEN = "\x00open"  # index key of patterns that start with an open slot ({unit}, {name})


def _literal(text: str, ignore_case: bool) -> str:
    """Regex for a literal stretch: any run of whitespace matches any other,
    straight and curly apostrophes match each other, and a hyphen between
    words matches a hyphen, a dash or a space."""
    out = []
    for i, chunk in enumerate(re.split(r"(\s+)", text)):
        if i % 2:
            out.append(r"\s+")
        elif chunk:
            # "High-Tech", "High Tech" and "High–Tech" are one spelling to writers.
            out.append(_HYPHEN.join(_APOS.join(re.escape(p) for p in re.split(_APOS, part))
                                    for part in re.split(r"(?<=\w)-(?=\w)", chunk)))
    body = "".join(out)
    return f"(?i:{body})" if ignore_case and body else body


# English names of bodies that another name can continue: "Office of the
# Ministry" is the MPS's office only when no "of Foreign Affairs" follows.
_OPEN_ENDED = frozenset("Ministry Office Department Committee Agency Council Command Bureau Board".split())


def _continued(form: str, text: str, end: int) -> bool:
    """Does the text go on naming a longer body than `form` ("... of X")?"""
    last = form.rsplit(" ", 1)[-1]
    return last in _OPEN_ENDED and re.match(r"\s+(?:of|for|on)\s+(?:the\s+)?[A-Z]", text[end:]) is not None


def _city_level(target: str, tgt: str) -> str:
    """A centrally-run city takes the city's level words, whichever the
    writer used: never "tỉnh" or "Provincial" before Cần Thơ or Hải Phòng."""
    if tgt == "vi":
        return target.replace("tỉnh {place}", "thành phố {place}").replace("Tỉnh ủy {place}", "Thành ủy {place}")
    return target.replace("{place} Provincial Police Department", "{place} City Police").replace(
        "{place} Provincial", "{place} City")


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
    ambiguous: tuple[str, ...] = ()  # a unit the article does not settle: kept, flagged for review

    @property
    def category(self) -> str:
        return self.entry.category if self.entry else "people"


class Matcher:
    """All forms usable for one direction, indexed by their first word."""

    def __init__(self, entries: list[Entry], src: str, tgt: str, units: Units | None = None):
        self.src, self.tgt = src, tgt
        self.units = units or Units()
        self.context: frozenset[str] = frozenset()  # provinces the article names
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
        if self.units:
            self.slot_alt["units"] = VI_UNIT if src == "vi" else EN_UNIT
            self.slot_alt["names"] = VI_NAME if src == "vi" else EN_NAME
        self._unit_rx = re.compile(self.slot_alt["units"]) if self.units else None
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
        if m and SLOTS[m.group(1)] in OPEN_SLOTS:
            return {_OPEN}  # tried at every capitalized word
        if m:  # the pattern starts with a slot: index it under every filler's first word
            out = set()
            for f, _ in self.fillers.get(SLOTS[m.group(1)], []):
                w = _WORD.search(f)
                if w:
                    out.add(w.group().casefold())
            return out
        w = _WORD.search(text)
        return {w.group().casefold()} if w else set()

    def filler(self, slot: str, text: str) -> Entry | Found | None:
        if SLOTS[slot] == "units":
            return self.units.unit(text, self.src, self.context)
        if SLOTS[slot] == "names":
            place = self.filler("place", text) if "places" in self.lookup else None
            return place or self.units.name(text, self.src, self.context)
        exact, folded = self.lookup.get(SLOTS[slot], ({}, {}))
        k = key_of(text)
        return exact.get(k) or folded.get(k.casefold())

    def match_at(self, text: str, pos: int, word: str, bound: bool = False) -> Match | None:
        best: tuple[tuple[int, int], Match] | None = None
        index = self.bound_index if bound else self.index
        forms = index.get(word.casefold(), [])
        if word[:1].isupper() and _OPEN in index:
            forms = [*forms, *index[_OPEN]]
        for form in forms:
            m = form.regex.match(text, pos)
            if not m:
                continue
            fillers: dict[str, Entry] = {}
            target = form.entry.text(self.tgt)
            ok, candidate, ambiguous = True, False, ()
            for i, slot in enumerate(form.slots):
                fe = self.filler(slot, m.group(f"s{i}"))
                if fe is None:
                    ok = False
                    break
                if isinstance(fe, Found):
                    candidate, ambiguous = candidate or not fe.known, ambiguous or fe.ambiguous
                    fe = self._entry_of(fe)
                elif slot == "place" and self.units.is_city(fe.vi):
                    target = _city_level(target, self.tgt)
                fillers[slot] = fe
                target = target.replace("{" + slot + "}", fe.text(self.tgt))
            if not ok:
                continue
            if self.tgt == "en":
                # "{place} City ..." filled with "Ho Chi Minh City"
                target = re.sub(r"\bCity City\b", "City", target)
            if not form.is_pattern and _continued(form.text, text, m.end()):
                continue
            rank = (m.end(), 0 if form.is_pattern else 1)
            if best is None or rank > best[0]:
                kind = "pattern" if form.is_pattern else "term"
                best = (rank, Match(pos, m.end(), m.group(), target, form.entry, fillers, kind,
                                    candidate, ambiguous))
        unit = None if bound else (self._unit_at(text, pos) or (None if best else self._bare_unit_at(text, pos)))
        if unit is not None and (best is None or unit.end > best[1].end):
            return unit
        return best[1] if best else None

    def _entry_of(self, found: Found) -> Entry:
        u = found.unit
        return Entry(self.units.path or Path("units.tsv"), u.line if u else 0, "places", found.en, found.vi)

    def _bare_unit_at(self, text: str, pos: int) -> Match | None:
        """A unit's name without its type word ("the border communes of Mu Ca
        and Thu Lum"), only where a province the article names has exactly
        one unit of that name and spelling."""
        if not self.context or not text[pos:pos + 1].isupper():
            return None
        m = re.compile(VI_NAME if self.src == "vi" else EN_NAME).match(text, pos)
        words = m.group().split(" ") if m else []
        if len(words) < 2 or fold(words[0]) in _FOLDED_SURNAMES and len(words) > 2:
            return None  # one word is too often an ordinary word; three after a family name, a person
        for n in range(len(words), 1, -1):
            name = " ".join(words[:n])
            end = pos + len(name)
            if end < len(text) and (text[end].isalnum() or text[end] == "_"):
                continue
            units = [u for u in self.units.by_fold.get(fold(name).casefold(), [])
                     if u.level != "province" and u.province in self.context]
            spellings = {u.name for u in units}
            if len(spellings) == 1 and (self.src == "en" or name in spellings):
                u = units[0]
                entry = Entry(self.units.path or Path("units.tsv"), u.line, "places", fold(u.name), u.name)
                return Match(pos, end, name, entry.text(self.tgt), entry, {}, "term")
        return None

    def _unit_at(self, text: str, pos: int) -> Match | None:
        """A unit with its type word, standing on its own ("huyện Kỳ Sơn")."""
        if self._unit_rx is None:
            return None
        m = self._unit_rx.match(text, pos)
        if not m or (m.end() < len(text) and (text[m.end()].isalnum() or text[m.end()] == "_")):
            return None
        found = self.units.unit(m.group(), self.src, self.context)
        if found is None:
            return None
        entry = self._entry_of(found)
        return Match(pos, m.end(), m.group(), entry.text(self.tgt), entry, {}, "term",
                     not found.known, found.ambiguous)

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
