"""Request dependencies shared by the routers: the store, who is asking, what they may do."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.responses import Response

from tolltrace.settings import Settings
from tolltrace.store import Store
from tolltrace.web.cache import Who, resolve
from tolltrace.web.security import Session, tokens_match
from tolltrace.web.users import Role, User

__all__ = [
    "AuthContext",
    "LoginRequired",
    "auth",
    "check_csrf",
    "render",
    "require",
    "session",
    "store",
]


class LoginRequired(Exception):
    """An anonymous visitor asked for a page that needs a login."""


def store(request: Request) -> Store:
    s: Store = request.app.state.store
    return s


def settings(request: Request) -> Settings:
    s: Settings = request.app.state.settings
    return s


def session(request: Request) -> Session:
    s: Session = request.state.session
    return s


@dataclass(frozen=True, slots=True)
class AuthContext:
    user: User | None
    via_token: bool  # True: an API token (no cookie, so no CSRF check)
    public_read: bool

    @property
    def can_read(self) -> bool:
        return self.user is not None or self.public_read

    def can(self, role: Role) -> bool:
        return self.user is not None and self.user.can(role)


def auth(request: Request) -> AuthContext:
    """The caller: as :class:`~tolltrace.web.cache.ReadCache` resolved it (one query
    with the data version), else looked up here."""
    public = bool(request.app.state.public_read)
    cached = getattr(request.state, "auth", None)
    if isinstance(cached, AuthContext):
        return cached
    header = request.headers.get("authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else None
    who = getattr(request.state, "who", None)
    if not isinstance(who, Who) or who.version is None:
        who = resolve(store(request), session(request).key, token)
    ctx: AuthContext
    if token is not None:
        if who.user is None:
            raise HTTPException(401, "invalid API token", headers={"WWW-Authenticate": "Bearer"})
        ctx = AuthContext(who.user, True, public)
    else:
        ctx = AuthContext(who.user, False, public)
    request.state.auth = ctx
    return ctx


Auth = Annotated[AuthContext, Depends(auth)]


async def api_reader(ctx: Auth) -> AuthContext:
    if not ctx.can_read:
        raise HTTPException(
            401, "log in or use an API token", headers={"WWW-Authenticate": "Bearer"}
        )
    return ctx


async def page_reader(ctx: Auth) -> AuthContext:
    if not ctx.can_read:
        raise LoginRequired
    return ctx


async def check_csrf(request: Request, ctx: Auth) -> None:
    """Refuse a cookie-authenticated state change without the session's CSRF token."""
    if ctx.via_token:
        return
    given = request.headers.get("x-csrf-token")
    if given is None:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get("csrf_token")
            given = value if isinstance(value, str) else None
    if not tokens_match(given, session(request).csrf_token):
        raise HTTPException(403, "missing or wrong CSRF token")


def require(role: Role) -> object:
    """A dependency: the caller is logged in (or holds a token) with at least ``role``,
    and a cookie-authenticated call carries its CSRF token."""

    async def dep(request: Request, ctx: Auth) -> AuthContext:
        if ctx.user is None:
            raise HTTPException(401, "log in or use an API token")
        if not ctx.can(role):
            raise HTTPException(403, f"needs the {role} role")
        if request.method not in {"GET", "HEAD", "OPTIONS"}:
            await check_csrf(request, ctx)
        return ctx

    return Depends(dep)


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Render a template with the page basics (user, CSRF token) filled in."""
    resp: Response = request.app.state.render(request, name, context, status_code, headers)
    return resp
