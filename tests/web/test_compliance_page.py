"""The compliance page (issue 14 item 3): answers with statuses, fields for missing inputs, one price per market.

Browser tests (Chromium) on the test server, plus plain-HTTP checks of the form handling.  The values typed
into the forms are test inputs (made up, not reference data); the amounts the page shows are checked against
the rule library's own answer for the same inputs (``roadcarbon.services.regulations.evaluate``), not against
numbers written here.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

DAY = "2025-06-01"
PETROL_EXTRA = {"engine_displacement_cc": 1500}  # test input
PRICES = {"ID": ("300000000", "IDR"), "TH": ("700000", "THB"), "SG": ("30000", "SGD")}  # test inputs
PRIVATE_SPEC = """\
name: Private prototype QX-77
category: passenger_car
segment: small
powertrain: BEV
fuel: electricity
curb_mass_kg: 1300
test_cycle: WLTP
battery_capacity_kwh: 45
electricity_consumption_kwh_per_100km: 14
"""


def pick_pair(tab: Any) -> tuple[str, str]:
    """The comparator's opening pair: a battery-electric and a petrol car (preset ids)."""
    tab.open("/compare?samples=0")
    checked = tab.page.locator("fieldset.vehicles label.check", has=tab.page.locator("input:checked"))
    assert checked.locator(".tag").all_inner_texts() == ["BEV", "ICEV"]
    return tuple(checked.nth(i).locator("input").get_attribute("value") for i in range(2))  # type: ignore[return-value]


def cell(page: Any, scheme: str, vehicle: str) -> Any:
    return page.locator(f'#compliance-table tr[data-scheme="{scheme}"] td[data-vehicle="{vehicle}"]')


def expected_amount(scheme: str, preset: str, extra: dict[str, Any]) -> tuple[float, str]:
    """The rule library's amount and currency for a preset with the values the user typed."""
    from roadcarbon.services.regulations import evaluate
    from roadcarbon.web import backend

    doc = {**backend.vehicle(preset).model_dump(mode="json", exclude_none=True), **extra}
    outcome = evaluate(scheme, doc, DAY)["outcome"]
    return float(outcome["amount"]), str(outcome["currency"])


def shown_amount(page: Any, scheme: str, vehicle: str) -> tuple[float, str]:
    dd = cell(page, scheme, vehicle).locator("dd.amount")
    return float(dd.get_attribute("data-value")), str(dd.get_attribute("data-currency"))


def wait_answer(page: Any, scheme: str, vehicle: str) -> None:
    page.wait_for_selector(
        f'#compliance-table tr[data-scheme="{scheme}"] td[data-vehicle="{vehicle}"] dd.amount'
    )


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "id"])
def test_compliance_answers_bev_and_petrol_in_sg_id_th_fields_fill_and_prices_per_market(
    tab: Any, lang: str
) -> None:
    bev, petrol = pick_pair(tab)
    page = tab.page
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url + " " + (r.post_data or "")))
    tab.open(f"/compliance?v={bev}&v={petrol}&on={DAY}&lang={lang}")
    page.wait_for_selector("#compliance-table tbody tr")

    # every market answers the BEV with a status; the petrol car's missing engine size is a field to fill
    for scheme in ("SG.vehicular_emissions_scheme", "ID.ppnbm_motor_vehicles", "TH.excise_passenger_car"):
        assert cell(page, scheme, bev).locator(".cell-status").count() == 1, scheme
    ppnbm = cell(page, "ID.ppnbm_motor_vehicles", petrol)
    field = ppnbm.locator(f'input[name="in.{petrol}.engine_displacement_cc"]')
    assert field.count() == 1 and field.get_attribute("type") == "number"
    label = ppnbm.locator("label").first.inner_text()
    assert "cm³" in label and label.startswith("Kapasitas mesin" if lang == "id" else "Engine displacement")
    assert "lacks" not in page.inner_text("#compliance-table")  # no developer language in the cells
    scope = cell(page, "TH.ev_subsidy", petrol).inner_text()
    assert scope.startswith("Tidak berlaku" if lang == "id" else "Does not apply")

    # filling it answers the scheme (and every other scheme that reads it), with a status
    field.fill(str(PETROL_EXTRA["engine_displacement_cc"]))
    ppnbm.locator("button.evaluate").click()
    page.wait_for_function("() => location.search.includes('engine_displacement_cc=1500')")
    page.wait_for_selector(
        f'#compliance-table tr[data-scheme="ID.ppnbm_motor_vehicles"] td[data-vehicle="{petrol}"] .cell-status'
    )
    assert cell(page, "TH.excise_passenger_car", petrol).locator(".cell-status").count() == 1
    # the amount needs a price: one per market, each in its own currency
    for market, scheme in (
        ("ID", "ID.ppnbm_motor_vehicles"),
        ("TH", "TH.excise_passenger_car"),
        ("SG", "SG.additional_registration_fee"),
    ):
        here = cell(page, scheme, petrol)
        price, currency = PRICES[market]
        here.locator(f'input[name="price.{petrol}.{market}"]').fill(price)
        here.locator(f'select[name="currency.{petrol}.{market}"]').select_option(currency)
    cell(page, "SG.additional_registration_fee", petrol).locator("button.evaluate").click()
    for scheme in ("ID.ppnbm_motor_vehicles", "TH.excise_passenger_car", "SG.additional_registration_fee"):
        wait_answer(page, scheme, petrol)
    for market, scheme in (
        ("ID", "ID.ppnbm_motor_vehicles"),
        ("TH", "TH.excise_passenger_car"),
        ("SG", "SG.additional_registration_fee"),
    ):
        price, currency = PRICES[market]
        extra = {**PETROL_EXTRA, "price": float(price), "price_currency": currency}
        assert shown_amount(page, scheme, petrol) == pytest.approx(expected_amount(scheme, petrol, extra))
        assert shown_amount(page, scheme, petrol)[1] == currency  # the scheme's own currency
        assert cell(page, scheme, petrol).locator(".cell-status").count() == 1  # with its status
    query = parse_qs(urlparse(page.url).query)
    assert query[f"price.{petrol}.TH"] == ["700000"] and query[f"currency.{petrol}.TH"] == ["THB"]
    assert page.locator("section.added").count() == 1  # the values given, editable in one place
    tab.shot(f"compliance-filled-{lang}")

    # a price in a currency without a sourced rate for the year: the library refuses, the reason is translated
    added = page.locator("section.added")
    added.locator(f'select[name="currency.{petrol}.SG"]').select_option("IDR")
    added.locator("button.evaluate").click()
    page.wait_for_selector(
        f'#compliance-table tr[data-scheme="SG.additional_registration_fee"] td[data-vehicle="{petrol}"] .reason-currency'
    )
    reason = cell(page, "SG.additional_registration_fee", petrol).inner_text()
    assert "IDR" in reason and "SGD" in reason
    assert reason.startswith("Tidak ada kurs" if lang == "id" else "No sourced exchange rate")
    # the other markets keep their answers
    wait_answer(page, "TH.excise_passenger_car", petrol)

    # the state is in the address: reloading it gives the same answers
    tab.open(urlparse(page.url).path + "?" + urlparse(page.url).query)
    wait_answer(page, "ID.ppnbm_motor_vehicles", petrol)

    # a pasted private spec is posted, never in an address (page, history, any request's URL)
    page.locator("#compliance-form details summary").click()
    page.fill("#spec", PRIVATE_SPEC)
    page.click("#compliance-form > button[type=submit]")
    page.wait_for_selector('#compliance-table td[data-vehicle="custom"]')
    assert "QX-77" in page.inner_text("#compliance-table thead")
    assert "QX-77" not in page.url and "Private" not in page.url
    urls = [r.split(" ", 1)[0] for r in requested]
    assert not [u for u in urls if "QX-77" in u or "prototype" in u.lower()]
    assert any("QX-77" in r.split(" ", 1)[1] for r in requested)  # it went in a request body
    history = page.evaluate("() => location.href + ' ' + document.referrer")
    assert "QX-77" not in history
    for a in page.locator("#results a[href]").all():
        assert "QX-77" not in (a.get_attribute("href") or "")
    tab.shot(f"compliance-private-spec-{lang}")


@pytest.mark.browser
def test_compliance_cells_link_to_their_trace_and_download(tab: Any) -> None:
    bev, petrol = pick_pair(tab)
    page = tab.page
    tab.open(f"/compliance?v={bev}&v={petrol}&on={DAY}&allow=unverified")
    page.wait_for_selector("#compliance-table tbody tr")
    assert page.locator("#compliance-table > thead th").count() == 4
    with page.expect_download() as info:
        page.get_by_text("CSV", exact=True).first.click()
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["market", "scheme", "vehicle"] and "status" in rows[0]
    band = rows[0].index("band")
    assert any(r[1] == "SG.vehicular_emissions_scheme" and r[band] for r in rows[1:])
    # a scheme whose packaged version is in force (no published correction: see test_values_page) links to
    # the scheme page's trace for the same vehicle, date and statuses
    cell(page, "ID.ppnbm_motor_vehicles", bev).locator("a.cell-link").click()
    page.wait_for_selector("#trace-parameters tbody tr")
    query = parse_qs(urlparse(page.url).query)
    assert "/standards/ID.ppnbm_motor_vehicles" in page.url
    assert query["vehicle"] == [bev] and query["on"] == [DAY] and query["allow"] == ["unverified"]


# --- plain HTTP ---------------------------------------------------------------------------------------


@pytest.fixture
def client(server: str) -> Any:
    with httpx.Client(base_url=server, timeout=60) as c:
        yield c


def test_bad_added_value_is_a_400_marked_next_to_its_field(client: Any) -> None:
    r = client.get(
        "/compliance",
        params=[
            ("v", "car-medium-petrol"),
            ("on", DAY),
            ("in.car-medium-petrol.engine_displacement_cc", "big"),
        ],
    )
    assert r.status_code == 400
    assert "expected a number, got &#39;big&#39;" in r.text and 'aria-invalid="true"' in r.text


def test_posted_form_without_spec_redirects_to_its_address_and_with_spec_never_does(client: Any) -> None:
    import re

    r = client.post("/compliance", data={"v": "car-medium-bev", "csrf": "forged"})
    assert r.status_code == 403  # the session's token, as every posted form
    page = client.get("/compliance", params={"v": "car-medium-bev", "on": DAY}).text
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    form = {"shown": "1", "v": "car-medium-bev", "on": DAY, "in.car-medium-bev.seats": "", "csrf": token}
    r = client.post("/compliance", data=form)
    assert r.status_code == 303
    assert r.headers["location"] == f"/compliance?shown=1&v=car-medium-bev&on={DAY}"
    r = client.post("/compliance", data={**form, "spec": PRIVATE_SPEC}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "QX-77" in r.text
    assert "QX-77" not in r.headers["hx-push-url"] and "spec" not in r.headers["hx-push-url"]
    assert "csrf" not in r.headers["hx-push-url"] and r.headers["cache-control"] == "no-store"
    r = client.post("/compliance", data={**form, "spec": "name: [unclosed"})
    assert r.status_code == 400 and "spec" in r.text
