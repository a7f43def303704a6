"""Writes on reports: the narrative, and validation that freezes the figures."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from organisations import journal
from organisations.models import JournalAction, Organisation
from reports.models import Report
from reports.report import report_period, report_tables, serialize


def report_get_or_create(*, organisation: Organisation, kind: str, start) -> Report:
    """The report of that period, created empty the first time it is opened."""
    report, _created = Report.objects.get_or_create(
        organisation=organisation, kind=kind, start=start
    )
    return report


@transaction.atomic
def report_save_narrative(*, report: Report, data: dict, by: AbstractBaseUser) -> Report:
    for field in ("highlights", "difficulties", "partnerships"):
        setattr(report, field, data[field])
    report.updated_by = by
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def report_validate(*, report: Report, by: AbstractBaseUser) -> Report:
    """Freeze today's figures as the ones sent; validating again refreshes them."""
    tables = report_tables((report.organisation_id,), report_period(report.kind, report.start))
    report.snapshot = serialize(tables)
    report.snapshot_threshold = report.organisation.small_count_threshold
    report.validated_at = timezone.now()
    report.validated_by = by
    report.save(
        update_fields=[
            "snapshot",
            "snapshot_threshold",
            "validated_at",
            "validated_by",
            "updated_at",
        ]
    )
    journal.record(
        organisation=report.organisation_id,
        actor=by,
        action=JournalAction.REPORT_VALIDATED,
        target=report_period(report.kind, report.start).label,
    )
    return report
