"""A site with the sample inbox and both copy models installed, driven
through the real command line: `run`, `review ...`, `withdraw`, `restore`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import testsite
from syndicate.cli import main
from syndicate.store import Store

FEED_FILES = ("rss.xml", "atom.xml", "feed.json")


class ReviewSite:
    def __init__(self, root: Path, models: dict, review: dict | None = None, glossary: str = ""):
        self.root = root
        self.config_file = testsite.make(root, models=models)
        if review:
            self.set_review(review)
        if glossary:
            (root / "glossary" / "ranks.toml").write_text(glossary, encoding="utf-8")

    def set_review(self, review: dict) -> None:
        text = self.config_file.read_text(encoding="utf-8")
        text = text.split("\n[review]\n")[0]
        self.config_file.write_text(text + "\n[review]\n" + testsite.to_toml({"r": review}).split("\n", 1)[1],
                                    encoding="utf-8")

    def invoke(self, *args: str, env: dict | None = None, input: str | None = None):
        return CliRunner().invoke(main, ["--config", str(self.config_file), *args], env=env, input=input,
                                  catch_exceptions=False)

    def run(self) -> dict:
        r = self.invoke("run", "--json")
        assert r.exit_code == 0, r.output
        return json.loads(r.output)

    def store(self) -> Store:
        return Store(self.root / "data" / "syndicate.sqlite")

    def feed(self, lang: str, name: str) -> str:
        return (self.root / "feeds" / lang / name).read_text(encoding="utf-8")

    def published_text(self) -> str:
        """Everything a reader can fetch: every feed, page, index and OPML."""
        files = sorted((self.root / "feeds").rglob("*"))
        return "\n".join(p.read_text(encoding="utf-8") for p in files if p.is_file())

    def pages(self, lang: str) -> set[str]:
        return {p.stem for p in (self.root / "feeds" / lang / "articles").glob("*.html")}

    def queue(self, *args: str) -> list[dict]:
        r = self.invoke("review", "list", "--json", *args)
        assert r.exit_code == 0, r.output
        return json.loads(r.stdout)

    def inbox(self, name: str) -> Path:
        return self.root / "inbox" / name


@pytest.fixture
def make_site(tmp_path, copy_packages):
    return lambda review=None, glossary="": ReviewSite(tmp_path / "site", copy_packages, review, glossary)


@pytest.fixture
def editor(tmp_path):
    """editor(source) -> an $EDITOR command: this Python running a small
    script file that rewrites the file it is given, as a person would."""
    import textwrap

    def make(body: str) -> str:
        script = tmp_path / "editor.py"
        script.write_text(textwrap.dedent(body), encoding="utf-8")
        return f"{sys.executable} {script}"

    return make
