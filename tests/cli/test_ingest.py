"""`syndicate ingest` applies the configured size limit, as the inbox does."""
from __future__ import annotations

import testsite
from syndicate.exitcodes import ExitCode


def _with_limit(site, limit: int) -> None:
    text = site.config_file.read_text(encoding="utf-8")
    site.config_file.write_text(text.replace('language = "auto"', f'language = "auto"\nmax_file_bytes = {limit}', 1),
                                encoding="utf-8")


def test_ingest_honours_the_inbox_limit(site):
    sample = testsite.SAMPLES[0]
    size = sample.stat().st_size
    _with_limit(site, size - 1)
    r = site.invoke("ingest", "--source", "inbox", str(sample))
    assert r.exit_code == ExitCode.INPUT, r.output
    assert f"the limit is {size - 1}" in r.stderr
    # Any source name: the configured inbox's limit still applies.
    r = site.invoke("ingest", str(sample))
    assert r.exit_code == ExitCode.INPUT and f"the limit is {size - 1}" in r.stderr
    # --max-bytes overrides it.
    r = site.invoke("ingest", "--max-bytes", str(size), str(sample))
    assert r.exit_code == ExitCode.OK, r.output
    assert "new" in r.stdout


def test_ingest_releases_the_lock(site):
    r = site.invoke("ingest", str(testsite.SAMPLES[0]))
    assert r.exit_code == ExitCode.OK, r.output
    assert not (site.root / "data" / "syndicate.lock.owner").exists()
    assert site.invoke("run").exit_code == ExitCode.OK
