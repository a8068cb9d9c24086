"""Administrative units below the province, from glossary/units.tsv (generated
by glossary/tools/gen_units.py; both eras, each unit with its type word).

Two slots use them in patterns, and a unit also matches on its own:
- {unit}: a unit with its type word. Vietnamese "huyện Kỳ Sơn", "quận Ninh
  Kiều", "thị trấn Lao Bảo"; English "Ky Son District", "Ninh Kieu District",
  "Lao Bao Township". Vietnamese -> English takes the English type word from
  the Vietnamese one; English -> Vietnamese takes quận or huyện (District),
  thị xã (Town), thành phố (City) ... from the unit found in the data.
- {name}: a bare proper name ("Đồn Biên phòng Na Ngoi" <-> "Na Ngoi Border
  Guard Station"), spelled back with its diacritics from the data.

An English name that several units share is resolved by the provinces the
article names; when that does not settle it the name is kept as written and
the sentence flagged for review, never guessed. A name the data lacks is
written without diacritics (Vietnamese -> English) or kept as written
(English -> Vietnamese), and listed as a candidate either way.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..text.vietnamese import fold

FILE = "units.tsv"
VI_TO_EN = {"quận": "District", "huyện": "District", "thị xã": "Town", "thành phố": "City",
            "phường": "Ward", "xã": "Commune", "thị trấn": "Township", "đặc khu": "Special Zone"}
EN_TO_VI: dict[str, tuple[str, ...]] = {}
for _vi, _en in VI_TO_EN.items():
    EN_TO_VI[_en] = EN_TO_VI.get(_en, ()) + (_vi,)
# Written before a name, they are never part of it.
_EN_STOP = frozenset("""The A An In Of At On For And To From By With Through Near Into Across Along Both
    Its Their His Her Our Every Each This That These Those Former New Old""".split())

_UPPER = "".join(sorted({c for c in map(chr, range(0x41, 0x1F00)) if c.isalpha() and c.isupper()}))
_VW = rf"[{re.escape(_UPPER)}][\w'’]*"
# A person's name often follows a unit ("Trưởng Công an huyện Mộc Châu
# Nguyễn Văn An"): a family name that opens capitalized words ends the unit.
_FAMILY = "Nguyễn|Trần|Lê|Phạm|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Hồ|Ngô|Lý|Đinh|Trương|Đào|Đoàn|Lò|Lường|Giàng|Thào"
VI_NAME = rf"{_VW}(?: (?!(?:{_FAMILY}) [{re.escape(_UPPER)}])(?:{_VW}|\d+))" + "{0,3}"
_EW = r"[A-Z][A-Za-z'’]*"
EN_NAME = rf"{_EW}(?: (?:{_EW}|\d+))" + "{0,3}"
_VI_TYPE = "(?i:" + "|".join(sorted(map(re.escape, VI_TO_EN), key=len, reverse=True)) + r"|TP\.?)"
VI_UNIT = rf"{_VI_TYPE} {VI_NAME}"
EN_UNIT = rf"{EN_NAME} (?:{'|'.join(sorted(EN_TO_VI, key=len, reverse=True))})"
_VI_UNIT_RX = re.compile(rf"({_VI_TYPE}) ({VI_NAME})")
_EN_UNIT_RX = re.compile(rf"({EN_NAME}) ({'|'.join(sorted(EN_TO_VI, key=len, reverse=True))})")


@dataclass(frozen=True)
class Unit:
    level: str  # province | district | commune
    type: str  # the Vietnamese type word: huyện, xã, ...
    name: str
    province: str
    era: str  # before | since | both (1 July 2025)
    line: int = 0


@dataclass
class Found:
    """What a {unit} or {name} slot resolved to."""
    en: str
    vi: str
    known: bool = True  # in the data
    ambiguous: tuple[str, ...] = ()  # the units it could be, when unresolved
    unit: Unit | None = None


@dataclass
class Units:
    path: Path | None = None
    units: list[Unit] = field(default_factory=list)

    def __post_init__(self):
        self.by_en: dict[tuple[str, str], list[Unit]] = {}
        self.by_fold: dict[str, list[Unit]] = {}
        self.vi_known: set[tuple[str, str]] = set()
        self.provinces: dict[str, Unit] = {}
        for u in self.units:
            k = fold(u.name).casefold()
            self.by_fold.setdefault(k, []).append(u)
            if u.level == "province":
                self.provinces[u.name] = u
                continue
            self.by_en.setdefault((k, VI_TO_EN[u.type]), []).append(u)
            self.vi_known.add((u.type, u.name))
        self.folded_provinces = {fold(n).casefold(): n for n in self.provinces}

    def __bool__(self) -> bool:
        return bool(self.units)

    def is_city(self, vi_name: str) -> bool:
        """A centrally-run city (Hà Nội, Hải Phòng, Cần Thơ ...), in either era."""
        u = self.provinces.get(vi_name)
        return u is not None and u.type == "thành phố"

    # --- provinces an article names, for telling units apart ----------------

    def provinces_in(self, text: str, src: str) -> frozenset[str]:
        if src == "vi":
            return frozenset(n for n in self.provinces if n in text)
        folded = fold(text).casefold()
        return frozenset(n for k, n in self.folded_provinces.items() if k in folded)

    # --- the slots ------------------------------------------------------------

    def unit(self, text: str, src: str, context: frozenset[str]) -> Found | None:
        """A {unit} as the slot regex matched it (type word and name)."""
        if src == "vi":
            m = _VI_UNIT_RX.fullmatch(text)
            if not m:
                return None
            t, name = m.group(1).lower(), m.group(2)
            t = "thành phố" if t.startswith("tp") else t
            if name in self.provinces:
                return None  # a province or centrally-run city: the places entries say how
            return Found(f"{fold(name)} {VI_TO_EN[t]}", f"{t} {name}", (t, name) in self.vi_known)
        m = _EN_UNIT_RX.fullmatch(text)
        if not m:
            return None
        name, en_type = m.group(1), m.group(2)
        words = name.split(" ")
        if words[0] in _EN_STOP or "'" in words[0] or "’" in words[0]:
            return None
        key = name.casefold()
        if key in self.folded_provinces and en_type in ("City", "Town"):
            return None
        cands = self.by_en.get((key, en_type), [])
        if not cands and any((" ".join(words[i:]).casefold(), en_type) in self.by_en for i in range(1, len(words))):
            return None  # "Hanoi's Thanh Xuan District": the unit starts later
        return self._pick(cands, name, en_type, context, lambda u: f"{u.type} {u.name}")

    def name(self, text: str, src: str, context: frozenset[str]) -> Found | None:
        """A bare {name}: a unit's or a province's name without its type."""
        if src == "vi":
            return Found(fold(text), text, text in self.provinces or fold(text).casefold() in self.by_fold)
        if text.split(" ")[0] in _EN_STOP:
            return None
        cands = self.by_fold.get(text.casefold(), [])
        # A bare name in a body's name is most often a district's (Huyện ủy,
        # the district police) or a province's; communes share names far more.
        high = [u for u in cands if u.level != "commune"]
        if high and len({u.name for u in high}) == 1 and not any(
                u.province in context for u in cands if u.level == "commune" and u.name != high[0].name):
            cands = high
        return self._pick(cands, text, "", context, lambda u: u.name)

    def _pick(self, cands: list[Unit], name: str, en_type: str, context: frozenset[str], vi) -> Found:
        en = f"{name} {en_type}".strip()
        if not cands:
            return Found(en, en, known=False)
        forms = {vi(u) for u in cands}
        if len(forms) > 1:
            near = {vi(u) for u in cands if u.province in context or (u.level == "province" and u.name in context)}
            forms = near or forms
        if len(forms) == 1:
            form = forms.pop()
            return Found(en, form, unit=next(u for u in cands if vi(u) == form))
        where = sorted({f"{vi(u)} ({u.province or 'province'})" for u in cands})
        return Found(en, en, known=True, ambiguous=tuple(where))


_EMPTY = Units()


def load_units(directory: Path) -> tuple[Units, list[str]]:
    """glossary/units.tsv, or no units when the folder has none."""
    path = Path(directory) / FILE
    if not path.is_file():
        return _EMPTY, []
    units, errors = [], []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 5 or cols[0] not in ("province", "district", "commune") or (
                cols[0] != "province" and cols[1] not in VI_TO_EN):
            errors.append(f"{FILE}:{n}: expected level, type, name, province, era separated by tabs")
            continue
        units.append(Unit(*cols, line=n))
    return Units(path, units), errors
