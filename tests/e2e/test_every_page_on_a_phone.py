"""Every page each persona can open fits a 390 px phone (nothing scrolls sideways) and has no
serious or critical axe-core violation (WCAG 2.1 A/AA).

The pages come from the access matrix (tests/everypage.py), so a new page is walked here
without a change to this file. One browser per persona walks all its pages and the test
lists every page's problems at the end, which keeps the run short and the report whole."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from tests.everypage import PERSONAS, furnish, page_urls
from tests.test_access_matrix import http_as  # noqa: F401 (a fixture)

from .conftest import share_session
from .test_accessibility import serious_violations

PHONE = {"width": 390, "height": 844}

# The elements that reach past the right edge, innermost first: what to fix.
OVERFLOWING = """(width) => {
  const describe = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + [...e.classList].map((c) => '.' + c).join('');
  const wide = [...document.querySelectorAll('body *')].filter(
    (e) => e.getBoundingClientRect().right > width + 1);
  return wide.filter((e) => !wide.some((inner) => inner !== e && e.contains(inner)))
    .slice(0, 3).map((e) => describe(e) + ' (' + Math.round(e.getBoundingClientRect().right)
    + ' px): ' + (e.textContent || '').trim().slice(0, 40));
}"""


# Regions that scroll sideways inside the page (a table in .table-responsive): on a phone
# they hide their last columns, and axe finds them only when nothing in them takes focus.
SCROLLING_SIDEWAYS = """() => [...document.querySelectorAll('main *')].filter((e) => {
  const overflow = getComputedStyle(e).overflowX;
  return (overflow === 'auto' || overflow === 'scroll') && e.scrollWidth > e.clientWidth + 1;
}).map((e) => e.tagName.toLowerCase() + [...e.classList].map((c) => '.' + c).join('')
  + ' (' + e.scrollWidth + ' px in ' + e.clientWidth + ')')"""


def is_html_page(page: Page, url: str) -> bool:
    """Open the URL; False for a file (a PDF, a spreadsheet) or the health check's text."""
    try:
        response = page.goto(url)
    except PlaywrightError as error:
        if "Download is starting" in error.message:
            return False
        raise
    return response is not None and response.headers["content-type"].startswith("text/html")


def phone_problems(page: Page) -> list[str]:
    problems = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        overflowing = page.evaluate(OVERFLOWING, PHONE["width"])
        problems.append(f"{width} px wide: {overflowing}")
    if scrolling := page.evaluate(SCROLLING_SIDEWAYS):
        problems.append(f"scrolls sideways: {scrolling}")
    return problems + serious_violations(page)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_fits_a_phone_and_passes_axe(
    persona: str,
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    world: Any,
    http_as: Any,  # noqa: F811
    admin_user: Any,
    screenshot: Any,
) -> None:
    furnish(world, admin=admin_user)
    http = http_as(persona)
    context = browser.new_context(
        **{**browser_context_args, "viewport": PHONE}, is_mobile=True, has_touch=True
    )
    share_session(context, http, live_server)
    page = context.new_page()
    problems, seen = {}, 0
    for url in page_urls(persona, world):
        if not is_html_page(page, live_server.url + url):
            continue
        seen += 1
        if found := phone_problems(page):
            problems[url] = found
            screenshot(page, url.strip("/").replace("/", "-") or "start")
    context.close()
    assert seen, f"{persona} opened no page"
    if problems:
        pytest.fail("\n".join(f"{url}: {p}" for url, found in problems.items() for p in found))
