"""``/api/v1/fleet``: runs as background jobs over real HTTP, progress, results, privacy, problem+json."""

from __future__ import annotations

import time
from typing import Any

import httpx

from roadcarbon.io.scenarios import read_text, scenario_path

PROBLEM = "application/problem+json"


def _wait(client: httpx.Client, location: str, timeout_s: float = 60.0) -> tuple[dict[str, Any], list[float]]:
    seen: list[float] = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        r = client.get(location)
        assert r.status_code == 200, r.text
        doc = r.json()
        seen.append(doc["progress"])
        if doc["status"] in ("done", "failed"):
            return doc, seen
        time.sleep(0.05)
    raise AssertionError(f"run not finished after {timeout_s} s: {doc}")


def _doc(name: str) -> dict[str, Any]:
    return dict(read_text(scenario_path(name).read_text(encoding="utf-8")))


def test_bundled_scenarios_listed_with_baselines(fleet_server: Any) -> None:
    with fleet_server.client() as c:
        r = c.get("/api/v1/fleet/scenarios")
        assert r.status_code == 200
        ids = {s["id"]: s for s in r.json()}
        assert ids["th_ev35"]["baseline"] == "th_cars_baseline"
        one = c.get("/api/v1/fleet/scenarios/cl_santiago_ebus").json()
        assert one["document"]["country"] == "CL" and "technologies:" in one["text"]
        assert c.get("/api/v1/fleet/scenarios/nope").status_code == 404


def test_run_job_progress_and_compare_result(fleet_server: Any) -> None:
    with fleet_server.client() as c:
        r = c.post("/api/v1/fleet/runs", json={"scenario": {"bundled": "th_ev35"}, "samples": 30, "seed": 5})
        assert r.status_code == 202, r.text
        assert r.json()["status"] == "queued"
        location = r.headers["Location"]
        done, seen = _wait(c, location)
    assert done["status"] == "done", done["error"]
    assert seen == sorted(seen) and seen[-1] == 1.0
    result = done["result"]
    assert result["kind"] == "compare"
    for key in ("country", "years", "stock", "sales", "scrappage", "energy", "emissions_t_co2e", "fiscal"):
        assert key in result["policy"]
    assert result["abatement_t_co2e"]["wtw"]["cumulative"][-1] > 0
    bands = result["uncertainty"]["abatement_t_co2e"]["wtw"]["cumulative"]
    assert bands["p05"][-1] <= bands["p50"][-1] <= bands["p95"][-1]
    assert done["visibility"] == "public"  # anonymous runs are public


def test_same_numbers_as_the_cli(fleet_server: Any) -> None:
    import json
    import subprocess
    import sys

    cli = subprocess.run(
        [sys.executable, "-m", "roadcarbon.cli", "fleet", "run", "cl_santiago_buses_baseline", "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    with fleet_server.client() as c:
        r = c.post("/api/v1/fleet/runs", json={"scenario": {"bundled": "cl_santiago_buses_baseline"}})
        done, _ = _wait(c, r.headers["Location"])
    api = done["result"]
    assert api["kind"] == "run"
    assert api["emissions_t_co2e"] == json.loads(cli.stdout)["emissions_t_co2e"]


def test_bad_scenario_422_names_every_problem(fleet_server: Any) -> None:
    doc = _doc("th_cars_baseline")
    doc["sales"]["shares"][2023]["petrol"] = 0.5
    del doc["sales"]["total"][2050]
    doc["policy"] = {
        "schemes": [{"id": "XX.unknown_scheme"}],
        "choice": {"price_elasticity": -2, "source": "t"},
    }
    with fleet_server.client() as c:
        r = c.post("/api/v1/fleet/runs", json={"scenario": {"document": doc}})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    fields = {e["field"] for e in body["errors"]}
    assert {"sales.shares.2023", "sales.total", "policy.schemes.0.id"} <= fields
    assert "XX.unknown_scheme" in body["detail"]


def test_documents_over_http_name_presets_never_server_paths(fleet_server: Any) -> None:
    doc = _doc("th_cars_baseline")
    doc["technologies"]["petrol"]["preset"] = "/etc/passwd"
    doc["technologies"]["electric"]["preset"] = "../../../pyproject"
    with fleet_server.client() as c:
        r = c.post("/api/v1/fleet/runs", json={"scenario": {"document": doc}})
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert fields == {"technologies.petrol.spec", "technologies.electric.spec"}
    assert "root:" not in r.text


def test_private_scenario_and_run_invisible_to_another_organisation(fleet_server: Any) -> None:
    motors = fleet_server.token_of("org_admin")  # Demo Motors
    research_cred = next(x for x in fleet_server.seed["credentials"] if x["organisation"] == "demo-research")
    research = fleet_server.login(research_cred["email"], research_cred["password"])
    doc = _doc("sg_cleaner_energy_2030")
    doc["baseline"] = None
    doc["name"] = "Demo Motors <b>private</b> plan"
    with fleet_server.client(motors) as c:
        r = c.post(
            "/api/v1/scenarios", json={"name": "private plan", "document": doc, "visibility": "private"}
        )
        assert r.status_code == 201, r.text
        scenario_id = r.json()["id"]
        r = c.post("/api/v1/fleet/runs", json={"scenario": {"id": scenario_id}, "visibility": "public"})
        assert r.status_code == 422 and r.json()["field"] == "visibility"
        r = c.post("/api/v1/fleet/runs", json={"scenario": {"id": scenario_id}})
        assert r.status_code == 202, r.text
        location = r.headers["Location"]
        done, _ = _wait(c, location)
        assert done["status"] == "done" and done["visibility"] == "private"
        assert done["result"]["scenario"] == "Demo Motors <b>private</b> plan"
        listed = c.get("/api/v1/fleet/runs").json()
        assert any(item["id"] == done["id"] for item in listed["items"])
    with fleet_server.client(research) as c:
        assert c.get(location).status_code == 404
        assert c.post("/api/v1/fleet/runs", json={"scenario": {"id": scenario_id}}).status_code == 404
        listed = c.get("/api/v1/fleet/runs").json()
        assert all(item["id"] != done["id"] for item in listed["items"])
    with fleet_server.client() as c:
        assert c.get(location).status_code == 404
