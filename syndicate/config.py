"""Configuration: one TOML file, validated in full before anything runs.

Every key is declared in SCHEMA with its type and default, so an unknown key
(a typo such as ``intervall_minutes``) is an error that names it instead of a
setting silently ignored for months.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "vi")


class ConfigError(Exception):
    """A configuration problem; the message names the file and the key."""


# key -> (type or tuple of types, default). A default of REQUIRED must be given.
REQUIRED = object()
_PATH = "path"  # marker type: a str resolved against the config file's folder

SCHEMA: dict[str, dict[str, tuple[Any, Any]]] = {
    "site": {
        "base_url": (str, "http://localhost:8080/"),
        "title": (str, "syndicate"),
        "description": (str, "News in English and Vietnamese"),
        # The Vietnamese feeds' own title and description; "" = the ones above.
        "title_vi": (str, ""),
        "description_vi": (str, ""),
        "max_items": (int, 50),
    },
    "paths": {
        "data": (_PATH, "data"),
        "feeds": (_PATH, "feeds"),
    },
    "translation": {
        "packages_dir": (_PATH, ""),  # "" = argostranslate's own folder
        "device": (str, "cpu"),
        "compute_type": (str, "int8"),
        "inter_threads": (int, 1),
        "intra_threads": (int, 0),
        "beam_size": (int, 4),
        "max_batch_tokens": (int, 2048),
    },
    "glossary": {
        "dir": (_PATH, "glossary"),
    },
    "schedule": {
        "interval_minutes": (int, 15),
        "cron": (str, ""),
    },
    "server": {
        "host": (str, "127.0.0.1"),
        "port": (int, 8080),
        "cache_max_age": (int, 300),
    },
    "websub": {
        "hub": (str, ""),
    },
}

# CTranslate2's compute types; checked here so a typo fails at start-up,
# not as an engine error on every article.
COMPUTE_TYPES = (
    "default", "auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16",
    "int16", "float16", "bfloat16", "float32",
)

SOURCE_TYPES = ("inbox", "feed")
SOURCE_SCHEMA: dict[str, tuple[Any, Any]] = {
    "name": (str, REQUIRED),
    "type": (str, REQUIRED),
    "language": (str, "auto"),
    # inbox
    "path": (_PATH, ""),
    "max_file_bytes": (int, 5 * 1024 * 1024),
    # feed
    "url": (str, ""),
    "fetch_full_text": (bool, True),
    "max_pages": (int, 20),
    "timeout": (float, 20.0),
    "retries": (int, 2),
    "max_bytes": (int, 10 * 1024 * 1024),
    "max_redirects": (int, 5),
    "retry_backoff": (float, 1.0),  # seconds before the first retry; doubles each time
    "host_delay": (float, 1.0),
    "respect_robots": (bool, True),
    "extractor": (str, "trafilatura"),
    "content_selector": (str, ""),
    "user_agent": (str, ""),  # "" = syndicate/<version> (+site.base_url)
}


@dataclass
class Source:
    name: str
    type: str
    language: str
    path: Path | None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Config:
    file: Path
    site: dict[str, Any]
    paths: dict[str, Path]
    translation: dict[str, Any]
    glossary: dict[str, Any]
    schedule: dict[str, Any]
    server: dict[str, Any]
    websub: dict[str, Any]
    sources: list[Source]

    @property
    def data_dir(self) -> Path:
        return self.paths["data"]

    @property
    def feeds_dir(self) -> Path:
        return self.paths["feeds"]

    @property
    def db_path(self) -> Path:
        return self.paths["data"] / "syndicate.sqlite"

    @property
    def packages_dir(self) -> Path | None:
        return self.translation["packages_dir"] or None

    @property
    def glossary_dir(self) -> Path:
        return self.glossary["dir"]


def _check(where: str, key: str, value: Any, typ: Any, base: Path) -> Any:
    if typ is _PATH:
        if not isinstance(value, str):
            raise ConfigError(f"{where}.{key}: expected a path string, got {type(value).__name__}")
        if value == "":
            return ""
        p = Path(os.path.expanduser(value))
        return p if p.is_absolute() else (base / p).resolve()
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


def _section(where: str, raw: Any, schema: dict[str, tuple[Any, Any]], base: Path) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a table")
    unknown = sorted(set(raw) - set(schema))
    if unknown:
        raise ConfigError(f"{where}.{unknown[0]}: unknown key (known: {', '.join(schema)})")
    out = {}
    for key, (typ, default) in schema.items():
        if key in raw:
            out[key] = _check(where, key, raw[key], typ, base)
        elif default is REQUIRED:
            raise ConfigError(f"{where}.{key}: required key is missing")
        else:
            out[key] = _check(where, key, default, typ, base) if typ is _PATH else default
    return out


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


def parse(raw: dict[str, Any], file: Path) -> Config:
    base = file.parent
    known = set(SCHEMA) | {"sources"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(f"{unknown[0]}: unknown section (known: {', '.join(sorted(known))})")
    sections = {name: _section(name, raw.get(name, {}), schema, base) for name, schema in SCHEMA.items()}

    site = sections["site"]
    if not site["base_url"].startswith(("http://", "https://")):
        raise ConfigError(f"site.base_url: must start with http:// or https:// (got {site['base_url']!r})")
    if not site["base_url"].endswith("/"):
        site["base_url"] += "/"
    if site["max_items"] < 1:
        raise ConfigError("site.max_items: must be at least 1")
    for key in ("data", "feeds"):
        if sections["paths"][key] == "":
            raise ConfigError(f"paths.{key}: must not be empty")
    if sections["glossary"]["dir"] == "":
        raise ConfigError("glossary.dir: must not be empty")
    tr = sections["translation"]
    if tr["device"] not in ("cpu", "cuda", "auto"):
        raise ConfigError(f"translation.device: must be cpu, cuda or auto (got {tr['device']!r})")
    if tr["beam_size"] < 1:
        raise ConfigError("translation.beam_size: must be at least 1")
    if tr["compute_type"] not in COMPUTE_TYPES:
        raise ConfigError(
            f"translation.compute_type: must be one of {', '.join(COMPUTE_TYPES)} (got {tr['compute_type']!r})"
        )
    for key, low in (("inter_threads", 1), ("intra_threads", 0), ("max_batch_tokens", 16)):
        if tr[key] < low:
            raise ConfigError(f"translation.{key}: must be at least {low} (got {tr[key]})")
    if tr["packages_dir"] == "":
        tr["packages_dir"] = None
    sched = sections["schedule"]
    if sched["interval_minutes"] < 1:
        raise ConfigError("schedule.interval_minutes: must be at least 1")
    if sched["cron"]:
        from apscheduler.triggers.cron import CronTrigger

        try:
            CronTrigger.from_crontab(sched["cron"])
        except ValueError as e:
            raise ConfigError(f"schedule.cron: {e}") from None
    port = sections["server"]["port"]
    if not 0 <= port <= 65535:
        raise ConfigError(f"server.port: must be 0..65535 (got {port})")

    raw_sources = raw.get("sources", [])
    if not isinstance(raw_sources, list):
        raise ConfigError("sources: expected an array of tables ([[sources]])")
    sources: list[Source] = []
    seen: set[str] = set()
    for i, rs in enumerate(raw_sources):
        where = f"sources[{i}]"
        s = _section(where, rs, SOURCE_SCHEMA, base)
        if s["type"] not in SOURCE_TYPES:
            raise ConfigError(f"{where}.type: must be one of {', '.join(SOURCE_TYPES)} (got {s['type']!r})")
        if s["language"] not in (*LANGUAGES, "auto"):
            raise ConfigError(f"{where}.language: must be en, vi or auto (got {s['language']!r})")
        if s["name"] in seen:
            raise ConfigError(f"{where}.name: duplicate source name {s['name']!r}")
        seen.add(s["name"])
        if s["type"] == "inbox" and not s["path"]:
            raise ConfigError(f"{where}.path: required for an inbox source")
        if s["type"] == "feed" and not s["url"].startswith(("http://", "https://")):
            raise ConfigError(f"{where}.url: required for a feed source, http:// or https://")
        if s["type"] == "feed":
            _check_feed_source(where, s, site["base_url"])
        name, typ, lang, p = s.pop("name"), s.pop("type"), s.pop("language"), s.pop("path")
        sources.append(Source(name=name, type=typ, language=lang, path=p or None, options=s))

    return Config(
        file=file,
        site=site,
        paths=sections["paths"],
        translation=tr,
        glossary=sections["glossary"],
        schedule=sched,
        server=sections["server"],
        websub=sections["websub"],
        sources=sources,
    )


def _check_feed_source(where: str, s: dict[str, Any], base_url: str) -> None:
    from . import __version__
    from .sources.extract import EXTRACTORS, check_selector

    for key, low in (("timeout", 0.001), ("max_bytes", 1024)):
        if s[key] < low:
            raise ConfigError(f"{where}.{key}: must be at least {low:g} (got {s[key]!r})")
    for key in ("max_pages", "retries", "max_redirects", "retry_backoff", "host_delay"):
        if s[key] < 0:
            raise ConfigError(f"{where}.{key}: must not be negative (got {s[key]!r})")
    if s["extractor"] not in EXTRACTORS:
        raise ConfigError(f"{where}.extractor: must be one of {', '.join(EXTRACTORS)} (got {s['extractor']!r})")
    problem = check_selector(s["content_selector"])
    if problem:
        raise ConfigError(f"{where}.content_selector: {problem} (got {s['content_selector']!r})")
    if not s["user_agent"]:
        s["user_agent"] = f"syndicate/{__version__} (+{base_url})"
