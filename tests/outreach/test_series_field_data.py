"""Editing or cancelling "this and following" never destroys what was logged in the
field: a session with taps, conversations or a debrief is kept as it is, the change
applies from the next one, never a 500, never a silent delete."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

import pytest
import time_machine
from django.urls import reverse

from encounters import services as field
from encounters.models import ContactTap, Encounter
from outreach.models import OutreachSession, SessionSeries, SessionStatus
from tests.encounters.factories import EncounterFactory
from tests.outreach.test_sessions import PARIS, _edit_data, _series

pytestmark = pytest.mark.django_db

# Tuesday 17 March 2026, 10:00 in Prades: the series (Tuesdays and Thursdays, 9:00-12:00,
# March and April) has its session of the day under way.
NOW = datetime(2026, 3, 17, 10, tzinfo=PARIS)


def _today(series) -> OutreachSession:
    return OutreachSession.objects.get(series=series, starts_at__date=date(2026, 3, 17))


def _with_taps(org, session, n=2) -> None:
    for _ in range(n):
        field.contact_tap(
            organisation=org,
            session=session,
            author=None,
            kind="contact",
            client_uuid=uuid.uuid4(),
        )


def _with_conversation(session):
    return EncounterFactory(session=session)


def _with_debrief(session):
    OutreachSession.objects.filter(pk=session.pk).update(
        status=SessionStatus.DONE, debriefed_at=NOW, brief_contacts=12
    )


@pytest.fixture(params=["taps", "conversation", "debrief"])
def logged(request, org):
    """A series whose session of today has field data of one kind."""
    series, _count = _series(org)
    today = _today(series)
    {
        "taps": lambda: _with_taps(org, today),
        "conversation": lambda: _with_conversation(today),
        "debrief": lambda: _with_debrief(today),
    }[request.param]()
    return series, today


@time_machine.travel(NOW, tick=False)
def test_edit_this_and_following_keeps_a_session_with_field_data(coordinator_client, logged):
    series, today = logged
    taps, encounters = ContactTap.objects.count(), Encounter.objects.count()
    response = coordinator_client.post(
        reverse("session_edit", args=[today.pk]),
        _edit_data(today, start_time="14:00", end_time="17:00", scope="following"),
    )
    assert response.status_code == 302
    today_after = OutreachSession.objects.get(pk=today.pk)
    assert today_after.starts_at == today.starts_at and today_after.series_id == series.pk
    assert (ContactTap.objects.count(), Encounter.objects.count()) == (taps, encounters)
    # The change applies from the next occurrence on.
    new = SessionSeries.objects.exclude(pk=series.pk).get()
    assert new.first_date == date(2026, 3, 18)
    later = OutreachSession.objects.filter(series=new)
    assert later.exists()
    assert {s.starts_at.astimezone(PARIS).time() for s in later} == {time(14)}
    series.refresh_from_db()
    assert series.last_date == date(2026, 3, 17)
    page = coordinator_client.get(response.url).content.decode()
    assert "garde ce qui y a été noté" in page


@time_machine.travel(NOW, tick=False)
def test_cancel_this_and_following_keeps_a_session_with_field_data(coordinator_client, logged):
    series, today = logged
    response = coordinator_client.post(
        reverse("session_cancel", args=[today.pk]),
        {"reason": "Salle en travaux", "scope": "following"},
    )
    assert response.status_code == 302
    today_after = OutreachSession.objects.get(pk=today.pk)
    assert today_after.status != SessionStatus.CANCELLED
    later = OutreachSession.objects.filter(series=series, starts_at__gt=today.ends_at)
    assert later.exists()
    assert set(later.values_list("status", flat=True)) == {SessionStatus.CANCELLED}


@time_machine.travel(NOW, tick=False)
def test_a_session_cancelled_alone_keeps_its_field_data(coordinator_client, logged):
    _series_, today = logged
    taps, encounters = ContactTap.objects.count(), Encounter.objects.count()
    coordinator_client.post(
        reverse("session_cancel", args=[today.pk]), {"reason": "Pluie", "scope": "this"}
    )
    assert OutreachSession.objects.filter(pk=today.pk).exists()
    assert (ContactTap.objects.count(), Encounter.objects.count()) == (taps, encounters)


@time_machine.travel(NOW, tick=False)
def test_later_sessions_with_field_data_are_kept_too(coordinator_client, org):
    """A later occurrence with a conversation (logged late, say) is not replaced."""
    series, _count = _series(org)
    pivot = OutreachSession.objects.get(series=series, starts_at__date=date(2026, 3, 12))
    later = _today(series)
    encounter = _with_conversation(later)
    response = coordinator_client.post(
        reverse("session_edit", args=[pivot.pk]),
        _edit_data(pivot, start_time="14:00", end_time="17:00", scope="following"),
    )
    assert response.status_code == 302
    assert Encounter.objects.filter(pk=encounter.pk, session=later).exists()
    assert OutreachSession.objects.get(pk=later.pk).starts_at.astimezone(PARIS).hour == 9


@time_machine.travel(NOW, tick=False)
def test_the_last_session_of_a_series_with_field_data_says_so(coordinator_client, org):
    series, _count = _series(org, last_date=date(2026, 3, 17))
    today = _today(series)
    _with_taps(org, today)
    response = coordinator_client.post(
        reverse("session_edit", args=[today.pk]),
        _edit_data(today, start_time="14:00", end_time="17:00", scope="following"),
    )
    assert response.status_code == 422
    assert "rien à changer après elle" in response.content.decode()
    assert ContactTap.objects.filter(session=today).count() == 2
