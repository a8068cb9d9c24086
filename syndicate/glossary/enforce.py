"""The glossary as the translation seam's TermHook.

protect() swaps every matched term for a placeholder; the model translates
the rest; restore() puts the target forms in and checks each one is there.

Placeholder form: "ZQAA", "ZQAB", ... (a fixed prefix and two capital letters).
Chosen after comparing candidates through SentencePiece and the copy model
(bench/glossary_report.py prints the table; tests/glossary/
test_copy_model_path.py; glossary/README.md): every candidate round-trips
through a byte-fallback SentencePiece model and the copy model, so the
choice rests on how a real NMT model sees them:
- digits ("T1", "__1__") are split into single-digit pieces and real models
  rewrite numbers (1 -> "một", 1000 -> "1.000");
- argostranslate's decoder turns every "_" into a space;
- brackets like ⟦ ⟧ or § become 2-3 raw byte pieces each, which a model
  trained on news has never seen and tends to drop;
- an all-capital ASCII word is what news models see as an acronym (ASEAN,
  INTERPOL) and copy through unchanged, in both English and Vietnamese.
Fixed width makes ids unambiguous even when the model glues a suffix on
("ZQABs"), and restore() also accepts spaces or lower case inside.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..translate.hook import Protected, Restored
from ..translate.problems import (
    REVIEW, TERM_DUPLICATED, TERM_LOST, TERM_MISSING, TERM_UNKNOWN_PLACEHOLDER, Problem,
)
from . import rules
from .match import Match, Matcher
from .fileformat import Entry, GlossaryError, Parsed, content_version, parse_dir
from .units import Units, load_units
from ..text.vietnamese import normalize


# A unit name several units share, which the article does not settle.
TERM_AMBIGUOUS = "term_ambiguous"
PREFIXES = ("ZQ", "QX", "XZ", "JQ", "QJ")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_TERMS = len(_LETTERS) ** 2


def placeholder(prefix: str, i: int) -> str:
    return prefix + _LETTERS[i // 26] + _LETTERS[i % 26]


def _placeholder_re(prefix: str) -> re.Pattern:
    a, b = prefix
    return re.compile(rf"{a}\s?{b}\s?([A-Z])\s?([A-Z])", re.IGNORECASE)


@dataclass
class Span:
    id: str
    source: str
    target: str
    category: str
    entry: str  # "file:line", or "" for a name found after a rank or title
    kind: str
    where: float  # position in the protected sentence, 0..1, for the fallback
    candidate: bool = False
    opener: str = ""  # the quote or bracket right around it in the source ('"' for "ZQAA")
    ambiguous: tuple[str, ...] = ()  # units an English name may be; kept as written


@dataclass
class State:
    prefix: str
    spans: list[Span] = field(default_factory=list)


class Glossary:
    """Loaded entries; one Matcher per direction, built on first use."""

    def __init__(self, entries: list[Entry], directory: Path | None = None, units: Units | None = None):
        self.entries = entries
        self.directory = directory
        self.units = units or Units()
        self.version = content_version(entries)
        if self.units:
            self.version += "-" + hashlib.sha256(self.units.path.read_bytes()).hexdigest()[:6]
        self._matchers: dict[tuple[str, str], Matcher] = {}
        self._context: dict[tuple[str, str], frozenset[str]] = {}

    def __len__(self) -> int:
        return len(self.entries)

    def matcher(self, src: str, tgt: str) -> Matcher:
        m = self._matchers.get((src, tgt))
        if m is None:
            m = self._matchers[(src, tgt)] = Matcher(self.entries, src, tgt, self.units)
        return m

    def _matcher_in(self, text: str, src: str, tgt: str, context: str) -> Matcher:
        """The matcher, told which provinces the article (or the sentence) names."""
        m = self.matcher(src, tgt)
        key = (src, context)
        if key not in self._context:
            if len(self._context) > 256:
                self._context.clear()
            self._context[key] = self.units.provinces_in(normalize(context), src) if self.units else frozenset()
        m.context = self._context[key] | (self.units.provinces_in(text, src) if self.units else frozenset())
        return m

    def find(self, text: str, src: str, tgt: str, context: str = "") -> list[Match]:
        text = normalize(text)
        return self._matcher_in(text, src, tgt, context).find(text)

    # --- TermHook ---------------------------------------------------------------

    def protect(self, text: str, src: str, tgt: str, context: str = "") -> Protected:
        """context: the whole article, whose provinces tell units that share
        an English name apart."""
        text = normalize(text)
        matches = self._matcher_in(text, src, tgt, context).find(text)[:MAX_TERMS]
        # A prefix that the sentence itself never contains, so restore() can
        # not mistake the text for a placeholder.
        prefix = next((p for p in PREFIXES if not _placeholder_re(p).search(text)), PREFIXES[0])
        state = State(prefix)
        out, last = [], 0
        at: list[int] = []
        for i, m in enumerate(matches):
            pid = placeholder(prefix, i)
            out.append(text[last:m.start])
            at.append(sum(map(len, out)))
            out.append(pid)
            last = m.end
            state.spans.append(Span(pid, m.source, m.target, m.category,
                                    m.entry.where if m.entry else "", m.kind, 0.0, m.candidate,
                                    _opener(text, m.start, m.end), m.ambiguous))
        out.append(text[last:])
        # Relative positions in the protected text, which is what the model
        # saw and what its output's length follows; in the original text a
        # long term ("Director of the ... Provincial Police Department")
        # pushed every later position off.
        n = max(sum(map(len, out)), 1)
        for span, a in zip(state.spans, at):
            span.where = a / n
        # What this sentence depends on in the glossary: its matches and
        # their targets. Unchanged by edits elsewhere in the glossary.
        sig = "\x1e".join(f"{sp.source}\x1f{sp.target}\x1f{sp.kind}" for sp in state.spans)
        terms_version = "t-" + hashlib.sha256(sig.encode("utf-8")).hexdigest()[:16]
        return Protected("".join(out), state, terms_version)

    def restore(self, output: str, protected: Protected, src: str, tgt: str) -> Restored:
        state: State | None = protected.state
        if not state or not state.spans:
            return Restored(output)
        rx = _placeholder_re(state.prefix)
        index = {s.id: i for i, s in enumerate(state.spans)}
        seen: dict[str, int] = {}
        problems: list[Problem] = []

        # Placeholders first become one private-use character each, so the
        # fallback below can never insert a term inside another term.
        def sub(m: re.Match) -> str:
            pid = state.prefix + (m.group(1) + m.group(2)).upper()
            if pid not in index:
                problems.append(Problem(TERM_UNKNOWN_PLACEHOLDER, REVIEW, "", {"text": m.group()}))
                return ""
            seen[pid] = seen.get(pid, 0) + 1
            if seen[pid] > 1:
                return ""  # the first copy carries the term; extra copies go
            return _mark(index[pid])

        text = rx.sub(sub, output)
        fallback: set[str] = set()
        for span in state.spans:
            count = seen.get(span.id, 0)
            if count == 0:
                # The model lost the placeholder. Put the term back where it
                # stood in the source (by relative position, at a word gap)
                # and flag the sentence: better a clumsy sentence a person
                # reviews than an official's title silently gone.
                text = _insert(text, _mark(index[span.id]), span.where, span.opener)
                fallback.add(span.id)
                problems.append(Problem(TERM_LOST, REVIEW, span.entry, {
                    "source": span.source, "target": span.target, "fallback": "inserted by position"}))
            elif count > 1:
                problems.append(Problem(TERM_DUPLICATED, REVIEW, span.entry, {
                    "source": span.source, "target": span.target, "copies": count, "fallback": "kept the first"}))
        if problems:  # only repair what a removal or insertion disturbed
            text = _tidy(text)
        # A lower-case term ("tín dụng đen") that opens the sentence gets a capital.
        lead = re.match(r"^[\"“‘(]*", text).end()
        if lead < len(text) and _MARK_FIRST <= ord(text[lead]) < _MARK_FIRST + MAX_TERMS:
            i = ord(text[lead]) - _MARK_FIRST
            t = state.spans[i].target
            text = text[:lead] + t[:1].upper() + t[1:] + text[lead + 1:]
        text = re.sub(f"[{chr(_MARK_FIRST)}-{chr(_MARK_FIRST + MAX_TERMS - 1)}]",
                      lambda m: state.spans[ord(m.group()) - _MARK_FIRST].target, text)
        folded = text.casefold()
        terms = []
        for span in state.spans:
            if span.ambiguous:
                problems.append(Problem(TERM_AMBIGUOUS, REVIEW, span.entry, {
                    "source": span.source, "could_be": list(span.ambiguous),
                    "fallback": "kept as written; name the province in the article or add an entry"}))
            ok = span.target.casefold() in folded
            rec = {"source": span.source, "target": span.target, "ok": ok, "category": span.category,
                   "entry": span.entry, "kind": span.kind}
            if span.id in fallback:
                rec["fallback"] = "inserted"
            if span.candidate:
                rec["candidate"] = True
            terms.append(rec)
            if not ok:
                problems.append(Problem(TERM_MISSING, REVIEW, span.entry,
                                        {"source": span.source, "target": span.target}))
        return Restored(text, problems, terms, needs_review=bool(problems))


# Private-use code points stand in for restored terms while the text is
# still being repaired.
_MARK_FIRST = 0xF0000


def _mark(i: int) -> str:
    return chr(_MARK_FIRST + i)


def _is_mark(c: str) -> bool:
    return _MARK_FIRST <= ord(c) < _MARK_FIRST + MAX_TERMS


_WIDTH = len(placeholder(PREFIXES[0], 0))


_PAIRS = {'"': '"', "“": "”", "‘": "’", "'": "'", "(": ")", "[": "]", "«": "»"}


def _opener(text: str, start: int, end: int) -> str:
    """The quote or bracket a term stands in alone ('"black credit"'), or ""."""
    a, b = text[start - 1:start], text[end:end + 1]
    return a if a in _PAIRS and _PAIRS[a] == b else ""


def _insert(text: str, target: str, where: float, opener: str = "") -> str:
    if not text.strip():
        return target
    if opener:
        # The model kept the quotes (or brackets) but dropped what was in
        # them: the term goes back inside.
        empty = list(re.finditer(re.escape(opener) + r"\s*" + re.escape(_PAIRS[opener]), text))
        if empty:
            e = min(empty, key=lambda m: abs(m.start() - where * len(text)))
            return text[:e.start()] + opener + target + _PAIRS[opener] + text[e.end():]
    # Measure as the model saw it: a term already back in the text is one
    # mark character here but a placeholder's width in the protected text.
    pos, x = [], 0
    for c in text:
        pos.append(x)
        x += _WIDTH if _is_mark(c) else 1
    pos.append(x)
    want = where * x
    gaps = [m.start() for m in re.finditer(r"\s", text)] + [0, len(text)]
    at = min(gaps, key=lambda g: abs(pos[g] - want))
    if at == 0:
        return target + " " + text.lstrip()
    if at == len(text):
        end = re.search(r"[.!?…]+[\"”’)]*$", text)
        if end:  # before the closing full stop
            return text[:end.start()].rstrip() + " " + target + text[end.start():]
        return text.rstrip() + " " + target
    return text[:at] + " " + target + " " + text[at:].lstrip()


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r" +([,.;:!?])", r"\1", text)
    return text.strip()


def load(directory: str | Path) -> Glossary:
    """Load and validate the whole glossary folder. Any error refuses it:
    a half-loaded glossary would translate some titles and not others, and
    an entry that quietly changes other text (rules.py) is no better."""
    directory = Path(directory)
    parsed: Parsed = parse_dir(directory)
    units, unit_errors = load_units(directory)
    errors = parsed.errors + unit_errors
    if not errors:
        errors = rules.errors(parsed.entries, units)
    if errors:
        raise GlossaryError(errors)
    return Glossary(parsed.entries, directory, units)
