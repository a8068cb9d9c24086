"""The glossary commands and `syndicate translate`, through click's runner
against temporary glossary folders, configs and a real SQLite store."""
from __future__ import annotations

from datetime import datetime

import pytest
from click.testing import CliRunner

from syndicate.article import TZ, Article, Block
from syndicate.cli import main
from syndicate.store import Store
from syndicate.glossary import load


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def cfg_file(tmp_path, small_dir):
    p = tmp_path / "config.toml"
    p.write_text(f'[paths]\ndata = "data"\nfeeds = "feeds"\n[glossary]\ndir = "{small_dir}"\n', encoding="utf-8")
    return p


def test_list_filters(small_dir):
    r = run("glossary", "--dir", str(small_dir), "list", "--category", "ranks")
    assert r.exit_code == 0
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("ranks.toml:1") and "General  <->  Đại tướng" in lines[0]
    # search ignores case and diacritics
    r = run("glossary", "--dir", str(small_dir), "list", "--search", "tin dung")
    assert r.stdout.strip().splitlines() == ["phrases.toml:1           phrases        black credit  <->  tín dụng đen"]


def test_list_uses_the_config_dir(cfg_file):
    r = run("--config", str(cfg_file), "glossary", "list", "--json", "-s", "Tô Lâm")
    assert r.exit_code == 0 and '"vi": "Tô Lâm"' in r.stdout and '"where": "people.toml:2"' in r.stdout


def test_add_then_remove(small_dir):
    v0 = load(small_dir).version
    r = run("glossary", "--dir", str(small_dir), "add", "--en", "Lieutenant General", "--vi", "Trung tướng",
            "--category", "ranks", "--en-variant", "Lt. Gen.", "--note", "rank")
    assert r.exit_code == 0, r.output
    text = (small_dir / "ranks.toml").read_text(encoding="utf-8")
    assert text.endswith('\n[[term]]\nen = "Lieutenant General"\nvi = "Trung tướng"\n'
                         'en_variants = ["Lt. Gen."]\nnote = "rank"\n')
    g = load(small_dir)
    assert g.version != v0
    assert [m.target for m in g.find("Lt. Gen. To Lam", "en", "vi")] == ["Trung tướng Tô Lâm"]
    where = next(e.where for e in g.entries if e.en == "Lieutenant General")
    r = run("glossary", "--dir", str(small_dir), "remove", "--yes", where)
    assert r.exit_code == 0, r.output
    assert load(small_dir).version == v0
    assert "Lieutenant" not in (small_dir / "ranks.toml").read_text(encoding="utf-8")


def test_add_new_category_file_and_normalizes(small_dir):
    r = run("glossary", "--dir", str(small_dir), "add", "--en", "Khanh Hoa", "--vi", "Khánh Ho\u00e0", "-c", "extra")
    assert r.exit_code == 0
    assert 'vi = "Khánh Hòa"' in (small_dir / "extra.toml").read_text(encoding="utf-8")
    # the terminologist is told the text was changed, not left to find out
    assert "note: Vietnamese written as NFC with the hòa/thủy/Ủy/khỏe tone marks: 'Khánh Ho\u00e0' -> 'Khánh Hòa'" \
        in r.stderr


def test_add_refuses_duplicates_and_conflicts(small_dir):
    before = {p.name: p.read_text(encoding="utf-8") for p in small_dir.iterdir()}
    r = run("glossary", "--dir", str(small_dir), "add", "--en", "black credit", "--vi", "tín dụng đen")
    assert r.exit_code == 1 and "already there: phrases.toml:1" in r.stderr
    r = run("glossary", "--dir", str(small_dir), "add", "--en", "Black Credit", "--vi", "cho vay nặng lãi")
    assert r.exit_code == 1 and "conflict: phrases.toml:1" in r.stderr
    r = run("glossary", "--dir", str(small_dir), "add", "--en", "{village} Police", "--vi", "Công an {village}")
    assert r.exit_code == 1 and "unknown slot {village}" in r.stderr
    assert {p.name: p.read_text(encoding="utf-8") for p in small_dir.iterdir()} == before


def test_remove_by_source_and_ambiguity(small_dir):
    r = run("glossary", "--dir", str(small_dir), "remove", "--yes", "--vi", "Sơn La")
    assert r.exit_code == 0 and "removed places.toml:8" in r.stdout
    assert "Son La" not in (small_dir / "places.toml").read_text(encoding="utf-8")
    assert "Quang Ninh" in (small_dir / "places.toml").read_text(encoding="utf-8")
    r = run("glossary", "--dir", str(small_dir), "remove", "--yes", "--en", "Nowhere")
    assert r.exit_code == 1 and "no entry en 'Nowhere'" in r.stderr


def test_remove_by_file_line_as_an_editor_shows_it(small_dir):
    # a path and any line of the entry (its vi = line here) name it
    r = run("glossary", "--dir", str(small_dir), "remove", "--yes", f"{small_dir}/places.toml:10")
    assert r.exit_code == 0, r.output
    assert "removed places.toml:8: Son La <-> Sơn La" in r.stdout
    before = (small_dir / "places.toml").read_text(encoding="utf-8")
    r = run("glossary", "--dir", str(small_dir), "remove", "--yes", "places.toml:2")
    assert r.exit_code == 1
    assert "no entry at places.toml:2; nearest: places.toml:4 Quang Ninh <-> Quảng Ninh" in r.stderr
    r = run("glossary", "--dir", str(small_dir), "remove", "--yes", "places.toml")
    assert r.exit_code == 2 and "give FILE:LINE" in r.output
    assert (small_dir / "places.toml").read_text(encoding="utf-8") == before


GENERATED = "# GENERATED by tools/gen.py - do not edit\ncategory = \"places\"\n\n[[term]]\nen = \"Son La\"\nvi = \"Sơn La\"\n"


def test_add_never_writes_into_a_generated_file(small_dir):
    (small_dir / "places.toml").write_text(GENERATED, encoding="utf-8")
    r = run("glossary", "--dir", str(small_dir), "add", "--en", "Moc Chau", "--vi", "Mộc Châu", "-c", "places")
    assert r.exit_code == 0, r.output
    assert "added to places_local.toml" in r.stdout
    assert (small_dir / "places.toml").read_text(encoding="utf-8") == GENERATED
    local = (small_dir / "places_local.toml").read_text(encoding="utf-8")
    assert 'category = "places"' in local and 'vi = "Mộc Châu"' in local
    assert any(e.en == "Moc Chau" and e.category == "places" for e in load(small_dir).entries)


def test_remove_refuses_an_entry_of_a_generated_file(small_dir):
    (small_dir / "places.toml").write_text(GENERATED, encoding="utf-8")
    r = run("glossary", "--dir", str(small_dir), "remove", "--yes", "--en", "Son La")
    assert r.exit_code == 1
    assert "places.toml:4 is in a generated file" in r.stderr and "change its generator" in r.stderr
    assert (small_dir / "places.toml").read_text(encoding="utf-8") == GENERATED


def test_remove_keeps_comments_of_the_next_entry(small_dir):
    (small_dir / "people.toml").write_text(
        '[[term]]\nen = "A B"\nvi = "Á B"\n\n# keep me\n[[term]]\nen = "To Lam"\nvi = "Tô Lâm"\n', encoding="utf-8")
    r = run("glossary", "--dir", str(small_dir), "remove", "--yes", "--en", "A B")
    assert r.exit_code == 0
    assert (small_dir / "people.toml").read_text(encoding="utf-8") == '# keep me\n[[term]]\nen = "To Lam"\nvi = "Tô Lâm"\n'


def test_check_exit_codes(small_dir):
    r = run("glossary", "--dir", str(small_dir), "check")
    assert r.exit_code == 0 and r.stdout.startswith("ok: 12 entries")
    (small_dir / "phrases.toml").write_text('[[term]]\nen = "black credit"\nvi = "tín dụng đen"\n'
                                            '[[term]]\nen = "black credit"\nvi = "tiền đen"\n', encoding="utf-8")
    r = run("glossary", "--dir", str(small_dir), "check")
    assert r.exit_code == 1
    assert "phrases.toml:5: conflict: en 'black credit' -> 'tiền đen', but phrases.toml:1 gives 'tín dụng đen'" in r.stdout


def test_broken_glossary_is_refused_by_commands(small_dir):
    (small_dir / "phrases.toml").write_text('[[term]]\nen = "x"\n', encoding="utf-8")
    r = run("glossary", "--dir", str(small_dir), "list")
    assert r.exit_code == 2 and "phrases.toml:1: missing 'vi'" in r.stderr


def test_export_to_stdout(small_dir):
    r = run("glossary", "--dir", str(small_dir), "export", "--format", "csv", "--output", "-", "--no-header")
    assert r.exit_code == 0
    assert "Ministry of Public Security,Bộ Công an" in r.stdout.splitlines()
    assert not r.stdout.startswith("en,vi")


def test_candidates_from_the_store(cfg_file, tmp_path):
    when = datetime(2020, 10, 9, tzinfo=TZ)
    with Store(tmp_path / "data" / "syndicate.sqlite") as s:
        for i in range(3):
            s.upsert_article(Article("inbox", "en", f"Visit {i}", when, [Block("p", (
                "Senior Lieutenant General Nguyen Van Son met the Quang Ninh Provincial Police Department. "
                "The Ministry of Public Security thanked the Hai Phong City Customs Department."))]))
        s.upsert_article(Article("inbox", "vi", "Tin", when, [Block("p", "Trung tướng Nguyễn Văn Sơn làm việc tại Sơn La.")]))
    r = run("--config", str(cfg_file), "glossary", "candidates")
    assert r.exit_code == 0, r.output
    out = r.stdout
    phrases = [ln for ln in out.splitlines() if not ln.lstrip().startswith("e.g.")]
    assert "    3  en  Hai Phong City Customs Department" in out
    # what the glossary covers ("General") is cut out of the run
    assert "    3  en  Nguyen Van Son" in out and "    3  en  Senior Lieutenant" in out
    assert not any("General" in ln for ln in phrases)
    assert not any("Quang Ninh" in ln for ln in phrases)  # covered by a pattern
    assert not any("Ministry" in ln for ln in phrases)  # covered by an entry
    assert "    1  vi  Nguyễn Văn Sơn" in out
    assert "e.g. Trung tướng Nguyễn Văn Sơn làm việc tại Sơn La." in out
    assert out.index("Hai Phong") < out.index("Nguyễn Văn Sơn")  # by frequency


def test_candidates_without_store(cfg_file):
    r = run("--config", str(cfg_file), "glossary", "candidates")
    assert r.exit_code == 2 and "run `syndicate run` first" in r.stderr


def test_translate_protect_only(cfg_file):
    r = run("--config", str(cfg_file), "translate", "--from", "vi", "--to", "en", "--protect-only", "-",
            input="Đại tá Phạm Văn Hùng làm việc với Công an tỉnh Sơn La.\n")
    assert r.exit_code == 0
    assert r.stdout.strip() == "ZQAA ZQAB làm việc với ZQAC."
    assert "ZQAB = 'Phạm Văn Hùng' -> 'Pham Van Hung' (name)" in r.stderr


def test_translate_without_model_says_how_to_install(cfg_file):
    r = run("--config", str(cfg_file), "translate", "--from", "en", "--to", "vi", "General To Lam")
    assert r.exit_code == 4 and "syndicate models install" in r.stderr


def test_translate_with_a_real_copy_model(cfg_file, copy_engine, monkeypatch):
    import syndicate.translate

    monkeypatch.setattr(syndicate.translate, "load_engine", lambda cfg: copy_engine)
    r = run("--config", str(cfg_file), "translate", "--from", "en", "--to", "vi", "--show-terms",
            "General To Lam works with Quang Ninh Provincial Police Department\n\nBlack credit rose.")
    assert r.exit_code == 0, r.output
    # The copy model copies the untranslated words; every term is the glossary's.
    assert r.stdout == ("Đại tướng Tô Lâm works with Công an tỉnh Quảng Ninh\n\nTín dụng đen rose.\n")
    assert "term: 'General To Lam' -> 'Đại tướng Tô Lâm'" in r.stderr
    r = run("--config", str(cfg_file), "translate", "--from", "en", "--to", "vi", "--headline",
            "General To Lam works with Quang Ninh Provincial Police Department\n\nBlack credit rose.")
    assert r.exit_code == 0, r.output
    assert r.stdout == ("Đại tướng Tô Lâm works with Công an tỉnh Quảng Ninh\n\nTín dụng đen rose.\n")


def test_translate_splits_a_pasted_paragraph_into_sentences(cfg_file, copy_engine, monkeypatch):
    import syndicate.translate

    monkeypatch.setattr(syndicate.translate, "load_engine", lambda cfg: copy_engine)
    para = " ".join(["Police in Son La arrested twelve suspects on Monday."] * 40)
    r = run("--config", str(cfg_file), "translate", "--from", "en", "--to", "vi", para)
    assert r.exit_code == 0, r.output  # not one overlong segment failing the length check
    assert r.stdout == para.replace("Son La", "Sơn La") + "\n"


def test_import_reports_conflicts_and_keeps_files(small_dir, tmp_path):
    f = tmp_path / "in.csv"
    f.write_text("en,vi\nblack credit,cho vay nặng lãi\nOnline fraud,lừa đảo trực tuyến\n", encoding="utf-8")
    r = run("glossary", "--dir", str(small_dir), "import", "--yes", str(f))
    assert r.exit_code == 1
    assert "conflict: 'black credit' -> 'cho vay nặng lãi', but phrases.toml:1 has 'tín dụng đen'" in r.stderr
    assert "imported 1, skipped 0 already present, 1 conflict(s)" in r.stdout
    g = load(small_dir)
    assert [m.target for m in g.find("online fraud", "en", "vi")] == ["lừa đảo trực tuyến"]


def test_runs_load_this_glossary(cfg_file, small_dir):
    from syndicate.config import load as load_config
    from syndicate.glossary import load_glossary

    g = load_glossary(load_config(cfg_file).glossary_dir)
    assert g.version == load(small_dir).version and len(g) == 12


def test_candidates_skip_sentence_initial_common_words(small_dir):
    from syndicate.glossary.candidates import mine

    when = datetime(2020, 10, 9, tzinfo=TZ)
    arts = [Article("s", "en", "t", when, [Block("p", "Representatives of the police attended. "
                                                     "The representatives of Bac Giang Customs met on Monday.")])]
    got = [c.phrase for c in mine(arts, load(small_dir))]
    assert got == ["Bac Giang Customs"]
    # Words that open a sentence or stand before a name, even when the store
    # never shows them in lower case; inside a name they stay ("Trần Đức Anh").
    arts = [Article("s", "vi", "t", when, [Block("p", "Theo Cục, Ông Trần Đức Anh đã đến Bình Liêu.")])]
    got = [c.phrase for c in mine(arts, load(small_dir))]
    assert got == ["Bình Liêu", "Trần Đức Anh"]


@pytest.mark.parametrize("cmd", [[], ["list"], ["add"], ["remove"], ["check"], ["import"], ["export"], ["candidates"]])
def test_help_needs_no_config(cmd, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no config.toml here
    r = run("glossary", *cmd, "--help")
    assert r.exit_code == 0 and "Usage:" in r.stdout
    assert run("translate", "--help").exit_code == 0


def test_import_checks_rows_against_each_other(tmp_path):
    from syndicate.glossary.check import check_dir

    d = tmp_path / "g"
    f = tmp_path / "vi_en.csv"
    # a vi->en list (export --from vi) where two places share an English form
    f.write_text("vi,en\nDương Hòa,Duong Hoa\nĐường Hoa,Duong Hoa\n", encoding="utf-8")
    r = run("glossary", "--dir", str(d), "import", "--yes", str(f), "-c", "places")
    assert r.exit_code == 0, r.output
    assert "imported 2, skipped 0 already present, 0 conflict(s), 1 kept one way only" in r.stdout
    assert check_dir(d) == []
    g = load(d)
    assert [m.target for m in g.find("Đường Hoa", "vi", "en")] == ["Duong Hoa"]
    assert [m.target for m in g.find("Duong Hoa", "en", "vi")] == ["Dương Hòa"]
    # the same source twice with two targets in its own direction is a conflict
    f2 = tmp_path / "en_vi.csv"
    f2.write_text("en,vi\nloan shark,kẻ cho vay nặng lãi\nloan shark,tín dụng đen\n", encoding="utf-8")
    r = run("glossary", "--dir", str(d), "import", "--yes", str(f2))
    assert r.exit_code == 1
    assert "conflict: 'loan shark' -> 'tín dụng đen', but en_vi.csv line 2 has 'kẻ cho vay nặng lãi'" in r.stderr
    assert check_dir(d) == []


def test_remove_the_last_entry_keeps_the_comment_after_it(small_dir):
    (small_dir / "people.toml").write_text(
        '[[term]]\nen = "To Lam"\nvi = "Tô Lâm"\n\n[[term]]\nen = "A B"\nvi = "Á B"\n\n# to add: the 2026 leadership\n',
        encoding="utf-8")
    r = run("glossary", "--dir", str(small_dir), "remove", "--yes", "--en", "A B")
    assert r.exit_code == 0, r.output
    assert (small_dir / "people.toml").read_text(encoding="utf-8") == \
        '[[term]]\nen = "To Lam"\nvi = "Tô Lâm"\n\n# to add: the 2026 leadership\n'


def test_add_warns_at_once_what_check_will_report(small_dir):
    r = run("glossary", "--dir", str(small_dir), "add", "--en", "Nguyễn Văn Bình", "--vi", "Nguyễn Văn Bình",
            "-c", "people")
    assert r.exit_code == 0, r.output  # added: the terminologist decides
    assert "warning: people.toml:" in r.stderr and "en-diacritics" in r.stderr and "'Nguyen Van Binh'" in r.stderr


def test_a_category_never_becomes_a_path(small_dir, tmp_path):
    r = run("glossary", "--dir", str(small_dir), "add", "--en", "x y", "--vi", "x y", "-c", "../outside")
    assert r.exit_code == 1 and "category '../outside': use letters, digits" in r.stderr
    assert not (tmp_path / "outside.toml").exists()
