"""`syndicate glossary ...`: list, add, remove, check, export, import and
mine candidates.

The glossary folder comes from the config's [glossary] dir, or from
`syndicate glossary --dir DIR` (handy in CI and pre-commit, with no config).
"""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..exitcodes import ExitCode
from ..glossary import Glossary, GlossaryError, load_glossary
from ..glossary.candidates import edited_renderings, mine
from ..glossary.check import check_dir
from ..glossary.edit import add_blocks, entry_block, is_generated, remove_entries
from ..glossary.exchange import ExchangeError, from_csv, from_tbx, to_csv, to_tbx
from ..glossary.fileformat import CASES, DIRECTIONS, parse_dir
from ..glossary.merge import fold_subject_fields, plan_import
from ..store import Store
from ..text.vietnamese import fold, normalize
from .common import fail, get_config, glossary_or_exit
from .glossary_edits import confirm, edited_copy, in_copy, show_impact


def _dir(ctx: click.Context) -> Path:
    obj = ctx.find_object(dict)
    d = obj.get("glossary_dir") if obj else None
    return Path(d) if d else get_config(ctx).glossary_dir


def _load(ctx: click.Context) -> Glossary:
    return glossary_or_exit(_dir(ctx))


@click.group("glossary")
@click.option("--dir", "directory", type=click.Path(file_okay=False), default=None,
              help="Glossary folder (default: [glossary] dir of the config).")
@click.pass_context
def glossary(ctx: click.Context, directory: str | None) -> None:
    """Maintain the glossary of titles, ranks, names, places and organizations."""
    ctx.ensure_object(dict)
    if directory:
        ctx.obj["glossary_dir"] = directory


def _entry_json(e) -> str:
    return json.dumps({"where": e.where, "category": e.category, "en": e.en, "vi": e.vi,
                       "en_variants": list(e.en_variants), "vi_variants": list(e.vi_variants),
                       "case": e.case, "direction": e.direction, "note": e.note}, ensure_ascii=False)


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
        if needle and needle not in fold(" | ".join([*e.forms("en"), *e.forms("vi")])).casefold():
            continue
        n += 1
        if as_json:
            click.echo(_entry_json(e))
        else:
            arrow = {"both": "<->", "en-vi": "-->", "vi-en": "<--"}[e.direction]
            click.echo(f"{e.where:24} {e.category:14} {e.en}  {arrow}  {e.vi}")
    if not as_json:
        click.echo(f"{n} of {len(g.entries)} entries, version {g.version}", err=True)


def _refuse_duplicate(g: Glossary, en: str, vi_n: str, direction: str) -> None:
    for e in g.entries:
        if e.en.casefold() == en.casefold() and e.vi.casefold() == vi_n.casefold():
            fail(ExitCode.REFUSED, f"already there: {e.where} {e.en} <-> {e.vi}")
        for src, text, other in (("en", en, "vi"), ("vi", vi_n, "en")):
            if e.works(src, other) and direction in ("both", f"{src}-{other}") and \
                    any(f.casefold() == text.casefold() for f in e.forms(src)):
                fail(ExitCode.REFUSED, f"conflict: {e.where} already translates {src} {text!r} as "
                                       f"{e.text(other)!r}; edit or remove it first")


def _warn_about_new_entry(d: Path, g: Glossary, path: Path, en: str, vi_n: str) -> None:
    """What `glossary check` will say about the new entry, said now."""
    new = [e for e in g.entries if e.file == path and e.en == " ".join(en.split()) and e.vi == vi_n.strip()]
    if new:
        lines = {new[-1].line, *new[-1].key_lines.values()}
        for f in check_dir(d):
            if f.file == path.name and f.line in lines:
                click.echo(f"warning: {f}", err=True)


@glossary.command()
@click.option("--en", required=True, help="Canonical English form.")
@click.option("--vi", required=True, help="Canonical Vietnamese form.")
@click.option("--category", "-c", default="phrases", show_default=True,
              help="Category: the file <category>.toml it goes to.")
@click.option("--en-variant", multiple=True, help="Other English form read on input (repeatable).")
@click.option("--vi-variant", multiple=True, help="Other Vietnamese form read on input (repeatable).")
@click.option("--case", type=click.Choice(CASES), default=None, help="Source matching (default: the file's).")
@click.option("--direction", type=click.Choice(DIRECTIONS), default="both", show_default=True,
              help="Which way the entry translates.")
@click.option("--note", default="", help="Note or source of the entry.")
@click.option("--only-before-name", is_flag=True,
              help="Match only inside a pattern or right before a name (standalone = false).")
@click.pass_context
def add(ctx, en, vi, category, en_variant, vi_variant, case, direction, note, only_before_name):
    """Add an entry to <category>.toml (created if needed)."""
    d = _dir(ctx)
    vi_n = normalize(vi)
    if parse_dir(d).files:
        _refuse_duplicate(_load(ctx), en, vi_n, direction)
    try:
        block = entry_block(en.strip(), vi_n.strip(), en_variants=en_variant, vi_variants=vi_variant,
                            case=case, direction=direction, note=note, standalone=not only_before_name)
        path = add_blocks(d, category, [block])
    except GlossaryError as e:
        fail(ExitCode.REFUSED, "not added, the glossary would not load:\n" + "\n".join(e.errors))
    g2 = load_glossary(d)
    click.echo(f"added to {path.name}: {en} <-> {vi_n}; version {g2.version}")
    changed = [x for x in (vi, *vi_variant) if normalize(x) != x]
    if changed:
        click.echo("note: Vietnamese written as NFC with the hòa/thủy/Ủy/khỏe tone marks: " +
                   ", ".join(f"{x!r} -> {normalize(x)!r}" for x in changed), err=True)
    _warn_about_new_entry(d, g2, path, en, vi_n)


def _parse_where(where: str | None) -> tuple[str | None, int | None]:
    if not where:
        return None, None
    file, _, num = where.rpartition(":")
    if not file or not num.isdigit():
        raise click.UsageError(f"{where!r}: give FILE:LINE as `glossary list` shows it, e.g. ranks.toml:9")
    return Path(file).name, int(num)  # "glossary/ranks.toml:9" is fine too


def _no_entry_message(g: Glossary, file, line, en, vi, category) -> str:
    what = [f"at {file}:{line}" if file else "", f"en {en!r}" if en is not None else "",
            f"vi {vi!r}" if vi is not None else "", f"in category {category!r}" if category else ""]
    msg = "no entry " + ", ".join(w for w in what if w)
    if file is not None:
        near = sorted((e for e in g.entries if e.file.name == file), key=lambda e: abs(e.line - line))
        msg += (f"; nearest: {near[0].where} {near[0].en} <-> {near[0].vi}" if near
                else f"; no entries in a file named {file}")
    return msg + " (`glossary list` shows each entry's FILE:LINE)"


@glossary.command()
@click.argument("where", required=False)
@click.option("--en", default=None, help="Remove the entry whose canonical English is this.")
@click.option("--vi", default=None, help="Remove the entry whose canonical Vietnamese is this.")
@click.option("--category", "-c", default=None, help="Only an entry of this category.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask (for scripts); what it affects is still shown.")
@click.pass_context
def remove(ctx, where, en, vi, category, yes):
    """Remove one entry, by FILE:LINE (from `list`) or by --en / --vi, after
    showing what it affects and asking."""
    if not (where or en or vi):
        raise click.UsageError("give FILE:LINE, --en or --vi")
    g = _load(ctx)
    file, line = _parse_where(where)
    hits = [
        e for e in g.entries
        # the [[term]] line, or any key line of the entry (where an editor points)
        if (file is None or (e.file.name == file and (e.line == line or line in e.key_lines.values())))
        and (en is None or e.en.casefold() == en.casefold())
        and (vi is None or e.vi.casefold() == normalize(vi).casefold())
        and (category is None or e.category == category)
    ]
    if not hits:
        fail(ExitCode.REFUSED, _no_entry_message(g, file, line, en, vi, category))
    if len(hits) > 1:
        fail(ExitCode.REFUSED, "more than one entry matches; give FILE:LINE:\n" +
             "\n".join(f"  {e.where} {e.en} <-> {e.vi}" for e in hits))
    info = next((f for f in parse_dir(g.directory).files if f.path == hits[0].file), None)
    if info is not None and is_generated(info.text):
        fail(ExitCode.REFUSED,
             f"not removed: {hits[0].where} is in a generated file ({info.text.splitlines()[0].lstrip('# ')}); "
             "it would come back the next time the file is generated, so change its generator")
    e = hits[0]
    new = edited_copy(g.directory, lambda copy: remove_entries(copy, [in_copy(e, copy)]), "not removed")
    click.echo(f"removing {e.where}: {e.en} <-> {e.vi}")
    show_impact(ctx, g, new, [e])
    confirm(f"Remove {e.where}?", yes, "not removed")
    remove_entries(g.directory, hits)
    click.echo(f"removed {e.where}: {e.en} <-> {e.vi}; version {load_glossary(g.directory).version}")


@glossary.command()
@click.pass_context
def check(ctx):
    """Report problems with file:line; exit 1 if there are any. Errors stop
    every command and run; notes do not, but deserve a look."""
    d = _dir(ctx)
    findings = check_dir(d)
    for f in findings:
        click.echo(str(f))
    if findings:
        errors = sum(f.is_error for f in findings)
        fail(ExitCode.REFUSED, f"{errors} error(s) (runs and commands refuse this glossary until they are fixed), "
                               f"{len(findings) - errors} note(s) in {d}")
    g = load_glossary(d)
    click.echo(f"ok: {len(g.entries)} entries, version {g.version}")


@glossary.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "tbx"]), required=True, help="File format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True), required=True,
              help="File to write, or - for stdout.")
@click.option("--from", "src", type=click.Choice(["en", "vi"]), default="en", show_default=True,
              help="CSV: source language column.")
@click.option("--header/--no-header", default=True, show_default=True,
              help="CSV: first row of language codes (Amazon, Google); DeepL takes --no-header.")
@click.option("--category", "-c", multiple=True, help="Only this category (repeatable).")
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
    if fmt == "csv":
        _say_left_out(entries, src, tgt)


def _say_left_out(entries, src: str, tgt: str) -> None:
    """CSV cannot carry everything: say what it lost, on stderr so stdout stays the file."""
    patterns = sum(1 for e in entries if e.is_pattern)
    one_way = sum(1 for e in entries if not e.is_pattern and not e.works(src, tgt))
    if patterns:
        click.echo(f"left out {patterns} pattern(s): CSV glossaries have no slots ({{place}}); "
                   "--format tbx keeps them", err=True)
    if one_way:
        click.echo(f"left out {one_way} entr{'y' if one_way == 1 else 'ies'} that only translate {tgt}->{src}",
                   err=True)


DELIMITERS = {",": ",", ";": ";", "tab": "\t"}


def _read_records(file: str, fmt: str, category: str, delimiter: str):
    raw = Path(file).read_bytes()
    if fmt == "auto":
        fmt = "tbx" if raw.lstrip().startswith(b"<") or file.lower().endswith((".tbx", ".xml")) else "csv"
    try:
        if fmt == "tbx":
            return from_tbx(raw, category)
        return from_csv(raw.decode("utf-8-sig"), category, DELIMITERS[delimiter])
    except (ExchangeError, UnicodeDecodeError) as e:
        fail(ExitCode.INPUT, f"{file}: {e}")


def _show_plan(plan) -> None:
    for cat, bs in plan.blocks.items():
        click.echo(f"--- {cat}.toml: {len(bs)} new entr{'y' if len(bs) == 1 else 'ies'}")
        click.echo("".join("\n" + b for b in bs))


@glossary.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["auto", "csv", "tbx"]), default="auto", show_default=True,
              help="File format; auto tells TBX (XML) from CSV.")
@click.option("--category", "-c", default="phrases", show_default=True,
              help="Category for CSV rows (TBX carries its own).")
@click.option("--delimiter", type=click.Choice(sorted(DELIMITERS)), default=",", show_default=True,
              help="CSV: the column separator; spreadsheets in many locales save with ';'.")
@click.option("--dry-run", is_flag=True, help="Show what would be imported and what it affects; change nothing.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask (for scripts); what it affects is still shown.")
@click.pass_context
def import_cmd(ctx, file, fmt, category, delimiter, dry_run, yes):
    """Import entries from CSV or TBX; existing pairs are skipped, conflicts
    reported; shows what the new entries affect and asks first."""
    d = _dir(ctx)
    records = _read_records(file, fmt, category, delimiter)
    odd = fold_subject_fields(records, category)
    if odd:
        click.echo(f"{file}: subject field(s) {', '.join(map(repr, odd))} are not category names; "
                   f"those entries go to {category!r} (--category), the field kept in their note", err=True)
    # A folder with errors is refused here, with file:line, as every command does.
    old = _load(ctx) if Path(d).is_dir() else Glossary([], Path(d))
    plan = plan_import(records, old.entries, file)
    for line in plan.conflicts:
        click.echo(line, err=True)
    refused = "import would be refused" if dry_run else "import refused"
    new = edited_copy(d, lambda copy: [add_blocks(copy, cat, bs) for cat, bs in plan.blocks.items()], refused)
    if dry_run:
        _show_plan(plan)
    if plan.added:
        had = {(x.category, x.en, x.vi) for x in old.entries}
        added = [e for e in new.entries if (e.category, e.en, e.vi) not in had]
        show_impact(ctx, old, new, added)
    if plan.added and not dry_run:
        confirm(f"Import {plan.added} entr{'y' if plan.added == 1 else 'ies'}?", yes, "not imported")
        try:
            for cat, bs in plan.blocks.items():
                add_blocks(Path(d), cat, bs)
        except GlossaryError as e:
            fail(ExitCode.REFUSED, "import refused, the glossary would not load:\n" + "\n".join(e.errors))
    verb = "would import" if dry_run else "imported"
    click.echo(f"{verb} {plan.added}, skipped {plan.skipped} already present, {len(plan.conflicts)} conflict(s)"
               + (f", {plan.narrowed} kept one way only (their other side is taken)" if plan.narrowed else "")
               + (" (dry run: nothing written)" if dry_run else ""))
    if plan.conflicts:
        raise click.exceptions.Exit(int(ExitCode.REFUSED))


@glossary.command()
@click.option("--limit", "-n", default=40, show_default=True, help="At most this many candidates.")
@click.option("--min-count", default=1, show_default=True, help="Only phrases seen at least this often.")
@click.option("--lang", type=click.Choice(["en", "vi"]), default=None, help="Only articles in this language.")
@click.pass_context
def candidates(ctx, limit, min_count, lang):
    """Capitalized phrases in stored articles that no entry covers, most frequent first."""
    cfg = get_config(ctx)
    g = _load(ctx)
    if not cfg.db_path.exists():
        fail(ExitCode.USAGE, f"no store at {cfg.db_path}: run `syndicate run` first")
    with Store(cfg.db_path) as store:
        arts = [a for a in store.all_articles() if lang is None or a.language == lang]
        edits = store.review_edits()
    found = mine(arts, g, limit=limit, min_count=min_count)
    for c in found:
        click.echo(f"{c.count:5}  {c.lang}  {c.phrase}\n         e.g. {c.example}")
    changed = [r for r in edited_renderings(edits) if lang is None or r.direction.startswith(lang)]
    for r in changed:
        click.echo(f"edited  {r.direction}  {r.source} = {r.after}  (was {r.before}; article {r.article_id},"
                   f" by {r.by})\n         e.g. {r.example}")
    click.echo(f"{len(found)} candidate(s) from {len(arts)} article(s), {len(changed)} rendering(s) changed by"
               " editors", err=True)
