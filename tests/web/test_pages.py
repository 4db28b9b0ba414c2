"""The dashboard in a real browser: each page loads without console errors and its main interaction works."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_home_shows_coverage_map(tab):
    response = tab.open("/")
    assert response.status == 200
    tab.page.wait_for_selector("#chart-coverage[data-ready='1']")
    assert tab.page.locator("h1").inner_text()
    tab.shot("home")


def test_standards_explorer_lists_schemes_and_opens_a_scheme(tab):
    response = tab.open("/standards")
    assert response.status == 200
    first = tab.page.locator("#timeline a").first
    first.wait_for()
    first.click()
    tab.page.wait_for_selector("#parameters tbody tr")
    assert tab.page.locator("#parameters tbody tr").count() >= 1
    tab.shot("scheme")
