"""Package validation and installation: every broken package is refused
with a message naming the problem, and nothing is installed."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

import copy_model
from syndicate.translate import packages as pk


def variant(tmp_path, src_dir, mutate=None, name="translate-en_vi-1_0"):
    d = tmp_path / "variant" / name
    shutil.copytree(src_dir, d)
    if mutate:
        mutate(d)
    return copy_model.zip_package(d, tmp_path / f"{name}.argosmodel")


def edit_meta(**changes):
    def mutate(d):
        meta = json.loads((d / "metadata.json").read_text())
        for k, v in changes.items():
            if v is None:
                meta.pop(k, None)
            else:
                meta[k] = v
        (d / "metadata.json").write_text(json.dumps(meta))
    return mutate


def remove(rel):
    def mutate(d):
        (d / rel).unlink()
    return mutate


def truncate_model(d):
    data = (d / "model" / "model.bin").read_bytes()
    (d / "model" / "model.bin").write_bytes(data[: len(data) // 3])


@pytest.fixture
def empty_dir(tmp_path):
    d = tmp_path / "packages"
    d.mkdir()
    return d


def assert_refused(path, packages_dir, *fragments, expect=None):
    with pytest.raises(pk.PackageError) as ei:
        pk.install(path, packages_dir, expect=expect)
    msg = str(ei.value)
    for f in fragments:
        assert f in msg, msg
    assert list(packages_dir.iterdir()) == []  # nothing installed, not even partly
    return msg


def test_not_a_zip(tmp_path, empty_dir):
    bad = tmp_path / "bad.argosmodel"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip" * 10)
    assert_refused(bad, empty_dir, str(bad), "not a zip")


def test_missing_file(tmp_path, empty_dir):
    assert_refused(tmp_path / "nope.argosmodel", empty_dir, "no such file")


@pytest.mark.parametrize(
    "mutate, fragments",
    [
        (remove("metadata.json"), ["missing", "metadata.json"]),
        (remove("sentencepiece.model"), ["missing", "translate-en_vi-1_0/sentencepiece.model"]),
        (remove("model/model.bin"), ["missing", "model/model.bin"]),
        (remove("model/shared_vocabulary.json"), ["missing", "vocabular"]),
        (edit_meta(from_code=None), ["metadata.json", "'from_code' is missing"]),
        (edit_meta(package_version=""), ["'package_version' is missing or empty"]),
        (edit_meta(from_code="fr"), ["from_code 'fr' is not a language syndicate translates"]),
        (edit_meta(to_code="en"), ["from_code and to_code are both 'en'"]),
        (edit_meta(type="sbd"), ["type is 'sbd'"]),
        (lambda d: (d / "metadata.json").write_text("{not json"), ["metadata.json is not valid JSON"]),
        (truncate_model, ["CTranslate2 model does not load"]),
        (lambda d: (d / "sentencepiece.model").write_bytes(b"garbage"), ["sentencepiece.model does not load"]),
    ],
    ids=["no-metadata", "no-spm", "no-model", "no-vocab", "no-from", "empty-version", "wrong-code",
         "same-codes", "wrong-type", "bad-json", "corrupt-model", "corrupt-spm"],
)
def test_broken_packages_are_refused(tmp_path, empty_dir, copy_package_dir, mutate, fragments):
    path = variant(tmp_path, copy_package_dir, mutate)
    assert_refused(path, empty_dir, str(path), *fragments)


def test_direction_must_match_what_was_asked(tmp_path, empty_dir, copy_package_dir):
    path = variant(tmp_path, copy_package_dir)
    assert_refused(path, empty_dir, "translates en->vi, expected vi->en", expect=("vi", "en"))


def test_zip_layout_must_be_one_folder_without_escapes(tmp_path, empty_dir, copy_package_dir):
    flat = tmp_path / "flat.argosmodel"
    with zipfile.ZipFile(flat, "w") as z:
        for f in copy_package_dir.rglob("*"):
            if f.is_file():
                z.write(f, f.relative_to(copy_package_dir).as_posix())
    assert_refused(flat, empty_dir, "expected one top-level folder")
    evil = tmp_path / "evil.argosmodel"
    shutil.copy(variant(tmp_path, copy_package_dir), evil)
    with zipfile.ZipFile(evil, "a") as z:
        z.writestr("translate-en_vi-1_0/../../escape.txt", "x")
    assert_refused(evil, empty_dir, "unsafe path")
    assert not (tmp_path / "escape.txt").exists()


def test_install_list_upgrade_remove(tmp_path, empty_dir, copy_package_dir):
    v1 = variant(tmp_path, copy_package_dir)
    res = pk.install(v1, empty_dir)
    assert (res.package.direction, res.package.version, res.replaced) == ("en->vi", "1.0", [])
    assert (empty_dir / "translate-en_vi-1_0" / "model" / "model.bin").is_file()

    v2 = variant(tmp_path / "v2", copy_package_dir, edit_meta(package_version="1.1"), name="translate-en_vi-1_1")
    res = pk.install(v2, empty_dir)
    assert res.package.version == "1.1" and [p.version for p in res.replaced] == ["1.0"]
    found, broken = pk.list_packages(empty_dir)
    assert [(p.direction, p.version) for p in found] == [("en->vi", "1.1")] and broken == []
    assert found[0].size > 0

    (empty_dir / "stray-folder").mkdir()
    found, broken = pk.list_packages(empty_dir)
    assert len(found) == 1 and len(broken) == 1 and "stray-folder" in broken[0]

    with pytest.raises(pk.PackageError, match="no installed package matches 'vi-en'"):
        pk.remove(empty_dir, "vi-en")
    assert [p.name for p in pk.remove(empty_dir, "en-vi")] == ["translate-en_vi-1_1"]
    assert pk.list_packages(empty_dir)[0] == []


def _argos_folder(env: dict) -> str:
    """argostranslate's own answer, from a process with this environment."""
    code = "from argostranslate import settings; print(settings.package_data_dir)"
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def test_default_folder_is_argostranslates(monkeypatch, tmp_path):
    """The same folder argostranslate picks, worked out without importing it
    (the import writes to $HOME): from the home, XDG_DATA_HOME, its
    settings.json and ARGOS_PACKAGES_DIR."""
    base = {k: v for k, v in os.environ.items()
            if k not in ("ARGOS_PACKAGES_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "SNAP")}
    home = tmp_path / "home"
    home.mkdir()
    settings_dir = tmp_path / "xdg-config" / "argos-translate"
    cases = [
        {"HOME": str(home)},
        {"HOME": str(home), "XDG_DATA_HOME": str(tmp_path / "xdg-data")},
        {"HOME": str(home), "XDG_CONFIG_HOME": str(tmp_path / "xdg-config")},
        {"HOME": str(home), "ARGOS_PACKAGES_DIR": str(tmp_path / "argos")},
    ]
    settings_dir.mkdir(parents=True)
    (settings_dir / "settings.json").write_text(json.dumps({"ARGOS_PACKAGES_DIR": str(tmp_path / "from-json")}))
    for extra in cases:
        env = {**base, **extra}
        for k in ("HOME", "ARGOS_PACKAGES_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "SNAP"):
            if k in env:
                monkeypatch.setenv(k, env[k])
            else:
                monkeypatch.delenv(k, raising=False)
        assert str(pk.resolve_dir(None)) == _argos_folder(env), extra
    assert pk.resolve_dir(tmp_path / "mine") == tmp_path / "mine"
