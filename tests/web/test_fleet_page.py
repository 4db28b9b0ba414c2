"""The policy-lab page in headless Chromium: a bundled scenario runs and its charts are drawn (pixels)."""

from __future__ import annotations

import csv
import io
from typing import Any

PIXELS = """
(id) => {
  const canvas = document.querySelector('#' + id + ' canvas');
  if (!canvas) { return null; }
  const ctx = canvas.getContext('2d');
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0, red = 0, green = 0, band = 0;
  const colours = new Set();
  for (let i = 0; i < data.length; i += 4) {
    const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
    if (a === 0 || (r > 245 && g > 245 && b > 245)) { continue; }
    painted++;
    colours.add((r >> 4) + ',' + (g >> 4) + ',' + (b >> 4));
    if (Math.abs(r - 0xb8) < 12 && Math.abs(g - 0x43) < 12 && Math.abs(b - 0x3a) < 12) { red++; }
    if (Math.abs(r - 0x3a) < 12 && Math.abs(g - 0x9d) < 12 && Math.abs(b - 0x5d) < 12) { green++; }
    if (a < 255 && a > 20) { band++; }
    else if (r > 150 && g > 150 && b > 150 && !(r === g && g === b)) { band++; }
  }
  return {painted, red, green, band, colours: colours.size};
}
"""


def test_policy_page_runs_a_bundled_scenario_and_draws_its_charts(tab: Any) -> None:
    response = tab.open("/fleet?scenario=cl_santiago_ebus&samples=100&seed=1")
    assert response.status == 200
    page = tab.page
    for chart in ("fleet-lines", "fleet-waterfall", "fleet-bands"):
        page.wait_for_selector(f"#{chart}[data-ready='1'] canvas")
    page.wait_for_timeout(300)
    lines = page.evaluate(PIXELS, "fleet-lines")
    waterfall = page.evaluate(PIXELS, "fleet-waterfall")
    bands = page.evaluate(PIXELS, "fleet-bands")
    # Lines by powertrain: two technologies x (policy, baseline) in several colours.
    assert lines["painted"] > 2000 and lines["colours"] > 6
    # Waterfall: the diesel change (down, green) and the electric change (up, red) are drawn.
    assert waterfall["green"] > 200 and waterfall["red"] > 200
    # Bands: translucent 5-95 % areas around the central lines.
    assert bands["band"] > 2000
    legend = page.inner_text("#fleet-lines-title")
    assert "Vehicles in use by powertrain" in legend
    table = page.inner_text("#fleet-fiscal")
    assert "Fleet purchase cost change" in table and "2050" in table
    assert "Santiago e-bus transition" in page.inner_text("#fleet-title")
    tab.shot("fleet-santiago")
    with page.expect_download() as info:
        page.click("#fleet-download")
    with open(info.value.path(), encoding="utf-8-sig") as fh:
        rows = list(csv.reader(io.StringIO(fh.read())))
    assert rows[0][0] == "year" and rows[1][0] == "2023"


def test_policy_page_in_chinese_with_htmx_switch(tab: Any) -> None:
    tab.open("/fleet?lang=zh_Hans")
    page = tab.page
    assert "政策实验室" in page.inner_text("h1")
    page.select_option("#scenario", "id_cars_band_scheme")
    page.wait_for_selector("#fleet-waterfall[data-ready='1'] canvas")
    assert "scenario=id_cars_band_scheme" in page.url
    assert "SG.vehicular_emissions_scheme" in page.inner_text("#results")
    assert "将另一市场的方案应用于本车队" in page.inner_text("#results")
    tab.shot("fleet-indonesia-band-scheme-zh")


def test_policy_page_bad_input_is_a_notice_not_a_crash(tab: Any) -> None:
    tab.expect_console("400")
    response = tab.open("/fleet?scenario=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert response.status == 400
    assert "<script>alert(1)</script>" in tab.page.inner_text("#results")
    assert tab.page.evaluate("document.querySelectorAll('#results script:not([type])').length") == 0
