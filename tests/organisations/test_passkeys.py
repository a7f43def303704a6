"""Passkeys (django-otp-webauthn) as a second factor: added from the two-factor page,
named, deleted, used at the second step; forged and replayed assertions refused and
counted for the lockout. The browser flow is in tests/browser/test_two_factor_browser.py."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp_webauthn.models import WebAuthnCredential

from organisations.models import Role
from tests.organisations.factories import MembershipFactory
from tests.organisations.soft_authenticator import SoftAuthenticator

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
RP_ID = "testserver"
ORIGIN = "https://testserver"


@pytest.fixture(autouse=True)
def _relying_party(settings):
    settings.OTP_WEBAUTHN_RP_ID = RP_ID
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [ORIGIN]


def _login(email: str) -> Client:
    client = Client()
    assert (
        client.post(reverse("login"), {"username": email, "password": PASSWORD}).status_code == 302
    )
    return client


def _api(client: Client, name: str, body: dict | None = None, query: str = ""):
    return client.post(
        reverse(f"otp_webauthn:{name}") + query,
        data=json.dumps(body or {}),
        content_type="application/json",
    )


def _register(client: Client) -> SoftAuthenticator:
    passkey = SoftAuthenticator(rp_id=RP_ID, origin=ORIGIN)
    options = _api(client, "credential-registration-begin").json()
    assert options["rp"]["id"] == RP_ID
    done = _api(client, "credential-registration-complete", passkey.attestation(options))
    assert done.status_code == 200, done.content
    return passkey


def _begin(client: Client) -> dict:
    response = _api(client, "credential-authentication-begin")
    assert response.status_code == 200
    return response.json()


def test_a_passkey_is_added_named_and_then_used_at_the_second_step(org):
    user = MembershipFactory(organisation=org).user
    setup = _login(user.email)
    page = setup.get(reverse("two_factor_setup")).content.decode()
    assert "Ajouter une clé d’accès" in page
    assert 'id="otp_webauthn_config"' in page
    passkey = _register(setup)
    # A passkey alone must not leave the member without a way back in: the page shows
    # ten recovery codes once (the browser reloads it after the passkey is added).
    codes = setup.get(reverse("two_factor_setup"))
    assert codes.context["codes"] and len(codes.context["codes"]) == 10
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert "codes" not in setup.get(reverse("two_factor_setup")).context
    credential = WebAuthnCredential.objects.get(user=user)
    rename = reverse("passkey_rename", args=[credential.pk])
    assert setup.post(rename, {"name": "Téléphone de l’équipe"}).status_code == 302
    page = setup.get(reverse("two_factor_setup")).content.decode()
    assert 'value="Téléphone de l’équipe"' in page
    assert "La connexion en deux étapes est activée" in page

    # Signing in again: held at the second step, where the passkey is offered.
    browser = _login(user.email)
    held = browser.get(reverse("agenda"))
    assert held["Location"].startswith(reverse("two_factor_verify"))
    step = browser.get(reverse("two_factor_verify")).content.decode()
    assert 'id="passkey-verification-placeholder"' in step
    assert "Utiliser une clé d’accès" in step
    done = _api(
        browser,
        "credential-authentication-complete",
        passkey.assertion(_begin(browser)),
        query="?next=/agenda/",
    )
    assert done.status_code == 200, done.content
    assert done.json()["redirect_url"] == "/agenda/"
    assert browser.get(reverse("agenda")).status_code == 200


def test_forged_and_replayed_assertions_are_refused_and_count_for_the_lockout(org, settings):
    user = MembershipFactory(organisation=org).user
    passkey = _register(_login(user.email))
    first = _login(user.email)
    options = _begin(first)
    good = passkey.assertion(options)
    assert _api(first, "credential-authentication-complete", good).status_code == 200

    attacker = _login(user.email)
    # Replayed as it was: no ceremony started in this session.
    replay = _api(attacker, "credential-authentication-complete", good)
    assert replay.status_code == 400
    # Replayed into a fresh ceremony: the challenge does not match.
    _begin(attacker)
    assert _api(attacker, "credential-authentication-complete", good).status_code in (400, 422)
    # Signed by another key for the right challenge.
    other_key = ec.generate_private_key(ec.SECP256R1())
    forged = passkey.assertion(_begin(attacker), key=other_key)
    refused = _api(attacker, "credential-authentication-complete", forged)
    assert refused.status_code in (400, 422)
    assert refused.json()["detail"] == "Cette clé d’accès n’a pas été acceptée : réessayez."
    # Garbage is refused the same way, never a 500.
    _begin(attacker)
    garbage = {"id": "x", "rawId": "x", "type": "public-key", "response": {}}
    assert _api(attacker, "credential-authentication-complete", garbage).status_code in (
        400,
        422,
    )
    assert attacker.get(reverse("agenda")).status_code == 302  # still held

    # Each refusal counted: at the limit even the real passkey is refused, and so is the
    # password from this address.
    for _ in range(settings.AXES_FAILURE_LIMIT - 4):
        _begin(attacker)
        _api(attacker, "credential-authentication-complete", garbage)
    locked = _api(
        attacker, "credential-authentication-complete", passkey.assertion(_begin(attacker))
    )
    assert locked.status_code == 429
    assert "bloquée" in locked.json()["detail"]
    assert attacker.get(reverse("agenda")).status_code == 302
    assert (
        Client().post(reverse("login"), {"username": user.email, "password": PASSWORD}).status_code
        == 429
    )


def test_another_members_passkey_is_refused(org):
    alice = MembershipFactory(organisation=org).user
    bob = MembershipFactory(organisation=org).user
    _register(_login(alice.email))
    bobs = _register(_login(bob.email))
    alice_client = _login(alice.email)
    refused = _api(
        alice_client, "credential-authentication-complete", bobs.assertion(_begin(alice_client))
    )
    assert refused.status_code in (400, 403, 422)
    assert alice_client.get(reverse("agenda")).status_code == 302


def test_a_held_session_cannot_add_a_passkey_to_skip_the_second_step(org):
    user = MembershipFactory(organisation=org).user
    _register(_login(user.email))
    held = _login(user.email)
    assert _api(held, "credential-registration-begin").status_code == 403
    credential = WebAuthnCredential.objects.get(user=user)
    for name in ("passkey_rename", "passkey_delete"):
        response = held.post(reverse(name, args=[credential.pk]), {"name": "x"})
        assert response["Location"] == reverse("two_factor_verify")
    assert WebAuthnCredential.objects.get(user=user).name == credential.name


def test_the_last_second_factor_cannot_be_deleted_when_required(org):
    org.two_factor_required = True
    org.save()
    coordinator = MembershipFactory(organisation=org, role=Role.COORDINATOR).user
    client = _login(coordinator.email)
    # A passkey alone satisfies the requirement.
    assert client.get(reverse("agenda"))["Location"].startswith(reverse("two_factor_setup"))
    _register(client)
    assert client.get(reverse("agenda")).status_code == 200
    credential = WebAuthnCredential.objects.get(user=coordinator)
    kept = client.post(reverse("passkey_delete", args=[credential.pk]), follow=True)
    assert "ajoutez-en une autre" in kept.content.decode()
    assert WebAuthnCredential.objects.filter(pk=credential.pk).exists()
    # Someone else's passkey: 404.
    stranger = MembershipFactory(organisation=org).user
    other = _login(stranger.email)
    assert other.post(reverse("passkey_delete", args=[credential.pk])).status_code == 404


def test_turning_off_removes_passkeys_too(org):
    user = MembershipFactory(organisation=org).user
    client = _login(user.email)
    _register(client)
    assert client.post(reverse("two_factor_turn_off")).status_code == 302
    assert not WebAuthnCredential.objects.filter(user=user).exists()


def test_the_scripts_french_is_served_to_anyone():
    """The passkey scripts' catalogue holds no personal data; a browser that fetches it
    without the session cookie must get it, not the login page (a console error)."""
    catalogue = Client().get(reverse("otp_webauthn:js-i18n-catalog"), HTTP_ACCEPT_LANGUAGE="fr")
    assert catalogue.status_code == 200
    assert catalogue["Content-Type"].startswith("text/javascript")
    assert "Cl\\u00e9 d\\u2019acc\\u00e8s ajout\\u00e9e." in catalogue.content.decode()
