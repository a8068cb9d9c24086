"""The driver's typed outcomes, with stand-in engines (no model needed):
each way a job can fail says which kind it is, and every problem it
records has the one Problem shape."""
from __future__ import annotations

import threading

from syndicate.article import Block
from syndicate.translate import (
    INSTALL_HINT, FailureKind, Hypothesis, Job, ModelInfo, Problem, translate_jobs,
)


class Echo:
    """Returns each sentence as it came (a declared copy model), or what ``answer`` makes of it."""

    name = "echo"

    def __init__(self, answer=lambda s: s, installed=(("en", "vi"),)):
        self.answer = answer
        self.installed = set(installed)
        self.calls = 0

    def model(self, src, tgt):
        return ModelInfo("echo", "echo", "1", copies=True) if (src, tgt) in self.installed else None

    def translate_batch(self, src, tgt, sentences):
        self.calls += 1
        return [Hypothesis(self.answer(s), None) for s in sentences]


def job(aid="a1", src="en", tgt="vi"):
    return Job(aid, "h", src, tgt, "A Headline", [Block("p", "The first sentence here. The second one follows.")])


def test_a_good_job_has_no_failure():
    out = translate_jobs([job()], Echo())[0]
    assert out.ok and out.failure is None and out.error is None and not out.stopped
    assert out.title == "A Headline" and out.blocks == job().blocks


def test_no_model_for_the_direction():
    out = translate_jobs([job(src="vi", tgt="en")], Echo())[0]
    assert not out.ok and out.failure.kind is FailureKind.NO_MODEL
    assert out.error == INSTALL_HINT.format(src="vi", tgt="en") and out.model is None


def test_an_engine_error_is_an_engine_failure():
    def boom(s):
        raise RuntimeError("model crashed")

    out = translate_jobs([job()], Echo(boom))[0]
    assert out.failure.kind is FailureKind.ENGINE and "model crashed" in out.error and not out.stopped


def test_degenerate_output_is_a_degenerate_failure_with_problems():
    out = translate_jobs([job()], Echo(lambda s: "the the the the the the"))[0]
    assert out.failure.kind is FailureKind.DEGENERATE and out.error.startswith("degenerate output in 3 segment(s)")
    assert out.problems and all(isinstance(p, Problem) for p in out.problems)
    p = out.problems[0]
    assert (p.type, p.severity, p.entry) == ("degenerate", "error", "")
    assert p.detail["block"] == -1 and p.detail["source"] == "A Headline" and "repetition" in p.detail["checks"]


def test_a_stop_before_the_engine_call_is_a_stopped_failure():
    stop = threading.Event()
    stop.set()
    engine = Echo()
    out = translate_jobs([job()], engine, stop=stop)[0]
    assert out.stopped and not out.ok and out.failure.kind is FailureKind.STOPPED
    assert engine.calls == 0 and (out.title, out.blocks, out.problems) == ("", [], [])
