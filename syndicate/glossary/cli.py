"""`syndicate glossary ...` and `syndicate translate`.

The glossary folder comes from the config's [glossary] dir, or from
`syndicate glossary --dir DIR` (handy in CI and pre-commit, with no config).
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click

from .check import check_dir
from .edit import add_blocks, entry_block, is_generated, remove_entries
from .exchange import ExchangeError, from_csv, from_tbx, to_csv, to_tbx
from .enforce import load
from .fileformat import CASES, DIRECTIONS, GlossaryError, parse_dir
from ..text.vietnamese import fold, normalize

EXIT_FINDINGS = 1
EXIT_USAGE = 2


def _config(ctx: click.Context):
    from ..cli import get_config  # late: syndicate.cli imports this module

    return get_config(ctx)


def _dir(ctx: click.Context) -> Path:
    d = ctx.find_object(dict).get("glossary_dir") if ctx.find_object(dict) else None
    return Path(d) if d else _config(ctx).glossary_dir


def _load(ctx: click.Context):
    try:
        return load(_dir(ctx))
    except GlossaryError as e:
        click.echo("glossary refused:\n" + "\n".join(e.errors), err=True)
        ctx.exit(EXIT_FINDINGS)


@click.group("glossary")
@click.option("--dir", "directory", type=click.Path(file_okay=False), default=None,
              help="Glossary folder (default: [glossary] dir of the config).")
@click.pass_context
def glossary(ctx: click.Context, directory: str | None) -> None:
    """Maintain the glossary of titles, ranks, names, places and organizations."""
    ctx.ensure_object(dict)
    if directory:
        ctx.obj["glossary_dir"] = directory


@glossary.command("list")
@click.option("--category", "-c", multiple=True, help="Only this category (repeatable).")
@click.option("--search", "-s", default=None, help="Substring of either side; diacritics optional.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
@click.pass_context
def list_cmd(ctx, category, search, as_json):
    """List entries with their file:line."""
    g = _load(ctx)
    needle = fold(normalize(search)).casefold() if search else None
    n = 0
    for e in g.entries:
        if category and e.category not in category:
            continue
        if needle:
            hay = " | ".join([*e.forms("en"), *e.forms("vi")])
            if needle not in fold(hay).casefold():
                continue
        n += 1
        if as_json:
            click.echo(json.dumps({"where": e.where, "category": e.category, "en": e.en, "vi": e.vi,
                                   "en_variants": list(e.en_variants), "vi_variants": list(e.vi_variants),
                                   "case": e.case, "direction": e.direction, "note": e.note}, ensure_ascii=False))
        else:
            arrow = {"both": "<->", "en-vi": "-->", "vi-en": "<--"}[e.direction]
            click.echo(f"{e.where:24} {e.category:14} {e.en}  {arrow}  {e.vi}")
    if not as_json:
        click.echo(f"{n} of {len(g.entries)} entries, version {g.version}", err=True)


@glossary.command()
@click.option("--en", required=True, help="Canonical English form.")
@click.option("--vi", required=True, help="Canonical Vietnamese form.")
@click.option("--category", "-c", default="phrases", show_default=True)
@click.option("--en-variant", multiple=True, help="Other English form read on input (repeatable).")
@click.option("--vi-variant", multiple=True, help="Other Vietnamese form read on input (repeatable).")
@click.option("--case", type=click.Choice(CASES), default=None, help="Source matching (default: the file's).")
@click.option("--direction", type=click.Choice(DIRECTIONS), default="both", show_default=True)
@click.option("--note", default="", help="Note or source of the entry.")
@click.option("--only-before-name", is_flag=True,
              help="Match only inside a pattern or right before a name (standalone = false).")
@click.pass_context
def add(ctx, en, vi, category, en_variant, vi_variant, case, direction, note, only_before_name):
    """Add an entry to <category>.toml (created if needed)."""
    d = _dir(ctx)
    g = _load(ctx) if parse_dir(d).files else None
    vi_n = normalize(vi)
    if g is not None:
        for e in g.entries:
            if e.en.casefold() == en.casefold() and e.vi.casefold() == vi_n.casefold():
                click.echo(f"already there: {e.where} {e.en} <-> {e.vi}", err=True)
                ctx.exit(EXIT_FINDINGS)
            for src, text, other in (("en", en, "vi"), ("vi", vi_n, "en")):
                if e.works(src, other) and direction in ("both", f"{src}-{other}") and \
                        any(f.casefold() == text.casefold() for f in e.forms(src)):
                    click.echo(f"conflict: {e.where} already translates {src} {text!r} as {e.text(other)!r}; "
                               f"edit or remove it first", err=True)
                    ctx.exit(EXIT_FINDINGS)
    try:
        block = entry_block(en.strip(), vi_n.strip(), en_variants=en_variant, vi_variants=vi_variant,
                            case=case, direction=direction, note=note, standalone=not only_before_name)
        path = add_blocks(d, category, [block])
    except GlossaryError as e:
        click.echo("not added, the glossary would not load:\n" + "\n".join(e.errors), err=True)
        ctx.exit(EXIT_FINDINGS)
    g2 = load(d)
    click.echo(f"added to {path.name}: {en} <-> {vi_n}; version {g2.version}")
    changed = [x for x in (vi, *vi_variant) if normalize(x) != x]
    if changed:
        click.echo("note: Vietnamese written as NFC with the hòa/thủy/Ủy/khỏe tone marks: " +
                   ", ".join(f"{x!r} -> {normalize(x)!r}" for x in changed), err=True)
    # What `glossary check` will say about the new entry, said now.
    new = [e for e in g2.entries if e.file == path and e.en == " ".join(en.split()) and e.vi == vi_n.strip()]
    if new:
        lines = {new[-1].line, *new[-1].key_lines.values()}
        for f in check_dir(d):
            if f.file == path.name and f.line in lines:
                click.echo(f"warning: {f}", err=True)


@glossary.command()
@click.argument("where", required=False)
@click.option("--en", default=None, help="Remove the entry whose canonical English is this.")
@click.option("--vi", default=None, help="Remove the entry whose canonical Vietnamese is this.")
@click.option("--category", "-c", default=None)
@click.pass_context
def remove(ctx, where, en, vi, category):
    """Remove one entry, by FILE:LINE (from `list`) or by --en / --vi."""
    if not (where or en or vi):
        raise click.UsageError("give FILE:LINE, --en or --vi")
    g = _load(ctx)
    file = line = None
    if where:
        file, _, num = where.rpartition(":")
        if not file or not num.isdigit():
            raise click.UsageError(f"{where!r}: give FILE:LINE as `glossary list` shows it, e.g. ranks.toml:9")
        file, line = Path(file).name, int(num)  # "glossary/ranks.toml:9" is fine too
    hits = [
        e for e in g.entries
        # the [[term]] line, or any key line of the entry (where an editor points)
        if (file is None or (e.file.name == file and (e.line == line or line in e.key_lines.values())))
        and (en is None or e.en.casefold() == en.casefold())
        and (vi is None or e.vi.casefold() == normalize(vi).casefold())
        and (category is None or e.category == category)
    ]
    if not hits:
        what = [f"at {file}:{line}" if file else "", f"en {en!r}" if en is not None else "",
                f"vi {vi!r}" if vi is not None else "", f"in category {category!r}" if category else ""]
        msg = "no entry " + ", ".join(w for w in what if w)
        if file is not None:
            near = sorted((e for e in g.entries if e.file.name == file), key=lambda e: abs(e.line - line))
            msg += (f"; nearest: {near[0].where} {near[0].en} <-> {near[0].vi}" if near
                    else f"; no entries in a file named {file}")
        click.echo(msg + " (`glossary list` shows each entry's FILE:LINE)", err=True)
        ctx.exit(EXIT_FINDINGS)
    if len(hits) > 1:
        click.echo("more than one entry matches; give FILE:LINE:\n" +
                   "\n".join(f"  {e.where} {e.en} <-> {e.vi}" for e in hits), err=True)
        ctx.exit(EXIT_FINDINGS)
    info = next((f for f in parse_dir(g.directory).files if f.path == hits[0].file), None)
    if info is not None and is_generated(info.text):
        click.echo(f"not removed: {hits[0].where} is in a generated file ({info.text.splitlines()[0].lstrip('# ')}); "
                   "it would come back the next time the file is generated, so change its generator", err=True)
        ctx.exit(EXIT_FINDINGS)
    remove_entries(g.directory, hits)
    e = hits[0]
    click.echo(f"removed {e.where}: {e.en} <-> {e.vi}; version {load(g.directory).version}")


@glossary.command()
@click.pass_context
def check(ctx):
    """Report problems with file:line; exit 1 if there are any."""
    d = _dir(ctx)
    findings = check_dir(d)
    for f in findings:
        click.echo(str(f))
    if findings:
        click.echo(f"{len(findings)} problem(s) in {d}", err=True)
        ctx.exit(EXIT_FINDINGS)
    g = load(d)
    click.echo(f"ok: {len(g.entries)} entries, version {g.version}")


@glossary.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "tbx"]), required=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True), required=True,
              help="File to write, or - for stdout.")
@click.option("--from", "src", type=click.Choice(["en", "vi"]), default="en", show_default=True,
              help="CSV: source language column.")
@click.option("--header/--no-header", default=True, show_default=True,
              help="CSV: first row of language codes (Amazon, Google); DeepL takes --no-header.")
@click.option("--category", "-c", multiple=True)
@click.pass_context
def export_cmd(ctx, fmt, output, src, header, category):
    """Export as CSV (DeepL, Google, Amazon) or TBX-Basic (ISO 30042)."""
    g = _load(ctx)
    entries = [e for e in g.entries if not category or e.category in category]
    tgt = "vi" if src == "en" else "en"
    text = to_csv(entries, src, tgt, header) if fmt == "csv" else to_tbx(entries, g.version)
    if output == "-":
        click.echo(text, nl=False)
    else:
        Path(output).write_text(text, encoding="utf-8", newline="")
        click.echo(f"wrote {output}: {fmt}, version {g.version}", err=True)


@glossary.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["auto", "csv", "tbx"]), default="auto", show_default=True)
@click.option("--category", "-c", default="phrases", show_default=True,
              help="Category for CSV rows (TBX carries its own).")
@click.pass_context
def import_cmd(ctx, file, fmt, category):
    """Import entries from CSV or TBX; existing pairs are skipped, conflicts reported."""
    d = _dir(ctx)
    raw = Path(file).read_bytes()
    if fmt == "auto":
        fmt = "tbx" if raw.lstrip().startswith(b"<") or file.lower().endswith((".tbx", ".xml")) else "csv"
    try:
        records = from_tbx(raw, category) if fmt == "tbx" else from_csv(raw.decode("utf-8-sig"), category)
    except (ExchangeError, UnicodeDecodeError) as e:
        click.echo(f"{file}: {e}", err=True)
        ctx.exit(EXIT_USAGE)
    # A category names a file in the glossary folder: another tool's subject
    # field ("Law enforcement", "police/ranks", "../x") must not become a path.
    odd = sorted({r.category for r in records if not re.fullmatch(r"[A-Za-z0-9_-]+", r.category)})
    if odd:
        for r in records:
            if r.category in odd:
                r.note = "\n".join(x for x in (r.note, f"subject field: {r.category}") if x)
                r.category = category
        click.echo(f"{file}: subject field(s) {', '.join(map(repr, odd))} are not category names; "
                   f"those entries go to {category!r} (--category), the field kept in their note", err=True)
    existing = parse_dir(d).entries if Path(d).is_dir() else []
    pairs = {(e.en.casefold(), e.vi.casefold()) for e in existing}
    # Each source form's target, per direction, from the folder and then from
    # the rows already taken: two rows of one file can clash as well.
    target: dict[tuple[str, str], tuple[str, str]] = {}
    for e in existing:
        if e.is_pattern:
            continue
        for src, tgt in (("en", "vi"), ("vi", "en")):
            if e.works(src, tgt):
                for f in e.forms(src):
                    target.setdefault((src, f.casefold()), (e.text(tgt), e.where))
    blocks: dict[str, list[str]] = {}
    skipped = conflicts = narrowed = 0
    for r in records:
        vi = normalize(r.vi)
        if (r.en.casefold(), vi.casefold()) in pairs:
            skipped += 1
            continue
        forms = {"en": r.en, "vi": vi}
        clash = {}
        for src, tgt in (("en", "vi"), ("vi", "en")):
            if r.direction in ("both", f"{src}-{tgt}"):
                have = target.get((src, forms[src].casefold()))
                if have is not None and have[0] != forms[tgt]:
                    clash[src] = have
        direction = r.direction
        if clash and r.source and r.source not in clash and direction == "both":
            # A CSV row is a source -> target pair: it still holds in its own
            # direction ("Đường Hoa" -> "Duong Hoa" while "Duong Hoa" already
            # reads as "Dương Hòa"), so keep it one way rather than drop it.
            direction = f"{r.source}-{'vi' if r.source == 'en' else 'en'}"
            narrowed += 1
            clash = {}
        if clash:
            src, (have, where) = next(iter(clash.items()))
            tgt = "vi" if src == "en" else "en"
            click.echo(f"conflict: {forms[src]!r} -> {forms[tgt]!r}, but {where} has {have!r}; not imported",
                       err=True)
            conflicts += 1
            continue
        pairs.add((r.en.casefold(), vi.casefold()))
        for src, tgt in (("en", "vi"), ("vi", "en")):
            if direction in ("both", f"{src}-{tgt}"):
                target.setdefault((src, forms[src].casefold()), (forms[tgt], f"{Path(file).name} {r.where}"))
        blocks.setdefault(r.category, []).append(entry_block(
            r.en, vi, en_variants=r.en_variants, vi_variants=r.vi_variants, case=r.case,
            direction=direction, note=r.note, standalone=r.standalone))
    try:
        for cat, bs in blocks.items():
            add_blocks(Path(d), cat, bs)
    except GlossaryError as e:
        click.echo("import refused, the glossary would not load:\n" + "\n".join(e.errors), err=True)
        ctx.exit(EXIT_FINDINGS)
    n = sum(len(b) for b in blocks.values())
    click.echo(f"imported {n}, skipped {skipped} already present, {conflicts} conflict(s)"
               + (f", {narrowed} kept one way only (their other side is taken)" if narrowed else ""))
    if conflicts:
        ctx.exit(EXIT_FINDINGS)


@glossary.command()
@click.option("--limit", "-n", default=40, show_default=True)
@click.option("--min-count", default=1, show_default=True)
@click.option("--lang", type=click.Choice(["en", "vi"]), default=None, help="Only articles in this language.")
@click.pass_context
def candidates(ctx, limit, min_count, lang):
    """Capitalized phrases in stored articles that no entry covers, most frequent first."""
    from ..store import Store
    from .candidates import mine

    cfg = _config(ctx)
    g = _load(ctx)
    if not cfg.db_path.exists():
        click.echo(f"no store at {cfg.db_path}: run `syndicate run` first", err=True)
        ctx.exit(EXIT_USAGE)
    with Store(cfg.db_path) as store:
        arts = [a for a in store.all_articles() if lang is None or a.language == lang]
    found = mine(arts, g, limit=limit, min_count=min_count)
    for c in found:
        click.echo(f"{c.count:5}  {c.lang}  {c.phrase}\n         e.g. {c.example}")
    click.echo(f"{len(found)} candidate(s) from {len(arts)} article(s)", err=True)


@click.command("translate")
@click.option("--from", "src", type=click.Choice(["en", "vi"]), required=True)
@click.option("--to", "tgt", type=click.Choice(["en", "vi"]), required=True)
@click.option("--show-terms", is_flag=True, help="Also print each glossary term and whether it made it.")
@click.option("--protect-only", is_flag=True, help="Show the text the model would get (placeholders), no model needed.")
@click.option("--headline", is_flag=True,
              help="Translate the first paragraph as a headline: one segment, never split into sentences.")
@click.argument("text")
@click.pass_context
def translate_cmd(ctx, src, tgt, show_terms, protect_only, headline, text):
    """Translate TEXT (or - for stdin) with the glossary applied.

    Paragraphs are separated by blank lines and split into sentences, as an
    article's body is; --headline treats the first one as its headline."""
    from ..article import Block
    from ..translate import Job, load_engine, translate_jobs

    if src == tgt:
        raise click.UsageError("--from and --to must differ")
    if text == "-":
        text = sys.stdin.read()
    cfg = _config(ctx)
    g = _load(ctx)
    paras = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    if not paras:
        raise click.UsageError("nothing to translate")
    if protect_only:
        for p in paras:
            prot = g.protect(p, src, tgt)
            click.echo(prot.text)
            for s in prot.state.spans:
                click.echo(f"  {s.id} = {s.source!r} -> {s.target!r} ({s.entry or s.kind})", err=True)
        return
    engine = load_engine(cfg)
    # Not the first paragraph as a title by default: a headline is never
    # split, so a pasted paragraph went to the model as one long segment.
    title, body = (paras[0], paras[1:]) if headline else ("", paras)
    job = Job("cli", "", src, tgt, title, [Block("p", p) for p in body])
    out = translate_jobs([job], engine, g)[0]
    if not out.ok:
        click.echo(f"syndicate: {out.error}", err=True)
        ctx.exit(EXIT_FINDINGS)
    click.echo("\n\n".join(([out.title] if headline else []) + [b.text for b in out.blocks]))
    for p in out.problems:
        click.echo(f"review: {json.dumps(p.to_dict(), ensure_ascii=False)}", err=True)
    if show_terms:
        for p in paras:
            prot = g.protect(p, src, tgt)
            for s in prot.state.spans:
                click.echo(f"term: {s.source!r} -> {s.target!r} ({s.entry or s.kind})", err=True)
