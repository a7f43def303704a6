"""Writes on outreach sessions: planning, recurring series, cancelling, debriefs, calendar
feeds. Each write that moves a figure calls ``reports.counters`` in its transaction."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.time import PARIS, local_datetime
from core.tokens import hash_token
from organisations.models import PLANNERS, Membership, Organisation
from outreach.models import (
    DEBRIEF_OPEN_DAYS,
    CalendarFeed,
    DebriefCorrection,
    OutreachSession,
    SeriesMember,
    SessionAssignment,
    SessionSeries,
    SessionStatus,
)
from reports import counters

# A series may not run for more than this: a typo in a year must not make 10,000 rows.
SERIES_MAX_DAYS = 2 * 366


def series_occurrences(
    *, weekdays: list[int], start_time: time, end_time: time, first_date: date, last_date: date
) -> list[tuple[datetime, datetime]]:
    """Start and end of every occurrence, in order, built day by day in local time."""
    wanted = set(weekdays)
    occurrences = []
    day = first_date
    while day <= last_date:
        if day.weekday() in wanted:
            occurrences.append((local_datetime(day, start_time), local_datetime(day, end_time)))
        day += timedelta(days=1)
    return occurrences


def _team(lead, members) -> list:
    """The team always includes the lead, so conflicts and "my sessions" see them."""
    team = list(dict.fromkeys(members))
    if lead is not None and lead not in team:
        team.append(lead)
    return team


def _set_team(session: OutreachSession, team: list) -> None:
    session.members.set(team, through_defaults={"organisation_id": session.organisation_id})


@transaction.atomic
def session_create(
    *,
    organisation: Organisation,
    kind: str,
    territory,
    place,
    starts_at: datetime,
    ends_at: datetime,
    lead,
    members,
    objectives: str = "",
) -> OutreachSession:
    session = OutreachSession(
        organisation=organisation,
        kind=kind,
        territory=territory,
        place=place,
        starts_at=starts_at,
        ends_at=ends_at,
        lead=lead,
        objectives=objectives,
    )
    session.full_clean()
    session.save()
    _set_team(session, _team(lead, members))
    # A planned session with no encounter yet moves no figure: no rollup to refresh
    # (a refresh recomputes its day and its month).
    return session


# An action started on the spot lasts this long unless said otherwise.
START_NOW_HOURS = 2


@transaction.atomic
def session_start_now(
    *, organisation: Organisation, kind: str, territory, place, member, hours: int = START_NOW_HOURS
) -> OutreachSession:
    """An action started on the spot by any member: in progress from now (to the minute),
    with the member as its lead and team. Coordinators see it in the agenda."""
    now = timezone.now().replace(second=0, microsecond=0)
    session = OutreachSession(
        organisation=organisation,
        kind=kind,
        territory=territory,
        place=place,
        starts_at=now,
        ends_at=now + timedelta(hours=hours),
        status=SessionStatus.IN_PROGRESS,
        lead=member,
    )
    session.full_clean()
    session.save()
    _set_team(session, [member])
    return session


@transaction.atomic
def session_update(
    *,
    session: OutreachSession,
    kind: str,
    territory,
    place,
    starts_at: datetime,
    ends_at: datetime,
    lead,
    members,
    objectives: str = "",
    status: str | None = None,
) -> OutreachSession:
    """Change one session; an occurrence of a series becomes detached from it."""
    # From the database: a form may already have changed the instance.
    day_before = timezone.localtime(
        OutreachSession.objects.values_list("starts_at", flat=True).get(pk=session.pk), PARIS
    ).date()
    session.kind, session.territory, session.place = kind, territory, place
    session.starts_at, session.ends_at = starts_at, ends_at
    session.lead, session.objectives = lead, objectives
    if status is not None and status != SessionStatus.CANCELLED:
        session.status = status
    if session.series_id is not None:
        session.is_detached = True
    session.full_clean()
    session.save()
    _set_team(session, _team(lead, members))
    counters.recount_session(session=session, also=[day_before])
    return session


def _generate(series: SessionSeries, team: list, *, status: str = SessionStatus.PLANNED) -> int:
    """Create the missing occurrences of ``series`` (two queries whatever their number)."""
    # One occurrence per day: a day that already has one (moved or cancelled on its
    # own, or kept after a split) is not filled again.
    existing = {
        timezone.localtime(start, PARIS).date()
        for start in OutreachSession.objects.filter(series=series).values_list(
            "starts_at", flat=True
        )
    }
    sessions = [
        OutreachSession(
            organisation_id=series.organisation_id,
            series=series,
            kind=series.kind,
            territory_id=series.territory_id,
            place_id=series.place_id,
            starts_at=start,
            ends_at=end,
            status=status,
            lead_id=series.lead_id,
            objectives=series.objectives,
        )
        for start, end in series_occurrences(
            weekdays=series.weekdays,
            start_time=series.start_time,
            end_time=series.end_time,
            first_date=series.first_date,
            last_date=series.last_date,
        )
        if start.date() not in existing
    ]
    # PostgreSQL and SQLite both return the new primary keys from bulk_create.
    created = OutreachSession.objects.bulk_create(sessions)
    SessionAssignment.objects.bulk_create(
        SessionAssignment(organisation_id=series.organisation_id, session=s, user=user)
        for s in created
        for user in team
    )
    return len(created)


def _validate_series(series: SessionSeries) -> None:
    series.full_clean()
    if not series.weekdays:
        raise ValidationError({"weekdays": _("Choose at least one day of the week.")})
    if (series.last_date - series.first_date).days > SERIES_MAX_DAYS:
        raise ValidationError(
            {"last_date": _("A series can last two years at most: plan the next one later.")}
        )


@transaction.atomic
def series_create(
    *,
    organisation: Organisation,
    kind: str,
    territory,
    place,
    weekdays: list[int],
    start_time: time,
    end_time: time,
    first_date: date,
    last_date: date,
    lead,
    members,
    objectives: str = "",
) -> tuple[SessionSeries, int]:
    """Create a series and its sessions; returns it with the number of sessions made."""
    series = SessionSeries(
        organisation=organisation,
        kind=kind,
        territory=territory,
        place=place,
        weekdays=sorted(set(weekdays)),
        start_time=start_time,
        end_time=end_time,
        first_date=first_date,
        last_date=last_date,
        lead=lead,
        objectives=objectives,
    )
    _validate_series(series)
    series.save()
    team = _team(lead, members)
    SeriesMember.objects.bulk_create(
        SeriesMember(organisation=organisation, series=series, user=user) for user in team
    )
    return series, _generate(series, team)


def _without_field_data(sessions):
    """The sessions where nothing was logged: no tap, no conversation, no debrief.
    (Reverse relations: the field data lives in encounters, a layer above.)"""
    return (
        sessions.filter(debriefed_at__isnull=True)
        .exclude(taps__isnull=False)
        .exclude(encounters__isnull=False)
    )


def session_has_field_data(session: OutreachSession) -> bool:
    """Taps, conversations or a debrief: what a change to the series must never destroy."""
    return not _without_field_data(OutreachSession.objects.filter(pk=session.pk)).exists()


def _replaceable(series: SessionSeries, since: datetime):
    """Occurrences from ``since`` on that a change to the series may rewrite: not
    edited on their own, not started, with nothing logged in them."""
    return _without_field_data(
        OutreachSession.objects.filter(
            series=series,
            starts_at__gte=since,
            is_detached=False,
            status__in=[SessionStatus.PLANNED, SessionStatus.CANCELLED],
        )
    )


@transaction.atomic
def series_update_following(
    *,
    session: OutreachSession,
    kind: str,
    territory,
    place,
    start_time: time,
    end_time: time,
    lead,
    members,
    objectives: str = "",
) -> SessionSeries:
    """Apply a change to ``session`` and every later occurrence of its series.

    The old series ends the day before; a new series starts on the session's day with
    the new settings and the same days of the week and last day. Occurrences edited on
    their own, or with field data (taps, conversations, a debrief), keep their own
    values; when ``session`` itself has field data it is kept as it is and the change
    applies from the next day. Returns the new series.
    """
    old = SessionSeries.objects.select_for_update().get(pk=session.series_id)
    day = timezone.localtime(session.starts_at, PARIS).date()
    keep = session_has_field_data(session)
    first = day + timedelta(days=1) if keep else day
    if first > old.last_date:
        raise ValidationError(
            _(
                "This session already has field data (taps, conversations or a debrief) "
                "and is the last of its series: there is nothing after it to change."
            )
        )
    new = SessionSeries(
        organisation_id=old.organisation_id,
        kind=kind,
        territory=territory,
        place=place,
        weekdays=old.weekdays,
        start_time=start_time,
        end_time=end_time,
        first_date=first,
        last_date=old.last_date,
        lead=lead,
        objectives=objectives,
    )
    _validate_series(new)
    since = local_datetime(first, time.min)
    _replaceable(old, since).delete()
    if not keep:
        # The edited session itself is replaced too, even if it had been detached.
        _without_field_data(OutreachSession.objects.filter(pk=session.pk)).delete()
        # It may have been marked done without a debrief: its day's figures change.
        counters.recount_session(session=session)
    new.save()
    team = _team(lead, members)
    SeriesMember.objects.bulk_create(
        SeriesMember(organisation_id=old.organisation_id, series=new, user=user) for user in team
    )
    # What stays on the old series after the split (detached sessions, sessions with
    # field data) moves to the new one, so that the series holds every later occurrence.
    OutreachSession.objects.filter(series=old, starts_at__gte=since).update(series=new)
    if first > old.first_date:
        old.last_date = first - timedelta(days=1)
        old.save(update_fields=["last_date"])
    else:
        # Nothing of the old series is left before this day: it has no more use.
        OutreachSession.objects.filter(series=old).update(series=new)
        old.delete()
    _generate(new, team)
    return new


@transaction.atomic
def session_cancel(*, session: OutreachSession, reason: str, following: bool = False) -> int:
    """Cancel ``session`` (and with ``following`` the later occurrences of its series).

    Cancelled sessions stay in the agenda, struck through, with the reason. Returns how
    many sessions were cancelled.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for cancelling.")})
    # Cancelled alone, a session keeps what was logged in it (the rain came after the
    # first conversation). From a series, sessions with field data are kept as they are.
    targets = OutreachSession.objects.filter(pk=session.pk)
    if following and session.series_id is not None:
        keep = session_has_field_data(session)
        # Sessions with field data are kept as they are, from this one on.
        targets = _without_field_data(
            OutreachSession.objects.filter(
                series_id=session.series_id, starts_at__gte=session.starts_at
            )
        )
        day = timezone.localtime(session.starts_at, PARIS).date()
        last = day if keep else day - timedelta(days=1)
        SessionSeries.objects.filter(pk=session.series_id, first_date__lte=last).update(
            last_date=last
        )
    changes = {"status": SessionStatus.CANCELLED, "cancel_reason": reason}
    if not following and session.series_id is not None:
        # Cancelled on its own (a bank holiday): a later change to the series keeps it.
        changes["is_detached"] = True
    count = targets.filter(
        status__in=[SessionStatus.PLANNED, SessionStatus.IN_PROGRESS],
    ).update(**changes, updated_at=timezone.now())
    # Only done sessions count, and only planned or started ones get cancelled: no figure
    # changes, so no rollup to refresh (encounters logged in a session that is then
    # cancelled keep counting, on their own days, as they did).
    return count


def on_team(session: OutreachSession, membership: Membership) -> bool:
    return session.lead_id == membership.user_id or (
        SessionAssignment.objects.filter(session=session, user_id=membership.user_id).exists()
    )


def debrief_locked_for(session: OutreachSession, membership: Membership) -> bool:
    """The session's team may write the debrief until 7 days after the end; coordinators
    and managers at any time. Other volunteers never."""
    if membership.role in PLANNERS:
        return False
    if not on_team(session, membership):
        return True
    return session.ends_at < timezone.now() - timedelta(days=DEBRIEF_OPEN_DAYS)


def recorded_taps(session: OutreachSession) -> dict[str, int]:
    """What field mode recorded in ``session``, by debrief count. (Through the reverse
    relation: the taps live in encounters, a layer above.)"""
    counts = dict(session.taps.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    return {"brief_contacts": counts.get("contact", 0), "refusals": counts.get("refusal", 0)}


def debrief_below_taps(
    session: OutreachSession, *, brief_contacts: int, refusals: int
) -> dict[str, tuple[int, int]]:
    """The debrief counts set below what was tapped: {field: (given, recorded)}."""
    recorded = recorded_taps(session)
    given = {"brief_contacts": brief_contacts, "refusals": refusals}
    return {f: (given[f], recorded[f]) for f in given if given[f] < recorded[f]}


def debrief_allowed(session: OutreachSession) -> bool:
    """A debrief is written once the session has started, unless it was cancelled."""
    return session.status != SessionStatus.CANCELLED and session.starts_at <= timezone.now()


@transaction.atomic
def session_debrief(
    *,
    session: OutreachSession,
    by: Membership,
    brief_contacts: int,
    refusals: int,
    atmosphere: str,
    next_time: str,
    comments: str,
) -> OutreachSession:
    if debrief_locked_for(session, by) or not debrief_allowed(session):
        raise PermissionDenied
    below = debrief_below_taps(session, brief_contacts=brief_contacts, refusals=refusals)
    if below and by.role not in PLANNERS:
        raise ValidationError(
            {
                field: _(
                    "Field mode recorded %(recorded)d: the debrief cannot count fewer (%(given)d)."
                    " Ask a coordinator if the taps were wrong."
                )
                % {"recorded": recorded, "given": given}
                for field, (given, recorded) in below.items()
            }
        )
    # From the database: a form may already have changed the instance.
    before = OutreachSession.objects.values("brief_contacts", "refusals").get(pk=session.pk)
    DebriefCorrection.objects.bulk_create(
        DebriefCorrection(
            organisation_id=session.organisation_id,
            session=session,
            member=by.user,
            field=field,
            recorded=recorded,
            old=before[field],
            new=given,
        )
        for field, (given, recorded) in below.items()
    )
    session.brief_contacts, session.refusals = brief_contacts, refusals
    session.atmosphere, session.next_time, session.comments = atmosphere, next_time, comments
    session.status = SessionStatus.DONE
    session.debriefed_at = timezone.now()
    session.debriefed_by = by.user
    session.full_clean()
    session.save()
    counters.recount_session(session=session)
    return session


def calendar_feed_renew(
    *, organisation: Organisation, member: Membership | None, by: Membership
) -> tuple[CalendarFeed, str]:
    """Revoke the current feed (of ``member``, or of the organisation when None) and
    make a new one by ``by``; returns it with the raw token, which is shown once."""
    with transaction.atomic():
        CalendarFeed.objects.filter(
            organisation=organisation, member=member, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        token = secrets.token_urlsafe(32)
        feed = CalendarFeed.objects.create(
            organisation=organisation, member=member, created_by=by, token_hash=hash_token(token)
        )
    return feed, token


def calendar_feed_revoke(*, organisation: Organisation, member: Membership | None) -> None:
    CalendarFeed.objects.filter(
        organisation=organisation, member=member, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed for ``token``; a member's feed dies with their membership, and
    does not come back if they are reactivated. The organisation's feed dies the same way
    with the planner who made it, and when that person stops being a planner."""
    feed = (
        CalendarFeed.objects.filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .select_related("organisation", "member", "created_by")
        .first()
    )
    if feed is None:
        return None
    if feed.member is not None and not _still_holds(feed, feed.member):
        return None
    maker = feed.created_by
    if feed.member is None and maker is not None and not _still_holds(feed, maker, PLANNERS):
        return None
    return feed


def _still_holds(feed: CalendarFeed, member: Membership, roles: frozenset = frozenset()) -> bool:
    """Whether ``member`` is, without a break since the feed was made, what it takes."""
    # Made before the member was deactivated and reactivated, or before their role last
    # changed (a planner demoted and promoted again): it stays dead.
    since = [t for t in (member.active_since, member.role_since if roles else None) if t]
    return (
        member.is_active
        and (not roles or member.role in roles)
        and all(feed.created_at >= t for t in since)
    )
