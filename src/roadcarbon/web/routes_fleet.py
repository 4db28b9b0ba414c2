"""Dashboard page of the policy lab: a bundled scenario against its baseline, with bands and a fiscal table."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from roadcarbon.errors import InputError
from roadcarbon.services import fleet_runs
from roadcarbon.web import i18n
from roadcarbon.web.app import Page, Web, _guard, download
from roadcarbon.web.tables import Table

SAMPLE_CHOICES = (0, 100, 500)
"""Monte Carlo sizes offered on the page (0: central values only)."""
TABLE_EVERY = 5
"""The fiscal table shows every fifth year and the last."""


def _samples(value: int) -> int | None:
    if value not in SAMPLE_CHOICES:
        raise InputError(f"expected one of {', '.join(map(str, SAMPLE_CHOICES))}", field="samples")
    return value or None


def _policy_options() -> list[tuple[str, str]]:
    return [(s["id"], f"{s['name']} ({s['country']})") for s in fleet_runs.list_bundled() if s["baseline"]]


def _view(doc: dict[str, Any]) -> dict[str, Any]:
    """Chart data and the fiscal table of a compare document."""
    _ = i18n.gettext_
    pol, base = doc["policy"], doc["baseline"]
    years = pol["years"]
    lines = []
    for tech in pol["technologies"]:
        key = tech["id"]
        lines.append({"name": f"{key} · {_('policy')}", "data": pol["stock"][key], "dashed": False})
        if key in base["stock"]:
            lines.append({"name": f"{key} · {_('baseline')}", "data": base["stock"][key], "dashed": True})
    waterfall = [
        {
            "label": _("baseline")
            if s["label"] == "baseline"
            else _("policy")
            if s["label"] == "policy"
            else s["label"],
            "value": s["value_t_co2e"] / 1e6,
            "kind": s["kind"],
        }
        for s in doc["waterfall"]
    ]
    bands: dict[str, Any] = {"x": years, "unit": "Mt CO2e", "series": []}
    for name, run in ((_("baseline"), base), (_("policy"), pol)):
        central = [v / 1e6 for v in run["emissions_t_co2e"]["wtw"]]
        band = None
        if run.get("uncertainty"):
            q = run["uncertainty"]["emissions_t_co2e"]["wtw"]
            band = {"p05": [v / 1e6 for v in q["p05"]], "p95": [v / 1e6 for v in q["p95"]]}
        bands["series"].append({"name": name, "central": central, "band": band})
    rows = []
    rev_b, rev_p = base["fiscal"]["revenue"], pol["fiscal"]["revenue"]
    pc_b, pc_p = base["fiscal"]["purchase_cost"], pol["fiscal"]["purchase_cost"]
    for i, year in enumerate(years):
        if i % TABLE_EVERY and i != len(years) - 1:
            continue
        rows.append(
            {
                "year": year,
                "revenue_baseline": rev_b[i],
                "revenue_policy": rev_p[i],
                "revenue_change": rev_p[i] - rev_b[i],
                "purchase_change": None if pc_b is None or pc_p is None else pc_p[i] - pc_b[i],
                "abatement": doc["abatement_t_co2e"]["wtw"]["per_year"][i],
            }
        )
    totals = {
        "revenue_change": doc["fiscal_change"]["revenue_total"],
        "purchase_change": None if pc_b is None or pc_p is None else sum(pc_p) - sum(pc_b),
        "abatement": doc["total_abatement_t_co2e"]["wtw"],
    }
    return {
        "lines": {"x": years, "series": lines},
        "waterfall": waterfall,
        "bands": bands,
        "rows": rows,
        "totals": totals,
    }


def _table(doc: dict[str, Any], scenario: str) -> Table:
    pol, base = doc["policy"], doc["baseline"]
    labels = [t["id"] for t in pol["technologies"]]
    headers = [
        "year",
        *[f"stock_policy_{x}" for x in labels],
        *[f"stock_baseline_{x}" for x in base["stock"]],
    ]
    headers += [f"emissions_{s}_policy_t_co2e" for s in ("ttw", "wtw", "lifecycle")]
    headers += [f"emissions_{s}_baseline_t_co2e" for s in ("ttw", "wtw", "lifecycle")]
    headers += [f"abatement_{s}_t_co2e" for s in ("ttw", "wtw", "lifecycle")]
    headers += [
        f"revenue_policy_{pol['fiscal']['currency'] or ''}",
        f"revenue_baseline_{base['fiscal']['currency'] or ''}",
    ]
    rows = []
    for i, year in enumerate(pol["years"]):
        row: list[Any] = [year]
        row += [round(pol["stock"][x][i], 3) for x in labels]
        row += [round(v[i], 3) for v in base["stock"].values()]
        row += [round(pol["emissions_t_co2e"][s][i], 3) for s in ("ttw", "wtw", "lifecycle")]
        row += [round(base["emissions_t_co2e"][s][i], 3) for s in ("ttw", "wtw", "lifecycle")]
        row += [round(doc["abatement_t_co2e"][s]["per_year"][i], 3) for s in ("ttw", "wtw", "lifecycle")]
        row += [round(pol["fiscal"]["revenue"][i], 2), round(base["fiscal"]["revenue"][i], 2)]
        rows.append(row)
    notes = [f"scenario {scenario}: {pol['scenario']}; baseline: {base['scenario']}", *pol["assumptions"]]
    return Table(name=f"fleet-{scenario}", headers=headers, rows=rows, notes=notes)


def register(router: APIRouter, web: Web) -> None:
    """Add ``/fleet`` and its download to the dashboard."""

    @router.get("/fleet", response_class=Response)
    def fleet_page(request: Request, scenario: str = "", samples: int = 100, seed: int = 1) -> Response:
        page = Page(web, request)
        form = {"scenario": scenario, "samples": samples, "seed": seed}

        def build() -> dict[str, Any]:
            if not scenario:
                return {"doc": None}
            doc = fleet_runs.run_bundled(scenario, samples=_samples(samples), seed=seed)
            if doc["kind"] != "compare":
                raise InputError("this scenario names no baseline; pick a policy scenario", field="scenario")
            return {"doc": doc, "view": _view(doc), "data_version": doc["policy"]["data_version"]}

        return _guard(
            page,
            "fleet.html",
            build,
            nav="fleet",
            form=form,
            options=_policy_options(),
            sample_choices=SAMPLE_CHOICES,
            fragment="fleet_results.html",
            errors_inline=True,
        )

    @router.get("/fleet/download.{fmt}", response_class=Response)
    def fleet_download(
        request: Request, fmt: Literal["csv", "xlsx"], scenario: str = "", samples: int = 0, seed: int = 1
    ) -> Response:
        page = Page(web, request)
        try:
            doc = fleet_runs.run_bundled(scenario, samples=_samples(samples), seed=seed)
            if doc["kind"] != "compare":
                raise InputError("this scenario names no baseline", field="scenario")
        except InputError as exc:
            return page.render("error.html", code=400, error=str(exc))
        return page.finish(download(_table(doc, scenario), fmt))
