"""A throwaway syndicate installation: config, inbox with the repository's
sample articles, data and feeds folders, all under one temp folder."""
from __future__ import annotations

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


_BUILT: dict[tuple[str, str], Path] = {}


def install_copy_models(packages_dir: Path) -> None:
    """Install real en->vi and vi->en copy-model packages (CTranslate2 +
    SentencePiece, built locally by copy_model; nothing is downloaded)."""
    import tempfile

    import copy_model

    for src, tgt in (("en", "vi"), ("vi", "en")):
        if (src, tgt) not in _BUILT:
            out = Path(tempfile.mkdtemp(prefix="syndicate-copy-model-")) / f"{src}_{tgt}.argosmodel"
            _BUILT[(src, tgt)] = copy_model.build_package(out, src, tgt)
        copy_model.install_package(_BUILT[(src, tgt)], packages_dir)


def make(root: Path, *, port: int | None = None, samples: list[Path] | None = None, hub: str = "",
         extra: str = "", models: bool = False) -> Path:
    """Write root/config.toml and root/inbox; returns the config file.
    models=True installs the copy models, so cycles really translate."""
    port = port or free_port()
    inbox = root / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    (root / "glossary").mkdir(exist_ok=True)
    (root / "packages").mkdir(exist_ok=True)
    if models:
        install_copy_models(root / "packages")
    for f in SAMPLES if samples is None else samples:
        shutil.copy(f, inbox / f.name)
    cfg = root / "config.toml"
    cfg.write_text(
        f"""
[site]
base_url = "http://127.0.0.1:{port}/"
title = "Test News"

[paths]
data = "data"
feeds = "feeds"

[translation]
# Never the user's own argostranslate folder: tests see only what they install.
packages_dir = "packages"

[schedule]
interval_minutes = 15

[server]
host = "127.0.0.1"
port = {port}
cache_max_age = 60

[websub]
hub = "{hub}"

[[sources]]
name = "inbox"
type = "inbox"
path = "inbox"
language = "auto"
{extra}
""",
        encoding="utf-8",
    )
    return cfg


def load(cfg_file: Path):
    return config.load(cfg_file)


def load_port(config_text: str) -> int:
    import re

    return int(re.search(r"^port = (\d+)$", config_text, re.M).group(1))
