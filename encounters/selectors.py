"""Reads of field mode, always within one organisation, aggregated by the database."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from encounters.models import (
    CLOSED_OUTCOMES,
    ContactTap,
    Encounter,
    EncounterChange,
    EncounterTopic,
    NonTakeUpSignal,
    Referral,
    Right,
    TapKind,
)
from organisations.models import Organisation
from organisations.tenancy import OrgRequest, get_for_org
from outreach.models import OutreachSession
from territories.models import Partner

CHIP_PARTNERS = 6
CHIP_RIGHTS = 6
RECENT_DAYS = 60


def chip_partners(*, organisation: Organisation, session: OutreachSession) -> list[Partner]:
    """The partners offered as one-tap chips in the conversation form: those this session
    referred to, then the organisation's most used of the last weeks, then by name."""
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    used = {
        row["partner"]: (row["in_session"], row["recent"])
        for row in Referral.objects.filter(
            organisation=organisation,
            partner__isnull=False,
            encounter__occurred_at__gte=min(since, session.starts_at),
        )
        .values("partner")
        .annotate(
            in_session=Count("pk", filter=Q(encounter__session=session)),
            recent=Count("pk", filter=Q(encounter__occurred_at__gte=since)),
        )
    }
    partners = list(
        Partner.objects.filter(organisation=organisation, archived_at__isnull=True).order_by("name")
    )
    partners.sort(key=lambda p: tuple(-n for n in used.get(p.pk, (0, 0))))
    return partners[:CHIP_PARTNERS]


def chip_rights(*, organisation: Organisation) -> list[Right]:
    """The rights offered as chips: the organisation's most signalled lately, then the
    reference list's order."""
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    recent = dict(
        NonTakeUpSignal.objects.filter(organisation=organisation, encounter__occurred_at__gte=since)
        .values("right")
        .annotate(n=Count("pk"))
        .values_list("right", "n")
    )
    rights = list(Right.objects.filter(is_active=True))
    rights.sort(key=lambda r: -recent.get(r.pk, 0))  # stable: the list's order breaks ties
    return rights[:CHIP_RIGHTS]


def tap_counts(*, session: OutreachSession, author: AbstractBaseUser) -> dict:
    """The session's running totals and what this member tapped, in one query."""
    mine = ContactTap.objects.filter(
        organisation_id=session.organisation_id, session=session, author=author
    ).aggregate(
        contacts=Count("pk", filter=Q(kind=TapKind.CONTACT)),
        refusals=Count("pk", filter=Q(kind=TapKind.REFUSAL)),
    )
    totals = OutreachSession.objects.filter(pk=session.pk).values("brief_contacts", "refusals")[0]
    last = (
        ContactTap.objects.filter(
            organisation_id=session.organisation_id, session=session, author=author
        )
        .order_by("-created_at", "-pk")
        .values("kind", "client_uuid")
        .first()
    )
    return {
        "brief_contacts": totals["brief_contacts"],
        "refusals": totals["refusals"],
        "my_contacts": mine["contacts"],
        "my_refusals": mine["refusals"],
        "last_tap": last,
    }


def _with_children(qs):
    return qs.select_related("author", "session__place").prefetch_related(
        Prefetch("topics", queryset=EncounterTopic.objects.order_by("topic")),
        "signals__right",
        "referrals__partner",
        "referrals__right",
    )


def session_encounters(*, session: OutreachSession) -> list[Encounter]:
    """The encounters logged during a session, latest first."""
    qs = Encounter.objects.filter(organisation_id=session.organisation_id, session=session)
    return list(_with_children(qs).order_by("-occurred_at", "-pk"))


def encounter_for_member(request: OrgRequest, pk: int) -> Encounter:
    """The encounter ``pk`` of the request's organisation with its session, topics,
    signals and referrals, or 404: the one access helper of the encounter views, and a
    constant number of queries whatever the number of signals and referrals."""
    return get_for_org(
        _with_children(Encounter.objects.select_related("session__territory")), request, pk=pk
    )


def encounter_form_rows(encounter: Encounter) -> tuple[list[dict], list[dict]]:
    """The saved signals and referrals of ``encounter`` as the initial rows of the
    correction form's two formsets."""
    signals = [{"right": s.right, "reason": s.reason} for s in encounter.signals.all()]
    referrals = [
        {
            "partner": r.partner,
            "partner_kind": r.partner_kind if r.partner_id is None else "",
            "right": r.right,
            "topic": r.topic,
            "outcome": r.outcome,
        }
        for r in encounter.referrals.all()
    ]
    return signals, referrals


def encounter_detail(*, encounter: Encounter) -> dict:
    return {
        "changes": list(
            EncounterChange.objects.filter(
                organisation_id=encounter.organisation_id, encounter=encounter
            ).select_related("member")
        ),
        "same_card": return_card_count(
            organisation_id=encounter.organisation_id, code=encounter.return_card_code
        ),
    }


def return_card_count(*, organisation_id: int, code: str | None) -> int:
    """How many encounters carry this return-card code (the only link between them)."""
    if not code:
        return 0
    return Encounter.objects.filter(organisation_id=organisation_id, return_card_code=code).count()


def referrals_to_follow(
    *, organisation: Organisation, include_closed: bool = False, limit: int = 200
) -> list[Referral]:
    """Referrals whose outcome is still open, latest encounter first, with what the
    team needs to recognise the encounter: date, place, note. Nothing else."""
    qs = Referral.objects.filter(organisation=organisation)
    if not include_closed:
        qs = qs.exclude(outcome__in=CLOSED_OUTCOMES)
    qs = qs.select_related(
        "partner", "right", "encounter__session__place", "encounter__session__territory"
    ).order_by("-encounter__occurred_at", "-pk")
    return list(qs[:limit])
