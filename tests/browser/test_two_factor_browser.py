"""Two-factor sign-in in Chromium, in French: turn it on, then sign in with a code."""

from __future__ import annotations

from base64 import b32decode

import pytest
from django_otp.oath import totp

from tests.organisations.factories import MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _code(secret: str, drift: int = 0) -> str:
    return f"{totp(b32decode(secret), drift=drift):06d}"


def test_turn_on_two_factor_then_sign_in_with_a_code(login, phone, org, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = MembershipFactory(organisation=org).user
    page = login(user.email)
    page.goto("/two-factor/")
    assert page.get_by_role("heading", name="Connexion en deux étapes").is_visible()
    secret = page.locator("code.otp-secret").inner_text()
    page.get_by_label("Code").fill(_code(secret))
    page.get_by_role("button", name="Activer").click()
    page.get_by_role("heading", name="La connexion en deux étapes est activée").wait_for()
    assert page.locator(".recovery-codes li").count() == 10

    # Another phone: the password is not enough any more.
    other = phone().new_page()
    other.goto("/login/")
    other.get_by_label("Adresse e-mail").fill(user.email)
    other.get_by_label("Mot de passe").fill("correct-horse-battery")
    other.get_by_role("button", name="Se connecter").click()
    other.get_by_role("heading", name="Code de connexion").wait_for()
    other.get_by_label("Code").fill("000000")
    other.get_by_role("button", name="Confirmer").click()
    other.get_by_text("Ce code n’est pas valable").wait_for()
    other.get_by_label("Code").fill(_code(secret, drift=1))
    other.get_by_role("button", name="Confirmer").click()
    other.wait_for_url(lambda url: "/two-factor/" not in url)
    assert "/login/" not in other.url
