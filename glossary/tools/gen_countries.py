#!/usr/bin/env python3
"""Generate glossary/countries.toml: the world's countries and territories,
English <-> Vietnamese, from maintained datasets.

Sources (both pinned in pyproject.toml's test extra; versions written into
the output):
- `pycountry`: the ISO 3166-1 list (Debian's iso-codes), which says what a
  country is, and the English official and common names ("Lao People's
  Democratic Republic", "People's Republic of China") as variants writers
  use;
- `babel`: CLDR's territory names in English and Vietnamese, the canonical
  forms. CLDR is what operating systems and browsers show and is reviewed
  by native speakers; iso-codes' own Vietnamese (last revised in 2013)
  writes forms Vietnamese official media do not use ("Căm Bốt", "Nam Hàn",
  "Ba Tư"), so it is not used.
Neither dataset marks capitals, so capitals are in places_local.toml, by
hand, with where each form was checked.

Rules, each for a reason:
- A hand-written entry wins: a country whose English or Vietnamese form
  any other glossary file already has is left out (places_local.toml
  writes Laos, China, Russia ... with their notes), and so is a variant
  another file has.
- A Vietnamese name of one syllable (Đức, Pháp, Bỉ, Séc) is also a given
  name or an ordinary word ("ông Đức", "pháp luật"): it is written English
  -> Vietnamese only (direction "en-vi").
- An English name that is also something else in English news (Georgia,
  a US state; Jersey, in New Jersey; Chad, a given name) is read only from
  Vietnamese (direction "vi-en").
- "Myanmar (Burma)": the part in brackets becomes a variant.
- English keeps CLDR's diacritics ("Côte d’Ivoire", "Türkiye") and reads
  the same name typed without them as a variant.
- Vietnamese goes through syndicate.text.vietnamese.normalize (NFC, the
  project's tone marks: Thụy Sĩ).

    python glossary/tools/gen_countries.py            # rewrite glossary/countries.toml
    python glossary/tools/gen_countries.py --check    # exit 1 if it is stale
"""
from __future__ import annotations

import importlib.metadata
import re
import sys
from pathlib import Path

import generated  # noqa: E402  (glossary/tools/generated.py: the shared --check/write command line)

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from syndicate.glossary.edit import entry_block  # noqa: E402
from syndicate.glossary.fileformat import parse_file  # noqa: E402
from syndicate.text.vietnamese import fold, normalize  # noqa: E402

OUT = ROOT / "glossary" / "countries.toml"
# One Vietnamese syllable, as spelled without marks: onset, vowels, coda.
SYLLABLE = re.compile(r"(ngh|ng|gh|gi|kh|ph|th|tr|ch|nh|qu|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?")
EN_ELSEWHERE = {"GE": "Georgia is also a US state", "JE": "Jersey is also part of New Jersey",
                "TD": "Chad is also a given name"}


def _taken() -> set[str]:
    """Every form the other glossary files have, folded."""
    out: set[str] = set()
    for p in sorted((ROOT / "glossary").glob("*.toml")):
        if p.resolve() == OUT.resolve():
            continue
        for e in parse_file(p)[0]:
            for lang in ("en", "vi"):
                out.update(_k(f) for f in e.forms(lang))
    return out


def _k(form: str) -> str:
    return fold(form).casefold().replace("’", "'")


def _ascii(form: str) -> str:
    return fold(form).replace("’", "'")


def _split(name: str) -> tuple[str, list[str]]:
    """"Myanmar (Burma)" -> ("Myanmar", ["Burma"])."""
    m = re.fullmatch(r"(.+?) \((.+)\)", name)
    return (m.group(1), [m.group(2)]) if m else (name, [])


def _english_variants(country, canonical: str) -> list[str]:
    names = [getattr(country, a, None) for a in ("name", "common_name", "official_name")]
    # "Korea, Republic of" is an index form, never written in a sentence.
    return [n for n in dict.fromkeys(names) if n and n != canonical and "," not in n]


def entries() -> list[tuple[str, str]]:
    """(ISO code, [[term]] block), in code order."""
    import pycountry  # deferred: the generator's own dependencies, not the service's
    from babel import Locale  # deferred: as above

    en_names, vi_names = Locale("en").territories, Locale("vi").territories
    taken = _taken()
    out = []
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code = c.alpha_2
        if code not in en_names or code not in vi_names:
            continue
        en, en_more = _split(en_names[code])
        vi, vi_more = _split(normalize(vi_names[code]))
        if _k(en) in taken or _k(vi) in taken:
            continue
        en_variants = [v for v in dict.fromkeys(en_more + _english_variants(c, en)) if _k(v) not in taken]
        # Writers type "Cote d'Ivoire" as often as "Côte d’Ivoire".
        en_variants = [v for v in dict.fromkeys(en_variants + [_ascii(v) for v in [en, *en_variants]]) if v != en]
        vi_variants = [v for v in vi_more if _k(v) not in taken and v != vi]
        direction, why = "both", ""
        if SYLLABLE.fullmatch(fold(vi).casefold()) and fold(vi) != vi:
            direction, why = "en-vi", "one syllable in Vietnamese, also a given name or an ordinary word"
            vi_variants = []
        if code in EN_ELSEWHERE:
            direction, why = "vi-en", EN_ELSEWHERE[code]
            en_variants = []
        note = f"ISO 3166-1 {code}" + (f"; {direction} only: {why}" if why else "")
        out.append((code, entry_block(en, vi, en_variants=en_variants, vi_variants=vi_variants,
                                      direction=direction, note=note)))
    return out


def generate() -> str:
    head = [
        f"# GENERATED by glossary/tools/gen_countries.py from PyPI babel {importlib.metadata.version('babel')} "
        f"(CLDR) and pycountry {importlib.metadata.version('pycountry')} (ISO 3166-1) - do not edit.",
        "# Fixes go in places_local.toml: a country written there is left out here.",
        'category = "places"',
        'case = "exact"',
    ]
    return "\n".join(head) + "\n" + "".join("\n" + block for _, block in entries())


def main() -> int:
    return generated.main(__doc__, generate, OUT, lambda text: f"{text.count('[[term]]')} countries and territories")


if __name__ == "__main__":
    sys.exit(main())
