"""WebSub publish pings: tell the hub which feeds changed, so subscribers get
new entries pushed instead of waiting for their next poll.

A ping that fails (hub down, timeout, non-2xx) stays in a small pending file
in the data folder and is retried after the next cycle, so a hub outage
never loses a notification, even across restarts.
"""
from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import requests

log = logging.getLogger("syndicate.websub")

PENDING_NAME = "websub-pending.json"
# Short: a cycle waits for its pings, and a stop request for the cycle.
TIMEOUT = 5.0


def pending_path(data_dir: Path) -> Path:
    return Path(data_dir) / PENDING_NAME


def load_pending(data_dir: Path) -> list[str]:
    p = pending_path(data_dir)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as e:
        # A damaged file costs at most one round of pings; say so and move on.
        log.warning("%s: unreadable (%s); starting with no pending pings", p, e)
        return []
    return [u for u in data.get("pending", []) if isinstance(u, str)]


def save_pending(data_dir: Path, urls: list[str]) -> None:
    p = pending_path(data_dir)
    if not urls:
        try:
            p.unlink()
        except FileNotFoundError:
            pass
        return
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=".websub-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"pending": urls}, f, indent=1)
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def ping(hub: str, url: str, session: requests.Session | None = None, timeout: float = TIMEOUT) -> str | None:
    """POST hub.mode=publish for one feed URL. Returns None on success, else the error."""
    s = session or requests
    try:
        r = s.post(hub, data={"hub.mode": "publish", "hub.url": url}, timeout=timeout,
                   headers={"User-Agent": "syndicate (WebSub publisher)"})
    except requests.RequestException as e:
        return f"{type(e).__name__}: {e}"
    if 200 <= r.status_code < 300:
        return None
    return f"HTTP {r.status_code}: {r.text[:200].strip()}"


def notify(hub: str, data_dir: Path, changed: list[str], stop=None) -> dict[str, Any]:
    """Ping the hub for every changed feed plus every earlier failure.

    Everything to ping is on disk before the first ping, so a process killed
    mid-way re-sends the rest after its restart. A stop request leaves the
    remaining pings pending for the next start.

    Returns {"pinged": [...], "pending": [...], "errors": {url: error}}.
    """
    urls = list(dict.fromkeys([*load_pending(data_dir), *changed]))
    if urls:
        save_pending(data_dir, urls)
    pinged: list[str] = []
    failed: list[str] = []
    errors: dict[str, str] = {}
    with requests.Session() as session:
        for i, url in enumerate(urls):
            if stop is not None and stop.is_set():
                failed.extend(urls[i:])
                break
            err = ping(hub, url, session)
            if err is None:
                pinged.append(url)
            else:
                failed.append(url)
                errors[url] = err
                log.warning("WebSub ping to %s for %s failed (retrying next cycle): %s", hub, url, err,
                            extra={"fields": {"event": "websub-failed", "hub": hub, "url": url, "error": err}})
    save_pending(data_dir, failed)
    return {"pinged": pinged, "pending": failed, "errors": errors}
