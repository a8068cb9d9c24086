"""Language tokens for multilingual CTranslate2 models (mBART-50, NLLB-200,
M2M-100, MADLAD-400): declared in a package's metadata.json, checked at
install, added around each sentence, stripped from the output, shown by
`syndicate models list`, and end to end through `syndicate run` with the
copy model's multilingual variant, whose decoder starts with the target
language's token."""
from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

import copy_model
from syndicate.cli import main
from syndicate.store import Store
from syndicate.translate import packages as pk
from syndicate.translate.ctranslate import CTranslate2Engine
from syndicate.translate.packages import LanguageTokens, language_tokens

ROOT = Path(__file__).resolve().parents[2]
SENTENCE = "Hello world, the police met the delegation today."


@pytest.fixture(scope="module")
def token_packages(tmp_path_factory):
    d = tmp_path_factory.mktemp("tokenmodels")
    return {(s, t): copy_model.build_package(d / f"{s}_{t}.argosmodel", s, t, language_tokens=True)
            for s, t in (("en", "vi"), ("vi", "en"))}


@pytest.fixture
def installed(tmp_path, token_packages):
    for path in token_packages.values():
        pk.install(path, tmp_path / "packages")
    return tmp_path / "packages"


def test_metadata_forms_and_stripping():
    assert language_tokens({"target_prefix": "vie_Latn", "source_prefix": ["eng_Latn"],
                            "source_suffix": "</s>"}) == LanguageTokens(("eng_Latn",), ("</s>",), ("vie_Latn",))
    assert not language_tokens({})
    t = LanguageTokens(("en_XX",), ("</s>",), ("vi_VN",))
    assert t.wrap(["▁Hello", "."]) == ["en_XX", "▁Hello", ".", "</s>"]
    assert t.strip(["vi_VN", "▁Xin", "▁chào"]) == ["▁Xin", "▁chào"]
    assert t.strip(["▁Xin", "vi_VN"]) == ["▁Xin", "vi_VN"]  # only leading tokens go
    assert t.describe() == "source prefix en_XX, source suffix </s>, target prefix vi_VN"


def test_engine_adds_the_tokens_and_strips_them_from_the_output(installed):
    engine = CTranslate2Engine(installed, beam_size=2)
    assert [h.text for h in engine.translate_batch("en", "vi", [SENTENCE, "Short."])] == [SENTENCE, "Short."]
    m = engine.load("en", "vi")
    pieces = m.sp_source.encode(SENTENCE, out_type=str)
    raw = m.translator.translate_batch([m.tokens.wrap(pieces)], target_prefix=[["__vi__"]])[0].hypotheses[0]
    assert raw == ["__vi__", *pieces]  # what the engine strips
    # Without the source token the model's positions shift and the first
    # piece is lost: the source token is not optional for such a model.
    bare = m.translator.translate_batch([pieces], target_prefix=[["__vi__"]])[0].hypotheses[0]
    assert bare[1:] != pieces


def _repack(src: Path, out: Path, edit) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename.endswith("metadata.json"):
                meta = json.loads(data)
                edit(meta)
                data = json.dumps(meta).encode()
            zout.writestr(item, data)
    return out


def test_install_refuses_tokens_the_vocabulary_lacks(tmp_path, token_packages):
    bad = _repack(token_packages[("en", "vi")], tmp_path / "bad.argosmodel",
                  lambda m: m.update(target_prefix="vie_Latn"))
    with pytest.raises(pk.PackageError, match="language token.*vie_Latn.*target vocabulary"):
        pk.install(bad, tmp_path / "packages")
    assert not (tmp_path / "packages").exists() or not any((tmp_path / "packages").iterdir())


def test_install_refuses_malformed_token_metadata(tmp_path, token_packages):
    bad = _repack(token_packages[("en", "vi")], tmp_path / "bad.argosmodel", lambda m: m.update(source_prefix=5))
    with pytest.raises(pk.PackageError, match="metadata.json: source_prefix must be a token or a list"):
        pk.validate_zip(bad)


def test_models_list_shows_engines_and_tokens(tmp_path, installed):
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[translation]\npackages_dir = "{installed}"\nengine_vi_en = "openai"\n'
                   'llm_url = "http://127.0.0.1:11434/v1"\nllm_model = "qwen2.5:7b"\n', encoding="utf-8")
    r = CliRunner().invoke(main, ["--config", str(cfg), "models", "list"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert "translate-en_vi-1_0  (test copy model)  language tokens: source prefix __en__, target prefix __vi__" \
        in r.output
    assert "en->vi   ctranslate2  translate-en_vi-1_0 1.0" in r.output
    assert "vi->en   openai       qwen2.5:7b at http://127.0.0.1:11434/v1" in r.output
    r = CliRunner().invoke(main, ["--config", str(cfg), "models", "list", "--json"], catch_exceptions=False)
    data = json.loads(r.output)
    assert data["engines"]["vi->en"] == {"engine": "openai", "model": "qwen2.5:7b", "url": "http://127.0.0.1:11434/v1"}
    tokens = {p["direction"]: p["language_tokens"] for p in data["packages"]}
    assert tokens["vi->en"] == {"source_prefix": ["__vi__"], "source_suffix": [], "target_prefix": ["__en__"]}


def test_run_end_to_end_with_language_token_models(tmp_path, installed):
    shutil.copytree(ROOT / "inbox", tmp_path / "inbox")
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[translation]\npackages_dir = "{installed}"\n'
                   '[[sources]]\nname = "portal-inbox"\ntype = "inbox"\npath = "inbox"\n', encoding="utf-8")
    r = CliRunner().invoke(main, ["--config", str(cfg), "run", "--json"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    with Store(tmp_path / "data" / "syndicate.sqlite") as store:
        assert store.translation_counts() == {"done": 4}
        for a in store.all_articles():
            t = store.get_translation(a.id, "vi" if a.language == "en" else "en")
            assert t.title == a.title and t.blocks == a.blocks  # the copy, tokens added and taken off
    for lang in ("en", "vi"):
        text = (tmp_path / "feeds" / lang / "atom.xml").read_text(encoding="utf-8")
        assert "__vi__" not in text and "__en__" not in text
        assert len(feedparser.parse(text).entries) == 4
