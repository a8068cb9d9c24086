"""A feeds folder that holds, or sits inside, a folder of private files is
refused at config load (issue 13): the server publishes everything under
paths.feeds, so `feeds = "."` served config.toml, the database and the
inbox drafts. The error names both keys."""
from __future__ import annotations

import pytest

from syndicate.config import ConfigError, load

INBOX = '[[sources]]\nname = "inbox"\ntype = "inbox"\npath = "inbox"\n'


def write(tmp_path, text: str):
    p = tmp_path / "site" / "config.toml"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "text, keys",
    [
        ('[paths]\nfeeds = "."\n', ["paths.feeds", "paths.data"]),  # the config folder: data is inside it
        ('[paths]\nfeeds = ".."\n', ["paths.feeds", "paths.data"]),
        ('[paths]\nfeeds = "data"\n', ["paths.feeds", "paths.data"]),
        ('[paths]\nfeeds = "data/public"\n', ["paths.feeds", "paths.data"]),
        ('[paths]\ndata = "feeds/db"\n', ["paths.feeds", "paths.data"]),
        ('[paths]\nfeeds = "inbox/out"\n' + INBOX, ["paths.feeds", "sources[0].path"]),
        ('[paths]\nfeeds = "rejected"\n' + INBOX, ["paths.feeds", "rejected folder of sources[0].path"]),
        ('[paths]\nfeeds = "glossary"\n', ["paths.feeds", "glossary.dir"]),
        ('[paths]\nfeeds = "models"\n[translation]\npackages_dir = "models/argos"\n',
         ["paths.feeds", "translation.packages_dir"]),
    ],
)
def test_overlapping_feeds_folder_is_refused_naming_both_keys(tmp_path, text, keys):
    with pytest.raises(ConfigError) as e:
        load(write(tmp_path, text))
    for key in keys:
        assert key in str(e.value)
    assert "overlaps" in str(e.value)


def test_feeds_folder_holding_the_config_file_is_refused(tmp_path):
    """Every other folder elsewhere, the config file itself is still inside."""
    text = ('[paths]\nfeeds = "."\ndata = "/var/lib/x/data"\n[glossary]\ndir = "/var/lib/x/glossary"\n')
    with pytest.raises(ConfigError, match=r"paths.feeds: .* contains the config file .*config.toml"):
        load(write(tmp_path, text))


def test_the_usual_layout_side_by_side_is_accepted(tmp_path):
    """Feeds beside data, inbox, rejected and glossary, all in the config's folder."""
    cfg = load(write(tmp_path, '[translation]\npackages_dir = "packages"\n' + INBOX))
    root = tmp_path / "site"
    assert cfg.feeds_dir == root / "feeds" and cfg.data_dir == root / "data"
    # A name that merely starts like another folder's is not inside it.
    cfg = load(write(tmp_path, '[paths]\nfeeds = "data-public"\n'))
    assert cfg.feeds_dir == root / "data-public"
