"""What a cycle costs with a large inbox: the first run, an idle re-run
(nothing new), and a re-run with one new file; plus the idle re-run as it
was before the store remembered inbox files (every file read and parsed).

Each size gets a fresh site in a temp folder: N portal exports made from
the repository's samples (a distinct headline each, about 20 a day), no translation model
installed (the state after `make run`), the whole cycle as `syndicate run`
runs it (ingest, translate, publish).

    .venv/bin/python bench/inbox.py                       # 1000, 10000, 50000 files
    .venv/bin/python bench/inbox.py --sizes 1000,5000
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "support")]

import testsite  # noqa: E402
from syndicate.config import load  # noqa: E402
from syndicate.pipeline import run_cycle  # noqa: E402
from syndicate.store import Store  # noqa: E402


def dateline(sample_line: str, day: date) -> str:
    """The sample's dateline format (vi: day first) for another day."""
    if "/" in sample_line:
        return f"{day:%d/%m/%Y}"
    return f"{day:%B}, {day:%d} {day:%Y}"


def make_site(root: Path, n: int) -> Path:
    """N exports, about 20 a day going back from the samples' dates, as a
    portal's archive would be (feeds then select the newest among many days)."""
    cfg_file = testsite.make(root, samples=[])
    inbox = root / "inbox"
    samples = [p.read_text(encoding="utf-8").splitlines() for p in testsite.SAMPLES]
    newest = date(2024, 4, 3)
    for i in range(n):
        lines = list(samples[i % len(samples)])
        lines[2] = f"{lines[2]} ({i})"  # a distinct headline: a distinct article
        lines[4] = dateline(lines[4], newest - timedelta(days=i // 20))
        (inbox / f"export-{i:06}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return cfg_file


def timed_cycle(cfg) -> tuple[float, object]:
    with Store(cfg.db_path) as store:
        t0 = time.perf_counter()
        report = run_cycle(cfg, store=store)
        return time.perf_counter() - t0, report


def forget_files(cfg) -> None:
    """Back to the old behaviour for one cycle: nothing remembered, every file read."""
    with Store(cfg.db_path) as store:
        store.forget_inbox_files(cfg.sources[0].name, sorted(store.inbox_files(cfg.sources[0].name)))


def add_one(root: Path, n: int) -> None:
    lines = testsite.SAMPLES[0].read_text(encoding="utf-8").splitlines()
    lines[2] = f"{lines[2]} (new {n})"
    (root / "inbox" / "export-new.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def row(n: int, what: str, seconds: float, report) -> str:
    t = report.timings
    stats = report.sources[0].stats
    return (f"{n:>7} {what:<34} {seconds:>8.2f} {t['ingest']:>8.2f} {t['translate']:>9.2f} {t['publish']:>8.2f}"
            f" {stats['read']:>7} {stats['parsed']:>7}")


def bench(n: int) -> list[str]:
    root = Path(tempfile.mkdtemp(prefix=f"syndicate-bench-inbox-{n}-"))
    try:
        cfg = load(make_site(root, n))
        out = []
        for what, prepare in (("first run", None), ("idle re-run", None),
                              ("idle re-run, files not remembered", forget_files),
                              ("one new file", lambda c: add_one(root, n))):
            if prepare:
                prepare(cfg)
            seconds, report = timed_cycle(cfg)
            out.append(row(n, what, seconds, report))
            print(out[-1], flush=True)
        return out
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,50000", help="inbox sizes, comma-separated")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"$ .venv/bin/python bench/inbox.py --sizes {args.sizes}")
    print(f"# {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}; whole cycle, no model installed")
    print(f"{'files':>7} {'cycle':<34} {'seconds':>8} {'ingest':>8} {'translate':>9} {'publish':>8}"
          f" {'read':>7} {'parsed':>7}")
    for n in sizes:
        bench(n)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"# peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
