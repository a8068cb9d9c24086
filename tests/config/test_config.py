from pathlib import Path

import pytest

from syndicate.config import ConfigError, load

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path, text):
    p = tmp_path / "sub" / "c.toml"
    p.parent.mkdir(exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def test_shipped_default_config_loads():
    cfg = load(REPO / "config.toml")
    assert cfg.sources[0].type == "inbox"
    assert cfg.sources[0].path == REPO / "inbox"
    assert cfg.feeds_dir == REPO / "feeds"
    assert cfg.translation["compute_type"] == "int8"


def test_relative_paths_resolve_against_the_config_folder(tmp_path):
    cfg = load(write(tmp_path, '[paths]\ndata = "../d"\n[[sources]]\nname="a"\ntype="inbox"\npath="in"\n'))
    assert cfg.data_dir == tmp_path / "d"
    assert cfg.sources[0].path == tmp_path / "sub" / "in"
    assert cfg.site["base_url"].endswith("/")


@pytest.mark.parametrize(
    "text, message",
    [
        ("[site]\ntitel = 'x'\n", "site.titel: unknown key"),
        ("[sitee]\n", "sitee: unknown section"),
        ("[server]\nport = 'eighty'\n", "server.port: expected int, got str"),
        ("[server]\nport = true\n", "server.port: expected int, got bool"),
        ("[server]\nport = 70000\n", "server.port: must be 0..65535"),
        ("[site]\nbase_url = 'feeds.example'\n", "site.base_url: must start with http"),
        ("[schedule]\ninterval_minutes = 0\n", "schedule.interval_minutes: must be at least 1"),
        ("[schedule]\ncron = 'every day'\n", "schedule.cron:"),
        ("[translation]\ndevice = 'tpu'\n", "translation.device: must be cpu, cuda or auto"),
        ("[[sources]]\nname='a'\ntype='ftp'\n", "sources[0].type: must be one of inbox, feed"),
        ("[[sources]]\nname='a'\ntype='inbox'\npath='x'\nlanguage='fr'\n", "sources[0].language: must be en, vi or auto"),
        ("[[sources]]\ntype='inbox'\npath='x'\n", "sources[0].name: required key is missing"),
        ("[[sources]]\nname='a'\ntype='inbox'\n", "sources[0].path: required for an inbox source"),
        ("[[sources]]\nname='a'\ntype='feed'\nurl='ftp://x'\n", "sources[0].url: required for a feed source"),
        ("[[sources]]\nname='a'\ntype='inbox'\npath='x'\n[[sources]]\nname='a'\ntype='inbox'\npath='y'\n",
         "sources[1].name: duplicate source name 'a'"),
        ("[site\n", "c.toml"),
    ],
)
def test_bad_configs_name_the_key(tmp_path, text, message):
    p = write(tmp_path, text)
    with pytest.raises(ConfigError) as e:
        load(p)
    assert message in str(e.value)
    assert str(p) in str(e.value)


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load(tmp_path / "nope.toml")
