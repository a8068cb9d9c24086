"""Degenerate-output detection, one check at a time."""
from __future__ import annotations

import pytest

from syndicate.translate.checks import check

SRC = "Police arrested 3,489 suspects in Hanoi in 2019."
VI = "Công an bắt giữ 3.489 đối tượng tại Hà Nội năm 2019."


def test_a_plausible_translation_passes():
    assert check(SRC, VI) == []


@pytest.mark.parametrize("out", ["", "   "])
def test_empty(out):
    assert check(SRC, out) == ["empty"]
    assert check("...", out) == []  # nothing to translate, nothing lost


@pytest.mark.parametrize(
    "out",
    [
        "Công an công an công an công an bắt giữ đối tượng tại Hà Nội.",  # unigram loop
        "Công an bắt giữ đối tượng, đối tượng, đối tượng tại Hà Nội năm.",  # bigram loop
        "the police of the city the police of the city the police of the city",
    ],
)
def test_repetition(out):
    assert "repetition" in check(SRC, out)


def test_repetition_in_the_source_is_not_the_models_fault():
    src = "He shouted: no, no, no, no! The crowd left."
    assert "repetition" not in check(src, "Anh ta hét lên: không, không, không, không! Đám đông rời đi.")


@pytest.mark.parametrize("out", ["Công an.", VI * 4])
def test_length_ratio(out):
    assert "length_ratio" in check(SRC, out)


def test_length_ratio_ignores_short_sources():
    assert check("Photo: MPS", "Ảnh: Bộ Công an, Hà Nội, Việt Nam") == []


def test_untranslated_copy():
    assert check(SRC, SRC) == ["untranslated"]
    assert check(SRC, " police ARRESTED 3,489 suspects in hanoi in 2019 ") == ["untranslated"]
    assert check(SRC, SRC, copies_expected=True) == []
    # Names and short labels come back unchanged legitimately.
    assert check("Nguyen Van Hung", "Nguyen Van Hung") == []
    assert check("Photo: MPS", "Photo: MPS") == []
