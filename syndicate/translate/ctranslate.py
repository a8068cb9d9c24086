"""The CTranslate2 engine: argostranslate finds the packages, we run them.

argostranslate's own translate() makes one call per paragraph with tiny
batches, downloads a sentence splitter at run time and turns every "_"
into a space. Here a package's ctranslate2.Translator and SentencePiece
model are loaded once per engine (the daemon keeps one engine for the
process, so it loads each model once across its cycles), and each call
translates all the sentences it is given in token-bounded batches sorted
by length.

Thread safety: ctranslate2.Translator's methods are safe to call from
several threads at once (it queues work for its own inter_threads
workers), and SentencePiece encoding/decoding holds no mutable state, so
one loaded model is shared freely; only loading takes a lock, so two
threads never load the same model twice.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import ctranslate2
import sentencepiece as spm

from .engine import Hypothesis, ModelInfo
from .packages import LanguageTokens, PackageFolder, PackageInfo

log = logging.getLogger("syndicate.translate")

ENGINE = "ctranslate2"


@dataclass
class Loaded:
    translator: object  # ctranslate2.Translator
    sp_source: object  # sentencepiece.SentencePieceProcessor
    sp_target: object
    tokens: LanguageTokens  # a multilingual model's language tokens
    info: ModelInfo
    max_input_tokens: int


def _fingerprint(path: Path) -> float:
    """Changes when a package is reinstalled in place."""
    try:
        return (path / "model" / "model.bin").stat().st_mtime
    except OSError:
        return 0.0


def _max_input_tokens(pkg: PackageInfo) -> int:
    """Models with a learned position table (the test copy model) reject
    longer inputs outright, failing the whole batch; truncating to fit
    keeps one overlong sentence to itself (the output checks flag it)."""
    meta = pkg.metadata.get("syndicate")
    n = meta.get("max_input_tokens") if isinstance(meta, dict) else None
    return n if isinstance(n, int) and n > 1 else 1024


class LoadedModels:
    """Models loaded so far, keyed by package folder, its fingerprint and the
    load settings. An engine owns one; engines given the same one share
    their models."""

    def __init__(self) -> None:
        self._loaded: dict[tuple, Loaded] = {}
        self._lock = threading.Lock()

    def get(self, pkg: PackageInfo, device: str, compute_type: str, inter_threads: int,
            intra_threads: int) -> Loaded:
        key = (str(pkg.path), _fingerprint(pkg.path), device, compute_type, inter_threads, intra_threads)
        loaded = self._loaded.get(key)
        if loaded is not None:
            return loaded
        with self._lock:
            loaded = self._loaded.get(key)
            if loaded is not None:
                return loaded
            loaded = _load(pkg, device, compute_type, inter_threads, intra_threads)
            # Drop an older load of the same package (reinstalled in place).
            for k in [k for k in self._loaded if k[0] == key[0] and k[1] != key[1]]:
                del self._loaded[k]
            self._loaded[key] = loaded
            return loaded


def _load(pkg: PackageInfo, device: str, compute_type: str, inter_threads: int, intra_threads: int) -> Loaded:
    t0 = time.monotonic()
    translator = ctranslate2.Translator(
        str(pkg.path / "model"),
        device=device,
        compute_type=compute_type,
        inter_threads=inter_threads,
        intra_threads=intra_threads,
    )
    sp_src = spm.SentencePieceProcessor(model_file=str(pkg.path / "sentencepiece.model"))
    # OPUS-MT conversions carry separate source and target SentencePiece
    # models; target pieces must be decoded by the target one.
    tgt_model = pkg.path / "target_sentencepiece.model"
    sp_tgt = spm.SentencePieceProcessor(model_file=str(tgt_model)) if tgt_model.exists() else sp_src
    info = ModelInfo(ENGINE, pkg.name, pkg.version, copies=pkg.copy_model)
    loaded = Loaded(translator, sp_src, sp_tgt, pkg.tokens, info, _max_input_tokens(pkg))
    log.info("loaded %s (%s, %s) in %.2fs", pkg.name, device, compute_type, time.monotonic() - t0)
    return loaded


def decode(sp, pieces: list[str]) -> str:
    """Detokenize with SentencePiece itself: byte-fallback pieces become
    their characters and "_" stays an underscore (argostranslate replaces
    it with a space, breaking e.g. placeholders and identifiers)."""
    return sp.decode_pieces(list(pieces)).strip()


@dataclass
class EngineStats:
    engine_calls: int = 0  # translate_batch calls that reached CTranslate2
    sentences: int = 0
    source_tokens: int = 0
    target_tokens: int = 0
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)


class CTranslate2Engine:
    """Engine over installed Argos packages (see engine.Engine)."""

    name = ENGINE

    def __init__(
        self,
        packages_dir: Path | str | None = None,
        *,
        device: str = "cpu",
        compute_type: str = "int8",
        inter_threads: int = 1,
        intra_threads: int = 0,
        beam_size: int = 4,
        max_batch_tokens: int = 2048,
        batch_type: str = "tokens",
        max_batch_examples: int = 64,
        models: LoadedModels | None = None,
    ):
        self.packages = PackageFolder(packages_dir)
        self.packages_dir = self.packages.path
        self.device = device
        self.compute_type = compute_type
        self.inter_threads = inter_threads
        self.intra_threads = intra_threads
        self.beam_size = beam_size
        self.max_batch_tokens = max_batch_tokens
        self.batch_type = batch_type
        self.max_batch_examples = max_batch_examples
        self.stats = EngineStats()
        self.models = models if models is not None else LoadedModels()

    @classmethod
    def from_config(cls, cfg) -> "CTranslate2Engine":
        t = cfg.translation
        device = t.device
        if device == "auto":
            device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
        return cls(
            cfg.packages_dir,
            device=device,
            compute_type=t.compute_type,
            inter_threads=t.inter_threads,
            intra_threads=t.intra_threads,
            beam_size=t.beam_size,
            max_batch_tokens=t.max_batch_tokens,
            batch_type=t.batch_type,
            max_batch_examples=t.max_batch_examples,
        )

    def package(self, src: str, tgt: str) -> PackageInfo | None:
        # Looked up on every call: a daemon picks up a package installed
        # between cycles (the folder is re-read only when it changed).
        return self.packages.find(src, tgt)

    def model(self, src: str, tgt: str) -> ModelInfo | None:
        pkg = self.package(src, tgt)
        if pkg is None:
            return None
        return ModelInfo(ENGINE, pkg.name, pkg.version, copies=pkg.copy_model)

    def load(self, src: str, tgt: str) -> Loaded:
        pkg = self.package(src, tgt)
        if pkg is None:
            raise LookupError(f"no {src}->{tgt} package installed in {self.packages_dir}")
        return self.models.get(pkg, self.device, self.compute_type, self.inter_threads, self.intra_threads)

    def translate_batch(self, src: str, tgt: str, sentences: list[str]) -> list[Hypothesis]:
        if not sentences:
            return []
        m = self.load(src, tgt)
        tokens = [m.sp_source.encode(s, out_type=str) if s.strip() else [] for s in sentences]
        todo = [i for i, t in enumerate(tokens) if t]
        # Longest first: batches of similar length waste little padding,
        # and batch_type="tokens" bounds memory by what is really there.
        todo.sort(key=lambda i: len(tokens[i]), reverse=True)
        out: list[Hypothesis] = [Hypothesis("", None) for _ in sentences]
        if not todo:
            return out
        # Room for the language tokens and the </s> CTranslate2 may add.
        room = max(1, m.max_input_tokens - 1 - len(m.tokens.source_prefix) - len(m.tokens.source_suffix))
        src_tokens = [m.tokens.wrap(tokens[i][:room]) for i in todo]
        longest = len(src_tokens[0])
        prefix = [list(m.tokens.target_prefix) for _ in todo] if m.tokens.target_prefix else None
        t0 = time.monotonic()
        results = m.translator.translate_batch(
            src_tokens,
            target_prefix=prefix,
            max_batch_size=self.max_batch_tokens if self.batch_type == "tokens" else self.max_batch_examples,
            batch_type=self.batch_type,
            beam_size=self.beam_size,
            return_scores=True,
            max_input_length=m.max_input_tokens,
            max_decoding_length=min(m.max_input_tokens, 2 * longest + 16),
        )
        dt = time.monotonic() - t0
        n_target = 0
        for i, r in zip(todo, results):
            pieces = m.tokens.strip(r.hypotheses[0])
            n_target += len(pieces)
            out[i] = Hypothesis(decode(m.sp_target, pieces), r.scores[0] if r.scores else None)
        with self.stats.lock:
            self.stats.engine_calls += 1
            self.stats.sentences += len(todo)
            self.stats.source_tokens += sum(len(t) for t in src_tokens)
            self.stats.target_tokens += n_target
            self.stats.seconds += dt
        return out
