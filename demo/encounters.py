"""Demo encounters for the year of seeded sessions: what a team would have logged.

Deterministic (a random generator seeded by the session's natural key) and idempotent
(each encounter's client UUID is a uuid5 of that key, so a second run creates nothing).
Non-take-up signals follow the relative weights of the DREES figures in DOMAIN.md;
referrals go to the CCAS and the CAF more than to anyone else, as in the field.
"""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from demo.data import (
    AGE_WEIGHTS,
    NOTES,
    OUTCOME_WEIGHTS,
    PARTNER_WEIGHTS,
    PER_SESSION,
    REASON_WEIGHTS,
    RIGHT_WEIGHTS,
    TOPIC_WEIGHTS,
)
from encounters.models import (
    DurationBand,
    Encounter,
    EncounterKind,
    EncounterTopic,
    Gender,
    Language,
    NonTakeUpSignal,
    Referral,
    Right,
)
from organisations.models import Organisation
from outreach.models import OutreachSession, SessionKind, SessionStatus
from territories.models import Partner

NAMESPACE = uuid.UUID("6f1c1f7e-3f2a-4b7a-9d55-2b8f4c1e0a11")


# Estimated non-take-up rates (%) from DOMAIN.md, used as relative weights; rights
# with no figure there get a small weight.
def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@transaction.atomic
def seed_encounters(org: Organisation) -> int:
    """Encounters for every past, held session of ``org``; returns how many were added."""
    sessions = list(
        OutreachSession.objects.filter(
            organisation=org, ends_at__lt=timezone.now(), status=SessionStatus.DONE
        ).order_by("starts_at")
    )
    existing = set(Encounter.objects.filter(organisation=org).values_list("client_uuid", flat=True))
    rights = {r.code: r for r in Right.objects.filter(code__in=RIGHT_WEIGHTS)}
    partners: dict[str, Partner] = {}
    for partner in Partner.objects.live().filter(organisation=org).order_by("name"):
        partners.setdefault(partner.kind, partner)

    planned: list[tuple[Encounter, random.Random]] = []
    for session in sessions:
        key = f"{org.slug}/{session.kind}/{session.starts_at.isoformat()}"
        rng = random.Random(key)
        low, high = PER_SESSION.get(session.kind, (1, 5))
        minutes = max(int((session.ends_at - session.starts_at).total_seconds() // 60) - 5, 1)
        for i in range(rng.randint(low, high)):
            client_uuid = uuid.uuid5(NAMESPACE, f"{key}/{i}")
            encounter = Encounter(
                organisation=org,
                session=session,
                author_id=session.lead_id,
                client_uuid=client_uuid,
                occurred_at=session.starts_at + timedelta(minutes=rng.randrange(minutes)),
                kind=EncounterKind.ON_SITE_HELP
                if session.kind == SessionKind.MOBILE_OFFICE and rng.random() < 0.5
                else EncounterKind.CONVERSATION,
                age_band=_pick(rng, AGE_WEIGHTS),
                gender=rng.choices(
                    [Gender.NOT_STATED, Gender.WOMAN, Gender.MAN, Gender.OTHER], [30, 38, 30, 2]
                )[0],
                first_time=rng.random() < 0.7,
                duration_band=rng.choices(list(DurationBand), [15, 45, 28, 12])[0],
                language=rng.choices(
                    [Language.FRENCH, Language.ARABIC, Language.SPANISH, Language.OTHER],
                    [85, 8, 4, 3],
                )[0],
                note=rng.choice(NOTES),
            )
            if client_uuid not in existing:
                planned.append((encounter, rng))
    Encounter.objects.bulk_create([e for e, _ in planned], batch_size=500)

    topics, signals, referrals = [], [], []
    for encounter, rng in planned:
        chosen = {_pick(rng, TOPIC_WEIGHTS) for _ in range(rng.randint(1, 3))}
        topics += [EncounterTopic(organisation=org, encounter=encounter, topic=t) for t in chosen]
        signalled = set()
        if rng.random() < 0.35:
            for _ in range(rng.choice([1, 1, 1, 2])):
                code = _pick(rng, RIGHT_WEIGHTS)
                if code in signalled or code not in rights:
                    continue
                signalled.add(code)
                signals.append(
                    NonTakeUpSignal(
                        organisation=org,
                        encounter=encounter,
                        right=rights[code],
                        reason=_pick(rng, REASON_WEIGHTS),
                    )
                )
        if rng.random() < 0.3:
            kind = _pick(rng, PARTNER_WEIGHTS)
            partner = partners.get(kind) if rng.random() < 0.8 else None
            right = rights[sorted(signalled)[0]] if signalled else None
            referrals.append(
                Referral(
                    organisation=org,
                    encounter=encounter,
                    partner=partner,
                    partner_kind=kind,
                    right=right,
                    topic="" if right else sorted(chosen)[0],
                    outcome=_pick(rng, OUTCOME_WEIGHTS),
                )
            )
    EncounterTopic.objects.bulk_create(topics, batch_size=1000)
    NonTakeUpSignal.objects.bulk_create(signals, batch_size=1000)
    Referral.objects.bulk_create(referrals, batch_size=1000)
    return len(planned)
