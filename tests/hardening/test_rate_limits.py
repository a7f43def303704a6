"""Each rate limit: password reset, invitations, calendar links, sign-up, exports."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from core import ratelimit
from organisations.models import Invitation, Membership
from tests.organisations.factories import MembershipFactory

pytestmark = pytest.mark.django_db
WAIT = "Veuillez patienter"


def this_month() -> str:  # noqa: N802
    """The month under way: an organisation made by the test has reports from it on
    (before its first activity, a report answers 404)."""
    from django.utils import timezone

    return f"{timezone.localdate():%Y-%m}"


def _reset(client: Client, email: str):
    return client.post(reverse("password_reset"), {"email": email})


def test_password_reset_is_limited_per_address(org, settings):
    user = MembershipFactory(organisation=org).user
    limit = settings.RATE_LIMITS["password_reset_email"][0]
    for n in range(limit):
        # Each from another browser and address: the limit follows the e-mail address.
        assert _reset(Client(REMOTE_ADDR=f"192.0.2.{n + 1}"), user.email).status_code == 302
    refused = _reset(Client(REMOTE_ADDR="192.0.2.99"), user.email.upper())
    assert refused.status_code == 429
    assert "Plusieurs e-mails de réinitialisation" in refused.content.decode()
    assert len(mail.outbox) == limit


def test_password_reset_is_limited_per_client(org, settings):
    limit = settings.RATE_LIMITS["password_reset_client"][0]
    client = Client(REMOTE_ADDR="192.0.2.7")
    for n in range(limit):
        assert _reset(client, f"personne{n}@example.org").status_code == 302
    assert _reset(client, "encore@example.org").status_code == 429
    # Someone else is not held back.
    assert _reset(Client(REMOTE_ADDR="192.0.2.8"), "encore@example.org").status_code == 302


def test_invitations_are_limited_per_member_per_hour(coordinator_client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "invitation": (3, 3600)}
    for n in range(3):
        response = coordinator_client.post(
            reverse("member_invite"), {"email": f"n{n}@example.org", "role": "volunteer"}
        )
        assert response.status_code == 302
    refused = coordinator_client.post(
        reverse("member_invite"), {"email": "n9@example.org", "role": "volunteer"}
    )
    assert refused.status_code == 429
    assert "beaucoup d’invitations" in refused.content.decode()
    assert Invitation.objects.count() == 3
    assert len(mail.outbox) == 3


def test_calendar_link_renewal_is_limited(volunteer_client, settings):
    limit = settings.RATE_LIMITS["calendar_renew"][0]
    for _ in range(limit):
        assert volunteer_client.post(reverse("calendar_feed_renew")).status_code == 200
    refused = volunteer_client.post(reverse("calendar_feed_renew"))
    assert refused.status_code == 429
    assert WAIT in refused.content.decode()


def test_sign_ups_are_limited_per_client(coordinator_client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_up": (2, 3600)}
    paths = []
    for n in range(3):
        coordinator_client.post(
            reverse("member_invite"), {"email": f"s{n}@example.org", "role": "volunteer"}
        )
        link = re.search(r"https?://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)
        paths.append(link.split("testserver", 1)[1])
    data = {"first_name": "Inès", "password1": "un-long-mot-de-passe"}
    data["password2"] = data["password1"]
    browser = Client(REMOTE_ADDR="192.0.2.50")
    assert browser.post(paths[0], data).status_code == 302
    browser = Client(REMOTE_ADDR="192.0.2.50")
    assert browser.post(paths[1], data).status_code == 302
    refused = Client(REMOTE_ADDR="192.0.2.50").post(paths[2], data)
    assert refused.status_code == 429
    assert not Membership.objects.filter(user__username="s2@example.org").exists()
    # The link still works from elsewhere, or later.
    assert Client(REMOTE_ADDR="192.0.2.51").post(paths[2], data).status_code == 302


def test_exports_a_few_at_once_per_organisation(member_client, org, settings):
    manager = member_client("manager")
    url = reverse("report_download", args=["month", this_month(), "csv"])
    # Two downloads of this organisation are being built (their slots are taken)...
    size = settings.EXPORTS_AT_ONCE
    with (
        ratelimit.slot("export", str(org.pk), size=size, timeout=60) as a,
        ratelimit.slot("export", str(org.pk), size=size, timeout=60) as b,
    ):
        assert a and b
        refused = manager.get(url)
        assert refused.status_code == 429
        assert "en cours de préparation" in refused.content.decode()
        # Another organisation is not held back.
        other = member_client("manager", organisation=_other_org())
        assert other.get(url).status_code == 200
    # Once they are done, the download goes through.
    assert manager.get(url).status_code == 200


def _other_org():
    from tests.organisations.factories import OrganisationFactory

    return OrganisationFactory(slug="autre-pour-export")


def test_limits_count_in_windows():
    assert all(ratelimit.allow("t", "k", limit=2, window=60) for _ in range(2))
    assert not ratelimit.allow("t", "k", limit=2, window=60)
    assert ratelimit.allow("t", "other", limit=2, window=60)
