"""Browser tests: Playwright drives Debian's Chromium against pytest-django's `live_server`.

Never `playwright install`: it downloads a browser of its own. The tests use the system
Chromium (`apt-get install chromium`). Without it they are skipped on a developer's machine,
and fail when `CI` is set, so a CI run cannot go green without them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# ORM calls made from the test body (SynchronousOnlyOperation).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

E2E_DIR = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # The machine's network is closed: without these Chromium keeps calling home.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING_BROWSER = (
    f"Chromium not found at {CHROMIUM}: install Debian's `chromium` package "
    "(apt-get install chromium); never `playwright install`"
)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _chromium_available() -> bool:
    return os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)


def _is_e2e(item: pytest.Item) -> bool:
    return item.path.is_relative_to(E2E_DIR)


def pytest_configure(config: pytest.Config) -> None:
    # pytest-playwright's own artifacts (screenshot, trace on failure) go beside ours,
    # unless asked otherwise on the command line.
    if config.getoption("--output", default=None) == "test-results":
        config.option.output = str(config.rootpath / "test-artifacts" / "playwright")
    if config.getoption("--screenshot", default=None) == "off":
        config.option.screenshot = "only-on-failure"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    available = _chromium_available()
    for item in items:
        if not _is_e2e(item):
            continue
        item.add_marker(pytest.mark.e2e)
        if not available and not _in_ci():
            item.add_marker(pytest.mark.skip(reason=MISSING_BROWSER))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Fail before the fixtures try to launch a browser that is not there.
    if _is_e2e(item) and _in_ci() and not _chromium_available():
        pytest.fail(f"CI is set and the browser tests cannot run. {MISSING_BROWSER}")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url() -> str | None:
    # Tests open pages at live_server.url. Defined here because pytest-playwright's fallback
    # fixture is a method, which pytest 9 warns about (PytestRemovedIn10Warning).
    return None


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # The UI is Swedish; so is the browser that looks at it. Reduced motion: Bootstrap then
    # drops its colour transitions, so axe never measures a button halfway into its hover
    # colours (the pointer rests where the clicked button was).
    return {
        **browser_context_args,
        "locale": "sv-SE",
        "timezone_id": "Europe/Stockholm",
        "reduced_motion": "reduce",
    }


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[..., Path]:
    """Save a full-page screenshot under test-artifacts/e2e/, named after the test.

    Usage: `screenshot(page)` or `screenshot(page, "after-login")`; returns the file's path.
    """
    folder = request.config.rootpath / "test-artifacts" / "e2e"
    test_name = re.sub(r"[^\w.-]+", "-", request.node.nodeid.split("::", 1)[-1]).strip("-")
    module = Path(request.node.nodeid.split("::", 1)[0]).stem

    def save(page: Page, name: str = "") -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        stem = f"{module}--{test_name}" + (f"--{name}" if name else "")
        path = folder / f"{stem}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


def login(page: Page, live_server: Any, username: str, password: str) -> None:
    """Log in through the login form, as a person would, and wait for the next page."""
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("form:has(#id_username) [type=submit]").click()


def share_session(context: BrowserContext, http: Any, live_server: Any) -> None:
    """Log the browser in with the Django test client's session (after force_login): no
    login form per persona. An anonymous client has no session, and the browser none."""
    if (session := http.cookies.get(settings.SESSION_COOKIE_NAME)) is None:
        return
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.value, "url": live_server.url}]
    )
