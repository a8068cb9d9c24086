"""One Problem shape for what a translation records, stored as a flat dict."""
from __future__ import annotations

import pytest

from syndicate.translate.problems import Problem


def test_round_trip_through_a_dict():
    p = Problem("term_lost", "review", "people.toml:4", {"source": "To Lam", "target": "Tô Lâm"})
    d = p.to_dict()
    assert d == {"type": "term_lost", "severity": "review", "entry": "people.toml:4",
                 "source": "To Lam", "target": "Tô Lâm"}
    assert Problem.from_dict(d) == p


def test_rows_stored_before_the_one_shape_still_read():
    old = {"kind": "degenerate", "checks": ["empty"], "block": 0, "source": "x", "output": "", "score": None}
    p = Problem.from_dict(old)
    assert (p.type, p.severity, p.entry) == ("degenerate", "error", "")
    assert p.detail == {"checks": ["empty"], "block": 0, "source": "x", "output": "", "score": None}
    unknown = Problem.from_dict({"type": "term_unknown_placeholder", "text": "ZQZZ", "severity": "review"})
    assert (unknown.type, unknown.severity, unknown.entry, dict(unknown.detail)) == (
        "term_unknown_placeholder", "review", "", {"text": "ZQZZ"})


def test_detail_cannot_shadow_a_field():
    with pytest.raises(ValueError):
        Problem("term_lost", "review", "", {"severity": "error"})
