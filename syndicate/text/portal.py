"""The portal's article conventions, read one way for every source.

An export from the portal is a headline, a dateline, then paragraphs. The
block rules apply to any article's paragraphs, whether they come from an
export file (the inbox) or a fetched page (feeds): a leading "MPS - " is the
agency tag, a closing "By Name" line (or, in Vietnamese, a bare name) is the
byline, "* " marks a note, and a photo caption is a paragraph of its own
after the lead.

Captions: the export marks them by layout, a wider gap after a caption than
between paragraphs (the portal writes two blank lines after a caption, one
after a paragraph). A file that uses that mark anywhere is read by it alone,
so a real one-sentence paragraph stays a paragraph. Exports without the mark
(and fetched pages, which have no blank lines) fall back to a guess: a short
one-sentence paragraph after the lead is a caption.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..article import Article, Block
from .dates import parse_dateline, too_far_ahead
from .hygiene import excerpt
from .normalize import InputError, detect_language, normalize_text

_BOILERPLATE = re.compile(r"under construction|đang (?:được )?(?:xây dựng|thử nghiệm|nâng cấp)", re.I)
LEAD_TAG = re.compile(r"^(MPS|Bộ Công an|BCA|CAND)\s*[-–—]\s*")
BYLINE_EN = re.compile(r"^by\s+(.{2,80})$", re.I)
NOTE_MARK = re.compile(r"^[*•]\s*")
CAPTION_MAX_WORDS = 16
# Even with the layout mark, a long paragraph is not a caption: a stray
# extra blank line must not turn body text into small italics.
MARKED_CAPTION_MAX_WORDS = 40


# --- block rules, shared by every source ----------------------------------------


def is_vi_byline(text: str) -> bool:
    """A bare name: a few capitalized words, no sentence punctuation."""
    words = text.split()
    return 1 <= len(words) <= 5 and not re.search(r"[.!?:;,]$", text) and all(w[0].isupper() for w in words)


def is_caption(text: str, lang: str) -> bool:
    # The portal puts photo captions inline as one short sentence of their
    # own; body paragraphs are several sentences. A short one-sentence
    # paragraph is treated as a caption, which at worst styles a short
    # paragraph as a caption: nothing is lost either way.
    words = text.split()
    limit = CAPTION_MAX_WORDS if lang == "en" else CAPTION_MAX_WORDS + 4
    sentences = re.findall(r"[.!?](?:\s|$)", text)
    return len(words) <= limit and len(sentences) <= 1 and text[-1:] in ".!?"


def split_byline(paras: list[str], lang: str) -> tuple[str | None, list[str]]:
    """(author, the paragraphs before the byline). The author is None, and
    every paragraph kept, when the last paragraph is not a byline."""
    if not paras:
        return None, paras
    last = paras[-1]
    if m := BYLINE_EN.match(last):
        return m.group(1).strip(), paras[:-1]
    # A bare name only counts after a body: alone, it is the body.
    if lang == "vi" and len(paras) > 1 and is_vi_byline(last):
        return last, paras[:-1]
    return None, paras


def _caption(n: int, text: str, lang: str, marked: set[int] | None) -> bool:
    if n == 0:
        return False  # the lead
    if marked is None:
        return is_caption(text, lang)
    return n in marked and len(text.split()) <= MARKED_CAPTION_MAX_WORDS


def body_blocks(paras: list[str], lang: str, marked: set[int] | None = None) -> tuple[list[Block], str | None]:
    """(blocks, agency tag) for an article's normalized body paragraphs,
    the byline already taken off. `marked`: the indexes of the paragraphs the
    export's layout marks as captions (see layout_captions); None when the
    text has no such mark, and captions are guessed."""
    tag = None
    blocks: list[Block] = []
    for n, t in enumerate(paras):
        if n == 0 and (m := LEAD_TAG.match(t)):
            tag = m.group(1)
            blocks.append(Block("p", t[m.end():]))
        elif NOTE_MARK.match(t):
            blocks.append(Block("note", NOTE_MARK.sub("", t, count=1)))
        elif _caption(n, t, lang, marked):
            blocks.append(Block("caption", t))
        else:
            blocks.append(Block("p", t))
    return blocks, tag


# --- the export file format -------------------------------------------------------


@dataclass
class _Para:
    line: int  # 1-based line number of its first line
    text: str
    gap: int = 0  # blank lines after it


def _paragraphs(lines: list[str], start: int) -> list[_Para]:
    paras: list[_Para] = []
    buf: list[str] = []
    first = start
    for i in range(start, len(lines)):
        if lines[i].strip():
            if not buf:
                first = i
            buf.append(lines[i].strip())
            continue
        if buf:
            paras.append(_Para(first + 1, " ".join(buf)))
            buf = []
        if paras:
            paras[-1].gap += 1
    if buf:
        paras.append(_Para(first + 1, " ".join(buf)))
    return paras


def layout_captions(gaps: list[int]) -> set[int] | None:
    """The paragraphs followed by a wider gap than the file's usual one
    (its narrowest), given the blank lines after each paragraph but the
    file's last (what follows the last one marks nothing); None when every
    gap is the same, i.e. the export marks nothing."""
    if not gaps:
        return None
    usual = min(gaps)
    marked = {n for n, g in enumerate(gaps) if g > usual}
    return marked or None


def _next_line(lines: list[str], i: int) -> int:
    """Index of the first non-empty line at or after i (len(lines) if none)."""
    while i < len(lines) and not lines[i]:
        i += 1
    return i


def _headline_and_dateline(lines: list[str]) -> tuple[str, datetime, int]:
    """(headline, published, index of the dateline); InputError naming the
    line when either is missing."""
    i = _next_line(lines, 0)
    if i == len(lines):
        raise InputError("empty: no text at all")
    if _BOILERPLATE.search(lines[i]):
        i = _next_line(lines, i + 1)
    if i == len(lines):
        raise InputError(f"line {i}: no headline after the boilerplate line")
    headline_line = i
    headline = lines[i]
    if parse_dateline(headline):
        raise InputError(f"line {i + 1}: no headline: the first line is already a dateline {excerpt(headline)}")
    i = _next_line(lines, i + 1)
    if i == len(lines):
        raise InputError(f"line {headline_line + 1}: headline {excerpt(headline)} is not followed by a dateline")
    published = parse_dateline(lines[i])
    if published is None:
        raise InputError(
            f"line {i + 1}: expected a dateline such as 'August, 09 2019' or '09/08/2019', got {excerpt(lines[i])}"
        )
    return headline, published, i


def parse_portal_text(text: str, *, source: str, language: str, origin: str,
                      future: tuple[datetime, timedelta] | None = None) -> Article:
    """Parse one portal export (already decoded) into an Article.

    `language` is "en", "vi" or "auto". Raises InputError naming the line
    when the headline, the dateline or the body is missing, or when
    `future` is (now, tolerance) and the dateline lies beyond it.
    """
    lines = [normalize_text(ln) if ln.strip() else "" for ln in text.splitlines()]
    headline, published, date_line = _headline_and_dateline(lines)
    if future and (why := too_far_ahead(published, *future)):
        raise InputError(f"line {date_line + 1}: the dateline {excerpt(lines[date_line])} is {why} "
                         "(sources.max_future_hours)")
    paras = _paragraphs(lines, date_line + 1)
    if not paras:
        raise InputError(f"line {date_line + 1}: no body after the dateline")

    lang = language
    if lang == "auto":
        lang = detect_language(headline + " " + " ".join(p.text for p in paras[:5]))
    headline = normalize_text(headline, lang)

    marked = layout_captions([p.gap for p in paras[:-1]])  # the gap before a byline counts too
    author, kept = split_byline([p.text for p in paras], lang)
    paras = paras[: len(kept)]
    if not paras:
        raise InputError(f"line {date_line + 1}: no body after the dateline, only a byline")
    blocks, tag = body_blocks([normalize_text(p.text, lang) for p in paras], lang, marked)
    if not any(b.kind == "p" and b.text for b in blocks):
        raise InputError(f"line {paras[0].line}: no body paragraph, only captions or notes")

    return Article(
        source=source,
        language=lang,
        title=headline,
        published=published,
        blocks=blocks,
        author=normalize_text(author, lang) if author else None,
        tag=tag,
        origin=origin,
    )
