"""CSV and TBX-Basic export/import, round-tripped through the CLI."""
from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from syndicate.glossary import load
from syndicate.cli.glossary import glossary
from syndicate.glossary.exchange import TBX_NS, ExchangeError, from_csv, from_tbx, to_csv, to_tbx

REPO_GLOSSARY = Path(__file__).resolve().parents[2] / "glossary"


def semantic(g):
    return sorted((e.category, e.en, e.vi, e.en_variants, e.vi_variants, e.case, e.direction, e.standalone, e.note)
                  for e in g.entries)


def run(*args):
    r = CliRunner().invoke(glossary, list(args), catch_exceptions=False)
    return r


def test_csv_layout(small_dir):
    g = load(small_dir)
    text = to_csv(g.entries)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["en", "vi"]
    assert ["Quang Ninh", "Quảng Ninh"] in rows and ["black credit", "tín dụng đen"] in rows
    assert not any("{" in c for r in rows for c in r)  # patterns cannot go to DeepL/Google/Amazon
    deepl = to_csv(g.entries, "vi", "en", header=False)
    assert next(csv.reader(io.StringIO(deepl)))[0] != "vi"
    assert "Tô Lâm,To Lam" in deepl


def test_csv_round_trip_via_cli(small_dir, tmp_path):
    out = tmp_path / "g.csv"
    assert run("--dir", str(small_dir), "export", "--format", "csv", "--output", str(out)).exit_code == 0
    fresh = tmp_path / "fresh"
    r = run("--dir", str(fresh), "import", "--yes", str(out), "--category", "imported")
    assert r.exit_code == 0, r.output
    a = {(e.en, e.vi) for e in load(small_dir).entries if not e.is_pattern}
    b = {(e.en, e.vi) for e in load(fresh).entries}
    assert a == b and {e.category for e in load(fresh).entries} == {"imported"}
    # importing again changes nothing
    r = run("--dir", str(fresh), "import", "--yes", str(out), "--category", "imported")
    assert "imported 0, skipped 10" in r.output


def test_tbx_is_tbx_basic(small_dir):
    xml = to_tbx(load(small_dir).entries, "g-test")
    root = ET.fromstring(xml.encode())
    assert root.tag == f"{{{TBX_NS}}}tbx" and root.get("type") == "TBX-Basic" and root.get("style") == "dca"
    ces = root.findall(f".//{{{TBX_NS}}}conceptEntry")
    assert len(ces) == 12
    first = ces[0]
    assert first.find(f"{{{TBX_NS}}}descrip").text == "organizations"  # files in name order
    langs = [ls.get("{http://www.w3.org/XML/1998/namespace}lang") for ls in first.findall(f"{{{TBX_NS}}}langSec")]
    assert langs == ["en", "vi"]


def test_tbx_round_trip_of_the_whole_glossary(tmp_path):
    out = tmp_path / "g.tbx"
    r = run("--dir", str(REPO_GLOSSARY), "export", "--format", "tbx", "--output", str(out))
    assert r.exit_code == 0
    fresh = tmp_path / "fresh"
    # TBX carries the entries; the generated units (the {unit} and {name}
    # slots' data) travel as their own file.
    fresh.mkdir()
    (fresh / "units.tsv").write_bytes((REPO_GLOSSARY / "units.tsv").read_bytes())
    r = run("--dir", str(fresh), "import", "--yes", str(out))
    assert r.exit_code == 0, r.output
    orig, back = load(REPO_GLOSSARY), load(fresh)
    assert semantic(orig) == semantic(back)
    assert orig.version == back.version  # same content, same version
    # and the imported files are valid glossary files the checker accepts
    assert run("--dir", str(fresh), "check").exit_code == 0


def test_bad_inputs():
    with pytest.raises(ExchangeError, match="line 2"):
        from_csv("en,vi\nonly-one-column\n")
    with pytest.raises(ExchangeError, match="not well-formed"):
        from_tbx("<tbx><unclosed></tbx>")
    with pytest.raises(ExchangeError, match="expected <tbx>"):
        from_tbx("<glossary/>")
    assert [(r.en, r.vi) for r in from_csv("\ufeffvi,en\nTô Lâm,To Lam\n")] == [("To Lam", "Tô Lâm")]


MARTIF = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en-US">
 <martifHeader><fileDesc><sourceDesc><p>exported by a terminology tool</p></sourceDesc></fileDesc></martifHeader>
 <text><body>
  <termEntry id="t1">
   <descrip type="subjectField">../../escape</descrip>
   <langSet xml:lang="en-US"><tig><term>Border Guard Command</term>
     <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig></langSet>
   <langSet xml:lang="vi-VN"><ntig><termGrp><term>Bộ Chỉ huy Bộ đội Biên phòng</term></termGrp></ntig></langSet>
  </termEntry>
 </body></text>
</martif>
"""


def test_import_tbx_2008_martif_from_other_tools(tmp_path):
    from click.testing import CliRunner

    from syndicate.cli import main
    from syndicate.glossary import load

    f = tmp_path / "tool.tbx"
    f.write_text(MARTIF, encoding="utf-8")
    d = tmp_path / "g"
    r = CliRunner().invoke(main, ["glossary", "--dir", str(d), "import", "--yes", str(f), "-c", "organizations"])
    assert r.exit_code == 0, r.output
    assert "subject field(s) '../../escape' are not category names" in r.stderr
    # nothing written outside the glossary folder
    assert sorted(p.name for p in tmp_path.rglob("*.toml")) == ["organizations.toml"]
    e = load(d).entries[0]
    assert (e.category, e.en, e.vi) == ("organizations", "Border Guard Command", "Bộ Chỉ huy Bộ đội Biên phòng")
    assert "subject field: ../../escape" in e.note


# --- issue 12, item 12: what a terminologist hits with other tools' files -------------


@pytest.mark.parametrize("header", ["source,target", "Source,Target", "English,Vietnamese", "en-US,vi-VN",
                                    "vi_VN,en_GB", "Source term,Target term"])
def test_a_header_row_of_column_or_language_names_is_a_header(header):
    text = f"{header}\nBorder Guard Command,Bộ Chỉ huy Bộ đội Biên phòng\n"
    if header.lower().startswith("vi"):
        text = f"{header}\nBộ Chỉ huy Bộ đội Biên phòng,Border Guard Command\n"
    records = from_csv(text)
    assert [(r.en, r.vi) for r in records] == [("Border Guard Command", "Bộ Chỉ huy Bộ đội Biên phòng")]
    assert records[0].where == "line 2"


def test_source_target_header_is_not_imported_as_an_entry(tmp_path):
    f = tmp_path / "deepl.csv"
    f.write_text("source,target\nBorder Guard Command,Bộ Chỉ huy Bộ đội Biên phòng\n", encoding="utf-8")
    d = tmp_path / "g"
    r = run("--dir", str(d), "import", "--yes", str(f))
    assert r.exit_code == 0, r.output
    assert "imported 1," in r.output
    assert [(e.en, e.vi) for e in load(d).entries] == [("Border Guard Command", "Bộ Chỉ huy Bộ đội Biên phòng")]


def test_dry_run_shows_the_entries_and_writes_nothing(small_dir, tmp_path):
    before = {p.name: p.read_bytes() for p in small_dir.iterdir()}
    f = tmp_path / "new.csv"
    f.write_text("en,vi\nBorder Guard Command,Bộ Chỉ huy Bộ đội Biên phòng\nQuang Ninh,Quảng Ninh\n",
                 encoding="utf-8")
    r = run("--dir", str(small_dir), "import", "--yes", str(f), "-c", "organizations", "--dry-run")
    assert r.exit_code == 0, r.output
    assert "would import 1, skipped 1 already present" in r.output and "nothing written" in r.output
    assert "--- organizations.toml: 1 new entry" in r.output
    assert 'en = "Border Guard Command"' in r.output
    assert {p.name: p.read_bytes() for p in small_dir.iterdir()} == before
    # The same command without --dry-run does what the dry run said.
    r = run("--dir", str(small_dir), "import", "--yes", str(f), "-c", "organizations")
    assert "imported 1, skipped 1 already present" in r.output
    assert "Border Guard Command" in {e.en for e in load(small_dir).entries}


def test_dry_run_reports_a_conflict_like_the_real_import(small_dir, tmp_path):
    f = tmp_path / "clash.csv"
    f.write_text("en,vi\nQuang Ninh,Quảng Nình\n", encoding="utf-8")
    r = CliRunner().invoke(glossary, ["--dir", str(small_dir), "import", "--yes", str(f), "--dry-run"])
    assert r.exit_code == 1
    assert "conflict: 'Quang Ninh'" in r.stderr


def test_a_semicolon_separated_file_gets_a_hint_and_imports_with_delimiter(tmp_path):
    f = tmp_path / "excel.csv"
    f.write_text("en;vi\nBorder Guard Command;Bộ Chỉ huy Bộ đội Biên phòng\n", encoding="utf-8")
    d = tmp_path / "g"
    r = CliRunner().invoke(glossary, ["--dir", str(d), "import", "--yes", str(f)])
    assert r.exit_code == 3
    assert f"{f}: line 1: need two non-empty columns" in r.stderr
    assert "looks ';'-separated" in r.stderr and "--delimiter ';'" in r.stderr
    assert not d.exists()  # nothing written
    r = CliRunner().invoke(glossary, ["--dir", str(d), "import", "--yes", str(f), "--delimiter", ";"])
    assert r.exit_code == 0, r.output
    assert [(e.en, e.vi) for e in load(d).entries] == [("Border Guard Command", "Bộ Chỉ huy Bộ đội Biên phòng")]


def test_csv_export_says_what_it_left_out(tmp_path):
    g = load(REPO_GLOSSARY)
    patterns = sum(1 for e in g.entries if e.is_pattern)
    vi_en_only = sum(1 for e in g.entries if not e.is_pattern and not e.works("en", "vi"))
    assert patterns and vi_en_only  # the repository's glossary has both
    out = tmp_path / "g.csv"
    r = CliRunner().invoke(glossary, ["--dir", str(REPO_GLOSSARY), "export", "--format", "csv", "-o", str(out)])
    assert r.exit_code == 0
    assert f"left out {patterns} pattern(s)" in r.stderr and "--format tbx keeps them" in r.stderr
    assert f"left out {vi_en_only} entries that only translate vi->en" in r.stderr
    rows = out.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + len(g.entries) - patterns - vi_en_only
    # To stdout, the file stays clean: the notes go to stderr.
    r = CliRunner().invoke(glossary, ["--dir", str(REPO_GLOSSARY), "export", "--format", "csv", "-o", "-"])
    assert "left out" not in r.stdout and "left out" in r.stderr
    # TBX keeps everything: nothing to report.
    r = CliRunner().invoke(glossary, ["--dir", str(REPO_GLOSSARY), "export", "--format", "tbx", "-o", str(out)])
    assert "left out" not in r.stderr
