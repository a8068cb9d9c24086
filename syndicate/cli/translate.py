"""`syndicate translate`: try text with the glossary applied, as a run would
translate an article."""
from __future__ import annotations

import json
import sys

import click

from ..article import Block
from ..config import Config
from ..exitcodes import ExitCode
from ..translate import Job, translate_jobs
from .common import engine_or_exit, fail, glossary_or_exit, pass_config


def _show_protected(g, paras: list[str], src: str, tgt: str) -> None:
    for p in paras:
        prot = g.protect(p, src, tgt)
        click.echo(prot.text)
        for s in prot.state.spans:
            click.echo(f"  {s.id} = {s.source!r} -> {s.target!r} ({s.entry or s.kind})", err=True)


@click.command("translate")
@click.option("--from", "src", type=click.Choice(["en", "vi"]), required=True, help="Language of TEXT.")
@click.option("--to", "tgt", type=click.Choice(["en", "vi"]), required=True, help="Language to translate into.")
@click.option("--show-terms", is_flag=True, help="Also print each glossary term and whether it made it.")
@click.option("--protect-only", is_flag=True, help="Show the text the model would get (placeholders), no model needed.")
@click.option("--headline", is_flag=True,
              help="Translate the first paragraph as a headline: one segment, never split into sentences.")
@click.argument("text")
@pass_config
def translate_cmd(cfg: Config, src, tgt, show_terms, protect_only, headline, text):
    """Translate TEXT (or - for stdin) with the glossary applied.

    Paragraphs are separated by blank lines and split into sentences, as an
    article's body is; --headline treats the first one as its headline.
    Exit status 4 when the translation fails (no model for the direction,
    say); a missing glossary folder is a warning, as for `syndicate run`."""
    if src == tgt:
        raise click.UsageError("--from and --to must differ")
    if text == "-":
        text = sys.stdin.read()
    g = glossary_or_exit(cfg.glossary_dir)
    paras = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    if not paras:
        raise click.UsageError("nothing to translate")
    if protect_only:
        _show_protected(g, paras, src, tgt)
        return
    engine = engine_or_exit(cfg)
    # Not the first paragraph as a title by default: a headline is never
    # split, so a pasted paragraph went to the model as one long segment.
    title, body = (paras[0], paras[1:]) if headline else ("", paras)
    job = Job("cli", "", src, tgt, title, [Block("p", p) for p in body])
    out = translate_jobs([job], engine, g)[0]
    if not out.ok:
        fail(ExitCode.TRANSLATION, f"syndicate: {out.error}")
    click.echo("\n\n".join(([out.title] if headline else []) + [b.text for b in out.blocks]))
    for p in out.problems:
        click.echo(f"review: {json.dumps(p.to_dict(), ensure_ascii=False)}", err=True)
    if show_terms:
        for p in paras:
            for s in g.protect(p, src, tgt).state.spans:
                click.echo(f"term: {s.source!r} -> {s.target!r} ({s.entry or s.kind})", err=True)
