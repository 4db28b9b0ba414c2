"""The dashboard in a real browser (Debian's headless Chromium).

For each page: it loads without console errors (the ``tab`` fixture fails
the test on any), its main interaction works, and a screenshot is saved to
``test-artifacts/web/``.  The server is the platform's app on a fresh SQLite
database, seeded as ``roadcarbon serve`` does it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import struct
from pathlib import Path

import httpx
import pytest
import yaml
from openpyxl import load_workbook

pytestmark = pytest.mark.browser

# A test vehicle (inputs made up for the test, not reference data).
CUSTOM_PETROL = """\
name: Test petrol hatchback
category: passenger_car
segment: small
powertrain: ICEV
fuel: petrol
curb_mass_kg: 1100
test_cycle: WLTP
fuel_consumption_l_per_100km: 5.8
co2_g_per_km: 133
hc_g_per_km: 0.03
co_g_per_km: 0.3
nox_g_per_km: 0.02
pm_mg_per_km: 0.5
"""


def pick_pair(tab):
    """Preset ids of the comparator's opening pair: a battery-electric and a petrol car."""
    tab.open("/compare?samples=0")
    checked = tab.page.locator("fieldset.vehicles label.check", has=tab.page.locator("input:checked"))
    tags = checked.locator(".tag").all_inner_texts()
    values = [checked.nth(i).locator("input").get_attribute("value") for i in range(checked.count())]
    if tags != ["BEV", "ICEV"]:
        pytest.fail(
            f"the comparator should open on a BEV and a petrol car, got {list(zip(values, tags, strict=True))}"
        )
    return values[0], values[1]


def summary_totals(page):
    """Total [g CO2e/km] column of the comparator's summary table, as shown (locale-formatted text)."""
    return page.locator("#summary tbody td.total").all_inner_texts()


def test_home_shows_coverage_and_map(tab):
    response = tab.open("/")
    assert response.status == 200
    tab.page.wait_for_selector("#chart-coverage[data-ready='1']")
    # The world map is drawn: countries cover over 5 % of the frame (about 14 % at 1366 px)
    # (the common ECharts build, without the map series, painted 0 %).
    assert tab.drawn_share("chart-coverage") > 0.05
    assert int(tab.page.locator("#count-countries").inner_text()) > 0
    assert int(tab.page.locator("#count-schemes").inner_text()) > 0
    tab.shot("home")


def test_compare_bev_and_petrol_in_indonesia_and_change_country(tab):
    bev, petrol = pick_pair(tab)
    tab.open(f"/compare?v={bev}&v={petrol}&country=ID&year=2025")
    page = tab.page
    page.wait_for_selector("#chart-stages[data-ready='1']")
    page.wait_for_selector("#chart-cumulative[data-ready='1']")
    page.wait_for_selector("#chart-uncertainty[data-ready='1']")
    page.wait_for_selector("#chart-sensitivity[data-ready='1']")
    assert page.locator("#summary tbody tr").count() == 2
    before = summary_totals(page)
    tab.shot("compare-ID")

    page.select_option("#country", "NO")
    page.wait_for_function("() => location.search.includes('country=NO')")
    page.wait_for_function(
        "(old) => Array.from(document.querySelectorAll('#summary td.total')).map(e => e.textContent).join('|') !== old",
        arg="|".join(before),
    )
    page.wait_for_selector("#chart-stages[data-ready='1']")
    assert summary_totals(page) != before
    assert "Norway (NO)" in page.locator("#results h2").inner_text()
    tab.shot("compare-NO")
    # the next step of a new user: what the markets' rules do to the same two vehicles
    page.click("#to-compliance")
    page.wait_for_selector("#compliance-table tbody tr")
    assert page.locator("#compliance-table thead th").count() == 4


def test_compare_battery_origin_changes_the_battery_stage(tab):
    bev, petrol = pick_pair(tab)
    page = tab.page

    def battery_cell():
        # column 2 of the summary = battery stage of the first vehicle (the BEV)
        return page.locator("#summary tbody tr").first.locator("td").nth(1).inner_text()

    tab.open(f"/compare?v={bev}&v={petrol}&country=ID&year=2025&samples=0&battery=CN")
    page.wait_for_selector("#chart-stages[data-ready='1']")
    from_china = battery_cell()
    page.select_option("#battery", "NO")
    page.wait_for_function("() => location.search.includes('battery=NO')")
    page.wait_for_function(
        "(old) => document.querySelector('#summary tbody tr td:nth-of-type(2)').textContent !== old",
        arg=from_china,
    )
    assert battery_cell() != from_china
    page.select_option("#assembly", "FR")
    page.wait_for_function("() => location.search.includes('assembly=FR')")
    tab.shot("compare-origins")


def test_compare_downloads_csv_xlsx_png(tab):
    bev, petrol = pick_pair(tab)
    tab.open(f"/compare?v={bev}&v={petrol}&country=ID&year=2025")
    page = tab.page
    page.wait_for_selector("#chart-stages[data-ready='1']")
    box = page.locator("figure", has=page.locator("#chart-stages"))
    with page.expect_download() as info:
        box.get_by_text("CSV", exact=True).click()
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "vehicle" and "total_g_co2e_per_km" in rows[0]
    data = rows[1:]
    assert len(data) == 2 and not any(r[0].startswith("#") for r in data)  # no trailing '#' lines
    total_col = rows[0].index("total_g_co2e_per_km")
    stage_cols = [
        rows[0].index(f"{s}_g_co2e_per_km")
        for s in (
            "materials",
            "battery",
            "assembly",
            "energy_supply",
            "tailpipe",
            "maintenance",
            "end_of_life",
        )
    ]
    for r in data:  # the stages add up to the total the service reports
        assert sum(float(r[c]) for c in stage_cols) == pytest.approx(float(r[total_col]), abs=0.01)
    with page.expect_download() as info:
        box.get_by_text("XLSX", exact=True).click()
    sheet = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active
    assert sheet.cell(1, 1).value == "vehicle" and sheet.max_row == 3
    with page.expect_download() as info:
        box.get_by_role("button", name="PNG").click()
    assert info.value.suggested_filename.endswith("-ID-2025.png")  # the name carries the query
    png = Path(info.value.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    # the image carries its title, query, data release, source and licence around the chart
    exported = json.loads(box.get_by_role("button", name="PNG").get_attribute("data-exported"))
    assert exported["head"][0].startswith("Emissions by life-cycle stage")
    assert exported["head"][1] == "Country: ID · Year: 2025"
    assert (
        exported["foot"][0].startswith("Source: roadcarbon, data release ") and "?" not in exported["foot"][0]
    )
    assert exported["foot"][1].startswith("Licence: CC BY 4.0")
    width, height = struct.unpack(">II", png[16:24])  # PNG IHDR: the file is the composed image
    assert (width, height) == (exported["width"], exported["height"]) and height > exported["chartHeight"]


def test_compare_bad_input_shows_one_line_error(tab):
    tab.expect_console("status of 400")
    response = tab.open("/compare?v=no-such-preset&country=ID")
    assert response.status == 400
    alert = tab.page.locator(".alert.error").inner_text()
    assert "no-such-preset" in alert and "\n" not in alert.strip()


def test_country_map_updates_with_grid_series(tab):
    tab.open("/map?year=2024")
    page = tab.page
    page.wait_for_selector("#chart-map[data-ready='1']")
    assert tab.drawn_share("chart-map") > 0.05  # countries painted, not only the colour legend
    rows = page.locator("#map-table tbody tr").count()
    assert rows > 10
    first = page.locator("#map-table tbody tr").first.inner_text()
    tab.shot("map-production")
    page.select_option("#grid", "consumption")
    page.wait_for_function("() => location.search.includes('grid=consumption')")
    page.wait_for_function(
        "(old) => document.querySelector('#map-table tbody tr') && document.querySelector('#map-table tbody tr').innerText !== old",
        arg=first,
    )
    page.wait_for_selector("#chart-map[data-ready='1']")
    tab.shot("map-consumption")


def test_standards_timeline_scheme_page_and_evaluation_trace(tab):
    tab.open("/standards?market=SG")
    page = tab.page
    link = page.locator('#timeline a[href="/standards/SG.vehicular_emissions_scheme"]')
    link.wait_for()
    tab.shot("standards-SG")
    link.click()
    page.wait_for_selector("#parameters tbody tr")
    assert page.locator("#versions tbody tr").count() >= 1
    page.locator("details summary", has_text="custom").click()
    page.fill("#spec", CUSTOM_PETROL)
    page.fill("#on", "2025-06-01")
    page.click("#evaluate-button")
    # the scheme rests on values that are not enacted: answered by default, labelled provisional
    page.wait_for_selector("#trace-parameters tbody tr")
    assert "not enacted" in page.locator("#evaluation .alert.provisional").inner_text()
    assert page.locator("#outcome dd").count() >= 1
    assert "on=2025-06-01" in page.url
    tab.shot("scheme-evaluated")
    # refusal only when asked: the strict box turns the same question into an error, with no outcome
    page.check("#strict")
    page.click("#evaluate-button")
    page.wait_for_selector("#evaluation .alert.error")
    assert "strict=1" in page.url
    assert page.locator("#outcome dd").count() == 0
    assert page.locator("#evaluation .alert.provisional").count() == 0
    tab.shot("scheme-strict-refused")


def test_language_switch_translates_interface_and_numbers(tab):
    bev, petrol = pick_pair(tab)
    tab.open(f"/compare?v={bev}&v={petrol}&country=ID&samples=0")
    page = tab.page
    page.select_option("#lang-select", "id")
    page.wait_for_url(re.compile(r"lang=id"))
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("h1").inner_text() == "Pembanding daur hidup"
    # Indonesian groups thousands with '.' and uses ',' as the decimal sign
    lifetime = page.locator("#summary tbody tr").first.locator("td").last.inner_text()
    assert re.fullmatch(r"\d{1,3}(\.\d{3})+", lifetime), lifetime
    page.wait_for_selector("#chart-stages[data-ready='1']")
    tab.shot("compare-id")
    tab.open("/standards")  # the cookie keeps the language
    assert page.locator("html").get_attribute("lang") == "id"
    tab.open("/?lang=zh_Hans")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.wait_for_selector("#chart-coverage[data-ready='1']")
    tab.shot("home-zh")


def test_every_control_has_a_label_and_keyboard_reaches_the_menu(tab):
    for path in ("/", "/compare", "/map", "/standards", "/compliance", "/login", "/data", "/contributions"):
        tab.open(path)
        unlabeled = tab.page.evaluate(
            """() => Array.from(document.querySelectorAll('select, input:not([type=hidden]), textarea'))
                 .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
                 .map(e => e.name || e.id)"""
        )
        assert unlabeled == [], f"{path}: controls without a label: {unlabeled}"
    tab.open("/")
    tab.page.keyboard.press("Tab")
    assert tab.page.evaluate("document.activeElement.textContent").strip() != ""


def sign_in(tab, who):
    tab.open("/login")
    tab.page.fill("#email", who["email"])
    tab.page.fill("#password", who["password"])
    tab.page.click("#login-form button[type=submit]")
    tab.page.wait_for_url(re.compile(r"/contributions"))


def test_sign_in_rejects_a_forged_form_and_a_wrong_password(tab, credentials, server):
    tab.expect_console("status of 401")
    forged = httpx.post(f"{server}/login", data={"email": "x@y.z", "password": "p", "csrf": "forged"})
    assert forged.status_code == 403
    tab.open("/login")
    tab.page.fill("#email", credentials["reviewer"]["email"])
    tab.page.fill("#password", "wrong password")
    tab.page.click("#login-form button[type=submit]")
    tab.page.wait_for_selector(".alert.error")
    assert tab.page.locator("header .who").count() == 0


def test_reviewer_approves_a_submitted_contribution(tab, credentials, server):
    contributor = credentials["contributor"]
    token = httpx.post(
        f"{server}/api/v1/auth/token",
        data={"username": contributor["email"], "password": contributor["password"]},
    ).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    body = {
        "title": "Browser test: a small petrol car",
        "sources": ["made by the browser test"],
        "license": "CC-BY-4.0",
        "changes": [
            {
                "target_type": "vehicle",
                "operation": "create",
                "payload": yaml.safe_load(CUSTOM_PETROL),
            }
        ],
    }
    created = httpx.post(f"{server}/api/v1/contributions", json=body, headers=auth)
    assert created.status_code == 201, created.text
    cid = created.json()["id"]
    submitted = httpx.post(
        f"{server}/api/v1/contributions/{cid}/submit",
        headers={**auth, "If-Match": created.headers.get("ETag", created.json()["etag"])},
    )
    assert submitted.status_code == 200, submitted.text

    tab.expect_console("status of 404")
    assert tab.open(f"/contributions/{cid}").status == 404  # anonymous: a submitted change set is not public
    assert tab.page.locator("#review-form").count() == 0
    sign_in(tab, credentials["reviewer"])
    page = tab.page
    page.locator("#group-queue a", has_text="Browser test").first.click()
    page.wait_for_selector("#review-form")
    assert page.locator("#validation").inner_text().startswith("Valid")
    assert page.locator("#impact tbody tr").count() >= 1  # the diff of headline results
    tab.shot("contribution-review")
    page.check("input[name=decision][value=approve]")
    page.fill("#comment", "Checked against the source.")
    page.click("#review-submit")
    page.wait_for_selector(".alert.ok")
    assert page.locator("#status").inner_text() == "approved"
    assert "Checked against the source." in page.locator("#comments").inner_text()
    tab.shot("contribution-approved")


def test_data_page_lists_datasets_with_licence_and_downloads(tab):
    tab.open("/data")
    page = tab.page
    page.wait_for_selector("section.dataset")
    assert page.locator("section.dataset dl").first.inner_text().count("CC") >= 1
    assert page.locator("#releases tbody tr").count() >= 1
    tab.shot("data")
    with page.expect_download() as info:
        page.locator("section.dataset a", has_text="CSV").first.click()
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) > 2 and len(rows[0]) > 1


def test_contributor_drafts_and_submits_a_vehicle_in_the_browser(tab, credentials):
    sign_in(tab, credentials["contributor@demo-motors"])
    page = tab.page
    page.locator("#draft summary").click()
    page.fill("#draft-title", "Browser draft: small petrol car")
    page.fill("#draft-sources", "made by the browser test")
    page.select_option("#draft-license", "CC-BY-4.0")
    page.fill("#draft-spec", "name: [unclosed")
    page.click("#draft-form button[type=submit]")
    tab.expect_console("status of 400")
    page.wait_for_selector(".alert.error")
    assert page.locator(".alert.error").inner_text().startswith("Input problem: spec")
    assert page.input_value("#draft-title") == "Browser draft: small petrol car"  # nothing typed is lost
    page.fill("#draft-spec", CUSTOM_PETROL)
    page.click("#draft-form button[type=submit]")
    page.wait_for_selector("#submit-form")
    assert page.locator("#status").inner_text() == "draft"
    assert page.locator("#validation").inner_text().startswith("Valid")
    page.click("#submit-button")
    page.wait_for_selector(".alert.ok")
    assert page.locator("#status").inner_text() == "submitted"
    assert page.locator("#review-form").count() == 0  # a contributor does not review
    tab.shot("contribution-submitted")


def test_keyboard_alone_changes_the_country_and_the_results(tab):
    bev, petrol = pick_pair(tab)
    tab.open(f"/compare?v={bev}&v={petrol}&country=ID&samples=0")
    page = tab.page
    page.wait_for_selector("#chart-stages[data-ready='1']")
    before = summary_totals(page)
    page.focus("#country")
    page.keyboard.press("ArrowDown")  # the next country in the list, no mouse
    page.wait_for_function("() => !location.search.includes('country=ID')")
    page.wait_for_function(
        "(old) => Array.from(document.querySelectorAll('#summary td.total')).map(e => e.textContent).join('|') !== old",
        arg="|".join(before),
    )
    assert summary_totals(page) != before


def test_choosing_a_language_with_the_keyboard_does_not_reload_on_the_first_arrow(tab):
    tab.open("/standards")
    page = tab.page
    page.focus("#lang-select")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(700)
    assert "lang=" not in page.url  # no reload on the arrow press
    assert page.locator("html").get_attribute("lang") == "en"
    chosen = page.input_value("#lang-select")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"lang={chosen}" in page.url
    assert page.locator("html").get_attribute("lang") != "en"
    assert page.locator("a.skip").get_attribute("href") == "#main"  # the skip link leads to the content
