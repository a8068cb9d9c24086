"""Editing glossary files in place, keeping everything else byte for byte:
comments, order and layout stay, so `git diff` shows just the change."""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from . import rules
from .fileformat import CASES, DIRECTIONS, GlossaryError, Entry, parse_dir, scan_lines
from .units import load_units
from ..text.vietnamese import normalize


def toml_str(s: str) -> str:
    out = s.replace("\\", "\\\\").replace('"', '\\"')
    out = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04x}", out)
    return f'"{out}"'


def entry_block(en: str, vi: str, *, en_variants=(), vi_variants=(), case: str | None = None,
                direction: str = "both", note: str = "", standalone: bool = True) -> str:
    lines = ["[[term]]", f"en = {toml_str(en)}", f"vi = {toml_str(normalize(vi))}"]
    if en_variants:
        lines.append("en_variants = [" + ", ".join(toml_str(x) for x in en_variants) + "]")
    if vi_variants:
        lines.append("vi_variants = [" + ", ".join(toml_str(normalize(x)) for x in vi_variants) + "]")
    if case:
        if case not in CASES:
            raise ValueError(f"case must be one of {', '.join(CASES)}")
        lines.append(f"case = {toml_str(case)}")
    if direction != "both":
        if direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}")
        lines.append(f"direction = {toml_str(direction)}")
    if not standalone:
        lines.append("standalone = false")
    if note:
        lines.append(f"note = {toml_str(note)}")
    return "\n".join(lines) + "\n"


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, path)


GENERATED_MARK = "# GENERATED"


def is_generated(text: str) -> bool:
    """A file a script writes (places.toml): hand edits there are lost the
    next time it is generated."""
    return text.startswith(GENERATED_MARK)


def _category_file(directory: Path, category: str) -> Path:
    """The file holding a category: one that declares it, else <category>.toml.
    Never a generated file: an entry added there would vanish on the next
    generation, so it goes to <category>_local.toml instead."""
    parsed = parse_dir(directory)
    files = [f for f in parsed.files if not is_generated(f.text)]
    for f in files:
        if f.category == category and f.path.stem == category:
            return f.path
    for f in files:
        if f.category == category:
            return f.path
    path = directory / f"{category}.toml"
    if path.exists():  # generated
        return directory / f"{category}_local.toml"
    return path


def folder_errors(directory: Path) -> list[str]:
    """What stops the folder from loading: parse errors, else the problems
    that change translations (rules.py)."""
    parsed = parse_dir(directory)
    units, unit_errors = load_units(directory)
    return parsed.errors + unit_errors or rules.errors(parsed.entries, units)


def _without_line(error: str) -> str:
    file, _, rest = error.partition(":")
    return file + ":" + rest.partition(":")[2]


def apply_edits(directory: Path, changes: dict[Path, str]) -> None:
    """Write new file texts, but only if the edit adds no error (an edit may
    remove one, in a folder that has some); otherwise leave every file as
    it was and raise GlossaryError."""
    old = {p: (p.read_text(encoding="utf-8") if p.exists() else None) for p in changes}
    before = {_without_line(x) for x in folder_errors(directory)}
    try:
        for p, text in changes.items():
            _write_atomic(p, text)
        errors = [x for x in folder_errors(directory) if _without_line(x) not in before]
        if errors:
            raise GlossaryError(errors)
    except BaseException:
        for p, text in old.items():
            if text is None:
                p.unlink(missing_ok=True)
            else:
                _write_atomic(p, text)
        raise


def add_blocks(directory: Path, category: str, blocks: list[str]) -> Path:
    if not re.fullmatch(r"[A-Za-z0-9_-]+", category):
        # it becomes a file name in the folder: never a path out of it
        raise GlossaryError([f"category {category!r}: use letters, digits, '-' and '_' (it names the file)"])
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = _category_file(directory, category)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if not text:
        text = f"# {category}\n"
        if path.stem != category:
            text += f"category = {toml_str(category)}\n"
    if not text.endswith("\n"):
        text += "\n"
    text += "".join("\n" + b for b in blocks)
    apply_edits(directory, {path: text})
    return path


def block_span(text: str, header_line: int) -> tuple[int, int]:
    """Lines [start, end) of the [[term]] block at header_line (1-based):
    the header and its keys, not the comments and blank lines after them."""
    lines = text.splitlines(keepends=True)
    headers = [n for n, _ in scan_lines(text)]
    nxt = next((h for h in headers if h > header_line), len(lines) + 1)
    end = nxt - 1  # 1-based last line of this block, before the next header
    # Comments after the block stay: they introduce the next entry, or after
    # the last entry they are the file's own ("# more to come").
    while end > header_line and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return header_line - 1, end


def remove_entries(directory: Path, entries: list[Entry]) -> None:
    by_file: dict[Path, list[Entry]] = {}
    for e in entries:
        by_file.setdefault(e.file, []).append(e)
    changes = {}
    for path, es in by_file.items():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines(keepends=True)
        for e in sorted(es, key=lambda e: -e.line):
            a, b = block_span(text, e.line)
            # also drop one blank line before the block so gaps do not pile up
            if a > 0 and not lines[a - 1].strip():
                a -= 1
            del lines[a:b]
            if a == 0:
                while lines and not lines[0].strip():
                    del lines[0]
            text = "".join(lines)
        changes[path] = text
    apply_edits(Path(directory), changes)
