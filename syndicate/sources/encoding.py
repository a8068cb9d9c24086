"""Decode fetched HTML to text: BOM, then the bytes' own evidence, then what
the server and the page declare, then detection.

Order and why:
1. A byte-order mark wins (it is what browsers do, and it cannot lie).
2. Bytes that contain non-ASCII and are valid UTF-8 are UTF-8. Servers often
   send a default `charset=iso-8859-1` for UTF-8 pages; text in a legacy
   single-byte code page almost never forms valid UTF-8 by accident.
3. The Content-Type header's charset, if the bytes decode under it.
4. The page's <meta charset> / http-equiv, if the bytes decode under it
   (this rescues "header says utf-8, page is windows-1258").
5. charset-normalizer's guess; last, UTF-8 with replacement characters.

Then NFC: the cp1258 codec maps Vietnamese tone marks to combining
characters ("a" + U+0301), and some pages are served in NFD; readers and
the translation models want precomposed text.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

# WHATWG Encoding Standard: these labels mean windows-1252 in every browser,
# and pages labelled so rely on it (curly quotes in 0x80-0x9F).
_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
    "x-cp1258": "cp1258",
}

_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
PRESCAN_BYTES = 4096


@dataclass
class Decoded:
    text: str
    encoding: str  # Python codec name actually used
    how: str  # "bom", "utf-8", "header", "meta", "detected", "fallback"


def codec_for(label: str | None) -> str | None:
    """Python codec name for a charset label, or None when unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    m = _HEADER_CHARSET.search(content_type or "")
    return m.group(1) if m else None


def meta_charset(body: bytes) -> str | None:
    m = _META_CHARSET.search(body[:PRESCAN_BYTES])
    return m.group(1).decode("ascii") if m else None


def _try(body: bytes, codec: str | None) -> str | None:
    if not codec:
        return None
    # A page declaring utf-16 in a meta tag cannot be utf-16 (the tag was
    # readable as ASCII); browsers treat that as utf-8.
    if codec.startswith("utf_16") or codec.startswith("utf-16"):
        codec = "utf-8"
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, content_type: str | None = None) -> Decoded:
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return Decoded(nfc(body.decode(codec, errors="replace")), codec, "bom")
    if not body.isascii():
        try:
            return Decoded(nfc(body.decode("utf-8")), "utf-8", "utf-8")
        except UnicodeDecodeError:
            pass
    for how, label in (("header", header_charset(content_type)), ("meta", meta_charset(body))):
        codec = codec_for(label)
        text = _try(body, codec)
        if text is not None:
            return Decoded(nfc(text), codec, how)
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body[:200_000]).best()
    except Exception:  # detection is a best effort; never fail a page on it
        best = None
    if best is not None:
        text = _try(body, codec_for(best.encoding))
        if text is not None:
            return Decoded(nfc(text), codec_for(best.encoding), "detected")
    return Decoded(nfc(body.decode("utf-8", errors="replace")), "utf-8", "fallback")


def nfc(text: str) -> str:
    """Precomposed Unicode. The lead's normalize module adds the Vietnamese
    tone-mark convention on top when the article text is normalized."""
    return unicodedata.normalize("NFC", text)
