"""How long the sentence splitter takes on hostile lines: 1 MB of "!", of
"Mr. ", of "...", and other runs that made the old splitter quadratic, plus
ordinary news text for scale. The old candidate pattern (one regex with a
backtracking punctuation run) is timed on short runs of "!" for comparison;
on 1 MB it would take hours.

    .venv/bin/python bench/splitter.py             # 1 MB inputs
    .venv/bin/python bench/splitter.py --mb 0.25   # quicker
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "bench")]

from news_text import paragraphs  # noqa: E402
from syndicate.translate.splitter import Steps, segments  # noqa: E402

# translate/splitter.py before it was made linear: its candidate pattern alone.
_OLD_CANDIDATE = re.compile(r"(\.\.\.|[.!?…]+)([\"”’')\]»]*)(\s+)")


def inputs(size: int) -> dict[str, str]:
    def rep(unit: str) -> str:
        return unit * (size // len(unit))

    news = "\n\n".join(paragraphs())
    return {
        '"!" x N': rep("!"),
        '"Mr. " x N': rep("Mr. "),
        '"..." x N': rep("..."),
        '"... " x N': rep("... "),
        '"A. " x N': rep("A. "),
        '"U.S. " x N': rep("U.S. "),
        '"Hi. " x N': rep("Hi. "),
        "one long word, then '. B'": "a" * size + ". B",
        "news paragraphs": (news + "\n\n") * max(1, size // (len(news) + 2)),
    }


def best_of(fn, repeat: int) -> tuple[float, float]:
    """(wall, CPU) seconds of the fastest run. CPU time is what the split
    costs; wall time also counts waiting for a core on a busy machine."""
    runs = []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        runs.append((time.perf_counter() - w0, time.process_time() - c0))
    return min(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=1.0, help="size of each input in MB (default 1)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per input; the best is shown")
    args = ap.parse_args()
    size = int(args.mb * 1_000_000)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"# {platform.machine()} {os.cpu_count()} cores, load {load:.1f}, Python {platform.python_version()}")
    print(f"# {' '.join(['python', *sys.argv])}")
    print(f"{'input':28} {'chars':>9} {'segments':>9} {'steps/char':>10} {'wall s':>7} {'CPU s':>7}")
    for name, text in inputs(size).items():
        steps = Steps()
        segs = segments(text, steps=steps)
        wall, cpu = best_of(lambda t=text: segments(t), args.repeat)
        print(f"{name:28} {len(text):9d} {len(segs):9d} {steps.n / len(text):10.2f} {wall:7.3f} {cpu:7.3f}")
    print("\nthe old candidate pattern alone, on runs of '!' (quadratic):")
    for n in (2500, 5000, 10000):
        wall, cpu = best_of(lambda n=n: list(_OLD_CANDIDATE.finditer("!" * n)), 1)
        print(f"{'old: ' + repr('!') + f' x {n}':28} {n:9d} {'':9} {'':10} {wall:7.3f} {cpu:7.3f}")


if __name__ == "__main__":
    main()
