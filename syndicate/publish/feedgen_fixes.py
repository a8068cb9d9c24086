"""RSS and Atom through feedgen 1.0.0, around its known bugs.

- Atom entry links lose rel/type/hreflang (lkiesow/python-feedgen#135:
  the loop variable is shadowed by the new element). We give feedgen one
  plain link per entry and rewrite every entry's links afterwards.
- RSS <link> takes the *last* rel=alternate link added. Giving feedgen only
  the entry's own page keeps a translation's RSS link on the translation,
  not on the original.
- Feed `updated`/`lastBuildDate` and entry `updated` default to now(). We
  always set them from stored dates, so output depends only on the store.
- Entries are prepended by default; we append so the order is ours.
- feedgen.util uses lxml.etree without importing it (see the imports).
"""
from __future__ import annotations

from datetime import datetime

# feedgen.util does `import lxml` and then uses lxml.etree without importing
# it, so it only works if someone imported lxml.etree first: do that here.
from lxml import etree  # isort: skip

from feedgen.ext.dc import DcEntryExtension, DcExtension  # noqa: E402
from feedgen.feed import FeedGenerator  # noqa: E402

ATOM_NS = "http://www.w3.org/2005/Atom"


def _base(*, lang, title, description, home, self_url, self_type, hub, updated: datetime,
          generator_version) -> FeedGenerator:
    fg = FeedGenerator()
    fg.id(self_url)
    fg.title(title)
    fg.subtitle(description)
    fg.description(description)
    fg.language(lang)
    # RSS <channel><link> is the last link feedgen saw, whatever its rel, so
    # the home page goes after rel=self and rel=hub.
    fg.link(href=self_url, rel="self", type=self_type)
    if hub:
        fg.link(href=hub, rel="hub")
    fg.link(href=home, rel="alternate", type="text/html")
    fg.updated(updated)  # also lastBuildDate
    fg.generator("syndicate", version=generator_version)
    return fg


def _add_entries(fg: FeedGenerator, entries, *, rss: bool) -> None:
    if rss:
        # RSS <author> must be an e-mail address; dc:creator carries a name.
        fg.register_extension("dc", DcExtension, DcEntryExtension, atom=False, rss=True)
    for e in entries:
        fe = fg.add_entry(order="append")
        fe.id(e.id)
        fe.guid(e.id, permalink=False)
        fe.title(e.title)
        fe.link(href=e.link, rel="alternate")
        fe.published(e.published)
        fe.updated(e.updated)
        fe.summary(e.feed_summary)
        fe.description(e.feed_summary)
        fe.content(e.content_html, type="html" if not rss else None)
        for term, label in e.categories:
            # RSS has no label: feedgen writes the label as the category's
            # text, and filters key on the fixed term.
            fe.category(term=term, label=term if rss else label)
        if e.author:
            if rss:
                fe.dc.dc_creator(e.author)
            else:
                fe.author(name=e.author)


def build_rss(*, entries, **kw) -> bytes:
    fg = _base(self_type="application/rss+xml", **kw)
    _add_entries(fg, entries, rss=True)
    raw = fg.rss_str(pretty=True)
    return add_rss_hub(raw, kw.get("hub"))


def add_rss_hub(raw: bytes, hub: str | None) -> bytes:
    """feedgen writes only rel=self as <atom:link> in RSS and drops rel=hub,
    which WebSub subscribers look for (WebSub 4: <atom:link rel="hub">)."""
    if not hub:
        return raw
    root = etree.fromstring(raw)
    channel = root.find("channel")
    self_link = channel.find(f"{{{ATOM_NS}}}link[@rel='self']")
    el = etree.Element(f"{{{ATOM_NS}}}link", href=hub, rel="hub")
    if self_link is not None:
        self_link.addnext(el)
    else:
        channel.append(el)
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def build_atom(*, entries, publisher: str | None = None, deleted=(), **kw) -> bytes:
    fg = _base(self_type="application/atom+xml", **kw)
    if publisher:
        # RFC 4287 4.1.1: without a feed-level author, every entry needs its
        # own; articles without a byline would make the feed invalid. Entries
        # with a byline keep it (an entry's author overrides the feed's).
        fg.author(name=publisher)
    _add_entries(fg, entries, rss=False)
    raw = fg.atom_str(pretty=True)
    return add_tombstones(fix_atom_links(raw, entries), deleted)


TOMBSTONES_NS = "http://purl.org/atompub/tombstones/1.0"


def add_tombstones(raw: bytes, deleted) -> bytes:
    """RFC 6721 at:deleted-entry elements after the entries, one per
    (entry id, when, comment): a reader that knows them removes the entry it
    holds; one that does not ignores an element of a foreign namespace."""
    if not deleted:
        return raw
    root = etree.fromstring(raw)
    nsmap = {**{k: v for k, v in root.nsmap.items() if k}, "at": TOMBSTONES_NS}
    # Re-root with the prefix declared once on the feed, not on every tombstone.
    feed = etree.Element(root.tag, nsmap={None: ATOM_NS, **nsmap})
    feed.attrib.update(root.attrib)
    feed.extend(list(root))
    for ref, when, comment in deleted:
        el = etree.SubElement(feed, f"{{{TOMBSTONES_NS}}}deleted-entry", ref=ref, when=when.isoformat())
        if comment:
            etree.SubElement(el, f"{{{TOMBSTONES_NS}}}comment").text = comment
    etree.indent(feed, space="  ")
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _entry_links(e) -> list[dict[str, str]]:
    links = [{"rel": "alternate", "type": "text/html", "href": e.link, "hreflang": e.lang}]
    if e.original_link:
        # Not a second rel=alternate: readers disagree on which alternate
        # is "the" link (feedparser takes the last, Miniflux the first), and
        # the entry's link must stay on this language's version.
        links.append({"rel": "related", "type": "text/html", "href": e.original_link, "hreflang": e.original_lang})
    elif e.source_url:
        links.append({"rel": "via", "type": "text/html", "href": e.source_url})
    return links


def fix_atom_links(raw: bytes, entries) -> bytes:
    """Replace each entry's links with the full set, attributes included."""
    by_id = {e.id: e for e in entries}
    root = etree.fromstring(raw)
    for entry in root.iterfind(f"{{{ATOM_NS}}}entry"):
        e = by_id[entry.findtext(f"{{{ATOM_NS}}}id")]
        old = entry.findall(f"{{{ATOM_NS}}}link")
        anchor = old[0].getprevious() if old else entry.find(f"{{{ATOM_NS}}}title")
        pos = list(entry).index(anchor) + 1
        for el in old:
            entry.remove(el)
        for i, attrs in enumerate(_entry_links(e)):
            el = etree.Element(f"{{{ATOM_NS}}}link")
            for k in ("href", "rel", "type", "hreflang"):
                if attrs.get(k):
                    el.set(k, attrs[k])
            entry.insert(pos + i, el)
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
