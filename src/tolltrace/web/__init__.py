"""The analyst's workbench: web app and REST API (``tolltrace serve``).

Import :func:`create_app` from here; the routers are private modules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["create_app"]

if TYPE_CHECKING:
    from tolltrace.web.app import create_app
else:

    def create_app(*args: Any, **kwargs: Any) -> Any:
        # Imported on first use so that `tolltrace user add` needs no web framework.
        from tolltrace.web.app import create_app as _create_app

        return _create_app(*args, **kwargs)
