"""Deterministic, idempotent demo data that looks like the field.

Three organisations from DOMAIN.md: an espace de vie sociale in Prades (Conflent), a
centre social in the Mosson neighbourhood of Montpellier, and a mobile-office service in
rural Picardy. Every row is found by a natural key and updated in place, so running the
seed twice gives the same data and never touches what users created themselves.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from demo.data import (
    AHEAD_DAYS,
    DEMO_PASSWORD,
    MONTHLY,
    ORGANISATIONS,
    PARTNERS,
    PAST_DAYS,
    PLACES,
    SERIES,
    TERRITORIES,
    USERS,
    YEARLY,
)
from demo.encounters import seed_encounters
from organisations.models import Membership, Organisation
from outreach import services
from outreach.models import (
    Atmosphere,
    OutreachSession,
    SeriesMember,
    SessionSeries,
    SessionStatus,
)
from reports.rollups import rollup_rebuild
from territories.models import Partner, PartnerTerritory, Place, Territory

User = get_user_model()


def _seed_users(orgs: dict[str, Organisation]) -> None:
    for demo in USERS:
        user, _ = User.objects.update_or_create(
            username=demo.email,
            defaults={
                "email": demo.email,
                "first_name": demo.first_name,
                "last_name": demo.last_name,
            },
        )
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        for slug, role in demo.roles.items():
            Membership.objects.update_or_create(
                organisation=orgs[slug], user=user, defaults={"role": role, "is_active": True}
            )


def _seed_directory(org: Organisation) -> None:
    territories: dict[str, Territory] = {}
    for name, kind, parent, insee, qpv, description in TERRITORIES[org.slug]:
        territory = Territory.objects.filter(organisation=org, name=name).first() or Territory(
            organisation=org, name=name
        )
        territory.kind, territory.insee_code, territory.is_qpv = kind, insee, qpv
        territory.parent = territories.get(parent) if parent else None
        territory.description = description
        territory.save()
        territories[name] = territory
    for name, kind, terr, lat, lon, days, start, end, notes in PLACES[org.slug]:
        Place.objects.update_or_create(
            organisation=org,
            name=name,
            defaults={
                "kind": kind,
                "territory": territories[terr],
                "latitude": lat,
                "longitude": lon,
                "best_days": days,
                "best_from": start,
                "best_until": end,
                "notes": notes,
            },
        )
    for name, kind, served, address, hours, phone, email in PARTNERS[org.slug]:
        partner = Partner.objects.filter(organisation=org, name=name).first() or Partner(
            organisation=org, name=name
        )
        partner.kind, partner.address, partner.opening_hours = kind, address, hours
        partner.phone, partner.email = phone, email
        partner.save()
        for terr in served:
            PartnerTerritory.objects.get_or_create(
                organisation=org, partner=partner, territory=territories[terr]
            )


def _nth_weekday(year: int, month: int, n: int, weekday: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _months(first: date, last: date):
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _single(org, kind, place, territory, day, start, end, lead, team, objectives="") -> int:
    """One seeded session outside any series, found again by (organisation, kind, start)."""
    starts_at = services.local_datetime(day, start)
    session = OutreachSession.objects.filter(
        organisation=org, series__isnull=True, kind=kind, starts_at=starts_at
    ).first()
    if session is None:
        session = services.session_create(
            organisation=org,
            kind=kind,
            territory=territory,
            place=place,
            starts_at=starts_at,
            ends_at=services.local_datetime(day, end),
            lead=lead,
            members=team,
            objectives=objectives,
        )
    return session.pk


def _seed_sessions(org: Organisation, today: date) -> None:
    """12 months of past sessions and one month ahead, in the rhythms of the field."""
    first, last = today - timedelta(days=PAST_DAYS), today + timedelta(days=AHEAD_DAYS)
    territories = {t.name: t for t in Territory.objects.filter(organisation=org)}
    places = {p.name: p for p in Place.objects.filter(organisation=org)}
    users = {u.email: u for u in User.objects.filter(memberships__organisation=org)}
    seeded: list[int] = []
    existing = list(SessionSeries.objects.filter(organisation=org))
    for kind, place, terr, days, start, end, lead, team, objectives in SERIES[org.slug]:
        members = [users[e] for e in [lead, *team]]
        series = next(
            (
                s
                for s in existing
                if (s.kind, s.place_id, s.weekdays, s.start_time)
                == (kind, places[place].pk, days, start)
            ),
            None,
        )
        if series is None:
            series, _count = services.series_create(
                organisation=org,
                kind=kind,
                territory=territories[terr],
                place=places[place],
                weekdays=days,
                start_time=start,
                end_time=end,
                first_date=first,
                last_date=last,
                lead=users[lead],
                members=members,
                objectives=objectives,
            )
        else:
            # Run again later: extend the series to the new window, keep what exists.
            series.first_date = min(series.first_date, first)
            series.last_date = max(series.last_date, last)
            series.save(update_fields=["first_date", "last_date"])
            for user in members:
                SeriesMember.objects.get_or_create(organisation=org, series=series, user=user)
            services._generate(series, members)
        seeded.extend(OutreachSession.objects.filter(series=series).values_list("pk", flat=True))
    for kind, place, terr, (n, weekday), start, end, lead, team in MONTHLY[org.slug]:
        for year, month in _months(first, last):
            day = _nth_weekday(year, month, n, weekday)
            if first <= day <= last:
                seeded.append(
                    _single(
                        org,
                        kind,
                        places.get(place),
                        territories[terr],
                        day,
                        start,
                        end,
                        users[lead],
                        [users[e] for e in team],
                    )
                )
    for kind, place, terr, (month, n, weekday), start, end, lead, team, obj in YEARLY[org.slug]:
        for year in (first.year, last.year):
            day = _nth_weekday(year, month, n, weekday)
            if first <= day <= last:
                seeded.append(
                    _single(
                        org,
                        kind,
                        places[place],
                        territories[terr],
                        day,
                        start,
                        end,
                        users[lead],
                        [users[e] for e in team],
                        obj,
                    )
                )
    _debrief_past(org, seeded)


def _debrief_past(org: Organisation, ids: list[int]) -> None:
    """Past seeded sessions are done, with counts from a random generator seeded by the
    session's own start: the same figures on every run."""
    now = timezone.now()
    atmospheres = [Atmosphere.GOOD, Atmosphere.GOOD, Atmosphere.CALM, Atmosphere.MIXED]
    past = list(
        OutreachSession.objects.filter(
            pk__in=ids, ends_at__lt=now, status=SessionStatus.PLANNED, debriefed_at__isnull=True
        )
    )
    for session in past:
        rng = random.Random(f"{org.slug}-{session.starts_at.isoformat()}")
        session.status = SessionStatus.DONE
        session.brief_contacts = rng.randint(4, 30)
        session.refusals = rng.randint(0, 6)
        session.atmosphere = rng.choice(atmospheres)
        session.debriefed_at = session.ends_at
        session.debriefed_by_id = session.lead_id
    OutreachSession.objects.bulk_update(
        past,
        ["status", "brief_contacts", "refusals", "atmosphere", "debriefed_at", "debriefed_by"],
        batch_size=500,
    )


@transaction.atomic
def seed(today: date | None = None) -> dict[str, Organisation]:
    orgs = {}
    for data in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(slug=data["slug"], defaults=data)
        orgs[org.slug] = org
    _seed_users(orgs)
    today = today or timezone.localdate()
    for org in orgs.values():
        _seed_directory(org)
        _seed_sessions(org, today)
        seed_encounters(org)
        # Bulk writes, not the services: the dashboard's daily rollups are rebuilt at once.
        rollup_rebuild(organisation_id=org.pk)
    return orgs
