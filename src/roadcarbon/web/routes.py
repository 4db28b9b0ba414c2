"""The dashboard's pages.  Every page's state is in its URL query, so any view can be shared."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from roadcarbon.errors import InputError, RoadcarbonError
from roadcarbon.web import backend, views
from roadcarbon.web.app import Page, Web, _guard, download, query_tag
from roadcarbon.web.tables import Table

Fmt = Literal["csv", "xlsx"]


def _check_year(year: int) -> None:
    if not 1990 <= year <= 2060:
        raise InputError(f"year must be between 1990 and 2060, got {year}", field="year")


def _check_grid(grid: str) -> None:
    if grid not in ("production", "consumption"):
        raise InputError(f"grid must be 'production' or 'consumption', got {grid!r}", field="grid")


def _compare_state(
    v: list[str], country: str, year: int, grid: str, battery: str, assembly: str, samples: int, spec: str
) -> views.CompareState:
    from roadcarbon.countries import to_alpha2

    _check_year(year)
    _check_grid(grid)
    if not 0 <= samples <= 2000:
        raise InputError(f"samples must be between 0 and 2000, got {samples}", field="samples")
    return views.CompareState(
        vehicles=[x for x in v if x],
        country=to_alpha2(country, field="country"),
        year=year,
        grid=grid,
        battery_country=to_alpha2(battery, field="battery") if battery else "",
        assembly_country=to_alpha2(assembly, field="assembly") if assembly else "",
        samples=samples,
        spec=spec,
    )


def register(router: APIRouter, web: Web) -> None:
    """Add every page to ``router``."""

    @router.get("/world.geo.json", response_class=Response)
    def world() -> Response:
        import json

        from roadcarbon.web.geo import world_geojson

        body = json.dumps(world_geojson(), separators=(",", ":"))
        return Response(
            body, media_type="application/geo+json", headers={"Cache-Control": "public, max-age=86400"}
        )

    @router.get("/", response_class=Response)
    def home(request: Request) -> Response:
        page = Page(web, request)
        return _guard(page, "home.html", lambda: _home(), nav="home")

    CompareQuery = dict[str, Any]

    def compare_query(
        v: Annotated[list[str] | None, Query()] = None,
        country: str = "ID",
        year: int = 2025,
        grid: str = "production",
        battery: str = "",
        assembly: str = "",
        samples: int = 200,
        spec: str = "",
    ) -> CompareQuery:
        return {
            "v": v if v is not None else list(backend.default_pair()),
            "country": country,
            "year": year,
            "grid": grid,
            "battery": battery,
            "assembly": assembly,
            "samples": samples,
            "spec": spec,
        }

    @router.get("/compare", response_class=Response)
    def compare(
        request: Request,
        v: Annotated[list[str] | None, Query()] = None,
        country: str = "ID",
        year: int = 2025,
        grid: str = "production",
        battery: str = "",
        assembly: str = "",
        samples: int = 200,
        spec: str = "",
    ) -> Response:
        page = Page(web, request)
        form: dict[str, Any] = {}

        def build() -> dict[str, Any]:
            form.update(compare_query(v, country, year, grid, battery, assembly, samples, spec))
            state = _compare_state(**form)
            view = views.compare_view(state)
            return {
                "view": view,
                "state": state,
                "country_label": f"{backend.country_name(state.country)} ({state.country})",
                "today_iso": views.today().isoformat(),
                "data_version": view.data_version,
                **views.compare_chart_context(view),
            }

        return _guard(
            page,
            "compare.html",
            build,
            nav="compare",
            form=form,
            presets=_safe(backend.presets_summary),
            countries=_safe(backend.lca_countries),
            years=backend.YEARS,
            fragment="compare_results.html",
            errors_inline=True,
        )

    @router.get("/compare/sensitivity", response_class=Response)
    def compare_sensitivity(
        request: Request,
        v: Annotated[list[str] | None, Query()] = None,
        country: str = "ID",
        year: int = 2025,
        grid: str = "production",
        battery: str = "",
        assembly: str = "",
        spec: str = "",
        which: int = 0,
    ) -> Response:
        page = Page(web, request)

        def build() -> dict[str, Any]:
            form = compare_query(v, country, year, grid, battery, assembly, 0, spec)
            state = _compare_state(**form)
            table = _sensitivity(state, which)
            return {"table": table, "categories": [views.input_label(row[0]) for row in table.rows]}

        return _guard(page, "compare_sensitivity.html", build)

    def map_state(bev: str, petrol: str, year: int, grid: str) -> views.MapState:
        pair = backend.default_pair()
        _check_grid(grid)
        _check_year(year)
        return views.MapState(
            bev=bev or (pair[0] if pair else ""),
            petrol=petrol or (pair[1] if len(pair) > 1 else ""),
            year=year,
            grid=grid,
        )

    @router.get("/map", response_class=Response)
    def country_map(
        request: Request, bev: str = "", petrol: str = "", year: int = 2025, grid: str = "production"
    ) -> Response:
        page = Page(web, request)
        form: dict[str, Any] = {"bev": bev, "petrol": petrol, "year": year, "grid": grid}

        def build() -> dict[str, Any]:
            state = map_state(bev, petrol, year, grid)
            form.update(bev=state.bev, petrol=state.petrol)
            table = views.map_view(state)
            return {"table": table, "state": state, "data_version": _safe(backend.data_version) or None}

        return _guard(
            page,
            "map.html",
            build,
            nav="map",
            form=form,
            bev_options=[
                (p["id"], p["name"]) for p in _safe(backend.presets_summary) if p["powertrain"] == "BEV"
            ],
            other_options=[
                (p["id"], p["name"]) for p in _safe(backend.presets_summary) if p["powertrain"] != "BEV"
            ],
            years=backend.YEARS,
            fragment="map_results.html",
            errors_inline=True,
        )

    @router.get("/standards", response_class=Response)
    def standards(request: Request, market: str = "") -> Response:
        page = Page(web, request)

        def build() -> dict[str, Any]:
            from roadcarbon.countries import to_alpha2

            everything = backend.rule_schemes()
            markets = sorted({s["market"] for s in everything})
            code = to_alpha2(market, field="market") if market else ""
            chosen = [s for s in everything if not code or s["market"] == code]
            documents = [backend.rule_scheme(s["id"]) for s in chosen]
            for doc, summary in zip(documents, chosen, strict=True):
                doc["summary"] = summary
            return {
                "markets": [(m, f"{backend.country_name(m)} ({m})") for m in markets],
                "market": code,
                "timeline": views.timeline(documents),
            }

        return _guard(page, "standards.html", build, nav="standards")

    def _on(on: str) -> Any:
        import datetime as dt

        if not on:
            return views.today()
        try:
            return dt.date.fromisoformat(on)
        except ValueError as exc:
            raise InputError(f"expected a date YYYY-MM-DD, got {on!r}", field="on") from exc

    @router.get("/standards/{scheme_id}", response_class=Response)
    def scheme_page(
        request: Request,
        scheme_id: str,
        vehicle: str = "",
        on: str = "",
        spec: str = "",
        allow: Annotated[list[str] | None, Query()] = None,
        strict: str = "",
    ) -> Response:
        page = Page(web, request)
        refuse = strict not in ("", "0", "false")
        form: dict[str, Any] = {
            "vehicle": vehicle,
            "on": on,
            "spec": spec,
            "allow": allow or [],
            "strict": refuse,
        }

        def build() -> dict[str, Any]:
            document = backend.rule_scheme(scheme_id)
            out: dict[str, Any] = {
                "scheme": document,
                "parameters": views.parameter_rows(document),
                "outcome_keys": views.OUTCOME_KEYS,
            }
            day = _on(on)
            form["on"] = day.isoformat()
            if vehicle or spec.strip():
                chosen = views.parse_spec(spec) if spec.strip() else backend.vehicle(vehicle)
                try:
                    out["evaluation"] = backend.rule_evaluate(
                        scheme_id, chosen, day, _allow(allow), strict=refuse
                    )
                    out["evaluated_vehicle"] = chosen.name
                except RoadcarbonError as exc:
                    out["evaluation_error"] = str(exc)
            return out

        return _guard(
            page,
            "scheme.html",
            build,
            nav="standards",
            form=form,
            presets=_safe(backend.presets_summary),
            outcome_label=views.outcome_label,
            statuses=backend.STATUSES_BEYOND_ENACTED,
        )

    @router.get("/download/{view}.{fmt}", response_class=Response)
    def download_table(
        request: Request,
        view: str,
        fmt: Fmt,
        v: Annotated[list[str] | None, Query()] = None,
        country: str = "ID",
        year: int = 2025,
        grid: str = "production",
        battery: str = "",
        assembly: str = "",
        samples: int = 200,
        spec: str = "",
        which: int = 0,
    ) -> Response:
        page = Page(web, request)
        try:
            if view.startswith("compare-"):
                state = _compare_state(
                    **compare_query(v, country, year, grid, battery, assembly, samples, spec)
                )
                part = view.removeprefix("compare-")
                if part == "sensitivity":
                    return download(_sensitivity(state, which), fmt, query_tag(request))
                result = views.compare_view(state)
                table = {
                    "stages": result.stages,
                    "cumulative": result.cumulative,
                    "uncertainty": result.uncertainty,
                }.get(part)
            else:
                table = extra_downloads(view, request)
        except RoadcarbonError as exc:
            return page.render("error.html", code=400, error=str(exc))
        except backend.Unavailable as exc:
            return page.render("error.html", code=503, unavailable=str(exc))
        if table is None:
            return page.render("error.html", code=404, error=f"view: no downloadable table named {view!r}")
        return download(table, fmt, query_tag(request))

    def extra_downloads(view: str, request: Request) -> Any:
        q = request.query_params
        if view == "bev-advantage":
            state = map_state(
                q.get("bev", ""),
                q.get("petrol", ""),
                _int(q.get("year"), 2025, "year"),
                q.get("grid", "production"),
            )
            return views.map_view(state)
        if view == "coverage":
            info = backend.overview()
            rows = [
                [c["name"], c["label"], c["name"] in set(info.get("markets") or [])] for c in _coverage(info)
            ]
            return Table(
                "coverage",
                ["country", "country_name", "has_schemes"],
                rows,
                [f"data_version={info.get('data_version')}"],
            )
        if view == "scheme-parameters":
            return views.parameter_table(backend.rule_scheme(q.get("scheme", "")))
        handler = EXTRA_DOWNLOADS.get(view)
        return None if handler is None else handler(q)


def _coverage(info: dict[str, Any]) -> list[dict[str, Any]]:
    markets = set(info.get("markets") or [])
    countries = set(info.get("countries") or []) | markets
    return [
        {
            "name": code,
            "label": backend.country_name(code),
            "itemStyle": {"areaColor": "#0b4f7c" if code in markets else "#7fb0d6"},
        }
        for code in sorted(countries)
    ]


def _home() -> dict[str, Any]:
    info = backend.overview()
    return {"overview": info, "coverage": _coverage(info), "data_version": info.get("data_version")}


def _sensitivity(state: views.CompareState, which: int) -> Any:
    specs = [backend.vehicle(pid) for pid in state.vehicles]
    if state.spec.strip():
        specs.append(views.parse_spec(state.spec))
    if not 0 <= which < len(specs):
        raise InputError(f"which must be between 0 and {len(specs) - 1}, got {which}", field="which")
    return views.sensitivity_table(specs[which], state)


EXTRA_DOWNLOADS: dict[str, Any] = {}
"""Further downloadable views registered by other page modules: name → handler(query) → Table."""


def _allow(values: list[str] | None) -> tuple[str, ...]:
    """The non-enacted statuses a user accepts, checked against the closed list."""
    chosen = tuple(dict.fromkeys(v for v in values or [] if v))
    for value in chosen:
        if value not in backend.STATUSES_BEYOND_ENACTED:
            expected = ", ".join(backend.STATUSES_BEYOND_ENACTED)
            raise InputError(f"expected one of: {expected}; got {value!r}", field="allow")
    return chosen


def _int(text: str | None, default: int, field: str) -> int:
    if text in (None, ""):
        return default
    try:
        return int(str(text))
    except ValueError as exc:
        raise InputError(f"expected an integer, got {text!r}", field=field) from exc


def _safe(getter: Any) -> Any:
    try:
        return getter()
    except (backend.Unavailable, RoadcarbonError):
        return []
