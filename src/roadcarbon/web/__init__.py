"""The web dashboard: server-rendered pages (Jinja2 + htmx) with ECharts, served by the platform.

The platform's app factory calls :func:`mount`; the pages live at ``/``,
``/compare``, ``/map``, ``/standards``, ``/compliance``, ``/contributions``,
``/data`` and ``/login``, the static files (vendored ECharts, htmx, the world
map) at ``/static``.  See ``docs/web.md``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["mount"]


def mount(app: Any, settings: Any = None) -> None:
    """Register the dashboard's routes and static files on a FastAPI ``app``.

    Parameters
    ----------
    app
        The platform's FastAPI application.
    settings
        The platform's :class:`roadcarbon.settings.Settings` (secret key, cookie policy); ``None``
        reads them from the environment.
    """
    from roadcarbon.web.app import install

    install(app, settings)
