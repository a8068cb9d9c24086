"""`syndicate models list/install/remove` through the real command line."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from syndicate.cli import main


@pytest.fixture
def cfg(tmp_path):
    p = tmp_path / "config.toml"
    p.write_text('[translation]\npackages_dir = "packages"\n', encoding="utf-8")
    return p


def run(cfg, *args):
    return CliRunner().invoke(main, ["--config", str(cfg), "models", *args], catch_exceptions=False)


def test_install_list_remove(cfg, copy_packages):
    r = run(cfg, "list")
    assert r.exit_code == 0 and "no translation packages installed" in r.output
    r = run(cfg, "install", str(copy_packages[("en", "vi")]))
    assert r.exit_code == 0, r.output
    assert "installed en->vi translate-en_vi-1_0 version 1.0" in r.output
    r = run(cfg, "install", str(copy_packages[("vi", "en")]))
    assert r.exit_code == 0, r.output
    r = run(cfg, "list")
    assert r.exit_code == 0
    lines = [ln.split() for ln in r.output.splitlines()[1:3]]
    assert [ln[:2] for ln in lines] == [["en->vi", "1.0"], ["vi->en", "1.0"]]
    assert all(ln[3] == "MB" for ln in lines)
    data = json.loads(run(cfg, "list", "--json").output)
    assert data["packages_dir"] == str(cfg.parent / "packages")
    assert [p["direction"] for p in data["packages"]] == ["en->vi", "vi->en"]
    r = run(cfg, "remove", "vi-en")
    assert r.exit_code == 0 and "removed vi->en" in r.output
    assert [p["direction"] for p in json.loads(run(cfg, "list", "--json").output)["packages"]] == ["en->vi"]
    r = run(cfg, "remove", "vi-en")
    assert r.exit_code == 1 and "no installed package matches 'vi-en'" in r.output


def test_bad_file_is_refused_and_nothing_installed(cfg, tmp_path):
    bad = tmp_path / "x.argosmodel"
    bad.write_text("hello")
    r = run(cfg, "install", str(bad))
    assert r.exit_code == 1
    assert f"{bad}: not a zip archive" in r.output and "nothing was installed" in r.output
    assert not (cfg.parent / "packages").exists() or not any((cfg.parent / "packages").iterdir())


def test_install_from_url(cfg, copy_packages, httpserver):
    httpserver.expect_request("/en_vi.argosmodel").respond_with_data(
        copy_packages[("en", "vi")].read_bytes(), content_type="application/zip")
    r = run(cfg, "install", httpserver.url_for("/en_vi.argosmodel"))
    assert r.exit_code == 0, r.output
    httpserver.expect_request("/missing.argosmodel").respond_with_data("no", status=404)
    r = run(cfg, "install", httpserver.url_for("/missing.argosmodel"))
    assert r.exit_code == 1 and "download failed" in r.output and "404" in r.output


@pytest.fixture
def index(monkeypatch, tmp_path, httpserver):
    """Point argostranslate's package index at a local server."""
    from argostranslate import settings

    monkeypatch.setattr(settings, "remote_package_index", httpserver.url_for("/index.json"))
    monkeypatch.setattr(settings, "local_package_index", tmp_path / "index.json")
    return httpserver


def test_install_en_vi_explains_alternatives_when_the_index_has_none(cfg, index):
    index.expect_request("/index.json").respond_with_json([
        {"package_version": "1.9", "argos_version": "1.0", "from_code": "en", "to_code": "fr",
         "from_name": "English", "to_name": "French", "links": ["https://example.invalid/x"]},
    ])
    r = run(cfg, "install", "en", "vi")
    assert r.exit_code == 1
    assert "The public Argos index has no en->vi package" in r.output
    assert "syndicate models install FILE.argosmodel" in r.output
    assert "Helsinki-NLP/opus-mt-en-vi" in r.output and "README.md" in r.output


def test_install_en_vi_offline_says_so(cfg, monkeypatch, tmp_path):
    from argostranslate import settings

    monkeypatch.setattr(settings, "remote_package_index", "http://127.0.0.1:9/index.json")
    monkeypatch.setattr(settings, "local_package_index", tmp_path / "none" / "index.json")
    r = run(cfg, "install", "en", "vi")
    assert r.exit_code == 1
    assert "could not be fetched (offline?)" in r.output
    assert "Helsinki-NLP/opus-mt-en-vi" in r.output


def test_install_en_vi_from_the_index_when_listed(cfg, index, copy_packages):
    index.expect_request("/en_vi.argosmodel").respond_with_data(copy_packages[("en", "vi")].read_bytes())
    index.expect_request("/index.json").respond_with_json([
        {"package_version": "1.0", "argos_version": "1.0", "from_code": "en", "to_code": "vi",
         "from_name": "English", "to_name": "Vietnamese", "links": [index.url_for("/en_vi.argosmodel")]},
    ])
    r = run(cfg, "install", "en", "vi")
    assert r.exit_code == 0, r.output
    assert "installed en->vi" in r.output


def test_unknown_language_is_a_usage_error(cfg):
    r = run(cfg, "install", "en", "fr")
    assert r.exit_code == 2 and "'fr' is not a language syndicate translates" in r.output
