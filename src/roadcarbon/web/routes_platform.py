"""Pages backed by the platform database: sign in/out, contributions (drafts, review queue), data and sources."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from roadcarbon.errors import InputError, RoadcarbonError
from roadcarbon.io.specs import read_yaml_text
from roadcarbon.web import backend, platform, session
from roadcarbon.web.app import Page, Web, _guard, download, redirect
from roadcarbon.web.i18n import gettext_ as _
from roadcarbon.web.tables import Table


def _safe_next(url: str | None) -> str:
    """Only same-site paths are followed after sign-in (no open redirect)."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return "/contributions"
    return url


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: str(v) for k, v in form.items()}


async def signed_in_form(page: Page, request: Request, back: str) -> tuple[dict[str, str], Response | None]:
    """The form a signed-in user posted, or the response to send instead of acting on it.

    A 403 page when the CSRF token does not match the session's; the sign-in page, returning to
    ``back``, when nobody is signed in; ``None`` when the form may be acted on.
    """
    form = await _form(request)
    if not session.check_csrf(page.session, form.get("csrf")):
        return form, page.render("error.html", code=403, error=_("The form expired; please try again."))
    if page.session.user is None:
        return form, page.finish(redirect(f"/login?next={quote(back)}"))
    return form, None


def register(router: APIRouter, web: Web) -> None:
    """Add the platform-backed pages to ``router``."""

    @router.get("/login", response_class=Response)
    def login_page(request: Request, next: str = "") -> Response:
        page = Page(web, request)
        return page.render("login.html", nav="login", next=_safe_next(next), email="")

    @router.post("/login", response_class=Response)
    async def login(request: Request) -> Response:
        page = Page(web, request)
        form = await _form(request)
        target = _safe_next(form.get("next"))
        if not session.check_csrf(page.session, form.get("csrf")):
            return page.render(
                "login.html",
                code=403,
                error=_("The form expired; please try again."),
                next=target,
                email="",
            )
        try:
            platform.sign_in(request, page.session, form.get("email", ""), form.get("password", ""))
        except backend.Unavailable as exc:
            return page.render("login.html", code=503, unavailable=str(exc), next=target, email="")
        except RoadcarbonError as exc:
            if type(exc).__name__ == "RateLimitedError":
                return page.render(
                    "login.html", code=429, error=str(exc), next=target, email=form.get("email", "")
                )
            return page.render(
                "login.html",
                code=401,
                error=_("Wrong e-mail or password."),
                next=target,
                email=form.get("email", ""),
            )
        return page.finish(redirect(target))

    @router.post("/logout", response_class=Response)
    async def logout(request: Request) -> Response:
        page = Page(web, request)
        form = await _form(request)
        if not session.check_csrf(page.session, form.get("csrf")):
            return page.render("error.html", code=403, error=_("The form expired; please try again."))
        if page.session.user:  # end the session server-side too: a copied cookie stops working
            from roadcarbon.services.accounts import logout as end_session
            from roadcarbon.web.platform import principal, writing

            with writing(request) as db:
                who = principal(request, page.session, db)
                if not who.is_anonymous:
                    end_session(db, who)
        page.session.user = None
        page.session.dirty = True
        return page.finish(redirect("/"))

    @router.get("/contributions", response_class=Response)
    def contributions(request: Request, status: str = "") -> Response:
        page = Page(web, request)

        return _guard(
            page, "contributions.html", lambda: _listing(request, page, status), nav="contributions"
        )

    def _listing(request: Request, page: Page, status: str) -> dict[str, Any]:
        from roadcarbon.services.contributions import LICENCES, list_contributions

        with platform.reading(request) as db:
            who = platform.principal(request, page.session, db)
            groups: list[tuple[str, str, list[dict[str, Any]]]] = []
            if not who.is_anonymous:
                groups.append(
                    (
                        "drafts",
                        _("Drafts of my organisation"),
                        list_contributions(db, who, status="draft").items,
                    )
                )
            if who.can_review:
                groups.append(
                    ("queue", _("Review queue"), list_contributions(db, who, status="submitted").items)
                )
            chosen = status or None
            everything = list_contributions(db, who, status=chosen).items
            groups.append(("all", _("All change sets you may see"), everything))
        return {"groups": groups, "who": who, "status_filter": status, "licences": LICENCES}

    @router.post("/contributions/new", response_class=Response)
    async def new_contribution(request: Request) -> Response:
        page = Page(web, request)
        form, refused = await signed_in_form(page, request, "/contributions")
        if refused is not None:
            return refused
        try:
            import yaml

            from roadcarbon.services.contributions import create_contribution

            try:
                spec = read_yaml_text(form.get("spec", "")) or None
            except yaml.YAMLError as exc:
                raise InputError("not valid YAML or JSON", field="spec") from exc
            if not isinstance(spec, dict):
                raise InputError("expected a vehicle spec (a mapping of fields)", field="spec")
            body = {
                "title": form.get("title", ""),
                "description": form.get("description", ""),
                "sources": [line.strip() for line in form.get("sources", "").splitlines() if line.strip()],
                "license": form.get("license", ""),
                "changes": [{"target_type": "vehicle", "operation": "create", "payload": spec}],
            }
            with platform.writing(request) as db:
                who = platform.principal(request, page.session, db)
                created = create_contribution(db, who, body)
        except backend.Unavailable as exc:
            return page.render("error.html", code=503, unavailable=str(exc))
        except RoadcarbonError as exc:
            return _guard(
                page,
                "contributions.html",
                lambda: _listing(request, page, ""),
                nav="contributions",
                error=str(exc),
                draft=form,
            )
        return page.finish(redirect(f"/contributions/{created['id']}"))

    async def _contribution_action(
        request: Request, contribution_id: int, act: Callable[[Any, Any, dict[str, str]], str]
    ) -> Response:
        """A form posted on one change set: CSRF and sign-in checked, ``act(db, who, form)`` run in a write
        session; then back to the change set with ``?done=`` what ``act`` returned, or its page with the error."""
        page = Page(web, request)
        back = f"/contributions/{contribution_id}"
        form, refused = await signed_in_form(page, request, back)
        if refused is not None:
            return refused
        try:
            with platform.writing(request) as db:
                who = platform.principal(request, page.session, db)
                done = act(db, who, form)
        except backend.Unavailable as exc:
            return page.render("error.html", code=503, unavailable=str(exc))
        except RoadcarbonError as exc:
            return _guard(
                page,
                "contribution.html",
                lambda: _detail(request, page, contribution_id),
                nav="contributions",
                error=str(exc),
            )
        return page.finish(redirect(f"{back}?done={done}"))

    @router.post("/contributions/{contribution_id}/submit", response_class=Response)
    async def submit(request: Request, contribution_id: int) -> Response:
        def act(db: Any, who: Any, form: dict[str, str]) -> str:
            from roadcarbon.services.contributions import submit_contribution

            submit_contribution(db, who, contribution_id, if_match=form.get("etag") or None)
            return "submitted"

        return await _contribution_action(request, contribution_id, act)

    @router.get("/contributions/{contribution_id}", response_class=Response)
    def contribution(request: Request, contribution_id: int, done: str = "") -> Response:
        page = Page(web, request)

        def build() -> dict[str, Any]:
            from roadcarbon.services.contributions import get_contribution

            with platform.reading(request) as db:
                who = platform.principal(request, page.session, db)
                item = get_contribution(db, who, contribution_id)
            return {"item": item, "who": who, "done": done}

        return _guard(page, "contribution.html", build, nav="contributions")

    @router.post("/contributions/{contribution_id}/review", response_class=Response)
    async def review(request: Request, contribution_id: int) -> Response:
        def act(db: Any, who: Any, form: dict[str, str]) -> str:
            from roadcarbon.services.contributions import review_contribution

            review_contribution(
                db,
                who,
                contribution_id,
                decision=form.get("decision", ""),
                comment=form.get("comment", ""),
                if_match=form.get("etag") or None,
            )
            return form.get("decision", "")

        return await _contribution_action(request, contribution_id, act)

    def _detail(request: Request, page: Page, contribution_id: int) -> dict[str, Any]:
        from roadcarbon.services.contributions import get_contribution

        with platform.reading(request) as db:
            who = platform.principal(request, page.session, db)
            return {"item": get_contribution(db, who, contribution_id), "who": who}

    @router.get("/data", response_class=Response)
    def data(request: Request) -> Response:
        page = Page(web, request)

        def build() -> dict[str, Any]:
            from roadcarbon.services.records import get_dataset, list_datasets
            from roadcarbon.services.releases import list_releases

            with platform.reading(request) as db:
                who = platform.principal(request, page.session, db)
                datasets = []
                for summary in list_datasets(db, who, per_page=200).items:
                    full = get_dataset(db, who, summary["id"])
                    package = full.get("package", {})
                    resources = [
                        {
                            "name": r.get("name"),
                            "title": r.get("title") or r.get("name"),
                            "description": r.get("description"),
                            "rows": len(r.get("data") or []),
                            "sources": r.get("sources") or [],
                            "licenses": r.get("licenses") or [],
                        }
                        for r in package.get("resources", [])
                    ]
                    datasets.append(
                        {
                            **summary,
                            "description": package.get("description"),
                            "package_version": package.get("version"),
                            "sources": package.get("sources") or [],
                            "licenses": package.get("licenses") or [],
                            "resources": resources,
                        }
                    )
                releases = list_releases(db, per_page=20).items
            return {"datasets": datasets, "releases": releases}

        return _guard(page, "data.html", build, nav="data")

    @router.get("/data/{dataset}/{resource}.{fmt}", response_class=Response)
    def dataset_download(request: Request, dataset: str, resource: str, fmt: str) -> Response:
        page = Page(web, request)
        if fmt not in ("csv", "xlsx"):
            return page.render("error.html", code=404, error=f"format: expected csv or xlsx, got {fmt!r}")
        try:
            from roadcarbon.services.records import get_dataset

            with platform.reading(request) as db:
                who = platform.principal(request, page.session, db)
                package = get_dataset(db, who, dataset).get("package", {})
        except backend.Unavailable as exc:
            return page.render("error.html", code=503, unavailable=str(exc))
        except RoadcarbonError as exc:
            return page.render("error.html", code=404, error=str(exc))
        found = next((r for r in package.get("resources", []) if r.get("name") == resource), None)
        if found is None:
            return page.render(
                "error.html", code=404, error=str(InputError(f"no resource {resource!r}", field="resource"))
            )
        rows = [r for r in found.get("data") or [] if isinstance(r, dict)]
        fields = [f.get("name") for f in (found.get("schema") or {}).get("fields", []) if isinstance(f, dict)]
        headers = [str(f) for f in fields if f] or (list(rows[0]) if rows else [])
        table = Table(
            f"{dataset}-{resource}"[:60],
            headers,
            [[row.get(h) for h in headers] for row in rows],
            [f"dataset={dataset}", f"version={package.get('version')}"]
            + [
                f"licence={lic.get('name') or lic.get('title')}"
                for lic in package.get("licenses", [])
                if isinstance(lic, dict)
            ],
        )
        return download(table, fmt)
