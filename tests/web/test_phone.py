"""Issue 14 item 2: every page fits a phone (390 px) without horizontal scroll, in all five languages,
with the result before the form on the pages that compute one."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

LANGS = ("en", "zh_Hans", "id", "es", "pt")
PAGES = (
    "/",
    "/compare?samples=0",
    "/map?year=2024",
    "/standards",
    "/compliance",
    "/compliance/fleet",
    "/login",
    "/data",
    "/contributions",
    "/plan",
)

OVERFLOW = """() => {
  const doc = document.documentElement;
  const wide = [];
  document.querySelectorAll('body *').forEach((el) => {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > doc.clientWidth + 1 && !el.closest('.scroll, .table-scroll')) {
      wide.push((el.id ? '#' + el.id : el.tagName.toLowerCase() + '.' + el.className) + ' ' + Math.round(r.right));
    }
  });
  return { scroll: doc.scrollWidth, client: doc.clientWidth, wide: wide.slice(0, 8) };
}"""


@pytest.fixture(scope="module")
def phone(browser: Any, server: str) -> Any:
    """One phone-sized page (390 × 844 CSS px) reused for every load of this module."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, reduced_motion="reduce", is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_every_page_fits_390_px_without_horizontal_scroll(phone, server, lang):
    too_wide = {}
    for path in PAGES:
        sep = "&" if "?" in path else "?"
        response = phone.goto(f"{server}{path}{sep}lang={lang}", wait_until="networkidle")
        assert response.status < 500, path
        found = phone.evaluate(OVERFLOW)
        if found["scroll"] > found["client"]:
            too_wide[path] = found
    assert too_wide == {}, repr(too_wide)


@pytest.mark.parametrize("path", ["/compare?samples=0", "/map?year=2024", "/compliance"])
def test_on_a_phone_the_result_comes_before_the_form(phone, server, path):
    phone.goto(server + path, wait_until="networkidle")
    results_top = phone.locator("#results").bounding_box()["y"]
    form_top = phone.locator("main form.controls").first.bounding_box()["y"]
    assert results_top < form_top
    assert (
        results_top < 844 * 1.5
    )  # within about a screen and a half of the top, not after 2,000 px of checkboxes
