"""One cycle: sources -> normalize -> store -> translate -> publish.

`syndicate run` calls run_cycle once; the daemon calls the same function on
a schedule. Each article is stored, and each translation saved, in its own
transaction, so stopping (or crashing) between any two of them loses
nothing and the next cycle carries on from the store.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

from . import sources
from .config import Config
from .exitcodes import ExitCode
from .publish import publish
from .sources import Politeness
from .store import Store
from .translate import INSTALL_HINT, Job, NoGlossary, Outcome, TermHook, load_engine, translate_jobs
from .translate.problems import DEGENERATE

log = logging.getLogger("syndicate")

# Articles translated per engine call. Bounded so that a backlog of
# thousands still saves progress steadily and stops promptly on SIGTERM.
TRANSLATE_CHUNK = 32


@dataclass
class SourceReport:
    name: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    skipped: str | None = None
    stats: dict[str, Any] = field(default_factory=dict)


@dataclass
class Report:
    sources: list[SourceReport] = field(default_factory=list)
    translated: int = 0
    failed: list[dict[str, Any]] = field(default_factory=list)
    pending: int = 0
    held: int = 0  # failed before with the same inputs; not retried
    notes: list[str] = field(default_factory=list)
    model_calls: int = 0
    files_written: int = 0
    changed_feeds: list[str] = field(default_factory=list)
    stopped: bool = False
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def rejected(self) -> list[dict[str, Any]]:
        return [r for s in self.sources for r in s.rejected]

    @property
    def exit_code(self) -> ExitCode:
        if self.failed:
            return ExitCode.TRANSLATION
        if self.rejected or any(s.error for s in self.sources):
            return ExitCode.INPUT
        return ExitCode.OK

    @property
    def status(self) -> str:
        return "ok" if self.exit_code == ExitCode.OK else "problems"

    def counts(self) -> dict[str, int]:
        return {
            "new": sum(s.new for s in self.sources),
            "updated": sum(s.updated for s in self.sources),
            "unchanged": sum(s.unchanged for s in self.sources),
            "rejected": len(self.rejected),
            "source_errors": sum(1 for s in self.sources if s.error),
            "translated": self.translated,
            "failed": len(self.failed),
            "pending": self.pending,
            "held": self.held,
            "files_written": self.files_written,
        }

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["counts"] = self.counts()
        d["exit_code"] = self.exit_code
        return d

    def lines(self) -> list[str]:
        """The short human report printed by `syndicate run`."""
        c = self.counts()
        out = [
            f"articles: {c['new']} new, {c['updated']} updated, {c['unchanged']} unchanged, {c['rejected']} rejected",
            f"translations: {c['translated']} done, {c['failed']} failed, {c['pending']} pending",
            f"feeds: {c['files_written']} files written",
        ]
        out.extend(line for _, line in problem_lines(asdict(self)))
        if self.stopped:
            out.append("stopped early on request; the next run continues")
        return out


def problem_lines(report: dict[str, Any]) -> list[tuple[str, str]]:
    """(severity, line) for everything in a report (as a dict) that someone
    must read: failed and skipped sources, each rejected file with its
    reason, failed translations, and notes such as a missing model.
    severity is "warning" or "info"; `syndicate run` prints these lines and
    the daemon logs them."""
    out: list[tuple[str, str]] = []
    for s in report.get("sources") or []:
        if s.get("error"):
            out.append(("warning", f"source {s['name']}: FAILED: {s['error']}"))
        if s.get("skipped"):
            out.append(("info", f"source {s['name']}: skipped: {s['skipped']}"))
        for r in s.get("rejected") or []:
            where = f" -> {r['moved_to']}" if r.get("moved_to") else ""
            out.append(("warning", f"rejected {r['reason']}{where}"))
    for f in report.get("failed") or []:
        out.append(("warning", f"translation failed: {f['article_id']} -> {f['language']}: {f['error']}"))
    out.extend(("warning", n) for n in report.get("notes") or [])
    return out


def _ingest(cfg: Config, store: Store, report: Report, stop: threading.Event, politeness: Politeness) -> None:
    for src in cfg.sources:
        if stop.is_set():
            report.stopped = True
            return
        sr = SourceReport(src.name)
        report.sources.append(sr)
        try:
            res = sources.collect(src, store, politeness=politeness)
        except Exception as e:  # one broken source must not stop the others
            log.exception("source %s failed", src.name)
            sr.error = f"{type(e).__name__}: {e}"
            continue
        sr.error, sr.skipped, sr.stats = res.error, res.skipped, dict(res.stats)
        for r in res.rejected:
            sr.rejected.append({"origin": r.origin, "reason": r.reason, "moved_to": r.moved_to})
            store.record_reject(src.name, r.origin, r.moved_to, r.reason)
        for article in res.articles:
            if stop.is_set():
                report.stopped = True
                return
            outcome = store.upsert_article(article)
            setattr(sr, outcome, getattr(sr, outcome) + 1)


def _translate(
    store: Store,
    engine,
    glossary: TermHook,
    memory: Any,
    report: Report,
    stop: threading.Event,
    progress: Callable[[int, int], None] | None,
) -> None:
    work = store.translation_work(glossary.version)
    jobs, held = _jobs(work, store, engine, glossary, report)
    total = len(jobs)
    for start in range(0, total, TRANSLATE_CHUNK):
        if stop.is_set():
            report.stopped = True
            break
        chunk = jobs[start : start + TRANSLATE_CHUNK]

        def chunk_progress(done: int, of: int, start: int = start, n: int = len(chunk)) -> None:
            # translate_jobs reports segments within this chunk; the bar counts articles overall.
            if progress:
                progress(start + (n * done) // max(of, 1), total)

        for out in translate_jobs(chunk, engine, glossary, memory, chunk_progress, stop=stop):
            _record(store, out, glossary, report)
    # Everything taken as work and neither saved, failed nor held is still
    # pending: no model, stopped, or its source changed under it.
    report.pending = len(work) - report.translated - len(report.failed) - held


def _jobs(work, store: Store, engine, glossary: TermHook, report: Report) -> tuple[list[Job], int]:
    """The work with a model and not held back, and how many were held:
    failed before with the same inputs. A note for each missing model and
    for the held ones."""
    held_keys = store.failed_keys()
    jobs: list[Job] = []
    missing: set[tuple[str, str]] = set()
    held: set[tuple[str, str]] = set()
    for stored, tgt in work:
        a = stored.article
        info = engine.model(a.language, tgt)
        if info is None:
            missing.add((a.language, tgt))
            continue
        if held_keys.get((a.id, tgt)) == _failure_key(stored.content_hash, info.key, glossary.version):
            held.add((a.id, tgt))
            continue
        jobs.append(Job(a.id, stored.content_hash, a.language, tgt, a.title, a.blocks))
    for src, tgt in sorted(missing):
        report.notes.append(INSTALL_HINT.format(src=src, tgt=tgt))
    if held:
        report.held = len(held)
        report.notes.append(
            f"{len(held)} translation(s) failed before with this model and glossary and are not retried "
            "until the article, the model or the glossary changes (see `syndicate status`)"
        )
    return jobs, len(held)


def _record(store: Store, out: Outcome, glossary: TermHook, report: Report) -> None:
    """Save a translation or its failure; a stopped one stays pending."""
    j = out.job
    if out.stopped:
        report.stopped = True
        return
    if out.unavailable:  # pending, like a missing model; one note per cause
        note = f"translation engine unavailable, translations stay pending: {out.error}"
        if note not in report.notes:
            report.notes.append(note)
        return
    report.model_calls += out.model_calls
    problems = [p.to_dict() for p in out.problems]  # the store keeps them as JSON
    if out.ok:
        saved = store.save_translation(
            j.article_id, j.tgt, source_hash=j.source_hash, title=out.title, blocks=out.blocks,
            engine=out.model.engine, model=f"{out.model.name}@{out.model.version}",
            glossary_version=out.glossary_version, problems=problems, terms=out.terms,
        )
        if saved:
            report.translated += 1
        return
    # Degenerate output comes back the same from the same inputs; an engine
    # error may be passing, so that one is retried.
    degenerate = any(p.type == DEGENERATE for p in out.problems)
    key = _failure_key(j.source_hash, out.model.key, glossary.version) if degenerate and out.model else None
    store.fail_translation(j.article_id, j.tgt, out.error or "failed", problems, glossary.version, key)
    report.failed.append({"article_id": j.article_id, "language": j.tgt, "error": out.error})


def _failure_key(source_hash: str, model_key: str, glossary_version: str) -> str:
    return f"{source_hash}|{model_key}|{glossary_version}"


def run_cycle(
    cfg: Config,
    *,
    engine=None,
    glossary: TermHook | None = None,
    memory: Any = None,
    store: Store | None = None,
    stop: threading.Event | None = None,
    progress: Callable[[int, int], None] | None = None,
    politeness: Politeness | None = None,
) -> Report:
    """Run one full cycle and record it in the store's run history.
    `politeness` (host delay, robots.txt) outlives the cycle when the
    caller keeps one; by default the cycle's sources share a fresh one."""
    stop = stop or threading.Event()
    own_store = store is None
    store = store or Store(cfg.db_path)
    engine = engine if engine is not None else load_engine(cfg)
    glossary = glossary or NoGlossary()
    report = Report()
    run_id = store.start_run()
    try:
        t0 = time.monotonic()
        _ingest(cfg, store, report, stop, politeness or Politeness())
        t1 = time.monotonic()
        if not stop.is_set():
            _translate(store, engine, glossary, memory, report, stop, progress)
        t2 = time.monotonic()
        # Publish even after a stop request: what is stored is consistent,
        # and publishing is quick and atomic per file.
        pub = publish(cfg, store)
        report.files_written = len(pub.written)
        report.changed_feeds = pub.changed_feeds
        t3 = time.monotonic()
        report.timings = {"ingest": round(t1 - t0, 3), "translate": round(t2 - t1, 3), "publish": round(t3 - t2, 3)}
        store.finish_run(run_id, report.status, report.exit_code, report.to_dict())
        return report
    except BaseException as e:
        store.finish_run(run_id, "error", ExitCode.ERROR, {"error": f"{type(e).__name__}: {e}"})
        raise
    finally:
        if own_store:
            store.close()
