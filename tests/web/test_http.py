"""The dashboard over real HTTP (no browser): same numbers as the API, errors, CSRF, cookies, privacy."""

from __future__ import annotations

import csv
import io
import re

import httpx
import pytest

STAGES = ("materials", "battery", "assembly", "energy_supply", "tailpipe", "maintenance", "end_of_life")


def test_downloaded_numbers_equal_the_api_for_the_same_inputs(server):
    query = "v=car-medium-bev&v=car-medium-petrol&country=ID&year=2025&samples=0"
    table = httpx.get(f"{server}/download/compare-stages.csv?{query}", timeout=60)
    assert table.status_code == 200
    # the file name carries the query (country, year)
    assert table.headers["content-disposition"] == 'attachment; filename="roadcarbon-stages-ID-2025.csv"'
    rows = list(csv.DictReader(io.StringIO(table.content.decode("utf-8-sig"))))
    assert len(rows) == 2  # header and data only: the settings are in the XLSX notes and the ZIP's sidecar
    for row, preset in zip(rows, ("car-medium-bev", "car-medium-petrol"), strict=True):
        api = httpx.post(
            f"{server}/api/v1/lca", json={"vehicle": preset, "country": "ID", "year": 2025}, timeout=60
        ).json()
        assert row["vehicle"] == api["vehicle"]
        assert float(row["total_g_co2e_per_km"]) == api["total_g_co2e_per_km"]
        for stage in STAGES:
            assert float(row[f"{stage}_g_co2e_per_km"]) == api["stages_g_co2e_per_km"][stage]


def test_xlsx_download_is_a_workbook(server):
    r = httpx.get(f"{server}/download/bev-advantage.xlsx?year=2024", timeout=60)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert r.content[:2] == b"PK"  # a zip container


@pytest.mark.parametrize(
    ("query", "field", "status"),
    [
        ("country=Atlantis", "country", 400),
        ("year=1800", "year", 400),
        ("grid=marginal", "grid", 400),
        ("v=car-medium-bev&spec=name: x", "spec", 400),
    ],
)
def test_bad_input_is_one_line_naming_the_field(server, query, field, status):
    r = httpx.get(f"{server}/compare?{query}", timeout=60)
    assert r.status_code == status
    message = re.search(r'class="alert error" role="alert"><strong>[^<]*</strong>\s*([^<]*)</p>', r.text)
    assert message is not None, r.text[:500]
    assert message.group(1).startswith(field) and "\n" not in message.group(1)
    assert "Traceback" not in r.text


def test_unknown_scheme_is_404_and_unknown_download_is_404(server):
    assert httpx.get(f"{server}/standards/XX.no_such_scheme").status_code == 404
    assert httpx.get(f"{server}/download/nothing.csv").status_code == 404


def test_forms_that_change_data_need_the_csrf_token(server):
    with httpx.Client(base_url=server) as client:
        client.get("/login")
        assert client.post("/logout", data={}).status_code == 403
        assert (
            client.post("/contributions/1/review", data={"decision": "approve", "comment": "x"}).status_code
            == 403
        )


def test_cookies_are_http_only_and_same_site(server):
    r = httpx.get(f"{server}/?lang=es")
    cookies = r.headers.get_list("set-cookie")
    assert any(c.startswith("rc_lang=es") for c in cookies)
    for cookie in cookies:
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert r.headers["content-language"] == "es"
    assert r.headers["x-content-type-options"] == "nosniff"


def _sign_in(client: httpx.Client, account: dict[str, str]) -> None:
    page = client.get("/login").text
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    r = client.post(
        "/login",
        data={
            "email": account["email"],
            "password": account["password"],
            "csrf": token,
            "next": "/contributions",
        },
    )
    assert r.status_code == 303, r.text[:300]


def test_a_draft_is_never_shown_outside_its_organisation(server, credentials):
    author = credentials["contributor@demo-motors"]
    other = credentials["contributor@demo-research"]
    token = httpx.post(
        f"{server}/api/v1/auth/token", data={"username": author["email"], "password": author["password"]}
    ).json()["access_token"]
    spec = {
        "name": "Confidential prototype of Demo Motors",
        "category": "passenger_car",
        "segment": "small",
        "powertrain": "BEV",
        "fuel": "electricity",
        "curb_mass_kg": 1200,
        "battery_capacity_kwh": 40,
        "test_cycle": "WLTP",
        "electricity_consumption_kwh_per_100km": 14,
    }
    body = {
        "title": "Confidential prototype draft",
        "sources": ["internal test"],
        "license": "CC-BY-4.0",
        "changes": [{"target_type": "vehicle", "operation": "create", "payload": spec}],
    }
    created = httpx.post(
        f"{server}/api/v1/contributions", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert created.status_code == 201, created.text
    cid = created.json()["id"]
    with httpx.Client(base_url=server) as client:
        _sign_in(client, other)
        assert client.get(f"/contributions/{cid}").status_code == 404
        assert "Confidential prototype" not in client.get("/contributions").text
    with httpx.Client(base_url=server) as client:
        _sign_in(client, author)
        mine = client.get(f"/contributions/{cid}")
        assert mine.status_code == 200 and "Confidential prototype draft" in mine.text
        assert "Confidential prototype draft" in client.get("/contributions").text
    assert "Confidential prototype" not in httpx.get(f"{server}/contributions").text  # anonymous


def test_a_browser_gets_an_html_404_page_and_an_api_client_problem_json(server):
    html = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    page = httpx.get(f"{server}/no-such-page", headers={**html, "accept-language": "es"})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Página no encontrada" in page.text and "/no-such-page" in page.text
    assert "content-security-policy" in page.headers
    hostile = httpx.get(f"{server}/<script>alert(1)</script>", headers=html)
    assert hostile.status_code == 404 and "<script>alert(1)" not in hostile.text  # the path is escaped
    api = httpx.get(f"{server}/no-such-page", headers={"accept": "application/json"})
    assert api.status_code == 404 and not api.headers["content-type"].startswith("text/html")
    under_api = httpx.get(f"{server}/api/v1/no-such-thing", headers=html)
    assert under_api.status_code == 404 and not under_api.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(
    ("lang", "indonesia", "germany"),
    [
        ("zh_Hans", "印度尼西亚 (ID)", "德国 (DE)"),
        ("es", "Indonesia (ID)", "Alemania (DE)"),
        ("pt", "Indonésia (ID)", "Alemanha (DE)"),
    ],
)
def test_country_names_are_in_the_page_language(server, lang, indonesia, germany):
    page = httpx.get(f"{server}/compare?samples=0&lang={lang}", timeout=60)
    assert page.status_code == 200
    assert indonesia in page.text and germany in page.text  # CLDR names (Babel), not English
    assert "Germany (DE)" not in page.text


def test_tornado_labels_are_translated_not_raw_input_names(server):
    page = httpx.get(
        f"{server}/compare/sensitivity?v=car-medium-bev&country=ID&year=2025&lang=es",
        headers={"HX-Request": "true"},
        timeout=60,
    )
    assert page.status_code == 200
    import json

    block = re.search(
        r'<script type="application/json" data-for="chart-sensitivity">(.*?)</script>', page.text, re.S
    )
    categories = json.loads(block.group(1))["categories"]
    assert "Distancia en toda la vida útil" in categories
    assert not any(re.fullmatch(r"[a-z0-9_]+", c) for c in categories), categories  # no raw lifetime_km
