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
from datetime import datetime, timedelta
from typing import Any

from . import sources
from .article import TZ, other_language
from .config import Config, Review
from .exitcodes import ExitCode, environment_problem
from .progress import Progress, ProgressFn
from .publish import PublishResult, publish
from .review import hold_reasons
from .sources import Deadline, Politeness
from .store import Store, utcnow
from .translate import (INSTALL_HINT, Budget, FailureKind, Job, NoGlossary, Outcome, TermHook, load_engine,
                        translate_jobs)
from .text.dates import too_far_ahead
from .text.hygiene import escape_controls
from .translate.problems import DEGENERATE
from .websub import notify

log = logging.getLogger("syndicate")

COPY_MODEL_WARNING = (
    "the {src}->{tgt} model {name} is a TEST COPY MODEL: its output copies its input, so the {tgt} feeds "
    "carry untranslated text. Remove it (`syndicate models remove {src}-{tgt}`) and install a real one."
)

# Articles translated per engine call. Bounded so that a backlog of
# thousands still saves progress steadily and stops promptly on SIGTERM.
TRANSLATE_CHUNK = 32
# Rejects listed one by one in a run's report (and so in its log lines and
# run history) per source; the rest are counted. Every one is still
# recorded in the rejects table, a repeated one as a count.
REPORT_REJECTS = 20
# Clashes named one by one in a run's report, per source; the rest are
# counted (`syndicate status` lists the most recently seen).
CLASH_LINES = 10


@dataclass
class SourceReport:
    name: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    clashes: int = 0  # items another source owns: not stored (see clashed)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    rejected_more: int = 0  # rejected beyond the REPORT_REJECTS listed
    clashed: list[dict[str, Any]] = field(default_factory=list)  # the first CLASH_LINES: url, owner
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
    held_for_review: int = 0  # translated this run and held by the [review] policy
    waiting_review: int = 0  # everything that waits for a person after this run
    notes: list[str] = field(default_factory=list)
    model_calls: int = 0
    files_written: int = 0
    changed_feeds: list[str] = field(default_factory=list)
    stopped: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    pruned: dict[str, int] = field(default_factory=dict)  # rows retention removed at the end of the cycle
    stale_temp_files: int = 0  # orphan temp files a killed publish left, removed
    # The daemon's config or glossary edits that did not load: the cycle ran
    # on the last good version, and monitoring must see that.
    reload_errors: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> list[dict[str, Any]]:
        return [r for s in self.sources for r in s.rejected]

    @property
    def exit_code(self) -> ExitCode:
        # A broken config or glossary outranks everything: until someone
        # fixes it, every edit to either is ignored.
        if self.reload_errors:
            return ExitCode.CONFIG
        if self.failed:
            return ExitCode.TRANSLATION
        if self.rejected or any(s.error or s.rejected_more for s in self.sources):
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
            "clashes": sum(s.clashes for s in self.sources),
            "rejected": len(self.rejected) + sum(s.rejected_more for s in self.sources),
            "source_errors": sum(1 for s in self.sources if s.error),
            "translated": self.translated,
            "failed": len(self.failed),
            "pending": self.pending,
            "held": self.held,
            "held_for_review": self.held_for_review,
            "waiting_review": self.waiting_review,
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
        if c["waiting_review"]:
            out.append(f"review: {c['waiting_review']} waiting ({c['held_for_review']} held this run);"
                       " see `syndicate review list`")
        out.extend(line for _, line in problem_lines(asdict(self)))
        if self.stopped:
            out.append("stopped early on request; the next run continues")
        return out


def problem_lines(report: dict[str, Any]) -> list[tuple[str, str]]:
    """(severity, line) for everything in a report (as a dict) that someone
    must read: failed and skipped sources, each rejected file with its
    reason, failed translations, and notes such as a missing model.
    severity is "warning" or "info"; `syndicate run` prints these lines and
    the daemon logs them, escaped: a file name or a server's message with a
    line break or an ANSI sequence cannot forge or hide a line."""
    return [(sev, escape_controls(line)) for sev, line in _problem_lines(report)]


def _problem_lines(report: dict[str, Any]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = [
        ("warning", f"reload failed, running on the last good version: {e}") for e in report.get("reload_errors") or []
    ]
    for s in report.get("sources") or []:
        if s.get("error"):
            out.append(("warning", f"source {s['name']}: FAILED: {s['error']}"))
        if s.get("skipped"):
            out.append(("info", f"source {s['name']}: skipped: {s['skipped']}"))
        out.extend(_cut_short_lines(s))
        for r in s.get("rejected") or []:
            where = f" -> {r['moved_to']}" if r.get("moved_to") else ""
            out.append(("warning", f"rejected {r['reason']}{where}"))
        if s.get("rejected_more"):
            out.append(("warning", f"source {s['name']}: {s['rejected_more']} more rejected"
                                   " (`syndicate status` lists the latest)"))
        out.extend(_clash_lines(s))
    for f in report.get("failed") or []:
        out.append(("warning", f"translation failed: {f['article_id']} -> {f['language']}: {f['error']}"))
    out.extend(("warning", n) for n in report.get("notes") or [])
    return out


def _cut_short_lines(s: dict[str, Any]) -> list[tuple[str, str]]:
    stats = s.get("stats") or {}
    if not stats.get("cut_short"):
        return []
    left = stats.get("left_for_next", 0)
    return [("info", f"source {s['name']}: stopped early ({stats['cut_short']}); "
                     f"{left} item(s) left for the next cycle")]


def _clash_lines(s: dict[str, Any]) -> list[tuple[str, str]]:
    out = [("warning", f"source {s['name']}: {c['url']} belongs to source {c['owner']}; "
                       f"its article was kept, this source's copy not stored")
           for c in s.get("clashed") or []]
    more = (s.get("clashes") or 0) - len(out)
    if more > 0:
        out.append(("warning", f"source {s['name']}: {more} more URL(s) belong to other sources "
                               "(see `syndicate status`)"))
    return out


def _ingest(cfg: Config, store: Store, report: Report, stop: threading.Event, politeness: Politeness,
            progress: ProgressFn | None) -> None:
    # One clock for host delays and deadlines: the politeness's (tests inject one).
    deadline = Deadline.after(politeness.clock, cfg.schedule.fetch_deadline, "schedule.fetch_deadline")
    owners = {s.name for s in cfg.sources}
    for src in cfg.sources:
        if stop.is_set():
            report.stopped = True
            return
        sr = SourceReport(src.name)
        report.sources.append(sr)
        if src.type == "feed" and deadline.passed(politeness.clock):
            sr.skipped = f"{deadline} reached by the sources before it; read next cycle"
            continue
        try:
            res = sources.collect(src, store, politeness=politeness, deadline=deadline, stop=stop,
                                  progress=progress)
        except Exception as e:  # one broken source must not stop the others
            log.exception("source %s failed", src.name)
            sr.error = f"{type(e).__name__}: {e}"
            continue
        sr.error, sr.skipped, sr.stats = res.error, res.skipped, dict(res.stats)
        sr.unchanged += res.unchanged
        for r in res.rejected:
            _reject(store, sr, src.name, r.origin, r.reason, r.moved_to)
        if not _store_articles(store, res.articles, sr, report, src, owners, stop, progress):
            report.stopped = True
            return
        if res.stats.get("cut_short") == "stop requested":
            report.stopped = True
            return


def _store_articles(store: Store, articles: list, sr: SourceReport, report: Report, src, owners: set[str],
                    stop: threading.Event, progress: ProgressFn | None) -> bool:
    """Store one source's articles; False when stopped before the last."""
    now = utcnow()
    for i, article in enumerate(articles, 1):
        if stop.is_set():
            return False
        if progress:
            progress(Progress(f"storing {src.name}", i, len(articles)))
        if _future_date(store, sr, report, src, article, now):
            continue
        outcome = store.upsert_article(article, owners=owners)
        if outcome != "clash":
            setattr(sr, outcome, getattr(sr, outcome) + 1)
            continue
        sr.clashes += 1
        if len(sr.clashed) < CLASH_LINES:
            owner = store.get_article(article.id)
            sr.clashed.append({"url": article.url or article.origin, "owner": owner.article.source if owner else "?"})
    return True


def _reject(store: Store, sr: SourceReport, source: str, origin: str, reason: str, moved_to: str | None) -> None:
    origin, reason = escape_controls(origin), escape_controls(reason)
    moved_to = escape_controls(moved_to) if moved_to else None
    if len(sr.rejected) < REPORT_REJECTS:
        sr.rejected.append({"origin": origin, "reason": reason, "moved_to": moved_to})
    else:
        sr.rejected_more += 1
    store.record_reject(source, origin, moved_to, reason)


def _future_date(store: Store, sr: SourceReport, report: Report, src, article, now: datetime) -> bool:
    """Clamp a date beyond the source's tolerance (it would pin the item to
    the top of every feed) to when the item was first seen: the stored
    date when there is a sane one, else now, so the date does not move on
    each later change. The inbox refuses such files itself; an article
    without a URL could not be clamped stably (its id holds the date), so
    it is rejected. True when the article was rejected."""
    tolerance = timedelta(hours=src.max_future_hours)
    why = too_far_ahead(article.published, now, tolerance)
    if why is None:
        return False
    where = article.url or article.origin or article.title
    if article.url is None:
        _reject(store, sr, src.name, where, f"{where}: {why} (sources.max_future_hours)", None)
        return True
    stored = store.get_article(article.id)
    if stored is not None and too_far_ahead(stored.article.published, now, tolerance) is None:
        article.published = stored.article.published
    else:
        article.published = now.astimezone(TZ)
    report.notes.append(f"source {src.name}: {where}: {why} (sources.max_future_hours); "
                        f"published as {article.published.isoformat()}")
    return False


def _translate(
    store: Store,
    review: Review,
    engine,
    glossary: TermHook,
    memory: Any,
    report: Report,
    stop: threading.Event,
    progress: ProgressFn | None,
    budget: Budget,
) -> None:
    _warn_copy_models(engine, report)
    work, waiting = _work(store, engine, glossary, report)
    jobs, held = _jobs(work, store, engine, glossary, report, budget)
    origins = {stored.article.id: stored.article for stored, _ in work}
    total = len(jobs)
    # translate_jobs reports sentences within one chunk; progress counts
    # articles and sentences over the whole run.
    sentences = {"before": 0, "of": 0}
    for start in range(0, total, TRANSLATE_CHUNK):
        if stop.is_set():
            report.stopped = True
            break
        chunk = jobs[start : start + TRANSLATE_CHUNK]

        def chunk_progress(done: int, of: int, start: int = start, n: int = len(chunk)) -> None:
            sentences["of"] = of
            if progress:
                progress(Progress("translating", start + (n * done) // max(of, 1), total,
                                  sentences=sentences["before"] + done))

        for out in translate_jobs(chunk, engine, glossary, memory, chunk_progress, stop=stop, budget=budget):
            _record(store, out, glossary, report, review, budget)
            if out.failure is not None and out.failure.kind is FailureKind.OVER_BUDGET:
                _set_aside(store, origins[out.job.article_id], out)
        sentences["before"] += sentences["of"]
        sentences["of"] = 0
    # Everything taken as work and neither saved, failed nor held is still
    # pending: no model, stopped, or its source changed under it.
    report.pending = len(work) - report.translated - len(report.failed) - held + waiting


def _warn_copy_models(engine, report: Report) -> None:
    """A test copy model installed where a real one belongs: every run
    says so (its feeds look fine to a machine and read as English)."""
    for src, tgt in (("en", "vi"), ("vi", "en")):
        info = engine.model(src, tgt)
        if info is not None and info.copies:
            report.notes.append(COPY_MODEL_WARNING.format(src=src, tgt=tgt, name=info.name))


def _work(store: Store, engine, glossary: TermHook, report: Report) -> tuple[list, int]:
    """The translation work into languages that have a model, and how many
    wait for a missing model: those are counted, with a note per missing
    direction, but not loaded, so an idle cycle does not read the archive."""
    counts = store.translation_work_counts(glossary.version)
    missing = sorted((other_language(tgt), tgt) for tgt in counts if engine.model(other_language(tgt), tgt) is None)
    for src, tgt in missing:
        report.notes.append(INSTALL_HINT.format(src=src, tgt=tgt))
    languages = sorted(set(counts) - {tgt for _, tgt in missing})
    work = store.translation_work(glossary.version, languages) if languages else []
    return work, sum(counts[tgt] for _, tgt in missing)


def _jobs(work, store: Store, engine, glossary: TermHook, report: Report, budget: Budget
          ) -> tuple[list[Job], int]:
    """The work not held back, and how many were held: failed before with
    the same inputs, or refused for its size under the same limits (with a note)."""
    held_keys = store.failed_keys()
    jobs: list[Job] = []
    held: set[tuple[str, str]] = set()
    for stored, tgt in work:
        a = stored.article
        info = engine.model(a.language, tgt)
        if info is None:  # removed since _work looked: stays pending
            continue
        key = _failure_key(stored.content_hash, info.key, glossary.version)
        if held_keys.get((a.id, tgt)) in (key, _budget_key(key, budget)):
            held.add((a.id, tgt))
            continue
        jobs.append(Job(a.id, stored.content_hash, a.language, tgt, a.title, a.blocks))
    if held:
        report.held = len(held)
        report.notes.append(
            f"{len(held)} translation(s) failed before with this model and glossary and are not retried "
            "until the article, the model or the glossary changes (see `syndicate status`)"
        )
    return jobs, len(held)


def _record(store: Store, out: Outcome, glossary: TermHook, report: Report, review: Review, budget: Budget) -> None:
    """Save a translation (published or held for review, as the policy
    says) or its failure; a stopped one stays pending."""
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
    reasons = hold_reasons(out, review)
    degenerate = any(p.type == DEGENERATE for p in out.problems)
    # Under a hold policy, degenerate output waits for an editor, who can
    # fix the bad sentence, instead of failing; it is never published as is.
    if out.ok or (degenerate and reasons and out.model is not None and out.failure.kind is FailureKind.DEGENERATE):
        saved = store.save_translation(
            j.article_id, j.tgt, source_hash=j.source_hash, title=out.title, blocks=out.blocks,
            engine=out.model.engine, model=f"{out.model.name}@{out.model.version}",
            glossary_version=out.glossary_version, problems=problems, terms=out.terms,
            review="held" if reasons else "auto", review_reasons=reasons, min_score=out.min_score,
            segments=out.segments,
        )
        if saved:
            report.translated += 1
            report.held_for_review += 1 if reasons else 0
        return
    # Degenerate output comes back the same from the same inputs, and so
    # does a size over the budget; an engine error may be passing, so that
    # one is retried.
    over = out.failure.kind is FailureKind.OVER_BUDGET
    key = _failure_key(j.source_hash, out.model.key, glossary.version) if out.model else None
    if over and key:
        key = _budget_key(key, budget)
    elif not degenerate:
        key = None
    store.fail_translation(j.article_id, j.tgt, out.error or "failed", problems, glossary.version, key)
    report.failed.append({"article_id": j.article_id, "language": j.tgt, "error": out.error})


def _set_aside(store: Store, article, out: Outcome) -> None:
    """An article too large to translate is listed with the rejected inputs
    (`syndicate status`), like a bad file; its failure key holds it until
    the article, the model, the glossary or the limits change."""
    where = escape_controls(article.url or article.origin or article.id)
    store.record_reject(article.source, where, None, f"{where} -> {out.job.tgt}: {out.error}")


def _budget_key(key: str, budget: Budget) -> str:
    """An article refused for its size is tried again when the limits are
    raised, too."""
    return f"{key}|budget:{budget.max_chars},{budget.max_segments}"


def _failure_key(source_hash: str, model_key: str, glossary_version: str) -> str:
    return f"{source_hash}|{model_key}|{glossary_version}"


def _record_error(store: Store, run_id: int, e: BaseException, cfg: Config) -> None:
    """Record a cycle that raised as "error". On a full or read-only disk
    that write fails too; the original error is the one to raise, and the
    row left "running" is marked interrupted at the next start."""
    env = environment_problem(e, cfg.db_path)
    code = ExitCode.ENVIRONMENT if env else ExitCode.ERROR
    try:
        store.finish_run(run_id, "error", code, {"error": env or f"{type(e).__name__}: {e}"})
    except Exception as again:
        log.error("could not record run %d as failed: %s", run_id, again)


def republish(cfg: Config, store: Store) -> tuple[PublishResult, dict[str, Any]]:
    """Publish after an editorial action (approve, edit, reject, withdraw,
    restore) and ping the WebSub hub for the feeds whose bytes changed;
    the others keep their bytes, so their ETags stay. Returns the publish
    result and notify()'s answer ({} without a hub)."""
    pub = publish(cfg, store)
    hub = cfg.websub.hub
    return pub, (notify(hub, cfg.data_dir, pub.changed_feeds) if hub and pub.changed_feeds else {})


def run_cycle(
    cfg: Config,
    *,
    engine=None,
    glossary: TermHook | None = None,
    memory: Any = None,
    store: Store | None = None,
    stop: threading.Event | None = None,
    progress: ProgressFn | None = None,
    politeness: Politeness | None = None,
    reload_errors: list[str] | None = None,
) -> Report:
    """Run one full cycle and record it in the store's run history.
    `politeness` (host delay, robots.txt) outlives the cycle when the
    caller keeps one; by default the cycle's sources share a fresh one.
    `reload_errors`: the daemon's config or glossary that failed to reload
    (the cycle runs on the last good one); they make the run's exit code 2."""
    stop = stop or threading.Event()
    own_store = store is None
    store = store or Store(cfg.db_path)
    engine = engine if engine is not None else load_engine(cfg)
    glossary = glossary or NoGlossary()
    report = Report(reload_errors=list(reload_errors or []))
    run_id = store.start_run()
    try:
        t0 = time.monotonic()
        _ingest(cfg, store, report, stop, politeness or Politeness(), progress)
        t1 = time.monotonic()
        if not stop.is_set():
            budget = Budget(cfg.translation.max_article_chars, cfg.translation.max_article_segments)
            _translate(store, cfg.review, engine, glossary, memory, report, stop, progress, budget)
        t2 = time.monotonic()
        # Publish even after a stop request: what is stored is consistent,
        # and publishing is quick and atomic per file.
        pub = publish(cfg, store)
        report.waiting_review = store.review_counts().get("held", 0)
        report.files_written = len(pub.written)
        report.changed_feeds = pub.changed_feeds
        report.stale_temp_files = len(pub.stale_removed)
        # Bounded, so a large backlog is worked off over several cycles.
        report.pruned = store.prune(cfg.retention, limit=cfg.retention.prune_batch)
        t3 = time.monotonic()
        report.timings = {"ingest": round(t1 - t0, 3), "translate": round(t2 - t1, 3), "publish": round(t3 - t2, 3)}
        store.finish_run(run_id, report.status, report.exit_code, report.to_dict())
        return report
    except BaseException as e:
        _record_error(store, run_id, e, cfg)
        raise
    finally:
        if own_store:
            store.close()
