"""One feed source, one cycle: fetch the feed, take each new or changed
item (its page, else its own text), and record what was seen so the next
cycle asks only for what it must."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ...article import Article, article_id
from ...store import Store, utcnow
from ..base import Rejected, SourceResult
from ..fetch import Deadline, Fetcher, FetchError, FetchOptions, Response, earliest
from ..politeness import Politeness
from ..state import backing_off, record_failure, record_success
from .items import build_article, entry_hash, entry_link, entry_paragraphs, text_field
from .page import PageError, fetch_page
from .parse import FeedError, lang_code, newest_first, parse_feed

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
MAX_PAGE_ATTEMPTS = 3  # after these, an item keeps its feed text for good
FORGET_AFTER = timedelta(days=30)  # item memory kept this long after it leaves the feed


@dataclass(frozen=True)
class FeedSettings:
    """What a cycle reads from the source's configuration, read in one place."""
    name: str
    url: str
    language: str  # "en", "vi" or "auto"
    max_pages: int
    max_items: int
    full_text: bool
    selector: str
    deadline: float  # seconds for the whole collection (source_deadline)
    fetch: FetchOptions

    @classmethod
    def of(cls, source) -> "FeedSettings":
        return cls(
            name=source.name,
            url=source.url,
            language=source.language,
            max_pages=max(0, int(source.max_pages)),
            max_items=max(1, int(source.max_items)),
            full_text=bool(source.fetch_full_text),
            selector=source.content_selector,
            deadline=float(source.source_deadline),
            fetch=FetchOptions.from_source(source),
        )


@dataclass
class _Cycle:
    cfg: FeedSettings
    store: Store
    fetcher: Fetcher
    now: datetime
    deadline: Deadline
    stop: threading.Event
    articles: list[Article] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    complete: bool = True  # every item of the feed was taken
    seen: set[str] = field(default_factory=set)  # links taken this cycle
    linkless: list[str] = field(default_factory=list)  # items without a link, by title or id
    cut_short: str | None = None  # why the cycle stopped before the last item

    def out_of_time(self) -> bool:
        """Stop before the next item: a stop was asked for, or the source's
        (or the cycle's) deadline passed. Says why in cut_short."""
        if self.cut_short is None and self.stop.is_set():
            self.cut_short = "stop requested"
        elif self.cut_short is None and self.deadline.passed(self.fetcher.clock):
            self.cut_short = f"{self.deadline} reached"
        return self.cut_short is not None


def collect(source, store: Store, *, fetcher: Fetcher | None = None, politeness: Politeness | None = None,
            now: datetime | None = None, deadline: Deadline | None = None,
            stop: threading.Event | None = None) -> SourceResult:
    """Read the feed; never raises. `politeness` is shared with the other
    sources of a run (a fresh one when None); `fetcher` overrides it.
    The collection ends at the source's own deadline or at `deadline` (the
    cycle's), whichever is first, or when `stop` is set, between two items:
    what was not taken waits for the next cycle."""
    result = SourceResult(name=source.name)
    now = now or utcnow()
    why = backing_off(store, source.name, now)
    if why:
        result.skipped = why
        return result
    cfg = FeedSettings.of(source)
    own = fetcher is None
    fetcher = fetcher or Fetcher(cfg.fetch, politeness=politeness)
    limit = earliest(Deadline.after(fetcher.clock, cfg.deadline, "source_deadline"), deadline)
    try:
        cycle, resp = _collect(_Cycle(cfg, store, fetcher, now, limit, stop or threading.Event()))
    except (FetchError, FeedError) as e:
        result.error = str(e)
        record_failure(store, source.name, result.error, now)
        return result
    except Exception as e:  # an unattended daemon must outlive a bug in one source
        result.error = f"{cfg.url}: internal error {type(e).__name__}: {e}"
        record_failure(store, source.name, result.error, now)
        return result
    finally:
        if own:
            fetcher.close()
    result.articles, result.rejected, result.stats = cycle.articles, cycle.rejected, cycle.stats
    _record_success(store, source.name, cycle, resp, now)
    return result


def _record_success(store: Store, name: str, cycle: _Cycle, resp: Response, now: datetime) -> None:
    """Keep the feed's validators only when this cycle took every item."""
    if resp.not_modified:
        st = store.source_state(name)
        record_success(store, name, etag=st.get("etag"), last_modified=st.get("last_modified"), now=now)
    elif cycle.complete:
        record_success(store, name, etag=resp.headers.get("etag"),
                       last_modified=resp.headers.get("last-modified"), now=now)
    else:
        record_success(store, name, etag=None, last_modified=None, now=now)


def _collect(cycle: _Cycle) -> tuple[_Cycle, Response]:
    cfg, store, fetcher, now = cycle.cfg, cycle.store, cycle.fetcher, cycle.now
    cycle.stats = {"feed_url": cfg.url, "not_modified": False, "pages": 0, "taken": 0, "unchanged": 0,
                   "left_for_next": 0}
    st = store.source_state(cfg.name)
    conditional = not store.unconfirmed_items(cfg.name)
    resp = fetcher.get(
        cfg.url,
        etag=st.get("etag") if conditional else None,
        last_modified=st.get("last_modified") if conditional else None,
        accept=FEED_ACCEPT,
        deadline=cycle.deadline,
    )
    if resp.not_modified:
        cycle.stats["not_modified"] = True
        return cycle, resp
    parsed = parse_feed(resp.body, resp.url, resp.content_type)
    if parsed.get("bozo"):
        cycle.stats["warning"] = f"feed parsed with a recoverable problem: {parsed.get('bozo_exception')}"
    feed_lang = lang_code(parsed.feed.get("language"))
    known = store.source_items(cfg.name)
    entries = newest_first(parsed.entries)
    for i, entry in enumerate(entries):
        if cycle.out_of_time():
            cycle.stats["left_for_next"] += len(entries) - i
            cycle.complete = False
            break
        _take(cycle, entry, known, feed_lang)
    if cycle.linkless:
        # One reject for all of them: a feed of 20,000 link-less items must
        # not add 20,000 rejects (and report lines) every cycle. The same
        # feed gives the same line, which the store counts instead of adding.
        n, first = len(cycle.linkless), cycle.linkless[0]
        cycle.rejected.append(Rejected(cfg.url, f"{cfg.url}: {n} item(s) have no http(s) link and were skipped"
                                                f" (the first: {first!r})"))
    if cycle.cut_short is not None:
        cycle.stats["cut_short"] = cycle.cut_short
    else:  # items not reached were not seen, but are still listed: keep them
        forgotten = store.forget_source_items(cfg.name, cycle.seen, now - FORGET_AFTER)
        if forgotten:
            cycle.stats["forgotten"] = forgotten
    return cycle, resp


def _take(c: _Cycle, entry, known_items: dict, feed_lang: str | None) -> None:
    """One item: skip it if nothing changed, else read it into an Article
    or a rejection, and remember what was done for the next cycle."""
    link = entry_link(entry)
    title = text_field(entry.get("title"))
    if not link:
        c.linkless.append(title or entry.get("id") or "?")
        return
    if link in c.seen:
        return
    c.seen.add(link)
    ehash = entry_hash(entry, link)
    known = known_items.get(link)
    if _nothing_to_do(c, known, ehash, article_id(c.cfg.name, title or link, c.now, link)):
        return
    # Bounded in every mode: without full text no page fetch limits a cycle,
    # and a feed of thousands of items would be taken in one go.
    if c.stats["taken"] >= c.cfg.max_items or (c.cfg.full_text and c.stats["pages"] >= c.cfg.max_pages):
        c.stats["left_for_next"] += 1
        c.complete = False
        return
    c.stats["taken"] += 1
    page = page_error = None
    if c.cfg.full_text:
        c.stats["pages"] += 1
        try:
            page = fetch_page(c.fetcher, link, c.cfg.selector, deadline=c.deadline)
        except (FetchError, PageError) as e:
            if c.out_of_time():  # cut by the source's deadline, not the page's fault: next cycle
                c.stats["pages"] -= 1
                c.stats["left_for_next"] += 1
                c.complete = False
                return
            page_error = str(e)
    paragraphs = page.paragraphs if page is not None else entry_paragraphs(entry)
    attempts = (known.attempts if known else 0) + (1 if c.cfg.full_text and page is None else 0)
    if not paragraphs:
        _reject_textless(c, link, ehash, known, page_error)
        return
    if page_error:
        c.stats.setdefault("page_errors", []).append(f"{page_error} (used the feed's text)")
        if attempts < MAX_PAGE_ATTEMPTS:
            c.complete = False
    article = build_article(entry, source=c.cfg.name, language=c.cfg.language, link=link, title=title,
                            paragraphs=paragraphs, page=page, feed_lang=feed_lang, now=c.now)
    if article is None:
        c.rejected.append(Rejected(link, f"{link}: item has neither a title in the feed nor one on its page"))
        return
    c.articles.append(article)
    c.store.save_source_item(c.cfg.name, link, entry_hash=ehash, content_hash=article.content_hash(),
                             full_text=page is not None, attempts=0 if page is not None else attempts,
                             last_error=page_error, now=c.now)


def _nothing_to_do(c: _Cycle, known, ehash: str, aid: str) -> bool:
    """The item is as it was and its article is stored (or it was given up)."""
    if known is None or known.entry_hash != ehash:
        return False
    stored = c.store.get_article(aid)
    if stored is not None and stored.article.source != c.cfg.name:
        # Another source owns this URL; the clash was reported when the item
        # was first offered. Asking again each cycle would only re-fetch.
        c.stats["owned_by_another_source"] = c.stats.get("owned_by_another_source", 0) + 1
        return True
    retry_page = c.cfg.full_text and not known.full_text and known.attempts < MAX_PAGE_ATTEMPTS
    if stored is not None and known.content_hash == stored.content_hash and not retry_page:
        c.stats["unchanged"] += 1
        return True
    if stored is None and known.content_hash is None and known.attempts >= MAX_PAGE_ATTEMPTS:
        # Rejected MAX_PAGE_ATTEMPTS cycles running; a changed item is tried afresh.
        c.stats["given_up"] = c.stats.get("given_up", 0) + 1
        return True
    return False


def _reject_textless(c: _Cycle, link: str, ehash: str, known, page_error: str | None) -> None:
    reason = page_error or f"{link}: no article text in the feed item"
    c.rejected.append(Rejected(link, reason))
    attempts = (known.attempts if known else 0) + 1
    if attempts < MAX_PAGE_ATTEMPTS:
        c.complete = False  # keep asking for the full feed until we give up
    # A stored older version keeps its hash; entry_hash None makes the
    # changed item due again next cycle.
    had = known.content_hash if known else None
    c.store.save_source_item(c.cfg.name, link, entry_hash=None if had else ehash, content_hash=had,
                             full_text=False, attempts=attempts, last_error=reason, now=c.now)
