"""`syndicate run` over the sample inbox with the real CTranslate2 path:
copy models installed through argostranslate, translations stored and
published, and a second run served entirely from the translation memory."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import feedparser
from click.testing import CliRunner

from syndicate.cli import main
from syndicate.store import Store

ROOT = Path(__file__).resolve().parents[2]


def test_run_translates_publishes_and_reruns_without_model_calls(tmp_path, installed_packages_dir):
    shutil.copytree(ROOT / "inbox", tmp_path / "inbox")
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[translation]\npackages_dir = "{installed_packages_dir}"\n'
        '[[sources]]\nname = "portal-inbox"\ntype = "inbox"\npath = "inbox"\n',
        encoding="utf-8",
    )
    runner = CliRunner()
    r = runner.invoke(main, ["--config", str(cfg), "run", "--json"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    report = json.loads(r.output)
    assert report["model_calls"] > 0

    with Store(tmp_path / "data" / "syndicate.sqlite") as store:
        counts = store.translation_counts()
        assert counts == {"done": 4}
        for a in store.all_articles():
            t = store.get_translation(a.id, "vi" if a.language == "en" else "en")
            # A copy model: the translation is the original, paragraph by paragraph.
            assert t.title == a.title and t.blocks == a.blocks
            assert t.engine == "ctranslate2" and t.model.startswith("translate-")

    for lang in ("en", "vi"):
        feed = feedparser.parse(str(tmp_path / "feeds" / lang / "atom.xml"))
        assert not feed.bozo and len(feed.entries) == 4

    r = runner.invoke(main, ["--config", str(cfg), "run", "--json"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["model_calls"] == 0

    # Edit one sentence of one article: the next run re-translates that
    # sentence alone; the rest of the article comes from the memory.
    f = tmp_path / "inbox" / "2024-03-15-traffic-safety-conference.txt"
    text = f.read_text(encoding="utf-8")
    assert "more than 3,489 foreign tour groups" in text
    f.write_text(text.replace("more than 3,489 foreign", "more than 3,500 foreign"), encoding="utf-8")
    r = runner.invoke(main, ["--config", str(cfg), "run", "--json"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    report = json.loads(r.output)
    assert report["model_calls"] == 1
    with Store(tmp_path / "data" / "syndicate.sqlite") as store:
        assert store.translation_counts() == {"done": 4}
