"""The translation memory table, on a real store."""
from __future__ import annotations

import unicodedata

from syndicate.store import Store
from syndicate.translate.memory import TranslationMemory, normalize_source

KEY = ("ctranslate2:translate-vi_en-1_0@1.0", "vi-en", "g1")


def test_hits_survive_whitespace_and_unicode_composition(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        tm = TranslationMemory(store)
        tm.store(*KEY, [("Ủy ban  nhân dân\ttỉnh.", "The provincial People's Committee.", -0.5)])
        nfd = unicodedata.normalize("NFD", " Ủy ban nhân dân tỉnh. ")
        assert tm.lookup(*KEY, [nfd]) == {"Ủy ban nhân dân tỉnh.": ("The provincial People's Committee.", -0.5)}
        assert normalize_source(nfd) == "Ủy ban nhân dân tỉnh."
        # Another model version, direction or glossary version is another key.
        assert tm.lookup("ctranslate2:translate-vi_en-1_0@1.1", "vi-en", "g1", [nfd]) == {}
        assert tm.lookup(KEY[0], "en-vi", "g1", [nfd]) == {}
        assert tm.lookup(KEY[0], "vi-en", "g2", [nfd]) == {}


def test_many_keys_and_overwrite(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        tm = TranslationMemory(store)
        items = [(f"Câu số {i}.", f"Sentence {i}.", None) for i in range(1200)]
        tm.store(*KEY, items)
        got = tm.lookup(*KEY, [s for s, _, _ in items] + ["not there"])
        assert len(got) == 1200 and got["Câu số 999."] == ("Sentence 999.", None)
        tm.store(*KEY, [("Câu số 1.", "Sentence one.", -0.1)])
        assert tm.lookup(*KEY, ["Câu số 1."])["Câu số 1."] == ("Sentence one.", -0.1)
        assert tm.count() == 1200
    # Committed, not left in an open transaction.
    with Store(tmp_path / "s.sqlite") as store:
        assert TranslationMemory(store).count() == 1200


def test_storing_inside_an_open_transaction_joins_it(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        tm = TranslationMemory(store)
        try:
            with store.transaction():
                tm.store(*KEY, [("Câu một.", "Sentence one.", None)])
                raise RuntimeError("crash")
        except RuntimeError:
            pass
        assert tm.count() == 0
