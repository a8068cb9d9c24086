"""The service's own engine over copy-model packages, for the glossary's
tests and report: both directions built, installed through argostranslate
into a folder of their own, and loaded with syndicate.translate.load_engine,
so glossary enforcement is measured on the real inference path."""
from __future__ import annotations

from pathlib import Path

import copy_model
import sentencepiece as spm

from syndicate.config import parse
from syndicate.translate import load_engine

DIRECTIONS = (("en", "vi"), ("vi", "en"))


def copy_engine(tmp: Path, *, beam_size: int = 1, built: dict | None = None):
    """(engine, {(src, tgt): installed package folder}). built: the packages
    already built ({(src, tgt): .argosmodel}, the tests' `copy_packages`);
    without it they are built here."""
    tmp = Path(tmp)
    packages = tmp / "packages"
    if built is None:
        built = {(s, t): copy_model.build_package(tmp / f"{s}_{t}.argosmodel", s, t) for s, t in DIRECTIONS}
    installed = {(s, t): copy_model.install_package(built[(s, t)], packages) for s, t in DIRECTIONS}
    cfg = parse({"translation": {"packages_dir": str(packages), "beam_size": beam_size}}, tmp / "config.toml")
    engine = load_engine(cfg)
    missing = [f"{s}->{t}" for s, t in DIRECTIONS if engine.model(s, t) is None]
    assert not missing, f"copy packages not found by the engine: {missing}"
    return engine, installed


def tokenizer(package_dir: Path) -> spm.SentencePieceProcessor:
    """The package's SentencePiece model, to see how a string is split."""
    return spm.SentencePieceProcessor(model_file=str(Path(package_dir) / "sentencepiece.model"))
