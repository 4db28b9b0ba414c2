"""Routes of the dashboard and the per-request plumbing (language, session, CSRF, rendering)."""

from __future__ import annotations

import json
import os
import re
import secrets
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from roadcarbon.errors import DataError, RoadcarbonError
from roadcarbon.web import backend, i18n, session
from roadcarbon.web.tables import Table, to_csv, to_xlsx

HERE = Path(__file__).parent
STATIC_VERSION = "3"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """The template environment, one per process (templates compile once, whatever the number of apps)."""
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(i18n.gettext_, i18n.ngettext_, newstyle=True)  # type: ignore[attr-defined]
    env.filters["num"] = i18n.number
    env.filters["status_label"] = status_label
    env.tests["startingwith"] = lambda value, prefix: isinstance(value, str) and value.startswith(prefix)
    env.globals["status_label"] = status_label
    env.filters["map_item"] = lambda row: {
        "name": row[0],
        "label": row[1],
        "value": None if row[5] is None else round(row[5] * 100, 1),
    }
    env.filters["tojson_safe"] = lambda value: Markup(  # noqa: S704 - JSON escaped for a <script> block
        json.dumps(value, ensure_ascii=False, default=str)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    return env


def status_label(status: str) -> str:
    """The translated name of a value status (the code itself when unknown)."""
    _ = i18n.gettext_
    labels = {
        "enacted": _("enacted"),
        "announced": _("announced"),
        "projected": _("projected"),
        "assumption": _("assumption"),
        "unverified": _("unverified"),
    }
    return labels.get(status, status)


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
"""The dashboard's Content-Security-Policy: scripts only from our own files (no inline script, no eval), no
framing.  Inline *styles* stay allowed: chart heights and the standards timeline position bars with ``style``."""

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}
"""Headers every response carries (the API's too: none of it is meant to be framed or sniffed)."""

CSP_EXEMPT_PREFIXES = ("/docs", "/redoc")
"""Interactive API docs (Swagger UI / ReDoc) ship an inline bootstrap script: they keep their own policy."""


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` and the CSP to every HTTP response.

    A header the application already set is kept (so a route may send a stricter one).
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        csp = not path.startswith(CSP_EXEMPT_PREFIXES)

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                wanted = dict(SECURITY_HEADERS)
                if csp:
                    wanted["content-security-policy"] = CONTENT_SECURITY_POLICY
                for name, value in wanted.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BrowserNotFound:
    """ASGI middleware: a browser asking for a page that does not exist gets the dashboard's 404 page.

    Only GET/HEAD requests outside ``/api`` that accept ``text/html`` and whose 404 is not already HTML; API
    clients keep their problem+json.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        path = str(scope.get("path", "")) if scope["type"] == "http" else ""
        accept = dict(scope.get("headers") or []).get(b"accept", b"") if scope["type"] == "http" else b""
        if (
            scope["type"] != "http"
            or scope.get("method") not in ("GET", "HEAD")
            or path.startswith("/api")
            or b"text/html" not in accept
        ):
            await self.app(scope, receive, send)
            return
        replacing = False

        async def send_or_replace(message: Any) -> None:
            nonlocal replacing
            if message["type"] == "http.response.start" and message["status"] == 404:
                media = dict(message.get("headers") or []).get(b"content-type", b"")
                if not media.startswith(b"text/html"):
                    replacing = True
                    return
            if not replacing:
                await send(message)
                return
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                request = Request(scope)
                web = request.app.state.roadcarbon_web
                response = Page(web, request).render("error.html", code=404, not_found=path)
                await response(scope, receive, send)

        await self.app(scope, receive, send_or_replace)


def _data_release() -> str:
    """The packaged reference data's release (printed on exported charts); ``"?"`` when it cannot load."""
    try:
        return backend.data_version()
    except Exception:
        return "?"


class Web:
    """The dashboard's shared state: templates, secret key, cookie policy."""

    def __init__(self, settings: Any) -> None:
        self.env = _environment()
        key = ""
        if settings is not None and hasattr(settings, "resolved_secret_key"):
            key = settings.resolved_secret_key()
        key = key or os.environ.get("ROADCARBON_SECRET_KEY", "") or secrets.token_urlsafe(32)
        self.secret = ("web-session:" + key).encode()
        self.force_secure = os.environ.get("ROADCARBON_SECURE_COOKIES", "") == "1"
        self.settings = settings


class Page:
    """One request's view of the dashboard: its language, session and how to render."""

    def __init__(self, web: Web, request: Request) -> None:
        self.web = web
        self.request = request
        self.locale = i18n.choose(
            request.query_params.get("lang"),
            request.cookies.get("rc_lang"),
            request.headers.get("accept-language"),
        )
        i18n.set_current(self.locale)
        self.session = session.decode(request.cookies.get(session.COOKIE), web.secret)

    def url_with(self, **changes: Any) -> str:
        """The current URL with some query parameters replaced (``None`` removes one)."""
        items = [(k, v) for k, v in self.request.query_params.multi_items() if k not in changes]
        items += [(k, str(v)) for k, v in changes.items() if v is not None]
        query = urlencode(items)
        return self.request.url.path + ("?" + query if query else "")

    def query_string(self, drop: tuple[str, ...] = ("lang",)) -> str:
        """The current query string without ``drop`` keys (for download links)."""
        return urlencode([(k, v) for k, v in self.request.query_params.multi_items() if k not in drop])

    def finish(self, response: Response) -> Response:
        """Set the language and session cookies on ``response``."""
        secure = self.web.force_secure or self.request.url.scheme == "https"
        if self.request.query_params.get("lang") and i18n.normalise(self.request.query_params.get("lang")):
            response.set_cookie(
                "rc_lang", self.locale, max_age=365 * 86400, samesite="lax", secure=secure, httponly=True
            )
        if self.session.dirty:
            response.set_cookie(
                session.COOKIE,
                session.encode(self.session, self.web.secret),
                max_age=session.MAX_AGE_S,
                samesite="lax",
                secure=secure,
                httponly=True,
            )
        response.headers.setdefault("Content-Language", i18n.bcp47(self.locale))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    def render(self, template: str, *, code: int = 200, **context: Any) -> Response:
        """Render ``template`` in the request's language, with the shell's context."""
        fragment = self.request.headers.get("hx-request") == "true" and context.pop("fragment", None)
        base = {
            "page": self,
            "locale": self.locale,
            "lang": i18n.bcp47(self.locale),
            "locales": i18n.LOCALES,
            "user": self.session.user,
            "csrf": self.session.csrf,
            "static_version": STATIC_VERSION,
            "data_release": _data_release(),
        }
        html = self.web.env.get_template(fragment or template).render(**base, **context)
        return self.finish(HTMLResponse(html, status_code=code))


ERROR_CODES = {
    "NotFoundError": 404,
    "AuthenticationError": 401,
    "PermissionDeniedError": 403,
    "ConflictError": 409,
    "PreconditionFailedError": 412,
    "RateLimitedError": 429,
}
"""HTTP status of the platform's error classes (by name: the web layer does not import the API's)."""


def _guard(page: Page, template: str, build: Callable[[], dict[str, Any]], **context: Any) -> Response:
    """Render ``template`` with ``build()``'s context; a user error or a missing part becomes a notice."""
    try:
        values = build()
    except DataError as exc:
        return page.render(template, code=503, unavailable=str(exc), **context)
    except RoadcarbonError as exc:
        name = type(exc).__name__
        if name == "RulesUnavailableError":
            return page.render(template, code=503, unavailable=str(exc), **context)
        return page.render(template, code=ERROR_CODES.get(name, 400), error=str(exc), **context)
    except backend.Unavailable as exc:
        return page.render(template, code=503, unavailable=str(exc), **context)
    return page.render(template, **context, **values)


QUERY_TAG_KEYS = ("country", "market", "year", "on", "grid")
"""Query parameters whose values name a download file (``roadcarbon-stages-ID-2025.csv``), in this order."""


def query_tag(request: Request) -> str:
    """The part of a download's file name that says which query it answers (ASCII letters, digits, ``-_.``)."""
    parts = []
    for key in QUERY_TAG_KEYS:
        value = request.query_params.get(key, "")
        clean = re.sub(r"[^A-Za-z0-9_.-]+", "", value)[:24]
        if clean:
            parts.append(clean)
    return "-".join(parts)


def download(table: Table, fmt: str, tag: str = "") -> Response:
    """A table as a CSV or XLSX attachment, named after the table and the query (``tag``)."""
    if fmt == "csv":
        body, media = to_csv(table), "text/csv; charset=utf-8"
    else:
        body, media = to_xlsx(table), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        body,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="roadcarbon-{table.name}{"-" + tag if tag else ""}.{fmt}"'
        },
    )


def install(app: FastAPI, settings: Any = None) -> None:
    """Register the dashboard on ``app`` (see :func:`roadcarbon.web.mount`)."""
    from roadcarbon.web import routes, routes_fleet, routes_plan, routes_platform

    web = Web(settings)
    router = APIRouter(include_in_schema=False)
    routes.register(router, web)
    routes_platform.register(router, web)
    routes_fleet.register(router, web)
    routes_plan.register(router, web)
    from roadcarbon.web import routes_values  # contributions of values (issue 14.5)

    routes_values.register(router, web)
    from roadcarbon.web import routes_compliance_fleet  # fleet compliance page (issue 14.4)

    routes_compliance_fleet.register(router, web)
    from roadcarbon.web import routes_compliance  # the cross-market compliance page (issue 14.3)

    routes_compliance.register(router, web)
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_middleware(BrowserNotFound)
    app.add_middleware(SecurityHeaders)  # added last: outermost, so the 404 page carries the headers too
    app.state.roadcarbon_web = web
    if os.environ.get("ROADCARBON_WEB_WARM", "1") != "0":
        backend.warm()  # about 1 s once per process (cached), so no user waits for it on a first page
        for name in web.env.list_templates(extensions=["html"]):
            web.env.get_template(name)  # compile every template now (Jinja caches them)


def redirect(url: str) -> RedirectResponse:
    """A 303 redirect (after a POST)."""
    return RedirectResponse(url, status_code=303)
