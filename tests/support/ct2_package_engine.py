"""A minimal Engine over one unzipped Argos package folder, for the
glossary's tests and report: SentencePiece in, CTranslate2 translate_batch,
SentencePiece out. It is not the service's engine (issue 3 builds that);
it exists so glossary enforcement can be measured with the real
tokenizer and inference path while that engine is written in parallel."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from syndicate.translate.base import Hypothesis, ModelInfo


def _info(name: str) -> ModelInfo:
    # These packages are copy models; where ModelInfo can say so, say it, so
    # the seam's untranslated-copy check knows a copy is expected.
    if "copies" in {f.name for f in dataclasses.fields(ModelInfo)}:
        return ModelInfo("ctranslate2", name, "test", copies=True)
    return ModelInfo("ctranslate2", name, "test")


class PackageEngine:
    name = "ct2-package"

    def __init__(self, packages: dict[tuple[str, str], Path]):
        import ctranslate2
        import sentencepiece as spm

        self._models = {}
        for (src, tgt), d in packages.items():
            d = Path(d)
            self._models[(src, tgt)] = (
                ctranslate2.Translator(str(d / "model"), device="cpu", inter_threads=1, intra_threads=1),
                spm.SentencePieceProcessor(model_file=str(d / "sentencepiece.model")),
                _info(d.name),
            )
        self.calls = 0

    def model(self, src: str, tgt: str) -> ModelInfo | None:
        m = self._models.get((src, tgt))
        return m[2] if m else None

    def tokens(self, src: str, tgt: str, text: str) -> list[str]:
        return self._models[(src, tgt)][1].encode(text, out_type=str)

    def translate_batch(self, src: str, tgt: str, sentences: list[str]) -> list[Hypothesis]:
        tr, sp, _ = self._models[(src, tgt)]
        self.calls += 1
        if not sentences:
            return []
        toks = [sp.encode(s, out_type=str) for s in sentences]
        res = tr.translate_batch(toks, beam_size=1, max_decoding_length=512)
        return [Hypothesis(sp.decode(r.hypotheses[0]), None) for r in res]


def service_engine(tmp: Path, dirs: dict[tuple[str, str], Path]):
    """The service's own engine (syndicate.translate.load_engine) over these
    copy packages installed through argostranslate, or None while the seam
    has no engine that can translate them."""
    import copy_model

    from syndicate.config import parse
    from syndicate.translate import load_engine

    packages = Path(tmp) / "packages"
    for (s, t), d in dirs.items():
        copy_model.install_package(copy_model.zip_package(d, Path(tmp) / f"{s}_{t}.argosmodel"), packages)
    cfg = parse({"translation": {"packages_dir": str(packages), "beam_size": 1}}, Path(tmp) / "config.toml")
    engine = load_engine(cfg)
    if any(engine.model(s, t) is None for s, t in dirs):
        return None
    return engine
