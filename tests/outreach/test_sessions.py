"""Planning outreach sessions: recurrence across clock changes, constraints, editing a
series, cancelling, the agenda, "Today" and debriefs."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.time import PARIS
from organisations.models import Role
from outreach import services
from outreach.models import OutreachSession, SessionSeries, SessionStatus
from tests.organisations.factories import MembershipFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import PlaceFactory, TerritoryFactory

pytestmark = pytest.mark.django_db
UTC = UTC


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def _series(org, **overrides):
    territory = overrides.pop("territory", None) or TerritoryFactory(organisation=org)
    values = {
        "organisation": org,
        "kind": "permanence",
        "territory": territory,
        "place": None,
        "weekdays": [1, 3],
        "start_time": time(9),
        "end_time": time(12),
        "first_date": date(2026, 3, 1),
        "last_date": date(2026, 4, 30),
        "lead": None,
        "members": [],
    }
    values.update(overrides)
    return services.series_create(**values)


# --- Recurrence ------------------------------------------------------------


def test_occurrences_keep_local_time_across_the_march_clock_change():
    occurrences = services.series_occurrences(
        weekdays=[1, 3],  # Tuesday, Thursday
        start_time=time(9),
        end_time=time(12),
        first_date=date(2026, 3, 24),
        last_date=date(2026, 4, 2),
    )
    days = [start.date() for start, _end in occurrences]
    assert days == [date(2026, 3, 24), date(2026, 3, 26), date(2026, 3, 31), date(2026, 4, 2)]
    for start, end in occurrences:
        assert (start.astimezone(PARIS).hour, end.astimezone(PARIS).hour) == (9, 12)
    # Clocks go forward on Sunday 29 March 2026: 9:00 is 08:00 UTC before, 07:00 after.
    assert occurrences[1][0].astimezone(UTC).hour == 8
    assert occurrences[2][0].astimezone(UTC).hour == 7


def test_occurrences_keep_local_time_across_the_october_clock_change():
    occurrences = services.series_occurrences(
        weekdays=[6],  # Sunday market
        start_time=time(9),
        end_time=time(13),
        first_date=date(2026, 10, 18),
        last_date=date(2026, 11, 1),
    )
    utc_hours = [start.astimezone(UTC).hour for start, _end in occurrences]
    # Clocks go back on Sunday 25 October 2026, the day of the second market.
    assert utc_hours == [7, 8, 8]
    assert all(s.astimezone(PARIS).time() == time(9) for s, _e in occurrences)
    assert all((e - s) == timedelta(hours=4) for s, e in occurrences)


def test_series_saved_across_clock_changes_reads_back_at_nine(org):
    series, count = _series(
        org, first_date=date(2026, 3, 1), last_date=date(2026, 11, 30), weekdays=[1]
    )
    assert count == 39  # every Tuesday from 3 March to 24 November 2026
    starts = OutreachSession.objects.filter(series=series).values_list("starts_at", flat=True)
    assert {s.astimezone(PARIS).time() for s in starts} == {time(9)}
    assert {s.astimezone(UTC).hour for s in starts} == {7, 8}


def test_series_crossing_the_year_end(org):
    series, count = _series(
        org, weekdays=[0, 4], first_date=date(2026, 12, 21), last_date=date(2027, 1, 8)
    )
    days = [
        s.astimezone(PARIS).date()
        for s in OutreachSession.objects.filter(series=series).values_list("starts_at", flat=True)
    ]
    assert days == [
        date(2026, 12, 21),
        date(2026, 12, 25),
        date(2026, 12, 28),
        date(2027, 1, 1),
        date(2027, 1, 4),
        date(2027, 1, 8),
    ]
    assert count == 6


def test_team_and_lead_are_copied_on_every_occurrence(org):
    lead = MembershipFactory(organisation=org, role=Role.COORDINATOR).user
    volunteer = MembershipFactory(organisation=org).user
    series, _count = _series(org, lead=lead, members=[volunteer])
    for session in OutreachSession.objects.filter(series=series):
        assert set(session.members.all()) == {lead, volunteer}
        assert session.lead == lead


# --- Constraints -----------------------------------------------------------


def test_database_refuses_a_session_ending_before_it_starts(org):
    territory = TerritoryFactory(organisation=org)
    with pytest.raises(IntegrityError), transaction.atomic():
        OutreachSession.objects.create(
            organisation=org,
            territory=territory,
            kind="stand",
            starts_at=paris(2026, 5, 5, 12),
            ends_at=paris(2026, 5, 5, 9),
        )


def test_database_refuses_a_cancellation_without_reason(org):
    session = OutreachSessionFactory(territory=TerritoryFactory(organisation=org))
    with pytest.raises(IntegrityError), transaction.atomic():
        OutreachSession.objects.filter(pk=session.pk).update(status=SessionStatus.CANCELLED)


def test_database_refuses_two_occurrences_of_a_series_at_the_same_time(org):
    series, _count = _series(org, first_date=date(2026, 5, 5), last_date=date(2026, 5, 5))
    session = OutreachSession.objects.get(series=series)
    with pytest.raises(IntegrityError), transaction.atomic():
        OutreachSession.objects.create(
            organisation=org,
            series=series,
            territory=session.territory,
            kind="stand",
            starts_at=session.starts_at,
            ends_at=session.ends_at,
        )


# --- Planning through the views -------------------------------------------


def test_coordinator_plans_a_session(coordinator_client, org):
    territory = TerritoryFactory(organisation=org, name="Prades")
    place = PlaceFactory(territory=territory, name="Marché du mardi")
    volunteer = MembershipFactory(organisation=org).user
    response = coordinator_client.post(
        reverse("session_create"),
        {
            "kind": "stand",
            "territory": territory.pk,
            "place": place.pk,
            "day": "2026-10-27",
            "start_time": "08:30",
            "end_time": "12:30",
            "lead": coordinator_client.membership.user.pk,
            "members": [volunteer.pk],
            "objectives": "Tenir le stand au marché",
        },
    )
    session = OutreachSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("session_detail", args=[session.pk])
    assert session.starts_at == paris(2026, 10, 27, 8, 30)
    assert set(session.members.all()) == {volunteer, coordinator_client.membership.user}
    assert session.assignments.filter(organisation=org).count() == 2


def test_invalid_session_comes_back_422_with_input(coordinator_client, org):
    territory = TerritoryFactory(organisation=org)
    response = coordinator_client.post(
        reverse("session_create"),
        {
            "kind": "stand",
            "territory": territory.pk,
            "day": "2026-10-27",
            "start_time": "12:00",
            "end_time": "09:00",
            "objectives": "Rencontrer les familles",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "L’heure de fin doit être postérieure" in page or "fin doit" in page
    assert "Rencontrer les familles</textarea>" in page
    assert not OutreachSession.objects.exists()


def test_objectives_are_screened_for_identifying_data(coordinator_client, org):
    territory = TerritoryFactory(organisation=org)
    response = coordinator_client.post(
        reverse("session_create"),
        {
            "kind": "stand",
            "territory": territory.pk,
            "day": "2026-10-27",
            "start_time": "09:00",
            "end_time": "12:00",
            "objectives": "Rappeler Mme Dupont au 06 12 34 56 78",
        },
    )
    assert response.status_code == 422
    assert "06 12 34 56 78" in response.content.decode()
    assert not OutreachSession.objects.exists()


def test_another_organisations_territory_cannot_be_chosen(coordinator_client, other_org):
    theirs = TerritoryFactory(organisation=other_org)
    response = coordinator_client.post(
        reverse("session_create"),
        {
            "kind": "stand",
            "territory": theirs.pk,
            "day": "2026-10-27",
            "start_time": "09:00",
            "end_time": "12:00",
        },
    )
    assert response.status_code == 422
    assert not OutreachSession.objects.exists()


def test_another_organisations_member_cannot_be_put_in_a_team(coordinator_client, org, other_org):
    territory = TerritoryFactory(organisation=org)
    stranger = MembershipFactory(organisation=other_org).user
    response = coordinator_client.post(
        reverse("session_create"),
        {
            "kind": "stand",
            "territory": territory.pk,
            "day": "2026-10-27",
            "start_time": "09:00",
            "end_time": "12:00",
            "members": [stranger.pk],
        },
    )
    assert response.status_code == 422
    assert not OutreachSession.objects.exists()


def test_coordinator_plans_a_series(coordinator_client, org):
    territory = TerritoryFactory(organisation=org)
    response = coordinator_client.post(
        reverse("series_create"),
        {
            "kind": "permanence",
            "territory": territory.pk,
            "weekdays": ["1", "3"],
            "start_time": "09:00",
            "end_time": "12:00",
            "first_date": "2026-03-23",
            "last_date": "2026-04-05",
        },
    )
    assert response.status_code == 302
    assert OutreachSession.objects.filter(organisation=org).count() == 4


def test_series_without_day_or_too_long_is_refused(coordinator_client, org):
    territory = TerritoryFactory(organisation=org)
    data = {
        "kind": "permanence",
        "territory": territory.pk,
        "start_time": "09:00",
        "end_time": "12:00",
        "first_date": "2026-01-01",
        "last_date": "2031-01-01",
    }
    response = coordinator_client.post(reverse("series_create"), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "deux ans au plus" in page
    assert 'value="2031-01-01"' in page
    assert not SessionSeries.objects.exists()


# --- Editing and cancelling occurrences ------------------------------------


def _edit_data(session, **overrides) -> dict:
    start = session.starts_at.astimezone(PARIS)
    data = {
        "kind": session.kind,
        "territory": session.territory_id,
        "day": start.date().isoformat(),
        "start_time": "09:00",
        "end_time": "12:00",
        "status": "planned",
        "scope": "this",
    }
    data.update(overrides)
    return data


def test_edit_one_occurrence_leaves_the_others(coordinator_client, org):
    series, _count = _series(org)
    sessions = list(OutreachSession.objects.filter(series=series))
    target = sessions[3]
    response = coordinator_client.post(
        reverse("session_edit", args=[target.pk]),
        _edit_data(target, start_time="10:00", end_time="13:00"),
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.starts_at.astimezone(PARIS).hour == 10
    assert target.is_detached
    others = OutreachSession.objects.filter(series=series).exclude(pk=target.pk)
    assert {s.starts_at.astimezone(PARIS).hour for s in others} == {9}


def test_edit_this_and_following_across_the_clock_change(coordinator_client, org):
    # Tuesdays and Thursdays, 9:00-12:00, March and April 2026 (clocks change 29 March).
    series, count = _series(org)
    sessions = list(OutreachSession.objects.filter(series=series).order_by("starts_at"))
    # Thursday 19 March: moved on its own, and 2 April cancelled on its own (bank
    # holiday): both keep their own values.
    moved = next(s for s in sessions if s.starts_at.date() == date(2026, 3, 19))
    services.session_update(
        session=moved,
        kind="permanence",
        territory=moved.territory,
        place=None,
        starts_at=paris(2026, 3, 19, 14),
        ends_at=paris(2026, 3, 19, 16),
        lead=None,
        members=[],
    )
    holiday = next(s for s in sessions if s.starts_at.date() == date(2026, 4, 2))
    services.session_cancel(session=holiday, reason="Pont de Pâques")
    pivot = next(s for s in sessions if s.starts_at.date() == date(2026, 3, 17))
    response = coordinator_client.post(
        reverse("session_edit", args=[pivot.pk]),
        _edit_data(pivot, start_time="13:30", end_time="16:30", scope="following"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    series.refresh_from_db()
    assert series.last_date == date(2026, 3, 16)
    before = OutreachSession.objects.filter(series=series)
    assert before.count() == 4  # 3, 5, 10 and 12 March
    assert {s.starts_at.astimezone(PARIS).time() for s in before} == {time(9)}

    new = SessionSeries.objects.exclude(pk=series.pk).get()
    assert (new.first_date, new.last_date) == (date(2026, 3, 17), date(2026, 4, 30))
    after = OutreachSession.objects.filter(series=new).order_by("starts_at")
    assert after.count() == count - 4
    regenerated = [s for s in after if not s.is_detached]
    assert {s.starts_at.astimezone(PARIS).time() for s in regenerated} == {time(13, 30)}
    assert {s.ends_at.astimezone(PARIS).time() for s in regenerated} == {time(16, 30)}
    # Before and after the clock change: same wall-clock time, different UTC hour.
    assert {s.starts_at.astimezone(UTC).hour for s in regenerated} == {11, 12}
    moved.refresh_from_db()
    holiday.refresh_from_db()
    assert moved.starts_at == paris(2026, 3, 19, 14) and moved.series == new
    assert holiday.status == SessionStatus.CANCELLED and holiday.series == new


def test_following_cannot_move_the_day(coordinator_client, org):
    series, _count = _series(org)
    target = OutreachSession.objects.filter(series=series).first()
    response = coordinator_client.post(
        reverse("session_edit", args=[target.pk]),
        _edit_data(target, day="2026-03-04", scope="following"),
    )
    assert response.status_code == 422
    assert SessionSeries.objects.count() == 1


def test_cancel_this_and_following(coordinator_client, org):
    series, count = _series(org)
    sessions = list(OutreachSession.objects.filter(series=series).order_by("starts_at"))
    pivot = sessions[4]
    response = coordinator_client.post(
        reverse("session_cancel", args=[pivot.pk]),
        {"reason": "Salle en travaux", "scope": "following"},
    )
    assert response.status_code == 302
    statuses = list(
        OutreachSession.objects.filter(series=series)
        .order_by("starts_at")
        .values_list("status", flat=True)
    )
    assert statuses == ["planned"] * 4 + ["cancelled"] * (count - 4)
    assert OutreachSession.objects.filter(cancel_reason="Salle en travaux").count() == count - 4


def test_cancel_needs_a_reason(coordinator_client, org):
    session = OutreachSessionFactory(territory=TerritoryFactory(organisation=org))
    response = coordinator_client.post(reverse("session_cancel", args=[session.pk]), {})
    assert response.status_code == 422
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED


# --- Debrief and its lock --------------------------------------------------


@time_machine.travel(datetime(2026, 3, 27, 10, tzinfo=PARIS), tick=False)
def test_volunteer_debriefs_within_seven_days_then_it_locks(member_client, org):
    territory = TerritoryFactory(organisation=org)
    volunteer = member_client(Role.VOLUNTEER)
    team = [volunteer.membership.user]  # the session's team debriefs (issue 11)
    recent = OutreachSessionFactory(
        territory=territory,
        starts_at=paris(2026, 3, 20, 9),
        ends_at=paris(2026, 3, 20, 12),
        members=team,
    )
    old = OutreachSessionFactory(
        territory=territory,
        starts_at=paris(2026, 3, 19, 9),
        ends_at=paris(2026, 3, 19, 12),
        members=team,
    )
    data = {"brief_contacts": "14", "refusals": "3", "atmosphere": "good", "comments": "Calme"}
    assert volunteer.post(reverse("session_debrief", args=[recent.pk]), data).status_code == 302
    recent.refresh_from_db()
    assert (recent.brief_contacts, recent.refusals, recent.status) == (14, 3, "done")
    assert recent.debriefed_by == volunteer.membership.user
    # Ended 8 days ago: locked for volunteers...
    assert volunteer.get(reverse("session_debrief", args=[old.pk])).status_code == 403
    assert volunteer.post(reverse("session_debrief", args=[old.pk]), data).status_code == 403
    page = volunteer.get(reverse("session_detail", args=[old.pk])).content.decode()
    assert "Ce bilan est verrouillé" in page
    # ...still open to coordinators.
    coordinator = member_client(Role.COORDINATOR)
    assert coordinator.post(reverse("session_debrief", args=[old.pk]), data).status_code == 302


@time_machine.travel(datetime(2026, 3, 27, 10, tzinfo=PARIS), tick=False)
def test_debrief_refuses_identifying_comments_and_keeps_them(volunteer_client, org):
    session = OutreachSessionFactory(
        territory=TerritoryFactory(organisation=org),
        starts_at=paris(2026, 3, 26, 9),
        ends_at=paris(2026, 3, 26, 12),
        members=[volunteer_client.membership.user],
    )
    response = volunteer_client.post(
        reverse("session_debrief", args=[session.pk]),
        {"brief_contacts": "5", "refusals": "0", "comments": "Écrire à jean.dupont@example.org"},
    )
    assert response.status_code == 422
    assert "jean.dupont@example.org" in response.content.decode()
    session.refresh_from_db()
    assert session.debriefed_at is None


@time_machine.travel(datetime(2026, 3, 27, 10, tzinfo=PARIS), tick=False)
def test_no_debrief_before_the_session_starts(volunteer_client, org):
    session = OutreachSessionFactory(
        territory=TerritoryFactory(organisation=org),
        starts_at=paris(2026, 3, 28, 9),
        ends_at=paris(2026, 3, 28, 12),
        members=[volunteer_client.membership.user],
    )
    response = volunteer_client.post(
        reverse("session_debrief", args=[session.pk]), {"brief_contacts": "5", "refusals": "0"}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.debriefed_at is None


# --- Today and home ----------------------------------------------------------


@time_machine.travel(datetime(2026, 3, 31, 7, tzinfo=PARIS), tick=False)
def test_today_shows_my_sessions_with_place_team_and_map_link(volunteer_client, org):
    territory = TerritoryFactory(organisation=org, name="Prades")
    room = PlaceFactory(
        territory=territory,
        name="Salle prêtée par la mairie",
        latitude="42.618400",
        longitude="2.422700",
    )
    me = volunteer_client.membership.user
    partner = MembershipFactory(organisation=org, user__first_name="Marion").user
    OutreachSessionFactory(
        territory=territory,
        place=room,
        kind="permanence",
        starts_at=paris(2026, 3, 31, 9),
        ends_at=paris(2026, 3, 31, 12),
        lead=partner,
        members=[me, partner],
    )
    OutreachSessionFactory(
        territory=territory,
        kind="walkabout",
        starts_at=paris(2026, 4, 3, 14),
        ends_at=paris(2026, 4, 3, 17),
        members=[me],
    )
    OutreachSessionFactory(  # not mine
        territory=territory,
        kind="stand",
        starts_at=paris(2026, 3, 31, 14),
        ends_at=paris(2026, 3, 31, 16),
        members=[partner],
    )
    page = volunteer_client.get(reverse("today")).content.decode()
    assert "09:00–12:00" in page
    assert "Salle prêtée par la mairie" in page
    assert "Marion" in page
    assert 'href="geo:42.618400,2.422700' in page
    assert "openstreetmap.org/?mlat=42.618400&amp;mlon=2.422700" in page
    assert "vendredi 3 avril" in page  # next session
    assert "Stand / QG" not in page
    home = volunteer_client.get(reverse("home")).content.decode()
    assert "Mes actions du jour" in home and "Salle prêtée par la mairie" in home


@time_machine.travel(datetime(2026, 3, 31, 7, tzinfo=PARIS), tick=False)
def test_coordinator_home_lists_the_organisations_day(coordinator_client, org, other_org):
    OutreachSessionFactory(
        territory=TerritoryFactory(organisation=org, name="Prades"),
        starts_at=paris(2026, 3, 31, 9),
        ends_at=paris(2026, 3, 31, 12),
    )
    OutreachSessionFactory(
        territory=TerritoryFactory(organisation=other_org, name="Ailleurs"),
        starts_at=paris(2026, 3, 31, 9),
        ends_at=paris(2026, 3, 31, 12),
    )
    page = coordinator_client.get(reverse("home")).content.decode()
    assert "Aujourd’hui dans l’organisation" in page
    assert "Prades" in page and "Ailleurs" not in page
    assert "territoires" in page  # the directory tiles are still there


def test_the_cancel_scope_is_a_fieldset_with_labelled_radios(coordinator_client, org):
    series, _count = _series(org)
    session = OutreachSession.objects.filter(series=series).first()
    page = coordinator_client.get(reverse("session_cancel", args=[session.pk])).content.decode()
    assert 'for=""' not in page
    fieldset = page.split("<fieldset>")[1].split("</fieldset>")[0]
    assert "<legend>Annuler" in fieldset
    assert fieldset.count('type="radio"') == 2
    assert '<label for="id_scope_0">' in fieldset


def test_a_session_shows_its_series_rule_in_words_and_links_to_it(coordinator_client, org):
    series, count = _series(org, first_date=date(2026, 12, 1), last_date=date(2027, 1, 31))
    session = OutreachSession.objects.filter(series=series).first()
    page = coordinator_client.get(reverse("session_detail", args=[session.pk])).content.decode()
    rule = "Chaque semaine : mardi et jeudi, 09:00–12:00, du 1 décembre 2026 au 31 janvier 2027"
    assert rule in page
    assert f'href="/sessions/series/{series.pk}/"' in page
    series_page = coordinator_client.get(f"/sessions/series/{series.pk}/").content.decode()
    assert rule in series_page
    assert series_page.count('<li><a href="/sessions/') == count


def test_another_organisation_s_series_answers_404(member_client, org, other_org):
    series, _count = _series(other_org)
    assert member_client().get(f"/sessions/series/{series.pk}/").status_code == 404
