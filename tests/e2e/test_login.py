from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.urls import reverse
from playwright.sync_api import Page, expect

from .conftest import login


def test_a_user_logs_in_and_is_greeted_on_the_start_page(
    page: Page,
    live_server: Any,
    django_user_model: Any,
    screenshot: Callable[..., Path],
) -> None:
    django_user_model.objects.create_user(
        username="karin",
        password="ett-långt-lösenord-42",
        first_name="Karin",
        last_name="Åström",
    )

    login(page, live_server, "karin", "ett-långt-lösenord-42")

    expect(page).to_have_url(live_server.url + reverse("home"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Karin Åström")
    assert screenshot(page).is_file()


def test_a_wrong_password_keeps_the_user_on_the_login_page(
    page: Page,
    live_server: Any,
    django_user_model: Any,
    screenshot: Callable[..., Path],
) -> None:
    django_user_model.objects.create_user(username="karin", password="ett-långt-lösenord-42")

    login(page, live_server, "karin", "fel")

    expect(page).to_have_url(live_server.url + reverse("login"))
    expect(page.locator("#id_username")).to_have_value("karin")
    screenshot(page)
