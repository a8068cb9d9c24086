"""`syndicate models ...`: list, install and remove translation packages.

Exit status: 0 done; 1 the package or the request was refused (the
message says why; nothing was installed or removed); 2 configuration
error or a language syndicate does not translate.
"""
from __future__ import annotations

import json

import click

from ..exitcodes import ExitCode
from ..translate import packages as pk
from ..translate.engine import engine_names
from .common import fail, get_config


def _packages_dir(ctx: click.Context):
    return pk.resolve_dir(get_config(ctx).packages_dir)


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


@click.group()
def models() -> None:
    """Manage translation models (Argos Translate packages).

    Packages live in [translation] packages_dir, by default argostranslate's
    own folder (which honours ARGOS_PACKAGES_DIR), so packages installed by
    argospm or LibreTranslate are found too.
    """


@models.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the engines and packages as JSON.")
@click.pass_context
def list_cmd(ctx: click.Context, as_json: bool) -> None:
    """Show each direction's engine and model, and the installed packages
    with their versions, sizes and language tokens."""
    cfg = get_config(ctx)
    d = _packages_dir(ctx)
    found, broken = pk.list_packages(d)
    engines = _engines(cfg, found)
    if as_json:
        click.echo(json.dumps({
            "engines": engines,
            "packages_dir": str(d),
            "packages": [
                {"direction": p.direction, "from": p.src, "to": p.tgt, "version": p.version, "name": p.name,
                 "size_bytes": p.size, "path": str(p.path), "copy_model": p.copy_model, "engine": "ctranslate2",
                 "language_tokens": {k: list(getattr(p.tokens, k)) for k in pk.TOKEN_KEYS}}
                for p in found
            ],
            "broken": broken,
        }, ensure_ascii=False, indent=2))
        return
    click.echo(f"packages folder: {d}")
    if not found:
        click.echo("no translation packages installed; see `syndicate models install --help`")
    for p in found:
        note = "  (test copy model)" if p.copy_model else ""
        tokens = f"  language tokens: {p.tokens.describe()}" if p.tokens else ""
        click.echo(f"  {p.direction:8} {p.version:>8} {_mb(p.size):>10}  {p.name}{note}{tokens}")
    click.echo("engine per direction ([translation] engine_en_vi, engine_vi_en):")
    for direction, e in engines.items():
        click.echo(f"  {direction:8} {e['engine']:12} {e['model'] or '(no package installed)'}"
                   + (f" at {e['url']}" if e.get("url") else ""))
    for b in broken:
        click.echo(f"warning: {b}", err=True)


def _engines(cfg, found: list[pk.PackageInfo]) -> dict[str, dict]:
    """What translates each direction: the configured engine and its model
    (the newest package, or the LLM server's model and URL)."""
    out: dict[str, dict] = {}
    t = cfg.translation
    for (src, tgt), name in engine_names(t).items():
        if name == "openai":
            out[f"{src}->{tgt}"] = {"engine": name, "model": t.llm_model, "url": t.llm_url}
            continue
        pkgs = [p for p in found if (p.src, p.tgt) == (src, tgt)]
        out[f"{src}->{tgt}"] = {"engine": name, "model": f"{pkgs[-1].name} {pkgs[-1].version}" if pkgs else ""}
    return out


@models.command()
@click.argument("source")
@click.argument("target_lang", required=False)
@click.pass_context
def install(ctx: click.Context, source: str, target_lang: str | None) -> None:
    """Install a package: `install FILE.argosmodel`, `install URL`, or `install en vi`.

    A file or URL is checked in full before anything is installed: the zip
    layout, metadata.json fields, the language codes, and that the model
    loads and translates. `install en vi` looks in the public Argos package
    index; when it has no such package (it has no English-Vietnamese one
    today) it explains the alternatives.
    """
    d = _packages_dir(ctx)
    if target_lang is not None:
        _install_from_index(source, target_lang, d)
        return
    try:
        res = pk.install(source, d)
    except pk.PackageError as e:
        fail(ExitCode.REFUSED, f"syndicate: {e}\nnothing was installed")
    _report_installed(res, d)


def _report_installed(res: pk.Installed, d) -> None:
    p = res.package
    click.echo(f"installed {p.direction} {p.name} version {p.version} ({_mb(p.size)}) into {d}")
    if p.copy_model:
        click.echo(f"warning: {p.name} is a TEST COPY MODEL: its output copies its input, so the {p.tgt} feeds "
                   f"will carry untranslated text. Do not use it in production; every run will warn while it "
                   f"is installed (`syndicate models remove {p.src}-{p.tgt}` removes it).", err=True)
    for old in res.replaced:
        click.echo(f"removed the previous {old.direction} package {old.name} version {old.version}")


def _install_from_index(src: str, tgt: str, d) -> None:
    for code in (src, tgt):
        if code not in pk.SUPPORTED:
            fail(ExitCode.USAGE, f"syndicate: {code!r} is not a language syndicate translates "
                                 f"({', '.join(pk.SUPPORTED)})")
    try:
        hits = pk.available_packages(src, tgt)
    except pk.IndexUnavailable as e:
        click.echo(f"syndicate: {e}", err=True)
        fail(ExitCode.REFUSED, pk.ALTERNATIVES.format(src=src, tgt=tgt, why=" that could be checked"))
    if not hits:
        fail(ExitCode.REFUSED, pk.ALTERNATIVES.format(src=src, tgt=tgt, why=""))
    best = max(hits, key=lambda p: pk._version_key(p.package_version))
    links = [u for u in best.links if u.startswith(("http://", "https://"))]
    if not links:
        fail(ExitCode.REFUSED,
             f"syndicate: the index lists {src}->{tgt} version {best.package_version} without a download link")
    errors = []
    for url in links:
        click.echo(f"downloading {src}->{tgt} version {best.package_version} from {url}")
        try:
            res = pk.install(url, d, expect=(src, tgt))
        except pk.PackageError as e:
            errors.append(str(e))
            continue
        _report_installed(res, d)
        return
    fail(ExitCode.REFUSED, "syndicate: " + "\n".join(errors) + "\nnothing was installed")


@models.command()
@click.argument("which")
@click.pass_context
def remove(ctx: click.Context, which: str) -> None:
    """Uninstall a package, by direction (en-vi) or by folder name."""
    d = _packages_dir(ctx)
    try:
        gone = pk.remove(d, which)
    except pk.PackageError as e:
        fail(ExitCode.REFUSED, f"syndicate: {e}")
    for p in gone:
        click.echo(f"removed {p.direction} {p.name} version {p.version}")
