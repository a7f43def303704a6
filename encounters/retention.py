"""Retention of free text: empty what volunteers wrote once it is older than needed.

The CNIL référentiel for social action (délibération 2021-028) asks to keep personal
data no longer than needed. Encounters are anonymous by design, but their free text is
the one place where something identifying could still slip through: each organisation
sets how long it is kept ("durée de conservation des notes", 24 months by default, 1 to
60), and this module empties, past that age:

- the note of each encounter, and the old and new values of its corrections;
- the debrief of each outreach session ("what to change next time", comments);
- the text of each territory observation.

Only text columns are touched, with a plain UPDATE: counts, rollups, signals and
referrals stay as they are, so every figure and every report is the same afterwards.
Rows already empty are left alone, so running it again changes nothing.
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.db.models import Q

from core.time import add_months, local_datetime
from encounters.models import Encounter, EncounterChange
from organisations.models import Organisation
from outreach.models import OutreachSession
from territories.models import Observation

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionResult:
    """What was (or, in a dry run, would be) emptied for one organisation."""

    organisation: Organisation
    cutoff: date
    encounter_notes: int
    encounter_changes: int
    debriefs: int
    observations: int

    @property
    def total(self) -> int:
        return self.encounter_notes + self.encounter_changes + self.debriefs + self.observations


def retention_cutoff(*, months: int, today: date) -> date:
    """The first day kept: ``today`` less ``months`` months (31 March - 1 month = 28/29 Feb)."""
    first = add_months(today, -months)
    last_day = calendar.monthrange(first.year, first.month)[1]
    return first.replace(day=min(today.day, last_day))


def _cutoff_at(cutoff: date) -> datetime:
    return local_datetime(cutoff, time.min)


def retention_apply(
    *, today: date, dry_run: bool = False, organisation: Organisation | None = None
) -> list[RetentionResult]:
    """Empty free text older than each organisation's retention; return what was done."""
    organisations = [organisation] if organisation else list(Organisation.objects.order_by("pk"))
    results = []
    for org in organisations:
        cutoff = retention_cutoff(months=org.note_retention_months, today=today)
        results.append(_apply_to(org, cutoff, dry_run=dry_run))
    return results


def _apply_to(org: Organisation, cutoff: date, *, dry_run: bool) -> RetentionResult:
    at = _cutoff_at(cutoff)
    encounters = Encounter.objects.filter(organisation=org, occurred_at__lt=at).exclude(note="")
    changes = EncounterChange.objects.filter(
        organisation=org, encounter__occurred_at__lt=at, field="note"
    ).exclude(old="", new="")
    debriefs = OutreachSession.objects.filter(organisation=org, starts_at__lt=at).filter(
        ~Q(next_time="") | ~Q(comments="")
    )
    observations = Observation.objects.filter(organisation=org, observed_on__lt=cutoff).exclude(
        text=""
    )
    if dry_run:
        result = RetentionResult(
            org, cutoff, encounters.count(), changes.count(), debriefs.count(), observations.count()
        )
    else:
        with transaction.atomic():
            result = RetentionResult(
                org,
                cutoff,
                encounters.update(note=""),
                changes.update(old="", new=""),
                debriefs.update(next_time="", comments=""),
                observations.update(text=""),
            )
    logger.info(
        "retention%s: %s (%s months, before %s): %d encounter notes, %d corrections, "
        "%d debriefs, %d observations",
        " (dry run)" if dry_run else "",
        org.slug,
        org.note_retention_months,
        cutoff.isoformat(),
        result.encounter_notes,
        result.encounter_changes,
        result.debriefs,
        result.observations,
    )
    return result
