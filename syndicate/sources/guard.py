"""Where a fetch may connect, and a stop for a fetch that takes too long.

Server-side request forgery: a feed item, or a redirect it leads to, can
point at the server's own loopback, a private network or a cloud metadata
address (169.254.169.254), and whatever is fetched there would be extracted
and published. So every connection a Fetcher makes goes through
GuardedAdapter: the host is resolved once, each address is checked, and the
socket is connected to an address that passed, never to a second
resolution (a DNS-rebinding name cannot pass the check and then point
elsewhere). Checking at connect time covers the feed, each page, robots.txt
and every redirect hop alike, however the host was written (`localhost.`,
`2130706433`, `0x7f.1`, `[::ffff:127.0.0.1]`): the resolver turns them all
into the address that is checked.

Internal addresses are refused unless the source lists the host (as written
in the URL, or the address) in `allow_internal`, with or without a port.
A refusal happens before any connection is tried, so its message is the
same whether a port is open or closed: it cannot be used to scan ports.

Host name, Host header, TLS SNI and certificate checks are urllib3's own:
only the socket underneath is made here (the design of Miniflux's fetcher,
whose dialer checks each address before connecting).
"""
from __future__ import annotations

import ipaddress
import socket
import threading
import weakref
from dataclasses import dataclass, field
from typing import Callable

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util import connection as u3connection

from ..config import format_host_port, host_port

# (family, address) pairs for a host and port, like getaddrinfo's.
Resolver = Callable[[str, int], list[tuple[int, str]]]

_CGNAT = ipaddress.ip_network("100.64.0.0/10")  # RFC 6598: shared address space


def system_resolver(host: str, port: int) -> list[tuple[int, str]]:
    infos = socket.getaddrinfo(host, port, u3connection.allowed_gai_family(), socket.SOCK_STREAM)
    return [(family, sockaddr[0]) for family, _, _, _, sockaddr in infos]


def address_class(address: str) -> str | None:
    """Why an address is internal ("a loopback address"), or None for a
    public one. IPv4 carried inside IPv6 (mapped, 6to4, Teredo) is judged
    by the IPv4 address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is not None:
            why = address_class(str(inner))
            return f"{why} ({inner} inside IPv6)" if why else None
    checks = (
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.version == 4 and ip in _CGNAT, "a shared (carrier-grade NAT) address"),
        (ip.is_reserved, "a reserved address"),
        (ip.is_private, "a private address"),
        (not ip.is_global, "a non-public address"),
    )
    return next((why for hit, why in checks if hit), None)


class InternalAddress(Exception):
    """A connection was refused before it was tried: the host resolves to an
    internal address the source does not allow. Deliberately not an
    OSError, so neither urllib3 nor requests retries or rewraps it."""

    def __init__(self, host: str, port: int, address: str, why: str):
        self.host, self.port, self.address, self.why = host, port, address, why
        entry = format_host_port(host, port)
        said = f"{host} is {why}" if _same_ip(host, address) else f"{host} resolves to {address}, {why}"
        self.reason = f"{said}; add \"{entry}\" to this source's allow_internal to fetch it"
        super().__init__(self.reason)


def _same_ip(host: str, address: str) -> bool:
    try:
        return ipaddress.ip_address(host) == ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False


@dataclass
class Guard:
    """One Fetcher's connection policy and the connections it made."""

    allow_internal: tuple[str, ...] = ()
    resolve: Resolver = system_resolver
    _allowed: list[tuple[str, int | None]] = field(init=False, repr=False)
    _connections: "weakref.WeakSet[HTTPConnection]" = field(default_factory=weakref.WeakSet, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self._allowed = [host_port(e) for e in self.allow_internal]
        self._allowed = [(_canonical(h), p) for h, p in self._allowed]

    def addresses(self, host: str, port: int) -> list[tuple[int, str]]:
        """The host's addresses this source may connect to, in resolver
        order; InternalAddress when there is none (names that resolve only
        to refused addresses), socket.gaierror when the name does not resolve."""
        name = host.strip("[]").rstrip(".").lower()
        ok: list[tuple[int, str]] = []
        refused: InternalAddress | None = None
        for family, address in self.resolve(host.strip("[]"), port):
            why = address_class(address)
            if why is None or self._allows(name, port, address):
                ok.append((family, address))
            elif refused is None:
                refused = InternalAddress(name, port, address.split("%", 1)[0], why)
        if not ok and refused is not None:
            raise refused
        return ok

    def _allows(self, name: str, port: int, address: str) -> bool:
        ip = _canonical(address.split("%", 1)[0])
        return any(h in (name, ip) and p in (None, port) for h, p in self._allowed)

    def track(self, conn: HTTPConnection) -> None:
        with self._lock:
            self._connections.add(conn)

    def abort(self) -> None:
        """Cut every connection this guard made, from any thread: a read
        blocked on one returns at once. Shut down, not closed, so the
        thread using the socket closes it; socket.socket's own shutdown,
        so a TLS socket is cut at the TCP level without touching its TLS
        state from this thread."""
        with self._lock:
            conns = list(self._connections)
        for conn in conns:
            sock = getattr(conn, "sock", None)
            if sock is None:
                continue
            try:
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass  # already closed


def _canonical(host: str) -> str:
    try:
        return ipaddress.ip_address(host).compressed
    except ValueError:
        return host


class _GuardedConnectionMixin:
    """urllib3's connection with the socket made by the guard."""

    guard: Guard

    def _new_conn(self) -> socket.socket:
        self.guard.track(self)
        try:
            addresses = self.guard.addresses(self._dns_host, self.port)
        except socket.gaierror as e:
            raise NameResolutionError(self.host, self, e) from e
        last: OSError = OSError(f"{self.host} has no address")
        for _, address in addresses:
            try:
                # A numeric address: create_connection resolves nothing more.
                return u3connection.create_connection(
                    (address, self.port), self.timeout, source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except OSError as e:  # socket.timeout included
                last = e
        if isinstance(last, socket.timeout):
            raise ConnectTimeoutError(self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})")
        raise NewConnectionError(self, f"Failed to establish a new connection: {last}")


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose every connection goes through `guard`."""

    def __init__(self, guard: Guard, **kwargs):
        self.guard = guard
        http = type("GuardedHTTPConnection", (_GuardedConnectionMixin, HTTPConnection), {"guard": guard})
        https = type("GuardedHTTPSConnection", (_GuardedConnectionMixin, HTTPSConnection), {"guard": guard})
        self._pools = {
            "http": type("GuardedHTTPConnectionPool", (HTTPConnectionPool,), {"ConnectionCls": http}),
            "https": type("GuardedHTTPSConnectionPool", (HTTPSConnectionPool,), {"ConnectionCls": https}),
        }
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        # key_fn_by_scheme stays: the pools differ only in their class.
        self.poolmanager.pool_classes_by_scheme = dict(self._pools)

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        # Through a proxy the connection goes to the proxy, and the address
        # the proxy then reaches could not be checked here.
        raise NotImplementedError(f"fetching through a proxy ({proxy}) is not supported")
