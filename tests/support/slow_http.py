"""A pytest-httpserver handler that answers late, for timeout tests.

The client gives up before the answer, but the server still finishes the
request afterwards and logs it. `settle()` waits for that, so a late answer
never lands in the next test's request log (the server is shared)."""
from __future__ import annotations

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
