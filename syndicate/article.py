"""The article record that flows through every stage: sources make it, the
store keeps it, translation and publishing read it. Depends on nothing else
in the package."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# Block kinds: a body paragraph, a photo caption, a bullet note.
BLOCK_KINDS = ("p", "caption", "note")


@dataclass(frozen=True)
class Block:
    kind: str
    text: str


@dataclass
class Article:
    source: str
    language: str  # "en" or "vi"
    title: str
    published: datetime  # aware
    blocks: list[Block]
    url: str | None = None
    author: str | None = None
    tag: str | None = None  # the lead's agency tag, e.g. "MPS"
    origin: str = ""  # file path or URL it came from
    # The id it is stored under, once the store has matched it to an
    # article: a corrected headline or dateline keeps the old id.
    stored_id: str | None = None

    @property
    def id(self) -> str:
        """Stable identity: the stored id once known; else the URL when
        there is one, else source + headline + date."""
        return self.stored_id or self.natural_id

    @property
    def natural_id(self) -> str:
        """The id this version alone would get, before the store matches it."""
        return article_id(self.source, self.title, self.published, self.url)

    def body_json(self) -> str:
        return blocks_to_json(self.blocks)

    def content_hash(self) -> str:
        """Hash of what readers see; a change here is a significant update."""
        payload = json.dumps(
            [self.title, self.author, self.tag, [asdict(b) for b in self.blocks]],
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def article_id(source: str, title: str, published: datetime, url: str | None) -> str:
    if url:
        key = "url:" + url
    else:
        key = "|".join(["src", source, title.casefold(), published.date().isoformat()])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def blocks_to_json(blocks: list[Block]) -> str:
    return json.dumps([[b.kind, b.text] for b in blocks], ensure_ascii=False)


def blocks_from_json(s: str) -> list[Block]:
    return [Block(kind, text) for kind, text in json.loads(s)]


def other_language(lang: str) -> str:
    return {"en": "vi", "vi": "en"}[lang]
