"""Remote RSS/Atom sources: fetch the feed, fetch each new item's page, extract
the article text, hand Article records to the pipeline.

parse reads the feed document (and refuses hostile XML), items turns an
item into an Article by the portal's rules, page fetches and extracts an
item's article page, collect runs one cycle of one source.

A source that cannot be read this cycle (timeout, HTTP error, malformed or
hostile XML, oversized body) fails as a whole with one clear reason in
SourceResult.error and in source_state; it never raises, so other sources
go on, and nothing already stored is touched. A single item whose page
cannot be had falls back to the feed's own text for it, or is rejected for
this cycle and tried again next cycle.

The feed's ETag/Last-Modified are kept only when a cycle took every item of
the feed: when max_pages cut the cycle short, a page failed, or an item was
handed to the pipeline but never stored, the next request is unconditional
so no item is hidden behind a 304.
"""
from __future__ import annotations

from .collect import FeedSettings, collect
from .items import detect_language, html_paragraphs
from .parse import FeedError, check_feed_bytes, parse_feed

__all__ = ["FeedError", "FeedSettings", "check_feed_bytes", "collect", "detect_language", "html_paragraphs",
           "parse_feed"]
