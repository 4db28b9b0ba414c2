"""Private inputs stay out of URLs; exports people can use; charts whose legends show every series.

Issue 14, items 6-8, in Debian's headless Chromium (the session browser of ``conftest.py``) and over
plain HTTP against the same server: a pasted spec never reaches an address (the page's, the history's,
a link's, a request's, the copy-link field's); an organisation's private supply-chain record is offered to
its own members only; CSV reads with a plain ``pandas.read_csv``; the ZIP carries a ``datapackage.json``;
a second year side by side; legends do not page at 1440 px; unticking every preset leaves none.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import httpx
import pytest
from tests.web.conftest import Tab

pytestmark = pytest.mark.browser

MARK = "Zq7PrivProto"
"""A word that occurs only in the pasted spec: found in a URL, it means the spec leaked."""

# A test vehicle (inputs made up for the test, not reference data).
PRIVATE_SPEC = f"""\
name: {MARK} hatchback
category: passenger_car
segment: small
powertrain: ICEV
fuel: petrol
curb_mass_kg: 1187
test_cycle: WLTP
fuel_consumption_l_per_100km: 5.9
co2_g_per_km: 134
"""

RECORD_URLS = """() => {
  window.__urls = [location.href];
  for (const name of ["pushState", "replaceState"]) {
    const original = history[name].bind(history);
    history[name] = (state, title, url) => { window.__urls.push(String(url)); return original(state, title, url); };
  }
}"""
"""Init script: every address the page puts in the browser history (htmx pushes with pushState)."""


def sign_in(tab: Tab, who: dict[str, str]) -> None:
    tab.open("/login")
    tab.page.fill("#email", who["email"])
    tab.page.fill("#password", who["password"])
    tab.page.click("#login-form button[type=submit]")
    tab.page.wait_for_url(re.compile(r"/contributions"))


def addresses_on_the_page(page) -> list[str]:
    """Every address the page holds: links, form actions, htmx URLs, sources, the copy-link value."""
    return page.evaluate(
        """() => {
          const out = [location.href, document.getElementById('share-link')?.value || ''];
          for (const el of document.querySelectorAll('[href], [action], [formaction], [hx-get], [hx-post], [src]')) {
            for (const a of ['href', 'action', 'formaction', 'hx-get', 'hx-post', 'src']) {
              if (el.hasAttribute(a)) { out.push(el.getAttribute(a)); }
            }
          }
          return out;
        }"""
    )


def test_a_pasted_spec_appears_in_no_url(tab):
    page = tab.page
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.add_init_script(f"({RECORD_URLS})()")
    tab.open("/compare?v=car-medium-bev&country=ID&year=2025&samples=0")
    page.wait_for_selector("#chart-stages[data-ready='1']")
    page.locator("#compare-form details summary").click()
    page.fill("#spec", PRIVATE_SPEC)
    page.click("#compare-form button[type=submit]")
    page.wait_for_function(
        "(mark) => document.querySelector('#summary') && document.querySelector('#summary').innerText.includes(mark)",
        arg=MARK,
    )
    page.wait_for_selector("#chart-sensitivity[data-ready='1']")  # the tornado is POSTed too
    assert page.locator("#summary tbody tr").count() == 2
    assert page.locator("#share-private").count() == 1

    history = page.evaluate("window.__urls")
    assert len(history) >= 2  # the submission pushed the public state to the address bar
    assert "country=ID" in page.url and "v=car-medium-bev" in page.url
    share = page.input_value("#share-link")
    assert share.endswith("/compare?v=car-medium-bev&country=ID&year=2025&grid=production&samples=0")
    everything = [page.url, *history, *requested, *addresses_on_the_page(page)]
    for needle in (MARK, "curb_mass_kg", "spec="):
        leaked = [u for u in everything if needle in u or needle in httpx.URL(u).params.get("spec", "")]
        assert leaked == [], f"{needle!r} in addresses: {leaked[:3]}"
    # htmx's history cache (localStorage) holds no copy of the page either
    stored = page.evaluate(
        "JSON.stringify(Object.assign({}, localStorage)) + JSON.stringify(Object.assign({}, sessionStorage))"
    )
    assert MARK not in stored

    # the copy-link button copies the public address
    page.click("button[data-copy='share-link']")
    page.wait_for_selector("button[data-copy='share-link'][data-done='1']")

    # downloads of a private comparison are POSTed: the file has the custom vehicle, its name the query only
    box = page.locator("figure", has=page.locator("#chart-stages"))
    tab.expect_console("/download/compare-stages.csv")  # a POSTed download is a navigation Chromium aborts
    with page.expect_download() as info:
        box.get_by_role("button", name="CSV", exact=True).click()
    assert info.value.suggested_filename == "roadcarbon-stages-ID-2025-production.csv"
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == [rows[1][0], f"{MARK} hatchback (custom)"]
    assert all(not r[0].startswith("#") for r in rows)
    assert not any(MARK in u for u in requested)
    tab.shot("compare-private-spec")


def test_private_pages_are_not_stored_and_posts_need_the_token(server):
    with httpx.Client(base_url=server, timeout=60) as client:
        page = client.get("/compare?samples=0").text
        token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        form = {"v": "car-medium-bev", "country": "ID", "year": "2025", "samples": "0", "spec": PRIVATE_SPEC}
        assert client.post("/compare", data=form).status_code == 403  # no token
        assert client.post("/download/compare-stages.csv", data=form).status_code == 403
        r = client.post("/compare", data={**form, "csrf": token})
        assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
        assert MARK in r.text  # shown on the page …
        for url in re.findall(r'(?:href|action|formaction|hx-get|hx-post)="([^"]*)"', r.text):
            assert MARK not in url and "spec=" not in url  # … but in no address
        # a form without anything private is redirected to its public address (a URL worth keeping)
        public = client.post("/compare", data={**form, "spec": "", "csrf": token})
        assert public.status_code == 303
        assert public.headers["location"] == "/compare?v=car-medium-bev&country=ID&year=2025&samples=0"


def test_an_organisations_record_is_offered_to_its_members_only(browser, server, credentials):
    motors, research = credentials["contributor@demo-motors"], credentials["contributor@demo-research"]
    token = httpx.post(
        f"{server}/api/v1/auth/token", data={"username": motors["email"], "password": motors["password"]}
    ).json()["access_token"]
    label = "Motors cell plant Zq9 (private)"
    created = httpx.post(
        f"{server}/api/v1/supply-chain",
        json={"label": label, "battery_origin_country": "NO", "assembly_country": "FR"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert created.status_code == 201, created.text
    record_id = created.json()["id"]

    def new_tab() -> tuple[Tab, object]:
        context = browser.new_context(viewport={"width": 1366, "height": 900}, reduced_motion="reduce")
        page = context.new_page()
        page.set_default_timeout(30_000)
        return Tab(page, server), context

    mine, context = new_tab()
    try:
        sign_in(mine, motors)
        mine.open("/compare?v=car-medium-bev&country=ID&year=2025&samples=0")
        page = mine.page
        page.wait_for_selector("#chart-stages[data-ready='1']")
        battery_before = page.locator("#summary tbody tr").first.locator("td").nth(1).inner_text()
        options = page.locator("#record option").all_inner_texts()
        assert any(label in o for o in options)
        page.select_option("#record", str(record_id))
        page.wait_for_selector("#record-used")
        assert label in page.locator("#record-used").inner_text()
        assert page.locator("#summary tbody tr").first.locator("td").nth(1).inner_text() != battery_before
        assert "record" not in page.url and all("Zq9" not in u for u in addresses_on_the_page(page))
        mine.shot("compare-own-record")
        assert mine.unexpected() == []
    finally:
        context.close()

    theirs, context = new_tab()
    try:
        sign_in(theirs, research)
        theirs.open("/compare?v=car-medium-bev&country=ID&year=2025&samples=0")
        page = theirs.page
        page.wait_for_selector("#chart-stages[data-ready='1']")
        assert "Zq9" not in page.content()
        assert page.locator(f"#record option[value='{record_id}']").count() == 0
        # posting the id by hand is refused, naming the field, without showing the record
        token = page.input_value("#compare-form input[name=csrf]")
        answer = page.evaluate(
            """async ([token, id]) => {
              const body = new URLSearchParams({csrf: token, v: 'car-medium-bev', country: 'ID', year: '2025',
                                                samples: '0', record: String(id)});
              const r = await fetch('/compare', {method: 'POST', body, headers: {'HX-Request': 'true'}});
              return [r.status, await r.text()];
            }""",
            [token, record_id],
        )
        assert (
            answer[0] == 400 and f"no supply-chain record {record_id}" in answer[1] and "Zq9" not in answer[1]
        )
        theirs.expect_console("status of 400")
        assert theirs.unexpected() == []
    finally:
        context.close()


def test_csv_reads_plainly_and_the_zip_has_its_datapackage(server):
    pandas = pytest.importorskip("pandas")
    query = "v=car-medium-bev&v=car-medium-petrol&country=ID&year=2025&samples=0"
    csv_body = httpx.get(f"{server}/download/compare-cumulative.csv?{query}", timeout=60)
    frame = pandas.read_csv(io.BytesIO(csv_body.content))
    assert frame.columns[0] == "distance_km" and len(frame.columns) == 3
    assert frame["distance_km"].dtype.kind == "i"  # whole km, no '#' line turning the column into text
    archive = httpx.get(f"{server}/download/compare-stages.zip?{query}", timeout=60)
    assert archive.headers["content-disposition"] == 'attachment; filename="roadcarbon-stages-ID-2025.zip"'
    files = zipfile.ZipFile(io.BytesIO(archive.content))
    package = json.loads(files.read("datapackage.json"))
    resource = package["resources"][0]
    data = pandas.read_csv(io.BytesIO(files.read(resource["path"])))
    assert [f["name"] for f in resource["schema"]["fields"]] == list(data.columns)
    assert any(s.startswith("country=ID year=2025") for s in package["roadcarbon:settings"])
    assert "data release" in package["roadcarbon:how_to_cite"]


def test_every_chart_has_methodology_and_citation_and_two_years_side_by_side(tab):
    page = tab.page
    tab.open("/compare?v=car-medium-bev&v=car-medium-petrol&country=ID&year=2025&samples=200")
    page.wait_for_selector("#chart-sensitivity[data-ready='1']")
    charts = page.locator("figure.chart-box").count()
    assert charts == 4
    assert page.locator("figure.chart-box .chart-foot a.methodology").count() == charts
    assert page.locator("figure.chart-box .chart-foot a[href='#how-to-cite']").count() == charts
    page.locator("#how-to-cite summary").click()
    citation = page.locator("#how-to-cite .citation").inner_text()
    assert citation.startswith("roadcarbon developers (") and "data release" in citation

    # the tornado for any of the compared vehicles, not only the first
    title = page.locator("#chart-sensitivity-title h3")
    assert "BEV" in title.inner_text()
    page.select_option("#which", "1")
    page.wait_for_function(
        "() => !document.querySelector('#chart-sensitivity-title h3').innerText.includes('BEV')"
    )
    page.wait_for_selector("#chart-sensitivity[data-ready='1']")
    assert "petrol" in title.inner_text()
    assert "which=1" in page.locator("#chart-sensitivity-title a", has_text="CSV").get_attribute("href")

    page.select_option("#year2", "2030")
    page.wait_for_selector("#years tbody tr")
    assert "year2=2030" in page.url
    rows = page.locator("#years tbody tr")
    assert rows.count() == 2
    bev = rows.first.locator("td")
    assert bev.nth(0).inner_text() != bev.nth(1).inner_text()  # the grid of 2030 is not that of 2025
    tab.shot("compare-two-years")


@pytest.mark.parametrize("lang", ["en", "id"])
def test_legends_do_not_page_at_1440_px(browser, server, lang):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, reduced_motion="reduce")
    try:
        page = context.new_page()
        tab = Tab(page, server)
        presets = "&".join(
            f"v={p}" for p in ("car-medium-bev", "car-medium-petrol", "car-small-bev", "car-large-petrol")
        )
        tab.open(f"/compare?{presets}&country=ID&year=2025&samples=0&lang={lang}")
        page.wait_for_selector("#chart-sensitivity[data-ready='1']")
        for chart in ("chart-stages", "chart-cumulative", "chart-sensitivity"):
            legend = page.evaluate(
                """(id) => {
                  const c = window.roadcarbonCharts[id];
                  const model = c.getModel().getComponent('legend');
                  const view = c.getViewOfComponentModel(model);
                  const box = view.group.getBoundingRect();
                  const grid = c.getModel().getComponent('grid').coordinateSystem.getRect();
                  const names = model.getData().map(d => d.get('name'));
                  return {type: model.get('type'), drawn: view.getContentGroup().childCount(), names: names.length,
                          pager: !!(view._pageButtonGroup && view._pageButtonGroup.childCount()),
                          bottom: view.group.y + box.y + box.height, right: view.group.x + box.x + box.width,
                          width: c.getWidth(), gridTop: grid.y};
                }""",
                chart,
            )
            assert legend["type"] == "plain" and not legend["pager"], (chart, legend)
            assert legend["drawn"] == legend["names"] > 0, (chart, legend)  # every series in the legend
            assert legend["right"] <= legend["width"], (chart, legend)  # inside the chart
            assert legend["bottom"] <= legend["gridTop"], (chart, legend)  # above the plot, not over it
        tab.shot(f"compare-legends-1440-{lang}")
        assert tab.unexpected() == []
    finally:
        context.close()


def test_unticking_every_preset_removes_them(tab):
    page = tab.page
    tab.open("/compare?samples=0")
    page.wait_for_selector("#chart-stages[data-ready='1']")
    ticked = page.locator("fieldset.vehicles input:checked")
    assert ticked.count() == 2
    while ticked.count():
        before = page.url
        ticked.first.uncheck()
        page.wait_for_function("(old) => location.href !== old", arg=before)
    page.wait_for_selector("#no-vehicle")
    assert page.locator("#summary").count() == 0 and page.locator("figure.chart-box").count() == 0
    assert "v=&" in page.url
    page.reload(wait_until="networkidle")  # the address keeps "none", not the opening pair
    assert page.locator("fieldset.vehicles input:checked").count() == 0
    assert page.locator("#no-vehicle").count() == 1
