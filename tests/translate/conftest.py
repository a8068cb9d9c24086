"""Fixtures for the translation tests: real copy-model packages, built once
per session into temporary folders (never committed)."""
from __future__ import annotations

import shutil

import copy_model
import pytest


@pytest.fixture(scope="session")
def copy_packages(tmp_path_factory):
    """{(src, tgt): path of a built .argosmodel} for en->vi and vi->en."""
    d = tmp_path_factory.mktemp("argosmodels")
    return {
        (s, t): copy_model.build_package(d / f"{s}_{t}.argosmodel", s, t)
        for s, t in (("en", "vi"), ("vi", "en"))
    }


@pytest.fixture(scope="session")
def installed_packages_dir(tmp_path_factory, copy_packages):
    """A packages folder with both copy models installed through argostranslate.
    Shared by the session: tests must not install into or remove from it."""
    d = tmp_path_factory.mktemp("packages")
    for path in copy_packages.values():
        copy_model.install_package(path, d)
    return d


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
