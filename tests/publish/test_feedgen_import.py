"""feedgen 1.0.0's util module uses lxml.etree without importing it; our
wrapper must import cleanly in a fresh interpreter whatever was imported
before it."""
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_feedgen_fixes_imports_first_in_a_fresh_interpreter():
    r = subprocess.run([sys.executable, "-c", "import syndicate.publish.feedgen_fixes as f; print(f.build_rss.__name__)"],
                       cwd=REPO, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "build_rss"
