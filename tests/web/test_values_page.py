"""A value contribution through the web: propose a corrected grid value with its source, fix the draft after a
validation error, review it as another organisation (row diff old → new, source, impact), publish a release,
and find the published row citing the change set's source.  Hostile text is escaped on every page."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

SOURCE = (
    "PLN Statistik 2024 “Listrik” <script>alert('src')</script> \u202eevil\u202c 😀 https://example.org/pln"
)
BAD_VALUE = "<script>alert(1)</script>"


def sign_in(tab: Any, account: dict[str, str], then: str) -> None:
    tab.open(f"/login?next={then}")
    tab.page.fill("#email", account["email"])
    tab.page.fill("#password", account["password"])
    with tab.page.expect_navigation():
        tab.page.click("#login-form button[type=submit]")
    tab.page.wait_for_load_state("networkidle")
    assert "/login" not in tab.page.url, tab.page.inner_text("main")[:500]


def no_injected_script(tab: Any) -> None:
    found = tab.page.evaluate(
        "() => [...document.querySelectorAll('script')].filter(s => (s.textContent || '').includes('alert')).length"
    )
    assert found == 0


@pytest.mark.slow
def test_value_contribution_through_review_and_release(browser: Any, server: str, credentials: Any) -> None:
    from tests.web.conftest import Tab

    def new_tab() -> tuple[Any, Tab]:
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        page = context.new_page()
        page.set_default_timeout(60_000)
        return context, Tab(page, server)

    contributor = credentials["contributor@demo-research"]
    reviewer = credentials["reviewer@programme"]
    maintainer = credentials["maintainer@programme"]

    # 1. the research partner proposes a value that is not a number: the draft is kept, marked not valid
    context, tab = new_tab()
    sign_in(tab, contributor, "/values")
    tab.page.fill("#value-country", "id")
    tab.page.fill("#value-year", "2023")
    tab.page.fill("#value-series", "production")  # the series the engine reads for ID
    tab.page.fill("#value-value", BAD_VALUE)
    tab.page.fill("#value-source", SOURCE)
    with tab.page.expect_navigation():
        tab.page.click("#value-save")
    tab.page.wait_for_load_state("networkidle")
    assert "/contributions/" in tab.page.url
    contribution_path = tab.page.url.split(server, 1)[1].split("?", 1)[0]
    assert tab.page.inner_text("#validation").strip().startswith("Not valid")
    body = tab.page.inner_text("main")
    assert "expected a number" in body and BAD_VALUE in body  # shown as text, not run
    assert "{'" not in body and "'}" not in body  # no raw Python dict
    no_injected_script(tab)
    # submitting is refused with the validation error
    with tab.page.expect_navigation():
        tab.page.click("#submit-button")
    tab.page.wait_for_load_state("networkidle")
    assert "expected a number" in tab.page.inner_text("main")
    assert tab.page.inner_text("#status").strip() == "draft"

    # 2. the author edits the draft (form filled from the draft) and submits
    tab.open(contribution_path)
    with tab.page.expect_navigation():
        tab.page.click("#edit-value")
    tab.page.wait_for_load_state("networkidle")
    assert tab.page.input_value("#value-country") == "ID"
    assert tab.page.input_value("#value-value") == BAD_VALUE
    assert tab.page.input_value("#value-source") == SOURCE
    tab.page.fill("#value-value", "612")
    with tab.page.expect_navigation():
        tab.page.click("#value-save")
    tab.page.wait_for_load_state("networkidle")
    assert tab.page.url.split(server, 1)[1].startswith(contribution_path)
    assert tab.page.inner_text("#validation").strip().startswith("Valid")
    with tab.page.expect_navigation():
        tab.page.click("#submit-button")
    tab.page.wait_for_load_state("networkidle")
    assert tab.page.inner_text("#status").strip() == "submitted"
    assert tab.unexpected() == []
    context.close()

    # 3. a reviewer of another organisation sees the row diff, the source and the impact; approves
    context, tab = new_tab()
    sign_in(tab, reviewer, contribution_path)
    diff = tab.page.inner_text("#row-diff-0")
    lines = [line for line in diff.splitlines() if "g_co2e_per_kwh" in line]
    assert len(lines) == 1 and "682.4" in lines[0] and "612" in lines[0] and "ID" in lines[0]
    locator = [line for line in diff.splitlines() if "locator" in line]
    assert locator and SOURCE in locator[0]
    assert "ember_yearly_co2js" in diff  # the old source, struck through
    assert tab.page.locator("#row-diff-0 tbody tr").count() < 30  # a diff, not the 344-row package
    assert "682.4 → 612" in tab.page.inner_text("h1")  # the title follows the edited value
    assert "{'" not in tab.page.inner_text("main")  # no raw Python dict (impact notes included)
    impact = tab.page.inner_text("#impact")
    assert "ID" in impact and "0.0 (0.0 %)" not in impact  # the headline result moves
    tab.shot("values-review-row-diff")
    assert len(tab.page.content()) < 200_000
    no_injected_script(tab)
    tab.page.check("input[name=decision][value=approve]")
    tab.page.fill("#comment", "Checked against the PLN statistics. <b>ok</b>")
    with tab.page.expect_navigation():
        tab.page.click("#review-submit")
    tab.page.wait_for_load_state("networkidle")
    assert tab.page.inner_text("#status").strip() == "approved"
    assert tab.unexpected() == []
    context.close()

    # 4. a maintainer publishes a release from the web
    context, tab = new_tab()
    sign_in(tab, maintainer, "/values")
    tab.page.fill("#release-tag", "values-web-1")
    tab.page.fill("#release-title", "Corrected grid value for Indonesia")
    with tab.page.expect_navigation():
        tab.page.click("#release-publish")
    tab.page.wait_for_load_state("networkidle")
    assert "values-web-1" in tab.page.inner_text("#released")
    tab.open(contribution_path)
    assert tab.page.inner_text("#status").strip() == "published"
    tab.open("/values?lang=pt")  # the page's own catalog (locales/values.pot) is translated
    assert tab.page.inner_text("#release-publish").strip() == "Publicar a versão"
    tab.open("/values?lang=en")

    # 5. the published row cites the change set's source, not the old one
    response = tab.page.request.get(server + "/data/reference-factors/grid_intensity.csv")
    assert response.status == 200
    text = response.text()
    rows = [r for r in csv.reader(io.StringIO(text)) if r[:3] == ["ID", "2023", "production"]]
    assert len(rows) == 1, text[:500]
    assert "612" in rows[0] and "682.4" not in rows[0][:4]
    assert SOURCE in rows[0]  # the locator is the change set's source
    assert any(cell.startswith("contributed_") for cell in rows[0])  # and so is the source id
    assert "ember_yearly_co2js" not in rows[0]
    assert tab.unexpected() == []
    context.close()


def test_values_page_needs_sign_in(tab: Any) -> None:
    tab.open("/values")
    assert "/login" in tab.page.url


RULE_SOURCE = "NEA/LTA joint release, VES review <b>2025</b> https://example.org/nea-ves"  # test citation
RULE_DAY = "2025-06-01"


@pytest.mark.slow
def test_rule_parameter_contribution_through_review_release_and_evaluation(
    browser: Any, server: str, credentials: Any
) -> None:
    """A research partner corrects a dated rule parameter (the VES band amounts in force on RULE_DAY); the
    reviewer sees old → new, the source, the status and the outcomes that move; a maintainer publishes it;
    the compliance page then evaluates with the new value."""
    from tests.web.conftest import Tab

    def new_tab() -> tuple[Any, Tab]:
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        page = context.new_page()
        page.set_default_timeout(60_000)
        return context, Tab(page, server)

    contributor = credentials["contributor@demo-research"]
    reviewer = credentials["reviewer@programme"]
    maintainer = credentials["maintainer@programme"]
    scheme = "SG.vehicular_emissions_scheme"

    # the BEV's VES outcome before (the value the page evaluates with now)
    context, tab = new_tab()
    tab.open(f"/compliance?v=car-medium-bev&on={RULE_DAY}")
    cell = tab.page.locator(f'#compliance-table tr[data-scheme="{scheme}"] td[data-vehicle="car-medium-bev"]')
    before = float(cell.locator("dd.amount").get_attribute("data-value"))
    context.close()

    # 1. the research partner proposes the corrected amounts (the A1 rebate changed; a test input)
    context, tab = new_tab()
    sign_in(tab, contributor, "/values")
    tab.page.select_option("#rule-scheme", scheme)
    with tab.page.expect_navigation():
        tab.page.click("#rule-scheme-choose")
    options = tab.page.locator("#rule-dated option").all()
    dated = [
        o.get_attribute("value")
        for o in options
        if o.get_attribute("value").startswith("amounts_sgd|")
        and o.get_attribute("value").split("|")[1] <= RULE_DAY
    ][-1]
    tab.page.select_option("#rule-dated", dated)
    current = next(o.inner_text() for o in options if o.get_attribute("value") == dated).split(" · ")[2]
    amounts = [a.strip() for a in current.split("SGD")[0].split(",")]
    assert float(amounts[0]) == before  # the A1 amount the BEV gets
    new_first = str(int(float(amounts[0])) - 5000)
    tab.page.fill("#rule-value", ", ".join([new_first, *amounts[1:]]))
    tab.page.select_option("#rule-status", "enacted")
    tab.page.fill("#rule-source", RULE_SOURCE)
    tab.page.fill("#rule-locator", "Annex A, band A1")
    with tab.page.expect_navigation():
        tab.page.click("#rule-save")
    tab.page.wait_for_load_state("networkidle")
    assert "/contributions/" in tab.page.url, tab.page.inner_text("main")[:800]
    contribution_path = tab.page.url.split(server, 1)[1].split("?", 1)[0]
    assert tab.page.inner_text("#validation").strip().startswith("Valid"), tab.page.inner_text("main")[:1500]
    # the draft can be edited: its form comes back filled; a status that needs a reason is refused without one
    with tab.page.expect_navigation():
        tab.page.click("#edit-rule-value")
    tab.page.wait_for_load_state("networkidle")
    assert tab.page.input_value("#rule-locator") == "Annex A, band A1"
    assert tab.page.input_value("#rule-dated") == dated
    tab.page.select_option("#rule-status", "unverified")
    tab.expect_console("400")
    with tab.page.expect_navigation():
        tab.page.click("#rule-save")
    assert "note" in tab.page.inner_text("#rule-error")
    tab.page.select_option("#rule-status", "enacted")
    with tab.page.expect_navigation():
        tab.page.click("#rule-save")
    tab.page.wait_for_load_state("networkidle")
    assert tab.page.url.split(server, 1)[1].startswith(contribution_path), tab.page.inner_text("main")[:800]
    with tab.page.expect_navigation():
        tab.page.click("#submit-button")
    tab.page.wait_for_load_state("networkidle")
    assert tab.page.inner_text("#status").strip() == "submitted"
    assert tab.unexpected() == []
    context.close()

    # 2. a reviewer of another organisation: the row diff (old → new value, status, source, locator), impact
    context, tab = new_tab()
    sign_in(tab, reviewer, contribution_path)
    diff = tab.page.inner_text("#rule-diff-0")
    value_line = [line for line in diff.splitlines() if "\tvalue\t" in line or line.startswith("value")]
    assert value_line and new_first in value_line[0] and amounts[0] in value_line[0], diff
    assert "contributed_" in diff and "Annex A, band A1" in diff and "enacted" in diff
    assert RULE_SOURCE in diff  # the new source is shown with the change set's citation
    assert '"headline"' not in tab.page.inner_text("main")  # no JSON dump of an empty impact
    assert tab.page.locator("#rule-impact-note").count() == 1
    assert "1 of 5" in tab.page.inner_text("main")  # one band amount of five changes
    impact = tab.page.inner_text("#rule-impact-0")
    assert "Generic medium car, BEV" in impact and "SGD" in impact
    assert "{'" not in tab.page.inner_text("main") and "<b>2025</b>" in tab.page.inner_text("main")
    assert tab.page.locator("#rule-diff-0 tbody tr").count() < 10  # a diff, not the scheme document
    no_injected_script(tab)
    tab.shot("values-rule-review-row-diff")
    tab.page.check("input[name=decision][value=approve]")
    tab.page.fill("#comment", "Checked against the release.")
    with tab.page.expect_navigation():
        tab.page.click("#review-submit")
    tab.page.wait_for_load_state("networkidle")
    assert tab.page.inner_text("#status").strip() == "approved"
    context.close()

    # 3. a maintainer publishes the release from the web
    context, tab = new_tab()
    sign_in(tab, maintainer, "/values")
    tab.page.fill("#release-tag", "rules-web-1")
    tab.page.fill("#release-title", "Corrected VES amount")
    with tab.page.expect_navigation():
        tab.page.click("#release-publish")
    tab.page.wait_for_load_state("networkidle")
    assert "rules-web-1" in tab.page.inner_text("#released")
    context.close()

    # 4. the new value is used in an evaluation: the compliance page's BEV amount under the VES
    context, tab = new_tab()
    tab.open(f"/compliance?v=car-medium-bev&on={RULE_DAY}")
    cell = tab.page.locator(f'#compliance-table tr[data-scheme="{scheme}"] td[data-vehicle="car-medium-bev"]')
    assert float(cell.locator("dd.amount").get_attribute("data-value")) == float(new_first)
    assert scheme in tab.page.inner_text("#published-rules")
    download = tab.page.request.get(f"{server}/compliance/download.csv?v=car-medium-bev&on={RULE_DAY}")
    table = list(csv.DictReader(io.StringIO(download.text())))
    assert [float(r["amount"]) for r in table if r["scheme"] == scheme] == [float(new_first)]
    tab.open(f"/standards/{scheme}")  # the scheme page lists the published correction
    corrections = tab.page.inner_text("#published-corrections-table")
    assert new_first in corrections and "Annex A, band A1" in corrections
    tab.open(f"/compliance?v=car-medium-bev&on={RULE_DAY}")
    cell.locator("details.cell-trace summary").click()  # the trace cites the change set's source
    trace = cell.locator("table.trace").inner_text()
    assert "Annex A, band A1" in trace
    assert tab.unexpected() == []
    context.close()


def test_rule_value_form_needs_sign_in_and_its_token(server: str) -> None:
    import httpx

    with httpx.Client(base_url=server, timeout=30) as client:
        r = client.post("/values/rule", data={"scheme": "SG.vehicular_emissions_scheme", "csrf": "forged"})
        assert r.status_code == 403  # no session token: refused before anything else
        r = client.get("/values?scheme=SG.vehicular_emissions_scheme")
        assert r.status_code in (302, 303, 307) and "/login" in r.headers["location"]
