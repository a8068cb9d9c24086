"""Command line: `syndicate [--config FILE] COMMAND`."""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from . import __version__
from .config import Config, ConfigError, load
from .pipeline import EXIT_INPUT, EXIT_USAGE

DEFAULT_CONFIG = "config.toml"


def get_config(ctx: click.Context) -> Config:
    """The loaded config; loading is deferred so `--help` works without one."""
    root = ctx.find_root()
    if root.obj is None or not isinstance(root.obj, dict):
        root.obj = {}
    if "config" not in root.obj:
        path = root.params.get("config_path") or DEFAULT_CONFIG
        try:
            root.obj["config"] = load(path)
        except ConfigError as e:
            click.echo(f"syndicate: configuration error: {e}", err=True)
            ctx.exit(EXIT_USAGE)
    return root.obj["config"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), default=None, envvar="SYNDICATE_CONFIG",
    help=f"Configuration file (default: ./{DEFAULT_CONFIG}, or $SYNDICATE_CONFIG).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log debug details to stderr.")
@click.version_option(__version__, prog_name="syndicate")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, verbose: bool) -> None:
    """Offline English<->Vietnamese translation and syndication feeds.

    Picks up articles from the configured sources, translates each into the
    other language with a local model and the glossary, and publishes RSS,
    Atom and JSON feeds in both languages.
    """
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    ctx.obj = {}


def _progress_bar():
    """A progress callback drawing a bar on a terminal, or None elsewhere."""
    if not sys.stderr.isatty():
        return None, None
    bar = click.progressbar(length=1, label="translating", file=sys.stderr)
    state = {"started": False}

    def progress(done: int, total: int) -> None:
        if not state["started"]:
            bar.length = max(total, 1)
            bar.__enter__()
            state["started"] = True
        bar.update(done - bar.pos)

    def close() -> None:
        if state["started"]:
            bar.__exit__(None, None, None)

    return progress, close


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def run(ctx: click.Context, as_json: bool) -> None:
    """Run one cycle: ingest, normalize, translate, publish.

    Exit status: 0 all went well; 3 an input was rejected or a source
    failed; 4 a translation failed; 2 configuration error or another run
    holds the data folder; 1 unexpected error.
    """
    from .pipeline import run_cycle
    from .runtime import load_glossary, locked, open_memory

    cfg = get_config(ctx)
    with locked(cfg, ctx):
        progress, close = _progress_bar()
        try:
            glossary = load_glossary(cfg, ctx)
            from .store import Store

            with Store(cfg.db_path) as store:
                report = run_cycle(cfg, glossary=glossary, store=store, memory=open_memory(store), progress=progress)
        finally:
            if close:
                close()
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        for line in report.lines():
            click.echo(line)
    ctx.exit(report.exit_code)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--source", default="manual", show_default=True, help="Source name recorded for these articles.")
@click.option("--language", type=click.Choice(["auto", "en", "vi"]), default="auto", show_default=True)
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], source: str, language: str) -> None:
    """Ingest portal export files (or folders of them) into the store.

    Files are read in place and never moved; a file that cannot be parsed is
    reported with the reason and the command exits 3. Translation and
    publishing happen on the next `syndicate run`.
    """
    from .text.normalize import InputError
    from .sources.inbox import inbox_files, read_article
    from .store import Store

    cfg = get_config(ctx)
    files: list[Path] = []
    for p in paths:
        files.extend(inbox_files(p) if p.is_dir() else [p])
    bad = 0
    with Store(cfg.db_path) as store:
        for f in files:
            try:
                a = read_article(f, source=source, language=language, max_bytes=5 * 1024 * 1024)
            except (InputError, OSError) as e:
                click.echo(f"{f}: rejected: {e}", err=True)
                bad += 1
                continue
            click.echo(f"{f}: {store.upsert_article(a)} ({a.language}) {a.title}")
    ctx.exit(EXIT_INPUT if bad else 0)


RECENT_REJECTS = 10


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Show counts, pending translations, rejects, sources and the last run."""
    from .store import Store

    cfg = get_config(ctx)
    with Store(cfg.db_path) as store:
        info = {
            "database": str(cfg.db_path),
            "articles": store.article_count(),
            "translations": store.translation_counts(),
            "rejected_files": store.reject_count(),
            "recent_rejects": store.recent_rejects(RECENT_REJECTS),
            "sources": store.all_source_states(),
            "last_run": store.last_run(),
        }
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2, default=str))
        return
    arts = info["articles"]
    tr = info["translations"]
    click.echo(f"database: {info['database']}")
    click.echo(f"articles: {arts.get('en', 0)} English, {arts.get('vi', 0)} Vietnamese")
    click.echo(
        f"translations: {tr.get('done', 0)} done, {tr.get('pending', 0)} pending, {tr.get('failed', 0)} failed"
    )
    click.echo(f"rejected files: {info['rejected_files']}")
    if info["rejected_files"] > len(info["recent_rejects"]):
        click.echo(f"  (the latest {len(info['recent_rejects'])}:)")
    for r in info["recent_rejects"]:
        click.echo(f"  {r['at']} {r['moved_to'] or r['origin']}: {r['reason']}")
    for s in info["sources"]:
        line = f"source {s['name']}: last success {s.get('last_success') or 'never'}"
        if s.get("failures"):
            line += f", {s['failures']} consecutive failures, last error: {s.get('last_error')}"
            if s.get("backoff_until"):
                line += f", backing off until {s['backoff_until']}"
        click.echo(line)
    lr = info["last_run"]
    if lr:
        c = lr["report"].get("counts", {})
        click.echo(
            f"last run: #{lr['id']} {lr['status']} (exit {lr['exit_code']}) finished {lr['finished']}"
            + (f": {c.get('new', 0)} new, {c.get('translated', 0)} translated" if c else "")
        )
    else:
        click.echo("last run: never")


from .glossary.cli import glossary as _glossary, translate_cmd as _translate_cmd  # noqa: E402

main.add_command(_glossary)
main.add_command(_translate_cmd)

from .translate.cli import models  # noqa: E402

main.add_command(models)

from .daemon import daemon_command  # noqa: E402
from .serve import serve_command  # noqa: E402

main.add_command(daemon_command)
main.add_command(serve_command)


if __name__ == "__main__":  # pragma: no cover
    main()
