"""Planner page in a real browser: bundled lineup -> edit -> run -> table, drawn Pareto chart, downloads."""

from __future__ import annotations

import io
import urllib.parse
import urllib.request
from typing import Any

from openpyxl import load_workbook

BLUE = (0x1B, 0x6C, 0xA8)
"""Colour of the Pareto line in plan.js."""


def _blue_pixels(page: Any, selector: str) -> int:
    """Pixels of the Pareto line's colour on the chart's canvas (what the user sees, not a flag)."""
    return int(
        page.evaluate(
            """([sel, rgb]) => {
                const canvas = document.querySelector(sel + ' canvas');
                const ctx = canvas.getContext('2d');
                const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
                let n = 0;
                for (let i = 0; i < d.length; i += 4) {
                    if (Math.abs(d[i] - rgb[0]) < 30 && Math.abs(d[i + 1] - rgb[1]) < 30
                        && Math.abs(d[i + 2] - rgb[2]) < 30 && d[i + 3] > 200) { n++; }
                }
                return n;
            }""",
            [selector, list(BLUE)],
        )
    )


def test_edit_a_bundled_lineup_run_it_and_see_table_chart_and_downloads(tab: Any) -> None:
    page = tab.page
    tab.open("/plan")
    assert "Manufacturer planner" in page.inner_text("nav")
    page.select_option("#plan-preset", "eu-byd-vinfast")
    page.wait_for_url("**/plan?preset=eu-byd-vinfast*")
    text = page.input_value("#plan-lineup")
    assert "market: EU" in text and "vinfast-vf8" in text
    # the user edits the lineup: more VF 8 demand
    page.fill("#plan-lineup", text.replace("demand: {min: 0, max: 5000}", "demand: {min: 0, max: 7000}"))
    page.select_option("#plan-points", "5")
    page.click("#plan-run")
    page.wait_for_selector("#plan-pareto[data-ready='1']")
    rows = page.locator("#plan-mix tbody tr")
    assert rows.count() == 2
    vf8 = page.locator("#plan-mix tbody tr", has_text="vinfast-vf8").inner_text()
    assert "7,000" in vf8
    assert "optimal" in page.inner_text("#plan-title")
    assert "EU.co2_standards_cars" in page.inner_text("#plan-fleet")
    page.wait_for_timeout(300)
    tab.shot("plan-eu")
    assert _blue_pixels(page, "#plan-pareto") > 150
    # downloads: what the table shows
    href = page.get_attribute("#plan-download", "href")
    assert href is not None
    with urllib.request.urlopen(tab.base + href, timeout=60) as resp:
        csv_text = resp.read().decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("model,year,option,units")
    assert "vinfast-vf8,2025,default,7000" in csv_text
    with urllib.request.urlopen(tab.base + href.replace("download.csv", "download.xlsx"), timeout=60) as resp:
        book = load_workbook(io.BytesIO(resp.read()))
    sheet = book.active
    assert sheet is not None and sheet.cell(1, 1).value == "model"


def test_bad_lineup_shows_one_line_naming_the_fields(tab: Any) -> None:
    page = tab.page
    tab.expect_console("400")
    bad = "market: EU\nyears: [2025]\nmodels:\n  - {id: a, spec: no-such-car, price: 1, variable_cost: 1, demand: {min: -1, max: 2}}\n"
    tab.open("/plan?" + urllib.parse.urlencode({"lineup": bad, "pareto": 0}))
    error = page.inner_text("#plan-error")
    for field in ("currency", "models.0.spec", "models.0.demand.min", "lca_country"):
        assert field in error
    # the text reaches the page escaped, never as markup
    tab.open("/plan?" + urllib.parse.urlencode({"lineup": "market: <b>x</b>\n", "pareto": 0}))
    assert page.locator("#plan-error b").count() == 0
