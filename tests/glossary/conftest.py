"""Fixtures for the glossary tests: the repository's glossary, small
temporary glossaries written per test, and real copy-model packages."""
from __future__ import annotations

from pathlib import Path

import pytest

from syndicate.glossary import load

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
def copy_setup(tmp_path_factory, copy_packages):
    """The service's engine over the session's copy models, and the installed packages."""
    from copy_engine import copy_engine

    return copy_engine(tmp_path_factory.mktemp("copy_engine"), built=copy_packages)


@pytest.fixture(scope="session")
def copy_engine(copy_setup):
    return copy_setup[0]


@pytest.fixture(scope="session")
def en_vi_tokens(copy_setup):
    """Split a string as the en->vi package's SentencePiece model does."""
    from copy_engine import tokenizer

    sp = tokenizer(copy_setup[1][("en", "vi")])
    return lambda text: sp.encode(text, out_type=str)
