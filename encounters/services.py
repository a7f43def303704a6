"""Writes of field mode: contact taps, encounters with their signals and referrals,
corrections kept in an audit trail. Every write is atomic and idempotent on the
phone's client UUID: a double tap, a retry or a replay never makes a second row."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.time import local_day
from encounters.models import (
    ContactTap,
    Encounter,
    EncounterChange,
    EncounterTopic,
    NonTakeUpSignal,
    Referral,
    TapKind,
)
from organisations.models import PLANNERS, Membership, Organisation
from outreach.models import DEBRIEF_OPEN_DAYS, OutreachSession, SessionStatus
from reports import counters

# A volunteer corrects their own encounter within this delay; coordinators any time.
CORRECTION_DELAY = timedelta(hours=24)
# Logging opens this long before a session starts (setting up the stand)...
EARLY_MARGIN = timedelta(minutes=30)
# ...and an entry made up to this long after it ended is not late ("right after").
LATE_AFTER = timedelta(hours=1)

# The running total on the session that each kind of tap moves.
_TOTALS = {TapKind.CONTACT: "brief_contacts", TapKind.REFUSAL: "refusals"}

# Return-card codes: no 0/O, 1/I/L, easy to read aloud and type on a phone.
CARD_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CARD_CODE_LENGTH = 6


def return_card_code_new() -> str:
    return "".join(secrets.choice(CARD_ALPHABET) for _ in range(CARD_CODE_LENGTH))


# --- When a session takes entries ------------------------------------------------


class EntryRefused(Exception):
    """A tap or a conversation the server refuses for good, with the reason to show.

    ``code``: "conflict" (this client UUID is saved with another content), "cancelled",
    "not_started" or "closed" (past the correction delay)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def entry_check(
    *, session: OutreachSession, membership: Membership, when: datetime | None = None
) -> bool:
    """May ``membership`` log an entry made at ``when`` (the phone's time) in ``session``?

    Raises EntryRefused, or returns whether the entry is late: made after the session
    ended (plus an hour). Late entries follow the debrief's rules: a volunteer up to
    DEBRIEF_OPEN_DAYS after the end, coordinators and managers any time."""
    now = timezone.now()
    when = min(when or now, now)
    if session.status == SessionStatus.CANCELLED:
        raise EntryRefused(
            "cancelled", _("This session has been cancelled: nothing can be logged in it.")
        )
    if session.starts_at - EARLY_MARGIN > now:
        raise EntryRefused(
            "not_started",
            _(
                "This session has not started yet: log in it once it starts, or start "
                "a session now from “Today”."
            ),
        )
    late = when > session.ends_at + LATE_AFTER
    if (
        late
        and membership.role not in PLANNERS
        and now > session.ends_at + timedelta(days=DEBRIEF_OPEN_DAYS)
    ):
        raise EntryRefused(
            "closed",
            _(
                "This session ended more than %(days)d days ago: ask a coordinator to add "
                "what is missing."
            )
            % {"days": DEBRIEF_OPEN_DAYS},
        )
    return late


def _conflict() -> EntryRefused:
    return EntryRefused(
        "conflict",
        _("This item was already saved with a different content: the first version is kept."),
    )


# --- Contact and refusal taps ------------------------------------------------


def _refresh_counts(organisation: Organisation, session: OutreachSession) -> None:
    """Keep the rollups exact after a tap. The figures count the brief contacts and
    refusals of sessions held (done) only, and taps mostly come while a session is under
    way: then no figure moves, and the 20 queries of a day's refresh are skipped. Marking
    the session done refreshes its day (outreach.services)."""
    # Read the status under a row lock: a debrief marking the session done at the same
    # moment then waits for this tap, and its own refresh of the day includes it.
    status = (
        OutreachSession.objects.select_for_update()
        .filter(pk=session.pk)
        .values_list("status", flat=True)
        .first()
    )
    if status == SessionStatus.DONE:
        counters.recount_days(organisation_id=organisation.pk, days=[local_day(session.starts_at)])


def _same_tap(tap: ContactTap, session: OutreachSession, kind: str) -> ContactTap:
    if tap.session_id != session.pk or tap.kind != kind:
        raise _conflict()
    return tap


def contact_tap(
    *,
    organisation: Organisation,
    session: OutreachSession,
    author: AbstractBaseUser,
    kind: str,
    client_uuid: uuid.UUID,
    membership: Membership | None = None,
    tapped_at: datetime | None = None,
) -> tuple[ContactTap, bool]:
    """Count one brief contact or refusal.

    The same UUID again returns the first tap, even once the session is closed (a replay
    gets the same answer); the same UUID for another session or kind raises
    EntryRefused("conflict"). With ``membership``, the session's rules for entries
    apply (entry_check) and a late tap is marked so."""
    existing = ContactTap.objects.filter(organisation=organisation, client_uuid=client_uuid).first()
    if existing is not None:
        return _same_tap(existing, session, kind), False
    late = (
        entry_check(session=session, membership=membership, when=tapped_at) if membership else False
    )
    try:
        with transaction.atomic():
            tap = ContactTap.objects.create(
                organisation=organisation,
                session=session,
                kind=kind,
                author=author,
                client_uuid=client_uuid,
                is_late=late,
            )
            total = _TOTALS[TapKind(kind)]
            OutreachSession.objects.filter(pk=session.pk).update(**{total: F(total) + 1})
            _refresh_counts(organisation, session)
    except IntegrityError:
        # Two copies of the same tap raced: the other one won.
        existing = ContactTap.objects.filter(
            organisation=organisation, client_uuid=client_uuid
        ).first()
        if existing is None:
            raise
        return _same_tap(existing, session, kind), False
    return tap, True


def contact_tap_undo(
    *,
    organisation: Organisation,
    session: OutreachSession,
    author: AbstractBaseUser,
    client_uuid: uuid.UUID | None = None,
) -> ContactTap | None:
    """Take back a member's tap: the one with ``client_uuid`` (idempotent: undoing it
    twice does nothing the second time) or, without it, their last one. A UUID that is
    a tap of another session or member raises EntryRefused("conflict")."""
    with transaction.atomic():
        taps = ContactTap.objects.select_for_update().filter(
            organisation=organisation, session=session, author=author
        )
        if client_uuid is not None:
            taps = taps.filter(client_uuid=client_uuid)
        tap = taps.order_by("-created_at", "-pk").first()
        if tap is None:
            if (
                client_uuid is not None
                and ContactTap.objects.filter(
                    organisation=organisation, client_uuid=client_uuid
                ).exists()
            ):
                # This UUID is another member's tap, or one of another session.
                raise EntryRefused(
                    "conflict",
                    _(
                        "This tap was counted in another session or by another member: "
                        "it has not been taken back."
                    ),
                )
            return None
        tap.delete()
        total = _TOTALS[TapKind(tap.kind)]
        # The debrief may have set a smaller total by hand: never go below zero.
        OutreachSession.objects.filter(pk=session.pk, **{f"{total}__gt": 0}).update(
            **{total: F(total) - 1}
        )
        _refresh_counts(organisation, session)
    return tap


# --- Encounters --------------------------------------------------------------


@dataclass
class EncounterData:
    """What the conversation form gives, already validated."""

    fields: dict[str, Any]
    topics: list[str]
    signals: list[dict[str, Any]] = field(default_factory=list)
    referrals: list[dict[str, Any]] = field(default_factory=list)


def encounter_for_client_uuid(
    *, organisation: Organisation, client_uuid: uuid.UUID
) -> Encounter | None:
    return Encounter.objects.filter(organisation=organisation, client_uuid=client_uuid).first()


def _content(
    fields: dict[str, Any],
    topics: Any,
    signals: Any,
    referrals: Any,
) -> tuple:
    """A note's content, comparable: its answers, topics, signals and referrals (without
    a referral's outcome, which is followed up after the note)."""
    return (
        tuple(sorted((name, str(value or "").strip()) for name, value in fields.items())),
        frozenset(topics),
        frozenset(signals),
        frozenset(referrals),
    )


def encounter_replay_check(
    *,
    encounter: Encounter,
    session: OutreachSession,
    author: AbstractBaseUser,
    data: EncounterData | None,
) -> None:
    """Raise EntryRefused("conflict") unless ``data`` (the posted form, validated; None
    when it is not a valid note) is the note already saved as ``encounter``: same
    session, same author, same answers, topics, signals and referrals.

    The phone sends a note again unchanged (a retry, a replay, a double tap): anything
    else under the same UUID (another content, a part missing, a forged post) keeps the
    first note and is refused."""
    if data is None or encounter.session_id != session.pk or encounter.author_id != author.pk:
        raise _conflict()
    saved = _content(
        {name: getattr(encounter, name) for name in data.fields},
        encounter.topics.values_list("topic", flat=True),
        encounter.signals.values_list("right_id", "reason"),
        encounter.referrals.values_list("partner_id", "partner_kind", "right_id", "topic"),
    )
    posted = _content(
        data.fields,
        data.topics,
        ((s["right"].pk, s["reason"]) for s in data.signals),
        (
            (
                r["partner"].pk if r.get("partner") else None,
                r["partner"].kind if r.get("partner") else r.get("partner_kind") or "",
                r["right"].pk if r.get("right") else None,
                r.get("topic") or "",
            )
            for r in data.referrals
        ),
    )
    if posted != saved:
        raise _conflict()


def _add_children(
    encounter: Encounter, data: EncounterData
) -> tuple[list[NonTakeUpSignal], list[Referral]]:
    """Save the topics, signals and referrals of an encounter; return the last two."""
    org_id = encounter.organisation_id
    EncounterTopic.objects.bulk_create(
        EncounterTopic(organisation_id=org_id, encounter=encounter, topic=t)
        for t in dict.fromkeys(data.topics)
    )
    signals = NonTakeUpSignal.objects.bulk_create(
        NonTakeUpSignal(organisation_id=org_id, encounter=encounter, **s) for s in data.signals
    )
    referrals = Referral.objects.bulk_create(
        Referral(organisation_id=org_id, encounter=encounter, **_referral_fields(r))
        for r in data.referrals
    )
    return signals, referrals


def _referral_fields(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    if data.get("partner") is not None:
        data["partner_kind"] = data["partner"].kind
    return data


def encounter_time(*, sent_at: datetime | None, session: OutreachSession) -> datetime:
    """When a conversation happened: the phone's time when the note was sent (it may have
    waited offline) if it is plausible, from 12 hours before the session to now; else
    now."""
    now = timezone.now()
    if sent_at and session.starts_at - timedelta(hours=12) <= sent_at <= now + timedelta(minutes=5):
        return sent_at
    return now


def encounter_create(
    *,
    organisation: Organisation,
    session: OutreachSession,
    author: AbstractBaseUser,
    client_uuid: uuid.UUID,
    data: EncounterData,
    occurred_at: datetime | None = None,
    is_late: bool = False,
) -> tuple[Encounter, bool]:
    """Save a conversation with its topics, signals and referrals, all or nothing.

    Returns ``(encounter, created)``: a UUID already saved returns that encounter. The
    unique constraint on the UUID finds it (no lookup first: a new encounter is the
    common case, and the view looks before validating the form anyway)."""
    encounter = Encounter(
        organisation=organisation,
        session=session,
        author=author,
        client_uuid=client_uuid,
        occurred_at=occurred_at or timezone.now(),
        is_late=is_late,
        **data.fields,
    )
    # The organisation, session and author come from the request, already checked: not
    # validating them again saves three existence queries on every logged conversation.
    encounter.full_clean(exclude=["organisation", "session", "author"], validate_constraints=False)
    try:
        with transaction.atomic():
            encounter.save()
            signals, referrals = _add_children(encounter, data)
            counters.count_new_encounter(
                encounter, session=session, topics=data.topics, signals=signals, referrals=referrals
            )
    except IntegrityError:
        existing = encounter_for_client_uuid(organisation=organisation, client_uuid=client_uuid)
        if existing is None:
            raise
        return existing, False
    return encounter, True


def encounter_editable_by(encounter: Encounter, membership: Membership) -> bool:
    """Coordinators and managers correct any encounter; a volunteer their own, for 24 h."""
    if membership.organisation_id != encounter.organisation_id:
        return False
    if membership.role in PLANNERS:
        return True
    return (
        encounter.author_id == membership.user_id
        and encounter.created_at >= timezone.now() - CORRECTION_DELAY
    )


def _snapshot(encounter: Encounter) -> dict[str, str]:
    """Every correctable value of an encounter, as the text kept in the audit trail."""
    values = {
        name: str(getattr(encounter, name) or "")
        for name in (
            "kind",
            "age_band",
            "gender",
            "first_time",
            "duration_band",
            "language",
            "note",
            "return_card_code",
        )
    }
    values["topics"] = ", ".join(sorted(encounter.topics.values_list("topic", flat=True)))
    values["signals"] = "; ".join(
        sorted(f"{s.right.code}: {s.reason}" for s in encounter.signals.select_related("right"))
    )
    values["referrals"] = "; ".join(
        sorted(
            f"{r.partner_id or r.partner_kind}/{r.right_id or ''}/{r.topic}: {r.outcome}"
            for r in encounter.referrals.all()
        )
    )
    return values


@transaction.atomic
def encounter_update(
    *, encounter: Encounter, membership: Membership, data: EncounterData
) -> list[EncounterChange]:
    """Correct an encounter and keep one audit row per changed field.

    Signals and referrals are replaced; a referral whose partner, right and topic stay
    the same keeps its outcome and who updated it."""
    if not encounter_editable_by(encounter, membership):
        raise PermissionDenied
    encounter = Encounter.objects.select_for_update().get(pk=encounter.pk)
    before = _snapshot(encounter)
    day_before = local_day(encounter.occurred_at)
    for name, value in data.fields.items():
        setattr(encounter, name, value)
    encounter.full_clean(validate_constraints=False)
    encounter.save()
    kept = {
        (r.partner_id, r.partner_kind, r.right_id, r.topic): r for r in encounter.referrals.all()
    }
    encounter.topics.all().delete()
    encounter.signals.all().delete()
    new_referrals = []
    for r in data.referrals:
        values = _referral_fields(r)
        partner, right = values.get("partner"), values.get("right")
        key = (
            partner.pk if partner else None,
            values["partner_kind"],
            right.pk if right else None,
            values.get("topic", ""),
        )
        old = kept.pop(key, None)
        if old is not None and old.outcome == values.get("outcome", old.outcome):
            continue
        if old is not None:
            old.delete()
        new_referrals.append(values)
    for old in kept.values():
        old.delete()
    _add_children(encounter, EncounterData(fields={}, topics=data.topics, signals=data.signals))
    Referral.objects.bulk_create(
        Referral(organisation_id=encounter.organisation_id, encounter=encounter, **values)
        for values in new_referrals
    )
    after = _snapshot(encounter)
    changes = [
        EncounterChange(
            organisation_id=encounter.organisation_id,
            encounter=encounter,
            member=membership.user,
            field=name,
            old=before[name],
            new=after[name],
        )
        for name in before
        if before[name] != after[name]
    ]
    counters.recount_days(
        organisation_id=encounter.organisation_id,
        days={day_before, local_day(encounter.occurred_at)},
    )
    return EncounterChange.objects.bulk_create(changes)


@transaction.atomic
def referral_set_outcome(*, referral: Referral, outcome: str, by: Membership) -> Referral:
    """Record what the person said when they came back; kept in the audit trail."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    old = referral.outcome
    if old == outcome:
        return referral
    referral.outcome = outcome
    referral.outcome_updated_at = timezone.now()
    referral.outcome_updated_by = by.user
    referral.full_clean(validate_constraints=False)
    referral.save(update_fields=["outcome", "outcome_updated_at", "outcome_updated_by"])
    EncounterChange.objects.create(
        organisation_id=referral.organisation_id,
        encounter_id=referral.encounter_id,
        member=by.user,
        field=f"referral {referral.pk} outcome",
        old=old,
        new=outcome,
    )
    counters.recount_days(
        organisation_id=referral.organisation_id,
        days=[local_day(referral.encounter.occurred_at)],
    )
    return referral
