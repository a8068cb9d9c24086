"""Glossary files: one TOML file per category under the glossary folder.

    # comments are free
    category = "ranks"        # optional; the file name's stem otherwise
    case = "ignore"           # optional file default: "ignore" or "exact"

    [[term]]
    en = "Major General"
    vi = "Thiếu tướng"
    en_variants = ["Maj. Gen."]
    vi_variants = []
    case = "ignore"           # how the source side is matched
    direction = "both"        # "both", "en-vi" or "vi-en"
    standalone = true         # false: English only in a pattern or before a name
    note = "Police and army rank"

TOML gives comments and clean diffs; tomllib does not report where a table
starts, so a small line scanner maps each [[term]] (and each key in it) to
its line, and every error reads "file:line: message".
"""
from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..text.vietnamese import normalize

LANGS = ("en", "vi")
CASES = ("ignore", "exact")
DIRECTIONS = ("both", "en-vi", "vi-en")
TERM_KEYS = ("en", "vi", "en_variants", "vi_variants", "case", "direction", "standalone", "note", "source")
FILE_KEYS = ("category", "case", "term")
# Slot name -> the category whose entries fill it.
SLOTS = {
    "place": "places",
    "rank": "ranks",
    "person": "people",
    "title": "titles",
    "organization": "organizations",
    # Open classes read from glossary/units.tsv (syndicate/glossary/units.py),
    # not from entries: a unit with its type word, and a bare proper name.
    "unit": "units",
    "name": "names",
}
OPEN_SLOTS = ("units", "names")
SLOT_RE = re.compile(r"\{([a-z_]+)\}")
# Where an entry lacks a case rule: names and places are proper nouns matched
# as written; everything else is matched whatever its case.
DEFAULT_CASE = {"people": "exact", "places": "exact"}


class GlossaryError(Exception):
    """The glossary cannot be used; .errors holds every "file:line: message"."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("glossary has errors:\n" + "\n".join(errors))


@dataclass
class Entry:
    file: Path
    line: int
    category: str
    en: str
    vi: str
    en_variants: tuple[str, ...] = ()
    vi_variants: tuple[str, ...] = ()
    case: str = "ignore"
    direction: str = "both"
    # False: in English source text, matched only inside a pattern or right
    # before a person's name. For one-word ranks that are also ordinary
    # English words ("Major efforts ..."); Vietnamese forms always match.
    standalone: bool = True
    note: str = ""
    key_lines: dict[str, int] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)  # as written, before normalization

    @property
    def where(self) -> str:
        return f"{self.file.name}:{self.line}"

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi

    def forms(self, lang: str) -> tuple[str, ...]:
        """Canonical form first, then variants."""
        return (self.text(lang), *(self.en_variants if lang == "en" else self.vi_variants))

    def works(self, src: str, tgt: str) -> bool:
        return self.direction == "both" or self.direction == f"{src}-{tgt}"

    @property
    def slots(self) -> list[str]:
        return SLOT_RE.findall(self.en)

    @property
    def is_pattern(self) -> bool:
        return bool(self.slots)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


@dataclass
class FileInfo:
    path: Path
    category: str
    text: str


@dataclass
class Parsed:
    entries: list[Entry]
    files: list[FileInfo]
    errors: list[str]


_HEADER = re.compile(r"^\s*\[\[\s*term\s*\]\]\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")


def scan_lines(text: str) -> list[tuple[int, dict[str, int]]]:
    """Line of each [[term]] header and of each key under it, in file order."""
    out: list[tuple[int, dict[str, int]]] = []
    for n, line in enumerate(text.splitlines(), 1):
        if _HEADER.match(line):
            out.append((n, {}))
        elif out:
            m = _KEY.match(line)
            if m:
                out[-1][1].setdefault(m.group(1), n)
    return out


def glossary_files(directory: Path) -> list[Path]:
    return sorted(p for p in Path(directory).glob("*.toml") if p.is_file())


def parse_file(path: Path, text: str | None = None) -> tuple[list[Entry], FileInfo | None, list[str]]:
    errors: list[str] = []
    name = path.name
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as e:
            return [], None, [f"{name}:1: not UTF-8 ({e.reason} at byte {e.start})"]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        return [], None, [f"{name}:{m.group(1) if m else 1}: TOML syntax error: {e}"]
    for key in data:
        if key not in FILE_KEYS:
            errors.append(f"{name}:1: unknown top-level key {key!r} (known: {', '.join(FILE_KEYS)})")
    category = data.get("category", path.stem)
    if not isinstance(category, str) or not category:
        errors.append(f"{name}:1: category must be a non-empty string")
        category = path.stem
    file_case = data.get("case", DEFAULT_CASE.get(category, "ignore"))
    if file_case not in CASES:
        errors.append(f"{name}:1: case must be one of {', '.join(CASES)} (got {file_case!r})")
        file_case = "ignore"
    terms = data.get("term", [])
    if not isinstance(terms, list):
        return [], None, errors + [f"{name}:1: 'term' must be written as [[term]] tables"]
    lines = scan_lines(text)
    if len(lines) != len(terms):  # e.g. `term = [...]` inline: lines are then unknown
        lines = [(1, {})] * len(terms)
    entries: list[Entry] = []
    for raw, (line, key_lines) in zip(terms, lines):
        e, errs = _entry(path, category, file_case, raw, line, key_lines)
        errors.extend(errs)
        if e is not None:
            entries.append(e)
    return entries, FileInfo(path, category, text), errors


def _entry(path, category, file_case, raw, line, key_lines) -> tuple[Entry | None, list[str]]:
    name = path.name
    errs: list[str] = []

    def at(key: str) -> str:
        return f"{name}:{key_lines.get(key, line)}"

    if not isinstance(raw, dict):
        return None, [f"{name}:{line}: [[term]] must be a table"]
    for key in raw:
        if key not in TERM_KEYS:
            errs.append(f"{at(key)}: unknown key {key!r} (known: {', '.join(TERM_KEYS)})")
    vals = _forms(raw, at, name, line, errs)
    case = raw.get("case", file_case)
    if case not in CASES:
        errs.append(f"{at('case')}: case must be one of {', '.join(CASES)} (got {case!r})")
    direction = raw.get("direction", "both")
    if direction not in DIRECTIONS:
        errs.append(f"{at('direction')}: direction must be one of {', '.join(DIRECTIONS)} (got {direction!r})")
    standalone = raw.get("standalone", True)
    if not isinstance(standalone, bool):
        errs.append(f"{at('standalone')}: standalone must be true or false")
        standalone = True
    note = raw.get("note", raw.get("source", ""))
    if not isinstance(note, str):
        errs.append(f"{at('note')}: note must be a string")
        note = ""
    if "en" in vals and "vi" in vals:
        errs.extend(_slot_errors(vals, at))
    if errs:
        return None, errs
    e = Entry(
        file=path,
        line=line,
        category=category,
        en=" ".join(vals["en"].split()),
        vi=normalize(" ".join(vals["vi"].split())),
        en_variants=tuple(" ".join(x.split()) for x in vals["en_variants"]),
        vi_variants=tuple(normalize(" ".join(x.split())) for x in vals["vi_variants"]),
        case=case,
        direction=direction,
        standalone=standalone,
        note=note,
        key_lines=dict(key_lines),
        raw=dict(raw),
    )
    return e, []


def _forms(raw: dict, at, name: str, line: int, errs: list[str]) -> dict[str, Any]:
    """{"en": ..., "vi": ..., "en_variants": [...], "vi_variants": [...]} as
    far as they are valid; each problem is appended to errs."""
    vals: dict[str, Any] = {}
    for lang in LANGS:
        v = raw.get(lang)
        if v is None:
            errs.append(f"{name}:{line}: missing {lang!r}")
        elif not isinstance(v, str):
            errs.append(f"{at(lang)}: {lang} must be a string")
        elif not v.strip():
            errs.append(f"{at(lang)}: {lang} is empty")
        else:
            vals[lang] = v
        key = f"{lang}_variants"
        vs = raw.get(key, [])
        if not isinstance(vs, list) or not all(isinstance(x, str) for x in vs):
            errs.append(f"{at(key)}: {key} must be a list of strings")
            vs = []
        elif any(not x.strip() for x in vs):
            errs.append(f"{at(key)}: {key} has an empty string")
        vals[key] = [x for x in vs if isinstance(x, str) and x.strip()]
    return vals


def _slot_errors(vals: dict[str, Any], at) -> list[str]:
    """Every form of an entry carries the same slots, so any source form
    can be rebuilt in the target language."""
    errs: list[str] = []
    want = sorted(SLOT_RE.findall(vals["en"]))
    for lang in LANGS:
        for form in [vals[lang], *vals[f"{lang}_variants"]]:
            got = sorted(SLOT_RE.findall(form))
            for s in got:
                if s not in SLOTS:
                    errs.append(f"{at(lang)}: unknown slot {{{s}}} in {form!r} (known: {', '.join(SLOTS)})")
            if got != want:
                errs.append(f"{at(lang)}: {form!r} has slots {got}, but en {vals['en']!r} has {want}")
            if len(set(got)) != len(got):
                errs.append(f"{at(lang)}: {form!r} repeats a slot")
    return errs


def parse_dir(directory: Path) -> Parsed:
    directory = Path(directory)
    if not directory.is_dir():
        return Parsed([], [], [f"{directory}: glossary folder not found"])
    entries: list[Entry] = []
    files: list[FileInfo] = []
    errors: list[str] = []
    for p in glossary_files(directory):
        es, info, errs = parse_file(p)
        entries.extend(es)
        errors.extend(errs)
        if info:
            files.append(info)
    return Parsed(entries, files, errors)


def content_version(entries: list[Entry]) -> str:
    """Hash of what matching and output depend on. Any change to a form, a
    case rule, a direction or a category gives a new version (and so a new
    translation-memory key); comments and notes do not, since they change
    no translation."""
    h = hashlib.sha256()
    for e in sorted(entries, key=lambda e: (e.category, e.en, e.vi)):
        h.update(repr((e.category, e.en, e.vi, e.en_variants, e.vi_variants, e.case, e.direction,
                       e.standalone)).encode())
    return "g-" + h.hexdigest()[:12]
