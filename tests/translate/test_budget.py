"""A per-article budget: an article too large for one translation (in
characters or in segments) is set aside with a reason, before any engine
call; the cycle goes on, and the article is not tried again until it, the
model, the glossary or the limits change."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from syndicate.article import Block
from syndicate.cli import main
from syndicate.exitcodes import ExitCode
from syndicate.store import Store
from syndicate.translate import Budget, FailureKind, Hypothesis, Job, ModelInfo, translate_jobs

ROOT = Path(__file__).resolve().parents[2]


class Echo:
    """A declared copy model that counts its calls."""

    def __init__(self):
        self.calls = 0

    def model(self, src, tgt):
        return ModelInfo("echo", "echo", "1", copies=True)

    def translate_batch(self, src, tgt, sentences):
        self.calls += 1
        return [Hypothesis(s, None) for s in sentences]


def job(aid: str) -> Job:
    return Job(aid, "h", "en", "vi", "A Headline", [Block("p", "The first sentence here. The second one follows.")])


def big(aid: str, sentences: int) -> Job:
    return Job(aid, "h", "en", "vi", "A Headline", [Block("p", " ".join(["It rained."] * sentences))])


def test_an_article_over_the_character_limit_fails_before_the_engine_and_the_others_go_on():
    engine = Echo()
    small, large = translate_jobs([job("a1"), big("a2", 100)], engine, budget=Budget(max_chars=500, max_segments=50))
    assert small.ok
    assert large.failure.kind is FailureKind.OVER_BUDGET
    assert large.error == ("too large to translate: 1109 characters, the limit is 500 "
                           "(translation.max_article_chars)")
    assert engine.calls == 1  # the small one's; the large one cost nothing but a length


def test_an_article_over_the_segment_limit_fails_too():
    out = translate_jobs([big("a2", 60)], Echo(), budget=Budget(max_chars=10_000, max_segments=50))[0]
    assert out.failure.kind is FailureKind.OVER_BUDGET
    assert out.error == "too large to translate: 61 segments, the limit is 50 (translation.max_article_segments)"
    # At the limit it is translated.
    assert translate_jobs([big("a2", 49)], Echo(), budget=Budget(max_chars=10_000, max_segments=50))[0].ok


def _run(cfg: Path):
    r = CliRunner().invoke(main, ["--config", str(cfg), "run", "--json"], catch_exceptions=False)
    return r.exit_code, json.loads(r.output)


def test_a_run_sets_the_article_aside_and_holds_it_until_the_limit_changes(tmp_path, installed_packages_dir):
    shutil.copytree(ROOT / "inbox", tmp_path / "inbox")
    long_one = tmp_path / "inbox" / "long.txt"
    long_one.write_text("A long report\n\nAugust, 09 2019\n" + "MPS - " + "Police patrolled the area. " * 400 + "\n",
                        encoding="utf-8")
    cfg = tmp_path / "config.toml"

    def configure(max_segments: int) -> None:
        cfg.write_text(f'[translation]\npackages_dir = "{installed_packages_dir}"\n'
                       f"max_article_segments = {max_segments}\n"
                       '[[sources]]\nname = "portal-inbox"\ntype = "inbox"\npath = "inbox"\nlanguage = "en"\n',
                       encoding="utf-8")

    configure(300)
    code, report = _run(cfg)
    assert code == ExitCode.TRANSLATION  # not translated: reported like any failed translation
    assert report["counts"]["translated"] == 4
    (failed,) = report["failed"]
    assert failed["error"] == "too large to translate: 401 segments, the limit is 300 (translation.max_article_segments)"
    with Store(tmp_path / "data" / "syndicate.sqlite") as store:
        (reject,) = store.recent_rejects()
        assert reject["origin"] == str(long_one) and "401 segments" in reject["reason"]
        assert store.translation_counts() == {"done": 4, "failed": 1}

    # The next cycle does not try it again, nor split it, nor call the model.
    code, report = _run(cfg)
    assert code == ExitCode.OK and report["held"] == 1 and report["model_calls"] == 0 and report["failed"] == []

    # A raised limit is a reason to try again.
    configure(500)
    code, report = _run(cfg)
    assert code == ExitCode.OK and report["counts"]["translated"] == 1 and report["held"] == 0
