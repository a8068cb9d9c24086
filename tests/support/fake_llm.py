"""A small OpenAI-compatible chat completions server for the tests.

It speaks the protocol that Ollama, llama.cpp's server and vLLM speak
(POST /v1/chat/completions, JSON in, ``choices[0].message.content`` out) on
a loopback port, and "translates" by prefixing ``VI:`` (or ``EN:``) to each
sentence, keeping everything else, placeholders included. Switches make it
misbehave the ways real servers and models do:

    drop_placeholder  the model loses the first placeholder (ZQAA-like token)
    duplicate_placeholder  ... or writes it twice
    delay             seconds to wait before answering (a slow server)
    malformed         a 200 answer whose body is not JSON
    chatty            the content is prose, not the JSON array asked for
    fail_first        answer the first N requests with HTTP `fail_status`

    with FakeLLM() as llm:
        llm.url            # http://127.0.0.1:PORT/v1, for [translation] llm_url
        llm.requests       # every request: {"path", "headers", "body"}
"""
from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PLACEHOLDER = re.compile(r"\b[A-Z]{4}\b")


class FakeLLM:
    def __init__(self) -> None:
        self.drop_placeholder = False
        self.duplicate_placeholder = False
        self.delay = 0.0
        self.malformed = False
        self.chatty = False
        self.fail_first = 0
        self.fail_status = 503
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> "FakeLLM":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def translate(self, sentence: str, tgt_marker: str) -> str:
        out = f"{tgt_marker}: {sentence}"
        if self.drop_placeholder:
            out = PLACEHOLDER.sub("", out, count=1).replace("  ", " ")
        elif self.duplicate_placeholder:
            out = PLACEHOLDER.sub(lambda m: f"{m.group()} {m.group()}", out, count=1)
        return out

    def answer(self, body: dict) -> tuple[int, bytes]:
        """(status, body) for one request, as the switches say."""
        with self._lock:
            n = len(self.requests)
        if n <= self.fail_first:
            return self.fail_status, b'{"error": {"message": "overloaded"}}'
        if self.malformed:
            return 200, b"<html>502 Bad Gateway</html>"
        system, user = body["messages"][0]["content"], body["messages"][1]["content"]
        marker = "VI" if "to Vietnamese" in system else "EN"
        if self.chatty:
            content = "Sure! Here are the translations you asked for."
        elif "JSON array" in system:
            content = json.dumps([self.translate(s, marker) for s in json.loads(user)], ensure_ascii=False)
        else:
            content = self.translate(user, marker)
        reply = {
            "id": f"chatcmpl-{n}", "object": "chat.completion", "model": body.get("model", ""),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                         "finish_reason": "stop"}],
        }
        return 200, json.dumps(reply, ensure_ascii=False).encode("utf-8")


def _handler(fake: FakeLLM):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = json.loads(raw or b"{}")
            with fake._lock:
                fake.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
            if fake.delay:
                time.sleep(fake.delay)
            if self.path != "/v1/chat/completions":
                status, out = 404, b'{"error": {"message": "not found"}}'
            else:
                status, out = fake.answer(body)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)
            except OSError:  # the client gave up waiting (a timeout test)
                pass

        def log_message(self, *args) -> None:
            pass

    return Handler
