"""The edit file: a translation as plain text, one sentence per line under
its source, like a `git commit` message (lines starting with "#" are
notes to the editor and are ignored):

    #> [headline] Minister works with Quang Ninh Provincial Police Department
    Bộ trưởng làm việc với Công an tỉnh Quảng Ninh

    #> [1.1] MPS - General To Lam worked with the department on August 9.
    Bộ Công an - Đại tướng Tô Lâm làm việc với ...

The file must come back with the same "#>" lines in the same order and one
translation line under each; every line NFC, without the invisible and
control characters ingested text loses (text/hygiene.py), and Vietnamese
with the project's tone marks (hòa, khỏe, thủy). A mistake is an EditError naming
its line; nothing is applied until the whole file is right.
"""
from __future__ import annotations

import unicodedata
from typing import Any

from ..text.hygiene import strip_invisible
from ..text.vietnamese import has_old_style, tone_convention

SOURCE_MARK = "#>"
HEADER = """\
# syndicate review edit: {article_id} ({src} -> {tgt})
# Correct the line under each "#>" source line: one sentence per line.
# Keep the "#>" lines as they are; lines starting with "#" are ignored.
# Save and quit to approve the edited translation; an empty file cancels.
"""


class EditError(Exception):
    """A mistake in an edit file, at a line (0: the file as a whole)."""

    def __init__(self, name: str, line: int, message: str):
        self.name, self.line, self.message = name, line, message
        super().__init__(f"{name}:{line}: {message}" if line else f"{name}: {message}")


def label(segments: list[dict[str, Any]], i: int) -> str:
    """[headline], or [paragraph.sentence] counted from 1."""
    seg = segments[i]
    if seg["block"] == -1:
        return "[headline]"
    n = sum(1 for s in segments[:i] if s["block"] == seg["block"]) + 1
    return f"[{seg['block'] + 1}.{n}]"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_edit(article_id: str, src: str, tgt: str, segments: list[dict[str, Any]]) -> str:
    out = [HEADER.format(article_id=article_id, src=src, tgt=tgt)]
    for i, seg in enumerate(segments):
        out.append(f"{SOURCE_MARK} {label(segments, i)} {_one_line(seg['source'])}\n{_one_line(seg['target'])}\n")
    return "\n".join(out)


def _check_line(name: str, n: int, text: str, tgt: str) -> None:
    kept = strip_invisible(text)
    if kept != text:
        # Refused, not cleaned: the editor cannot see them, so says the line.
        hidden = list(dict.fromkeys(c for c in text if c not in kept))
        codes = ", ".join(f"U+{ord(c):04X}" for c in hidden[:5])
        raise EditError(name, n, f"invisible or control characters {codes}: they can hide or reverse text "
                                 "(pasted from another program?); delete them")
    if unicodedata.normalize("NFC", text) != text:
        raise EditError(name, n, "not in Unicode NFC (composed) form; save the file as NFC text")
    if tgt == "vi" and has_old_style(text):
        words = [w for w in text.split() if has_old_style(w)]
        fixed = ", ".join(f"{w!r} -> {tone_convention(w)!r}" for w in words[:3])
        raise EditError(name, n, f"tone marks in the old style: {fixed} (the project writes hòa, khỏe, thủy)")


def parse_edit(text: str, segments: list[dict[str, Any]], tgt: str, name: str = "edit") -> list[str] | None:
    """The translation lines, one per segment, or None when the file holds
    no translation at all (the editor cancelled)."""
    expected = [f"{SOURCE_MARK} {label(segments, i)} {_one_line(s['source'])}" for i, s in enumerate(segments)]
    found: list[str | None] = []
    at: list[int] = []  # the line of each "#>"
    anything = False
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r\n")
        if line.startswith(SOURCE_MARK):
            k = len(found)
            if k >= len(expected) or line.rstrip() != expected[k]:
                want = expected[k] if k < len(expected) else "no more source lines"
                raise EditError(name, n, f"source line changed, added or moved; expected: {want}")
            found.append(None)
            at.append(n)
        elif line.startswith("#") or not line.strip():
            continue
        elif not found:
            raise EditError(name, n, "text before the first \"#>\" source line")
        elif found[-1] is not None:
            raise EditError(name, n, f"a second line under {label(segments, len(found) - 1)}; "
                                     "keep one sentence per line")
        else:
            _check_line(name, n, line.strip(), tgt)
            found[-1] = line.strip()
            anything = True
    if not anything:
        return None
    if len(found) < len(expected):
        raise EditError(name, (at[-1] if at else 0), f"{len(expected) - len(found)} source line(s) missing after "
                        f"this one; expected next: {expected[len(found)]}")
    for k, value in enumerate(found):
        if value is None:
            raise EditError(name, at[k], f"no translation under {label(segments, k)}")
    return [v for v in found if v is not None]
