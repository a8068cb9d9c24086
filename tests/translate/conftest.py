"""Fixtures for the translation tests: private copies of the session's
copy-model packages (copy_packages and installed_packages_dir are in
tests/conftest.py), and an unzipped package to break on purpose."""
from __future__ import annotations

import shutil

import copy_model
import pytest


@pytest.fixture
def packages_dir(tmp_path, installed_packages_dir):
    """A private copy of the installed packages, for tests that change it."""
    d = tmp_path / "packages"
    shutil.copytree(installed_packages_dir, d)
    return d


@pytest.fixture(scope="session")
def copy_package_dir(tmp_path_factory):
    """An unzipped en->vi copy package, for tests that make broken variants."""
    d = tmp_path_factory.mktemp("pkgsrc") / "translate-en_vi-1_0"
    return copy_model.build_package_dir(d, "en", "vi")
