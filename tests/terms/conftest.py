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
def copy_packages(tmp_path_factory):
    """Unzipped copy-model packages (real CTranslate2 + SentencePiece), both directions."""
    import copy_model

    d = tmp_path_factory.mktemp("copy_packages")
    return {(s, t): copy_model.build_package_dir(d / f"{s}_{t}", s, t) for s, t in (("en", "vi"), ("vi", "en"))}


@pytest.fixture(scope="session")
def copy_adapter(copy_packages):
    """SentencePiece + CTranslate2 driven directly: exposes tokens() too."""
    from ct2_package_engine import PackageEngine

    return PackageEngine(copy_packages)


@pytest.fixture(scope="session")
def copy_engine(tmp_path_factory, copy_packages, copy_adapter):
    """The service's engine over the copy models once the seam has one
    (syndicate.translate.load_engine), else the direct adapter."""
    from ct2_package_engine import service_engine

    return service_engine(tmp_path_factory.mktemp("service_engine"), copy_packages) or copy_adapter
