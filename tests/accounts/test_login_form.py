"""The login form refuses a username longer than any account's before trying it."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse


@pytest.mark.django_db
def test_a_username_longer_than_any_account_is_refused_without_an_attempt(client):
    response = client.post(reverse("login"), {"username": "x" * 300, "password": "y"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not AccessAttempt.objects.exists()
