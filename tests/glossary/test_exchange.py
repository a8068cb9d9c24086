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
    r = run("--dir", str(fresh), "import", str(out), "--category", "imported")
    assert r.exit_code == 0, r.output
    a = {(e.en, e.vi) for e in load(small_dir).entries if not e.is_pattern}
    b = {(e.en, e.vi) for e in load(fresh).entries}
    assert a == b and {e.category for e in load(fresh).entries} == {"imported"}
    # importing again changes nothing
    r = run("--dir", str(fresh), "import", str(out), "--category", "imported")
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
    r = run("--dir", str(fresh), "import", str(out))
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
    r = CliRunner().invoke(main, ["glossary", "--dir", str(d), "import", str(f), "-c", "organizations"])
    assert r.exit_code == 0, r.output
    assert "subject field(s) '../../escape' are not category names" in r.stderr
    # nothing written outside the glossary folder
    assert sorted(p.name for p in tmp_path.rglob("*.toml")) == ["organizations.toml"]
    e = load(d).entries[0]
    assert (e.category, e.en, e.vi) == ("organizations", "Border Guard Command", "Bộ Chỉ huy Bộ đội Biên phòng")
    assert "subject field: ../../escape" in e.note
