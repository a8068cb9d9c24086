"""Translation throughput: argostranslate's path vs this service's engine.

    python bench/translation.py [--quick] [--paragraphs N] [--threads T] [--beam B]

Builds a synthetic Argos package of transformer-base size (6+6 layers,
d_model 512, 8 heads, FFN 2048, vocabulary 8000) whose output copies its
input, so output lengths are realistic: token and position vectors are
random and near-orthogonal in separate subspaces, the weights that the
copy needs to be zero are tiny random values instead (real int8 ranges,
real compute). Then, in this one process, it translates the same English
news paragraphs (bench/news_text.py) three ways:

  (a) argostranslate's PackageTranslation, one call per paragraph, with its
      sentence splitter replaced by ours so only the translation path differs;
  (b) syndicate's translate_jobs + CTranslate2Engine: all sentences in
      length-sorted, token-bounded batches; same beam, threads, compute type;
  (c) (b) again with the translation memory warm.

It prints sentences/s, target tokens/s and peak RSS per path (sampled
while that path runs), and last a line
``speedup_vs_argos=X tm_rerun_speedup=Y``. Not a test: figures depend on
the machine; quote them with the command that produced them.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support"), str(ROOT / "bench")]

import copy_model  # noqa: E402
from news_text import paragraphs  # noqa: E402

VOCAB = 8000
D_MODEL, HEADS, LAYERS, FFN = 512, 8, 6, 2048
POS_DIMS = 63  # + the end-of-source dim = one head's width: every head reads them
POSITIONS = 256


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class PeakRSS:
    """Peak resident memory while a block runs, sampled every 5 ms."""

    def __enter__(self):
        self.peak = rss_bytes()
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()
        return self

    def _run(self):
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, rss_bytes())

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()
        self.peak = max(self.peak, rss_bytes())


def near_orthogonal(n: int, dims: int, rng) -> np.ndarray:
    v = rng.standard_normal((n, dims)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def build_package(out_dir: Path, text: str) -> Path:
    """The benchmark package, unzipped and installed under out_dir."""
    pkg = out_dir / "translate-en_vi-bench"
    pkg.mkdir(parents=True)
    sp_model = copy_model.train_sentencepiece(pkg / "sentencepiece", 4000, text)
    pieces = copy_model._vocab(sp_model)
    # SentencePiece cannot learn 8000 pieces from a few hundred sentences;
    # pad the model's vocabulary so the output layer and softmax have
    # transformer-base size. The padding tokens never win: nothing copies them.
    vocab = pieces + [f"<extra_{i}>" for i in range(VOCAB - len(pieces))]
    rng = np.random.default_rng(7)
    spec = copy_model.copy_spec(
        near_orthogonal(len(vocab), D_MODEL - POS_DIMS - 1, rng),
        near_orthogonal(POSITIONS, POS_DIMS, rng),
        d_model=D_MODEL, num_layers=LAYERS, num_heads=HEADS, ffn_dim=FFN,
        attention_scale=40.0, output_scale=40.0, noise=1e-3, seed=11, eos_id=vocab.index("</s>"),
    )
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.optimize(quantization="int8")
    (pkg / "model").mkdir()
    spec.save(str(pkg / "model"))
    meta = copy_model.metadata("en", "vi", "1.0", declare_copy=True, max_positions=POSITIONS)
    (pkg / "metadata.json").write_text(__import__("json").dumps(meta), encoding="utf-8")
    return pkg


def count_tokens(sp, texts: list[str]) -> int:
    return sum(len(sp.encode(t)) for t in texts)


def run_argos(pkg_dir: Path, paras: list[str], beam: int, threads: int):
    from argostranslate import settings
    from argostranslate.package import Package
    from argostranslate.translate import Language, PackageTranslation

    from syndicate.translate.splitter import split_sentences

    settings.device = "cpu"
    settings.compute_type = "int8"
    settings.beam_size = beam
    settings.inter_threads = 1
    settings.intra_threads = threads
    pkg = Package(pkg_dir)
    tr = PackageTranslation(Language("en", "English"), Language("vi", "Vietnamese"), pkg)

    class OurSplitter:
        def split_sentences(self, text):
            return split_sentences(text, "en")

    tr.sentencizer = OurSplitter()
    tr.hypotheses("Warm up the model.", num_hypotheses=1)  # loads the Translator outside the timing
    with PeakRSS() as mem:
        t0 = time.perf_counter()
        outs = [tr.hypotheses(p, num_hypotheses=1)[0].value for p in paras]
        dt = time.perf_counter() - t0
    # Unload before (b) so its RSS figure is not argostranslate's model plus its own.
    tr.translator = None
    del tr
    import gc

    gc.collect()
    return outs, dt, mem.peak


def run_engine(pkg_root: Path, jobs, memory, beam: int, threads: int, engine=None):
    from syndicate.translate import TranslateStats, translate_jobs
    from syndicate.translate.ctranslate import CTranslate2Engine

    if engine is None:
        engine = CTranslate2Engine(pkg_root, compute_type="int8", inter_threads=1, intra_threads=threads,
                                   beam_size=beam, max_batch_tokens=2048)
        engine.translate_batch("en", "vi", ["Warm up the model."])
    stats = TranslateStats()
    with PeakRSS() as mem:
        t0 = time.perf_counter()
        outs = translate_jobs(jobs, engine, memory=memory, stats=stats)
        dt = time.perf_counter() - t0
    return engine, outs, dt, mem.peak, stats


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="40 paragraphs instead of 100 (under 5 minutes on 2 cores)")
    ap.add_argument("--paragraphs", type=int, default=None)
    ap.add_argument("--threads", type=int, default=0, help="CTranslate2 intra_threads for both paths (0 = all cores)")
    ap.add_argument("--beam", type=int, default=4)
    args = ap.parse_args(argv)
    n = args.paragraphs or (40 if args.quick else 100)

    import ctranslate2
    import sentencepiece as spm

    from syndicate.article import Block
    from syndicate.store import Store
    from syndicate.translate import Job
    from syndicate.translate.memory import TranslationMemory
    from syndicate.translate.splitter import split_sentences

    paras = paragraphs(n)
    sentences = [s for p in paras for s in split_sentences(p, "en")]
    cmd = "python bench/translation.py" + (" --quick" if args.quick else "") + (
        f" --paragraphs {args.paragraphs}" if args.paragraphs else "") + (
        f" --threads {args.threads}" if args.threads else "") + (f" --beam {args.beam}" if args.beam != 4 else "")
    print(f"# {cmd}")
    print(f"# {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"ctranslate2 {ctranslate2.__version__}, threads={args.threads or 'all'}, beam={args.beam}, int8")
    with tempfile.TemporaryDirectory(prefix="syndicate-bench-") as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        pkg_dir = build_package(tmp / "packages", "\n".join(sentences + copy_model.TEXT.splitlines()))
        print(f"# synthetic package: {LAYERS}+{LAYERS} layers, d_model {D_MODEL}, {HEADS} heads, FFN {FFN}, "
              f"vocab {VOCAB}; built in {time.perf_counter() - t0:.1f}s")
        print(f"# {n} paragraphs, {len(sentences)} sentences")
        sp = spm.SentencePieceProcessor(model_file=str(pkg_dir / "sentencepiece.model"))

        argos_out, t_a, rss_a = run_argos(pkg_dir, paras, args.beam, args.threads)

        # One article per 4 paragraphs, as a run would bring them.
        jobs = [
            Job(f"a{i}", f"h{i}", "en", "vi", f"Police news {i}", [Block("p", p) for p in paras[i : i + 4]])
            for i in range(0, n, 4)
        ]
        store = Store(tmp / "bench.sqlite")
        memory = TranslationMemory(store)
        engine, outs_b, t_b, rss_b, st_b = run_engine(pkg_dir.parent, jobs, memory, args.beam, args.threads)
        _, outs_c, t_c, rss_c, st_c = run_engine(pkg_dir.parent, jobs, memory, args.beam, args.threads, engine)
        store.close()

    engine_paras = [b.text for o in outs_b for b in o.blocks]
    copied_a = sum(o == p for o, p in zip(argos_out, paras))
    copied_b = sum(o == p for o, p in zip(engine_paras, paras))
    segs_b = st_b.segments  # sentences + one title per article
    tok_a = count_tokens(sp, argos_out)
    tok_b = count_tokens(sp, engine_paras + [o.title for o in outs_b])
    tok_c = count_tokens(sp, [b.text for o in outs_c for b in o.blocks] + [o.title for o in outs_c])
    rows = [
        ("(a) argostranslate PackageTranslation", len(sentences), tok_a, t_a, rss_a, f"{copied_a}/{n} paragraphs exact"),
        ("(b) syndicate engine, batched", segs_b, tok_b, t_b, rss_b,
         f"{copied_b}/{n} exact, {st_b.engine_calls} engine calls"),
        ("(c) (b) again, translation memory warm", st_c.segments, tok_c, t_c, rss_c,
         f"{st_c.memory_hits} hits, {st_c.engine_calls} engine calls"),
    ]
    print()
    print(f"{'path':42} {'segments':>8} {'seconds':>9} {'sent/s':>9} {'tgt tok/s':>10} {'peak RSS':>9}  notes")
    for name, segs, toks, dt, rss, note in rows:
        print(f"{name:42} {segs:8d} {dt:9.2f} {segs / dt:9.1f} {toks / dt:10.0f} {rss / 2**20:7.0f}MB  {note}")
    # Compare throughput per sentence: (b) also translates one title per article.
    speedup = (segs_b / t_b) / (len(sentences) / t_a)
    tm = t_b / t_c
    print()
    print(f"speedup_vs_argos={speedup:.1f} tm_rerun_speedup={tm:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
