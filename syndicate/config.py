"""Configuration: one TOML file, validated in full before anything runs.

Each section is a frozen dataclass whose field defaults are THE defaults; the
known keys, their types and which keys are required all come from those
fields. So an unknown key (a typo such as ``intervall_minutes``) is an error
that names it instead of a setting silently ignored for months, and a default
is written in one place only.
"""
from __future__ import annotations

import dataclasses
import ipaddress
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__

LANGUAGES = ("en", "vi")

# CTranslate2's compute types; checked here so a typo fails at start-up,
# not as an engine error on every article.
COMPUTE_TYPES = (
    "default", "auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16",
    "int16", "float16", "bfloat16", "float32",
)

# Translation engines a direction may use (translate/engine.py builds them).
ENGINES = ("ctranslate2", "openai")

SOURCE_TYPES = ("inbox", "feed")

# The main-text extractors a feed source may name (sources/extract.py).
EXTRACTORS = ("trafilatura",)


class ConfigError(Exception):
    """A configuration problem; the message names the file and the key."""


@dataclass(frozen=True)
class Site:
    base_url: str = "http://localhost:8080/"
    title: str = "syndicate"
    description: str = "News in English and Vietnamese"
    # The Vietnamese feeds' own title and description; "" = the ones above.
    title_vi: str = ""
    description_vi: str = ""
    max_items: int = 50


@dataclass(frozen=True)
class Paths:
    # Relative paths resolve against the config file's folder.
    data: Path = Path("data")
    feeds: Path = Path("feeds")


@dataclass(frozen=True)
class Translation:
    packages_dir: Path | None = None  # None = argostranslate's own folder
    device: str = "cpu"
    compute_type: str = "int8"
    inter_threads: int = 1
    intra_threads: int = 0
    beam_size: int = 4
    max_batch_tokens: int = 2048
    # Per article: one larger than this is set aside, not translated, so no
    # single article can hold a cycle (translate/driver.py, Budget).
    max_article_chars: int = 100_000
    max_article_segments: int = 2_000
    # How CTranslate2 cuts a call into batches: "tokens" (up to
    # max_batch_tokens each) or "examples" (max_batch_examples sentences).
    batch_type: str = "tokens"
    max_batch_examples: int = 64
    # The engine per direction: ctranslate2 (installed packages) or openai
    # (an OpenAI-compatible chat completions server: Ollama, llama.cpp, vLLM).
    engine_en_vi: str = "ctranslate2"
    engine_vi_en: str = "ctranslate2"
    # The openai engine's server: the base URL its /chat/completions hangs
    # off, the model name, and the environment variable holding an API key
    # ("" = none sent). Nothing is ever sent to any other host.
    llm_url: str = ""
    llm_model: str = ""
    llm_api_key_env: str = ""
    llm_timeout: float = 120.0  # seconds per request
    llm_retries: int = 2
    llm_retry_backoff: float = 2.0  # seconds before the first retry; doubles each time
    llm_batch_sentences: int = 16  # sentences per request
    llm_temperature: float = 0.0


@dataclass(frozen=True)
class GlossarySection:
    dir: Path = Path("glossary")


@dataclass(frozen=True)
class Schedule:
    interval_minutes: int = 15
    cron: str = ""
    # Seconds all feed sources of one cycle may spend fetching together;
    # the sources not reached wait for the next cycle.
    fetch_deadline: float = 600.0


@dataclass(frozen=True)
class Server:
    host: str = "127.0.0.1"
    port: int = 8080
    cache_max_age: int = 300
    # waitress's limits (its own defaults: 4 threads, 100 connections, 120 s);
    # README "The HTTP server" has the load figures behind these.
    threads: int = 4  # requests handled at once; a connection waiting on its client holds none
    connection_limit: int = 1000  # open connections; more wait in the listen backlog
    channel_timeout: int = 30  # seconds an idle connection stays open
    cleanup_interval: int = 5  # seconds between sweeps for idle connections
    backlog: int = 1024  # connections the kernel queues before accepting
    max_request_header_size: int = 16384  # bytes; feed readers send a few hundred
    header_timeout: int = 20  # seconds a client may take to send a request's headers


@dataclass(frozen=True)
class Retention:
    """How long the store keeps what would otherwise grow for ever; 0 days
    keeps it for ever. Applied at the end of every cycle (at most
    `prune_batch` rows a table) and in full by `syndicate vacuum`."""
    rejects_days: int = 30  # since a reject was last seen
    runs_days: int = 30  # the last finished run is always kept
    memory_days: int = 365  # since a translation memory entry was saved
    prune_batch: int = 5000


@dataclass(frozen=True)
class WebSub:
    hub: str = ""


# What happens to a finished translation, per direction ([review]).
REVIEW_POLICIES = ("publish", "hold-flagged", "hold-all")


@dataclass(frozen=True)
class Review:
    """publish: every good translation goes out; hold-flagged: one with a
    glossary problem, degenerate output, an unknown name or a sentence
    scoring under min_score waits for a person; hold-all: all wait."""

    en_vi: str = "publish"
    vi_en: str = "publish"
    # The model's score of a sentence (its average log-probability per
    # token; 0 is certain) under which hold-flagged holds the translation.
    min_score: float = -1.5

    def policy(self, src: str, tgt: str) -> str:
        return getattr(self, f"{src}_{tgt}")


@dataclass(frozen=True)
class Source:
    """One [[sources]] table. An inbox reads `path`; a feed reads `url` and
    the fetch settings below (sources/fetch.py takes its defaults from here)."""

    name: str
    type: str
    language: str = "auto"
    # A date further ahead than this is refused (inbox) or clamped (feed).
    max_future_hours: float = 24.0
    # inbox
    path: Path | None = None
    max_file_bytes: int = 5 * 1024 * 1024
    # feed
    url: str = ""
    fetch_full_text: bool = True
    max_pages: int = 20
    max_items: int = 200  # new or changed items taken per cycle, with or without full text; the rest wait
    timeout: float = 20.0  # per connect and per read
    request_deadline: float = 60.0  # one URL in all: headers, body, redirects, retries
    source_deadline: float = 300.0  # this source's whole collection in one cycle
    retries: int = 2
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    retry_backoff: float = 1.0  # seconds before the first retry; doubles each time
    host_delay: float = 1.0
    respect_robots: bool = True
    extractor: str = "trafilatura"
    content_selector: str = ""
    user_agent: str = ""  # "" = syndicate/<version> (+site.base_url)
    # Internal addresses (loopback, private, link-local ...) this source may
    # fetch from, as "host" or "host:port"; every other one is refused.
    allow_internal: tuple[str, ...] = ()


# Section name -> its dataclass, in the order sections are checked.
SECTIONS: dict[str, type] = {
    "site": Site,
    "paths": Paths,
    "translation": Translation,
    "glossary": GlossarySection,
    "schedule": Schedule,
    "server": Server,
    "websub": WebSub,
    "retention": Retention,
    "review": Review,
}


@dataclass(frozen=True)
class Config:
    file: Path
    site: Site
    paths: Paths
    translation: Translation
    glossary: GlossarySection
    schedule: Schedule
    server: Server
    websub: WebSub
    retention: Retention
    review: Review
    sources: tuple[Source, ...]

    @property
    def data_dir(self) -> Path:
        return self.paths.data

    @property
    def feeds_dir(self) -> Path:
        return self.paths.feeds

    @property
    def db_path(self) -> Path:
        return self.paths.data / "syndicate.sqlite"

    @property
    def packages_dir(self) -> Path | None:
        return self.translation.packages_dir

    @property
    def glossary_dir(self) -> Path:
        return self.glossary.dir


def all_keys() -> list[str]:
    """Every config key as `section.key` (sources as `sources.key`), in file order."""
    keys = [f"{name}.{f.name}" for name, cls in SECTIONS.items() for f in dataclasses.fields(cls)]
    return keys + [f"sources.{f.name}" for f in dataclasses.fields(Source)]


# --- reading a table into a section's dataclass -----------------------------

_PATH = "path"  # marker kind: a str resolved against the config file's folder
# A field's annotation (a string, see `from __future__ import annotations`) -> the TOML type it takes.
_STRINGS = "strings"  # marker kind: an array of strings, kept as a tuple
_KINDS: dict[str, Any] = {"str": str, "int": int, "float": float, "bool": bool, "Path": _PATH, "Path | None": _PATH,
                          "tuple[str, ...]": _STRINGS}


def _kind(f: dataclasses.Field) -> Any:
    return _KINDS[f.type]


def _check(where: str, key: str, value: Any, typ: Any, base: Path) -> Any:
    if typ is _PATH:
        if not isinstance(value, str):
            raise ConfigError(f"{where}.{key}: expected a path string, got {type(value).__name__}")
        if value == "":
            return None
        return _resolve(Path(os.path.expanduser(value)), base)
    if typ is _STRINGS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}.{key}: expected an array of strings, got {value!r}")
        return tuple(value)
    if typ is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    # bool is an int subclass: refuse `port = true`.
    if typ is int and isinstance(value, bool):
        raise ConfigError(f"{where}.{key}: expected int, got bool")
    if not isinstance(value, typ):
        raise ConfigError(
            f"{where}.{key}: expected {typ.__name__}, got {type(value).__name__} ({value!r})"
        )
    return value


def _resolve(p: Path, base: Path) -> Path:
    return p if p.is_absolute() else (base / p).resolve()


def _section(where: str, raw: Any, cls: type, base: Path) -> dict[str, Any]:
    """The table's values, type-checked, with defaults for keys it leaves out
    (relative default paths resolved like given ones)."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a table")
    fields = dataclasses.fields(cls)
    known = [f.name for f in fields]
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise ConfigError(f"{where}.{unknown[0]}: unknown key (known: {', '.join(known)})")
    out: dict[str, Any] = {}
    for f in fields:
        if f.name in raw:
            out[f.name] = _check(where, f.name, raw[f.name], _kind(f), base)
        elif f.default is dataclasses.MISSING:
            raise ConfigError(f"{where}.{f.name}: required key is missing")
        elif isinstance(f.default, Path):
            out[f.name] = _resolve(f.default, base)
        else:
            out[f.name] = f.default
    return out


# --- the file ----------------------------------------------------------------


def load(path: str | os.PathLike) -> Config:
    file = Path(path).resolve()
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{file}: config file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"{file}: {e}") from None
    try:
        return parse(raw, file)
    except ConfigError as e:
        raise ConfigError(f"{file}: {e}") from None


def path_hint(path: str | os.PathLike, section: str, key: str) -> Path:
    """A path setting as far as a config file that does not load can tell:
    the value when the TOML parses and it is a non-empty string, else the
    default, resolved like load() resolves it. For `syndicate status`, which
    shows the store even when the config has an error."""
    file = Path(path).resolve()
    try:
        value = tomllib.loads(file.read_text(encoding="utf-8")).get(section, {}).get(key)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, AttributeError):
        value = None
    if not isinstance(value, str) or not value:
        default = next(f.default for f in dataclasses.fields(SECTIONS[section]) if f.name == key)
        return _resolve(default, file.parent)
    return _resolve(Path(os.path.expanduser(value)), file.parent)


def parse(raw: dict[str, Any], file: Path) -> Config:
    base = file.parent
    known = set(SECTIONS) | {"sources"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(f"{unknown[0]}: unknown section (known: {', '.join(sorted(known))})")
    values = {name: _section(name, raw.get(name, {}), cls, base) for name, cls in SECTIONS.items()}
    _check_site(values["site"])
    for key in ("data", "feeds"):
        if values["paths"][key] is None:
            raise ConfigError(f"paths.{key}: must not be empty")
    if values["glossary"]["dir"] is None:
        raise ConfigError("glossary.dir: must not be empty")
    _check_translation(values["translation"])
    _check_schedule(values["schedule"])
    _check_server(values["server"])
    _check_minimums("retention", values["retention"], {"rejects_days": 0, "runs_days": 0, "memory_days": 0,
                                                        "prune_batch": 1})
    _check_review(values["review"])
    sections = {name: cls(**values[name]) for name, cls in SECTIONS.items()}
    sources = _sources(raw.get("sources", []), base, sections["site"].base_url)
    config = Config(file=file, sources=sources, **sections)
    _check_overlaps(config)
    return config


def _check_review(review: dict[str, Any]) -> None:
    for key in ("en_vi", "vi_en"):
        if review[key] not in REVIEW_POLICIES:
            raise ConfigError(f"review.{key}: must be one of {', '.join(REVIEW_POLICIES)} (got {review[key]!r})")


def _check_minimums(section: str, values: dict[str, Any], minimums: dict[str, int]) -> None:
    for key, low in minimums.items():
        if values[key] < low:
            raise ConfigError(f"{section}.{key}: must be at least {low} (got {values[key]})")


def _check_server(server: dict[str, Any]) -> None:
    if not 0 <= server["port"] <= 65535:
        raise ConfigError(f"server.port: must be 0..65535 (got {server['port']})")
    _check_minimums("server", server, {
        "cache_max_age": 0, "threads": 1, "connection_limit": 1, "channel_timeout": 1, "cleanup_interval": 1,
        "backlog": 1, "max_request_header_size": 1024, "header_timeout": 1,
    })


def _check_overlaps(cfg: Config) -> None:
    """The server publishes everything under paths.feeds: a feeds folder
    that holds (or sits in) the database, the inbox drafts, rejected files,
    the glossary, the models or the config file would serve them, and
    publishing into one of those folders would mix feeds with their files."""
    feeds = cfg.paths.feeds.resolve()
    others: list[tuple[str, Path]] = [("paths.data", cfg.paths.data), ("glossary.dir", cfg.glossary.dir)]
    if cfg.translation.packages_dir is not None:
        others.append(("translation.packages_dir", cfg.translation.packages_dir))
    for i, src in enumerate(cfg.sources):
        if src.type == "inbox" and src.path is not None:
            others.append((f"sources[{i}].path", src.path))
            # sources/inbox.py sets rejected files aside beside the inbox.
            others.append((f"the rejected folder of sources[{i}].path", src.path.parent / "rejected"))
    for key, other in others:
        other = other.resolve()
        if feeds == other or feeds.is_relative_to(other) or other.is_relative_to(feeds):
            raise ConfigError(
                f"paths.feeds: {feeds} overlaps {key} ({other}); the server would publish its files."
                " Give each its own folder, side by side"
            )
    if cfg.file.is_relative_to(feeds):
        raise ConfigError(
            f"paths.feeds: {feeds} contains the config file {cfg.file}; the server would publish it."
            " Put the feeds in a folder of their own"
        )


def _check_site(site: dict[str, Any]) -> None:
    if not site["base_url"].startswith(("http://", "https://")):
        raise ConfigError(f"site.base_url: must start with http:// or https:// (got {site['base_url']!r})")
    if not site["base_url"].endswith("/"):
        site["base_url"] += "/"
    if site["max_items"] < 1:
        raise ConfigError("site.max_items: must be at least 1")


def _check_translation(tr: dict[str, Any]) -> None:
    if tr["device"] not in ("cpu", "cuda", "auto"):
        raise ConfigError(f"translation.device: must be cpu, cuda or auto (got {tr['device']!r})")
    if tr["beam_size"] < 1:
        raise ConfigError("translation.beam_size: must be at least 1")
    if tr["compute_type"] not in COMPUTE_TYPES:
        raise ConfigError(
            f"translation.compute_type: must be one of {', '.join(COMPUTE_TYPES)} (got {tr['compute_type']!r})"
        )
    for key, low in (("inter_threads", 1), ("intra_threads", 0), ("max_batch_tokens", 16),
                     ("max_article_chars", 1), ("max_article_segments", 1),
                     ("max_batch_examples", 1), ("llm_retries", 0), ("llm_batch_sentences", 1)):
        if tr[key] < low:
            raise ConfigError(f"translation.{key}: must be at least {low} (got {tr[key]})")
    _check_engines(tr)


def _check_engines(tr: dict[str, Any]) -> None:
    if tr["batch_type"] not in ("tokens", "examples"):
        raise ConfigError(f"translation.batch_type: must be tokens or examples (got {tr['batch_type']!r})")
    for key in ("engine_en_vi", "engine_vi_en"):
        if tr[key] not in ENGINES:
            raise ConfigError(f"translation.{key}: must be one of {', '.join(ENGINES)} (got {tr[key]!r})")
    for key in ("llm_timeout", "llm_retry_backoff", "llm_temperature"):
        if tr[key] < 0 or (key == "llm_timeout" and tr[key] == 0):
            raise ConfigError(f"translation.{key}: must be {'positive' if key == 'llm_timeout' else 'at least 0'} "
                              f"(got {tr[key]!r})")
    if "openai" not in (tr["engine_en_vi"], tr["engine_vi_en"]):
        return
    if not tr["llm_url"].startswith(("http://", "https://")):
        raise ConfigError(f"translation.llm_url: the openai engine needs the server's http:// or https:// URL, "
                          f"e.g. http://127.0.0.1:11434/v1 (got {tr['llm_url']!r})")
    if not tr["llm_model"]:
        raise ConfigError("translation.llm_model: the openai engine needs the model's name on the server")


def _check_schedule(sched: dict[str, Any]) -> None:
    if sched["interval_minutes"] < 1:
        raise ConfigError("schedule.interval_minutes: must be at least 1")
    if sched["fetch_deadline"] <= 0:
        raise ConfigError(f"schedule.fetch_deadline: must be more than 0 (got {sched['fetch_deadline']!r})")
    if sched["cron"]:
        # apscheduler is only needed when a cron expression is configured.
        from apscheduler.triggers.cron import CronTrigger

        try:
            CronTrigger.from_crontab(sched["cron"])
        except ValueError as e:
            raise ConfigError(f"schedule.cron: {e}") from None


def _sources(raw_sources: Any, base: Path, base_url: str) -> tuple[Source, ...]:
    if not isinstance(raw_sources, list):
        raise ConfigError("sources: expected an array of tables ([[sources]])")
    sources: list[Source] = []
    seen: set[str] = set()
    for i, rs in enumerate(raw_sources):
        where = f"sources[{i}]"
        s = _section(where, rs, Source, base)
        if s["type"] not in SOURCE_TYPES:
            raise ConfigError(f"{where}.type: must be one of {', '.join(SOURCE_TYPES)} (got {s['type']!r})")
        if s["language"] not in (*LANGUAGES, "auto"):
            raise ConfigError(f"{where}.language: must be en, vi or auto (got {s['language']!r})")
        if s["max_future_hours"] < 0:
            raise ConfigError(f"{where}.max_future_hours: must not be negative (got {s['max_future_hours']!r})")
        if s["name"] in seen:
            raise ConfigError(f"{where}.name: duplicate source name {s['name']!r}")
        seen.add(s["name"])
        if s["type"] == "inbox" and not s["path"]:
            raise ConfigError(f"{where}.path: required for an inbox source")
        if s["type"] == "feed" and not s["url"].startswith(("http://", "https://")):
            raise ConfigError(f"{where}.url: required for a feed source, http:// or https://")
        if s["type"] == "feed":
            _check_feed_source(where, s, base_url)
        sources.append(Source(**s))
    return tuple(sources)


def _check_feed_source(where: str, s: dict[str, Any], base_url: str) -> None:
    for key, low in (("timeout", 0.001), ("request_deadline", 0.001), ("source_deadline", 0.001), ("max_bytes", 1024)):
        if s[key] < low:
            raise ConfigError(f"{where}.{key}: must be at least {low:g} (got {s[key]!r})")
    if s["max_items"] < 1:
        raise ConfigError(f"{where}.max_items: must be at least 1 (got {s['max_items']!r})")
    for key in ("max_pages", "retries", "max_redirects", "retry_backoff", "host_delay"):
        if s[key] < 0:
            raise ConfigError(f"{where}.{key}: must not be negative (got {s[key]!r})")
    if s["extractor"] not in EXTRACTORS:
        raise ConfigError(f"{where}.extractor: must be one of {', '.join(EXTRACTORS)} (got {s['extractor']!r})")
    problem = _selector_problem(s["content_selector"])
    if problem:
        raise ConfigError(f"{where}.content_selector: {problem} (got {s['content_selector']!r})")
    if not s["user_agent"]:
        s["user_agent"] = f"syndicate/{__version__} (+{base_url})"
    try:
        s["allow_internal"] = tuple(format_host_port(*host_port(e)) for e in s["allow_internal"])
    except ValueError as e:
        raise ConfigError(f"{where}.allow_internal: {e}") from None


def host_port(entry: str) -> tuple[str, int | None]:
    """("host", port or None) from "host", "host:port", "[v6]" or "[v6]:port";
    the host lower-cased, without a trailing dot or brackets. ValueError
    names the entry."""
    text = entry.strip()
    port: str | None = None
    if text.startswith("["):
        host, sep, rest = text[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            raise ValueError(f"{entry!r} is not host, host:port or [IPv6]:port")
        port = rest[1:] if rest else None
    elif text.count(":") == 1:
        host, port = text.split(":")
    else:
        host = text  # a bare IPv6 address has several colons and no port
    host = host.rstrip(".").lower()
    if not host or any(c in host for c in "/@ ?#[]") or (":" in host and not _is_ip(host)):
        raise ValueError(f"{entry!r} is not host, host:port or [IPv6]:port")
    if port is not None and not (port.isdigit() and 0 < int(port) < 65536):
        raise ValueError(f"{entry!r}: the port must be 1..65535")
    return host, int(port) if port is not None else None


def format_host_port(host: str, port: int | None) -> str:
    """The canonical entry: IP addresses in their compressed form, IPv6 in
    brackets when a port follows."""
    if _is_ip(host):
        host = ipaddress.ip_address(host).compressed
    shown = f"[{host}]" if ":" in host and port is not None else host
    return shown if port is None else f"{shown}:{port}"


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _selector_problem(selector: str) -> str | None:
    """An error message for a CSS selector that does not parse, else None."""
    if not selector:
        return None
    # lxml's CSS support loads only for a source that names a selector.
    from cssselect import SelectorError
    from lxml.cssselect import CSSSelector

    try:
        CSSSelector(selector)
    except SelectorError as e:
        return f"not a valid CSS selector ({e})"
    return None
