"""Login, lockout after repeated failures, password reset, language."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.organisations.factories import MembershipFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def _login(client: Client, email: str, password: str):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_login_with_email_in_any_case(org):
    user = MembershipFactory(organisation=org).user
    client = Client()
    response = _login(client, user.email.upper(), PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_wrong_password_says_so_in_french(org):
    user = MembershipFactory(organisation=org).user
    response = _login(Client(), user.email, "wrong")
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in response.content.decode()


def test_repeated_failures_lock_the_account_out(org, settings):
    user = MembershipFactory(organisation=org).user
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, user.email, "wrong").status_code == 200
    locked = _login(client, user.email, "wrong")
    assert locked.status_code == 429
    assert "Trop de tentatives de connexion échouées" in locked.content.decode()
    # Even the right password is refused while locked.
    right = _login(client, user.email, PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_reset_end_to_end(org):
    user = MembershipFactory(organisation=org).user
    client = Client()
    client.post(reverse("password_reset"), {"email": user.email})
    assert len(mail.outbox) == 1
    assert "Réinitialisation" in mail.outbox[0].subject
    link = re.search(r"http://testserver(/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]  # Django swaps the token for a session
    response = client.post(
        form_url, {"new_password1": "nouveau-mot-de-passe", "new_password2": "nouveau-mot-de-passe"}
    )
    assert response.status_code == 302
    assert _login(Client(), user.email, "nouveau-mot-de-passe").status_code == 302


def test_unknown_address_gets_the_same_answer_and_no_mail(client):
    response = client.post(reverse("password_reset"), {"email": "personne@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_french_by_default_english_on_request(volunteer_client):
    assert "Territoires" in volunteer_client.get(reverse("territory_list")).content.decode()
    volunteer_client.post(reverse("set_language"), {"language": "en", "next": "/territories/"})
    page = volunteer_client.get(reverse("territory_list")).content.decode()
    assert '<html lang="en">' in page and "Territories" in page


def test_language_can_be_chosen_before_logging_in(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    assert "Log in to Terrain" in client.get(reverse("login")).content.decode()


def test_pages_carry_a_strict_content_security_policy(volunteer_client):
    response = volunteer_client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
