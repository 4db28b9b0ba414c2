"""Pages for contributions of values: propose a corrected grid-intensity row or a corrected dated rule
parameter (a band threshold, a rate, an amount) with its source, edit the draft, and (maintainers) publish a
release from the web.  The row diff reviewers see is ``templates/contribution_diff.html`` (included by the
change-set page)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from roadcarbon.errors import RoadcarbonError
from roadcarbon.web import backend, platform
from roadcarbon.web.app import Page, Web, _guard, redirect
from roadcarbon.web.routes_platform import signed_in_form

FIELDS = ("country", "year", "series", "value", "source", "title", "description", "license")
RULE_FIELDS = (
    "scheme",
    "parameter",
    "valid_from",
    "value",
    "status",
    "source",
    "locator",
    "note",
    "title",
    "description",
    "license",
)


def register(router: APIRouter, web: Web) -> None:
    """Add the value-contribution pages to ``router`` and the ``value_row_diff`` template helper."""

    def row_diff_for(target_type: str, diff: Any) -> Any:
        """A template helper: the row diff of a change set's ``target_type`` changes, [] when it has none."""

        def helper(page: Page, item: dict[str, Any]) -> list[dict[str, Any]]:
            if not any(c.get("target_type") == target_type for c in item.get("changes") or []):
                return []
            try:
                with platform.reading(page.request) as db:
                    who = platform.principal(page.request, page.session, db)
                    rows: list[dict[str, Any]] = diff(db, who, int(item["id"]))
                    return rows
            except (RoadcarbonError, backend.Unavailable):
                return []

        return helper

    from roadcarbon.services.value_changes import row_diff
    from roadcarbon.services.value_changes_rules import rule_row_diff

    web.env.globals["value_row_diff"] = row_diff_for("dataset", row_diff)
    web.env.globals["rule_value_diff"] = row_diff_for("rule_scheme", rule_row_diff)

    def published_corrections(page: Page, scheme_id: str) -> list[dict[str, Any]]:
        """Dated values of a scheme published through reviewed contributions (vs the packaged library)."""
        from roadcarbon.services.regulations import library
        from roadcarbon.services.value_changes_rules import document_row_diff, published_library

        try:
            with platform.reading(page.request) as db:
                lib = published_library(db)
            packaged = library()
            if lib is packaged or lib.schemes.get(scheme_id) is packaged.schemes.get(scheme_id):
                return []
            return document_row_diff(
                packaged.get(scheme_id).model_dump(mode="json"), lib.get(scheme_id).model_dump(mode="json")
            )
        except (RoadcarbonError, backend.Unavailable):
            return []

    web.env.globals["published_corrections"] = published_corrections

    def _context(request: Request, page: Page, contribution: int | None, scheme: str = "") -> dict[str, Any]:
        from roadcarbon.services.contributions import LICENCES, get_contribution
        from roadcarbon.services.value_changes import draft_form
        from roadcarbon.services.value_changes_rules import (
            STATUSES,
            parameter_choices,
            rule_draft_form,
            stored_scheme,
        )

        draft: dict[str, str] = {"series": "consumption", "license": "CC-BY-4.0"}
        rule_draft: dict[str, str] = {"license": "CC-BY-4.0", "status": "enacted", "scheme": scheme}
        with platform.reading(request) as db:
            who = platform.principal(request, page.session, db)
            if contribution is not None:
                item = get_contribution(db, who, contribution)
                if any(c["target_type"] == "rule_scheme" for c in item["changes"]):
                    rule_draft = rule_draft_form(db, who, contribution)
                else:
                    draft = draft_form(db, who, contribution)
            chosen = rule_draft.get("scheme") or ""
            choices = parameter_choices(stored_scheme(db, chosen)[1]) if chosen else []
        rule_draft.setdefault("status", "enacted")
        if rule_draft.get("parameter") and not rule_draft.get("dated"):
            rule_draft["dated"] = f"{rule_draft['parameter']}|{rule_draft.get('valid_from', '')}"
        return {
            "who": who,
            "draft": draft,
            "rule_draft": rule_draft,
            "contribution": contribution,
            "licences": LICENCES,
            "schemes": [(s["id"], s["title"]) for s in backend.rule_schemes()],
            "parameter_choices": choices,
            "rule_statuses": STATUSES,
        }

    @router.get("/values", response_class=Response)
    def values_page(
        request: Request, contribution: int | None = None, released: str = "", scheme: str = ""
    ) -> Response:
        page = Page(web, request)
        if page.session.user is None:
            return page.finish(redirect("/login?next=/values"))
        return _guard(
            page,
            "values.html",
            lambda: _context(request, page, contribution, scheme),
            nav="contributions",
            released=released,
        )

    @router.post("/values/rule", response_class=Response)
    async def propose_rule(request: Request) -> Response:
        page = Page(web, request)
        form, refused = await signed_in_form(page, request, "/values")
        if refused is not None:
            return refused
        contribution = int(form["contribution"]) if form.get("contribution", "").isdigit() else None
        fields = {k: form.get(k, "") for k in RULE_FIELDS}
        dated = form.get("dated", "")
        if dated and "|" in dated:  # the dated value chosen in the list: parameter|start
            fields["parameter"], chosen_from = dated.split("|", 1)
            fields["valid_from"] = fields["valid_from"].strip() or chosen_from
        try:
            from roadcarbon.services.value_changes_rules import propose_rule_value

            with platform.writing(request) as db:
                who = platform.principal(request, page.session, db)
                done = propose_rule_value(
                    db, who, fields, contribution_id=contribution, if_match=form.get("etag") or None
                )
        except backend.Unavailable as exc:
            return page.render("error.html", code=503, unavailable=str(exc))
        except RoadcarbonError as exc:
            try:
                context = _context(request, page, None, fields["scheme"])
            except RoadcarbonError:
                context = _context(request, page, None)
            context["rule_draft"] = {**fields, "dated": dated, "etag": form.get("etag", ""), "kind": "rule"}
            context["contribution"] = contribution
            return page.render("values.html", code=400, nav="contributions", rule_error=str(exc), **context)
        return page.finish(redirect(f"/contributions/{done['id']}"))

    @router.post("/values", response_class=Response)
    async def propose(request: Request) -> Response:
        page = Page(web, request)
        form, refused = await signed_in_form(page, request, "/values")
        if refused is not None:
            return refused
        contribution = int(form["contribution"]) if form.get("contribution", "").isdigit() else None
        try:
            from roadcarbon.services.value_changes import propose_grid_value

            with platform.writing(request) as db:
                who = platform.principal(request, page.session, db)
                done = propose_grid_value(
                    db,
                    who,
                    {k: form.get(k, "") for k in FIELDS},
                    contribution_id=contribution,
                    if_match=form.get("etag") or None,
                )
        except backend.Unavailable as exc:
            return page.render("error.html", code=503, unavailable=str(exc))
        except RoadcarbonError as exc:
            context = _context(request, page, None)
            context["draft"] = {k: form.get(k, "") for k in (*FIELDS, "etag")}
            context["contribution"] = contribution
            return page.render("values.html", code=400, nav="contributions", error=str(exc), **context)
        return page.finish(redirect(f"/contributions/{done['id']}"))

    @router.post("/values/release", response_class=Response)
    async def publish(request: Request) -> Response:
        page = Page(web, request)
        form, refused = await signed_in_form(page, request, "/values")
        if refused is not None:
            return refused
        try:
            from roadcarbon.services.releases import NothingPublishableError, publish_release

            with platform.writing(request) as db:
                who = platform.principal(request, page.session, db)
                try:
                    release = publish_release(
                        db,
                        who,
                        tag=form.get("tag", ""),
                        title=form.get("title", ""),
                        notes=form.get("notes", ""),
                    )
                except NothingPublishableError:
                    db.commit()  # keep the conflict flags and their audit events, as the API does
                    raise
        except backend.Unavailable as exc:
            return page.render("error.html", code=503, unavailable=str(exc))
        except RoadcarbonError as exc:
            context = _context(request, page, None)
            return page.render(
                "values.html",
                code=400,
                nav="contributions",
                release_error=str(exc),
                release_form=form,
                **context,
            )
        return page.finish(redirect(f"/values?released={release['tag']}"))
