"""The command line every generator in this folder shares: write the file,
or with --check say whether the committed one is what the generator makes
(the tests run --check, so a generated file never drifts by hand)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable


def main(doc: str, generate: Callable[[], str], out: Path, count: Callable[[str], str]) -> int:
    """`count(text)` says what was written, e.g. "234 entries"."""
    tool = f"glossary/tools/{Path(sys.argv[0]).name}"
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help=f"exit 1 if {out.name} differs from what would be generated")
    ap.add_argument("--out", type=Path, default=out)
    a = ap.parse_args()
    text = generate()
    if a.check:
        same = a.out.exists() and a.out.read_text(encoding="utf-8") == text
        print(f"{a.out.name} is up to date" if same else f"{a.out.name} is stale: run {tool}")
        return 0 if same else 1
    a.out.write_text(text, encoding="utf-8")
    print(f"wrote {a.out} ({count(text)})")
    return 0
