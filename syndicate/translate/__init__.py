"""Offline translation of whole articles.

Owns the engine interface and its CTranslate2 implementation over Argos
packages (engine.py, ctranslate.py, packages.py), the glossary hook
(hook.py), the driver that turns articles into translations (driver.py:
plan -> memory -> engine -> assemble), sentence splitting (splitter.py),
the degenerate-output checks (checks.py), the one Problem shape recorded on
a translation (problems.py) and the translation memory (memory.py). It
knows nothing of feeds or the command line.
"""
from __future__ import annotations

from .driver import (  # noqa: F401
    Budget,
    Failure,
    FailureKind,
    Job,
    Outcome,
    TranslateStats,
    translate_jobs,
)
from .engine import INSTALL_HINT, Engine, Hypothesis, ModelInfo, load_engine  # noqa: F401
from .hook import NoGlossary, Protected, Restored, TermHook  # noqa: F401
from .problems import Problem  # noqa: F401

__all__ = [
    "Budget", "Engine", "Failure", "FailureKind", "Hypothesis", "INSTALL_HINT", "Job", "ModelInfo", "NoGlossary",
    "Outcome", "Problem", "Protected", "Restored", "TermHook", "TranslateStats", "load_engine",
    "translate_jobs",
]
