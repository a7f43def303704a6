"""Invitations, roles, deactivation and switching organisation."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from organisations.models import Invitation, Membership, Role
from tests.organisations.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def _invite(client: Client, email: str = "nouvelle@example.org", role: str = Role.VOLUNTEER):
    response = client.post(reverse("member_invite"), {"email": email, "role": role})
    assert response.status_code == 302, response.content[:300]
    link = re.search(r"https?://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)
    return link.split("testserver", 1)[1]


def test_invitation_creates_an_account_once(coordinator_client, org):
    path = _invite(coordinator_client, "Nouvelle@Example.org")
    assert mail.outbox[-1].to == ["nouvelle@example.org"]
    assert "Invitation à rejoindre EVS de Prades" in mail.outbox[-1].subject

    newcomer = Client()
    page = newcomer.get(path)
    assert page.status_code == 200
    assert "Rejoindre EVS de Prades" in page.content.decode()
    response = newcomer.post(
        path,
        {
            "first_name": "Inès",
            "password1": "un-long-mot-de-passe",
            "password2": "un-long-mot-de-passe",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="nouvelle@example.org")
    membership = Membership.objects.get(user=user, organisation=org)
    assert membership.role == Role.VOLUNTEER
    assert newcomer.get(reverse("territory_list")).status_code == 200

    # Single use: the same link, even from another browser, no longer works.
    again = Client().get(path)
    assert again.status_code == 404
    assert "ne peut plus servir" in again.content.decode()


def test_invitation_expires(coordinator_client):
    path = _invite(coordinator_client)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = Client().post(
            path,
            {
                "first_name": "A",
                "password1": "un-long-mot-de-passe",
                "password2": "un-long-mot-de-passe",
            },
        )
    assert response.status_code == 404
    assert not User.objects.filter(username="nouvelle@example.org").exists()


def test_withdrawn_invitation_no_longer_works(coordinator_client):
    path = _invite(coordinator_client)
    invitation = Invitation.objects.get()
    coordinator_client.post(reverse("invitation_revoke", args=[invitation.pk]))
    assert Client().get(path).status_code == 404


def test_a_token_that_never_existed_is_404(client):
    assert client.get(reverse("invitation_accept", args=["not-a-token"])).status_code == 404


def test_weak_password_is_refused_and_the_name_kept(coordinator_client):
    path = _invite(coordinator_client)
    response = Client().post(path, {"first_name": "Inès", "password1": "123", "password2": "123"})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'value="Inès"' in page
    assert "trop court" in page
    assert not User.objects.filter(username="nouvelle@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_existing_user_logs_in_then_joins(coordinator_client, org, other_org):
    existing = MembershipFactory(organisation=other_org).user
    path = _invite(coordinator_client, existing.email, Role.COORDINATOR)
    anonymous = Client().get(path)
    assert "connectez-vous d’abord" in anonymous.content.decode()
    client = Client()
    client.force_login(existing)
    assert client.post(path).status_code == 302
    assert Membership.objects.get(user=existing, organisation=org).role == Role.COORDINATOR
    assert client.post(path).status_code == 404  # used


def test_coordinator_cannot_make_a_manager(coordinator_client):
    response = coordinator_client.post(
        reverse("member_invite"), {"email": "chef@example.org", "role": Role.MANAGER}
    )
    assert response.status_code == 422
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_inviting_an_active_member_again_is_refused(coordinator_client, org):
    member = MembershipFactory(organisation=org).user
    response = coordinator_client.post(
        reverse("member_invite"), {"email": member.email, "role": Role.VOLUNTEER}
    )
    assert response.status_code == 422
    assert "déjà membre" in response.content.decode()


def test_manager_changes_a_role_and_deactivates(manager_client, org):
    member = MembershipFactory(organisation=org, role=Role.VOLUNTEER)
    url = reverse("member_edit", args=[member.pk])
    assert (
        manager_client.post(url, {"role": Role.COORDINATOR, "is_active": "on"}).status_code == 302
    )
    member.refresh_from_db()
    assert member.role == Role.COORDINATOR and member.is_active
    manager_client.post(url, {"role": Role.COORDINATOR})
    member.refresh_from_db()
    assert not member.is_active
    deactivated = Client()
    deactivated.force_login(member.user)
    assert deactivated.get(reverse("territory_list"))["Location"] == reverse("no_organisation")


def test_coordinator_cannot_touch_a_manager_or_themselves(coordinator_client, org):
    manager = MembershipFactory(organisation=org, role=Role.MANAGER)
    assert coordinator_client.get(reverse("member_edit", args=[manager.pk])).status_code == 403
    own = coordinator_client.membership
    assert (
        coordinator_client.post(
            reverse("member_edit", args=[own.pk]), {"role": Role.VOLUNTEER}
        ).status_code
        == 403
    )
    own.refresh_from_db()
    assert own.role == Role.COORDINATOR


def test_member_of_two_organisations_switches(org, other_org):
    user = UserFactory()
    MembershipFactory(user=user, organisation=org, role=Role.VOLUNTEER)
    MembershipFactory(user=user, organisation=other_org, role=Role.COORDINATOR)
    stranger_org = OrganisationFactory()
    client = Client()
    client.force_login(user)
    assert client.get(reverse("home")).context["organisation"] == other_org  # by name
    client.post(reverse("organisation_switch"), {"organisation": org.pk})
    home = client.get(reverse("home"))
    assert home.context["organisation"] == org
    assert client.get(reverse("territory_create")).status_code == 403  # volunteer here
    assert (
        client.post(reverse("organisation_switch"), {"organisation": stranger_org.pk}).status_code
        == 403
    )
    assert client.get(reverse("home")).context["organisation"] == org
