"""Invitations are bound to the invited address: a forwarded link does not let anyone in."""

from __future__ import annotations

import re
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from organisations.models import Invitation, Membership, Role
from tests.organisations.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def _invite(client: Client, email: str, role: str = Role.COORDINATOR) -> str:
    response = client.post(reverse("member_invite"), {"email": email, "role": role})
    assert response.status_code == 302
    link = re.search(r"https?://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)
    return link.split("testserver", 1)[1]


def test_a_forwarded_link_does_not_let_another_member_join(manager_client, org):
    path = _invite(manager_client, "invitee@example.org", Role.MANAGER)
    # The link was forwarded to a member of another organisation, who is logged in.
    stranger = MembershipFactory(organisation=OrganisationFactory(slug="ailleurs")).user
    browser = Client()
    browser.force_login(stranger)
    page = browser.get(path)
    assert page.status_code == 403
    text = page.content.decode()
    assert "Cette invitation a été envoyée à invitee@example.org" in text
    assert "rien n’a changé" in text
    refused = browser.post(path)
    assert refused.status_code == 403
    assert not Membership.objects.filter(user=stranger, organisation=org).exists()
    assert Invitation.objects.get().accepted_at is None
    # The invited person can still use it.
    invitee = UserFactory(username="invitee@example.org")
    owner = Client()
    owner.force_login(invitee)
    assert owner.post(path).status_code == 302
    assert Membership.objects.get(user=invitee, organisation=org).role == Role.MANAGER


def test_the_invited_address_matches_in_any_case(manager_client, org):
    path = _invite(manager_client, "Invitee@Example.org")
    invitee = UserFactory(username="invitee@example.org")
    owner = Client()
    owner.force_login(invitee)
    assert owner.post(path).status_code == 302


def test_a_second_accept_is_told_the_link_was_used(manager_client, org):
    path = _invite(manager_client, "invitee@example.org")
    owner = Client()
    owner.force_login(UserFactory(username="invitee@example.org"))
    assert owner.post(path).status_code == 302
    again = owner.post(path)
    assert again.status_code == 404
    assert "ne peut plus servir" in again.content.decode()
    assert (
        Membership.objects.filter(organisation=org, user__username="invitee@example.org").count()
        == 1
    )


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="real concurrency needs PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_simultaneous_accepts_make_one_membership_and_no_500(member_client, org):
    path = _invite(member_client(Role.MANAGER), "invitee@example.org")
    invitee = UserFactory(username="invitee@example.org")
    barrier = threading.Barrier(8)
    statuses: list[int] = []

    def accept() -> None:
        browser = Client(raise_request_exception=False)
        browser.force_login(invitee)
        barrier.wait()
        statuses.append(browser.post(path).status_code)
        connection.close()

    threads = [threading.Thread(target=accept) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302] + [404] * 7, statuses
    assert Membership.objects.filter(organisation=org, user=invitee).count() == 1
