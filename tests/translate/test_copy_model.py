"""The test copy model is a real package: argostranslate installs it,
CTranslate2 loads it, and its output is its input."""
from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import ctranslate2
import sentencepiece as spm


ROOT = Path(__file__).resolve().parents[2]


def test_installed_copy_model_copies_both_languages(installed_packages_dir):
    from argostranslate import package

    pkgs = {(p.from_code, p.to_code): p for p in package.get_installed_packages([installed_packages_dir])}
    assert set(pkgs) == {("en", "vi"), ("vi", "en")}
    p = pkgs[("en", "vi")]
    sp = spm.SentencePieceProcessor(model_file=str(p.package_path / "sentencepiece.model"))
    tr = ctranslate2.Translator(str(p.package_path / "model"), compute_type="int8")
    texts = [
        "Đại tướng Tô Lâm, Ủy viên Bộ Chính trị, Bộ trưởng Bộ Công an.",
        "Major General Le Tan Toi said 3,489 suspects were arrested.",
        "snake_case stays, and 😀 falls back to bytes",
    ]
    res = tr.translate_batch([sp.encode(t, out_type=str) for t in texts], beam_size=4)
    assert [sp.decode_pieces(r.hypotheses[0]) for r in res] == texts


def test_command_line_builds_a_zip_with_metadata(tmp_path):
    out = tmp_path / "vi_en.argosmodel"
    subprocess.run(
        [sys.executable, "tests/support/copy_model.py", "--from", "vi", "--to", "en", "--out", str(out)],
        cwd=ROOT, check=True, capture_output=True,
    )
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        top = names[0].split("/")[0]
        assert {f"{top}/metadata.json", f"{top}/sentencepiece.model", f"{top}/model/model.bin"} <= set(names)
        meta = json.loads(z.read(f"{top}/metadata.json"))
    assert (meta["from_code"], meta["to_code"]) == ("vi", "en")
