"""Headers: private pages not stored, a Permissions-Policy, an HttpOnly CSRF cookie."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def this_month() -> str:  # noqa: N802
    """The month under way: an organisation made by the test has reports from it on
    (before its first activity, a report answers 404)."""
    from django.utils import timezone

    return f"{timezone.localdate():%Y-%m}"


def _cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


@pytest.mark.parametrize("name", ["home", "agenda", "referral_list", "dashboard", "today"])
def test_signed_in_pages_are_private_and_not_stored(coordinator_client, name):
    response = coordinator_client.get(reverse(name))
    assert response.status_code == 200
    assert {"private", "no-store"} <= _cache_control(response)


def test_report_downloads_are_private_and_not_stored(manager_client):
    for fmt in ("csv", "xlsx"):
        response = manager_client.get(reverse("report_download", args=["month", this_month(), fmt]))
        assert response.status_code == 200
        assert {"private", "no-store"} <= _cache_control(response)


def test_data_download_is_private_and_not_stored(manager_client):
    response = manager_client.get(reverse("data_export"))
    assert response.status_code == 200
    assert {"private", "no-store"} <= _cache_control(response)


def test_every_response_has_a_permissions_policy(client):
    response = client.get(reverse("login"))
    policy = response["Permissions-Policy"]
    assert "camera=()" in policy
    assert "microphone=()" in policy


def test_the_csrf_cookie_is_http_only_and_the_page_carries_the_token(client):
    response = client.get(reverse("login"))
    cookie = response.cookies["csrftoken"]
    assert cookie["httponly"] is True
    # htmx sends the token from the page (hx-headers on <body>), not from the cookie.
    assert 'hx-headers=\'{"X-CSRFToken": "' in response.content.decode()


def test_htmx_indicator_styles_are_off(client):
    page = client.get(reverse("login")).content.decode()
    assert '"includeIndicatorStyles":false' in page


def test_an_htmx_post_with_the_page_token_passes_the_csrf_check(volunteer_client):
    """The token htmx sends is the one in the page: an HttpOnly cookie changes nothing."""
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(volunteer_client.membership.user)
    page = strict.get(reverse("calendar_feeds")).content.decode()
    token = page.split('"X-CSRFToken": "', 1)[1].split('"', 1)[0]
    renew = reverse("calendar_feed_renew")
    assert strict.post(renew, headers={"HX-Request": "true"}).status_code == 403
    response = strict.post(renew, headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 200
