"""The evaluation set (tests/glossary/eval) is what make glossary-report
scores the glossary on: each listed term must be where the list says, or the
figure measures a typo instead of the glossary."""
from __future__ import annotations

import tomllib
from pathlib import Path

from syndicate.text.portal import parse_portal_text
from syndicate.text.vietnamese import normalize

EVAL = Path(__file__).parent / "eval"
CATEGORIES = {"ranks", "titles", "people", "organizations", "places-province", "places-district",
              "places-commune", "places-other", "foreign", "phrases"}


def _text(path: Path, lang: str) -> str:
    a = parse_portal_text(path.read_text(encoding="utf-8"), source="eval", language=lang, origin=str(path))
    return normalize("\n".join([a.title, *(b.text for b in a.blocks)])).casefold()


def test_every_listed_term_is_in_its_article_and_its_reference():
    spec = tomllib.loads((EVAL / "terms.toml").read_text(encoding="utf-8"))
    per_direction = {"e": 0, "v": 0}
    wrong = []
    for aid, entry in spec.items():
        src, tgt = ("en", "vi") if aid[0] == "e" else ("vi", "en")
        source, reference = _text(EVAL / f"{aid}_{src}.txt", src), _text(EVAL / f"{aid}_{tgt}.txt", tgt)
        per_direction[aid[0]] += 1
        for cat, s, t in entry["terms"]:
            targets = [t] if isinstance(t, str) else t
            if cat not in CATEGORIES:
                wrong.append(f"{aid}: unknown category {cat!r}")
            if normalize(s).casefold() not in source:
                wrong.append(f"{aid}: {s!r} is not in {aid}_{src}.txt")
            if not any(normalize(x).casefold() in reference for x in targets):
                wrong.append(f"{aid}: {t!r} is not in {aid}_{tgt}.txt")
        for name in entry.get("unknown", []):
            if name.casefold() not in source:
                wrong.append(f"{aid}: unknown name {name!r} is not in {aid}_{src}.txt")
    assert wrong == []
    assert per_direction["e"] >= 10 and per_direction["v"] >= 10
