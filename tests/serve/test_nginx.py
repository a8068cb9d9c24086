"""nginx serving the feeds folder itself, configured exactly as the README
says (issue 12, item 8): a browser opening a feed gets the language's page
there too, feed readers get the feed with its type, and the folder's
README.md, dotfiles and listings are refused.

The configuration is read from README.md, so the README cannot drift from
what is tested. Needs the nginx binary (CI installs it with apt-get).
"""
from __future__ import annotations

import getpass
import os
import re
import shutil
import subprocess
import time

import pytest
import requests

import testsite
from syndicate.pipeline import run_cycle
from syndicate.store import Store

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
           "Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate"}
READER = {"Accept": "application/atom+xml,application/rdf+xml,application/rss+xml,application/x-netcdf,"
                    "application/xml;q=0.9,text/xml;q=0.2,*/*;q=0.1"}


def readme_static_config() -> str:
    readme = (testsite.REPO / "README.md").read_text(encoding="utf-8")
    after = readme[readme.index("Alternatively nginx can serve the feeds folder itself"):]
    return re.search(r"```nginx\n(.*?)```", after, re.S).group(1)


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    exe = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)
    if exe is None:
        pytest.skip("nginx is not installed (.ci/run installs it with apt-get)")
    root = tmp_path_factory.mktemp("nginx")
    port = testsite.free_port()
    cfg = testsite.load(testsite.make(root / "site", port=port))
    with Store(cfg.db_path) as store:
        run_cycle(cfg, store=store)
    shutil.copy(testsite.REPO / "feeds" / "README.md", cfg.feeds_dir / "README.md")
    (cfg.feeds_dir / ".hidden").write_text("x\n")
    site = (readme_static_config()
            .replace("listen 80;", f"listen 127.0.0.1:{port};")
            .replace("root /srv/syndicate/feeds;", f"root {cfg.feeds_dir};"))
    temp = "".join(f"{k}_temp_path {root / k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # Run as root (containers), nginx's workers would drop to `nobody`, who
    # cannot read pytest's private temp folder.
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    (root / "nginx.conf").write_text(
        f"{user}pid {root / 'nginx.pid'};\nerror_log {root / 'error.log'};\nevents {{}}\n"
        f"http {{\ninclude /etc/nginx/mime.types;\naccess_log off;\n{temp}{site}\n}}\n")
    check = subprocess.run([exe, "-t", "-p", str(root), "-c", str(root / "nginx.conf")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([exe, "-p", str(root), "-c", str(root / "nginx.conf"), "-g", "daemon off;"])
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                requests.get(url, timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        yield url, cfg
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.parametrize("path, ctype", [("en/rss.xml", "application/rss+xml"),
                                         ("vi/atom.xml", "application/atom+xml"),
                                         ("vi/feed.json", "application/feed+json")])
def test_readers_get_the_feed_and_browsers_the_page(nginx, path, ctype):
    url, cfg = nginx
    lang = path[:2]
    feed = requests.get(url + path, headers=READER)
    assert feed.headers["Content-Type"] == f"{ctype}; charset=utf-8"
    assert feed.content == (cfg.feeds_dir / path).read_bytes()
    assert requests.get(url + path, headers={"Accept": None}).content == feed.content
    page = requests.get(url + path, headers=BROWSER)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert page.content == (cfg.feeds_dir / lang / "index.html").read_bytes()
    for r in (feed, page):
        assert r.headers["Vary"] == "Accept"
    script = requests.get(url + path, headers={**BROWSER, "Sec-Fetch-Dest": "empty"})
    assert script.content == feed.content


def test_pages_and_the_opml_are_served_and_private_files_are_not(nginx):
    url, cfg = nginx
    assert requests.get(url + "feeds.opml").headers["Content-Type"] == "text/x-opml; charset=utf-8"
    index = requests.get(url)
    assert index.status_code == 200 and "Vary" not in index.headers
    assert requests.get(url + "en/").content == (cfg.feeds_dir / "en" / "index.html").read_bytes()
    for private in ("README.md", ".hidden", "en/articles/"):
        assert requests.get(url + private).status_code in (403, 404), private
