"""A real Argos Translate package whose model copies its input, for tests.

Nothing is downloaded: the SentencePiece model is trained here on a small
English + Vietnamese text, and the CTranslate2 Transformer is written
weight by weight from numpy, so that it outputs its input token by token.
The output is a genuine .argosmodel zip that argostranslate installs and
CTranslate2 loads, so tests exercise the real inference path.

API (import as ``import copy_model``; tests/support is on sys.path)::

    path = copy_model.build_package(tmp / "en_vi.argosmodel", "en", "vi")
    pkg_dir = copy_model.install_package(path, packages_dir)   # via argostranslate

    build_package(out_path, src="en", tgt="vi", *, version="1.0",
                  vocab_size=600, max_positions=256, quantization=None,
                  declare_copy=True, text=None) -> Path
        Writes the .argosmodel zip. ``declare_copy`` writes
        ``"syndicate": {"copy_model": true}`` into metadata.json, which tells
        syndicate's output checks that "translation == source" is expected
        from this model (pass False to see the untranslated-copy check fire).
        ``language_tokens`` makes the multilingual variant: the vocabulary
        gains M2M-100-style tokens ``__en__`` / ``__vi__``, metadata.json
        declares ``source_prefix`` (the source's token) and
        ``target_prefix`` (the target's), and the decoder starts with the
        target token: CTranslate2 forces it at step 0, where the copy would
        have put the source token, so the output is the target token and
        then the copy. The engine must add and strip them for a clean copy.
    build_package_dir(dir, src, tgt, ...) -> Path   # the unzipped package folder
    install_package(path, packages_dir) -> Path     # the installed package folder
    TEXT                                            # the training text

Command line (from the repo root)::

    python tests/support/copy_model.py --from en --to vi --out FILE.argosmodel

How the copy works (one encoder and one decoder layer, pre-norm, d_model =
V + P + 1, one attention head):

- encoder token embeddings are one-hot in dims [0, V); position encodings,
  set here rather than sinusoidal, are one-hot in dims [V, V+P);
- self-attention and feed-forward outputs are zero, so residuals pass the
  embeddings through unchanged;
- the decoder's token embeddings are zero but for a constant 1 in the last
  dim: it needs only its position;
- encoder-decoder attention: queries and keys read only the position dims,
  scaled so that decoder step t attends to source position t alone; values
  read only the token dims, and the output projection puts them back there;
- the output projection reads the token dims, so the argmax at step t is
  source token t;
- ``add_source_eos`` is on, so after the last token step n attends to the
  source's ``</s>`` and the copy ends; keys of the ``</s>`` position also
  answer the decoder's constant dim at half strength, so any step past the
  end (a beam that strayed) attends there too and ends at once: beam
  search finishes as soon as the copy does.

Layer norms subtract the same mean from every dim and divide by the same
std at every position (one-hot inputs all have the same mean and norm), so
they shift all logits equally and change no argmax.
"""
from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import threading
import zipfile
from pathlib import Path

import numpy as np

# Small mixed English/Vietnamese text for the SentencePiece model. It holds
# every Vietnamese letter with every tone so no common character falls back
# to bytes, and typical news vocabulary of both languages.
TEXT = """\
The Ministry of Public Security held a conference in Hanoi on Monday.
General To Lam, Politburo member and Minister of Public Security, chaired the meeting.
Major General Le Tan Toi said the police had arrested 3,489 suspects in 2019.
The Provincial Police Department seized 1,000,000 dong and 12 motorbikes.
Colonel Nguyen Van Hung, Director of the Department, reported on the case.
"We will protect national security," he said. The people support the police.
Lt. Col. Tran Minh Tam of Ho Chi Minh City police answered questions from reporters.
On the same day, the delegation visited Da Nang, Hue and Can Tho.
Photo: Delegates attend the meeting. By Linh Anh. No. 12, U.S. Mr. Gen. Maj.
Bộ Công an tổ chức hội nghị tại Hà Nội vào thứ Hai.
Đại tướng Tô Lâm, Ủy viên Bộ Chính trị, Bộ trưởng Bộ Công an chủ trì hội nghị.
Thiếu tướng Lê Tấn Tới cho biết lực lượng công an đã bắt giữ 3.489 đối tượng.
Công an tỉnh thu giữ 1.000.000 đồng và 12 xe máy. Người dân ủng hộ công an.
Đại tá Nguyễn Văn Hùng, Giám đốc Công an tỉnh, báo cáo về vụ án.
"Chúng tôi sẽ bảo vệ an ninh Tổ quốc," ông nói. Toàn dân bảo vệ an ninh Tổ quốc.
Trung tá Trần Minh Tâm, Công an TP. Hồ Chí Minh, trả lời phóng viên. ThS. Lê Thị Hòa.
Cùng ngày, đoàn công tác đã đến thăm Đà Nẵng, Huế và Cần Thơ; thời tiết khỏe, thủy, hòa.
Ảnh: Các đại biểu dự hội nghị. Phòng chống tín dụng đen, ma túy, buôn lậu.
a à á ả ã ạ ă ằ ắ ẳ ẵ ặ â ầ ấ ẩ ẫ ậ e è é ẻ ẽ ẹ ê ề ế ể ễ ệ i ì í ỉ ĩ ị
o ò ó ỏ õ ọ ô ồ ố ổ ỗ ộ ơ ờ ớ ở ỡ ợ u ù ú ủ ũ ụ ư ừ ứ ử ữ ự y ỳ ý ỷ ỹ ỵ đ
A À Á Ả Ã Ạ Ă Ằ Ắ Ẳ Ẵ Ặ Â Ầ Ấ Ẩ Ẫ Ậ E È É Ẻ Ẽ Ẹ Ê Ề Ế Ể Ễ Ệ I Ì Í Ỉ Ĩ Ị
O Ò Ó Ỏ Õ Ọ Ô Ồ Ố Ổ Ỗ Ộ Ơ Ờ Ớ Ở Ỡ Ợ U Ù Ú Ủ Ũ Ụ Ư Ừ Ứ Ử Ữ Ự Y Ỳ Ý Ỷ Ỹ Ỵ Đ
0 1 2 3 4 5 6 7 8 9 . , ; : ! ? ' " ( ) [ ] - – — … “ ” ‘ ’ / % & @ # * _ + =
"""

LANG_NAMES = {"en": "English", "vi": "Vietnamese"}


def lang_token(code: str) -> str:
    """The multilingual variant's language token (M2M-100's form)."""
    return f"__{code}__"

# argostranslate installs into one module-level folder; swapping it must not
# race with another thread doing the same.
_INSTALL_LOCK = threading.Lock()


def train_sentencepiece(prefix: Path, vocab_size: int = 600, text: str | None = None) -> Path:
    """Train a SentencePiece model in-process; returns ``prefix.model``.

    byte_fallback: a character never seen in training still round-trips,
    as bytes. identity normalization: the model sees exactly our text, so a
    copy is character-exact (NFC Vietnamese stays NFC).
    """
    import sentencepiece as spm

    lines = (text or TEXT).splitlines()
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter([ln for ln in lines if ln.strip()] * 4),
        model_writer=model,
        model_type="unigram",
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        byte_fallback=True,
        character_coverage=1.0,
        normalization_rule_name="identity",
        split_digits=True,
        minloglevel=2,
    )
    out = Path(f"{prefix}.model")
    out.write_bytes(model.getvalue())
    return out


def _vocab(sp_model: Path) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(sp_model))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def _linear(spec, weight: np.ndarray, bias: np.ndarray | None = None) -> None:
    spec.weight = np.ascontiguousarray(weight, dtype=np.float32)
    spec.bias = np.zeros(weight.shape[0], np.float32) if bias is None else bias.astype(np.float32)


def _norm(spec, d: int) -> None:
    spec.gamma = np.ones(d, np.float32)
    spec.beta = np.zeros(d, np.float32)


def copy_spec(
    token_vectors: np.ndarray,
    position_vectors: np.ndarray,
    *,
    d_model: int | None = None,
    num_layers: int = 1,
    num_heads: int = 1,
    ffn_dim: int = 16,
    attention_scale: float = 40.0,
    output_scale: float = 40.0,
    noise: float = 0.0,
    seed: int = 0,
    eos_id: int | None = None,
    eos_bonus: float = 0.5,
):
    """A TransformerSpec that copies its input.

    token_vectors [V, dt] and position_vectors [P, dp] are the embeddings
    (one-hot here; random near-orthogonal in the benchmark). Token vectors
    live in dims [0, dt), positions in [dt, dt+dp). Every attention head's
    query/key slice reads the same position dims, so all heads agree on
    where to look; values carry the token dims whole. ``noise`` puts tiny
    random weights where the copy needs zeros (realistic int8 ranges and
    compute in the benchmark); it must stay far below the copy's margins.

    ``eos_id``: also make every decoder step past the end of the source
    attend to the source's ``</s>``, so the output ends there. Without it a
    beam that strays at the last step finds no matching position, never
    ends, and beam search runs to max_decoding_length (several times
    slower). Every decoder input carries a constant 1 in one extra dim B;
    queries read B and keys read the ``</s>`` token with weight
    ``eos_bonus`` (< 1), so an exact position match still wins while there
    is one. Needs one dim beyond tokens and positions, and in each head.
    """
    from ctranslate2.specs import transformer_spec

    V, dt = token_vectors.shape
    P, dp = position_vectors.shape
    extra = 0 if eos_id is None else 1
    d = d_model or dt + dp + extra
    if d < dt + dp + extra or d % num_heads:
        raise ValueError(f"d_model {d} must hold {dt}+{dp}+{extra} dims and divide into {num_heads} heads")
    dh = d // num_heads
    if dp + extra > dh:
        raise ValueError(f"position dims ({dp}+{extra}) must fit one head ({dh})")
    rng = np.random.default_rng(seed)

    def small(*shape):
        return (rng.standard_normal(shape) * noise).astype(np.float32)

    tok = np.zeros((V, d), np.float32)
    tok[:, :dt] = token_vectors
    pos = np.zeros((P, d), np.float32)
    pos[:, dt : dt + dp] = position_vectors

    # Query/key: read the position dims into every head's first dp dims.
    # CTranslate2 multiplies queries by 1/sqrt(dh); undo that and sharpen.
    q = np.zeros((d, d), np.float32)
    for h in range(num_heads):
        q[h * dh + np.arange(dp), dt + np.arange(dp)] = 1.0
    k = q.copy()
    B = dt + dp  # the constant dim of decoder inputs
    if eos_id is not None:
        for h in range(num_heads):
            q[h * dh + dp, B] = 1.0
            k[h * dh + dp, :dt] = eos_bonus * token_vectors[eos_id]
    # Values and the attention output: the token dims, unchanged.
    sel_tok = np.zeros((d, d), np.float32)
    sel_tok[np.arange(dt), np.arange(dt)] = 1.0

    spec = transformer_spec.TransformerSpec.from_config(num_layers, num_heads, pre_norm=True)
    enc, dec = spec.encoder, spec.decoder
    enc.scale_embeddings = False
    dec.scale_embeddings = False
    enc.embeddings[0].weight = tok
    enc.position_encodings.encodings = pos
    # The decoder needs only its position: its token embeddings are zero
    # (or noise), plus the constant dim B when ending on </s> is wanted.
    dec.embeddings.weight = small(V, d)
    if eos_id is not None:
        dec.embeddings.weight[:, B] += 1.0
    dec.position_encodings.encodings = pos
    _norm(enc.layer_norm, d)
    _norm(dec.layer_norm, d)

    def zero_ffn(ffn):
        _norm(ffn.layer_norm, d)
        _linear(ffn.linear_0, small(ffn_dim, d))
        _linear(ffn.linear_1, small(d, ffn_dim))

    for layer in enc.layer:
        _norm(layer.self_attention.layer_norm, d)
        _linear(layer.self_attention.linear[0], small(3 * d, d))
        _linear(layer.self_attention.linear[1], small(d, d))
        zero_ffn(layer.ffn)
    for i, layer in enumerate(dec.layer):
        _norm(layer.self_attention.layer_norm, d)
        _linear(layer.self_attention.linear[0], small(3 * d, d))
        _linear(layer.self_attention.linear[1], small(d, d))
        _norm(layer.attention.layer_norm, d)
        if i == len(dec.layer) - 1:
            # Only the last decoder layer copies: earlier ones would add the
            # token again and the residual would carry two copies.
            _linear(layer.attention.linear[0], q * attention_scale * np.sqrt(dh))
            _linear(layer.attention.linear[1], np.concatenate([k, sel_tok]))
            _linear(layer.attention.linear[2], sel_tok)
        else:
            _linear(layer.attention.linear[0], small(d, d))
            _linear(layer.attention.linear[1], small(2 * d, d))
            _linear(layer.attention.linear[2], small(d, d))
        zero_ffn(layer.ffn)
    # Output projection: score each vocabulary entry against the token dims.
    proj = np.zeros((V, d), np.float32)
    proj[:, :dt] = token_vectors * output_scale
    _linear(dec.projection, proj)
    spec.config.add_source_eos = True
    return spec


def build_model_dir(
    model_dir: Path,
    vocab: list[str],
    *,
    max_positions: int = 256,
    quantization: str | None = None,
) -> Path:
    """Write a one-hot copy model for ``vocab`` as a CTranslate2 model folder."""
    V = len(vocab)
    spec = copy_spec(np.eye(V, dtype=np.float32), np.eye(max_positions, dtype=np.float32),
                     eos_id=vocab.index("</s>"))
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.optimize(quantization=quantization)
    model_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(model_dir))
    return model_dir


def metadata(src: str, tgt: str, version: str = "1.0", declare_copy: bool = True,
             max_positions: int = 256, language_tokens: bool = False) -> dict:
    meta = {
        "package_version": version,
        "argos_version": "1.0",
        "from_code": src,
        "from_name": LANG_NAMES.get(src, src),
        "to_code": tgt,
        "to_name": LANG_NAMES.get(tgt, tgt),
        "type": "translate",
        "links": [],
    }
    # The learned position table ends at max_positions: say so, so an engine
    # can truncate instead of failing a batch on one overlong sentence.
    meta["syndicate"] = {"max_input_tokens": max_positions}
    if declare_copy:
        meta["syndicate"]["copy_model"] = True
    if language_tokens:
        meta["source_prefix"] = [lang_token(src)]
        meta["target_prefix"] = lang_token(tgt)
    return meta


def build_package_dir(
    pkg_dir: Path,
    src: str = "en",
    tgt: str = "vi",
    *,
    version: str = "1.0",
    vocab_size: int = 600,
    max_positions: int = 256,
    quantization: str | None = None,
    declare_copy: bool = True,
    text: str | None = None,
    language_tokens: bool = False,
) -> Path:
    """Write the unzipped package: metadata.json, sentencepiece.model, model/."""
    pkg_dir = Path(pkg_dir)
    pkg_dir.mkdir(parents=True, exist_ok=True)
    sp_model = train_sentencepiece(pkg_dir / "sentencepiece", vocab_size, text)
    # Like NLLB's and M2M-100's, the language tokens are in the model's
    # vocabulary, not in the SentencePiece model: text never produces them.
    extra = [lang_token(c) for c in LANG_NAMES] if language_tokens else []
    build_model_dir(pkg_dir / "model", _vocab(sp_model) + extra, max_positions=max_positions,
                    quantization=quantization)
    (pkg_dir / "metadata.json").write_text(
        json.dumps(metadata(src, tgt, version, declare_copy, max_positions, language_tokens), indent=2),
        encoding="utf-8",
    )
    (pkg_dir / "README.md").write_text(
        f"Test copy model {src}->{tgt}: outputs its input. Built by tests/support/copy_model.py.\n",
        encoding="utf-8",
    )
    return pkg_dir


def zip_package(pkg_dir: Path, out_path: Path) -> Path:
    """Zip a package folder as an .argosmodel: one top-level folder inside."""
    pkg_dir, out_path = Path(pkg_dir), Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out_path, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(pkg_dir.rglob("*")):
            if f.is_file():
                z.write(f, f"{pkg_dir.name}/{f.relative_to(pkg_dir).as_posix()}")
    return out_path


def build_package(out_path, src: str = "en", tgt: str = "vi", **kw) -> Path:
    """Build a copy-model .argosmodel at ``out_path``; see build_package_dir for options."""
    out_path = Path(out_path)
    version = kw.get("version", "1.0")
    with tempfile.TemporaryDirectory() as tmp:
        pkg_dir = Path(tmp) / f"translate-{src}_{tgt}-{version.replace('.', '_')}"
        build_package_dir(pkg_dir, src, tgt, **kw)
        return zip_package(pkg_dir, out_path)


def install_package(path, packages_dir) -> Path:
    """Install an .argosmodel into ``packages_dir`` through argostranslate.

    argostranslate always extracts into its module-level
    ``settings.package_data_dir``; point it at ``packages_dir`` for the call.
    """
    from argostranslate import package, settings

    path, packages_dir = Path(path), Path(packages_dir)
    packages_dir.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path) as z:
        top = z.namelist()[0].split("/")[0]
    with _INSTALL_LOCK:
        old = settings.package_data_dir
        settings.package_data_dir = packages_dir
        try:
            package.install_from_path(path)
        finally:
            settings.package_data_dir = old
    return packages_dir / top


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Build a test Argos package whose model copies its input.")
    ap.add_argument("--from", dest="src", default="en")
    ap.add_argument("--to", dest="tgt", default="vi")
    ap.add_argument("--out", required=True, type=Path, help="output FILE.argosmodel")
    ap.add_argument("--version", default="1.0")
    ap.add_argument("--quantization", default=None, help="e.g. int8 (default: float32 weights)")
    ap.add_argument("--language-tokens", action="store_true",
                    help="the multilingual variant: __en__/__vi__ source and target tokens")
    args = ap.parse_args(argv)
    out = build_package(args.out, args.src, args.tgt, version=args.version, quantization=args.quantization,
                        language_tokens=args.language_tokens)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
