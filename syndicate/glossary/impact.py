"""What a glossary edit changes, worked out before it is made, so `glossary
remove` and `glossary import` can show it and ask.

Three things: the patterns that use an entry through its slot ({title},
{person} ...); examples built from the entry (its own forms, and each
pattern that uses it filled with it); and the stored articles whose
translation would change. A sentence changes exactly when what the
glossary protects in it changes: the same test as the per-sentence
translation-memory key (Protected.terms_version), so what is listed here
is what the next run sends back to the model, and nothing else.

Each changed sentence is shown with the glossary's terms put in and the
rest as written, before and after: "Deputy Minister Le Quoc Hung" reads
"Thứ trưởng Lê Quốc Hùng" before removing "Thứ trưởng" and
"Deputy Bộ trưởng Lê Quốc Hùng" after.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..article import Article
from ..translate.driver import prepare_headline
from ..translate.hook import Protected
from ..translate.splitter import segments
from ..text.vietnamese import fold, normalize
from .enforce import Glossary
from .fileformat import OPEN_SLOTS, SLOT_RE, SLOTS, Entry

PAIRS = (("en", "vi"), ("vi", "en"))
# Fillers for open slots and for a person where the glossary has none.
_SAMPLE = {("units", "en"): "Ky Son District", ("units", "vi"): "huyện Kỳ Sơn",
           ("names", "en"): "Ky Son", ("names", "vi"): "Kỳ Sơn",
           ("people", "en"): "Nguyen Van An", ("people", "vi"): "Nguyễn Văn An"}


@dataclass
class Sentence:
    where: str  # "example" or "<article id> en->vi"
    src: str
    tgt: str
    text: str
    context: str = ""


@dataclass
class Change:
    where: str
    src: str
    tgt: str
    text: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.where} {self.src}->{self.tgt}: {self.text!r}\n    before: {self.before}\n    after:  {self.after}"


def slot_users(entry: Entry, entries: Iterable[Entry]) -> list[Entry]:
    """Patterns that an entry fills through its category's slot."""
    slot = next((s for s, cat in SLOTS.items() if cat == entry.category and cat not in OPEN_SLOTS), None)
    if slot is None or entry.is_pattern:
        return []
    return [e for e in entries if e is not entry and slot in e.slots]


def examples(changed: list[Entry], entries: list[Entry]) -> list[Sentence]:
    """Each changed entry's forms, alone and in every pattern it fills."""
    out: dict[tuple[str, str], Sentence] = {}
    for e in changed:
        for src, tgt in PAIRS:
            if not e.works(src, tgt):
                continue
            own = [_fill(f, src, entries, e) for f in e.forms(src)]
            used = [_fill(p.text(src), src, entries, e) for p in slot_users(e, entries) if p.works(src, tgt)]
            for text in own + used:
                if text:
                    out.setdefault((src, text), Sentence("example", src, tgt, text))
    return list(out.values())


def _fill(form: str, src: str, entries: list[Entry], entry: Entry) -> str | None:
    """A pattern with its slots filled: `entry` in its own slot, the shortest
    entry of each other slot's category, a sample unit for the open ones."""
    for slot in SLOT_RE.findall(form):
        cat = SLOTS[slot]
        if cat == entry.category and not entry.is_pattern:
            text = entry.text(src)
        else:
            fillers = sorted((x.text(src) for x in entries if x.category == cat and not x.is_pattern), key=len)
            text = fillers[0] if fillers else _SAMPLE.get((cat, src))
        if text is None:
            return None
        form = form.replace("{" + slot + "}", text, 1)
    return form


def article_sentences(pairs: Iterable[tuple[Article, str]]) -> Iterator[Sentence]:
    """The sentences of each (article, target language) as the translation
    driver protects them: the headline whole, each block split, the whole
    article as context."""
    for a, tgt in pairs:
        context = "\n".join([a.title, *(b.text for b in a.blocks)])
        where = f"{a.id} {a.language}->{tgt}"
        yield Sentence(where, a.language, tgt, prepare_headline(a.title)[0], context)
        for b in a.blocks:
            for s, _ in segments(b.text, a.language):
                yield Sentence(where, a.language, tgt, s, context)


def needles(changed: list[Entry]) -> set[str]:
    """Literal pieces of the changed entries' forms, folded: a sentence
    with none of them cannot match differently."""
    out: set[str] = set()
    for e in changed:
        for lang in ("en", "vi"):
            for form in e.forms(lang):
                out.update(p for p in (_folded(x) for x in SLOT_RE.split(form)) if len(p) > 2)
    return out


def _folded(text: str) -> str:
    return " ".join(fold(normalize(text)).casefold().replace("’", "'").replace("-", " ").split())


def changes(old: Glossary, new: Glossary, sentences: Iterable[Sentence], near: set[str] | None = None
            ) -> list[Change]:
    """The sentences whose protected terms differ between the two glossaries.
    `near`: skip sentences containing none of these (see needles())."""
    out = []
    for s in sentences:
        folded = _folded(s.text) if near is not None else ""
        if near is not None and not any(n in folded for n in near):
            continue
        before = old.protect(s.text, s.src, s.tgt, s.context)
        after = new.protect(s.text, s.src, s.tgt, s.context)
        if before.terms_version != after.terms_version:
            out.append(Change(s.where, s.src, s.tgt, s.text, render(before), render(after)))
    return out


def render(p: Protected) -> str:
    """The sentence with its terms in the target language and the rest as
    written: what the glossary decides, whatever the model does."""
    text = p.text
    for span in p.state.spans if p.state else ():
        text = text.replace(span.id, span.target, 1)
    return text


__all__ = ["Change", "Sentence", "article_sentences", "changes", "examples", "needles", "render", "slot_users"]
