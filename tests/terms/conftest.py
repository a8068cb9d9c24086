"""Fixtures for the glossary tests: the repository's glossary, small
temporary glossaries written per test, and real copy-model packages."""
from __future__ import annotations

from pathlib import Path

import pytest

from syndicate.terms import load

ROOT = Path(__file__).resolve().parents[2]
REPO_GLOSSARY = ROOT / "glossary"


@pytest.fixture(scope="session")
def repo_glossary():
    return load(REPO_GLOSSARY)


from terms_support import SMALL, write  # noqa: E402


@pytest.fixture
def small_dir(tmp_path) -> Path:
    d = tmp_path / "glossary"
    for name, text in SMALL.items():
        write(d, name, text)
    return d


@pytest.fixture(scope="session")
def copy_engine(tmp_path_factory):
    """A real CTranslate2 + SentencePiece copy model in both directions."""
    import copy_model
    from ct2_package_engine import PackageEngine

    d = tmp_path_factory.mktemp("copy_packages")
    dirs = {(s, t): copy_model.build_package_dir(d / f"{s}_{t}", s, t) for s, t in (("en", "vi"), ("vi", "en"))}
    return PackageEngine(dirs)
