"""Reads on outreach sessions: agenda, conflicts, Today, planning members, feeds."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.time import day_bounds, local_day
from organisations.models import Membership, Organisation
from organisations.tenancy import OrgRequest, get_for_org
from outreach.models import (
    CalendarFeed,
    OutreachSession,
    SessionAssignment,
    SessionSeries,
    SessionStatus,
)
from territories.models import Territory, Weekday

User = get_user_model()

NEXT_SESSIONS = 5


@dataclass
class Conflicts:
    """Who and what is booked twice: session id -> ids of the members in another
    session at the same time, and the ids of sessions whose place is taken twice."""

    members: dict[int, set[int]] = field(default_factory=dict)
    places: set[int] = field(default_factory=set)
    # Each clash once: (earlier id, later id) -> the members in both; and the pairs of
    # sessions at the same place at the same time.
    member_pairs: dict[tuple[int, int], set[int]] = field(default_factory=dict)
    place_pairs: list[tuple[int, int]] = field(default_factory=list)


def _overlaps(intervals: list[tuple]) -> list[tuple[int, int]]:
    """Pairs of ids among (id, start, end) intervals that overlap; a sweep over the
    intervals sorted by start, so n log n rather than n²."""
    pairs, active = [], []
    for pk, start, end in sorted(intervals, key=lambda i: i[1]):
        active = [(other, other_end) for other, other_end in active if other_end > start]
        pairs.extend((other, pk) for other, _end in active)
        active.append((pk, end))
    return pairs


def agenda_conflicts(*, organisation: Organisation, start: datetime, end: datetime) -> Conflicts:
    """Conflicts among the live sessions around [start, end): two narrow queries on
    the (organisation, …) indexes, then a sweep per member and per place. (Correlated
    EXISTS subqueries did the same in SQL but took seconds at 2,000 sessions a month.)"""
    # A day of margin catches a session that began before the period and overlaps it.
    window = {
        "organisation": organisation,
        "starts_at__lt": end + timedelta(days=1),
        "ends_at__gt": start - timedelta(days=1),
    }
    live = OutreachSession.objects.filter(**window).exclude(status=SessionStatus.CANCELLED)
    conflicts = Conflicts()
    by_place: dict[int, list] = {}
    for pk, place_id, starts_at, ends_at in live.filter(place__isnull=False).values_list(
        "pk", "place_id", "starts_at", "ends_at"
    ):
        by_place.setdefault(place_id, []).append((pk, starts_at, ends_at))
    for intervals in by_place.values():
        for a, b in _overlaps(intervals):
            conflicts.places.update((a, b))
            conflicts.place_pairs.append((a, b))
    by_user: dict[int, list] = {}
    for user_id, session_id, starts_at, ends_at in SessionAssignment.objects.filter(
        organisation=organisation, session__in=live
    ).values_list("user_id", "session_id", "session__starts_at", "session__ends_at"):
        by_user.setdefault(user_id, []).append((session_id, starts_at, ends_at))
    for user_id, intervals in by_user.items():
        for a, b in _overlaps(intervals):
            conflicts.members.setdefault(a, set()).add(user_id)
            conflicts.members.setdefault(b, set()).add(user_id)
            conflicts.member_pairs.setdefault((a, b), set()).add(user_id)
    return conflicts


def _for_display(qs: QuerySet[OutreachSession]) -> QuerySet[OutreachSession]:
    return qs.select_related("territory", "place", "lead").prefetch_related(
        Prefetch("members", queryset=User.objects.order_by("first_name", "email"))
    )


def agenda_sessions(
    *,
    organisation: Organisation,
    start: datetime,
    end: datetime,
    territory: Territory | None = None,
    kind: str = "",
    member=None,
) -> list[OutreachSession]:
    """The sessions starting in [start, end) with their team (two queries whatever
    their number)."""
    qs = OutreachSession.objects.filter(
        organisation=organisation, starts_at__gte=start, starts_at__lt=end
    )
    if territory is not None:
        qs = qs.filter(territory=territory)
    if kind:
        qs = qs.filter(kind=kind)
    if member is not None:
        qs = qs.filter(
            pk__in=SessionAssignment.objects.filter(organisation=organisation, user=member).values(
                "session_id"
            )
        )
    return list(_for_display(qs).order_by("starts_at", "pk"))


def session_detail(*, organisation: Organisation, pk: int) -> OutreachSession:
    qs = _for_display(
        OutreachSession.objects.filter(organisation=organisation).select_related(
            "debriefed_by", "series"
        )
    )
    return get_object_or_404(qs, pk=pk)


def my_sessions_today(*, organisation: Organisation, user, now: datetime | None = None) -> dict:
    """A member's sessions of the day (cancelled ones too, so they know) and the next
    live ones after today; three queries."""
    start, end = day_bounds(local_day(now or timezone.now()))
    mine = OutreachSession.objects.filter(
        organisation=organisation,
        pk__in=SessionAssignment.objects.filter(organisation=organisation, user=user).values(
            "session_id"
        ),
    )
    today = list(
        _for_display(mine.filter(starts_at__gte=start, starts_at__lt=end)).order_by("starts_at")
    )
    upcoming = list(
        _for_display(
            mine.filter(starts_at__gte=end).exclude(status=SessionStatus.CANCELLED)
        ).order_by("starts_at")[:NEXT_SESSIONS]
    )
    return {"today": today, "upcoming": upcoming}


def sessions_today(*, organisation: Organisation, now: datetime | None = None) -> list:
    """Every session of the organisation today, for coordinators' home page."""
    start, end = day_bounds(local_day(now or timezone.now()))
    return agenda_sessions(organisation=organisation, start=start, end=end)


def planning_members(*, organisation: Organisation) -> QuerySet:
    """Users who can be put in a team: active members of the organisation."""
    return User.objects.filter(
        memberships__organisation=organisation, memberships__is_active=True
    ).order_by("first_name", "email")


def feed_sessions(*, feed: CalendarFeed, now: datetime | None = None) -> list[OutreachSession]:
    """What a calendar feed shows: three months back, a year ahead."""
    now = now or timezone.now()
    qs = OutreachSession.objects.filter(
        organisation_id=feed.organisation_id,
        starts_at__gte=now - timedelta(days=92),
        starts_at__lt=now + timedelta(days=366),
    )
    if feed.member is not None:
        qs = qs.filter(
            pk__in=SessionAssignment.objects.filter(
                organisation_id=feed.organisation_id, user_id=feed.member.user_id
            ).values("session_id")
        )
    return list(_for_display(qs).order_by("starts_at"))


def live_feeds(*, organisation: Organisation, member: Membership) -> dict:
    """The member's live feed and the organisation's, if any (one query)."""
    feeds = CalendarFeed.objects.filter(
        Q(member=member) | Q(member__isnull=True),
        organisation=organisation,
        revoked_at__isnull=True,
    )
    found = {"member": None, "organisation": None}
    for feed in feeds:
        found["member" if feed.member_id else "organisation"] = feed
    return found


def get_session_for_member(request: OrgRequest, pk: int) -> OutreachSession:
    """The session ``pk`` of the request's organisation, or 404: the one access helper
    of the views that work on a session (planning and field mode alike)."""
    return get_for_org(
        OutreachSession.objects.select_related("place", "territory", "series"), request, pk=pk
    )


@dataclass
class ConflictLine:
    """One clash, listed once: the two sessions and who is in both (empty for a place)."""

    first: OutreachSession
    second: OutreachSession
    names: list[str]

    @property
    def starts_at(self) -> datetime:
        return max(self.first.starts_at, self.second.starts_at)


def conflict_lines(
    *, organisation: Organisation, conflicts: Conflicts, shown: list[OutreachSession]
) -> tuple[list[ConflictLine], list[ConflictLine]]:
    """The member and place clashes that touch a shown session, each pair once, in time
    order. The other session of a pair may be outside the filters: fetched in one query."""
    shown_ids = {s.pk for s in shown}
    pairs = [p for p in conflicts.member_pairs if shown_ids & set(p)]
    place_pairs = [p for p in conflicts.place_pairs if shown_ids & set(p)]
    wanted = {pk for pair in (*pairs, *place_pairs) for pk in pair}
    by_id = {s.pk: s for s in shown}
    missing = wanted - by_id.keys()
    if missing:
        by_id.update(
            (s.pk, s)
            for s in OutreachSession.objects.filter(
                organisation=organisation, pk__in=missing
            ).select_related("place")
        )
    # Each member of a clash is in both sessions, so in the shown one's prefetched members.
    names = {m.pk: m.first_name or m.email for s in shown for m in s.members.all()}

    def line(pair: tuple[int, int], users: set[int]) -> ConflictLine:
        first, second = sorted((by_id[pair[0]], by_id[pair[1]]), key=lambda s: s.starts_at)
        return ConflictLine(first, second, sorted(names[u] for u in users))

    members = sorted((line(p, conflicts.member_pairs[p]) for p in pairs), key=lambda c: c.starts_at)
    places = sorted((line(p, set()) for p in place_pairs), key=lambda c: c.starts_at)
    return members, places


def series_rule(series: SessionSeries) -> str:
    """The rule of a series in words: "Every week: Tuesday and Thursday, 09:00–12:00,
    from 3 March to 30 June 2026" (day names and months from the active language)."""
    days = [str(Weekday(d).label) for d in sorted(series.weekdays)]
    joined = (
        days[0]
        if len(days) == 1
        else _("%(first)s and %(last)s")
        % {
            "first": ", ".join(days[:-1]),
            "last": days[-1],
        }
    )
    same_year = series.first_date.year == series.last_date.year
    return _("Every week: %(days)s, %(start)s–%(end)s, from %(first)s to %(last)s") % {
        "days": joined,
        "start": series.start_time.strftime("%H:%M"),
        "end": series.end_time.strftime("%H:%M"),
        "first": date_format(series.first_date, "j F" if same_year else "j F Y"),
        "last": date_format(series.last_date, "j F Y"),
    }


def series_sessions(*, series: SessionSeries) -> list[OutreachSession]:
    return list(
        OutreachSession.objects.filter(organisation_id=series.organisation_id, series=series)
        .select_related("place")
        .order_by("starts_at")
    )


@dataclass
class PlanningClash:
    """A session already planned that the proposed one would clash with."""

    session: OutreachSession
    names: list[str]  # members in both; empty when only the place is taken
    same_place: bool


def planning_clashes(
    *,
    organisation: Organisation,
    starts_at: datetime,
    ends_at: datetime,
    place_id: int | None,
    member_ids: set[int],
    exclude_pk: int | None = None,
) -> list[PlanningClash]:
    """What a session planned at [starts_at, ends_at) would clash with, each session
    once: the same place, or members already in another session then."""
    overlapping = (
        OutreachSession.objects.filter(
            organisation=organisation, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .exclude(status=SessionStatus.CANCELLED)
        .exclude(pk=exclude_pk)
        .select_related("place")
        .prefetch_related(Prefetch("members", queryset=User.objects.order_by("first_name")))
        .order_by("starts_at")
    )
    clashes = []
    for session in overlapping:
        names = [m.first_name or m.email for m in session.members.all() if m.pk in member_ids]
        same_place = place_id is not None and session.place_id == place_id
        if names or same_place:
            clashes.append(PlanningClash(session, names, same_place))
    return clashes


def series_clashes(
    *,
    organisation: Organisation,
    occurrences: list[tuple[datetime, datetime]],
    place_id: int | None,
    member_ids: set[int],
) -> list[PlanningClash]:
    """What the occurrences of a series being planned would clash with: each session
    already planned once, in order (the same place, or members already in it then).

    One query over the series' whole span, narrowed to the place and the members; which
    session overlaps an occurrence is then found by bisection (occurrences are sorted
    and do not overlap one another)."""
    if not occurrences or (place_id is None and not member_ids):
        return []
    first, last = occurrences[0][0], occurrences[-1][1]
    related = Q(members__in=member_ids) if member_ids else Q(pk__in=[])
    if place_id is not None:
        related |= Q(place_id=place_id)
    candidates = (
        OutreachSession.objects.filter(
            related, organisation=organisation, starts_at__lt=last, ends_at__gt=first
        )
        .exclude(status=SessionStatus.CANCELLED)
        .distinct()
        .select_related("place")
        .prefetch_related(Prefetch("members", queryset=User.objects.order_by("first_name")))
        .order_by("starts_at")
    )
    starts = [start for start, _end in occurrences]
    clashes = []
    for session in candidates:
        i = bisect_left(starts, session.ends_at)  # occurrences starting before its end
        if i == 0 or occurrences[i - 1][1] <= session.starts_at:
            continue
        names = [m.first_name or m.email for m in session.members.all() if m.pk in member_ids]
        same_place = place_id is not None and session.place_id == place_id
        if names or same_place:
            clashes.append(PlanningClash(session, names, same_place))
    return clashes
