"""Two-factor sign-in: optional, required by the organisation for its planners, locked out."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisations.models import Role
from tests.organisations.factories import MembershipFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    """django-otp also slows down retries (1 s, 2 s, 4 s…); the tests retry at once."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _code(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=drift):06d}"


def _login(client: Client, email: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


def _turn_on(client: Client) -> tuple[TOTPDevice, list[str]]:
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    assert "Connexion en deux étapes" in page.content.decode()
    device = TOTPDevice.objects.get(confirmed=False)
    wrong = client.post(reverse("two_factor_setup"), {"code": "000000"})
    assert wrong.status_code == 422
    done = client.post(reverse("two_factor_setup"), {"code": _code(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    return device, codes


def test_a_volunteer_turns_it_on_and_then_signs_in_with_a_code(org):
    user = MembershipFactory(organisation=org).user
    client = Client()
    _login(client, user.email)
    device, codes = _turn_on(client)

    browser = Client()
    assert _login(browser, user.email).status_code == 302
    # Nothing but the code page until the code is given.
    held = browser.get(reverse("territory_list"))
    assert held.status_code == 302
    assert held["Location"].startswith(reverse("two_factor_verify"))
    assert "Code de connexion" in browser.get(reverse("two_factor_verify")).content.decode()
    bad = browser.post(reverse("two_factor_verify"), {"code": "123456"})
    assert bad.status_code == 422
    ok = browser.post(
        reverse("two_factor_verify"), {"code": _code(device, drift=1), "next": "/territories/"}
    )
    assert ok.status_code == 302
    assert ok["Location"] == "/territories/"
    assert browser.get(reverse("territory_list")).status_code == 200

    # A recovery code works once.
    spare = Client()
    _login(spare, user.email)
    assert spare.post(reverse("two_factor_verify"), {"code": codes[0]}).status_code == 302
    again = Client()
    _login(again, user.email)
    assert again.post(reverse("two_factor_verify"), {"code": codes[0]}).status_code == 422


def test_wrong_codes_lock_the_account_out_like_wrong_passwords(org, settings):
    user = MembershipFactory(organisation=org).user
    client = Client()
    _login(client, user.email)
    device, _codes = _turn_on(client)
    attacker = Client()
    _login(attacker, user.email)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attacker.post(reverse("two_factor_verify"), {"code": "000000"}).status_code == 422
    locked = attacker.post(reverse("two_factor_verify"), {"code": "000000"})
    assert locked.status_code == 429
    # Even the right code is refused now, and so is the password from this address.
    right = attacker.post(reverse("two_factor_verify"), {"code": _code(device)})
    assert right.status_code == 429
    assert _login(Client(), user.email).status_code == 429


def test_the_organisation_requires_it_for_coordinators_and_managers(org):
    org.two_factor_required = True
    org.save()
    coordinator = MembershipFactory(organisation=org, role=Role.COORDINATOR).user
    volunteer = MembershipFactory(organisation=org, role=Role.VOLUNTEER).user
    client = Client()
    _login(client, coordinator.email)
    held = client.get(reverse("home"))
    assert held.status_code == 302
    assert held["Location"].startswith(reverse("two_factor_setup"))
    assert (
        "demande aux coordinateur·rices" in client.get(reverse("two_factor_setup")).content.decode()
    )
    _turn_on(client)
    assert client.get(reverse("home")).status_code == 200
    # Required: it cannot be turned off.
    assert client.post(reverse("two_factor_turn_off")).status_code == 403
    # A volunteer of the same organisation is not asked.
    other = Client()
    _login(other, volunteer.email)
    assert other.get(reverse("home")).status_code == 200


def test_optional_two_factor_can_be_turned_off(org):
    user = MembershipFactory(organisation=org).user
    client = Client()
    _login(client, user.email)
    _turn_on(client)
    assert client.post(reverse("two_factor_turn_off")).status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_the_settings_page_offers_the_requirement(member_client):
    page = member_client(Role.MANAGER).get(reverse("organisation_settings")).content.decode()
    assert "two_factor_required" in page
