"""Where an outbound fetch may go: the host the operator configured, and public addresses elsewhere.

A watched page's links and a source's redirects are written by whoever edits that page or runs
that server, not by the operator. Followed blindly, they let an outsider make the bot read inside
the operator's network (``http://127.0.0.1:…``, ``http://10.0.0.5/…``, a cloud's metadata address)
and quote the answer to every subscribed channel. So every hop is checked here before it is
requested:

- only ``http`` and ``https``;
- the configured host (the source's own, or the linked page's) is trusted as configured, whatever
  it resolves to: the operator chose it;
- any other host must resolve (DNS, checked after resolution, every address it has) to global
  addresses only: no loopback, private, link-local, shared, multicast, reserved or unspecified one;
- hosts the operator lists (:attr:`HopPolicy.allowed`) are trusted like the configured one.

The address the connection actually reached is checked again before the body is read
(:meth:`HopPolicy.check_peer`), so a name that resolves one way for the check and another for the
request (DNS rebinding) still never has its answer read.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["HopPolicy", "RefusedHop", "is_internal"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class RefusedHop(Exception):
    """A hop this policy does not fetch; the message names the host, safe to show to a team."""


def is_internal(address: IPAddress) -> bool:
    """Whether ``address`` is inside someone's network rather than on the public internet."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast or address.is_reserved or address.is_unspecified


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


@dataclass(frozen=True, slots=True)
class HopPolicy:
    """The rule for one source: ``home`` (the configured host) and the operator's ``allowed`` hosts go anywhere."""

    home: str
    allowed: frozenset[str] = frozenset()

    @classmethod
    def for_source(cls, configured_url: str, allowed: Iterable[str] = ()) -> HopPolicy:
        return cls(_host(configured_url), frozenset(h.strip().rstrip(".").lower() for h in allowed if h.strip()))

    def trusts(self, host: str) -> bool:
        return host == self.home or host in self.allowed

    async def check(self, url: str) -> None:
        """Raise :class:`RefusedHop` unless ``url`` may be requested (see the module docstring)."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            raise RefusedHop(f"refused to follow a link to a {parts.scheme or 'schemeless'}: address (http(s) only)")
        host = _host(url)
        if not host:
            raise RefusedHop("refused to follow an address without a host")
        if self.trusts(host):
            return
        for address in await _resolve(host, parts.port or (443 if parts.scheme.lower() == "https" else 80)):
            if is_internal(address):
                raise RefusedHop(f"refused to fetch from {host}: it is an internal address, not the configured host")

    def check_peer(self, url: str, peer: object) -> None:
        """Raise :class:`RefusedHop` when the connection to an untrusted host reached an internal address."""
        if self.trusts(_host(url)) or not isinstance(peer, tuple) or not peer:
            return
        try:
            address = ipaddress.ip_address(str(peer[0]).split("%", 1)[0])
        except ValueError:
            return
        if is_internal(address):
            raise RefusedHop(f"refused to read from {_host(url)}: it is an internal address, not the configured host")


async def _resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` stands for (itself, when it is an address)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise RefusedHop(f"cannot resolve the host {host}") from None
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
