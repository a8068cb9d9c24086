"""Helpers for the glossary tests (tests/support is on sys.path)."""
from __future__ import annotations

import textwrap
from pathlib import Path


def write(d: Path, name: str, text: str) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    p = d / name
    p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return p


SMALL = {
    "places.toml": '''
        category = "places"
        case = "exact"

        [[term]]
        en = "Quang Ninh"
        vi = "Quảng Ninh"

        [[term]]
        en = "Son La"
        vi = "Sơn La"
        ''',
    "organizations.toml": '''
        case = "ignore"

        [[term]]
        en = "{place} Provincial Police Department"
        vi = "Công an tỉnh {place}"
        en_variants = ["Provincial Police of {place}"]

        [[term]]
        en = "Provincial Police Department"
        vi = "Công an tỉnh"

        [[term]]
        en = "Ministry of Public Security"
        vi = "Bộ Công an"
        ''',
    "titles.toml": '''
        [[term]]
        en = "Minister of Public Security"
        vi = "Bộ trưởng Bộ Công an"

        [[term]]
        en = "Deputy Minister of Public Security"
        vi = "Thứ trưởng Bộ Công an"

        [[term]]
        en = "{rank} {person}"
        vi = "{rank} {person}"
        ''',
    "ranks.toml": '''
        [[term]]
        en = "General"
        vi = "Đại tướng"
        case = "exact"

        [[term]]
        en = "Colonel"
        vi = "Đại tá"
        case = "exact"
        ''',
    "people.toml": '''
        # MPS leadership
        [[term]]
        en = "To Lam"
        vi = "Tô Lâm"
        ''',
    "phrases.toml": '''
        [[term]]
        en = "black credit"
        vi = "tín dụng đen"
        ''',
}
