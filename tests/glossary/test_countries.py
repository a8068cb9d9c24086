"""Foreign places (issue 10, item 5): countries from CLDR (babel) and ISO
3166-1 (pycountry), generated into glossary/countries.toml, plus capitals
and partner police forces by hand, each with where its form was checked."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from syndicate.glossary.fileformat import parse_file

ROOT = Path(__file__).resolve().parents[2]


def targets(g, text, src, tgt):
    return [m.target for m in g.find(text, src, tgt)]


def test_countries_file_is_what_the_generator_writes():
    r = subprocess.run([sys.executable, "glossary/tools/gen_countries.py", "--check"], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_countries_both_ways_with_official_names(repo_glossary):
    assert targets(repo_glossary, "Delegations from Switzerland and the Swiss Confederation", "en", "vi") == \
        ["Thụy Sĩ", "Thụy Sĩ"]
    assert targets(repo_glossary, "Đoàn công tác tại Thụy Điển và Nam Phi.", "vi", "en") == ["Sweden", "South Africa"]


def test_a_hand_written_country_wins(repo_glossary):
    # places_local.toml writes Russia as "Liên bang Nga" (Nga alone is a given name), so the
    # generator leaves CLDR's "Nga" out rather than give Russia two targets.
    generated = parse_file(ROOT / "glossary" / "countries.toml")[0]
    assert not any(e.en == "Russia" or e.vi == "Nga" for e in generated)
    assert targets(repo_glossary, "Russia", "en", "vi") == ["Liên bang Nga"]


def test_one_syllable_vietnamese_names_are_not_read(repo_glossary):
    # "ông Đức" is a man called Đức, not Germany.
    assert targets(repo_glossary, "Germany and France", "en", "vi") == ["Đức", "Pháp"]
    assert targets(repo_glossary, "ông Đức cho biết về pháp luật", "vi", "en") == []


def test_english_names_that_are_something_else_are_read_only_from_vietnamese(repo_glossary):
    assert targets(repo_glossary, "Atlanta, Georgia", "en", "vi") == []
    assert targets(repo_glossary, "Đoàn đại biểu Georgia", "vi", "en") == ["Georgia"]


def test_partner_forces_and_capitals_say_where_they_were_checked(repo_glossary):
    hand = {e.en: e for e in repo_glossary.entries if e.file.name in ("organizations.toml", "places_local.toml")}
    for en in ("Lao Ministry of Public Security", "Ministry of Interior of Cambodia",
               "Ministry of Public Security of China", "Beijing", "Phnom Penh", "Vientiane", "Moscow"):
        assert any(src in hand[en].note for src in ("VOV", "VietnamPlus", "CLDR")), en
    # The partner's minister is not the Vietnamese minister followed by "China".
    assert targets(repo_glossary, "Bộ trưởng Bộ Công an Trung Quốc thăm Bộ An ninh Lào", "vi", "en") == \
        ["Minister of Public Security of China", "Lao Ministry of Public Security"]
    assert targets(repo_glossary, "China's Ministry of Public Security and the Ministry of Public Security",
                   "en", "vi") == ["Bộ Công an Trung Quốc", "Bộ Công an"]
