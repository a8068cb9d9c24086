#!/usr/bin/env python3
"""Glossary term-accuracy report (WMT terminology-task style).

Runs the bilingual fixture articles in tests/glossary/testdata through the
real translation seam (translate_jobs -> glossary protect -> CTranslate2 +
SentencePiece -> glossary restore), in both directions, with a copy model
built here from tests/support/copy_model.py. The copy model translates
nothing, so the figure measures the glossary and its enforcement alone:
did every required target form reach the output?

Columns:
  terms       source-term occurrences the glossary requires
  accuracy    share whose required target form is in the output
  no-glossary the same with the glossary switched off (the model alone)
  reference   share whose target form is in the human reference translation
              (how well the glossary agrees with the fixture translations)
  review      sentences flagged for review (lost/duplicated placeholders)

It also compares placeholder forms through the same SentencePiece model and
CTranslate2 copy.

    make glossary-report
    python bench/glossary_report.py [--glossary DIR] [--show-misses]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from syndicate.text.portal import parse_portal_text  # noqa: E402
from syndicate.glossary import load  # noqa: E402
from syndicate.glossary.accuracy import CategoryScore, EvalScore, RequiredTerm, Score, score, score_listed  # noqa: E402

TESTDATA = ROOT / "tests" / "glossary" / "testdata"
EVAL = ROOT / "tests" / "glossary" / "eval"
CATEGORIES = ["ranks", "titles", "people", "organizations", "places-province", "places-district",
              "places-commune", "places-other", "foreign", "phrases"]
CANDIDATES = ["ZQAA", "__T1__", "<T1>", "T001", "⟦1⟧", "[1]", "#1#", "XTERM1X", "@@1@@"]


def articles() -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for p in sorted(TESTDATA.glob("*_*.txt")):
        stem, lang = p.stem.rsplit("_", 1)
        out.setdefault(stem, {})[lang] = parse_portal_text(
            p.read_text(encoding="utf-8"), source="fixtures", language=lang, origin=str(p))
    return out


def eval_items(src: str) -> list[tuple]:
    """The evaluation set's articles written in `src`, with their references
    and required terms (tests/glossary/eval/README.md)."""
    import tomllib

    spec = tomllib.loads((EVAL / "terms.toml").read_text(encoding="utf-8"))
    tgt = "vi" if src == "en" else "en"
    items = []
    for aid, entry in spec.items():
        if not aid.startswith("e" if src == "en" else "v"):
            continue
        read = lambda lang: parse_portal_text((EVAL / f"{aid}_{lang}.txt").read_text(encoding="utf-8"),
                                              source="eval", language=lang, origin=aid)
        a, ref = read(src), read(tgt)
        terms = [RequiredTerm(c, s_, (t,) if isinstance(t, str) else tuple(t)) for c, s_, t in entry["terms"]]
        items.append((aid, a, ref, terms, entry.get("unknown", [])))
    return items


def print_eval(evals: list[EvalScore], show_misses: bool) -> None:
    print()
    print("New evaluation set (tests/glossary/eval: articles the glossary was not written for), "
          "term accuracy per category:")
    hdr = f"{'category':16}" + "".join(f" {e.direction + ' terms':>13} {'accuracy':>9}" for e in evals)
    print(hdr)
    print("-" * len(hdr))
    for cat in CATEGORIES:
        row = f"{cat:16}"
        for e in evals:
            c = e.categories.get(cat)
            row += f" {c.terms if c else 0:>13} {Score.pct(c.hits, c.terms) if c else 'n/a':>9}"
        print(row)
    row = f"{'all':16}"
    for e in evals:
        row += f" {e.terms:>13} {Score.pct(e.hits, e.terms):>9}"
    print(row)
    for e in evals:
        print(f"{e.direction}: {e.articles} articles, {e.review} sentence problems flagged for review, "
              f"{e.candidates} of {e.unknown} unknown names kept and listed as candidates")
    if show_misses:
        for e in evals:
            for cat in CATEGORIES:
                for aid, src, tgt in e.categories.get(cat, CategoryScore()).misses:
                    print(f"  miss {e.direction} {aid} {cat}: {src!r} -> {tgt!r}")


def placeholder_rows(engine, sp) -> list[tuple]:
    rows = []
    for c in CANDIDATES:
        sentence = f"The delegation met {c} and {c}."
        pieces = sp.encode(c, out_type=str)
        byte = sum(1 for t in pieces if t.startswith("<0x"))
        digits = sum(1 for t in pieces if not t.startswith("<0x") and any(ch.isdigit() for ch in t))
        under = sum(1 for t in pieces if "_" in t.replace("▁", ""))
        out = engine.translate_batch("en", "vi", [sentence])[0].text
        rows.append((c, len(pieces), byte, digits, under, "yes" if out == sentence else "NO"))
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--glossary", type=Path, default=ROOT / "glossary")
    ap.add_argument("--show-misses", action="store_true")
    a = ap.parse_args(argv)

    from copy_engine import copy_engine, tokenizer

    t0 = time.perf_counter()
    g = load(a.glossary)
    arts = articles()
    with tempfile.TemporaryDirectory() as tmp:
        engine, installed = copy_engine(Path(tmp))
        engine_name = f"syndicate.translate.load_engine ({engine.name})"
        scores: list[Score] = []
        for src, tgt in (("en", "vi"), ("vi", "en")):
            pairs = [(v[src], v.get(tgt)) for v in arts.values() if src in v]
            scores.append(score(pairs, g, engine, src, tgt))
        evals = [score_listed(eval_items(src), g, engine, src, tgt) for src, tgt in (("en", "vi"), ("vi", "en"))]
        ph = placeholder_rows(engine, tokenizer(installed[("en", "vi")]))
    secs = time.perf_counter() - t0

    print(f"Glossary term accuracy, WMT terminology style: glossary {g.version} ({len(g)} entries), "
          f"{len(arts)} bilingual fixture articles, copy model (CTranslate2 + SentencePiece) via {engine_name}")
    print()
    hdr = f"{'direction':10} {'articles':>8} {'segments':>8} {'terms':>6} {'accuracy':>9} {'no-glossary':>12} {'reference':>10} {'review':>7}"
    print(hdr)
    print("-" * len(hdr))
    tot = Score("both")
    for s in scores:
        print(f"{s.direction:10} {s.articles:>8} {s.segments:>8} {s.terms:>6} {Score.pct(s.hits, s.terms):>9} "
              f"{Score.pct(s.baseline_hits, s.terms):>12} {Score.pct(s.reference_hits, s.reference_terms):>10} {s.review:>7}")
        for f in ("articles", "segments", "terms", "hits", "baseline_hits", "reference_hits", "reference_terms", "review"):
            setattr(tot, f, getattr(tot, f) + getattr(s, f))
    print(f"{'both':10} {tot.articles:>8} {tot.segments:>8} {tot.terms:>6} {Score.pct(tot.hits, tot.terms):>9} "
          f"{Score.pct(tot.baseline_hits, tot.terms):>12} {Score.pct(tot.reference_hits, tot.reference_terms):>10} {tot.review:>7}")
    if a.show_misses:
        for s in scores:
            for title, _, tgt in s.misses:
                print(f"  miss {s.direction}: {tgt!r} in {title!r}")
            for title, tgt in s.reference_misses:
                print(f"  not in reference {s.direction}: {tgt!r} in {title!r}")
    print_eval(evals, a.show_misses)
    print()
    print("Placeholder forms through the copy model's SentencePiece (byte_fallback, split_digits) and CTranslate2:")
    hdr2 = f"{'form':10} {'pieces':>6} {'byte-fallback':>13} {'digit pieces':>12} {'underscore':>10} {'copied intact':>13}"
    print(hdr2)
    print("-" * len(hdr2))
    for r in ph:
        print(f"{r[0]:10} {r[1]:>6} {r[2]:>13} {r[3]:>12} {r[4]:>10} {r[5]:>13}")
    print()
    print(f"term_accuracy={100.0 * tot.hits / max(tot.terms, 1):.1f}% terms={tot.terms} "
          f"no_glossary={100.0 * tot.baseline_hits / max(tot.terms, 1):.1f}% "
          f"reference_agreement={100.0 * tot.reference_hits / max(tot.reference_terms, 1):.1f}% ({secs:.1f}s)")
    print("eval_set " + " ".join(f"{e.direction}={100.0 * e.hits / max(e.terms, 1):.1f}%" for e in evals))
    print("reproduce: make glossary-report   (or: python bench/glossary_report.py)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
