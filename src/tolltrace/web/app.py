"""The FastAPI application: ``create_app(settings)``."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException

from tolltrace.settings import Settings
from tolltrace.store import Store
from tolltrace.web import api, auth, jobs, pages, review
from tolltrace.web.cache import ReadCache
from tolltrace.web.deps import LoginRequired
from tolltrace.web.security import RateLimiter, Session, WebMiddleware

__all__ = ["create_app"]

_HERE = Path(str(resources.files("tolltrace.web")))


class _LazyCsrf:
    """The session's CSRF token, made only when a template prints it: pages without a
    form set no cookie, so anonymous pages stay cacheable."""

    __slots__ = ("session",)

    def __init__(self, session: Session) -> None:
        self.session = session

    def __str__(self) -> str:
        return self.session.csrf

    def __html__(self) -> str:
        return self.session.csrf  # URL-safe base64: nothing to escape


def _fig(f: Any) -> str:
    """A figure as people write it: 60, 60+ (open above), ≤200, 15-20."""
    lo, hi = (f.get("min"), f.get("max")) if isinstance(f, dict) else f
    if lo is None and hi is None:
        return "–"
    if hi is None:
        return f"{lo}+"
    if lo is None:
        return f"≤{hi}"
    return str(lo) if lo == hi else f"{lo}–{hi}"


# Threads that run the (blocking) database handlers. Starlette's default is 40; with
# 40 threads contending for the GIL and for 15 pooled connections the slowest requests
# waited seconds under 50 concurrent clients (benchmarks/bench_web.py); a few threads
# serve requests in arrival order instead.
_THREADS = 8


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    anyio.to_thread.current_default_thread_limiter().total_tokens = _THREADS
    yield
    runner = getattr(app.state, "jobs", None)
    if runner is not None:
        runner.shutdown()
    app.state.store.close()


def create_app(
    settings: Settings, *, store: Store | None = None, public_read: bool | None = None
) -> FastAPI:
    """The web app and REST API over ``settings.db`` (or ``store``).

    ``public_read`` overrides the ``web_public_read`` setting.
    """
    app = FastAPI(
        title="tolltrace",
        summary="Casualty claims traced to their sentence, claimant and outlet.",
        version="1",
        docs_url=None,  # served from vendored Swagger UI files by pages.api_docs
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.store = store or Store(settings.db)
    app.state.public_read = settings.web_public_read if public_read is None else public_read
    app.state.login_limiter = RateLimiter(settings.web_login_attempts, 60.0)

    env = Environment(
        loader=FileSystemLoader(str(_HERE / "templates")),
        # Autoescape everything we render: article text and titles are untrusted.
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fig"] = _fig
    templates = Jinja2Templates(env=env)

    def render(
        request: Request,
        name: str,
        context: dict[str, Any],
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        from tolltrace.web.deps import auth

        try:
            user = auth(request).user
        except HTTPException:  # a bad API token, while rendering the error page about it
            user = None
        full = {
            "user": user,
            "csrf_token": _LazyCsrf(request.state.session),
            "can_edit": user is not None and user.can("analyst"),
            "tile_url": settings.web_tile_url,
            "path": request.url.path + ("?" + request.url.query if request.url.query else ""),
            **context,
        }
        return templates.TemplateResponse(
            request, name, full, status_code=status_code, headers=headers
        )

    app.state.render = render

    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")
    app.include_router(api.router)
    app.include_router(review.api)
    app.include_router(jobs.router)
    app.include_router(auth.api)
    app.include_router(auth.pages)
    app.include_router(review.forms)
    app.include_router(pages.router)

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        target = request.url.path + ("?" + request.url.query if request.url.query else "")
        return RedirectResponse("/login?next=" + quote(target, safe=""), status_code=303)

    def _wants_html(request: Request) -> bool:
        return not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
            "accept", ""
        )

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        if _wants_html(request):
            return render(
                request,
                "error.html",
                {"status": exc.status_code, "detail": exc.detail},
                status_code=exc.status_code,
                headers=exc.headers,
            )
        return JSONResponse(
            {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)

    # Inner to WebMiddleware: it sees the session, and cached answers still get the
    # security headers (and the session cookie when it changed).
    app.add_middleware(ReadCache, ttl=settings.web_cache_seconds)
    app.add_middleware(
        WebMiddleware,
        settings=settings,
        secret=settings.web_secret or secrets.token_urlsafe(32),
    )

    return app
