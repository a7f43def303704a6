"""iCalendar feeds: secret, revocable URLs, parsed back with the icalendar library."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from core.time import PARIS
from organisations.models import Role
from outreach.models import CalendarFeed
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import PlaceFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


def _new_feed(client, name: str = "calendar_feed_renew") -> str:
    response = client.post(reverse(name))
    assert response.status_code == 200
    match = re.search(
        r'value="(http://testserver/calendar/feed/[^"]+\.ics)"', response.content.decode()
    )
    assert match, "the new link is shown once"
    return match.group(1).removeprefix("http://testserver")


def _events(path: str) -> list:
    response = Client().get(path)  # a calendar app: no session, no login
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


def _upcoming(org, members=(), **kwargs):
    start = (
        (timezone.now() + timedelta(days=2))
        .astimezone(PARIS)
        .replace(hour=9, minute=0, second=0, microsecond=0)
    )
    kwargs.setdefault("starts_at", start)
    kwargs.setdefault("ends_at", start + timedelta(hours=3))
    kwargs.setdefault("territory", TerritoryFactory(organisation=org, name="Prades"))
    return OutreachSessionFactory(members=list(members), **kwargs)


def test_member_feed_lists_only_my_sessions_with_times_place_and_status(volunteer_client, org):
    me = volunteer_client.membership.user
    territory = TerritoryFactory(organisation=org, name="Prades")
    room = PlaceFactory(
        territory=territory,
        name="Salle prêtée par la mairie",
        latitude="42.6184",
        longitude="2.4227",
    )
    mine = _upcoming(org, [me], territory=territory, place=room, kind="permanence")
    cancelled = _upcoming(
        org,
        [me],
        territory=territory,
        starts_at=mine.starts_at + timedelta(days=1),
        ends_at=mine.ends_at + timedelta(days=1),
        status="cancelled",
        cancel_reason="Jour férié",
    )
    _upcoming(org, [], territory=territory)  # not mine
    events = {str(e["UID"]): e for e in _events(_new_feed(volunteer_client))}
    assert set(events) == {f"session-{mine.pk}@terrain", f"session-{cancelled.pk}@terrain"}
    event = events[f"session-{mine.pk}@terrain"]
    assert event.decoded("DTSTART") == mine.starts_at
    assert event.decoded("DTEND") == mine.ends_at
    assert event.decoded("DTSTART").astimezone(PARIS).hour == 9
    assert "Permanence" in str(event["SUMMARY"])
    assert "Salle prêtée par la mairie" in str(event["LOCATION"])
    assert str(event["STATUS"]) == "CONFIRMED"
    assert (event["GEO"].latitude, event["GEO"].longitude) == (42.6184, 2.4227)
    assert str(event["URL"]).endswith(reverse("session_detail", args=[mine.pk]))
    other = events[f"session-{cancelled.pk}@terrain"]
    assert str(other["STATUS"]) == "CANCELLED"
    assert "Jour férié" in str(other["DESCRIPTION"])


def test_organisation_feed_lists_every_session_and_no_other_organisation(
    coordinator_client, org, other_org
):
    _upcoming(org)
    _upcoming(org)
    _upcoming(other_org)
    assert len(_events(_new_feed(coordinator_client, "org_calendar_feed_renew"))) == 2


def test_debrief_comments_never_leave_through_a_feed(volunteer_client, org):
    me = volunteer_client.membership.user
    session = _upcoming(org, [me])
    session.comments = "Remarque interne"
    session.save()
    body = Client().get(_new_feed(volunteer_client)).content.decode()
    assert "Remarque interne" not in body


def test_token_is_stored_hashed_and_renewing_revokes_the_old_url(volunteer_client, org):
    first = _new_feed(volunteer_client)
    token = first.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 40
    assert not CalendarFeed.objects.filter(token_hash=token).exists()
    second = _new_feed(volunteer_client)
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    assert volunteer_client.post(reverse("calendar_feed_revoke")).status_code == 302
    assert Client().get(second).status_code == 404


def test_feed_of_a_deactivated_member_answers_404(volunteer_client):
    url = _new_feed(volunteer_client)
    volunteer_client.membership.is_active = False
    volunteer_client.membership.save()
    assert Client().get(url).status_code == 404


def test_unknown_token_answers_404(client):
    assert client.get(reverse("calendar_feed_ics", args=["not-a-token"])).status_code == 404


def test_member_feed_and_organisation_feed_are_separate(member_client, org):
    coordinator = member_client(Role.COORDINATOR)
    mine = _new_feed(coordinator)
    organisation = _new_feed(coordinator, "org_calendar_feed_renew")
    # Renewing my own link leaves the organisation's alone, and vice versa.
    _new_feed(coordinator)
    assert Client().get(mine).status_code == 404
    assert Client().get(organisation).status_code == 200
    page = coordinator.get(reverse("calendar_feeds")).content.decode()
    assert page.count("Un lien est actif depuis") == 2
    volunteer = member_client(Role.VOLUNTEER)
    assert volunteer.post(reverse("org_calendar_feed_renew")).status_code == 403


def test_the_new_link_comes_with_a_copy_button_and_a_webcal_link(volunteer_client):
    page = volunteer_client.post(reverse("calendar_feed_renew")).content.decode()
    url = re.search(r'value="http://(testserver/calendar/feed/[^"]+\.ics)"', page).group(1)
    assert f'href="webcal://{url}"' in page
    assert 'data-copy="#feed-url"' in page
    assert "Copier le lien" in page
    # Once shown, never again: the page reloaded has neither.
    again = volunteer_client.get(reverse("calendar_feeds")).content.decode()
    assert "webcal://" not in again and "data-copy" not in again


def test_a_deactivated_members_link_stays_dead_once_reactivated(member_client):
    manager = member_client(Role.MANAGER)
    volunteer = member_client(Role.VOLUNTEER)
    url = _new_feed(volunteer)
    edit = reverse("member_edit", args=[volunteer.membership.pk])
    assert manager.post(edit, {"role": Role.VOLUNTEER}).status_code == 302
    assert Client().get(url).status_code == 404
    assert manager.post(edit, {"role": Role.VOLUNTEER, "is_active": "on"}).status_code == 302
    assert Client().get(url).status_code == 404
    # A new link works.
    assert Client().get(_new_feed(volunteer)).status_code == 200


def test_the_organisation_link_dies_with_its_maker_as_a_planner(member_client):
    """An organisation-wide link shows every session: it lives only while the planner who
    made it is an active planner (deactivated, or no longer planning: 404 for good)."""
    manager = member_client(Role.MANAGER)
    for change in ({"role": Role.COORDINATOR}, {"role": Role.VOLUNTEER, "is_active": "on"}):
        coordinator = member_client(Role.COORDINATOR)
        url = _new_feed(coordinator, "org_calendar_feed_renew")
        assert Client().get(url).status_code == 200
        edit = reverse("member_edit", args=[coordinator.membership.pk])
        assert manager.post(edit, change).status_code == 302
        assert Client().get(url).status_code == 404
        # Back as an active planner: the old link stays dead.
        assert manager.post(edit, {"role": Role.COORDINATOR, "is_active": "on"}).status_code == 302
        assert Client().get(url).status_code == 404
    # Another planner's link is not touched by it.
    assert Client().get(_new_feed(manager, "org_calendar_feed_renew")).status_code == 200
