"""`syndicate run`, `ingest` and `status`: one cycle, storing files by hand,
and what the store holds."""
from __future__ import annotations

import json
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Callable, TextIO

import click

from ..config import Config, ConfigError, Source, load, path_hint
from ..exitcodes import ExitCode
from ..glossary import GlossaryError, load_glossary
from ..pipeline import run_cycle
from ..progress import Meter, Progress
from ..sources.inbox import inbox_files, read_article
from ..store import Store, utcnow
from ..text.hygiene import escape_controls
from ..text.normalize import InputError
from ..translate.memory import TranslationMemory
from .common import config_path, glossary_or_exit, holding_lock, pass_config, remember_db_path

RECENT_REJECTS = 10
RECENT_CLASHES = 10
# Longest reason or error `status` prints; the database keeps them whole.
DETAIL_CHARS = 300


def _clip(text: str | None) -> str | None:
    if text is None or len(text) <= DETAIL_CHARS:
        return text
    return text[: DETAIL_CHARS - 1] + "…"


class TerminalProgress:
    """One progress line on a terminal, redrawn in place at most ten times
    a second: items, sentences, rate and ETA (syndicate.progress.Meter).
    A finished stage keeps its last line; `clear()` makes room for other
    output (ingest's per-file lines) and the next report redraws."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic, every: float = 0.1):
        self.stream = stream
        self.meter = Meter(every, clock)
        self._stage: str | None = None
        self._drawn = False
        self._cleared = False  # the line was erased for other output: redraw at the next report

    def __call__(self, p: Progress) -> None:
        if self._stage is not None and p.stage != self._stage and self._drawn:
            self.stream.write("\n")  # the finished stage keeps its last line
            self._drawn = False
        self._stage = p.stage
        if self.meter.due(p) or self._cleared:
            self._cleared = False
            self.stream.write("\r" + self.meter.line(p) + "\x1b[K")
            self.stream.flush()
            self._drawn = True

    def clear(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False
            self._cleared = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


def terminal_progress() -> TerminalProgress | None:
    """Progress on stderr when it is a terminal; nothing in a pipe or a log."""
    return TerminalProgress(sys.stderr) if sys.stderr.isatty() else None


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_config
def run(cfg: Config, as_json: bool) -> None:
    """Run one cycle: ingest, normalize, translate, publish.

    Exit status: 0 all went well; 3 an input was rejected or a source
    failed; 4 a translation failed; 2 configuration or glossary error, or
    another run holds the data folder; 1 unexpected error.
    """
    with holding_lock(cfg, "syndicate run"):
        progress = terminal_progress()
        try:
            glossary = glossary_or_exit(cfg.glossary_dir)
            with Store(cfg.db_path) as store:
                report = run_cycle(cfg, glossary=glossary, store=store, memory=TranslationMemory(store),
                                   progress=progress)
        finally:
            if progress:
                progress.close()
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        for line in report.lines():
            click.echo(line)
    raise click.exceptions.Exit(int(report.exit_code))


def _inbox_setting(cfg: Config, source: str) -> Source:
    """The inbox source whose limits `ingest` applies: the one of that name,
    else the first inbox source, else the defaults of [[sources]]."""
    inboxes = sorted((s for s in cfg.sources if s.type == "inbox"), key=lambda s: s.name != source)
    return inboxes[0] if inboxes else Source(name=source, type="inbox")


def inbox_max_bytes(cfg: Config, source: str) -> int:
    return _inbox_setting(cfg, source).max_file_bytes


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--source", default="manual", show_default=True, help="Source name recorded for these articles.")
@click.option("--language", type=click.Choice(["auto", "en", "vi"]), default="auto", show_default=True,
              help="Language of the files; auto detects it per file.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None,
              help="Refuse larger files (default: max_file_bytes of the inbox source named by --source, "
                   "else of the first inbox source).")
@pass_config
def ingest(cfg: Config, paths: tuple[Path, ...], source: str, language: str, max_bytes: int | None) -> None:
    """Ingest portal export files (or folders of them) into the store.

    Files are read in place and never moved; a file that cannot be parsed is
    reported with the reason and the command exits 3. Translation and
    publishing happen on the next `syndicate run`. Like `run`, it takes the
    data folder's lock.
    """
    limit = max_bytes or inbox_max_bytes(cfg, source)
    future = (utcnow(), timedelta(hours=_inbox_setting(cfg, source).max_future_hours))
    files: list[Path] = []
    for p in paths:
        files.extend(inbox_files(p) if p.is_dir() else [p])
    bad = 0
    progress = terminal_progress()
    with holding_lock(cfg, "syndicate ingest"), Store(cfg.db_path) as store:
        for i, f in enumerate(files, 1):
            name = escape_controls(str(f))  # a file name may hold a line break or an ANSI sequence
            try:
                a = read_article(f, source=source, language=language, max_bytes=limit, future=future)
                line, err = f"{name}: {store.upsert_article(a)} ({a.language}) {a.title}", False
            except (InputError, OSError) as e:
                line, err = f"{name}: rejected: {escape_controls(str(e))}", True
                bad += 1
            if progress:
                progress.clear()
            click.echo(line, err=err)
            if progress:
                progress(Progress("ingesting", i, len(files), unit="files"))
    if progress:
        progress.close()
    raise click.exceptions.Exit(int(ExitCode.INPUT if bad else ExitCode.OK))


def status_info(db_path: Path) -> dict:
    """What the store holds; a store that does not exist yet is reported as
    such, not created (the path may come from a config with an error)."""
    if not db_path.exists():
        return {"database": str(db_path), "exists": False, "articles": {}, "translations": {},
                "rejected_files": 0, "recent_rejects": [], "sources": [], "clashes": 0, "recent_clashes": [],
                "last_run": None, "runs": {}}
    with Store(db_path) as store:
        return {
            "database": str(db_path),
            "exists": True,
            "articles": store.article_count(),
            "translations": store.translation_counts(),
            "review": store.review_counts(),
            "withdrawn": len(store.withdrawn(1_000_000)),
            "rejected_files": store.reject_count(),
            "recent_rejects": store.recent_rejects(RECENT_REJECTS),
            "sources": store.all_source_states(),
            "clashes": store.clash_count(),
            "recent_clashes": store.clashes(RECENT_CLASHES),
            "last_run": store.last_run(),
            "runs": store.run_counts(),
        }


def setup_problems(path: str) -> tuple[list[str], Path]:
    """The config's and the glossary's errors, and the store to show: from
    the config, or as far as a config with an error tells (config.path_hint)."""
    problems: list[str] = []
    try:
        cfg = load(path)
        db_path, glossary_dir = cfg.db_path, cfg.glossary_dir
    except ConfigError as e:
        problems.append(f"configuration error: {e}")
        db_path = path_hint(path, "paths", "data") / "syndicate.sqlite"
        glossary_dir = path_hint(path, "glossary", "dir")
    try:
        load_glossary(glossary_dir)
    except GlossaryError as e:
        problems.extend(f"glossary error: {line}" for line in e.errors)
    return problems, db_path


def status_lines(info: dict) -> list[str]:
    arts = info["articles"]
    tr = info["translations"]
    out = [
        f"database: {info['database']}" + ("" if info.get("exists", True) else " (not created yet: no run so far)"),
        f"articles: {arts.get('en', 0)} English, {arts.get('vi', 0)} Vietnamese",
        f"translations: {tr.get('done', 0)} done, {tr.get('pending', 0)} pending, {tr.get('failed', 0)} failed",
        f"rejected files: {info['rejected_files']}",
    ]
    rv = info.get("review") or {}
    if rv.get("held") or rv.get("rejected") or rv.get("approved") or rv.get("edited") or info.get("withdrawn"):
        out.insert(3, f"review: {rv.get('held', 0)} waiting, {rv.get('approved', 0) + rv.get('edited', 0)} reviewed "
                      f"({rv.get('edited', 0)} edited), {rv.get('rejected', 0)} rejected; "
                      f"{info.get('withdrawn', 0)} article(s) withdrawn")
    if info["rejected_files"] > len(info["recent_rejects"]):
        out.append(f"  (the latest {len(info['recent_rejects'])}:)")
    for r in info["recent_rejects"]:
        seen = f" ({r['count']} times, last {r['last_seen']})" if r.get("count", 1) > 1 else ""
        out.append(f"  {r['at']} {_clip(r['moved_to'] or r['origin'])}: {_clip(r['reason'])}{seen}")
    out.extend(_clash_lines(info))
    for s in info["sources"]:
        line = f"source {s['name']}: last success {s.get('last_success') or 'never'}"
        if s.get("failures"):
            line += f", {s['failures']} consecutive failures, last error: {_clip(s.get('last_error'))}"
            if s.get("backoff_until"):
                line += f", backing off until {s['backoff_until']}"
        out.append(line)
    lr = info["last_run"]
    if lr:
        c = lr["report"].get("counts", {})
        out.append(
            f"last run: #{lr['id']} {lr['status']} (exit {lr['exit_code']}) finished {lr['finished']}"
            + (f": {c.get('new', 0)} new, {c.get('translated', 0)} translated" if c else "")
        )
        for e in lr["report"].get("reload_errors") or []:
            out.append(f"  reload failed, ran on the last good version: {e}")
    else:
        out.append("last run: never")
    interrupted = info.get("runs", {}).get("interrupted", 0)
    if interrupted:
        out.append(f"interrupted runs: {interrupted} (killed before they finished; the next run redid their work)")
    return out


def _clash_lines(info: dict) -> list[str]:
    """One line per URL listed by a source that does not own it, the most
    recently seen first, at most RECENT_CLASHES."""
    if not info.get("clashes"):
        return []
    out = [f"source clashes: {info['clashes']} (URLs listed by a source other than their owner;"
           " the owner's article is kept)"]
    if info["clashes"] > len(info["recent_clashes"]):
        out.append(f"  (the latest {len(info['recent_clashes'])}:)")
    for c in info["recent_clashes"]:
        out.append(f"  {c['url']}: owned by {c['owner']}, also listed by {c['source']}"
                   f" ({c['times']} time(s), last {c['last_seen']})")
    return out


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Show counts, pending translations, rejects, sources and the last run.

    A config or glossary with errors does not stop it: it shows what the
    store holds (the data folder as far as the config tells), then each
    error, and exits 2.
    """
    problems, db_path = setup_problems(config_path(ctx))
    remember_db_path(ctx, db_path)
    info = status_info(db_path)
    info["problems"] = problems
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2, default=str))
    else:
        for line in status_lines(info):
            click.echo(line)
    for p in problems:
        click.echo(f"syndicate: {p}", err=True)
    raise click.exceptions.Exit(int(ExitCode.CONFIG if problems else ExitCode.OK))


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print what was removed as JSON.")
@pass_config
def vacuum(cfg: Config, as_json: bool) -> None:
    """Prune the store by [retention] and compact the database file.

    Every cycle already prunes a bounded batch; this removes everything due
    at once and then rewrites the file (SQLite VACUUM) to give the space
    back. Takes the data folder's lock, like `run`.
    """
    with holding_lock(cfg, "syndicate vacuum"), Store(cfg.db_path) as store:
        removed = store.prune(cfg.retention)
        before, after = store.vacuum()
    if as_json:
        click.echo(json.dumps({"removed": removed, "bytes_before": before, "bytes_after": after,
                               "database": str(cfg.db_path)}, indent=2))
        return
    names = {"rejects": "rejects", "runs": "runs", "translation_memory": "translation memory entries"}
    click.echo("removed: " + ", ".join(f"{n} {names.get(table, table)}" for table, n in removed.items()))
    click.echo(f"database: {_size(before)} -> {_size(after)} ({cfg.db_path})")


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{n / 1000:.0f} kB"
