"""Single sign-on in the browser: Chromium follows the real redirects to the pyop provider on
127.0.0.1 and back (tests/accounts/oidc_provider.py; the flow's details and refusals are
tests/accounts/test_sso.py)."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import IdentityLink
from tests.accounts.oidc_provider import new_signing_key, running_provider

from .test_accessibility import serious_violations


def test_a_linked_person_logs_in_with_the_organisations_login(
    page: Page,
    live_server: Any,
    settings: Any,
    django_user_model: Any,
    screenshot: Callable[..., Path],
) -> None:
    user = django_user_model.objects.create_user(
        username="karin", first_name="Karin", last_name="Åström"
    )
    IdentityLink.objects.create(user=user, subject="sub-karin")
    callback = live_server.url + reverse("oidc_authentication_callback")
    people = {"karin": {"sub": "sub-karin"}}

    with running_provider(key=new_signing_key(), redirect_uri=callback, people=people) as idp:
        for name, value in idp.settings().items():
            setattr(settings, name, value)
        settings.LOCAL_PASSWORDS_ENABLED = False
        idp.login_as("karin")

        page.goto(live_server.url + reverse("login"))
        expect(page.locator("#id_password")).to_have_count(0)
        page.get_by_role("link", name="Logga in med organisationens inloggning").click()

        expect(page).to_have_url(live_server.url + reverse("home"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Karin Åström")
        assert idp.token_requests, "the code was exchanged at the provider"
    screenshot(page)


def test_the_login_page_with_both_ways_and_the_no_account_page_are_accessible(
    page: Page, live_server: Any, settings: Any
) -> None:
    callback = live_server.url + reverse("oidc_authentication_callback")
    people = {"okand": {"sub": "sub-okand"}}
    with running_provider(key=new_signing_key(), redirect_uri=callback, people=people) as idp:
        for name, value in idp.settings().items():
            setattr(settings, name, value)
        idp.login_as("okand")

        page.goto(live_server.url + reverse("login"))
        expect(page.locator("#id_password")).to_have_count(1)
        assert serious_violations(page) == []

        page.get_by_role("link", name="Logga in med organisationens inloggning").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Inget konto i registret")
        assert serious_violations(page) == []
