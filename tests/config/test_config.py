import dataclasses
from pathlib import Path

import pytest

from syndicate import config
from syndicate.config import ConfigError, load
from syndicate.sources.fetch import FetchOptions

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
    assert cfg.translation.compute_type == "int8"


def test_relative_paths_resolve_against_the_config_folder(tmp_path):
    cfg = load(write(tmp_path, '[paths]\ndata = "../d"\n[[sources]]\nname="a"\ntype="inbox"\npath="in"\n'))
    assert cfg.data_dir == tmp_path / "d"
    assert cfg.sources[0].path == tmp_path / "sub" / "in"
    assert cfg.site.base_url.endswith("/")


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


def test_sections_are_frozen_and_typed(tmp_path):
    cfg = load(write(tmp_path, "[server]\nport = 9000\n"))
    assert isinstance(cfg.server, config.Server) and cfg.server.port == 9000
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.server.port = 1


def test_defaults_are_the_dataclass_defaults(tmp_path):
    cfg = load(write(tmp_path, "[[sources]]\nname='a'\ntype='inbox'\npath='in'\n"))
    assert cfg.site == config.Site()
    assert cfg.schedule == config.Schedule() and cfg.server == config.Server() and cfg.websub == config.WebSub()
    assert cfg.translation == config.Translation()
    assert cfg.sources[0].max_file_bytes == config.Source.max_file_bytes
    # The fetcher states no defaults of its own.
    fetch_defaults = FetchOptions()
    for f in dataclasses.fields(FetchOptions):
        if f.name != "user_agent":
            assert getattr(fetch_defaults, f.name) == getattr(config.Source, f.name), f.name


def test_unknown_key_lists_the_dataclass_fields(tmp_path):
    with pytest.raises(ConfigError) as e:
        load(write(tmp_path, "[websub]\nhubb = 'x'\n"))
    assert "websub.hubb: unknown key (known: hub)" in str(e.value)


def test_all_keys_names_every_section_key():
    keys = config.all_keys()
    assert keys[0] == "site.base_url"
    assert {"paths.data", "translation.packages_dir", "glossary.dir", "schedule.cron", "server.port", "websub.hub",
            "sources.name", "sources.user_agent"} <= set(keys)
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    "text, message",
    [
        ("[server]\nthreads = 0\n", "server.threads: must be at least 1"),
        ("[server]\nconnection_limit = 0\n", "server.connection_limit: must be at least 1"),
        ("[server]\nheader_timeout = 0\n", "server.header_timeout: must be at least 1"),
        ("[server]\nmax_request_header_size = 10\n", "server.max_request_header_size: must be at least 1024"),
        ("[retention]\nruns_days = -1\n", "retention.runs_days: must be at least 0"),
        ("[retention]\nprune_batch = 0\n", "retention.prune_batch: must be at least 1"),
        ("[retention]\nreject_days = 3\n", "retention.reject_days: unknown key"),
        ("[[sources]]\nname='f'\ntype='feed'\nurl='http://x/'\nmax_items = 0\n", "sources[0].max_items: must be at least 1"),
    ],
)
def test_limits_and_retention_are_checked(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load(write(tmp_path, text))
