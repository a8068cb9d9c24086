"""A throwaway syndicate installation: config, inbox with the repository's
sample articles, data and feeds folders, all under one temp folder."""
from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path

from syndicate import config

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted((REPO / "inbox").glob("*.txt"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The one config template of the tests: a workspace under one folder, never
# the user's own argostranslate folder (tests see only what they install).
BASE_CONFIG: dict = {
    "site": {"base_url": "http://feeds.example.test/news/", "title": "Test News"},
    "paths": {"data": "data", "feeds": "feeds"},
    "glossary": {"dir": "glossary"},
    "translation": {"packages_dir": "packages"},
    "sources": [{"name": "inbox", "type": "inbox", "path": "inbox", "language": "auto"}],
}


def merged(overrides: dict | None) -> dict:
    """BASE_CONFIG with overrides: a section's keys are merged one by one
    (None removes a key); `sources` is replaced as a whole."""
    out = {name: (list(v) if name == "sources" else dict(v)) for name, v in BASE_CONFIG.items()}
    for name, value in (overrides or {}).items():
        if name == "sources" or not isinstance(value, dict):
            out[name] = value
            continue
        section = {**out.get(name, {}), **value}
        out[name] = {k: v for k, v in section.items() if v is not None}
    return out


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return json.dumps(str(v), ensure_ascii=False)


def to_toml(cfg: dict) -> str:
    """Sections as [tables], `sources` as [[sources]]; one `key = value` a line."""
    parts = []
    for name, value in sorted(cfg.items(), key=lambda kv: kv[0] == "sources"):
        tables = value if name == "sources" else [value]
        for table in tables:
            head = f"[[{name}]]" if name == "sources" else f"[{name}]"
            parts.append(head + "\n" + "".join(f"{k} = {_toml_value(v)}\n" for k, v in table.items()))
    return "\n".join(parts)


def write_config(root: Path, overrides: dict | None = None, *, extra: str = "") -> Path:
    """Write root/config.toml (BASE_CONFIG with overrides, then `extra` TOML
    text) and make its inbox, glossary and packages folders; returns the file."""
    for d in ("inbox", "glossary", "packages"):
        (root / d).mkdir(parents=True, exist_ok=True)
    cfg = root / "config.toml"
    cfg.write_text(to_toml(merged(overrides)) + extra, encoding="utf-8")
    return cfg


def install_copy_models(packages_dir: Path, built: dict) -> None:
    """Install the session's copy-model packages ({(src, tgt): .argosmodel},
    the `copy_packages` fixture) into packages_dir."""
    import copy_model  # ctranslate2 and sentencepiece: only for sites that translate (bench/serve.py does not)

    for path in built.values():
        copy_model.install_package(path, packages_dir)


def make(root: Path, *, port: int | None = None, samples: list[Path] | None = None, hub: str = "",
         extra: str = "", models: dict | None = None) -> Path:
    """A site served on `port` with the sample articles in its inbox; returns
    the config file. models: the `copy_packages` fixture, so cycles really translate."""
    port = port or free_port()
    cfg = write_config(root, {
        "site": {"base_url": f"http://127.0.0.1:{port}/"},
        "schedule": {"interval_minutes": 15},
        "server": {"host": "127.0.0.1", "port": port, "cache_max_age": 60},
        "websub": {"hub": hub},
    }, extra=extra)
    if models:
        install_copy_models(root / "packages", models)
    for f in SAMPLES if samples is None else samples:
        shutil.copy(f, root / "inbox" / f.name)
    return cfg


def load(cfg_file: Path):
    return config.load(cfg_file)


def load_port(config_text: str) -> int:
    import re

    return int(re.search(r"^port = (\d+)$", config_text, re.M).group(1))
