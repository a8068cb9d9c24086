"""The project's own Vietnamese is NFC with one tone-mark convention, in
code, docs, the glossary and tests alike. Tests that need the other
convention or NFD as input write it with escapes, so no file carries it."""
import subprocess
import unicodedata
from pathlib import Path

from syndicate.text.vietnamese import tone_convention

REPO = Path(__file__).resolve().parents[2]

# Real-world input kept as the outside world sends it (Miniflux-style
# testdata): a page whose text is NFD. Its text after normalization is
# checked by the tests that read it.
EXEMPT = {"tests/sources/testdata/page_nfd.html"}
TEXT_SUFFIXES = {".py", ".md", ".toml", ".txt", ".xml", ".html", ".xsl", ".json", ".cfg", ".service", ""}


def tracked_text_files():
    out = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    for rel in out.split("\n"):
        p = REPO / rel
        if rel and rel not in EXEMPT and p.suffix in TEXT_SUFFIXES and p.is_file():
            yield rel, p


def test_every_tracked_text_file_is_nfc_in_the_project_tone_convention():
    problems = []
    for rel, p in tracked_text_files():
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # legacy-encoded testdata (cp1258 pages) is bytes, not our text
        for n, line in enumerate(text.splitlines(), 1):
            if not unicodedata.is_normalized("NFC", line):
                problems.append(f"{rel}:{n}: not NFC")
            elif tone_convention(line) != line:
                problems.append(f"{rel}:{n}: other tone-mark style: {line.strip()[:60]!r}")
    assert problems == []


def test_the_check_sees_what_it_must():
    assert tone_convention("Ho\u00e0 b\u00ecnh") != "Ho\u00e0 b\u00ecnh"  # the other style is seen
    assert not unicodedata.is_normalized("NFC", unicodedata.normalize("NFD", "Công an"))
