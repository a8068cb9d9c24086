"""Config and glossary, re-read before a cycle when their files changed.

A bad edit is logged (file, line or key) and the last good version stays in
use, so a typo never stops a running service."""
from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Callable

from .. import config as config_mod
from ..glossary import load_glossary

log = logging.getLogger("syndicate.daemon")


def glossary_for(cfg):
    """The configured glossary, through the one loader every command uses."""
    return load_glossary(cfg.glossary_dir)


def _fingerprint(paths: list[Path]) -> tuple:
    out = []
    for root in paths:
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for f in files:
            try:
                st = f.stat()
                out.append((str(f), st.st_mtime_ns, st.st_size))
            except OSError:
                out.append((str(f), None, None))
    return tuple(out)


class Reloader:
    """Config and glossary, re-read when their files change; the last good
    version is kept when a new one does not load."""

    # Sections the running process cannot take over without a restart.
    RESTART_KEYS = ("paths", "translation", "server")

    def __init__(self, cfg, glossary_loader: Callable = glossary_for):
        self.cfg = cfg
        self.glossary_loader = glossary_loader
        self.glossary = glossary_loader(cfg)
        self._cfg_fp = _fingerprint([cfg.file])
        self._gl_fp = _fingerprint([cfg.glossary_dir])
        self.errors: list[str] = []

    def refresh(self) -> list[str]:
        """Reload what changed. Returns the errors of this refresh (also logged)."""
        errors = [e for e in (self._refresh_config(), self._refresh_glossary()) if e]
        self.errors = errors
        return errors

    def _refresh_config(self) -> str | None:
        fp = _fingerprint([self.cfg.file])
        if fp == self._cfg_fp:
            return None
        try:
            new = config_mod.load(self.cfg.file)
        except config_mod.ConfigError as e:
            log.error("config reload failed, keeping the last good configuration: %s", e,
                      extra={"fields": {"event": "reload-failed", "what": "config", "error": str(e)}})
            return f"config: {e}"
        for key in self.RESTART_KEYS:
            if getattr(new, key) != getattr(self.cfg, key):
                log.warning("config [%s] changed; it takes effect after a restart", key)
                new = dataclasses.replace(new, **{key: getattr(self.cfg, key)})
        log.info("config reloaded from %s", new.file)
        self.cfg = new
        self._cfg_fp = fp
        return None

    def _refresh_glossary(self) -> str | None:
        gfp = _fingerprint([self.cfg.glossary_dir])
        if gfp == self._gl_fp:
            return None
        try:
            self.glossary = self.glossary_loader(self.cfg)
        except Exception as e:  # any failure to load keeps the old glossary
            log.error("glossary reload failed, keeping version %s: %s",
                      getattr(self.glossary, "version", "?"), e,
                      extra={"fields": {"event": "reload-failed", "what": "glossary", "error": str(e)}})
            return f"glossary: {e}"
        log.info("glossary reloaded (version %s)", getattr(self.glossary, "version", "?"))
        self._gl_fp = gfp
        return None
