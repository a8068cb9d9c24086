"""The XSLT stylesheet that makes a feed opened in a browser a readable page.

Feed readers ignore `<?xml-stylesheet?>`; browsers apply it. Browsers only
apply a same-origin stylesheet, so the feeds point at it relatively
(`../feed.xsl` from `en/rss.xml`) and it is published beside them.
"""
from __future__ import annotations

from importlib import resources

STYLESHEET_NAME = "feed.xsl"


def stylesheet_bytes() -> bytes:
    return resources.files(__package__).joinpath("static", STYLESHEET_NAME).read_bytes()


def add_stylesheet(raw: bytes, href: str = "../" + STYLESHEET_NAME) -> bytes:
    """Insert the processing instruction right after the XML declaration."""
    pi = f'<?xml-stylesheet type="text/xsl" href="{href}"?>\n'.encode()
    if raw.startswith(b"<?xml"):
        end = raw.index(b"?>") + 2
        nl = 1 if raw[end:end + 1] == b"\n" else 0
        return raw[: end + nl] + (b"" if nl else b"\n") + pi + raw[end + nl:]
    return pi + raw
