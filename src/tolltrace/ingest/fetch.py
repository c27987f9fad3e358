"""A careful HTTP fetcher for untrusted URLs (article links, feed entries).

Article links come from the open web, so a fetch must not be turned against the
machine running tolltrace or its network (server-side request forgery), nor hang, nor
fill memory. Every fetch therefore:

- accepts only ``http`` and ``https`` URLs;
- resolves the host with :func:`socket.getaddrinfo` and refuses it when any address is
  private, loopback, link-local, reserved, multicast or unspecified (unless the
  setting ``allow_private_addresses`` is on);
- follows redirects itself, one hop at a time, so every hop's host is checked the same
  way, up to ``fetch_max_redirects``, and reports a loop as a loop;
- gives up after ``fetch_timeout`` seconds in all (every hop, connect and read);
- accepts only HTML, plain text, XML (feeds) and JSON, checked from the
  ``Content-Type`` header before the body is read;
- reads the body streamed and stops once it is over ``fetch_max_bytes`` (counted after
  content decoding, so a compressed bomb stops too).

Every refusal or error is raised as :class:`~tolltrace.errors.InputError` with one of
the reasons in :mod:`tolltrace.errors`.

The host is checked twice: before each request (a clear reason, and the only check a
caller-supplied client gets), and again when the client this module builds opens a
connection: its network backend resolves the host, checks every address and connects
to the address it checked, so a DNS server that answers differently the second time
(DNS rebinding) cannot slip a private address in between.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

from tolltrace import errors
from tolltrace.errors import InputError
from tolltrace.settings import Settings

__all__ = ["ALLOWED_TYPES", "Fetched", "Fetcher", "check_host", "media_type"]

ALLOWED_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "text/plain",
        "text/markdown",
        "text/xml",
        "application/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/json",
        "application/ld+json",
        "application/x-ndjson",
        "application/jsonl",
    }
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,application/json;q=0.9,text/plain;q=0.8"
)

Resolver = Callable[..., list[tuple[Any, ...]]]


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # the URL asked for
    final_url: str  # after redirects
    media_type: str  # "text/html"; "" when the server sent no Content-Type
    content_type: str | None  # the whole header, charset included
    body: bytes


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def _refused(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    # is_global is False for private, loopback, link-local, reserved, shared (CGNAT)
    # and unspecified ranges; multicast addresses can be "global", so test them too.
    return not ip.is_global or ip.is_multicast


def check_host(host: str, port: int, resolve: Resolver = socket.getaddrinfo) -> str:
    """Raise unless every address ``host`` resolves to is public; return the first."""
    try:
        infos = resolve(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise InputError(errors.UNRESOLVED.format(host=host, detail=exc)) from exc
    if not infos:
        raise InputError(errors.UNRESOLVED.format(host=host, detail="no address"))
    for info in infos:
        address = str(info[4][0]).split("%")[0]  # drop an IPv6 zone ("fe80::1%eth0")
        try:
            ip = ipaddress.ip_address(address)
        except ValueError as exc:
            raise InputError(errors.UNRESOLVED.format(host=host, detail=exc)) from exc
        if _refused(ip):
            raise InputError(errors.PRIVATE_ADDRESS.format(host=host))
    return str(infos[0][4][0]).split("%")[0]


class _PinnedBackend(httpcore.SyncBackend):
    """Connects only to an address it has just checked (no second, unchecked lookup)."""

    def __init__(self, resolve: Resolver) -> None:
        super().__init__()
        self._resolve = resolve

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        address = check_host(host, port, self._resolve)
        # TLS still verifies the certificate against the URL's host name: httpcore
        # takes the server name from the request's origin, not from this address.
        return super().connect_tcp(address, port, timeout, local_address, socket_options)


def _pinned_transport(resolve: Resolver) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(trust_env=False)
    # httpx has no public hook for the network backend; its transport delegates to an
    # httpcore pool in ``_pool`` (httpx 0.28, pinned in requirements.lock). A test
    # (test_ingest_fetch.py::test_connection_is_pinned_to_the_checked_address) fails
    # if this stops working.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        network_backend=_PinnedBackend(resolve),
    )
    return transport


class Fetcher:
    """Fetches URLs under the safety settings; owns its client unless given one."""

    def __init__(
        self,
        settings: Settings,
        client: httpx.Client | None = None,
        *,
        resolve: Resolver = socket.getaddrinfo,
    ) -> None:
        self.settings = settings
        self._own = client is None
        self._client = client
        self._resolve = resolve

    @property
    def client(self) -> httpx.Client:
        # Created on first use: ingesting only files never opens a connection pool.
        if self._client is None:
            pinned = not self.settings.allow_private_addresses
            self._client = httpx.Client(
                headers={"User-Agent": self.settings.user_agent},
                follow_redirects=False,
                trust_env=False,  # a proxy from the environment would bypass the checks
                transport=_pinned_transport(self._resolve) if pinned else None,
            )
        return self._client

    def close(self) -> None:
        if self._own and self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check(self, url: httpx.URL) -> None:
        if url.scheme not in ("http", "https") or not url.host:
            raise InputError(errors.BAD_URL.format(url=url))
        if not self.settings.allow_private_addresses:
            port = url.port or (443 if url.scheme == "https" else 80)
            check_host(url.host, port, self._resolve)

    def fetch(self, url: str) -> Fetched:
        """GET ``url`` under every rule of this module, or raise ``InputError``."""
        s = self.settings
        deadline = time.monotonic() + s.fetch_timeout
        try:
            current = httpx.URL(url.strip())
        except (httpx.InvalidURL, TypeError) as exc:
            raise InputError(errors.BAD_URL.format(url=url)) from exc
        seen: set[str] = set()
        try:
            for _hop in range(s.fetch_max_redirects + 1):
                self._check(current)
                seen.add(str(current))
                nxt = self._get(current, url, deadline)
                if isinstance(nxt, Fetched):
                    return nxt
                if str(nxt) in seen:
                    raise InputError(errors.REDIRECT_LOOP.format(url=nxt))
                current = nxt
        except httpx.TimeoutException as exc:
            raise InputError(errors.TIMEOUT.format(seconds=s.fetch_timeout)) from exc
        except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.NetworkError) as exc:
            raise InputError(errors.CONNECT.format(detail=str(exc) or type(exc).__name__)) from exc
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise InputError(errors.BAD_URL.format(url=current)) from exc
        except httpx.HTTPError as exc:
            raise InputError(errors.CONNECT.format(detail=str(exc) or type(exc).__name__)) from exc
        raise InputError(errors.TOO_MANY_REDIRECTS.format(cap=s.fetch_max_redirects))

    def _get(self, url: httpx.URL, asked: str, deadline: float) -> Fetched | httpx.URL:
        """One hop: the next URL for a redirect, else the checked response."""
        s = self.settings
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise httpx.ReadTimeout("deadline passed")
        headers = {"User-Agent": s.user_agent, "Accept": _ACCEPT}
        with self.client.stream(
            "GET", url, headers=headers, follow_redirects=False, timeout=remaining
        ) as resp:
            if resp.status_code in _REDIRECTS and "location" in resp.headers:
                return url.join(resp.headers["location"])
            if not 200 <= resp.status_code < 300:
                raise InputError(
                    errors.HTTP_STATUS.format(status=resp.status_code, phrase=resp.reason_phrase)
                )
            ctype = resp.headers.get("content-type")
            mtype = media_type(ctype)
            # No Content-Type at all: the body is sniffed later (binary is refused then).
            if mtype and mtype not in ALLOWED_TYPES:
                raise InputError(errors.CONTENT_TYPE.format(ctype=mtype))
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > s.fetch_max_bytes:
                raise InputError(errors.FETCH_TOO_LARGE.format(cap=s.fetch_max_bytes))
            chunks: list[bytes] = []
            size = 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > s.fetch_max_bytes:
                    raise InputError(errors.FETCH_TOO_LARGE.format(cap=s.fetch_max_bytes))
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("deadline passed")
                chunks.append(chunk)
            return Fetched(
                url=asked,
                final_url=str(resp.url),
                media_type=mtype,
                content_type=ctype,
                body=b"".join(chunks),
            )
