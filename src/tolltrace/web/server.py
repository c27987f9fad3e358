"""Run the app under uvicorn (what ``tolltrace serve`` calls)."""

from __future__ import annotations

import os
import secrets
from dataclasses import fields
from typing import Any

import uvicorn
from fastapi import FastAPI

from tolltrace.settings import Settings, load_settings
from tolltrace.web.app import create_app

__all__ = ["app_from_env", "serve"]


def app_from_env() -> FastAPI:
    """The app of one worker process: settings from ``TOLLTRACE_*`` (set by :func:`serve`)."""
    return create_app(load_settings())


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    if workers <= 1:
        app = create_app(settings)
        try:
            uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)
        finally:
            app.state.store.close()
        return
    # Several processes: each builds its app from the environment, so the resolved
    # settings go there; they must share one session key or logins would work in one
    # process and not the next.
    env: dict[str, Any] = {f.name: getattr(settings, f.name) for f in fields(settings)}
    if not env["web_secret"]:
        env["web_secret"] = secrets.token_urlsafe(32)
    for name, value in env.items():
        os.environ["TOLLTRACE_" + name.upper()] = (
            str(value).lower() if isinstance(value, bool) else str(value)
        )
    uvicorn.run(
        "tolltrace.web.server:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        proxy_headers=False,
    )
