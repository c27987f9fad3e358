"""Sessions, CSRF, security headers and the login rate limit.

The session is a signed cookie (itsdangerous, HMAC-SHA1 over the payload with the
``web_secret`` key) holding a random session key and the session's CSRF token; it is
HttpOnly and SameSite=Lax, Secure when ``web_secure_cookies`` is on. Who is logged in
is kept server-side (``web_sessions``, by the key's SHA-256): logout, a password
change or disabling the user ends the session even if the cookie is replayed. Every state-changing
request that relies on the cookie must echo the CSRF token (form field
``csrf_token`` or header ``X-CSRF-Token``); requests with an API token carry no
ambient credential and need none.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import MutableHeaders

from tolltrace.settings import Settings

__all__ = [
    "COOKIE",
    "RateLimiter",
    "Session",
    "WebMiddleware",
    "content_security_policy",
    "safe_next",
    "tokens_match",
]

COOKIE = "tt_session"
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[
    [Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]
]


class Session:
    """What the session cookie carries (``key``: the server-side session's key, or
    None when not logged in; ``csrf_token``). ``user_id`` is filled in from the
    database when the key is still valid. ``dirty`` sessions are sent back."""

    __slots__ = ("csrf_token", "dirty", "key", "user_id")

    def __init__(self, key: str | None = None, csrf_token: str | None = None) -> None:
        self.key = key
        self.user_id: int | None = None
        self.csrf_token = csrf_token
        self.dirty = False

    @property
    def csrf(self) -> str:
        """The session's CSRF token, made on first use (anonymous sessions too: the
        login form needs one)."""
        if self.csrf_token is None:
            self.csrf_token = secrets.token_urlsafe(32)
            self.dirty = True
        return self.csrf_token

    def login(self, key: str, user_id: int) -> None:
        # A new key and CSRF token at login: nothing planted before login is worth
        # anything after (no session fixation).
        self.key = key
        self.user_id = user_id
        self.csrf_token = secrets.token_urlsafe(32)
        self.dirty = True

    def logout(self) -> None:
        self.key = None
        self.user_id = None
        self.csrf_token = secrets.token_urlsafe(32)
        self.dirty = True


def tokens_match(given: str | None, expected: str | None) -> bool:
    return bool(given) and bool(expected) and hmac.compare_digest(str(given), str(expected))


def safe_next(target: str | None, default: str = "/") -> str:
    """A redirect target that stays on this site (no scheme, no host, no ``//``)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return default
    return target


def content_security_policy(settings: Settings) -> str:
    img = "'self' data:"
    if settings.web_tile_url:
        parts = urlsplit(settings.web_tile_url.replace("{s}", "a"))
        if parts.scheme in {"http", "https"} and parts.netloc:
            host = (
                parts.netloc.replace("a.", "*.", 1)
                if "{s}" in settings.web_tile_url
                else parts.netloc
            )
            img += f" {parts.scheme}://{host}"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        f"img-src {img}; connect-src 'self'; font-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


class RateLimiter:
    """At most ``limit`` events per key in any ``window`` seconds (in memory)."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._events: dict[str, deque[float]] = {}

    def hit(self, key: str, now: float | None = None) -> float:
        """Count one event; 0.0 if allowed, else seconds until the next is allowed."""
        now = time.monotonic() if now is None else now
        q = self._events.setdefault(key, deque())
        while q and now - q[0] >= self.window:
            q.popleft()
        if len(q) >= self.limit:
            return self.window - (now - q[0])
        q.append(now)
        if len(self._events) > 10_000:  # forget idle keys so memory stays bounded
            for k in [k for k, v in self._events.items() if not v or now - v[-1] >= self.window]:
                del self._events[k]
        return 0.0


class WebMiddleware:
    """Loads the session from its cookie, sends it back when it changed, and adds the
    security headers to every response."""

    def __init__(self, app: ASGIApp, settings: Settings, secret: str) -> None:
        self.app = app
        self.settings = settings
        self.serializer = URLSafeTimedSerializer(secret, salt="tolltrace-session")
        self.max_age = settings.web_session_hours * 3600
        self.headers = [
            (b"content-security-policy", content_security_policy(settings).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"same-origin"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]

    def _load(self, scope: Scope) -> Session:
        for name, value in scope.get("headers", ()):
            if name != b"cookie":
                continue
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:
                continue
            morsel = jar.get(COOKIE)
            if morsel is None:
                continue
            try:
                data = self.serializer.loads(morsel.value, max_age=self.max_age)
            except BadSignature:
                return Session()
            if isinstance(data, dict):
                key = data.get("s")
                csrf = data.get("c")
                return Session(
                    key if isinstance(key, str) else None,
                    csrf if isinstance(csrf, str) else None,
                )
        return Session()

    def _cookie(self, session: Session) -> bytes:
        value = self.serializer.dumps({"s": session.key, "c": session.csrf_token})
        parts = [
            f"{COOKIE}={value}",
            "Path=/",
            f"Max-Age={self.max_age}",
            "HttpOnly",
            "SameSite=Lax",
        ]
        if self.settings.web_secure_cookies:
            parts.append("Secure")
        return "; ".join(parts).encode("latin-1")

    async def __call__(
        self,
        scope: Scope,
        receive: Callable[[], Awaitable[Message]],
        send: Callable[[Message], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        session = self._load(scope)
        scope.setdefault("state", {})["session"] = session

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers:
                    if name.decode() not in headers:
                        headers.append(name.decode(), value.decode())
                if session.dirty:
                    headers.append("set-cookie", self._cookie(session).decode("latin-1"))
            await send(message)

        await self.app(scope, receive, send_with_headers)
