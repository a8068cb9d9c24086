"""The glossary through the real inference path: SentencePiece + CTranslate2
copy model, via translate_jobs; placeholder forms compared; term accuracy
over the bilingual fixtures."""
from __future__ import annotations

from pathlib import Path

from syndicate.article import Block
from syndicate.text.portal import parse_portal_text
from syndicate.glossary.accuracy import score
from syndicate.glossary.enforce import PREFIXES, placeholder
from syndicate.translate import Job, translate_jobs

TESTDATA = Path(__file__).parent / "testdata"


def test_chosen_placeholder_tokenization(en_vi_tokens):
    # Letters only: no digit pieces (split_digits) and no underscore pieces
    # (argostranslate's decoder turns "_" into spaces).
    for prefix in PREFIXES:
        for i in (0, 1, 27, 675):
            pieces = en_vi_tokens(placeholder(prefix, i))
            assert not any(ch.isdigit() for t in pieces if not t.startswith("<0x") for ch in t)
            assert not any("_" in t.replace("▁", "") for t in pieces)
            # one word: only the first piece starts a word
            assert sum(t.startswith("▁") for t in pieces) == 1


def test_fragile_forms_split_as_expected(en_vi_tokens):
    digits = en_vi_tokens("T001")
    assert sum(1 for t in digits if t.isdigit()) == 3  # one piece per digit
    brackets = en_vi_tokens("⟦1⟧")
    assert sum(t.startswith("<0x") for t in brackets) == 6  # two 3-byte characters as raw bytes


def test_placeholders_survive_the_copy_model(copy_engine, repo_glossary):
    text = ("MPS - General To Lam, Politburo member and Minister of Public Security, leading a delegation of "
            "the Ministry of Public Security, worked with Quang Ninh Provincial Police Department on August 9.")
    p = repo_glossary.protect(text, "en", "vi")
    out = copy_engine.translate_batch("en", "vi", [p.text])[0].text
    assert out == p.text
    r = repo_glossary.restore(out, p, "en", "vi")
    assert r.text == ("Bộ Công an - Đại tướng Tô Lâm, Ủy viên Bộ Chính trị and Bộ trưởng Bộ Công an, leading a "
                      "delegation of the Bộ Công an, worked with Công an tỉnh Quảng Ninh on August 9.")
    assert not r.problems


def test_translate_jobs_with_glossary_and_copy_model(copy_engine, repo_glossary):
    job = Job("a1", "h", "vi", "en", "Thiếu tướng Lê Tấn Tới làm việc với Công an tỉnh Sơn La",
              [Block("p", "Đại tá Phạm Văn Hùng, Giám đốc Công an tỉnh Sơn La, báo cáo về tín dụng đen.")])
    out = translate_jobs([job], copy_engine, repo_glossary)[0]
    assert out.ok and out.glossary_version == repo_glossary.version
    assert out.title == "Major General Le Tan Toi làm việc với Son La Provincial Police Department"
    assert out.blocks[0].text == ("Colonel Pham Van Hung, Director of the Son La Provincial Police Department, "
                                  "báo cáo về black credit.")
    assert out.problems == []


def test_term_accuracy_over_fixtures(copy_engine, repo_glossary):
    arts = {}
    for p in sorted(TESTDATA.glob("*_*.txt")):
        stem, lang = p.stem.rsplit("_", 1)
        arts.setdefault(stem, {})[lang] = parse_portal_text(p.read_text(encoding="utf-8"), source="t",
                                                            language=lang, origin=str(p))
    assert len(arts) >= 6
    for src, tgt in (("en", "vi"), ("vi", "en")):
        s = score([(v[src], v[tgt]) for v in arts.values()], repo_glossary, copy_engine, src, tgt)
        assert s.terms >= 80
        assert s.hits == s.terms and s.review == 0  # every required form reached the output
        assert s.baseline_hits < s.terms * 0.1  # the model alone gets almost none
        assert s.reference_hits >= s.reference_terms * 0.95  # glossary agrees with the references
