"""What a feed poll costs the embedded server: full GET, gzip GET, and the
conditional GET (304) that well-behaved readers send most of the time.

Publishes the repository's sample inbox into a temp folder, serves it with
waitress on a loopback port, and polls it from client threads.

    .venv/bin/python bench/serve.py            # 5 s per scenario, 4 clients
    .venv/bin/python bench/serve.py --seconds 2 --clients 8
"""
from __future__ import annotations

import argparse
import logging
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "support")]

import testsite  # noqa: E402
from syndicate.pipeline import run_cycle  # noqa: E402
from syndicate.serve import app_for, create_server, server_url, start_in_thread, stop_server  # noqa: E402
from syndicate.store import Store  # noqa: E402


def poll(url: str, headers: dict[str, str], seconds: float, expect: int, out: list[float]) -> None:
    with requests.Session() as s:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            t0 = time.perf_counter()
            r = s.get(url, headers=headers)
            _ = r.content
            out.append(time.perf_counter() - t0)
            if r.status_code != expect:
                raise SystemExit(f"{url}: expected {expect}, got {r.status_code}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--articles", type=int, default=60, help="inbox size; feeds hold the newest 50")
    args = ap.parse_args()
    logging.getLogger("waitress").setLevel(logging.ERROR)  # "Task queue depth" chatter

    tmp = Path(tempfile.mkdtemp(prefix="syndicate-bench-"))
    try:
        src = tmp / "src"
        src.mkdir()
        for i in range(args.articles):
            sample = testsite.SAMPLES[i % len(testsite.SAMPLES)]
            lines = sample.read_text(encoding="utf-8").splitlines()
            lines[2] = f"{lines[2]} ({i})"  # a distinct headline makes a distinct article
            (src / f"{i:04}-{sample.name}").write_text("\n".join(lines) + "\n", encoding="utf-8")
        cfg = testsite.load(testsite.make(tmp, samples=sorted(src.iterdir())))
        with Store(cfg.db_path) as store:
            run_cycle(cfg, store=store)
        server = create_server(app_for(cfg), "127.0.0.1", 0)
        thread = start_in_thread(server)
        base = server_url(server)
        feed = base + "en/atom.xml"
        size = (cfg.feeds_dir / "en" / "atom.xml").stat().st_size
        first = requests.get(feed, headers={"Accept-Encoding": "gzip"})
        scenarios = [
            ("GET 200 identity", {"Accept-Encoding": "identity"}, 200),
            ("GET 200 gzip", {"Accept-Encoding": "gzip"}, 200),
            ("GET 304 If-None-Match", {"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]}, 304),
            ("GET 304 If-Modified-Since", {"If-Modified-Since": first.headers["Last-Modified"]}, 304),
        ]
        print(f"# {feed} ({size} bytes), {args.clients} clients x {args.seconds:g} s per scenario")
        print(f"# reproduce: .venv/bin/python bench/serve.py --seconds {args.seconds:g} --clients {args.clients}"
              f" --articles {args.articles}")
        print(f"| {'scenario':<26} | {'req/s':>7} | {'p50 ms':>7} | {'p99 ms':>7} |")
        print(f"|{'-' * 28}|{'-' * 9}|{'-' * 9}|{'-' * 9}|")
        for name, headers, expect in scenarios:
            lat: list[float] = []
            threads = [threading.Thread(target=poll, args=(feed, headers, args.seconds, expect, lat))
                       for _ in range(args.clients)]
            t0 = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.monotonic() - t0
            q = statistics.quantiles(lat, n=100)
            print(f"| {name:<26} | {len(lat) / wall:>7.0f} | {q[49] * 1000:>7.2f} | {q[98] * 1000:>7.2f} |")
        stop_server(server, thread)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
