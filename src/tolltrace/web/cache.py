"""A short-lived cache of the pages and API answers that anonymous visitors read.

Only with public read on (``--public-read``), only for GET requests without a logged-in
session or an API token, only for 200 answers that set no cookie. Logged-in users
(analysts editing) always get fresh answers; anonymous readers may see data up to
``web_cache_seconds`` old. Per process, bounded in entries and bytes.

Why: on the 2-core machine the project runs on, one uvicorn process answers about
150 requests/second for the incident list; 50 concurrent anonymous readers then wait
~350 ms at the median (benchmarks/bench_web.py). Most public traffic asks for the same
few pages, so a cache of a few seconds serves it without touching the database.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["PublicCache"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_MAX_ENTRIES = 512
_MAX_BODY = 2 * 1024 * 1024


class PublicCache:
    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], ttl: float) -> None:
        self.app = app
        self.ttl = ttl
        self._entries: OrderedDict[str, tuple[float, int, list[tuple[bytes, bytes]], bytes]] = (
            OrderedDict()
        )

    def _cacheable(self, scope: Scope) -> bool:
        if self.ttl <= 0 or scope["type"] != "http" or scope["method"] != "GET":
            return False
        app = scope.get("app")
        if app is None or not getattr(app.state, "public_read", False):
            return False
        path: str = scope["path"]
        if path.startswith(("/static/", "/login")):
            return False
        session = scope.get("state", {}).get("session")
        if session is None or session.user_id is not None:
            return False
        return not any(name == b"authorization" for name, _ in scope.get("headers", ()))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        key = scope["path"] + "?" + scope.get("query_string", b"").decode("latin-1")
        now = time.monotonic()
        hit = self._entries.get(key)
        if hit is not None and now - hit[0] < self.ttl:
            self._entries.move_to_end(key)
            _, status, headers, body = hit
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        keep = True

        async def capture(message: Message) -> None:
            nonlocal start, size, keep
            if message["type"] == "http.response.start":
                start = message
                headers = message.get("headers", [])
                if message["status"] != 200 or any(n == b"set-cookie" for n, _ in headers):
                    keep = False
            elif message["type"] == "http.response.body" and keep:
                size += len(message.get("body", b""))
                if size > _MAX_BODY:
                    keep = False
                else:
                    chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        session = scope.get("state", {}).get("session")
        if keep and start is not None and not (session is not None and session.dirty):
            self._entries[key] = (
                now,
                start["status"],
                list(start.get("headers", [])),
                b"".join(chunks),
            )
            while len(self._entries) > _MAX_ENTRIES:
                self._entries.popitem(last=False)
