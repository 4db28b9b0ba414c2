"""The cross-market compliance page (``/compliance``) and its download.

Moved out of ``web/routes.py`` (issue 14 item 3).  The page answers with every per-vehicle scheme's outcome
and status; where the rule library misses an input the cell carries a field to fill (``in.<vehicle>.<field>``),
and a price is given per market with its currency (``price.<vehicle>.<market>``,
``currency.<vehicle>.<market>``).  The form is posted (``POST /compliance``) so that a pasted private spec
never reaches a URL: without a pasted spec the answer's address is the equivalent ``GET`` query (pushed by
htmx, or a 303 redirect without JavaScript); with one, the address carries everything but the spec.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from roadcarbon.errors import InputError, RoadcarbonError
from roadcarbon.web import backend, compliance, views
from roadcarbon.web.app import Page, Web, _guard, redirect

PRIVATE_KEYS = ("spec", "csrf", "lang")
"""Form entries never put in an address (the pasted spec is private; the token is the session's)."""


def _on(on: str) -> dt.date:
    if not on:
        return views.today()
    try:
        return dt.date.fromisoformat(on)
    except ValueError as exc:
        raise InputError(f"expected a date YYYY-MM-DD, got {on!r}", field="on") from exc


def _presets() -> list[dict[str, str]]:
    try:
        return backend.presets_summary()
    except (backend.Unavailable, RoadcarbonError):
        return []


def public_query(items: list[tuple[str, str]]) -> str:
    """The state as a query string without the private entries and without empty added values."""
    kept = [
        (k, v)
        for k, v in items
        if k not in PRIVATE_KEYS and not (k.startswith(("in.", "price.")) and not v.strip())
    ]
    prices = {k.removeprefix("price.") for k, v in kept if k.startswith("price.")}
    kept = [(k, v) for k, v in kept if not k.startswith("currency.") or k.removeprefix("currency.") in prices]
    return urlencode(kept)


def _state(items: list[tuple[str, str]]) -> compliance.State:
    def all_of(name: str) -> list[str]:
        return [v for k, v in items if k == name]

    has_v = any(k == "v" for k, _v in items) or any(k == "shown" for k, _v in items)
    chosen = [x for x in all_of("v") if x] if has_v else list(backend.default_pair())
    spec = next((v for k, v in items if k == "spec"), "")
    on = next((v for k, v in items if k == "on"), "")
    return compliance.State(chosen, _on(on), spec, backend.allowed_statuses(all_of("allow")), items)


def _published(request: Request) -> Any:
    """The rule library with the rule values published through reviewed contributions (None: the packaged one).

    Without the platform database (a bare dashboard) the packaged library answers.
    """
    from roadcarbon.web import platform

    try:
        from roadcarbon.services.regulations import library
        from roadcarbon.services.value_changes_rules import published_library

        with platform.reading(request) as db:
            lib = published_library(db)
        return None if lib is library() else lib
    except backend.Unavailable:
        return None


def _download(q: Any) -> Any:
    return compliance.view(_state(list(q.multi_items())))["table"]


def register(router: APIRouter, web: Web) -> None:
    """Add ``/compliance`` (GET and POST) to ``router`` and its table to the downloads."""
    from roadcarbon.web.routes import EXTRA_DOWNLOADS

    EXTRA_DOWNLOADS["compliance"] = _download

    def answer(request: Request, items: list[tuple[str, str]]) -> Response:
        page = Page(web, request)
        form: dict[str, Any] = {
            "v": [v for k, v in items if k == "v"],
            "on": next((v for k, v in items if k == "on"), ""),
            "spec": next((v for k, v in items if k == "spec"), ""),
            "allow": [v for k, v in items if k == "allow"],
        }
        query = public_query(items)
        problems: dict[str, str] = {}

        def build() -> dict[str, Any]:
            state = _state(items)
            state.library = _published(request)
            form["v"] = state.vehicles
            form["on"] = state.on.isoformat()
            out = compliance.view(state)
            problems.update(out["added"].problems)
            out["outcome_keys"] = views.OUTCOME_KEYS
            out["extra_keys"] = compliance.EXTRA_OUTCOME_KEYS
            out["extra_label"] = compliance.extra_outcome_label
            out["query"] = query
            out["trace_base"] = urlencode(
                [("on", state.on.isoformat()), *[("allow", s) for s in state.allow]]
            )
            return out

        response = _guard(
            page,
            "compliance.html",
            build,
            nav="compliance",
            form=form,
            presets=_presets(),
            outcome_label=views.outcome_label,
            field_spec=compliance.field_spec,
            fragment="compliance_results.html",
            errors_inline=True,
            statuses=backend.STATUSES_BEYOND_ENACTED,
        )
        if problems and response.status_code == 200:
            response.status_code = 400  # a value the user added is not valid: named next to its field
        if request.method == "POST" and request.headers.get("hx-request") == "true":
            response.headers["HX-Push-Url"] = "/compliance" + ("?" + query if query else "")
        return response

    @router.get("/compliance/download.{fmt}", response_class=Response)
    def compliance_download(request: Request, fmt: str) -> Response:
        """The table as CSV or XLSX, evaluated as the page is (with the published rule values)."""
        from roadcarbon.web.app import download, query_tag

        page = Page(web, request)
        if fmt not in ("csv", "xlsx"):
            return page.render("error.html", code=404, error=f"fmt: expected csv or xlsx, got {fmt!r}")
        try:
            state = _state(list(request.query_params.multi_items()))
            state.library = _published(request)
            table = compliance.view(state)["table"]
        except RoadcarbonError as exc:
            return page.render("error.html", code=400, error=str(exc))
        except backend.Unavailable as exc:
            return page.render("error.html", code=503, unavailable=str(exc))
        return download(table, fmt, query_tag(request))

    @router.get("/compliance", response_class=Response)
    def compliance_page(request: Request) -> Response:
        return answer(request, list(request.query_params.multi_items()))

    @router.post("/compliance", response_class=Response)
    async def compliance_post(request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool

        from roadcarbon.web import session
        from roadcarbon.web.i18n import gettext_

        page = Page(web, request)
        body = await request.form()
        if not session.check_csrf(page.session, str(body.get("csrf") or "")):  # as every posted form
            return page.render("error.html", code=403, error=gettext_("The form expired; please try again."))
        items = [(k, str(v)) for k, v in body.multi_items() if isinstance(v, str)]
        has_spec = any(k == "spec" and v.strip() for k, v in items)
        if not has_spec and request.headers.get("hx-request") != "true":
            query = public_query(items)
            return page.finish(redirect("/compliance" + ("?" + query if query else "")))
        response = await run_in_threadpool(answer, request, items)
        if has_spec:
            response.headers["Cache-Control"] = "no-store"  # a private spec is not kept by any cache
        return response
