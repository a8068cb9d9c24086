"""Server-side request forgery: a feed, an item's page or a redirect that
points at an internal address is refused before any connection, whichever
way the host is written, unless the source's allow_internal lists it.

The listeners are real loopback servers holding something an attacker
wants; "nothing reached them" is read from their own request logs."""
from __future__ import annotations

import re
import socket
import ssl

import pytest
import trustme
from feed_support import Site, article_page, local_allow, make_source
from pytest_httpserver import HTTPServer
from testsite import free_port

from syndicate.config import ConfigError
from syndicate.sources import collect
from syndicate.sources.fetch import Fetcher, FetchError, FetchOptions, RefusedAddressError
from syndicate.sources.guard import address_class, system_resolver

SECRET = "root password is hunter2"


def plain(**kw) -> Fetcher:
    return Fetcher(FetchOptions(**{"timeout": 1.0, "retries": 0, "host_delay": 0.0, "respect_robots": False, **kw}))


@pytest.fixture
def admin():
    """An internal service on its own loopback port, never allowed."""
    server = HTTPServer(host="127.0.0.1", port=0)
    server.expect_request("/admin").respond_with_data(SECRET)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.mark.parametrize("host", [
    "127.0.0.1", "localhost", "2130706433", "0x7f000001", "0x7f.1", "127.1", "[::1]", "[::ffff:127.0.0.1]",
])
def test_loopback_in_every_spelling_is_refused(admin, host):
    url = f"http://{host}:{admin.port}/admin"
    with plain() as f, pytest.raises(RefusedAddressError) as e:
        f.get(url)
    message = str(e.value)
    assert message.startswith(f"{url}: ")
    assert "a loopback address" in message
    assert "to this source's allow_internal to fetch it" in message
    assert admin.log == []


@pytest.mark.parametrize("url, why", [
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ("http://[fe80::1]/", "fe80::1 is a link-local address"),
    ("http://10.1.2.3/", "10.1.2.3 is a private address"),
    ("http://192.168.1.1:8080/", "192.168.1.1 is a private address"),
    ("http://[fd00::1]/", "fd00::1 is a private address"),
    ("http://100.64.0.1/", "100.64.0.1 is a shared (carrier-grade NAT) address"),
    ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
    ("http://0.0.0.0/", "0.0.0.0 is an unspecified address"),
    ("http://240.0.0.1/", "240.0.0.1 is a reserved address"),
    ("https://127.0.0.1/", "127.0.0.1 is a loopback address"),
    ("http://[::ffff:169.254.169.254]/", "a link-local address (169.254.169.254 inside IPv6)"),
])
def test_every_internal_class_is_refused_before_connecting(monkeypatch, url, why):
    """No network is needed: the refusal comes before any socket is made."""
    connects = []
    real = socket.socket.connect
    monkeypatch.setattr(socket.socket, "connect", lambda self, addr: connects.append(addr) or real(self, addr))
    with plain() as f, pytest.raises(RefusedAddressError, match=f"^{re.escape(url)}: .*{re.escape(why)}"):
        f.get(url)
    assert connects == []


def test_the_refusal_does_not_tell_an_open_port_from_a_closed_one(admin):
    closed = free_port()
    with plain() as f:
        messages = []
        for port in (admin.port, closed):
            with pytest.raises(RefusedAddressError) as e:
                f.get(f"http://127.0.0.1:{port}/admin")
            messages.append(str(e.value).replace(str(port), "PORT"))
    assert messages[0] == messages[1]


def test_a_redirect_to_another_loopback_port_is_refused(httpserver, admin):
    httpserver.expect_request("/news").respond_with_data(
        "", status=302, headers={"Location": f"http://127.0.0.1:{admin.port}/admin"})
    url = httpserver.url_for("/news")
    with plain(allow_internal=local_allow(httpserver)) as f, pytest.raises(RefusedAddressError) as e:
        f.get(url)
    assert str(e.value) == (
        f"{url}: redirected to http://127.0.0.1:{admin.port}/admin: 127.0.0.1 is a loopback address; "
        f"add \"127.0.0.1:{admin.port}\" to this source's allow_internal to fetch it")
    assert [r.path for r, _ in httpserver.log] == ["/news"]
    assert admin.log == []


def _mapped(name: str, address: str = "127.0.0.1"):
    """A resolver that knows one more name, as a hostile DNS server would."""
    calls: list[str] = []

    def resolve(host: str, port: int):
        calls.append(host)
        return [(socket.AF_INET, address)] if host == name else system_resolver(host, port)

    resolve.calls = calls
    return resolve


def test_a_name_that_resolves_to_loopback_is_refused(admin):
    f = Fetcher(plain().options, resolve=_mapped("news.example.com"))
    with f, pytest.raises(RefusedAddressError) as e:
        f.get(f"http://news.example.com:{admin.port}/admin")
    assert "news.example.com resolves to 127.0.0.1, a loopback address" in str(e.value)
    assert f'add "news.example.com:{admin.port}"' in str(e.value)
    assert admin.log == []


def test_an_allowed_name_connects_to_the_address_that_was_checked(admin):
    """The name is known only to the injected resolver, so the fetch can only
    succeed by connecting to the address the guard checked, resolved once."""
    resolve = _mapped("intranet.example")
    with Fetcher(plain(allow_internal=("intranet.example",)).options, resolve=resolve) as f:
        assert f.get(f"http://intranet.example:{admin.port}/admin").body == SECRET.encode()
    assert resolve.calls == ["intranet.example"]
    request, _ = admin.log[0]
    assert request.headers["Host"] == f"intranet.example:{admin.port}"  # the Host header is the URL's


@pytest.mark.parametrize("entry, allowed", [
    ("127.0.0.1:{port}", True),       # the address, with its port
    ("localhost:{port}", True),       # the name as written in the URL
    ("localhost", True),              # any port of that host
    ("127.0.0.1", True),
    ("localhost:{other}", False),     # another port
    ("127.0.0.2", False),             # another address
])
def test_allow_internal_matches_host_or_address_and_port(admin, entry, allowed):
    entry = entry.format(port=admin.port, other=free_port())
    with plain(allow_internal=(entry,)) as f:
        if allowed:
            assert f.get(f"http://localhost:{admin.port}/admin").body == SECRET.encode()
        else:
            with pytest.raises(RefusedAddressError):
                f.get(f"http://localhost:{admin.port}/admin")


def test_robots_txt_of_a_refused_host_is_not_mistaken_for_disallow_all(admin):
    with plain(respect_robots=True) as f, pytest.raises(RefusedAddressError, match="a loopback address"):
        f.get(f"http://127.0.0.1:{admin.port}/admin")
    assert admin.log == []


def test_a_feed_item_leading_to_an_internal_page_publishes_nothing_of_it(httpserver, store, politeness, admin):
    """The attack of the issue: a portal page redirects to an internal admin
    page, whose text would have been extracted, translated and published."""
    site = Site(httpserver)
    site.redirects["/news/1.html"] = f"http://127.0.0.1:{admin.port}/admin"
    site.put("/feed.xml", (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>Harmless</title><link>{site.base}/news/1.html</link></item>"
        f"<item><title>Direct</title><link>http://[::1]:{admin.port}/admin</link>"
        "<description>Feed text of the direct item, long enough to stand as an article.</description></item>"
        "</channel></rss>"), "application/rss+xml")
    result = collect(make_source(site.url("/feed.xml")), store, politeness=politeness)
    assert result.error is None
    texts = [b.text for a in result.articles for b in a.blocks] + [a.title for a in result.articles]
    assert not any("hunter2" in t for t in texts)
    reasons = [r.reason for r in result.rejected] + result.stats.get("page_errors", [])
    assert any("redirected to" in r and "a loopback address" in r for r in reasons), reasons
    assert any("::1 is a loopback address" in r for r in reasons), reasons
    assert admin.log == []


def test_an_internal_feed_allowed_by_its_source_is_read(httpserver, store, politeness):
    site = Site(httpserver)
    site.put("/feed.xml", (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>Intranet news</title><link>{site.base}/a.html</link></item></channel></rss>"),
        "application/rss+xml")
    site.put("/a.html", article_page("Intranet news", ["MPS - A page on an internal host the operator allowed."]))
    refused = collect(make_source(site.url("/feed.xml"), allow_internal=[]), store, politeness=politeness)
    assert "a loopback address" in refused.error and "allow_internal" in refused.error
    allowed = collect(make_source(site.url("/feed.xml"), name="intranet"), store, politeness=politeness)
    assert allowed.error is None and [a.title for a in allowed.articles] == ["Intranet news"]


@pytest.mark.parametrize("address, internal", [
    ("8.8.8.8", False), ("2001:4860:4860::8888", False), ("127.5.5.5", True), ("::1", True),
    ("172.16.0.1", True), ("fe80::1%eth0", True), ("2002:7f00:1::", True), ("192.0.2.1", True),
])
def test_address_classes(address, internal):
    assert (address_class(address) is not None) == internal


@pytest.mark.parametrize("value, message", [
    (["a:b:c"], r"sources\[0\]\.allow_internal: 'a:b:c' is not host, host:port or \[IPv6\]:port"),
    (["intranet:0"], r"sources\[0\]\.allow_internal: 'intranet:0': the port must be 1..65535"),
    ("127.0.0.1", r"sources\[0\]\.allow_internal: expected an array of strings"),
])
def test_bad_allow_internal_entries_name_the_key(value, message):
    with pytest.raises(ConfigError, match=message):
        make_source("https://portal.example/feed.xml", allow_internal=value)


def test_allow_internal_entries_are_kept_in_one_form():
    src = make_source("https://portal.example/feed.xml", allow_internal=["Intranet.Example.", "[::1]:8081", "::1"])
    assert src.allow_internal == ("intranet.example", "[::1]:8081", "::1")


def test_environment_proxies_are_not_used(monkeypatch, admin):
    """A proxy would make the connection the guard checks the proxy's, not
    the target's."""
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{admin.port}")
    with plain() as f, pytest.raises(FetchError) as e:
        f.get("http://10.9.9.9/admin")
    assert "a private address" in str(e.value)
    assert admin.log == []


@pytest.fixture
def tls_admin(tmp_path):
    """An HTTPS service on loopback with a certificate for "localhost" from a
    throwaway CA (trustme), and that CA's file for the client to trust."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(context)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.expect_request("/admin").respond_with_data(SECRET)
    server.start()
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    yield server, str(bundle)
    server.clear()
    server.stop()


def test_tls_through_the_guard_keeps_sni_and_the_certificate_host_check(tls_admin):
    server, bundle = tls_admin
    with plain(allow_internal=(f"127.0.0.1:{server.port}",)) as f:
        f.session.verify = bundle
        # The name on the certificate: verified, via the address the guard checked.
        assert f.get(f"https://localhost:{server.port}/admin").body == SECRET.encode()
        # The same server by its address: the certificate does not name it.
        with pytest.raises(FetchError, match="certificate|CERTIFICATE|hostname"):
            f.get(f"https://127.0.0.1:{server.port}/admin")
    assert len(server.log) == 1
