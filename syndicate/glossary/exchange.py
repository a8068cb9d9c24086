"""Glossary exchange: CSV for the commercial MT glossaries, TBX-Basic for
terminology tools.

CSV: a header row of language codes ("en,vi") then one row per term, the
layout Amazon Translate custom terminology and Google Cloud's
equivalent-term-set glossaries take; `header=False` gives DeepL's plain
two-column source,target rows. On import, a first row of language codes,
language names or column names ("source,target") is a header. Those services have no slots, so pattern
entries stay out of CSV. Variants become extra rows mapping to the canonical
form in the source->target direction (DeepL, Amazon) only when asked.

TBX: TBX-Basic in the ISO 30042:2019 (TBX v3) DCA style: one conceptEntry
per entry, subjectField = category, langSec per language, the canonical
form as preferredTerm and variants as admittedTerm, the note as <note>, and
syndicate's own case/direction rules in a <note> tagged "syndicate:" so a
round trip loses nothing.
"""
from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from .fileformat import Entry

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"


@dataclass
class Record:
    """One entry as exchanged: what import turns into a [[term]] block."""

    en: str
    vi: str
    category: str = "phrases"
    en_variants: list[str] = field(default_factory=list)
    vi_variants: list[str] = field(default_factory=list)
    case: str | None = None
    direction: str = "both"
    note: str = ""
    standalone: bool = True
    where: str = ""  # "line 3" (CSV) or "conceptEntry c3" (TBX), for messages
    source: str = ""  # CSV: the language of the source column

    @classmethod
    def of(cls, e: Entry) -> "Record":
        return cls(e.en, e.vi, e.category, list(e.en_variants), list(e.vi_variants), e.case, e.direction, e.note,
                   e.standalone)


class ExchangeError(Exception):
    pass


# --- CSV ---------------------------------------------------------------------------


def to_csv(entries: list[Entry], src: str = "en", tgt: str = "vi", header: bool = True) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if header:
        w.writerow([src, tgt])
    for e in entries:
        if e.is_pattern or not e.works(src, tgt):
            continue
        w.writerow([e.text(src), e.text(tgt)])
    return buf.getvalue()


# What other tools write in a header row instead of language codes: column
# names (DeepL's and spreadsheet templates' "source,target") and language
# names or tags ("English", "vi-VN").
_LANG_WORDS = {"en": "en", "english": "en", "vi": "vi", "vietnamese": "vi", "tiếng việt": "vi"}
_COLUMN_WORDS = {"source", "target", "source term", "target term", "term", "translation", "src", "tgt"}
# Where a source,target header names no language, it is DeepL's layout and
# reads like header-less rows: en, vi.
DEFAULT_COLUMNS = ["en", "vi"]


def _lang_word(cell: str) -> str | None:
    return _LANG_WORDS.get(cell) or _LANG_WORDS.get(cell.replace("_", "-").split("-")[0])


def header_columns(row: list[str]) -> list[str] | None:
    """The languages of the two columns if `row` is a header row, else None."""
    cells = [c.strip().lower() for c in row[:2]]
    if len(cells) < 2:
        return None
    langs = [_lang_word(c) for c in cells]
    if set(langs) == {"en", "vi"}:
        return langs
    if all(c in _COLUMN_WORDS for c in cells):
        return list(DEFAULT_COLUMNS)
    return None


def _delimiter_hint(row: list[str], delimiter: str) -> str:
    for d, name in ((";", "';'"), ("\t", "tab")):
        if d != delimiter and len(row) == 1 and d in row[0]:
            return f"; the file looks {name}-separated (as spreadsheets save it in many locales): use --delimiter {name}"
    return ""


def from_csv(text: str, category: str = "phrases", delimiter: str = ",") -> list[Record]:
    text = text.lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        return []
    cols = list(DEFAULT_COLUMNS)  # DeepL-style rows without a header are source,target = en,vi
    start = 1
    if (named := header_columns(rows[0])) is not None:
        cols = named
        rows = rows[1:]
        start = 2
    out = []
    for n, row in enumerate(rows, start):
        if not row or not any(c.strip() for c in row):
            continue
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise ExchangeError(f"line {n}: need two non-empty columns, got {row!r}{_delimiter_hint(row, delimiter)}")
        vals = dict(zip(cols, (row[0].strip(), row[1].strip())))
        out.append(Record(vals["en"], vals["vi"], category, where=f"line {n}", source=cols[0]))
    return out


# --- TBX ----------------------------------------------------------------------------


def to_tbx(entries: list[Entry], version: str = "") -> str:
    ET.register_namespace("", TBX_NS)
    q = lambda tag: f"{{{TBX_NS}}}{tag}"  # noqa: E731
    root = ET.Element(q("tbx"), {"type": "TBX-Basic", "style": "dca", XML_LANG: "en"})
    fd = ET.SubElement(ET.SubElement(root, q("tbxHeader")), q("fileDesc"))
    ET.SubElement(ET.SubElement(fd, q("sourceDesc")), q("p")).text = (
        f"syndicate glossary {version}".strip()
    )
    body = ET.SubElement(ET.SubElement(root, q("text")), q("body"))
    for i, e in enumerate(entries, 1):
        ce = ET.SubElement(body, q("conceptEntry"), {"id": f"c{i}"})
        ET.SubElement(ce, q("descrip"), {"type": "subjectField"}).text = e.category
        if e.note:
            ET.SubElement(ce, q("note")).text = e.note
        rules = f"syndicate: case={e.case}; direction={e.direction}"
        if not e.standalone:
            rules += "; standalone=false"
        ET.SubElement(ce, q("note")).text = rules
        for lang in ("en", "vi"):
            ls = ET.SubElement(ce, q("langSec"), {XML_LANG: lang})
            for j, form in enumerate(e.forms(lang)):
                ts = ET.SubElement(ls, q("termSec"))
                ET.SubElement(ts, q("term")).text = form
                ET.SubElement(ts, q("termNote"), {"type": "administrativeStatus"}).text = (
                    PREFERRED if j == 0 else ADMITTED
                )
    ET.indent(root)
    xml = ET.tostring(root, encoding="unicode")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBXcoreStructV03_TBX-Basic_integrated.rng" '
        'type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>\n' + xml + "\n"
    )


def from_tbx(text: str | bytes, default_category: str = "phrases") -> list[Record]:
    try:
        root = ET.fromstring(text.encode("utf-8") if isinstance(text, str) else text)
    except ET.ParseError as e:
        raise ExchangeError(f"not well-formed XML: {e}") from None

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    # TBX v3 (<tbx>, conceptEntry/langSec/termSec) and the 2008 edition that
    # terminology tools still export (<martif>, termEntry/langSet/tig).
    if local(root.tag) not in ("tbx", "martif"):
        raise ExchangeError(f"root element is <{local(root.tag)}>, expected <tbx> (or TBX 2008 <martif>)")
    out = []
    for ce in root.iter():
        if local(ce.tag) not in ("conceptEntry", "termEntry"):
            continue
        rec = Record("", "", default_category, where=f"conceptEntry {ce.get('id', '?')}")
        notes = []
        for child in ce:
            t = local(child.tag)
            if t == "descrip" and child.get("type") == "subjectField" and (child.text or "").strip():
                rec.category = child.text.strip()
            elif t == "note":
                s = (child.text or "").strip()
                if s.startswith("syndicate:"):
                    for part in s[len("syndicate:"):].split(";"):
                        k, _, v = part.strip().partition("=")
                        if k == "case" and v:
                            rec.case = v
                        elif k == "direction" and v:
                            rec.direction = v
                        elif k == "standalone":
                            rec.standalone = v.strip().lower() != "false"
                elif s:
                    notes.append(s)
            elif t in ("langSec", "langSet"):
                lang = (child.get(XML_LANG) or "").split("-")[0].lower()
                if lang not in ("en", "vi"):
                    continue
                preferred, others = [], []
                for ts in child:
                    if local(ts.tag) not in ("termSec", "tig", "ntig"):
                        continue
                    if local(ts.tag) == "ntig":  # <ntig><termGrp><term/><termNote/></termGrp></ntig>
                        ts = next((x for x in ts if local(x.tag) == "termGrp"), ts)
                    term = next((x.text for x in ts if local(x.tag) == "term"), None)
                    status = next((x.text for x in ts if local(x.tag) == "termNote"
                                   and x.get("type") == "administrativeStatus"), "")
                    if term and term.strip():
                        (preferred if status == PREFERRED else others).append(term.strip())
                forms = preferred[:1] + others + preferred[1:]
                if forms:
                    setattr(rec, lang, forms[0])
                    setattr(rec, f"{lang}_variants", forms[1:])
        rec.note = "\n".join(notes)
        if not rec.en or not rec.vi:
            raise ExchangeError(f"conceptEntry {ce.get('id', '?')}: needs an en and a vi term")
        out.append(rec)
    return out
