"""Logging as the field really happens: starting an action on the spot, and debriefs by
the session's team that never silently count fewer than the taps."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from encounters import services as field
from organisations.models import Role
from outreach.models import DebriefCorrection, OutreachSession, SessionStatus
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import PlaceFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


def test_any_member_starts_an_action_now_and_lands_in_field_mode(volunteer_client, org):
    prades = TerritoryFactory(organisation=org, name="Prades")
    today = volunteer_client.get(reverse("today")).content.decode()
    assert "Démarrer une action maintenant" in today
    response = volunteer_client.post(
        reverse("session_start_now"), {"kind": "walkabout", "territory": prades.pk, "hours": 2}
    )
    session = OutreachSession.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("field_mode", args=[session.pk])
    user = volunteer_client.membership.user
    assert (session.status, session.lead, list(session.members.all())) == (
        SessionStatus.IN_PROGRESS,
        user,
        [user],
    )
    assert abs(session.starts_at - timezone.now()) < timedelta(minutes=1)
    assert session.ends_at - session.starts_at == timedelta(hours=2)
    # Taps go in at once.
    tap = {"kind": "contact", "client_uuid": str(uuid.uuid4())}
    assert volunteer_client.post(reverse("field_tap", args=[session.pk]), tap).status_code == 302


def test_start_now_at_a_place_takes_its_territory(volunteer_client, org):
    place = PlaceFactory(organisation=org, name="Place de la gare")
    volunteer_client.post(reverse("session_start_now"), {"kind": "stand", "place": place.pk})
    session = OutreachSession.objects.get()
    assert (session.place, session.territory) == (place, place.territory)


def test_start_now_without_place_nor_territory_says_what_is_missing(volunteer_client, org):
    response = volunteer_client.post(reverse("session_start_now"), {"kind": "stand"})
    assert response.status_code == 422
    assert "territoire où vous êtes" in response.content.decode()
    assert not OutreachSession.objects.exists()


def test_start_now_refuses_another_organisations_place(volunteer_client, other_org):
    place = PlaceFactory(organisation=other_org)
    response = volunteer_client.post(
        reverse("session_start_now"), {"kind": "stand", "place": place.pk}
    )
    assert response.status_code == 422
    assert not OutreachSession.objects.exists()


# --- Debriefs --------------------------------------------------------------------


@pytest.fixture
def tapped(org, member_client):
    """A session that ended an hour ago, its volunteer, 3 contacts and 1 refusal tapped."""
    volunteer = member_client(Role.VOLUNTEER)
    now = timezone.now()
    session = OutreachSessionFactory(
        territory=TerritoryFactory(organisation=org),
        starts_at=now - timedelta(hours=3),
        ends_at=now - timedelta(hours=1),
        members=[volunteer.membership.user],
    )
    for kind in ("contact", "contact", "contact", "refusal"):
        field.contact_tap(
            organisation=org, session=session, author=None, kind=kind, client_uuid=uuid.uuid4()
        )
    return session, volunteer


def _debrief(client, session, contacts, refusals):
    return client.post(
        reverse("session_debrief", args=[session.pk]),
        {"brief_contacts": contacts, "refusals": refusals, "atmosphere": "calm"},
    )


def test_only_the_team_and_coordinators_debrief(tapped, member_client, coordinator_client):
    session, volunteer = tapped
    outsider = member_client(Role.VOLUNTEER)
    assert _debrief(outsider, session, 0, 0).status_code == 403
    assert outsider.get(reverse("session_debrief", args=[session.pk])).status_code == 403
    assert OutreachSession.objects.get(pk=session.pk).brief_contacts == 3
    assert _debrief(volunteer, session, 5, 1).status_code == 302
    assert _debrief(coordinator_client, session, 6, 1).status_code == 302


def test_a_volunteer_cannot_count_fewer_than_the_taps(tapped):
    session, volunteer = tapped
    form = volunteer.get(reverse("session_debrief", args=[session.pk])).content.decode()
    assert "Le mode terrain a enregistré 3." in form
    response = _debrief(volunteer, session, 1, 1)
    assert response.status_code == 422
    assert "Le mode terrain a enregistré 3 : le bilan ne peut pas en compter moins" in (
        response.content.decode()
    )
    assert OutreachSession.objects.get(pk=session.pk).brief_contacts == 3


def test_a_coordinator_correction_below_the_taps_is_audited(tapped, coordinator_client):
    session, _volunteer = tapped
    assert _debrief(coordinator_client, session, 1, 1).status_code == 302
    assert OutreachSession.objects.get(pk=session.pk).brief_contacts == 1
    correction = DebriefCorrection.objects.get()
    assert (correction.field, correction.recorded, correction.old, correction.new) == (
        "brief_contacts",
        3,
        3,
        1,
    )
    assert correction.member == coordinator_client.membership.user
