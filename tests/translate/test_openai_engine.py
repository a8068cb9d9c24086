"""The OpenAI-compatible engine against a real local HTTP server that
speaks the chat completions protocol (tests/support/fake_llm.py): batching,
the glossary's protection and verification, retries with backoff, a slow,
malformed, overloaded or absent server, the API key, and `syndicate run`
end to end with the engine chosen per direction in config.toml."""
from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from fake_llm import FakeLLM
from syndicate.article import Block
from syndicate.cli import main
from syndicate.config import ConfigError, parse
from syndicate.glossary import load as load_glossary
from syndicate.store import Store
from syndicate.translate import Job, load_engine, translate_jobs
from syndicate.translate.driver import FailureKind
from syndicate.translate.engine import EngineUnavailable, RoutedEngine
from syndicate.translate.openai_compat import LLMSettings, OpenAICompatEngine
from syndicate.translate.problems import TERM_DUPLICATED, TERM_LOST

ROOT = Path(__file__).resolve().parents[2]
SENTENCES = [f"The delegation visited province number {i} on Monday." for i in range(5)]
KEY = "sk-test-7f3a9c0e1d"


@pytest.fixture
def llm():
    with FakeLLM() as server:
        yield server


def make_engine(url: str, sleeps: list | None = None, **kw) -> OpenAICompatEngine:
    settings = LLMSettings(url, "qwen2.5:7b", **{"timeout": 5.0, "retries": 2, "retry_backoff": 0.5, **kw})
    return OpenAICompatEngine(settings, {("en", "vi"), ("vi", "en")}, environ={"LLM_KEY": KEY},
                              sleep=(sleeps.append if sleeps is not None else lambda s: None))


def job(text: str, title: str = "Minister visits Quang Ninh") -> Job:
    return Job("a1", "h1", "en", "vi", title, [Block("p", text)])


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(ROOT / "glossary")


def test_sentences_go_in_batches_and_come_back_in_order(llm):
    engine = make_engine(llm.url, batch_sentences=2)
    hyps = engine.translate_batch("en", "vi", [SENTENCES[0], "", *SENTENCES[1:]])
    assert [h.text for h in hyps] == ["VI: " + SENTENCES[0], "", *("VI: " + s for s in SENTENCES[1:])]
    assert len(llm.requests) == 3 and engine.stats.batches == 3  # 2 + 2 + 1, the empty one never sent
    first = llm.requests[0]
    assert first["path"] == "/v1/chat/completions"
    assert first["body"]["model"] == "qwen2.5:7b" and first["body"]["temperature"] == 0.0
    assert json.loads(first["body"]["messages"][1]["content"]) == SENTENCES[:2]
    assert "ZQAA" in first["body"]["messages"][0]["content"]  # the prompt asks for placeholders kept


def test_glossary_terms_are_protected_restored_and_verified(llm, glossary):
    engine = make_engine(llm.url)
    [out] = translate_jobs([job("Minister of Public Security To Lam met the delegation.")], engine, glossary)
    assert out.ok and not out.needs_review
    sent = json.dumps(llm.requests[0]["body"], ensure_ascii=False)
    assert "To Lam" not in sent and "ZQAA" in sent  # the model saw placeholders, not the terms
    assert "Bộ trưởng Bộ Công an" in out.blocks[0].text and "Tô Lâm" in out.blocks[0].text
    assert out.terms["total"] == out.terms["ok"] >= 2


def test_a_dropped_placeholder_is_put_back_and_flagged(llm, glossary):
    llm.drop_placeholder = True
    [out] = translate_jobs([job("Minister of Public Security To Lam met the delegation.")],
                           make_engine(llm.url), glossary)
    assert out.ok and out.needs_review
    assert any(p.type == TERM_LOST for p in out.problems)
    assert "Bộ trưởng Bộ Công an" in out.blocks[0].text  # the term is never silently gone


def test_a_duplicated_placeholder_keeps_one_copy_and_is_flagged(llm, glossary):
    llm.duplicate_placeholder = True
    [out] = translate_jobs([job("Minister of Public Security To Lam met the delegation.")],
                           make_engine(llm.url), glossary)
    assert out.needs_review and any(p.type == TERM_DUPLICATED for p in out.problems)
    assert out.blocks[0].text.count("Bộ trưởng Bộ Công an") == 1


def test_an_answer_that_is_not_the_array_asked_for_is_retried_one_by_one(llm):
    llm.chatty = True
    engine = make_engine(llm.url)
    hyps = engine.translate_batch("en", "vi", SENTENCES[:3])
    assert engine.stats.split == 1
    assert len(llm.requests) == 4  # the batch, then one request per sentence
    # The fake stays chatty: what came back one by one is what is used, and
    # the output checks (not this engine) judge it.
    assert all(h.text == "Sure! Here are the translations you asked for." for h in hyps)


def test_overloaded_server_is_retried_with_backoff(llm):
    llm.fail_first = 2
    sleeps: list[float] = []
    engine = make_engine(llm.url, sleeps)
    hyps = engine.translate_batch("en", "vi", SENTENCES[:1])
    assert hyps[0].text == "VI: " + SENTENCES[0]
    assert sleeps == [0.5, 1.0] and engine.stats.requests == 3


def test_slow_server_times_out_and_translations_stay_pending(llm):
    llm.delay = 1.0
    sleeps: list[float] = []
    engine = make_engine(llm.url, sleeps, timeout=0.2, retries=1)
    [out] = translate_jobs([job(SENTENCES[0])], engine)
    assert out.unavailable and out.failure.kind is FailureKind.UNAVAILABLE
    assert "no answer within 0.2s" in out.error and llm.url in out.error
    assert out.blocks == [] and out.title == ""  # nothing half-translated comes back
    assert engine.stats.requests == 2 and sleeps == [0.5]


def test_server_down_is_unavailable_and_later_chunks_are_not_tried(llm):
    url = llm.url
    llm.__exit__(None, None, None)  # nothing listens there any more
    engine = make_engine(url, retries=1)
    jobs = [Job(f"a{i}", f"h{i}", "en", "vi", f"Title {i}", [Block("p", s)]) for i, s in enumerate(SENTENCES)]
    outs = translate_jobs(jobs, engine, chunk_segments=2)
    assert all(o.unavailable for o in outs)
    assert "cannot connect" in outs[0].error
    assert engine.stats.requests == 2  # one chunk, tried twice; the other chunks wait for the next cycle


def test_malformed_json_is_an_engine_error_after_retries(llm):
    llm.malformed = True
    engine = make_engine(llm.url, retries=1)
    [out] = translate_jobs([job(SENTENCES[0])], engine)
    assert out.failure.kind is FailureKind.ENGINE and "not JSON" in out.error
    assert engine.stats.requests == 2


def test_api_key_is_sent_but_never_logged_or_reported(llm, caplog):
    llm.fail_first, llm.fail_status = 99, 401
    engine = make_engine(llm.url, api_key_env="LLM_KEY")
    caplog.set_level(logging.DEBUG)
    with pytest.raises(EngineUnavailable) as e:
        engine.translate_batch("en", "vi", SENTENCES[:1])
    assert llm.requests[0]["headers"]["Authorization"] == f"Bearer {KEY}"
    assert engine.stats.requests == 1  # 401 is not retried: asking again changes nothing
    assert "HTTP 401" in str(e.value)
    assert KEY not in str(e.value) and KEY not in caplog.text


def test_server_error_text_echoing_the_key_is_scrubbed():
    engine = make_engine("http://127.0.0.1:9/v1", api_key_env="LLM_KEY")
    assert engine._scrub(f"invalid key {KEY}") == "invalid key ***"


def test_redirects_to_another_host_are_not_followed(httpserver, llm):
    httpserver.expect_request("/v1/chat/completions").respond_with_data(
        "", status=307, headers={"Location": llm.url + "/chat/completions"})
    engine = make_engine(httpserver.url_for("/v1"), api_key_env="LLM_KEY")
    with pytest.raises(EngineUnavailable, match="not followed"):
        engine.translate_batch("en", "vi", SENTENCES[:1])
    assert llm.requests == []  # the key and the text never reached the other host


def test_config_selects_the_engine_per_direction(tmp_path, llm, installed_packages_dir):
    cfg = parse({"translation": {"packages_dir": str(installed_packages_dir), "engine_en_vi": "openai",
                                 "llm_url": llm.url, "llm_model": "m"}}, tmp_path / "config.toml")
    engine = load_engine(cfg)
    assert isinstance(engine, RoutedEngine)
    assert engine.model("en", "vi").key == "openai:m@prompt-1"
    assert engine.model("vi", "en").engine == "ctranslate2"
    assert engine.translate_batch("vi", "en", ["Xin chào."])[0].text == "Xin chào."  # the copy model
    assert engine.translate_batch("en", "vi", ["Hello."])[0].text == "VI: Hello."


@pytest.mark.parametrize("tr, error", [
    ({"engine_en_vi": "gpt"}, "translation.engine_en_vi: must be one of ctranslate2, openai"),
    ({"engine_vi_en": "openai", "llm_model": "m"}, "translation.llm_url: the openai engine needs"),
    ({"engine_vi_en": "openai", "llm_url": "http://127.0.0.1:1/v1"}, "translation.llm_model"),
    ({"llm_timeout": 0}, "translation.llm_timeout: must be positive"),
    ({"llm_batch_sentences": 0}, "translation.llm_batch_sentences: must be at least 1"),
])
def test_bad_engine_settings_name_the_key(tmp_path, tr, error):
    with pytest.raises(ConfigError, match=error):
        parse({"translation": tr}, tmp_path / "config.toml")


def _site(tmp_path: Path, url: str) -> Path:
    shutil.copytree(ROOT / "inbox", tmp_path / "inbox")
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[translation]\npackages_dir = "{tmp_path / "packages"}"\nengine_en_vi = "openai"\n'
        f'engine_vi_en = "openai"\nllm_url = "{url}"\nllm_model = "qwen2.5:7b"\nllm_retries = 0\n'
        '[[sources]]\nname = "portal-inbox"\ntype = "inbox"\npath = "inbox"\n',
        encoding="utf-8",
    )
    return cfg


def test_run_end_to_end_with_the_llm_engine_then_with_the_server_down(tmp_path, llm):
    cfg = _site(tmp_path, llm.url)
    r = CliRunner().invoke(main, ["--config", str(cfg), "run", "--json"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    with Store(tmp_path / "data" / "syndicate.sqlite") as store:
        assert store.translation_counts() == {"done": 4}
        t = store.get_translation(next(a.id for a in store.all_articles() if a.language == "en"), "vi")
        assert t.engine == "openai" and t.model == "qwen2.5:7b@prompt-1"
        assert t.title.startswith("VI: ")

    # A new article while the server is down: exit 0, it stays pending with
    # a note naming the server, and nothing half-done is stored.
    llm.__exit__(None, None, None)
    (tmp_path / "inbox" / "new.txt").write_text(
        "Police hold talks\nAugust, 10 2019\nMPS - The police held talks in Hanoi on August 10.\n",
        encoding="utf-8")
    r = CliRunner().invoke(main, ["--config", str(cfg), "run"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert "translations: 0 done, 0 failed, 1 pending" in r.output
    assert f"translation engine unavailable, translations stay pending: {llm.url}/chat/completions" in r.output
    with Store(tmp_path / "data" / "syndicate.sqlite") as store:
        assert store.translation_counts() == {"done": 4, "pending": 1}
