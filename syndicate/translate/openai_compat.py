"""An engine for an OpenAI-compatible chat completions server.

Ollama, llama.cpp's server and vLLM all answer POST {url}/chat/completions
the way OpenAI's API does, so one engine serves them all. It sees what
every engine sees: sentences whose glossary terms are already placeholders
(the driver protects them before and restores and verifies them after),
so a model that drops or repeats a placeholder is repaired and flagged
exactly as a CTranslate2 model would be.

Requests carry up to ``llm_batch_sentences`` sentences as a JSON array and
ask for a JSON array back; an answer that is not one (a chatty model, a
wrong count) is retried one sentence per request. Transport trouble (the
server down, a timeout, 5xx, 429) is retried with backoff, then raises
EngineUnavailable: the driver keeps those translations pending. A body
that is not the protocol's JSON, after the retries, is an engine error.

Only the configured URL is ever contacted: redirects are not followed and
proxy settings from the environment are not used (a proxy is a host the
operator did not name here). The API key is read from the environment
variable named in the config and never appears in a message or a log.
"""
from __future__ import annotations

import json
import logging
import os
import re
import time
from dataclasses import dataclass
from typing import Callable

import requests

from .engine import EngineUnavailable, Hypothesis, ModelInfo

log = logging.getLogger("syndicate.translate")

ENGINE = "openai"
# Part of every model key: a new prompt gives new translations, so the
# translation memory must not hand back the old prompt's.
PROMPT_VERSION = "prompt-1"
LANGUAGE_NAMES = {"en": "English", "vi": "Vietnamese"}
_RETRY_STATUS = {429, 500, 502, 503, 504}
_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)

SYSTEM_PROMPT = (
    "You are a professional news translator. Translate from {src} to {tgt}. "
    "Tokens of four capital letters such as ZQAA or QXAB stand for protected names and titles: "
    "copy each one into the translation unchanged, exactly once, where it belongs. "
    "Do not add notes or explanations."
)
BATCH_INSTRUCTION = (
    "The user message is a JSON array of {n} sentences. Reply with only a JSON array of exactly {n} "
    "strings: their translations, in the same order."
)


class MalformedResponse(RuntimeError):
    """The server answered, but not with the chat completions JSON."""


class Refused(EngineUnavailable):
    """An answer that asking again will not change (a redirect, 401, 404:
    a wrong URL, key or model name): not retried."""


@dataclass(frozen=True)
class LLMSettings:
    url: str
    model: str
    api_key_env: str = ""
    timeout: float = 120.0
    retries: int = 2
    retry_backoff: float = 2.0
    batch_sentences: int = 16
    temperature: float = 0.0

    @classmethod
    def from_config(cls, t) -> "LLMSettings":
        return cls(t.llm_url, t.llm_model, t.llm_api_key_env, t.llm_timeout, t.llm_retries, t.llm_retry_backoff,
                   t.llm_batch_sentences, t.llm_temperature)

    @property
    def endpoint(self) -> str:
        return self.url.rstrip("/") + "/chat/completions"


@dataclass
class LLMStats:
    requests: int = 0  # HTTP requests sent, retries included
    retries: int = 0
    batches: int = 0  # groups of up to batch_sentences sentences, one request each unless split
    split: int = 0  # multi-sentence answers that were not, so retried one by one


class OpenAICompatEngine:
    """Engine (see engine.Engine) over one configured chat completions server."""

    name = ENGINE

    def __init__(self, settings: LLMSettings, directions, *, environ=None,
                 sleep: Callable[[float], None] = time.sleep):
        self.settings = settings
        self.directions = set(directions)
        env = os.environ if environ is None else environ
        self._key = env.get(settings.api_key_env, "") if settings.api_key_env else ""
        self.sleep = sleep
        self.stats = LLMStats()
        self.session = requests.Session()
        # No proxies, .netrc or CA overrides from the environment: only the
        # configured host is contacted.
        self.session.trust_env = False

    @classmethod
    def from_config(cls, cfg, directions) -> "OpenAICompatEngine":
        return cls(LLMSettings.from_config(cfg.translation), directions)

    def model(self, src: str, tgt: str) -> ModelInfo | None:
        if (src, tgt) not in self.directions:
            return None
        return ModelInfo(ENGINE, self.settings.model, PROMPT_VERSION)

    def translate_batch(self, src: str, tgt: str, sentences: list[str]) -> list[Hypothesis]:
        out = [Hypothesis("", None) for _ in sentences]
        todo = [i for i, s in enumerate(sentences) if s.strip()]
        n = self.settings.batch_sentences
        for c in range(0, len(todo), n):
            group = todo[c : c + n]
            self.stats.batches += 1
            for i, text in zip(group, self._translate_group(src, tgt, [sentences[i] for i in group])):
                out[i] = Hypothesis(text, None)
        return out

    # --- one request's worth ------------------------------------------------------

    def _translate_group(self, src: str, tgt: str, texts: list[str]) -> list[str]:
        system = SYSTEM_PROMPT.format(src=LANGUAGE_NAMES.get(src, src), tgt=LANGUAGE_NAMES.get(tgt, tgt))
        if len(texts) > 1:
            answer = self._chat(system + " " + BATCH_INSTRUCTION.format(n=len(texts)),
                                json.dumps(texts, ensure_ascii=False))
            parsed = _json_strings(answer, len(texts))
            if parsed is not None:
                return parsed
            # A model that merged, split or commented on sentences: one
            # sentence per request cannot be miscounted.
            self.stats.split += 1
            log.info("%s: answer to %d sentences was not a JSON array of %d strings; one by one",
                     self.settings.endpoint, len(texts), len(texts))
        return [self._chat(system + " Reply with the translation only.", t).strip() for t in texts]

    def _chat(self, system: str, user: str) -> str:
        body = {
            "model": self.settings.model,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
            "temperature": self.settings.temperature,
            "stream": False,
        }
        data = self._post(body)
        try:
            content = data["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise MalformedResponse(f"{self.settings.endpoint}: the answer has no choices[0].message.content") from None
        if not isinstance(content, str):
            raise MalformedResponse(f"{self.settings.endpoint}: choices[0].message.content is not a string")
        return content

    def _post(self, body: dict) -> dict:
        """The answer's JSON; retried with backoff on transport trouble and
        malformed bodies."""
        s = self.settings
        attempts = s.retries + 1
        for attempt in range(attempts):
            if attempt:
                self.stats.retries += 1
                self.sleep(s.retry_backoff * 2 ** (attempt - 1))
            self.stats.requests += 1
            try:
                return self._post_once(body)
            except Refused:
                raise
            except (EngineUnavailable, MalformedResponse) as e:
                last = e
                log.warning("%s (attempt %d of %d)", e, attempt + 1, attempts)
        raise last

    def _post_once(self, body: dict) -> dict:
        s = self.settings
        headers = {"Content-Type": "application/json"}
        if self._key:
            headers["Authorization"] = f"Bearer {self._key}"
        try:
            r = self.session.post(s.endpoint, json=body, headers=headers, timeout=s.timeout, allow_redirects=False)
        except requests.Timeout:
            raise EngineUnavailable(f"{s.endpoint}: no answer within {s.timeout:g}s") from None
        except requests.RequestException as e:
            raise EngineUnavailable(f"{s.endpoint}: cannot connect ({type(e).__name__})") from None
        if r.is_redirect or 300 <= r.status_code < 400:
            raise Refused(f"{s.endpoint}: redirected to {r.headers.get('Location', '?')}; not followed "
                          "(only the configured URL is used: fix [translation] llm_url)")
        if r.status_code != 200:
            cls = EngineUnavailable if r.status_code in _RETRY_STATUS else Refused
            raise cls(f"{s.endpoint}: HTTP {r.status_code}: {self._scrub(r.text[:200])}")
        try:
            data = r.json()
        except ValueError:
            raise MalformedResponse(f"{s.endpoint}: the answer is not JSON: {self._scrub(r.text[:80])!r}") from None
        if not isinstance(data, dict):
            raise MalformedResponse(f"{s.endpoint}: the answer is not a JSON object")
        return data

    def _scrub(self, text: str) -> str:
        """A server's error text, without the key should it echo it."""
        return text.replace(self._key, "***") if self._key else text


def _json_strings(answer: str, n: int) -> list[str] | None:
    """The answer as a list of n strings, or None. Models often wrap JSON in
    a Markdown code fence; that is taken off first."""
    m = _FENCE.match(answer)
    text = m.group(1) if m else answer.strip()
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if isinstance(value, list) and len(value) == n and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value]
    return None
