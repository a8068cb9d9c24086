"""Loading: every error names file:line; a glossary with errors is refused;
the version follows the content; a reloader keeps the last good glossary."""
from __future__ import annotations


import pytest
from terms_support import write

from syndicate.glossary import GlossaryError, load
from syndicate.glossary.fileformat import parse_dir


def errors_of(d):
    with pytest.raises(GlossaryError) as ei:
        load(d)
    return ei.value.errors


def test_small_glossary_loads(small_dir):
    g = load(small_dir)
    assert len(g) == 12
    assert {e.category for e in g.entries} == {"places", "organizations", "titles", "ranks", "people", "phrases"}
    assert g.version.startswith("g-")


def test_toml_syntax_error_names_file_and_line(small_dir):
    write(small_dir, "events.toml", '''
        [[term]]
        en = "National Day"
        vi = "Quốc khánh
        ''')
    errs = errors_of(small_dir)
    assert len(errs) == 1 and errs[0].startswith("events.toml:3: TOML syntax error")


def test_field_errors_point_at_the_key_line(small_dir):
    write(small_dir, "events.toml", '''
        # a comment
        [[term]]
        en = "National Day"
        vi = "Quốc khánh"

        [[term]]
        en = "Lunar New Year"
        vi = "   "
        colour = "red"

        [[term]]
        vi = "Tết"
        case = "loud"
        direction = "sideways"
        ''')
    errs = errors_of(small_dir)
    assert "events.toml:8: vi is empty" in errs
    assert any(e.startswith("events.toml:9: unknown key 'colour'") for e in errs)
    assert "events.toml:11: missing 'en'" in errs
    assert any(e.startswith("events.toml:13: case must be one of ignore, exact") for e in errs)
    assert any(e.startswith("events.toml:14: direction must be one of") for e in errs)


def test_slot_errors(small_dir):
    write(small_dir, "titles.toml", '''
        [[term]]
        en = "{place} City Police"
        vi = "Công an thành phố"

        [[term]]
        en = "{village} Police"
        vi = "Công an {village}"
        ''')
    errs = errors_of(small_dir)
    assert any(e.startswith("titles.toml:3: 'Công an thành phố' has slots []") for e in errs)
    assert any(e.startswith("titles.toml:6: unknown slot {village}") for e in errs)


def test_errors_from_several_files_are_all_reported(small_dir):
    write(small_dir, "a.toml", '[[term]]\nen = "x"\n')
    write(small_dir, "b.toml", 'oops = 1\n')
    errs = errors_of(small_dir)
    assert "a.toml:1: missing 'vi'" in errs
    assert any(e.startswith("b.toml:1: unknown top-level key 'oops'") for e in errs)


def test_missing_folder(tmp_path):
    errs = errors_of(tmp_path / "nope")
    assert errs == [f"{tmp_path / 'nope'}: glossary folder not found"]


def test_vietnamese_not_written_in_the_convention_is_refused(small_dir):
    # NFD and old-style tone marks: the file would say one thing and the
    # output another, so the glossary is refused with file:line (issue 10),
    # while the parser still reads them in the project's convention.
    write(small_dir, "titles.toml", '[[term]]\nen = "Politburo member"\nvi = "U\u0309y viên Bộ Chính trị"\n'
          '[[term]]\nen = "Khanh Hoa"\nvi = "Khánh Ho\u00e0"\n')
    assert {e.vi for e in parse_dir(small_dir).entries} >= {"Ủy viên Bộ Chính trị", "Khánh Hòa"}
    with pytest.raises(GlossaryError) as e:
        load(small_dir)
    assert e.value.errors == [
        "titles.toml:3: not-nfc: vi 'U\u0309y viên Bộ Chính trị' is not Unicode NFC",
        "titles.toml:6: old-tone: vi 'Khánh Ho\u00e0' uses old-style tone marks (write hòa, thủy, Ủy, khỏe)"]


def test_version_changes_on_edit_but_not_on_comments(small_dir):
    v1 = load(small_dir).version
    p = small_dir / "people.toml"
    p.write_text(p.read_text(encoding="utf-8") + "# another comment\n", encoding="utf-8")
    assert load(small_dir).version == v1
    p.write_text(p.read_text(encoding="utf-8").replace('vi = "Tô Lâm"', 'vi = "Tô Lâm"\nvi_variants = ["Tô Lâm (Bộ trưởng)"]'),
                 encoding="utf-8")
    v2 = load(small_dir).version
    assert v2 != v1
    p.write_text(p.read_text(encoding="utf-8").replace('"To Lam"', '"To Lam."'), encoding="utf-8")
    assert load(small_dir).version not in (v1, v2)


def test_repo_glossary_size_and_categories(repo_glossary):
    cats = {}
    for e in repo_glossary.entries:
        cats[e.category] = cats.get(e.category, 0) + 1
    assert len(repo_glossary) >= 300
    assert set(cats) == {"ranks", "titles", "organizations", "people", "places", "events", "phrases"}
    assert all(n >= 10 for n in cats.values()), cats


def test_run_entry_point_treats_a_missing_folder_as_empty(tmp_path, caplog):
    from syndicate.glossary import load_glossary

    g = load_glossary(tmp_path / "nope")
    assert len(g) == 0 and g.protect("General To Lam", "en", "vi").text == "General To Lam"
    assert "not found" in caplog.text
    write(tmp_path / "bad", "x.toml", '[[term]]\nen = "x"\n')
    with pytest.raises(GlossaryError):
        load_glossary(tmp_path / "bad")
