"""Reads on organisations and their members."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from outreach.models import (
    CalendarFeed,
    Invitation,
    Membership,
    Organisation,
    OutreachSession,
    SessionAssignment,
    SessionStatus,
)
from territories.models import Partner, Place, Territory

User = get_user_model()


def member_list(*, organisation: Organisation) -> list[Membership]:
    return list(
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-is_active", "user__first_name", "user__email")
    )


def pending_invitations(*, organisation: Organisation) -> list[Invitation]:
    return list(
        Invitation.objects.filter(
            organisation=organisation,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).order_by("-created_at")
    )


def directory_counts(*, organisation: Organisation) -> dict[str, int]:
    """How many live territories, places and partners the organisation has."""
    live = Q(archived_at__isnull=True)
    counts = {}
    for key, model in (("territories", Territory), ("places", Place), ("partners", Partner)):
        counts[key] = model.objects.filter(live, organisation=organisation).aggregate(
            n=Count("pk")
        )["n"]
    return counts


# ---------------------------------------------------------------------------
# Outreach sessions
# ---------------------------------------------------------------------------

PARIS = ZoneInfo("Europe/Paris")
NEXT_SESSIONS = 5


def _live_overlapping(organisation_id: int) -> QuerySet[OutreachSession]:
    """Sessions of the organisation that overlap the outer session and are not it."""
    return (
        OutreachSession.objects.filter(
            organisation_id=organisation_id,
            starts_at__lt=OuterRef("ends_at"),
            ends_at__gt=OuterRef("starts_at"),
        )
        .exclude(pk=OuterRef("pk"))
        .exclude(status=SessionStatus.CANCELLED)
    )


def _with_conflicts(qs: QuerySet[OutreachSession], organisation: Organisation) -> QuerySet:
    """Flag, in SQL, sessions that share a place or a team member with another one at
    the same time (cancelled sessions clash with nothing)."""
    same_place = _live_overlapping(organisation.pk).filter(place_id=OuterRef("place_id"))
    team = SessionAssignment.objects.filter(session_id=OuterRef(OuterRef("pk"))).values("user_id")
    same_member = (
        SessionAssignment.objects.filter(
            organisation_id=organisation.pk,
            user_id__in=team,
            session__starts_at__lt=OuterRef("ends_at"),
            session__ends_at__gt=OuterRef("starts_at"),
        )
        .exclude(session_id=OuterRef("pk"))
        .exclude(session__status=SessionStatus.CANCELLED)
    )
    live = ~Q(status=SessionStatus.CANCELLED)
    return qs.annotate(
        place_conflict=Case(
            When(live & Q(place__isnull=False), then=Exists(same_place)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        member_conflict=Case(
            When(live, then=Exists(same_member)), default=Value(False), output_field=BooleanField()
        ),
    )


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
    """The sessions starting in [start, end), with conflict flags and their team
    (two queries whatever their number)."""
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
    return list(_for_display(_with_conflicts(qs, organisation)).order_by("starts_at", "pk"))


def member_conflicts(
    *, organisation: Organisation, start: datetime, end: datetime
) -> list[SessionAssignment]:
    """Assignments of a member to two live sessions at once, among sessions starting in
    [start, end); one query."""
    clash = (
        SessionAssignment.objects.filter(
            organisation_id=organisation.pk,
            user_id=OuterRef("user_id"),
            session__starts_at__lt=OuterRef("session__ends_at"),
            session__ends_at__gt=OuterRef("session__starts_at"),
        )
        .exclude(session_id=OuterRef("session_id"))
        .exclude(session__status=SessionStatus.CANCELLED)
    )
    return list(
        SessionAssignment.objects.filter(
            organisation=organisation,
            session__starts_at__gte=start,
            session__starts_at__lt=end,
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .filter(Exists(clash))
        .select_related("user", "session__place", "session__territory")
        .order_by("user__first_name", "user_id", "session__starts_at")
    )


def session_detail(*, organisation: Organisation, pk: int) -> OutreachSession:
    qs = _for_display(
        OutreachSession.objects.filter(organisation=organisation).select_related(
            "debriefed_by", "series"
        )
    )
    return get_object_or_404(qs, pk=pk)


def _local_day_bounds(now: datetime) -> tuple[datetime, datetime]:
    today = timezone.localtime(now, PARIS).date()
    start = datetime.combine(today, time.min, tzinfo=PARIS)
    return start, datetime.combine(today + timedelta(days=1), time.min, tzinfo=PARIS)


def my_sessions_today(*, organisation: Organisation, user, now: datetime | None = None) -> dict:
    """A member's sessions of the day (cancelled ones too, so they know) and the next
    live ones after today; three queries."""
    start, end = _local_day_bounds(now or timezone.now())
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
    start, end = _local_day_bounds(now or timezone.now())
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
