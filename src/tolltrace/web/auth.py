"""Log in and out (session cookie), and API tokens for scripts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from tolltrace.web.deps import AuthContext, render, require, session, store
from tolltrace.web.security import safe_next, tokens_match
from tolltrace.web.users import (
    ROLES,
    UserError,
    add_user,
    authenticate,
    change_password,
    create_session,
    create_token,
    list_users,
    revoke_session,
    set_disabled,
    set_password,
)

__all__ = ["api", "pages"]

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["access"])


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@pages.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", {"next": safe_next(next), "error": None})


@pages.post("/login")
async def login(request: Request) -> Response:
    wait = request.app.state.login_limiter.hit(_client(request))
    if wait:
        return render(
            request,
            "login.html",
            {"next": "/", "error": "Too many login attempts: wait a minute and try again."},
            status_code=429,
            headers={"Retry-After": str(int(wait) + 1)},
        )
    form = await request.form()
    sess = session(request)
    given = form.get("csrf_token")
    if not tokens_match(given if isinstance(given, str) else None, sess.csrf_token):
        raise HTTPException(403, "missing or wrong CSRF token")
    username = form.get("username")
    password = form.get("password")
    nxt = form.get("next")
    target = safe_next(nxt if isinstance(nxt, str) else None)
    user = None
    if isinstance(username, str) and isinstance(password, str) and len(password) <= 1024:
        user = authenticate(store(request), username, password)
    if user is None:
        return render(
            request,
            "login.html",
            {"next": target, "error": "Wrong username or password."},
            status_code=401,
        )
    hours = request.app.state.settings.web_session_hours
    sess.login(create_session(store(request), user.id, hours), user.id)
    return RedirectResponse(target, status_code=303)


@pages.post("/logout")
async def logout(request: Request) -> Response:
    form = await request.form()
    given = form.get("csrf_token")
    sess = session(request)
    if not tokens_match(given if isinstance(given, str) else None, sess.csrf_token):
        raise HTTPException(403, "missing or wrong CSRF token")
    if sess.key is not None:
        revoke_session(store(request), sess.key)  # the cookie, if kept, logs no one in
    sess.logout()
    return RedirectResponse("/login", status_code=303)


class TokenIn(BaseModel):
    name: str = Field(default="api", max_length=100)


@api.post("/tokens", summary="A new API token for the caller (shown once)")
def new_token(
    body: TokenIn, request: Request, ctx: Annotated[AuthContext, require("viewer")]
) -> dict[str, Any]:
    assert ctx.user is not None
    token = create_token(store(request), ctx.user.username, body.name)
    return {"token": token, "user": ctx.user.username, "role": ctx.user.role}


class UserIn(BaseModel):
    username: str = Field(max_length=100)
    password: str = Field(min_length=8, max_length=1024)
    role: str = Field(default="viewer", description=" | ".join(ROLES))


@api.post("/users", summary="Add a user (admin)")
def new_user(
    body: UserIn, request: Request, ctx: Annotated[AuthContext, require("admin")]
) -> dict[str, Any]:
    try:
        user = add_user(store(request), body.username, body.password, body.role)
    except UserError as exc:
        raise HTTPException(400, str(exc)) from exc
    return {"username": user.username, "role": user.role}


@api.get("/users", summary="List users (admin)")
def users(request: Request, ctx: Annotated[AuthContext, require("admin")]) -> dict[str, Any]:
    return {"items": [{"username": u.username, "role": u.role} for u in list_users(store(request))]}


class PasswordIn(BaseModel):
    current: str = Field(max_length=1024)
    new: str = Field(min_length=8, max_length=1024)


@api.post("/me/password", summary="Change your own password (ends all your web sessions)")
def new_password(
    body: PasswordIn, request: Request, ctx: Annotated[AuthContext, require("viewer")]
) -> dict[str, Any]:
    assert ctx.user is not None
    try:
        change_password(store(request), ctx.user, body.current, body.new)
    except UserError as exc:
        raise HTTPException(400, str(exc)) from exc
    # Every session of the user ended, this one too: log in again with the new password.
    session(request).logout()
    return {"username": ctx.user.username, "sessions": "ended"}


class UserChange(BaseModel):
    disabled: bool | None = None
    password: str | None = Field(default=None, min_length=8, max_length=1024)


@api.patch("/users/{username}", summary="Disable or enable a user, or set a password (admin)")
def change_user(
    username: str,
    body: UserChange,
    request: Request,
    ctx: Annotated[AuthContext, require("admin")],
) -> dict[str, Any]:
    """Disabling a user or setting their password ends all their web sessions."""
    try:
        if body.password is not None:
            set_password(store(request), username, body.password)
        if body.disabled is not None:
            set_disabled(store(request), username, body.disabled)
    except UserError as exc:
        raise HTTPException(404 if "no user" in str(exc) else 400, str(exc)) from exc
    return {"username": username, "disabled": body.disabled}
