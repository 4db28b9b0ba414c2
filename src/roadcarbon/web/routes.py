"""The dashboard's pages.  Every page's state is in its URL query, so any view can be shared."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import ImmutableMultiDict

from roadcarbon.errors import InputError, RoadcarbonError
from roadcarbon.web import backend, i18n, session, views
from roadcarbon.web.app import Page, Web, _guard, download, query_tag, redirect
from roadcarbon.web.i18n import gettext_ as _
from roadcarbon.web.tables import Table, to_datapackage_zip

FORMATS = ("csv", "xlsx", "zip")
"""Download formats: plain CSV (header row and data only), XLSX (data and a notes sheet), and a ZIP holding
the CSV with a Frictionless ``datapackage.json`` sidecar (settings, sources, licence, how to cite)."""


def _check_year(year: int) -> None:
    if not 1990 <= year <= 2060:
        raise InputError(f"year must be between 1990 and 2060, got {year}", field="year")


def _check_grid(grid: str) -> None:
    if grid not in ("production", "consumption"):
        raise InputError(f"grid must be 'production' or 'consumption', got {grid!r}", field="grid")


PUBLIC_COMPARE_KEYS = ("v", "country", "year", "year2", "grid", "battery", "assembly", "samples")
"""The comparator's state that may go in a URL (history, shared links).  A pasted spec and a supply-chain
record of the user's organisation are private: they travel only in the body of a POST."""


def _compare_params(q: Any, *, posted: bool) -> dict[str, Any]:
    """The comparator's inputs from a query (GET) or a posted form; numbers checked, naming the field.

    A posted form without any ``v`` means "no preset" (the user unticked them all); a URL without ``v``
    means the opening pair, and ``v=`` (empty) means none.
    """
    chosen = [str(x) for x in q.getlist("v")]
    if not chosen and not posted and "v" not in q:
        chosen = list(backend.default_pair())
    return {
        "v": [x for x in chosen if x],
        "country": str(q.get("country") or "ID"),
        "year": _int(q.get("year"), 2025, "year"),
        "year2": _int(q.get("year2"), 0, "year2"),
        "grid": str(q.get("grid") or "production"),
        "battery": str(q.get("battery") or ""),
        "assembly": str(q.get("assembly") or ""),
        "samples": _int(q.get("samples"), 200, "samples"),
        "spec": str(q.get("spec") or ""),
        "record": _int(q.get("record"), 0, "record") if posted else 0,
    }


def _public_query(q: Any, *, posted: bool) -> str:
    """The query string of the comparator's public state (never the pasted spec nor a private record)."""
    items = [
        (k, str(val))
        for k, val in q.multi_items()
        if k in PUBLIC_COMPARE_KEYS and (k == "v" or str(val) not in ("", "0" if k == "year2" else ""))
    ]
    if posted and not any(k == "v" for k, _ in items):
        items.insert(0, ("v", ""))
    return urlencode(items)


def _compare_state(form: dict[str, Any], own: list[dict[str, Any]] | None = None) -> views.CompareState:
    from roadcarbon.countries import to_alpha2

    year, year2, samples = form["year"], form.get("year2", 0), form["samples"]
    _check_year(year)
    _check_grid(form["grid"])
    if year2:
        if not 1990 <= year2 <= 2060:
            raise InputError(f"must be between 1990 and 2060, got {year2}", field="year2")
        if year2 == year:
            raise InputError("choose a second year other than the first", field="year2")
    if not 0 <= samples <= 2000:
        raise InputError(f"samples must be between 0 and 2000, got {samples}", field="samples")
    battery = to_alpha2(form["battery"], field="battery") if form["battery"] else ""
    assembly = to_alpha2(form["assembly"], field="assembly") if form["assembly"] else ""
    record = None
    if form.get("record"):
        record = next((r for r in own or [] if r["id"] == form["record"]), None)
        if record is None:
            raise InputError(f"no supply-chain record {form['record']} of your organisation", field="record")
        battery = record.get("battery_origin_country") or battery
        assembly = record.get("assembly_country") or assembly
    return views.CompareState(
        vehicles=list(form["v"]),
        country=to_alpha2(form["country"], field="country"),
        year=year,
        grid=form["grid"],
        battery_country=battery,
        assembly_country=assembly,
        samples=samples,
        spec=form["spec"],
        year2=year2,
        record=record,
    )


def _own_records(request: Request, page: Page) -> list[dict[str, Any]]:
    """Supply-chain records of the signed-in user's organisation (none for anonymous users).

    Read through the platform's records service with the user as principal, so another organisation's
    private records are never listed; the comparator offers them in a select and applies the chosen one.
    """
    if not page.session.user:
        return []
    from roadcarbon.services.records import list_supply_chain
    from roadcarbon.web import platform

    try:
        with platform.reading(request) as db:
            who = platform.principal(request, page.session, db)
            if who.organisation_id is None:
                return []
            items = list_supply_chain(db, who, per_page=200).items
    except backend.Unavailable:
        return []
    return [r for r in items if r["organisation_id"] == who.organisation_id]


async def _posted(page: Page, request: Request) -> tuple[Any, Response | None]:
    """The inputs of a POST (URL query, then the form's fields, which win), or a 403 page for a bad token.

    The comparator's forms are POSTed so that a pasted spec stays out of URLs; they carry the session's
    CSRF token like every other form (docs/web.md, "Security").
    """
    form = await request.form()
    if not session.check_csrf(page.session, str(form.get("csrf") or "")):
        return None, page.render("error.html", code=403, error=_("The form expired; please try again."))
    keys = set(form.keys())
    items = [(k, v) for k, v in request.query_params.multi_items() if k not in keys]
    items += [(k, str(v)) for k, v in form.multi_items() if isinstance(v, str)]
    return ImmutableMultiDict(items), None


def register(router: APIRouter, web: Web) -> None:
    """Add every page to ``router``."""
    web.env.globals["methodology_url"] = views.METHODOLOGY_URL
    web.env.globals["citation"] = views.citation_text
    web.env.filters["record_option"] = lambda r: (
        r["id"],
        f"{r['label']} ({_('Battery made in')} {r.get('battery_origin_country') or '—'}; "
        f"{_('Vehicle assembled in')} {r.get('assembly_country') or '—'})",
    )

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

    def compare_page(page: Page, request: Request, q: Any, posted: bool) -> Response:
        i18n.set_current(page.locale)
        hx = request.headers.get("hx-request") == "true"
        public = _public_query(q, posted=posted)
        private = bool(str(q.get("spec") or "").strip()) or (posted and bool(q.get("record")))
        if posted and not hx and not private:  # nothing private: post, redirect, get (a URL to keep)
            return page.finish(redirect("/compare?" + public))
        own = _own_records(request, page)
        form: dict[str, Any] = {}

        def build() -> dict[str, Any]:
            form.update(_compare_params(q, posted=posted))
            state = _compare_state(form, own)
            if not state.vehicles and not state.spec.strip():
                return {"state": state, "empty": True}
            view = views.compare_view(state)
            return {
                "view": view,
                "state": state,
                "country_label": f"{backend.country_name(state.country)} ({state.country})",
                "today_iso": views.today().isoformat(),
                "data_version": view.data_version,
                "years_table": views.years_table(state, view) if state.year2 else None,
                **views.compare_chart_context(view),
            }

        response = _guard(
            page,
            "compare.html",
            build,
            nav="compare",
            form=form,
            presets=_safe(backend.presets_summary),
            countries=_safe(backend.lca_countries),
            years=backend.YEARS,
            records=own,
            public_qs=public,
            share_url=str(request.base_url).rstrip("/") + "/compare?" + public,
            private=_private(page, q) if private else None,
            fragment="compare_results.html",
            errors_inline=True,
        )
        if hx:
            response.headers["HX-Push-Url"] = "/compare?" + public
        if private:
            response.headers["Cache-Control"] = "no-store"
        return response

    @router.get("/compare", response_class=Response)
    def compare(request: Request) -> Response:
        return compare_page(Page(web, request), request, request.query_params, False)

    @router.post("/compare", response_class=Response)
    async def compare_post(request: Request) -> Response:
        page = Page(web, request)
        q, refused = await _posted(page, request)
        if refused is not None:
            return refused
        return await run_in_threadpool(compare_page, page, request, q, True)

    def sensitivity_page(page: Page, request: Request, q: Any, posted: bool) -> Response:
        i18n.set_current(page.locale)
        own = _own_records(request, page) if posted else []
        private = bool(str(q.get("spec") or "").strip()) or (posted and bool(q.get("record")))

        def build() -> dict[str, Any]:
            form = _compare_params(q, posted=posted)
            form["samples"] = 0
            state = _compare_state(form, own)
            which = _int(q.get("which"), 0, "which")
            table = _sensitivity(state, which)
            return {
                "table": table,
                "which": which,
                "categories": [views.input_label(row[0]) for row in table.rows],
            }

        response = _guard(
            page,
            "compare_sensitivity.html",
            build,
            public_qs=_public_query(q, posted=posted),
            private=_private(page, q) if private else None,
        )
        if private:
            response.headers["Cache-Control"] = "no-store"
        return response

    @router.get("/compare/sensitivity", response_class=Response)
    def compare_sensitivity(request: Request) -> Response:
        return sensitivity_page(Page(web, request), request, request.query_params, False)

    @router.post("/compare/sensitivity", response_class=Response)
    async def compare_sensitivity_post(request: Request) -> Response:
        page = Page(web, request)
        q, refused = await _posted(page, request)
        if refused is not None:
            return refused
        return await run_in_threadpool(sensitivity_page, page, request, q, True)

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
            return {
                "table": table,
                "state": state,
                "data_version": _safe(backend.data_version) or None,
                "share_url": str(request.base_url).rstrip("/") + "/map?" + page.query_string(),
            }

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

    def scheme_view(page: Page, request: Request, scheme_id: str, q: Any, posted: bool) -> Response:
        i18n.set_current(page.locale)
        vehicle, on, spec = str(q.get("vehicle") or ""), str(q.get("on") or ""), str(q.get("spec") or "")
        allow = [str(x) for x in q.getlist("allow")]
        strict = str(q.get("strict") or "")
        refuse = strict not in ("", "0", "false")
        form: dict[str, Any] = {"vehicle": vehicle, "on": on, "spec": spec, "allow": allow, "strict": refuse}

        def build() -> dict[str, Any]:
            from roadcarbon.services import regulations
            from roadcarbon.web.routes_compliance import _published

            document = backend.rule_scheme(scheme_id)  # 404 for an unknown id
            published = _published(request)  # the rule values published from reviewed contributions, if any
            if published is not None:
                document = regulations.get_scheme(scheme_id, library=published)
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
                    out["evaluation"] = (
                        backend.rule_evaluate(
                            scheme_id, chosen, day, backend.allowed_statuses(allow), strict=refuse
                        )
                        if published is None
                        else regulations.evaluate(
                            scheme_id,
                            chosen,
                            day,
                            allow=list(backend.allowed_statuses(allow)),
                            strict=refuse,
                            library=published,
                        )
                    )
                    out["evaluated_vehicle"] = chosen.name
                except RoadcarbonError as exc:
                    out["evaluation_error"] = str(exc)
            return out

        response = _guard(
            page,
            "scheme.html",
            build,
            nav="standards",
            form=form,
            presets=_safe(backend.presets_summary),
            outcome_label=views.outcome_label,
            statuses=backend.STATUSES_BEYOND_ENACTED,
        )
        if posted:  # the address keeps the public choice (preset, date, statuses), never a pasted spec
            public = [
                (k, str(v)) for k, v in q.multi_items() if k in ("vehicle", "on", "allow", "strict") and v
            ]
            if request.headers.get("hx-request") == "true":
                response.headers["HX-Push-Url"] = request.url.path + (
                    "?" + urlencode(public) if public else ""
                )
            response.headers["Cache-Control"] = "no-store"
        return response

    @router.get("/standards/{scheme_id}", response_class=Response)
    def scheme_page(request: Request, scheme_id: str) -> Response:
        return scheme_view(Page(web, request), request, scheme_id, request.query_params, False)

    @router.post("/standards/{scheme_id}", response_class=Response)
    async def scheme_post(request: Request, scheme_id: str) -> Response:
        """The same page for a POSTed form (a pasted spec stays out of the URL)."""
        page = Page(web, request)
        q, refused = await _posted(page, request)
        if refused is not None:
            return refused
        return await run_in_threadpool(scheme_view, page, request, scheme_id, q, True)

    def download_page(page: Page, request: Request, view: str, fmt: str, q: Any, posted: bool) -> Response:
        i18n.set_current(page.locale)
        if fmt not in FORMATS:
            return page.render("error.html", code=404, error=f"fmt: expected one of {', '.join(FORMATS)}")
        tag = query_tag(request)
        try:
            if view.startswith("compare-"):
                own = _own_records(request, page) if posted else []
                state = _compare_state(_compare_params(q, posted=posted), own)
                part = view.removeprefix("compare-")
                if part == "sensitivity":
                    table = _sensitivity(state, _int(q.get("which"), 0, "which"))
                else:
                    result = views.compare_view(state)
                    table = {
                        "stages": result.stages,
                        "cumulative": result.cumulative,
                        "uncertainty": result.uncertainty,
                        "years": views.years_table(state, result) if state.year2 else None,
                    }.get(part)
            else:
                table = extra_downloads(view, q)
        except RoadcarbonError as exc:
            return page.render("error.html", code=400, error=str(exc))
        except backend.Unavailable as exc:
            return page.render("error.html", code=503, unavailable=str(exc))
        if table is None:
            return page.render("error.html", code=404, error=f"view: no downloadable table named {view!r}")
        response = _download(table, fmt, tag, str(request.base_url).rstrip("/"))
        if posted:
            response.headers["Cache-Control"] = "no-store"
        return response

    @router.get("/download/{view}.{fmt}", response_class=Response)
    def download_table(request: Request, view: str, fmt: str) -> Response:
        return download_page(Page(web, request), request, view, fmt, request.query_params, False)

    @router.post("/download/{view}.{fmt}", response_class=Response)
    async def download_posted(request: Request, view: str, fmt: str) -> Response:
        page = Page(web, request)
        q, refused = await _posted(page, request)
        if refused is not None:
            return refused
        response = await run_in_threadpool(download_page, page, request, view, fmt, q, True)
        response.headers["Cache-Control"] = "no-store"  # its error pages too: a POST carries private inputs
        return response

    def extra_downloads(view: str, q: Any) -> Any:
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


def _private(page: Page, q: Any) -> dict[str, str]:
    """The hidden fields that carry a comparison's private inputs in the page's POST forms."""
    return {"csrf": page.session.csrf, "spec": str(q.get("spec") or ""), "record": str(q.get("record") or "")}


def _download(table: Table, fmt: str, tag: str, base_url: str) -> Response:
    """A table as CSV, XLSX (``app.download``) or a ZIP with its ``datapackage.json`` sidecar."""
    if fmt != "zip":
        return download(table, fmt, tag)
    name = f"roadcarbon-{table.name}{'-' + tag if tag else ''}"
    body = to_datapackage_zip(table, name, views.citation_text(), base_url)
    return Response(
        body,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}.zip"'},
    )


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
