"""Two-factor sign-in in Chromium, in French: turn it on, then sign in with a code."""

from __future__ import annotations

from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

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


def _console(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_add_a_passkey_then_sign_in_with_it(login, org, settings, live_server):
    """A virtual authenticator (Chromium's WebAuthn domain) plays the phone's passkey."""
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    assert live_server.url.startswith("http://localhost:")
    user = MembershipFactory(organisation=org).user
    page = login(user.email)
    errors = _console(page)
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )["authenticatorId"]

    page.goto("/two-factor/")
    page.get_by_role("button", name="Ajouter une clé d’accès").click()
    # The page reloads with the recovery codes, once: a passkey alone would leave no way
    # back in after losing the phone.
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    # Back on the page, the new passkey is in the list; it can be named.
    page.goto("/two-factor/")
    page.get_by_role("button", name="Supprimer cette clé d’accès").wait_for()
    page.get_by_label("Nom").fill("Téléphone de l’équipe")
    page.get_by_role("button", name="Renommer").click()
    page.get_by_text("La clé d’accès a été renommée.").wait_for()
    assert page.get_by_label("Nom").input_value() == "Téléphone de l’équipe"
    stored = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(stored["credentials"]) == 1

    # Log out, log in again: the password, then the passkey.
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/login/")
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill("correct-horse-battery")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Code de connexion").wait_for()
    assert page.locator("nav.tabbar").count() == 0
    page.get_by_role("button", name="Utiliser une clé d’accès").click()
    page.wait_for_url(lambda url: "/two-factor/" not in url and "/login/" not in url)
    assert page.locator("nav.tabbar").is_visible()
    assert errors == []
