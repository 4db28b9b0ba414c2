"""Fleet compliance page (issue 14 item 4) in Chromium: EU 2019/631, China CAFC + NEV credits, the fleet
totals of a per-vehicle scheme, the CSV export, bad input, a phone screen, no fleet in any URL.

Every expected number is the rule library's own evaluation of the same fleet
(``roadcarbon.rules.documents.evaluate_fleet_document`` on the packaged library), never a typed-in value.
The fleets are made up for the tests (inputs, not reference data).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from roadcarbon.io.rulebook import default_library, preset_resolver
from roadcarbon.rules.documents import evaluate_fleet_document

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"

EU_FLEET = """\
name: Test maker EU
vehicles:
  - preset: car-medium-petrol
    sales: 12000
  - preset: car-large-diesel
    sales: 3000
  - preset: car-small-bev
    sales: 4000
  - sales: 1000
    spec: {name: Test PHEV, category: passenger_car, segment: medium, powertrain: PHEV, fuel: petrol,
           test_cycle: WLTP, curb_mass_kg: 1700, battery_capacity_kwh: 14, electric_range_km: 55,
           electricity_consumption_kwh_per_100km: 17, co2_g_per_km: 40}
"""

CN_FLEET = """\
name: Test maker China
vehicles:
  - sales: 50000
    spec: {name: Test sedan, category: passenger_car, segment: medium, powertrain: ICEV, fuel: petrol,
           test_cycle: WLTP, curb_mass_kg: 1400, fuel_consumption_l_per_100km: 6.3}
  - sales: 8000
    spec: {name: Test BEV, category: passenger_car, segment: medium, powertrain: BEV, fuel: electricity,
           test_cycle: CLTC, curb_mass_kg: 1750, battery_capacity_kwh: 60, electricity_consumption_kwh_per_100km: 12.5,
           electric_range_km: 450}
"""

SG_CSV = """\
name,category,segment,powertrain,fuel,curb_mass_kg,test_cycle,co2_g_per_km,hc_g_per_km,co_g_per_km,nox_g_per_km,pm_mg_per_km,battery_capacity_kwh,electricity_consumption_kwh_per_100km,sales
Test petrol,passenger_car,small,ICEV,petrol,1150,WLTP,140,0.03,0.3,0.02,0.5,,,900
Test hybrid,passenger_car,medium,HEV,petrol,1400,WLTP,98,0.02,0.2,0.01,0.3,,,300
Test BEV,passenger_car,medium,BEV,electricity,1600,WLTP,,,,,,55,15,450
"""


def library_document(scheme: str, fleet: dict[str, Any], year: int, currency: str | None = None) -> Any:
    """The rule library's own evaluation of ``fleet`` (what the page must show)."""
    return evaluate_fleet_document(
        default_library(), scheme, fleet, year, currency=currency, resolve=preset_resolver()
    )


def shown(page: Any, scheme: str, key: str) -> tuple[float, str]:
    """The raw value (``data-value``) and the text the page shows for an outcome key of a scheme."""
    cell = page.locator(f'section[data-scheme="{scheme}"] dd[data-key="{key}"]')
    return float(cell.get_attribute("data-value")), cell.inner_text()


def evaluate(tab: Any, *, scheme: str, year: int, fleet: str, currency: str | None = None) -> Any:
    """Fill the form and evaluate; wait until the results of ``scheme`` are in."""
    page = tab.page
    tab.open("/compliance/fleet")
    page.select_option("#scheme", scheme)
    expected_example = {
        "CN.dual_credit": "Example maker, China",
        "EU.co2_standards_cars": "Example maker, EU",
    }
    if scheme in expected_example:  # the unedited example follows the scheme (compliance_fleet.js)
        assert expected_example[scheme] in page.input_value("#fleet")
    page.fill("#year", str(year))
    if currency is not None:
        page.select_option("#currency", currency)
    page.fill("#fleet", fleet)
    page.click("#evaluate-fleet")
    page.wait_for_selector(
        f'#results section[data-scheme="{scheme if scheme != "CN.dual_credit" else "CN.nev_credits"}"]'
    )
    return page


def test_eu_fleet_target_average_penalty_match_the_rule_library_and_the_chart_is_drawn(tab):
    page = evaluate(tab, scheme="EU.co2_standards_cars", year=2025, fleet=EU_FLEET)
    doc = library_document("EU.co2_standards_cars", yaml.safe_load(EU_FLEET), 2025)
    expected = doc["outcome"]
    for key in ("target", "average", "penalty", "credit_balance"):
        value, _text = shown(page, "EU.co2_standards_cars", key)
        assert value == pytest.approx(expected[key], rel=1e-12), key
    _, target_text = shown(page, "EU.co2_standards_cars", "target")
    assert f"{expected['target']:,.3f} g/km" in target_text
    _, penalty_text = shown(page, "EU.co2_standards_cars", "penalty")
    assert f"{expected['penalty']:,.0f} EUR" in penalty_text
    assert expected["penalty"] > 0  # the test fleet misses the 2025 target: a premium is due
    verdict = page.locator('section[data-scheme="EU.co2_standards_cars"] .verdict')
    assert verdict.get_attribute("data-compliant") == ("true" if expected["compliant"] else "false")
    # the status line as on the compliance page: the 2025 values include announced and assumed ones
    assert page.locator('section[data-scheme="EU.co2_standards_cars"] .provisional').count() == 1
    assert page.locator("#fleet-lines-1 tbody tr").count() == 4
    # each model against the target: markers, target and average lines painted on the canvas
    # (about 5 % of the canvas at 1366 px; axes and labels alone paint about 1 %)
    assert tab.drawn_share("fleet-chart-1") > 0.03
    # the trace: parameters with their reference and status
    page.locator("details.fleet-trace summary").first.click()
    assert page.locator("details.fleet-trace table.trace tbody tr").count() >= 5
    # the fleet travelled in the POST body, never in the URL
    assert "sales" not in page.url and "vehicles" not in page.url and "preset" not in page.url
    tab.shot("compliance-fleet-EU")

    # a form posted for a file: Chromium reports the navigation it turns into a download as aborted
    tab.expect_console("request failed " + tab.base + "/compliance/fleet/download.csv")
    with page.expect_download() as info:
        page.click("#fleet-download-csv")
    download = info.value
    assert download.suggested_filename == "roadcarbon-fleet-compliance-EU.co2_standards_cars-2025.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r.get("quantity") and r["line"] == "fleet"]
    by_key = {r["quantity"]: r for r in rows}
    assert float(by_key["target"]["value"]) == pytest.approx(expected["target"], abs=1e-3)
    assert float(by_key["penalty"]["value"]) == pytest.approx(expected["penalty"], abs=0.01)
    assert by_key["penalty"]["unit"] == "EUR"


def test_china_dual_credit_shows_cafc_and_nev_balances(tab):
    page = evaluate(tab, scheme="CN.dual_credit", year=2024, fleet=CN_FLEET)
    fleet = yaml.safe_load(CN_FLEET)
    cafc = library_document("CN.cafc_gb27999", fleet, 2024)["outcome"]
    nev = library_document("CN.nev_credits", fleet, 2024)["outcome"]
    for key in ("target", "average", "credit_balance"):
        assert shown(page, "CN.cafc_gb27999", key)[0] == pytest.approx(cafc[key], rel=1e-12), key
    for key in ("target", "average", "credits"):
        assert shown(page, "CN.nev_credits", key)[0] == pytest.approx(nev[key], rel=1e-12), key
    assert nev["credits"] == pytest.approx(nev["average"] - nev["target"])  # earned - required
    assert tab.drawn_share("fleet-chart-1") > 0.03  # CAFC: models against the target (about 4 %)
    assert tab.drawn_share("fleet-chart-2") > 0.15  # NEV: required and earned, two bars (about 33 %)
    tab.shot("compliance-fleet-CN")


def test_per_vehicle_scheme_fleet_totals_in_its_currency_and_converted(tab):
    page = evaluate(tab, scheme="SG.vehicular_emissions_scheme", year=2024, fleet=SG_CSV, currency="USD")
    from roadcarbon.io.fleet_csv import fleet_mapping_from_csv

    fleet = fleet_mapping_from_csv(SG_CSV, name="test")
    totals = library_document("SG.vehicular_emissions_scheme", fleet, 2024, currency="USD")["outcome"]
    scheme = "SG.vehicular_emissions_scheme"
    for key in ("revenue", "rebates", "net", "vehicles"):
        assert shown(page, scheme, key)[0] == pytest.approx(totals[key], rel=1e-12), key
    assert totals["rebates"] > 0 and totals["revenue"] > 0  # a BEV rebate and petrol surcharges
    _, revenue_text = shown(page, scheme, "revenue")
    assert f"{totals['revenue']:,.0f} SGD" in revenue_text
    assert f"{totals['converted']['revenue']:,.0f} USD" in revenue_text
    assert page.locator("#fleet-lines-1 tbody tr").count() == 3
    # the CSV's name column names the lines
    assert page.locator("#fleet-lines-1 tbody th").all_inner_texts() == [
        "Test petrol",
        "Test hybrid",
        "Test BEV",
    ]
    assert tab.drawn_share("fleet-chart-1") > 0.1  # share of the vehicles in each band (about 21 %)
    tab.shot("compliance-fleet-SG")


def test_uploaded_csv_file_is_evaluated_and_shown_for_editing(tab):
    page = tab.page
    tab.open("/compliance/fleet?scheme=SG.vehicular_emissions_scheme&year=2024")
    page.set_input_files(
        "#file", files=[{"name": "mix.csv", "mimeType": "text/csv", "buffer": SG_CSV.encode()}]
    )
    page.click("#evaluate-fleet")
    page.wait_for_function(
        "() => document.querySelector('#fleet-summary') && document.querySelector('#fleet-summary').textContent.includes('3')"
    )
    page.wait_for_selector(
        '#results section[data-scheme="SG.vehicular_emissions_scheme"] dd[data-key="revenue"]'
    )


@pytest.mark.parametrize(
    ("fleet", "year", "field"),
    [
        ("vehicles:\n  - preset: car-medium-petrol\n    sales: lots\n", "2025", "fleet.vehicles[0].sales"),
        ("vehicles: [", "2025", "fleet"),
        ("preset,sales\ncar-medium-petrol,\n", "2025", "fleet.vehicles[0].sales"),
        (EU_FLEET, "2019", "year: no version"),
    ],
)
def test_bad_input_is_a_clear_message_naming_the_field(tab, fleet, year, field):
    tab.expect_console("400")  # the htmx request answers 400; its message is shown in place
    page = tab.page
    tab.open("/compliance/fleet")
    page.fill("#year", year)
    page.fill("#fleet", fleet)
    page.click("#evaluate-fleet")
    alert = page.locator("#results .alert.error").first
    alert.wait_for()
    assert field in alert.inner_text()
    assert "Traceback" not in page.content()


def test_a_sales_mix_over_the_limit_is_refused_in_the_page_before_it_is_sent(tab):
    page = tab.page
    tab.open("/compliance/fleet")
    limit = int(page.locator("#fleet-compliance-form").get_attribute("data-max-bytes"))
    sent = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    page.fill("#fleet", "# " + "x" * (limit + 10))
    page.click("#evaluate-fleet")
    alert = page.locator("#results #fleet-error")
    alert.wait_for()
    assert alert.get_attribute("data-field") == "fleet"
    assert "roadcarbon rules evaluate-fleet" in alert.inner_text()
    assert sent == []


@pytest.mark.parametrize("width", [360, 390, 414])
def test_no_horizontal_scroll_on_a_phone_with_results(browser, server, width):
    context = browser.new_context(
        viewport={"width": width, "height": 844}, is_mobile=True, reduced_motion="reduce"
    )
    page = context.new_page()
    try:
        for path in (
            "/compliance/fleet",
            "/compliance/fleet?scheme=CN.dual_credit&lang=zh_Hans",
            "/compliance/fleet?scheme=TH.excise_passenger_car&lang=id",
        ):
            page.goto(server + path, wait_until="networkidle")
            page.wait_for_selector("#results section.fleet-scheme")
            sizes = page.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert sizes[0] <= sizes[1], (path, sizes)
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(
                path=str(ARTIFACTS / f"compliance-fleet-phone-{width}-{len(path)}.png"), full_page=True
            )
            # the result comes before the form on a phone
            assert (
                page.locator("#results").bounding_box()["y"]
                < page.locator("#fleet-compliance-form").bounding_box()["y"]
            )
    finally:
        context.close()


def test_posting_without_the_form_token_is_refused(server):
    with httpx.Client(base_url=server) as client:
        response = client.post(
            "/compliance/fleet",
            data={"scheme": "EU.co2_standards_cars", "year": "2025", "fleet": EU_FLEET},
        )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("fields", "status", "field"),
    [
        ({"year": "20x5", "fleet": EU_FLEET}, 400, "year"),
        ({"year": "2025", "fleet": EU_FLEET, "scheme": "XX.nothing"}, 400, "scheme"),
        ({"year": "2025", "fleet": EU_FLEET, "currency": "XYZ"}, 400, "currency"),
        # under the platform's 1 MB request limit, over the page's (which leaves room for the other fields)
        ({"year": "2025", "fleet": "# " + "x" * 990_000}, 413, "fleet"),
    ],
)
def test_bad_fields_over_http_are_4xx_naming_the_field(server, fields, status, field):
    with httpx.Client(base_url=server) as client:
        page = client.get("/compliance/fleet")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        data = {"csrf": token, "scheme": "EU.co2_standards_cars", "currency": "", **fields}
        response = client.post("/compliance/fleet", data=data)
    assert response.status_code == status, response.text[:300]
    assert f'data-field="{field}"' in response.text
    assert "Traceback" not in response.text


def test_every_control_has_a_label_and_the_page_keeps_its_content_security_policy(tab):
    page = tab.page
    violations = []
    page.on(
        "console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', (e) => "
        "(window.__violations = window.__violations || []).push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    for path in ("/compliance/fleet", "/compliance/fleet?scheme=ID.ppnbm_motor_vehicles&lang=es"):
        response = tab.open(path)
        assert response.status == 200, path
        assert "script-src 'self';" in response.headers["content-security-policy"]
        unlabeled = page.evaluate(
            """() => Array.from(document.querySelectorAll('select, input:not([type=hidden]), textarea'))
                 .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
                 .map(e => e.name || e.id)"""
        )
        assert unlabeled == [], f"{path}: controls without a label: {unlabeled}"
        assert page.evaluate("() => window.__violations || []") == [], path
        assert page.locator('header nav a[aria-current="page"]').get_attribute("href") == "/compliance/fleet"
    assert violations == []


def test_scheme_pages_link_to_the_fleet_page_and_a_fleet_target_offers_no_vehicle_evaluation(tab):
    page = tab.page
    tab.open("/standards/EU.co2_standards_cars")
    assert page.locator("#evaluate-button").count() == 0  # it answered "evaluated per fleet" errors
    page.click("#fleet-evaluate-link")
    page.wait_for_selector('#results section[data-scheme="EU.co2_standards_cars"] dd[data-key="penalty"]')
    assert page.locator("#scheme").input_value() == "EU.co2_standards_cars"
    tab.open("/standards/SG.vehicular_emissions_scheme")
    assert page.locator("#evaluate-button").count() == 1  # a per-vehicle scheme keeps its form
    assert (
        page.locator("#fleet-evaluate-link")
        .get_attribute("href")
        .endswith("scheme=SG.vehicular_emissions_scheme")
    )


def test_a_hostile_model_name_is_shown_as_text(tab):
    page = tab.page
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    hostile = "<img src=x onerror=alert(1)>"
    evaluate(
        tab, scheme="EU.co2_standards_cars", year=2025, fleet=EU_FLEET.replace("Test PHEV", f'"{hostile}"')
    )
    assert page.locator("#fleet-lines-1 tbody th", has_text=hostile).count() == 1
    page.locator("#fleet-chart-1").wait_for()
    page.wait_for_selector("#fleet-chart-1[data-ready='1']")
    # the tooltip of the hostile model (an HTML box): its name must arrive as text
    page.evaluate(
        "() => window.roadcarbonFleetComplianceCharts['fleet-chart-1']"
        ".dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 3})"
    )
    page.wait_for_function(
        "() => document.querySelector('#fleet-chart-1').innerText.includes('onerror=alert(1)>')"
    )
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.evaluate("() => document.querySelectorAll('img[src=x]').length") == 0


# --- the page's reading of a sales mix, without a browser -------------------------------------------


def test_parse_fleet_reads_yaml_json_and_csv_and_names_the_field_of_each_problem():
    from roadcarbon.errors import SpecError
    from roadcarbon.web.routes_compliance_fleet import MAX_FLEET_LINES, csv_line_names, parse_fleet

    assert len(parse_fleet(EU_FLEET)["vehicles"]) == 4
    assert parse_fleet('{"vehicles": [{"preset": "car-small-bev", "sales": 3}]}')["vehicles"][0]["sales"] == 3
    csv_mix = parse_fleet(SG_CSV)
    assert [v["sales"] for v in csv_mix["vehicles"]] == [900, 300, 450]
    assert csv_line_names(SG_CSV) == ["Test petrol", "Test hybrid", "Test BEV"]
    problems = {
        "": "fleet",
        "- just a list": "fleet",
        "vehicles: []": "fleet.vehicles",
        "vehicles: [3]": "fleet.vehicles[0]",
        "vehicles: [{spec: cars/a.yaml, sales: 1}]": "fleet.vehicles[0].spec",
        "preset,sales\ncar-small-bev,many\n": "fleet.vehicles[0].sales",
        "vehicles:\n" + "  - {preset: car-small-bev, sales: 1}\n" * (MAX_FLEET_LINES + 1): "fleet.vehicles",
    }
    for text, field in problems.items():
        with pytest.raises(SpecError) as info:
            parse_fleet(text)
        assert info.value.field == field, text[:40]
    with pytest.raises(SpecError) as info:
        parse_fleet("# " + "x" * 2000, max_bytes=1000)
    assert info.value.field == "fleet"
    with pytest.raises(SpecError) as info:
        parse_fleet("sales\nx\n", field="file", filename="mix.csv")
    assert info.value.field == "file.vehicles[0].sales"


def test_the_page_stays_under_the_platforms_request_limit():
    from types import SimpleNamespace

    from roadcarbon.web.routes_compliance_fleet import FORM_OVERHEAD_BYTES, MAX_FLEET_BYTES, max_fleet_bytes

    assert max_fleet_bytes(SimpleNamespace(max_request_bytes=1_000_000)) == 1_000_000 - FORM_OVERHEAD_BYTES
    assert max_fleet_bytes(SimpleNamespace(max_request_bytes=50_000_000)) == MAX_FLEET_BYTES
    assert max_fleet_bytes(None) == MAX_FLEET_BYTES


def test_the_csv_export_holds_the_documents_numbers():
    from roadcarbon.web import i18n
    from roadcarbon.web.routes_compliance_fleet import evaluate as evaluate_mix
    from roadcarbon.web.routes_compliance_fleet import line_names, parse_fleet, results_table

    i18n.set_current("en")
    fleet = parse_fleet(CN_FLEET)
    results = evaluate_mix("CN.dual_credit", fleet, 2024, None)
    table = results_table(results, line_names(fleet), 2024, None)
    cells = {(r[0], r[2], r[5]): r[6] for r in table.rows}
    nev_doc = library_document("CN.nev_credits", yaml.safe_load(CN_FLEET), 2024)
    cafc = library_document("CN.cafc_gb27999", yaml.safe_load(CN_FLEET), 2024)["outcome"]
    assert cells[("CN.nev_credits", "fleet", "credits")] == nev_doc["outcome"]["credits"]
    assert cells[("CN.cafc_gb27999", "fleet", "credit_balance")] == cafc["credit_balance"]
    per_line = next(s["value"] for s in reversed(nev_doc["trace"]) if s["name"] == "credits")
    assert [cells[("CN.nev_credits", i + 1, "credits")] for i in range(2)] == per_line
    assert per_line[1] > 0  # the BEV earns credits, the petrol sedan none
