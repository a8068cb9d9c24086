"""Edits that cannot quietly break output (issue 10, item 6): problems that
change translations refuse the glossary like a load error (run stops, the
daemon keeps its last good glossary, add and import refuse them), and
`glossary remove` / `import` show what they affect and ask first."""
from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from terms_support import write

from syndicate.article import TZ, Article, Block
from syndicate.cli import main
from syndicate.config import load as load_config
from syndicate.daemon.reloader import Reloader
from syndicate.exitcodes import ExitCode
from syndicate.glossary import GlossaryError, load
from syndicate.glossary.check import check_dir
from syndicate.store import Store

REPO_GLOSSARY = Path(__file__).resolve().parents[2] / "glossary"
HOA = '\n[[term]]\nen = "Hoa"\nvi = "Hòa"\n'


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def repo_copy(tmp_path) -> Path:
    d = tmp_path / "glossary"
    shutil.copytree(REPO_GLOSSARY, d)
    return d


def _config(tmp_path: Path, glossary: Path) -> Path:
    p = tmp_path / "config.toml"
    p.write_text(f'[paths]\ndata = "data"\nfeeds = "feeds"\n[glossary]\ndir = "{glossary}"\n',
                 encoding="utf-8")
    return p


def _store_with(tmp_path: Path, articles: list[Article]) -> None:
    """Articles with a finished translation each, as a run leaves them."""
    with Store(tmp_path / "data" / "syndicate.sqlite") as s:
        for a in articles:
            s.upsert_article(a)
            tgt = "vi" if a.language == "en" else "en"
            s.save_translation(a.id, tgt, source_hash=a.content_hash(), title=a.title, blocks=a.blocks,
                               engine="copy", model="copy", glossary_version="g-old", problems=[], terms={})


WHEN = datetime(2021, 3, 2, tzinfo=TZ)


# --- the first example: removing "Thứ trưởng" ------------------------------


def test_removing_deputy_minister_shows_the_half_translated_title_and_asks(repo_copy, tmp_path):
    _store_with(tmp_path, [
        Article("inbox", "en", "Working visit", WHEN, [Block("p", "Deputy Minister Le Quoc Hung visited Son La.")]),
        Article("inbox", "en", "Black credit", WHEN, [Block("p", "Black credit is a crime.")]),
    ])
    cfg = _config(tmp_path, repo_copy)
    before = (repo_copy / "titles.toml").read_bytes()
    r = run("--config", str(cfg), "glossary", "remove", "--en", "Deputy Minister")
    assert r.exit_code == ExitCode.REFUSED, r.output  # no answer: nothing removed
    assert "not removed: nothing changed (answer y, or pass --yes)" in r.stderr
    assert (repo_copy / "titles.toml").read_bytes() == before
    out = r.stdout
    assert re.search(r"fills 1 pattern\(s\): titles.toml:\d+ \{title\} \{person\}\n", out)
    # The example, from the store: the title comes out half translated.
    assert "stored translations that would change: 1 of 2" in out
    assert "'Deputy Minister Le Quoc Hung visited Son La.'\n" \
           "    before: Thứ trưởng Lê Quốc Hùng visited Sơn La.\n" \
           "    after:  Deputy Bộ trưởng Lê Quốc Hùng visited Sơn La." in out
    assert "Black credit is a crime" not in out
    # and from the glossary alone, in both directions
    assert "'Thứ trưởng'\n    before: Deputy Minister\n    after:  Thứ trưởng" in out


def test_remove_goes_ahead_on_yes(small_dir):
    r = run("glossary", "--dir", str(small_dir), "remove", "--en", "Son La", input="y\n")
    assert r.exit_code == 0, r.output
    assert "'Son La'\n    before: Sơn La\n    after:  Son La" in r.stdout
    assert "stored translations: not checked (" in r.stdout  # no store in a bare --dir
    assert "removed places.toml:8: Son La <-> Sơn La" in r.stdout
    assert "Son La" not in (small_dir / "places.toml").read_text(encoding="utf-8")


def test_remove_answered_no_changes_nothing(small_dir):
    before = (small_dir / "places.toml").read_bytes()
    r = run("glossary", "--dir", str(small_dir), "remove", "--en", "Son La", input="n\n")
    assert r.exit_code == ExitCode.REFUSED
    assert (small_dir / "places.toml").read_bytes() == before


# --- the second example: a person "Hoa <-> Hòa" ------------------------------


def test_adding_a_one_word_person_is_refused(repo_copy):
    before = (repo_copy / "people.toml").read_bytes()
    r = run("glossary", "--dir", str(repo_copy), "add", "--en", "Hoa", "--vi", "Hòa", "-c", "people")
    assert r.exit_code == ExitCode.REFUSED
    assert "person 'Hoa' is part of" in r.stderr and "names in units.tsv" in r.stderr
    assert "'Nguyen Van Hoa' would come out as 'Nguyen Van Hòa'" in r.stderr
    assert (repo_copy / "people.toml").read_bytes() == before


def test_a_hand_added_one_word_person_stops_every_load(repo_copy):
    (repo_copy / "people.toml").write_text((repo_copy / "people.toml").read_text(encoding="utf-8") + HOA,
                                           encoding="utf-8")
    with pytest.raises(GlossaryError) as e:
        load(repo_copy)
    [err] = e.value.errors
    assert err.startswith("people.toml:162: person-part: person 'Hoa' is part of ")
    assert [str(f) for f in check_dir(repo_copy) if f.is_error] == [err]


def test_importing_a_one_word_person_is_refused_dry_run_or_not(repo_copy, tmp_path):
    f = tmp_path / "people.csv"
    f.write_text("en,vi\nDo Van Hoa,Đỗ Văn Hòa\nHoa,Hòa\n", encoding="utf-8")
    before = (repo_copy / "people.toml").read_bytes()
    for args in (["--dry-run"], ["--yes"]):
        r = run("glossary", "--dir", str(repo_copy), "import", str(f), "-c", "people", *args)
        assert r.exit_code == ExitCode.REFUSED, r.output
        assert "person-part: person 'Hoa'" in r.stderr
    assert (repo_copy / "people.toml").read_bytes() == before


def test_a_single_vietnamese_syllable_person_is_refused_without_units_data(small_dir):
    write(small_dir, "people.toml", '[[term]]\nen = "To Lam"\nvi = "Tô Lâm"\n' + HOA)
    with pytest.raises(GlossaryError) as e:
        load(small_dir)
    assert e.value.errors == [
        "people.toml:7: person-word: person 'Hòa' is one Vietnamese syllable, an ordinary word and a part of "
        "many names: 'Nguyễn Văn Hòa' would come out as 'Nguyễn Văn Hoa'; write the full name"]


# --- what a run and the daemon do with such a glossary -------------------------------


def test_run_stops_on_a_problem_that_changes_translations(small_dir, tmp_path):
    write(small_dir, "people.toml", '[[term]]\nen = "To Lam"\nvi = "Tô Lâm"\n' + HOA)
    r = run("--config", str(_config(tmp_path, small_dir)), "run")
    assert r.exit_code == ExitCode.GLOSSARY
    assert "syndicate: glossary error: people.toml:7: person-word: person 'Hòa'" in r.stderr
    assert not (tmp_path / "feeds" / "en").exists()


def test_the_daemon_keeps_its_last_good_glossary(small_dir, tmp_path):
    reloader = Reloader(load_config(_config(tmp_path, small_dir)))
    good = reloader.glossary.version
    p = small_dir / "people.toml"
    p.write_text(p.read_text(encoding="utf-8") + HOA, encoding="utf-8")
    errors = reloader.refresh()
    assert len(errors) == 1 and "person-word: person 'Hòa'" in errors[0]
    assert reloader.glossary.version == good
    p.write_text(p.read_text(encoding="utf-8").replace(HOA, '\n[[term]]\nen = "Do Van Hoa"\nvi = "Đỗ Văn Hòa"\n'),
                 encoding="utf-8")
    assert reloader.refresh() == [] and reloader.glossary.version != good


# --- variants that collide ------------------------------------------------------


def test_a_variant_that_reads_as_another_entry_is_an_error(small_dir):
    # "general" (any case) would take every "General" of ranks.toml.
    write(small_dir, "phrases.toml", '[[term]]\nen = "general staff"\nvi = "bộ tham mưu"\n'
          'en_variants = ["General"]\ncase = "ignore"\n')
    with pytest.raises(GlossaryError) as e:
        load(small_dir)
    assert e.value.errors == [
        "ranks.toml:2: variant-collision: en 'General' (canonical) -> 'Đại tướng', "
        "but phrases.toml:1 reads 'General' as 'bộ tham mưu'"]


def test_same_form_differing_in_case_is_fine_when_both_match_exactly(small_dir):
    write(small_dir, "phrases.toml", '[[term]]\nen = "general"\nvi = "chung"\ncase = "exact"\n')
    assert load(small_dir)


# --- import shows and asks -------------------------------------------------------


def test_import_shows_what_it_changes_and_asks(small_dir, tmp_path):
    f = tmp_path / "in.csv"
    f.write_text("en,vi\nColonel General,Thượng tướng\n", encoding="utf-8")
    write(small_dir, "ranks.toml", '[[term]]\nen = "Colonel"\nvi = "Đại tá"\ncase = "exact"\n')
    _store_with(tmp_path, [
        Article("inbox", "en", "Meeting", WHEN, [Block("p", "Colonel General To Lam met the press.")]),
        Article("inbox", "en", "Other", WHEN, [Block("p", "Colonel To Lam met the press.")]),
    ])
    cfg = _config(tmp_path, small_dir)
    r = run("--config", str(cfg), "glossary", "import", str(f), "-c", "ranks")
    assert r.exit_code == ExitCode.REFUSED and "not imported: nothing changed" in r.stderr
    assert "Thượng tướng" not in (small_dir / "ranks.toml").read_text(encoding="utf-8")
    assert "Colonel General <-> Thượng tướng fills 1 pattern(s): titles.toml:9 {rank} {person}" in r.stdout
    assert "stored translations that would change: 1 of 2" in r.stdout
    assert "    before: Đại tá General Tô Lâm met the press.\n" \
           "    after:  Thượng tướng Tô Lâm met the press." in r.stdout
    r = run("--config", str(cfg), "glossary", "import", str(f), "-c", "ranks", input="y\n")
    assert r.exit_code == 0, r.output
    assert "imported 1" in r.stdout and "Thượng tướng" in (small_dir / "ranks.toml").read_text(encoding="utf-8")
