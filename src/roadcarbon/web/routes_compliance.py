"""The cross-market compliance page (``/compliance``) and its download.

Moved out of ``web/routes.py`` (issue 14 item 3) so the compliance form can grow its own fields
(missing inputs, one price per market) without touching the other pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from roadcarbon.errors import InputError
from roadcarbon.web import backend, views
from roadcarbon.web.app import Page, Web, _guard


def _on(on: str) -> dt.date:
    if not on:
        return views.today()
    try:
        return dt.date.fromisoformat(on)
    except ValueError as exc:
        raise InputError(f"expected a date YYYY-MM-DD, got {on!r}", field="on") from exc


def _allow(values: list[str] | None) -> tuple[str, ...]:
    """The non-enacted statuses a user accepts, checked against the closed list."""
    chosen = tuple(dict.fromkeys(v for v in values or [] if v))
    for value in chosen:
        if value not in backend.STATUSES_BEYOND_ENACTED:
            expected = ", ".join(backend.STATUSES_BEYOND_ENACTED)
            raise InputError(f"expected one of: {expected}; got {value!r}", field="allow")
    return chosen


def _presets() -> list[dict[str, str]]:
    from roadcarbon.errors import RoadcarbonError

    try:
        return backend.presets_summary()
    except (backend.Unavailable, RoadcarbonError):
        return []


def _download(q: Any) -> Any:
    chosen = q.getlist("v") or list(backend.default_pair())
    return views.compliance_view(
        views.ComplianceState(chosen, _on(q.get("on", "")), q.get("spec", ""), _allow(q.getlist("allow")))
    )[2]


def register(router: APIRouter, web: Web) -> None:
    """Add ``/compliance`` to ``router`` and its table to the downloads."""
    from roadcarbon.web.routes import EXTRA_DOWNLOADS

    EXTRA_DOWNLOADS["compliance"] = _download

    @router.get("/compliance", response_class=Response)
    def compliance(
        request: Request,
        v: Annotated[list[str] | None, Query()] = None,
        on: str = "",
        spec: str = "",
        allow: Annotated[list[str] | None, Query()] = None,
    ) -> Response:
        page = Page(web, request)
        form: dict[str, Any] = {"v": v or [], "on": on, "spec": spec, "allow": allow or []}

        def build() -> dict[str, Any]:
            chosen = v if v is not None else list(backend.default_pair())
            form["v"] = chosen
            day = _on(on)
            form["on"] = day.isoformat()
            rows, names, _table = views.compliance_view(
                views.ComplianceState(chosen, day, spec, _allow(allow))
            )
            return {"rows": rows, "names": names, "outcome_keys": views.OUTCOME_KEYS}

        return _guard(
            page,
            "compliance.html",
            build,
            nav="compliance",
            form=form,
            presets=_presets(),
            outcome_label=views.outcome_label,
            fragment="compliance_results.html",
            errors_inline=True,
            statuses=backend.STATUSES_BEYOND_ENACTED,
        )
