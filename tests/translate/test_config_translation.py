"""[translation] settings are checked when the config loads."""
from __future__ import annotations

import pytest

from syndicate.config import ConfigError, load


@pytest.mark.parametrize(
    "line, message",
    [
        ('compute_type = "int9"', "translation.compute_type: must be one of"),
        ("inter_threads = 0", "translation.inter_threads: must be at least 1"),
        ("intra_threads = -1", "translation.intra_threads: must be at least 0"),
        ("max_batch_tokens = 0", "translation.max_batch_tokens: must be at least 16"),
        ("beam_size = 0", "translation.beam_size: must be at least 1"),
        ('device = "tpu"', "translation.device"),
        ("beam = 4", "translation.beam: unknown key"),
        ('batch_type = "sentences"', "translation.batch_type: must be tokens or examples"),
        ("max_batch_examples = 0", "translation.max_batch_examples: must be at least 1"),
    ],
)
def test_bad_translation_settings_name_the_key(tmp_path, line, message):
    p = tmp_path / "config.toml"
    p.write_text(f"[translation]\n{line}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load(p)


def test_defaults(tmp_path):
    p = tmp_path / "config.toml"
    p.write_text("", encoding="utf-8")
    tr = load(p).translation
    assert (tr.packages_dir, tr.device, tr.compute_type, tr.beam_size) == (None, "cpu", "int8", 4)
