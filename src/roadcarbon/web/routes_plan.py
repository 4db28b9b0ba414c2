"""Dashboard page of the manufacturer planner: a lineup editor (from bundled lineups), the mix, the Pareto chart."""

from __future__ import annotations

from typing import Any, Literal

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import Response

from roadcarbon.errors import InputError
from roadcarbon.io.specs import read_yaml_text
from roadcarbon.services import planning
from roadcarbon.web import i18n
from roadcarbon.web.app import Page, Web, _guard, download
from roadcarbon.web.tables import Table

PARETO_CHOICES = (0, 5, 10, 20)
"""Pareto points offered on the page (0: no front)."""
MAX_LINEUP_CHARS = 20_000
"""Longest lineup text the page accepts (the page state lives in the URL)."""


def _bundled_text(preset: str) -> str:
    paths = planning.bundled_lineups()
    if preset not in paths:
        raise InputError(f"unknown bundled lineup {preset!r}", field="preset")
    return paths[preset].read_text(encoding="utf-8")


def _read(text: str) -> Any:
    if len(text) > MAX_LINEUP_CHARS:
        raise InputError(f"at most {MAX_LINEUP_CHARS} characters", field="lineup")
    try:
        return read_yaml_text(text)  # YAML 1.2 booleans: `NO` stays a country code
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise InputError(f"not valid YAML{where}", field="lineup") from exc


def _pareto(value: int) -> int | None:
    if value not in PARETO_CHOICES:
        raise InputError(f"expected one of {', '.join(map(str, PARETO_CHOICES))}", field="pareto")
    return value or None


def _run(text: str, pareto: int) -> dict[str, Any]:
    return planning.plan_document(_read(text), pareto=_pareto(pareto), base=None, with_trace=False)


def _chart(doc: dict[str, Any]) -> dict[str, Any]:
    _ = i18n.gettext_
    return {
        "currency": doc["currency"],
        "xName": _("life-cycle emissions [t CO2e]"),
        "yName": _("profit [%(currency)s]") % {"currency": doc["currency"]},
        "points": [[p["t_co2e"], p["profit"]] for p in doc.get("pareto") or []],
        "optimum": [doc["t_co2e"], doc["profit_model"]] if doc["status"] == "optimal" else None,
        "optimumLabel": _("optimum"),
    }


def _table(doc: dict[str, Any], which: str) -> Table:
    cur = doc["currency"]
    if which == "pareto":
        rows = [[p["t_co2e"], p["profit"]] for p in doc.get("pareto") or []]
        return Table(name="plan-pareto", headers=["t_co2e", f"profit_{cur}"], rows=rows, notes=doc["notes"])
    headers = [
        "model",
        "year",
        "option",
        "units",
        f"unit_margin_{cur}",
        "t_co2e_per_unit",
        "g_co2e_per_km",
        "why",
    ]
    rows = [[m[h.removesuffix(f"_{cur}")] if h.endswith(cur) else m[h] for h in headers] for m in doc["mix"]]
    notes = [f"status {doc['status']}; profit {doc['profit']} {cur}", *doc["notes"]]
    notes += [f"{b['constraint']}: shadow price {b.get('shadow_price')}" for b in doc["binding"]]
    return Table(name="plan-mix", headers=headers, rows=rows, notes=notes)


def register(router: APIRouter, web: Web) -> None:
    """Add ``/plan`` and its downloads to the dashboard."""

    @router.get("/plan", response_class=Response)
    def plan_page(request: Request, preset: str = "", lineup: str = "", pareto: int = 10) -> Response:
        page = Page(web, request)
        presets = [(key, key) for key in planning.bundled_lineups()]
        form: dict[str, Any] = {"preset": preset, "lineup": lineup, "pareto": pareto}

        def build() -> dict[str, Any]:
            text = lineup
            if not text and preset:
                text = _bundled_text(preset)
                form["lineup"] = text
            if not lineup:
                return {"doc": None}
            doc = _run(text, pareto)
            return {"doc": doc, "chart": _chart(doc)}

        return _guard(
            page,
            "plan.html",
            build,
            nav="plan",
            form=form,
            presets=presets,
            pareto_choices=PARETO_CHOICES,
            fragment="plan_results.html",
            errors_inline=True,
        )

    @router.get("/plan/download.{fmt}", response_class=Response)
    def plan_download(
        request: Request,
        fmt: Literal["csv", "xlsx"],
        lineup: str = "",
        pareto: int = 0,
        table: Literal["mix", "pareto"] = "mix",
    ) -> Response:
        page = Page(web, request)
        try:
            doc = _run(lineup, pareto)
        except InputError as exc:
            return page.render("error.html", code=400, error=str(exc))
        return page.finish(download(_table(doc, table), fmt))
