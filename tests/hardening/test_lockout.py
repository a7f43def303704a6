"""Lockout behind a proxy: the attacker's address is locked, the member is not."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from core.client import client_address
from tests.organisations.factories import MembershipFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
PROXY = "10.0.0.1"
MEMBER, ATTACKER = "198.51.100.7", "203.0.113.66"


def _behind_proxy(forwarded_for: str) -> Client:
    """A browser whose requests reach us through one proxy that appends its address."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def _login(client: Client, email: str, password: str):
    return client.post(reverse("login"), {"username": email, "password": password})


@pytest.fixture
def one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def test_an_attacker_elsewhere_cannot_lock_a_member_out(org, settings, one_proxy):
    user = MembershipFactory(organisation=org).user
    attacker = _behind_proxy(ATTACKER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(attacker, user.email, "guess")
    # The attacker's own address is locked, even with the right password...
    assert _login(attacker, user.email, PASSWORD).status_code == 429
    # ... and so is a forged X-Forwarded-For naming the member: the proxy appended the
    # attacker's real address after it, and that is the one we read.
    forged = _behind_proxy(f"{MEMBER}, {ATTACKER}")
    assert _login(forged, user.email, PASSWORD).status_code == 429
    # The member, through the same proxy, logs in.
    member = _behind_proxy(MEMBER)
    assert _login(member, user.email, PASSWORD).status_code == 302
    assert member.get(reverse("home")).status_code == 200


def test_without_the_proxy_setting_everyone_behind_it_shared_one_key(org, settings):
    """What the setting fixes: with no trusted proxy, the proxy's address is the key."""
    settings.TRUSTED_PROXY_COUNT = 0
    user = MembershipFactory(organisation=org).user
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(_behind_proxy(ATTACKER), user.email, "guess")
    assert _login(_behind_proxy(MEMBER), user.email, PASSWORD).status_code == 429


@pytest.mark.parametrize(
    "proxies,forwarded,remote,expected",
    [
        (0, "6.6.6.6", "192.0.2.1", "192.0.2.1"),
        (1, "198.51.100.7", "10.0.0.1", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "10.0.0.1", "198.51.100.7"),
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "10.0.0.1", "198.51.100.7"),
        (1, "", "10.0.0.1", "10.0.0.1"),
        (1, "not-an-address", "10.0.0.1", "10.0.0.1"),
        (1, "2001:db8::7", "10.0.0.1", "2001:db8::7"),
    ],
)
def test_client_address(settings, proxies, forwarded, remote, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
