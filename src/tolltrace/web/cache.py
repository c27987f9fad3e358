"""Who is asking, and a cache of rendered pages and API answers that is never stale.

:class:`ReadCache` sits inside the session middleware. For every request but static
files it reads the *data version* (a counter that database triggers bump in every
transaction writing the tables the app shows: pipeline runs, review actions, another
process) and who the session cookie or API token belongs to, and stores the result in
``scope["state"]["who"]`` for the routers.

GET answers of the read pages and the read API (200, no cookie set) are kept per
process, keyed by method, path, query, the caller's user id and role (or anonymous),
and stamped with the data version read *before* they were rendered. An entry is served
only while the version is unchanged, so a review edit or a pipeline run shows on the
next request in every process. Anonymous and logged-in callers never share an entry;
the session's CSRF token, which pages print into their forms, is swapped for a marker
before an entry is stored and put back for each session that gets it.

Why: one uvicorn process renders about 150 uncached pages a second on the project's
2-core machine (each takes 4-6 PostgreSQL queries); 50 concurrent readers then wait
hundreds of milliseconds. Cached answers skip the queries and the templates.

Also here: strong ETags (``If-None-Match`` answered with 304), gzip for clients that
accept it, ``Cache-Control: no-cache`` (browsers revalidate), and *single flight*: when
many requests miss the same entry at once, one renders and the others wait for it.

Requests share version reads: a request waits for a read that starts after it arrived
(at most one runs at a time), so whatever was committed before the request arrived is
seen, and 50 concurrent readers cost one query per batch, not 50. The read also gets
the *auth version* (row 2, bumped by every write to users, API tokens and sessions:
revision 0007); who a session key or token belongs to is looked up once and kept while
that is unchanged, so a logout, a password change or a disabled user shows on the next
request, and logged-in callers cost no query of their own either.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import anyio.to_thread
from sqlalchemy import and_, select

from tolltrace.store import Store, schema
from tolltrace.web.queries import reader
from tolltrace.web.tables import data_version, web_sessions
from tolltrace.web.users import TOKEN_PREFIX, User, session_hash, token_hash

__all__ = ["CACHED_PATHS", "ReadCache", "Who", "read_version", "read_versions", "resolve"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Paths whose GET answers depend only on the data, the caller and the URL.
CACHED_PATHS = (
    "/incidents/",
    "/documents/",
    "/audit",
    "/api/v1/incidents",
    "/api/v1/claims",
    "/api/v1/documents",
    "/api/v1/copies",
    "/api/v1/claimants",
    "/api/v1/audit",
    "/openapi.json",
)
_MAX_ENTRIES = 2048
_MAX_BYTES = 64 * 1024 * 1024  # all entries together
_MAX_BODY = 2 * 1024 * 1024  # one answer
_GZIP_MIN = 1024
_MAX_CREDENTIALS = 10_000


@dataclass(frozen=True, slots=True)
class Who:
    """The data version (None: could not be read) and the caller."""

    version: int | None
    user: User | None = None
    via_token: bool = False
    bad_token: bool = False
    expires: float = float("inf")  # when the session ends (Unix time)


DV, WS, U, T = data_version, web_sessions, schema.users, schema.api_tokens


def read_version(store: Store) -> int | None:
    return read_versions(store)[0]


def read_versions(store: Store) -> tuple[int | None, int | None]:
    """The data version (row 1) and the auth version (row 2: users, tokens, sessions)."""
    with reader(store) as conn:
        rows = dict(conn.execute(select(DV.c.id, DV.c.version).where(DV.c.id.in_([1, 2]))).all())
    data, auth = rows.get(1), rows.get(2)
    return (None if data is None else int(data)), (None if auth is None else int(auth))


def resolve(store: Store, session_key: str | None, token: str | None) -> Who:
    """The data version and the user of a session key or API token, in one query."""
    cols: tuple[Any, ...] = (DV.c.version, U.c.id, U.c.username, U.c.role)
    if token is not None:
        if not token.startswith(TOKEN_PREFIX):
            return Who(read_version(store), None, True, True)
        cond = and_(T.c.token_hash == token_hash(token), T.c.revoked.is_(False))
        inner = T.join(U, and_(U.c.id == T.c.user_id, U.c.disabled.is_(False)))
    elif session_key is not None:
        cond = and_(
            WS.c.id == session_hash(session_key),
            WS.c.revoked_at.is_(None),
            WS.c.expires_at > datetime.now(UTC),
        )
        inner = WS.join(U, and_(U.c.id == WS.c.user_id, U.c.disabled.is_(False)))
        cols = (*cols, WS.c.expires_at)
    else:
        return Who(read_version(store))
    q = select(*cols).select_from(DV.outerjoin(inner, cond)).where(DV.c.id == 1)
    with reader(store) as conn:
        row = conn.execute(q).first()
    if row is None:  # no data_version row: a database from before revision 0005
        return Who(None)
    user = None if row.id is None else User(row.id, row.username, row.role)
    via_token = token is not None
    expires = float("inf")
    if user is not None and token is None:
        at = row.expires_at
        expires = (at if at.tzinfo else at.replace(tzinfo=UTC)).timestamp()
    return Who(int(row.version), user, via_token, via_token and user is None, expires)


class _VersionProbe:
    """Shared version reads for anonymous requests: each waits for a read that starts
    after it arrived; one read runs at a time."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._pending: asyncio.Future[tuple[int | None, int | None]] | None = None
        self._running = False
        self._loop: asyncio.AbstractEventLoop | None = None

    async def get(self) -> tuple[int | None, int | None]:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a new event loop (tests start several): start afresh
            self._loop, self._pending, self._running = loop, None, False
        if self._pending is None:
            self._pending = loop.create_future()
        fut = self._pending
        if not self._running:
            self._start()
        return await asyncio.shield(fut)

    def _start(self) -> None:
        fut, self._pending, self._running = self._pending, None, True
        assert fut is not None
        asyncio.get_running_loop().create_task(self._read(fut))

    async def _read(self, fut: asyncio.Future[tuple[int | None, int | None]]) -> None:
        v: tuple[int | None, int | None]
        try:
            v = await anyio.to_thread.run_sync(read_versions, self.store)
        except Exception:
            v = (None, None)
        if not fut.done():
            fut.set_result(v)
        self._running = False
        if self._pending is not None and not self._pending.done():
            self._start()


@dataclass(slots=True)
class _Entry:
    version: int
    at: float
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes  # with the CSRF marker in place of the session's token
    tag: str  # hash of body
    has_marker: bool
    private: bool  # a logged-in caller's: shared caches (proxies) must not keep it
    gz: bytes | None = None


class ReadCache:
    def __init__(self, app: ASGIApp, ttl: float) -> None:
        self.app = app
        self.ttl = ttl
        self.marker = ("csrf-" + secrets.token_hex(16)).encode()
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._bytes = 0
        self._flights: dict[tuple[str, int], asyncio.Future[None]] = {}
        self._probe: _VersionProbe | None = None
        # session or token hash -> (auth version, who) of its last lookup
        self._credentials: OrderedDict[str, tuple[int, Who]] = OrderedDict()
        self.hits = 0
        self.misses = 0

    # -- who is asking ----------------------------------------------------------------

    async def _who(self, scope: Scope, session: Any) -> Who:
        store: Store = scope["app"].state.store
        token = None
        for name, value in scope.get("headers", ()):
            if name == b"authorization":
                raw = value.decode("latin-1")
                if raw[:7].lower() == "bearer ":
                    token = raw[7:].strip()
        key = getattr(session, "key", None)
        try:
            if self._probe is None:
                self._probe = _VersionProbe(store)
            data_v, auth_v = await self._probe.get()
            if token is None and key is None:
                return Who(data_v)
            if token is not None:
                cred = "t" + token_hash(token)
            else:
                assert key is not None
                cred = "s" + session_hash(key)
            # Who a credential belongs to is kept while the auth version is unchanged
            # (any login, logout, password change, disabled user or token bumps it).
            known = self._credentials.get(cred)
            if (
                known is not None
                and data_v is not None
                and known[0] == auth_v
                and known[1].expires > time.time()
            ):
                self._credentials.move_to_end(cred)
                w = known[1]
                return Who(data_v, w.user, w.via_token, w.bad_token, w.expires)
            who: Who = await anyio.to_thread.run_sync(resolve, store, key, token)
            if auth_v is not None and who.version is not None:
                self._credentials[cred] = (auth_v, who)
                while len(self._credentials) > _MAX_CREDENTIALS:
                    self._credentials.popitem(last=False)
            return who
        except Exception:
            return Who(None)  # the routers look the caller up themselves

    # -- the cache ----------------------------------------------------------------------

    def _cacheable(self, scope: Scope) -> bool:
        if self.ttl <= 0 or scope["method"] != "GET":
            return False
        path: str = scope["path"]
        return path == "/" or path.startswith(CACHED_PATHS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        session = state.get("session")
        who = await self._who(scope, session)
        state["who"] = who
        keyed = session is not None and getattr(session, "key", None)
        if keyed and not who.via_token and who.version is not None:
            if who.user is None:
                session.logout()  # revoked or expired server-side: forget the key
            else:
                session.user_id = who.user.id
        if who.version is None or who.bad_token or not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        key = self._key(scope, who)
        while True:
            entry = self._entries.get(key)
            if (
                entry is not None
                and entry.version == who.version
                and time.monotonic() - entry.at < self.ttl
            ):
                self.hits += 1
                self._entries.move_to_end(key)
                await self._serve(entry, scope, session, send)
                return
            flight = self._flights.get((key, who.version))
            if flight is None:
                break
            await asyncio.shield(flight)  # another request renders it: wait, then look
            if key not in self._entries:
                break  # it could not be cached: render our own
        self.misses += 1
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._flights[(key, who.version)] = done
        try:
            await self._render(scope, receive, send, session, key, who.version)
        finally:
            del self._flights[(key, who.version)]
            done.set_result(None)

    def _key(self, scope: Scope, who: Who) -> str:
        u = who.user
        caller = "-" if u is None else f"{u.id}:{u.role}:{'t' if who.via_token else 's'}"
        query = scope.get("query_string", b"").decode("latin-1")
        return f"{caller} {scope['path']}?{query}"

    async def _render(
        self, scope: Scope, receive: Receive, send: Send, session: Any, key: str, version: int
    ) -> None:
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        passthrough = False

        async def capture(message: Message) -> None:
            nonlocal start, size, passthrough
            if passthrough:
                await send(message)
                return
            if message["type"] == "http.response.start":
                start = message
                headers = message.get("headers", [])
                if message["status"] != 200 or any(n == b"set-cookie" for n, _ in headers):
                    passthrough = True
                    await send(message)
                return
            if message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if size > _MAX_BODY:  # too big to keep: send what we have and stream on
                    passthrough = True
                    assert start is not None
                    await send(start)
                    await send({"type": "http.response.body", "body": b"".join(chunks),
                                "more_body": message.get("more_body", False)})  # fmt: skip
                    return
                if not message.get("more_body", False):
                    assert start is not None
                    entry = self._store(key, version, start, b"".join(chunks), session)
                    await self._serve(entry, scope, session, send)
                return
            await send(message)

        await self.app(scope, receive, capture)

    def _store(self, key: str, version: int, start: Message, body: bytes, session: Any) -> _Entry:
        token = getattr(session, "csrf_token", None)
        if token and token.encode() in body:
            body = body.replace(token.encode(), self.marker)
        headers = [
            (n, v)
            for n, v in start.get("headers", [])
            if n not in {b"content-length", b"etag", b"cache-control", b"vary"}
        ]
        entry = _Entry(
            version=version,
            at=time.monotonic(),
            status=start["status"],
            headers=headers,
            body=body,
            tag=hashlib.blake2b(body, digest_size=12).hexdigest(),
            has_marker=self.marker in body,
            private=not key.startswith("- "),
        )
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= len(old.body) + len(old.gz or b"")
        self._entries[key] = entry
        self._bytes += len(body)
        while self._entries and (len(self._entries) > _MAX_ENTRIES or self._bytes > _MAX_BYTES):
            _, gone = self._entries.popitem(last=False)
            self._bytes -= len(gone.body) + len(gone.gz or b"")
        return entry

    async def _serve(self, entry: _Entry, scope: Scope, session: Any, send: Send) -> None:
        body = entry.body
        tag = entry.tag
        if entry.has_marker:
            token = session.csrf if session is not None else ""
            body = body.replace(self.marker, token.encode())
            tag = hashlib.blake2b((tag + token).encode(), digest_size=12).hexdigest()
        etag = f'"{tag}"'.encode()
        headers = list(entry.headers)
        headers.append((b"etag", etag))
        headers.append((b"cache-control", b"private, no-cache" if entry.private else b"no-cache"))
        headers.append((b"vary", b"Accept-Encoding, Cookie, Authorization"))
        inm = b""
        gzip_ok = False
        for name, value in scope.get("headers", ()):
            if name == b"if-none-match":
                inm = value
            elif name == b"accept-encoding" and b"gzip" in value:
                gzip_ok = True
        if inm and (inm.strip() == b"*" or etag in [t.strip() for t in inm.split(b",")]):
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        if gzip_ok and len(body) >= _GZIP_MIN:
            if entry.has_marker:
                body = gzip.compress(body, compresslevel=1, mtime=0)
            else:
                if entry.gz is None:
                    entry.gz = gzip.compress(body, compresslevel=6, mtime=0)
                    self._bytes += len(entry.gz)
                body = entry.gz
            headers.append((b"content-encoding", b"gzip"))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": entry.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
