"""Argos Translate packages: discover, validate, install, remove.

argostranslate defines the package format and the default location; this
module adds what a service needs around it: a package is checked in full
(zip layout, metadata, language codes, a model that loads and runs)
before anything is written into the packages folder, and the folder comes
from the config instead of argostranslate's process-wide setting.

Listing, installing and removing never import argostranslate: importing it
creates folders under $HOME (~/.local/share/argos-translate, ~/.config,
~/.local/cache), which fails for a service whose home is read-only
(systemd's ProtectSystem=strict). Only the public index lookup
(`models install en vi`) still imports it.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

SUPPORTED = ("en", "vi")
REQUIRED_METADATA = ("from_code", "to_code", "package_version")
MAX_DOWNLOAD_BYTES = 2 * 1024**3

# Two installs or removals in one process must not interleave their
# extract-then-swap steps on the same folder.
_ARGOS_LOCK = threading.Lock()


class PackageError(Exception):
    """A package that cannot be used; the message names the file and the problem."""


@dataclass
class PackageInfo:
    src: str
    tgt: str
    version: str
    name: str  # folder name, e.g. translate-en_vi-1_0
    path: Path
    metadata: dict = field(default_factory=dict)

    @property
    def size(self) -> int:
        """Bytes on disk."""
        return sum(f.stat().st_size for f in self.path.rglob("*") if f.is_file())

    @property
    def direction(self) -> str:
        return f"{self.src}->{self.tgt}"

    @property
    def tokens(self) -> "LanguageTokens":
        """The language tokens its model needs (see LanguageTokens)."""
        return language_tokens(self.metadata)

    @property
    def copy_model(self) -> bool:
        """A test package whose model copies its input (tests/support/copy_model.py)."""
        meta = self.metadata.get("syndicate")
        return isinstance(meta, dict) and meta.get("copy_model") is True


# metadata.json keys naming a multilingual model's language tokens.
# target_prefix is argostranslate's own key (a string); the source keys are
# syndicate's. Each takes a token or a list of tokens.
TOKEN_KEYS = ("source_prefix", "source_suffix", "target_prefix")


@dataclass(frozen=True)
class LanguageTokens:
    """What a multilingual model needs around each sentence: NLLB-200 wants
    ["eng_Latn"] + pieces + ["</s>"] in and starts its output with
    "vie_Latn"; mBART-50 the same with en_XX / vi_VN; M2M-100 __en__ /
    __vi__; MADLAD-400 only "<2vi>" before the source. The engine adds
    them and strips any of them from the output."""

    source_prefix: tuple[str, ...] = ()
    source_suffix: tuple[str, ...] = ()
    target_prefix: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.source_prefix or self.source_suffix or self.target_prefix)

    def wrap(self, pieces: list[str]) -> list[str]:
        return [*self.source_prefix, *pieces, *self.source_suffix]

    def strip(self, pieces: list[str]) -> list[str]:
        """The output without the language tokens the model starts it with
        (the target prefix, or a language token the model chose to echo)."""
        drop = set(self.target_prefix) | set(self.source_prefix)
        i = 0
        while i < len(pieces) and pieces[i] in drop:
            i += 1
        return pieces[i:]

    def describe(self) -> str:
        parts = [f"{name.replace('_', ' ')} {' '.join(v)}" for name, v in
                 (("source_prefix", self.source_prefix), ("source_suffix", self.source_suffix),
                  ("target_prefix", self.target_prefix)) if v]
        return ", ".join(parts)


def _token_list(value) -> tuple[str, ...] | None:
    """A token or a list of tokens as a tuple; None when malformed."""
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, list) and all(isinstance(v, str) and v for v in value):
        return tuple(value)
    return None


def language_tokens(meta: dict) -> LanguageTokens:
    """The package's language tokens; malformed values (refused at install)
    count as none."""
    return LanguageTokens(**{k: _token_list(meta.get(k)) or () for k in TOKEN_KEYS})


def default_packages_dir() -> Path:
    """argostranslate's own folder, so packages installed by argospm or
    LibreTranslate are found too: $ARGOS_PACKAGES_DIR, else the one its
    settings.json names, else $XDG_DATA_HOME/argos-translate/packages.

    Worked out here as argostranslate's settings module does it, rather
    than by importing that module, which creates its folders in $HOME and
    so fails where the home is read-only (a hardened systemd unit)."""
    env = os.environ.get("ARGOS_PACKAGES_DIR")
    if env:
        return Path(env)
    home = Path(os.environ["SNAP_USER_DATA"]) if "SNAP" in os.environ else Path.home()
    config_home = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    try:
        settings = json.loads((config_home / "argos-translate" / "settings.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        settings = {}
    if isinstance(settings, dict) and settings.get("ARGOS_PACKAGES_DIR"):
        return Path(settings["ARGOS_PACKAGES_DIR"])
    data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return data_home / "argos-translate" / "packages"


def resolve_dir(packages_dir: Path | str | None) -> Path:
    return Path(packages_dir) if packages_dir else default_packages_dir()


def _version_key(v: str) -> tuple:
    try:
        from packaging.version import Version

        return (0, Version(v))
    except Exception:
        return (1, v)


def list_packages(packages_dir: Path | str | None = None) -> tuple[list[PackageInfo], list[str]]:
    """Installed translation packages, and one message per folder that is not one.

    A broken folder is reported rather than hiding every other package
    (argostranslate's own listing raises on the first one).
    """
    d = resolve_dir(packages_dir)
    found: list[PackageInfo] = []
    broken: list[str] = []
    if not d.is_dir():
        return found, broken
    for sub in sorted(d.iterdir()):
        if not sub.is_dir():
            continue
        try:
            meta = json.loads((sub / "metadata.json").read_text(encoding="utf-8"))
            if not isinstance(meta, dict):
                raise ValueError("metadata.json does not hold a JSON object")
        except Exception as e:
            broken.append(f"{sub}: not a package ({e})")
            continue
        # The fields argostranslate's Package reads, with its defaults.
        src, tgt = meta.get("from_code"), meta.get("to_code")
        if meta.get("type", "translate") != "translate" or not src or not tgt:
            continue
        found.append(PackageInfo(src, tgt, str(meta.get("package_version") or "0"), sub.name, sub, meta))
    found.sort(key=lambda p: (p.src, p.tgt, _version_key(p.version)))
    return found, broken


def _scan_stamp(d: Path) -> tuple:
    """Changes whenever a package is installed, replaced or removed: each of
    those adds or deletes a folder, or rewrites a metadata.json."""
    try:
        subs = sorted(d.iterdir())
    except OSError:
        return ()
    stamp = [d.stat().st_mtime_ns]
    for sub in subs:
        try:
            stamp.append((sub.name, (sub / "metadata.json").stat().st_mtime_ns))
        except OSError:
            stamp.append((sub.name, None))
    return tuple(stamp)


class PackageFolder:
    """One packages folder, for looking a direction up per article: the
    folder is re-read only when its contents changed."""

    def __init__(self, packages_dir: Path | str | None = None):
        self.path = resolve_dir(packages_dir)
        self._scan: tuple[tuple, list[PackageInfo]] | None = None

    def find(self, src: str, tgt: str) -> PackageInfo | None:
        """The newest installed package for src->tgt."""
        stamp = _scan_stamp(self.path)
        scan = self._scan
        if scan is None or scan[0] != stamp:
            # One assignment, so a thread reading it sees a whole scan.
            scan = self._scan = (stamp, list_packages(self.path)[0])
        cands = [p for p in scan[1] if (p.src, p.tgt) == (src, tgt)]
        return cands[-1] if cands else None


# --- validation --------------------------------------------------------------


@dataclass
class Validated:
    metadata: dict
    top: str  # the folder inside the zip
    src: str
    tgt: str
    version: str


def validate_zip(path: Path | str, expect: tuple[str, str] | None = None, load_model: bool = True) -> Validated:
    """Check an .argosmodel before installing it; raise PackageError naming the problem.

    Checks, in order: a readable zip; one top-level folder and no path that
    escapes it; metadata.json with the required fields; from/to codes that
    syndicate translates (and that match ``expect``); the model folder,
    vocabulary and SentencePiece files; finally that CTranslate2 loads the
    model and translates one sentence with it.
    """
    path = Path(path)
    top, have, meta_bytes = _read_zip(path)
    meta = _check_metadata(path, top, meta_bytes, expect)
    missing = [f for f in ("model/model.bin", "model/config.json", "sentencepiece.model") if f not in have]
    if not any(f.startswith("model/") and f.endswith("vocabulary.json") or f.endswith("vocabulary.txt")
               for f in have):
        missing.append("model/shared_vocabulary.json (or source/target vocabularies)")
    if missing:
        hint = " (BPE packages are not supported: syndicate needs a SentencePiece model)" if "bpe.model" in have else ""
        raise PackageError(f"{path}: missing {', '.join(top + '/' + m for m in missing)}{hint}")
    if load_model:
        with tempfile.TemporaryDirectory(prefix="syndicate-validate-") as tmp:
            with zipfile.ZipFile(path) as z:
                z.extractall(tmp)
            check_model(Path(tmp) / top, meta, label=str(path))
    return Validated(meta, top, meta["from_code"], meta["to_code"], meta["package_version"])


def _read_zip(path: Path) -> tuple[str, set[str], bytes]:
    """(the one top-level folder, the file paths under it, metadata.json's bytes)."""
    if not path.is_file():
        raise PackageError(f"{path}: no such file")
    if not zipfile.is_zipfile(path):
        raise PackageError(f"{path}: not a zip archive (an .argosmodel is a zip)")
    try:
        with zipfile.ZipFile(path) as z:
            bad = z.testzip()
            if bad is not None:
                raise PackageError(f"{path}: corrupt zip member {bad}")
            names = [n for n in z.namelist() if n and not n.endswith("/")]
            tops = set()
            for n in names:
                pp = PurePosixPath(n)
                if pp.is_absolute() or ".." in pp.parts or "\\" in n:
                    raise PackageError(f"{path}: unsafe path in archive: {n!r}")
                tops.add(pp.parts[0])
            if len(tops) != 1 or any(len(PurePosixPath(n).parts) < 2 for n in names):
                raise PackageError(
                    f"{path}: expected one top-level folder holding the package, found {sorted(tops) or 'nothing'}"
                )
            top = tops.pop()
            have = {str(PurePosixPath(n).relative_to(top)) for n in names}
            if "metadata.json" not in have:
                raise PackageError(f"{path}: missing {top}/metadata.json")
            return top, have, z.read(f"{top}/metadata.json")
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raise PackageError(f"{path}: unreadable zip ({e})") from None


def _check_metadata(path: Path, top: str, meta_bytes: bytes, expect: tuple[str, str] | None) -> dict:
    try:
        meta = json.loads(meta_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise PackageError(f"{path}: {top}/metadata.json is not valid JSON ({e})") from None
    if not isinstance(meta, dict):
        raise PackageError(f"{path}: {top}/metadata.json must hold a JSON object")
    for key in REQUIRED_METADATA:
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise PackageError(f"{path}: {top}/metadata.json: field {key!r} is missing or empty")
    if meta.get("type", "translate") != "translate":
        raise PackageError(f"{path}: {top}/metadata.json: type is {meta['type']!r}, expected 'translate'")
    src, tgt = meta["from_code"], meta["to_code"]
    for key, code in (("from_code", src), ("to_code", tgt)):
        if code not in SUPPORTED:
            raise PackageError(
                f"{path}: {top}/metadata.json: {key} {code!r} is not a language syndicate translates "
                f"({', '.join(SUPPORTED)})"
            )
    if src == tgt:
        raise PackageError(f"{path}: {top}/metadata.json: from_code and to_code are both {src!r}")
    for key in TOKEN_KEYS:
        if key in meta and _token_list(meta[key]) is None:
            raise PackageError(f"{path}: {top}/metadata.json: {key} must be a token or a list of tokens "
                               f"(got {meta[key]!r})")
    if expect and (src, tgt) != tuple(expect):
        raise PackageError(f"{path}: package translates {src}->{tgt}, expected {expect[0]}->{expect[1]}")
    return meta


def vocabulary(model_dir: Path, side: str) -> set[str] | None:
    """The CTranslate2 model's source or target vocabulary (side "source" or
    "target"), or None when its files cannot be read."""
    for name in (f"{side}_vocabulary", "shared_vocabulary"):
        for ext in ("json", "txt"):
            f = model_dir / f"{name}.{ext}"
            if not f.is_file():
                continue
            try:
                text = f.read_text(encoding="utf-8")
                return set(json.loads(text)) if ext == "json" else set(text.split("\n"))
            except (OSError, ValueError, UnicodeDecodeError, TypeError):
                return None
    return None


def _check_tokens(pkg_dir: Path, tokens: LanguageTokens, label: str) -> None:
    """A language token the vocabulary lacks would silently become <unk>
    and the model would translate into whatever language it likes."""
    for side, want in (("source", tokens.source_prefix + tokens.source_suffix), ("target", tokens.target_prefix)):
        vocab = vocabulary(pkg_dir / "model", side) if want else None
        missing = [t for t in want if vocab is not None and t not in vocab]
        if missing:
            raise PackageError(f"{label}: metadata.json names language token(s) {', '.join(missing)} "
                               f"that the model's {side} vocabulary does not have")


def check_model(pkg_dir: Path, meta: dict, label: str = "") -> None:
    """Load the model and the SentencePiece model and translate one short
    sentence: a truncated or corrupt model.bin fails here, not in a run."""
    import ctranslate2
    import sentencepiece as spm

    label = label or str(pkg_dir)
    try:
        sp = spm.SentencePieceProcessor(model_file=str(pkg_dir / "sentencepiece.model"))
    except Exception as e:
        raise PackageError(f"{label}: sentencepiece.model does not load ({e})") from None
    tokens = language_tokens(meta)
    _check_tokens(pkg_dir, tokens, label)
    try:
        tr = ctranslate2.Translator(str(pkg_dir / "model"), device="cpu", compute_type="auto")
        prefix = [list(tokens.target_prefix)] if tokens.target_prefix else None
        tr.translate_batch([tokens.wrap(sp.encode("Hello.", out_type=str))], target_prefix=prefix,
                           beam_size=1, max_decoding_length=16)
    except Exception as e:
        raise PackageError(f"{label}: the CTranslate2 model does not load or run ({e})") from None


# --- install / remove ----------------------------------------------------------


def _download(url: str, dest: Path, timeout: float = 60.0) -> Path:
    import requests

    try:
        with requests.get(url, stream=True, timeout=timeout) as r:
            r.raise_for_status()
            n = 0
            with open(dest, "wb") as f:
                for chunk in r.iter_content(1 << 20):
                    n += len(chunk)
                    if n > MAX_DOWNLOAD_BYTES:
                        raise PackageError(f"{url}: larger than {MAX_DOWNLOAD_BYTES} bytes; refusing")
                    f.write(chunk)
    except requests.RequestException as e:
        raise PackageError(f"{url}: download failed ({e})") from None
    return dest


@dataclass
class Installed:
    package: PackageInfo
    replaced: list[PackageInfo]


def install(source: str | Path, packages_dir: Path | str | None = None,
            expect: tuple[str, str] | None = None) -> Installed:
    """Validate, then extract into ``packages_dir`` as argostranslate would.

    Installed packages of the same direction are removed after the new one
    is in place, so a direction is never left without a model. Nothing is
    written when validation fails.
    """
    d = resolve_dir(packages_dir)
    with tempfile.TemporaryDirectory(prefix="syndicate-install-") as tmp:
        src = str(source)
        if src.startswith(("http://", "https://")):
            path = _download(src, Path(tmp) / "download.argosmodel")
        else:
            path = Path(src).expanduser()
        v = validate_zip(path, expect=expect)
        d.mkdir(parents=True, exist_ok=True)
        target = d / v.top
        old = [p for p in list_packages(d)[0] if (p.src, p.tgt) == (v.src, v.tgt) and p.path != target]
        if target.exists():
            # Same folder name: replace it whole, so no stale file of the old
            # version survives the extraction on top of it.
            shutil.rmtree(target)
        with _ARGOS_LOCK:
            try:
                # validate_zip checked every member stays inside the one folder.
                with zipfile.ZipFile(path) as z:
                    z.extractall(d)
            except Exception as e:
                shutil.rmtree(target, ignore_errors=True)
                raise PackageError(f"{path}: install failed ({e})") from None
    for p in old:
        shutil.rmtree(p.path, ignore_errors=True)
    info = next(p for p in list_packages(d)[0] if p.path == target)
    return Installed(info, old)


def remove(packages_dir: Path | str | None, which: str) -> list[PackageInfo]:
    """Remove packages by direction ("en-vi", "en->vi") or folder name."""
    d = resolve_dir(packages_dir)
    key = which.replace("->", "-").replace("_", "-")
    pkgs = list_packages(d)[0]
    chosen = [p for p in pkgs if p.name == which or f"{p.src}-{p.tgt}" == key]
    if not chosen:
        have = ", ".join(f"{p.direction} ({p.name})" for p in pkgs) or "none"
        raise PackageError(f"no installed package matches {which!r} in {d} (installed: {have})")
    with _ARGOS_LOCK:
        for p in chosen:
            shutil.rmtree(p.path)
    return chosen


# --- the public Argos index ------------------------------------------------------


class IndexUnavailable(PackageError):
    pass


def available_packages(src: str, tgt: str, timeout: float = 20.0) -> list:
    """Packages for src->tgt in the public Argos index.

    argostranslate's get_available_packages() recurses forever when the
    index cannot be fetched and no copy is cached, so fetch it first and
    fail plainly when that does not work.
    """
    from argostranslate import package, settings

    index = Path(settings.local_package_index)
    old_timeout = socket.getdefaulttimeout()
    socket.setdefaulttimeout(timeout)
    try:
        package.update_package_index()
    finally:
        socket.setdefaulttimeout(old_timeout)
    if not index.exists():
        raise IndexUnavailable(
            f"the Argos package index at {settings.remote_package_index} could not be fetched "
            "(offline?) and no cached copy exists"
        )
    try:
        pkgs = package.get_available_packages()
    except Exception as e:
        raise IndexUnavailable(f"the Argos package index {index} is unreadable ({e})") from None
    return [p for p in pkgs if p.type == "translate" and (p.from_code, p.to_code) == (src, tgt)]


ALTERNATIVES = """\
The public Argos index has no {src}->{tgt} package{why}. Alternatives:
  1. Install a package file or URL you have:
       syndicate models install FILE.argosmodel
       syndicate models install https://example.org/translate-{src}_{tgt}.argosmodel
  2. Convert the OPUS-MT Marian model Helsinki-NLP/opus-mt-{src}-{tgt} with
     CTranslate2's converter and package it as an .argosmodel: see
     README.md, "Converting OPUS-MT", for the exact steps.
"""
