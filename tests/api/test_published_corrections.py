"""Published corrections are what the platform answers with (platform honesty).

A rule-parameter value contributed, reviewed and published in a release is the value the API's rule
endpoints and the web scheme page use, citing the contributed source; the offline CLI keeps the
packaged library (docs/platform.md, "Published corrections").
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from roadcarbon_platform_fixtures import DB_KINDS, fresh_database, migrated_and_seeded
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from roadcarbon.cli import app as cli_app
from roadcarbon.db.session import make_engine
from roadcarbon.services.calculations import RELEASE_CHECK_SECONDS

_API_CONFTEST = "roadcarbon_api_conftest"  # the same module other API tests load: server start and stop
if _API_CONFTEST not in sys.modules:
    _spec = importlib.util.spec_from_file_location(_API_CONFTEST, Path(__file__).parent / "conftest.py")
    assert _spec is not None and _spec.loader is not None
    sys.modules[_API_CONFTEST] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules[_API_CONFTEST])
start_server = sys.modules[_API_CONFTEST].start_server
stop_server = sys.modules[_API_CONFTEST].stop_server

SCHEME = "SG.vehicular_emissions_scheme"
ON = "2025-06-01"
PRESET = "car-medium-bev"  # band A1 of the VES on ON (the band whose amount the contribution changes)
CITATION = "LTA circular on the VES A1 rebate, para 3 (test citation) https://example.org/ves-a1"


def _cli(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli_app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def _publish_rule_value(url: str) -> tuple[float, float, str]:
    """Contribute a lowered A1 amount, have it reviewed and released; (packaged, published, source id)."""
    from platform_helpers import maintainer, new_org, new_user

    from roadcarbon.services import contributions, releases
    from roadcarbon.services.regulations import library
    from roadcarbon.services.value_changes import source_id_for
    from roadcarbon.services.value_changes_rules import propose_rule_value

    ves = library().get(SCHEME).model_dump(mode="json")
    values = ves["parameters"]["amounts_sgd"]["values"]
    start = max(k for k, v in values.items() if k <= ON and v is not None)
    old = values[start]["value"]
    new = [old[0] - 5000, *old[1:]]  # test input: the A1 amount lowered by SGD 5,000
    form = {
        "scheme": SCHEME,
        "parameter": "amounts_sgd",
        "valid_from": start,
        "value": ", ".join(str(x) for x in new),
        "status": "enacted",
        "source": CITATION,
        "locator": "para 3, band A1",
    }
    engine = make_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            org = new_org(session)
            author = new_user(session, org, "contributor")
            draft = propose_rule_value(session, author, form)
            assert draft["validation_report"]["valid"], draft["validation_report"]
            contributions.submit_contribution(session, author, draft["id"])
            reviewer = new_user(session, new_org(session), "reviewer")
            contributions.review_contribution(
                session, reviewer, draft["id"], decision="approve", comment="ok"
            )
            releases.publish_release(session, maintainer(session), tag="ves-a1-test", title="VES A1 amount")
            session.commit()
        # published by another process (as through another worker): the server sees it once its cached
        # answer to "which release is the latest" is older than RELEASE_CHECK_SECONDS
        time.sleep(RELEASE_CHECK_SECONDS + 0.2)
    finally:
        engine.dispose()
    return float(old[0]), float(new[0]), source_id_for(CITATION)


@pytest.fixture(scope="module", params=DB_KINDS)
def published(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A server of its own (the shared one keeps the packaged values) after a rule value was published."""
    kind = str(request.param)
    folder = tmp_path_factory.mktemp(f"published-{kind}")
    with fresh_database(kind, folder) as url:
        seed = migrated_and_seeded(url)
        live = start_server(url, seed, kind, folder, calculations_per_minute=1_000_000)
        try:
            with live.client() as c:  # before: the API answers the packaged library, as the CLI
                before = c.post(
                    f"/api/v1/rules/{SCHEME}/evaluate",
                    json={"vehicle": PRESET, "on": ON, "allow": ["all"]},
                )
            assert before.status_code == 200, before.text
            assert before.json() == _cli("rules", "evaluate", SCHEME, PRESET, "--on", ON, "--allow", "all")
            yield live, _publish_rule_value(url)
        finally:
            stop_server(live)


def _amount_step(trace: list[dict[str, Any]]) -> dict[str, Any]:
    return next(s for s in trace if s.get("type") == "parameter" and s.get("name") == "amounts_sgd")


def test_evaluate_answers_the_published_value_citing_the_contributed_source(published: Any) -> None:
    live, (packaged, contributed, source) = published
    with live.client() as c:
        r = c.post(f"/api/v1/rules/{SCHEME}/evaluate", json={"vehicle": PRESET, "on": ON, "allow": ["all"]})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["outcome"]["band"] == "A1"
    assert doc["outcome"]["amount"] == contributed != packaged
    step = _amount_step(doc["trace"])
    assert step["reference"]["source"] == source
    assert step["reference"]["title"] == CITATION
    # the offline CLI keeps the packaged library (documented)
    cli = _cli("rules", "evaluate", SCHEME, PRESET, "--on", ON, "--allow", "all")
    assert cli["outcome"]["amount"] == packaged
    assert _amount_step(cli["trace"])["reference"]["source"] != source


def test_scheme_document_compare_and_fleet_use_the_published_value(published: Any) -> None:
    from roadcarbon.services.regulations import library_version

    live, (_, contributed, source) = published
    start = max(
        k
        for k in _cli("rules", "show", SCHEME)["parameters"]["amounts_sgd"]["values"]
        if k <= ON  # the dated value the contribution changed
    )
    with live.client() as c:
        scheme = c.get(f"/api/v1/rules/{SCHEME}")
        compared = c.post(
            "/api/v1/rules/compare",
            json={"vehicle": PRESET, "on": ON, "markets": ["SG"], "allow": ["all"]},
        )
        fleet = c.post(
            f"/api/v1/rules/{SCHEME}/evaluate-fleet",
            json={
                "fleet": {"name": "f", "vehicles": [{"preset": PRESET, "sales": 2}]},
                "year": dt.date.fromisoformat(ON).year,
                "on": ON,
                "allow": ["all"],
            },
        )
    assert scheme.status_code == 200, scheme.text
    value = scheme.json()["parameters"]["amounts_sgd"]["values"][start]
    assert value["value"][0] == contributed and value["reference"]["source"] == source
    assert scheme.json()["sources"][source]["title"] == CITATION
    assert scheme.json()["rule_library_version"] != library_version()  # not the packaged library's
    assert compared.status_code == 200, compared.text
    assert str(int(contributed)).lstrip("-") in json.dumps(compared.json())
    assert fleet.status_code == 200, fleet.text
    assert str(int(2 * contributed)).lstrip("-") in json.dumps(fleet.json()["outcome"])


def test_the_web_scheme_page_shows_the_published_value(published: Any) -> None:
    live, (_, contributed, _) = published
    with live.client() as c:
        page = c.get(f"/standards/{SCHEME}", params={"vehicle": PRESET, "on": ON, "allow": "all"})
    assert page.status_code == 200, page.text[:500]
    amount = f"{abs(contributed):,.0f}"
    assert amount in page.text, amount
    assert CITATION.split(" https://")[0] in page.text


# --- reference data: calculations run on the latest release's factors --------------------------------

GRID_FORM = {  # test input: Indonesia's 2024 consumption-based grid intensity corrected (packaged: 663)
    "country": "ID",
    "year": "2024",
    "series": "consumption",
    "value": "500",
    "source": "PLN statistics 2024, table 5 (test citation)",
    "license": "CC-BY-4.0",
}
LCA = {"vehicle": "car-medium-bev", "country": "ID", "year": 2024, "grid_series": "consumption"}


def _publish_grid_value(url: str, tag: str) -> None:
    from platform_helpers import maintainer, new_org, new_user

    from roadcarbon.services import contributions, releases
    from roadcarbon.services.value_changes import propose_grid_value

    engine = make_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            org = new_org(session)
            author = new_user(session, org, "contributor")
            draft = propose_grid_value(session, author, GRID_FORM)
            assert draft["validation_report"]["valid"], draft["validation_report"]
            contributions.submit_contribution(session, author, draft["id"])
            reviewer = new_user(session, new_org(session), "reviewer")
            contributions.review_contribution(
                session, reviewer, draft["id"], decision="approve", comment="ok"
            )
            releases.publish_release(session, maintainer(session), tag=tag, title="ID grid 2024")
            session.commit()
        # published by another process (as through another worker): the server sees it once its cached
        # answer to "which release is the latest" is older than RELEASE_CHECK_SECONDS
        time.sleep(RELEASE_CHECK_SECONDS + 0.2)
    finally:
        engine.dispose()


def test_calculations_use_the_latest_release_factors_and_say_which(published: Any) -> None:
    live, _ = published
    cli = _cli("lca", "car-medium-bev", "--country", "ID", "--year", "2024", "--grid-series", "consumption")
    token = live.token_of("contributor")
    compare = {
        **{k: v for k, v in LCA.items() if k != "vehicle"},
        "vehicles": ["car-medium-bev", "car-medium-petrol"],
    }
    with live.client(token) as c:  # the latest release (a rule value) left the factors as packaged
        same = c.post("/api/v1/lca", json=LCA)
        stored = c.post("/api/v1/results/lca", json=LCA)
    assert same.status_code == 200, same.text
    assert same.json() == cli  # the packaged factors, reported as the packaged data version
    assert stored.status_code == 201, stored.text
    assert stored.json()["release_tag"] == "ves-a1-test"  # its factors are the packaged ones: true
    assert stored.json()["data_version"] == cli["data_version"]

    _publish_grid_value(live.database_url, "id-grid-test")
    with live.client(token) as c:
        lca = c.post("/api/v1/lca", json=LCA)
        compared = c.post("/api/v1/compare", json=compare)
        stored = c.post("/api/v1/results/lca", json=LCA)
    label = f"{cli['data_version']}+release.id-grid-test"
    assert lca.status_code == 200, lca.text
    assert lca.json()["data_version"] == label
    assert lca.json()["total_g_co2e_per_km"] < cli["total_g_co2e_per_km"]  # a cleaner grid: less use phase
    assert lca.json()["stages_g_co2e_per_km"]["energy_supply"] < cli["stages_g_co2e_per_km"]["energy_supply"]
    assert compared.status_code == 200, compared.text
    assert compared.json()["data_version"] == label
    bev = next(v for v in compared.json()["vehicles"] if v["data_version"] == label)
    assert bev["total_g_co2e_per_km"] == lca.json()["total_g_co2e_per_km"]
    assert stored.status_code == 201, stored.text
    assert stored.json()["release_tag"] == "id-grid-test"
    assert stored.json()["data_version"] == label
    assert stored.json()["result"]["total_g_co2e_per_km"] == lca.json()["total_g_co2e_per_km"]
    # the offline CLI keeps the packaged data
    assert (
        _cli("lca", "car-medium-bev", "--country", "ID", "--year", "2024", "--grid-series", "consumption")
        == cli
    )
