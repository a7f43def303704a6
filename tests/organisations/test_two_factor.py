"""Two-factor sign-in: optional, required by the organisation for its planners, locked out."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone
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


def test_a_session_opened_before_it_applied_is_sent_to_the_second_step(org):
    """The requirement is checked on every request, not only at sign-in."""
    coordinator = MembershipFactory(organisation=org, role=Role.COORDINATOR).user
    early = Client()  # signed in before anything was set up
    _login(early, coordinator.email)
    assert early.get(reverse("home")).status_code == 200
    # The organisation turns it on: the open session goes to the set-up page.
    org.two_factor_required = True
    org.save()
    held = early.get(reverse("home"))
    assert held.status_code == 302
    assert held["Location"].startswith(reverse("two_factor_setup"))
    # The member sets it up in another browser: the early session now needs a code.
    other = Client()
    _login(other, coordinator.email)
    device, _codes = _turn_on(other)
    assert other.get(reverse("home")).status_code == 200
    held = early.get(reverse("territory_list"))
    assert held.status_code == 302
    assert held["Location"].startswith(reverse("two_factor_verify"))
    code = _code(device, drift=1)  # the one just used to set it up cannot be used again
    assert early.post(reverse("two_factor_verify"), {"code": code}).status_code == 302
    assert early.get(reverse("territory_list")).status_code == 200


def test_an_optional_app_set_up_elsewhere_holds_other_sessions_too(org):
    user = MembershipFactory(organisation=org).user
    early = Client()
    _login(early, user.email)
    other = Client()
    _login(other, user.email)
    _turn_on(other)
    assert early.get(reverse("agenda"))["Location"].startswith(reverse("two_factor_verify"))


def test_a_right_code_too_soon_after_a_wrong_one_says_to_wait(org, settings):
    """django-otp refuses any code for 1 s, 2 s, 4 s… after wrong ones: the person is told
    to wait, not that a right code is wrong; after the wait the right code works."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    settings.OTP_STATIC_THROTTLE_FACTOR = 1
    user = MembershipFactory(organisation=org).user
    setup = Client()
    _login(setup, user.email)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        setup.get(reverse("two_factor_setup"))
        pending = TOTPDevice.objects.get(user=user, confirmed=False)
        assert setup.post(reverse("two_factor_setup"), {"code": "000000"}).status_code == 422
        early = setup.post(reverse("two_factor_setup"), {"code": _code(pending)})
        assert early.status_code == 422
        assert "Attendez 1 seconde avant de réessayer" in early.content.decode()
    with time_machine.travel(start + timedelta(seconds=2), tick=False):
        assert setup.post(reverse("two_factor_setup"), {"code": _code(pending)}).status_code == 200

    browser = Client()
    _login(browser, user.email)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    start += timedelta(minutes=5)
    with time_machine.travel(start, tick=False):
        assert browser.post(reverse("two_factor_verify"), {"code": "000000"}).status_code == 422
    start += timedelta(seconds=1)
    with time_machine.travel(start, tick=False):
        assert browser.post(reverse("two_factor_verify"), {"code": "000000"}).status_code == 422
        early = browser.post(reverse("two_factor_verify"), {"code": _code(device)})
        assert early.status_code == 422
        page = early.content.decode()
        assert "Attendez 2 secondes avant de réessayer" in page
        assert "pas valable" not in page
    with time_machine.travel(start + timedelta(seconds=2), tick=False):
        ok = browser.post(reverse("two_factor_verify"), {"code": _code(device)})
        assert ok.status_code == 302
    # Waiting is not a wrong code: only the two wrong ones counted for the lockout.
    assert AccessAttempt.objects.get().failures_since_start == 2


def test_the_second_step_pages_show_no_app_navigation(org):
    org.two_factor_required = True
    org.save()
    coordinator = MembershipFactory(organisation=org, role=Role.COORDINATOR).user
    client = Client()
    _login(client, coordinator.email)
    nav = ('class="tabbar"', reverse("agenda"), reverse("dashboard"), reverse("calendar_feeds"))
    setup = client.get(reverse("two_factor_setup")).content.decode()
    assert not [link for link in nav if link in setup]
    assert reverse("logout") in setup  # the way out stays
    device, _codes = _turn_on(client)
    assert 'class="tabbar"' in client.get(reverse("two_factor_setup")).content.decode()
    again = Client()
    _login(again, coordinator.email)
    code_page = again.get(reverse("two_factor_verify")).content.decode()
    assert not [link for link in nav if link in code_page]
    assert reverse("logout") in code_page
    assert again.post(reverse("two_factor_verify"), {"code": _code(device, 1)}).status_code == 302
    assert 'class="tabbar"' in again.get(reverse("home")).content.decode()


def test_the_second_step_page_gets_its_web_manifest(org):
    """Every page links the web manifest; redirected to the code page, it is HTML and the
    browser logs an error (Lighthouse best practices)."""
    user = MembershipFactory(organisation=org).user
    client = Client()
    _login(client, user.email)
    device, _codes = _turn_on(client)
    held = Client()
    _login(held, user.email)
    assert held.get(reverse("agenda")).status_code == 302
    manifest = held.get(reverse("web_manifest"))
    assert manifest.status_code == 200
    assert manifest.json()["name"]


def test_the_apps_right_code_works_while_only_recovery_codes_are_throttled(org, settings):
    """Each device is throttled on its own: a wait on the recovery codes does not hold
    back the app's code."""
    settings.OTP_STATIC_THROTTLE_FACTOR = 60
    user = MembershipFactory(organisation=org).user
    client = Client()
    _login(client, user.email)
    device, _codes = _turn_on(client)
    browser = Client()
    _login(browser, user.email)
    assert browser.post(reverse("two_factor_verify"), {"code": "000000"}).status_code == 422
    ok = browser.post(reverse("two_factor_verify"), {"code": _code(device, drift=1)})
    assert ok.status_code == 302
