"""A pytest-httpserver handler that answers late, for timeout tests.

The client gives up before the answer, but the server still finishes the
request afterwards and logs it. `settle()` waits for that, so a late answer
never lands in the next test's request log (the server is shared)."""
from __future__ import annotations

import socket
import threading
import time

from werkzeug import Request, Response


class SlowHandler:
    def __init__(self, seconds: float, body: str = "late"):
        self.seconds = seconds
        self.body = body
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> Response:
        with self._lock:
            self.calls += 1
        time.sleep(self.seconds)
        return Response(self.body)

    def settle(self, httpserver, path: str, timeout: float = 10.0) -> None:
        """Return once the server has logged every request this handler took."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if sum(1 for req, _ in httpserver.log if req.path == path) >= self.calls:
                return
            time.sleep(0.02)
        raise AssertionError(f"{path}: the server did not finish its late answers within {timeout}s")


class DribblingServer:
    """A raw HTTP server on loopback that sends its status line, then its
    headers one byte every `interval` seconds for `seconds`, then a short
    complete response. Every byte comes within any read timeout longer than
    `interval`, so only a deadline on the whole request stops the client
    early. Use as a context manager; `url` is where it listens."""

    def __init__(self, interval: float = 0.1, seconds: float = 8.0):
        self.interval = interval
        self.seconds = seconds
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.1)  # accept() wakes to see the stop flag
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/feed.xml"
        self.connections = 0
        self.finished = 0  # responses sent in full
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> "DribblingServer":
        t = threading.Thread(target=self._accept, daemon=True)
        t.start()
        self._threads.append(t)
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=5)
        self.sock.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            conn.settimeout(None)
            self.connections += 1
            t = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            t.start()
            self._threads.append(t)

    def _serve(self, conn) -> None:
        with conn:
            try:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(4096)
                    if not chunk:
                        return
                    data += chunk
                conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                end = time.monotonic() + self.seconds
                while time.monotonic() < end and not self._stop.is_set():
                    conn.sendall(b"a")
                    time.sleep(self.interval)
                conn.sendall(b"\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                self.finished += 1
            except OSError:
                return  # the client hung up: what a deadline does
