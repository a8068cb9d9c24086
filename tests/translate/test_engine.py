"""The CTranslate2 engine and the article driver, end to end on the real
copy-model packages: batching, order, the translation memory, headlines,
output checks, and sharing one loaded model across threads."""
from __future__ import annotations

import threading

import pytest

import copy_model
from syndicate.article import Block
from syndicate.store import Store
from syndicate.translate import Job, TranslateStats, translate_jobs
from syndicate.translate.ctranslate import CTranslate2Engine, LoadedModels
from syndicate.translate.memory import TranslationMemory

EN_BODY = [
    Block("p", "Maj. Gen. Le Tan Toi chaired the meeting in Hanoi. Police arrested 3,489 suspects in 2019."),
    Block("p", '"We will protect national security," he said.\nThe conference closed at noon.'),
    Block("caption", "Delegates attend the conference"),
]
VI_BODY = [
    Block("p", "Đại tướng Tô Lâm, Ủy viên Bộ Chính trị, Bộ trưởng Bộ Công an chủ trì hội nghị. "
               "Công an TP. Hồ Chí Minh thu giữ 1.000.000 đồng."),
    Block("note", "Cùng ngày, đoàn công tác đến thăm Đà Nẵng."),
]


@pytest.fixture
def engine(installed_packages_dir):
    return CTranslate2Engine(installed_packages_dir, compute_type="int8", beam_size=4, max_batch_tokens=64)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "syndicate.sqlite")
    yield s
    s.close()


@pytest.fixture
def memory(store):
    return TranslationMemory(store)


def en_job(aid="a1", title="Police Arrest 3,489 Suspects", blocks=EN_BODY):
    return Job(aid, "h-" + aid, "en", "vi", title, list(blocks))


def test_model_info_and_missing_direction(engine, tmp_path):
    info = engine.model("en", "vi")
    assert (info.engine, info.name, info.version, info.copies) == ("ctranslate2", "translate-en_vi-1_0", "1.0", True)
    assert CTranslate2Engine(tmp_path / "empty").model("en", "vi") is None


def test_translate_batch_restores_input_order(engine):
    # Lengths deliberately out of order, with an empty one and a duplicate;
    # the copy model makes every output identifiable.
    sentences = [
        "Short.",
        "A considerably longer sentence about the Ministry of Public Security and its work in 2019.",
        "",
        "Mid-length sentence_with an underscore.",
        "Short.",
        "Đại tá Nguyễn Văn Hùng báo cáo về vụ án.",
    ]
    calls = engine.stats.engine_calls
    hyps = engine.translate_batch("en", "vi", sentences)
    assert [h.text for h in hyps] == sentences  # "_" is kept, unlike argostranslate's decoder
    assert engine.stats.engine_calls == calls + 1  # one call for all of them
    assert all(h.score is not None for h, s in zip(hyps, sentences) if s)


def test_batching_by_examples_gives_the_same_results(installed_packages_dir, engine):
    sentences = ["Short.", "", "A longer sentence about the Ministry of Public Security in 2019.", "Mid length one."]
    by_examples = CTranslate2Engine(installed_packages_dir, compute_type="int8", beam_size=4,
                                    batch_type="examples", max_batch_examples=2)
    assert [h.text for h in by_examples.translate_batch("en", "vi", sentences)] == \
        [h.text for h in engine.translate_batch("en", "vi", sentences)] == sentences


def test_articles_round_trip_through_the_copy_model(engine, memory):
    jobs = [en_job(), Job("b1", "h-b1", "vi", "en", "Bộ Công an tổ chức hội nghị", VI_BODY)]
    seen = []
    outs = translate_jobs(jobs, engine, memory=memory, progress=lambda d, t: seen.append((d, t)))
    assert [o.job.article_id for o in outs] == ["a1", "b1"]
    for o, j in zip(outs, jobs):
        assert o.ok, o.error
        assert o.title == j.title
        assert o.blocks == j.blocks  # kinds, sentence joins and line breaks kept
        assert o.model.name == f"translate-{j.src}_{j.tgt}-1_0"
    assert seen and seen[-1][0] == seen[-1][1] == sum(o.model_calls for o in outs)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_rerun_makes_zero_model_calls_and_edit_retranslates_only_changes(engine, memory):
    stats = TranslateStats()
    first = translate_jobs([en_job()], engine, memory=memory, stats=stats)[0]
    assert first.ok and first.model_calls == 6 and first.memory_hits == 0  # title + 5 sentences

    calls = engine.stats.engine_calls
    stats = TranslateStats()
    again = translate_jobs([en_job()], engine, memory=memory, stats=stats)[0]
    assert again.ok and again.model_calls == 0 and again.memory_hits == 6
    assert stats.engine_calls == 0 and engine.stats.engine_calls == calls
    assert (again.title, again.blocks) == (first.title, first.blocks)

    edited = list(EN_BODY)
    edited[0] = Block("p", EN_BODY[0].text.replace("3,489", "3,500"))
    sent = []
    orig = engine.translate_batch

    def spy(src, tgt, sentences):  # the real engine, watched
        sent.extend(sentences)
        return orig(src, tgt, sentences)

    engine.translate_batch = spy
    out = translate_jobs([en_job(blocks=edited)], engine, memory=memory)[0]
    assert out.ok and out.model_calls == 1 and out.memory_hits == 5
    assert sent == ["Police arrested 3,500 suspects in 2019."]
    assert out.blocks[0].text == edited[0].text


def test_memory_key_includes_model_direction_and_glossary_version(engine, memory, store):
    translate_jobs([en_job()], engine, memory=memory)

    class Versioned:
        version = "g2"

        def protect(self, text, src, tgt, context=""):
            from syndicate.translate import Protected
            return Protected(text)

        def restore(self, output, protected, src, tgt):
            from syndicate.translate import Restored
            return Restored(output)

    out = translate_jobs([en_job()], engine, Versioned(), memory=memory)[0]
    assert out.model_calls == 6 and out.memory_hits == 0 and out.glossary_version == "g2"
    rows = store.db.execute(
        "SELECT DISTINCT model, direction, glossary_version FROM translation_memory ORDER BY glossary_version"
    ).fetchall()
    assert [tuple(r) for r in rows] == [
        ("ctranslate2:translate-en_vi-1_0@1.0", "en-vi", "g2"),
        ("ctranslate2:translate-en_vi-1_0@1.0", "en-vi", "none"),
    ]


def test_headline_is_one_segment_and_gets_a_temporary_full_stop(engine, memory, store):
    title = "Gen. To Lam Visits Da Nang. Police Step Up Patrols"
    out = translate_jobs([en_job(title=title)], engine, memory=memory)[0]
    assert out.ok and out.title == title  # not split, no stop left behind
    keys = {r[0] for r in store.db.execute("SELECT source FROM translation_memory")}
    assert title + "." in keys  # the model saw a sentence
    q = translate_jobs([en_job("a2", title="Who Is Responsible?")], engine, memory=memory)[0]
    assert q.title == "Who Is Responsible?"
    assert "Who Is Responsible?" in {r[0] for r in store.db.execute("SELECT source FROM translation_memory")}


def test_untranslated_copy_is_flagged_unless_the_package_declares_a_copy_model(tmp_path, memory):
    pkgs = tmp_path / "pk"
    path = copy_model.build_package(tmp_path / "undeclared.argosmodel", "en", "vi", declare_copy=False)
    copy_model.install_package(path, pkgs)
    eng = CTranslate2Engine(pkgs)
    assert eng.model("en", "vi").copies is False
    out = translate_jobs([en_job()], eng, memory=memory)[0]
    assert not out.ok
    flagged = [p for p in out.problems if p.type == "degenerate"]
    assert {tuple(p.detail["checks"]) for p in flagged} == {("untranslated",)}
    # Only sentences with enough words are judged: the caption (4 words) and
    # the sentences are, a short source like the headline "Police Arrest 3,489
    # Suspects" (3 words of letters) is not.
    assert "Police Arrest 3,489 Suspects" not in {p.detail["source"] for p in flagged}
    assert "untranslated" in out.error
    # Nothing degenerate is remembered.
    assert memory.count() == 1


def test_truncated_output_is_degenerate_and_not_remembered(tmp_path, memory, store):
    # A copy model with an 8-position table: the engine truncates longer
    # input to fit, so the output is far shorter than the source.
    pkgs = tmp_path / "pk"
    copy_model.install_package(
        copy_model.build_package(tmp_path / "short.argosmodel", "en", "vi", max_positions=8), pkgs)
    out = translate_jobs([en_job()], CTranslate2Engine(pkgs), memory=memory)[0]
    assert not out.ok
    flagged = {p.detail["source"] for p in out.problems
               if p.type == "degenerate" and "length_ratio" in p.detail["checks"]}
    assert "Maj. Gen. Le Tan Toi chaired the meeting in Hanoi." in flagged
    stored = {r[0] for r in store.db.execute("SELECT source FROM translation_memory")}
    assert stored and not flagged & stored


def test_one_loaded_model_is_shared_across_engines_and_threads(installed_packages_dir):
    # Loaded models belong to the engine (no process-wide cache to reset);
    # engines handed the same LoadedModels share them.
    models = LoadedModels()
    a = CTranslate2Engine(installed_packages_dir, compute_type="int8", models=models)
    b = CTranslate2Engine(installed_packages_dir, compute_type="int8", models=models)
    assert a.load("en", "vi") is b.load("en", "vi")
    assert a.load("en", "vi") is a.load("en", "vi")
    assert CTranslate2Engine(installed_packages_dir, compute_type="int8").load("en", "vi") is not a.load("en", "vi")

    texts = [f"Sentence number {i} from thread {{t}} about Hà Nội." for i in range(20)]
    errors, results = [], {}

    def work(t):
        try:
            mine = [s.format(t=t) for s in texts]
            results[t] = ([h.text for h in a.translate_batch("en", "vi", mine)], mine)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    assert len(results) == 4 and all(got == want for got, want in results.values())


def test_engine_error_fails_its_jobs_without_stopping_the_run(engine, memory):
    class Broken(CTranslate2Engine):
        def translate_batch(self, src, tgt, sentences):
            if src == "vi":
                raise RuntimeError("model crashed")
            return super().translate_batch(src, tgt, sentences)

    broken = Broken(engine.packages_dir)
    outs = translate_jobs([Job("b1", "h", "vi", "en", "Tiêu đề", VI_BODY), en_job()], broken, memory=memory)
    assert not outs[0].ok and "model crashed" in outs[0].error
    assert outs[1].ok


def test_load_engine_takes_its_settings_from_the_config(tmp_path, installed_packages_dir):
    from syndicate.config import load
    from syndicate.translate import load_engine

    p = tmp_path / "config.toml"
    p.write_text(
        f'[translation]\npackages_dir = "{installed_packages_dir}"\ncompute_type = "float32"\n'
        "inter_threads = 2\nintra_threads = 1\nbeam_size = 2\nmax_batch_tokens = 512\n",
        encoding="utf-8",
    )
    eng = load_engine(load(p))
    assert isinstance(eng, CTranslate2Engine)
    assert (eng.packages_dir, eng.device, eng.compute_type, eng.inter_threads, eng.intra_threads,
            eng.beam_size, eng.max_batch_tokens) == (installed_packages_dir, "cpu", "float32", 2, 1, 2, 512)
    assert eng.load("vi", "en").translator.compute_type == "float32"
    assert eng.translate_batch("vi", "en", ["Xin chào Hà Nội."])[0].text == "Xin chào Hà Nội."


def test_a_package_installed_while_running_is_found(tmp_path, copy_packages):
    from syndicate.translate import packages as pk

    d = tmp_path / "packages"
    eng = CTranslate2Engine(d)
    assert eng.model("vi", "en") is None
    pk.install(copy_packages[("vi", "en")], d)
    assert eng.model("vi", "en").name == "translate-vi_en-1_0"
    pk.remove(d, "vi-en")
    assert eng.model("vi", "en") is None


def test_a_package_reinstalled_in_place_is_reloaded(tmp_path, copy_packages):
    import os

    from syndicate.translate import packages as pk

    d = tmp_path / "packages"
    pk.install(copy_packages[("vi", "en")], d)
    eng = CTranslate2Engine(d)
    first = eng.load("vi", "en")
    assert eng.load("vi", "en") is first  # cached
    pk.install(copy_packages[("vi", "en")], d)
    model_bin = d / "translate-vi_en-1_0" / "model" / "model.bin"
    st = model_bin.stat()
    os.utime(model_bin, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # coarse clocks: make the change visible
    second = eng.load("vi", "en")
    assert second is not first
    assert eng.translate_batch("vi", "en", ["Chào buổi sáng."])[0].text == "Chào buổi sáng."


def test_progress_moves_as_each_engine_call_completes(engine):
    seen, stats = [], TranslateStats()
    outs = translate_jobs([en_job("a1"), en_job("a2", title="Another Headline", blocks=EN_BODY[:1])],
                          engine, progress=lambda d, t: seen.append((d, t)), stats=stats, chunk_segments=2)
    assert all(o.ok for o in outs)
    # 6 + 3 segments, 2 of them shared between the articles: 7 distinct, 4 calls.
    assert stats.segments == 9 and stats.model_segments == 7 and stats.engine_calls == 4
    assert len(seen) == 4 and seen[-1] == (9, 9)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and all(t == 9 for _, t in seen)


def test_stop_between_engine_calls_leaves_unfinished_articles_stopped_not_failed(engine, memory):
    stop = threading.Event()
    stats = TranslateStats()
    jobs = [en_job("a1"), en_job("a2", title="Another Headline", blocks=EN_BODY[:1]),
            en_job("a3", title="A Third Headline", blocks=[Block("p", "Something else entirely happened today.")])]
    # Ask to stop as soon as the first engine call has finished.
    outs = translate_jobs(jobs, engine, memory=memory, progress=lambda d, t: stop.set(), stats=stats,
                          chunk_segments=2, stop=stop)
    assert stats.engine_calls == 1
    assert all(o.stopped and not o.ok for o in outs)
    assert all(o.title == "" and o.blocks == [] for o in outs)  # nothing half-translated comes back
    # The one call's sentences are remembered: the next run does not redo them.
    again = TranslateStats()
    outs2 = translate_jobs(jobs, engine, memory=memory, stats=again, chunk_segments=2)
    assert all(o.ok for o in outs2)
    assert again.memory_hits == 2
