"""What a feed poll costs the embedded server: full GET, gzip GET, and the
conditional GET (304) that well-behaved readers send most of the time; then
which load it holds: 50, 150 and 500 concurrent clients, and slowloris
clients dribbling their headers while a probe polls, under waitress's own
defaults and under syndicate's [server] defaults.

Publishes the repository's sample inbox into a temp folder, serves it with
waitress on a loopback port, and polls it from client threads. Every loop
is bounded and stops by itself.

    .venv/bin/python bench/serve.py            # 5 s per scenario, 4 clients
    .venv/bin/python bench/serve.py --seconds 2 --clients 8
    .venv/bin/python bench/serve.py --load     # also the load and slowloris tables
"""
from __future__ import annotations

import argparse
import dataclasses
import logging
import resource
import socket
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
from syndicate.config import Server  # noqa: E402
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


# waitress 3.0's own defaults, which syndicate ran with before [server] had
# limits; no header deadline (a huge one).
WAITRESS_DEFAULTS = Server(threads=4, connection_limit=100, channel_timeout=120, cleanup_interval=30,
                           backlog=1024, max_request_header_size=262144, header_timeout=10**6)
SETTINGS = {"waitress defaults": WAITRESS_DEFAULTS, "syndicate defaults": Server()}


def _get(session: requests.Session, url: str, headers: dict[str, str], timeout: float) -> float | None:
    """Seconds for one GET, or None when it failed or timed out."""
    t0 = time.perf_counter()
    try:
        r = session.get(url, headers=headers, timeout=timeout)
        _ = r.content
    except requests.RequestException:
        return None
    return time.perf_counter() - t0 if r.status_code == 200 else None


def load_row(url: str, clients: int, per_client: int, timeout: float) -> str:
    """`clients` threads at once, each `per_client` gzip GETs on one connection."""
    results: list[float | None] = []
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def client() -> None:
        mine = []
        with requests.Session() as s:
            start.wait()
            for _ in range(per_client):
                mine.append(_get(s, url, {"Accept-Encoding": "gzip"}, timeout))
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    ok = sorted(r for r in results if r is not None)
    failed = len(results) - len(ok)
    p50 = ok[len(ok) // 2] * 1000 if ok else float("nan")
    p99 = ok[min(len(ok) - 1, int(len(ok) * 0.99))] * 1000 if ok else float("nan")
    return (f"| {clients:>7} | {len(results):>8} | {failed:>6} | {len(ok) / wall:>6.0f} | {p50:>7.1f} |"
            f" {p99:>7.1f} |")


def _slowloris(host: str, port: int, stop: threading.Event, interval: float, opened: list[int]) -> None:
    """One attacker: open a connection, send a header byte every `interval`
    seconds, reconnect when the server drops it; until `stop`."""
    line = b"GET /en/atom.xml HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100000
    while not stop.is_set():
        try:
            with socket.create_connection((host, port), timeout=2) as s:
                opened.append(1)
                for i in range(len(line)):
                    if stop.wait(interval):
                        return
                    s.sendall(line[i:i + 1])
        except OSError:
            stop.wait(interval)


def slowloris_row(url: str, attackers: int, window: float, interval: float) -> str:
    """`attackers` slow clients for `window` seconds; a probe GETs the feed
    every 0.25 s with a 2 s timeout. How many probes got through?"""
    u = requests.utils.urlparse(url)
    stop = threading.Event()
    opened: list[int] = []
    threads = [threading.Thread(target=_slowloris, args=(u.hostname, u.port, stop, interval, opened), daemon=True)
               for _ in range(attackers)]
    for t in threads:
        t.start()
    time.sleep(min(3.0, window / 4))  # let them connect
    probes: list[float | None] = []
    end = time.monotonic() + window
    while time.monotonic() < end:
        with requests.Session() as s:  # a new reader each time, as a poller from elsewhere would be
            probes.append(_get(s, url, {}, 2.0))
        time.sleep(0.25)
    stop.set()
    for t in threads:
        t.join(5)
    ok = sorted(p for p in probes if p is not None)
    p50 = ok[len(ok) // 2] * 1000 if ok else float("nan")
    return f"| {attackers:>9} | {len(opened):>11} | {len(probes):>6} | {len(ok) / max(len(probes), 1):>8.0%} | {p50:>7.1f} |"


def load_tables(cfg, args) -> None:
    """The load and slowloris tables, under each of SETTINGS."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the attackers' sockets live in this process
    for name, settings in SETTINGS.items():
        server = create_server(app_for(cfg), "127.0.0.1", 0, settings)
        thread = start_in_thread(server)
        url = server_url(server) + "en/atom.xml"
        print(f"\n## {name}: {_describe(settings)}")
        print(f"| {'clients':>7} | {'requests':>8} | {'failed':>6} | {'req/s':>6} | {'p50 ms':>7} | {'p99 ms':>7} |")
        print(f"|{'-' * 9}|{'-' * 10}|{'-' * 8}|{'-' * 8}|{'-' * 9}|{'-' * 9}|")
        for clients in args.concurrency:
            print(load_row(url, clients, max(1, args.requests // clients), args.timeout), flush=True)
        print(f"\n| {'slowloris':>9} | {'connections':>11} | {'probes':>6} | {'answered':>8} | {'p50 ms':>7} |")
        print(f"|{'-' * 11}|{'-' * 13}|{'-' * 8}|{'-' * 10}|{'-' * 9}|")
        for attackers in args.slowloris:
            print(slowloris_row(url, attackers, args.window, args.drip), flush=True)
        stop_server(server, thread)


def _describe(s: Server) -> str:
    keys = ("threads", "connection_limit", "channel_timeout", "cleanup_interval", "header_timeout")
    return ", ".join(f"{k}={getattr(s, k) if getattr(s, k) != 10**6 else 'none'}" for k in keys)


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--articles", type=int, default=60, help="inbox size; feeds hold the newest 50")
    ap.add_argument("--load", action="store_true", help="also the concurrency and slowloris tables")
    ap.add_argument("--concurrency", type=_ints, default=[50, 150, 500], help="concurrent clients, e.g. 50,150,500")
    ap.add_argument("--requests", type=int, default=5000, help="requests per concurrency row, split among clients")
    ap.add_argument("--timeout", type=float, default=10.0, help="client timeout per request, seconds")
    ap.add_argument("--slowloris", type=_ints, default=[120, 1200], help="slow clients per row, e.g. 120,1200")
    ap.add_argument("--window", type=float, default=40.0, help="seconds each slowloris row lasts")
    ap.add_argument("--drip", type=float, default=1.0, help="seconds between a slow client's header bytes")
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
        if args.load:
            print(f"\n# reproduce: .venv/bin/python bench/serve.py --load --seconds {args.seconds:g}"
                  f" --concurrency {','.join(map(str, args.concurrency))} --requests {args.requests}"
                  f" --slowloris {','.join(map(str, args.slowloris))} --window {args.window:g} --drip {args.drip:g}")
            load_tables(cfg, args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
