"""Run the app under uvicorn (what ``tolltrace serve`` calls)."""

from __future__ import annotations

import uvicorn

from tolltrace.settings import Settings
from tolltrace.web.app import create_app

__all__ = ["serve"]


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    app = create_app(settings)
    try:
        uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)
    finally:
        app.state.store.close()
