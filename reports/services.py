"""Writes on reports: the narrative, and validation that freezes the figures."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from organisations import journal
from organisations.models import JournalAction, Organisation
from outreach.models import OutreachSession
from reports.models import Report
from reports.report import report_period, report_tables, serialize


def first_activity(organisation: Organisation) -> date:
    """The day of the organisation's first session, or the day it was created."""
    first = OutreachSession.objects.filter(organisation=organisation).aggregate(
        first=Min("starts_at")
    )["first"]
    created = timezone.localdate(organisation.created_at)
    return min(timezone.localdate(first), created) if first else created


def check_report_period(*, organisation: Organisation, kind: str, start: date) -> None:
    """A report exists from the month (or year) of the organisation's first activity to
    the current one; anything else is refused with a message, never saved as a row."""
    today = timezone.localdate()
    first = first_activity(organisation)
    if kind == Report.Kind.MONTH:
        earliest, latest = first.replace(day=1), today.replace(day=1)
    else:
        earliest, latest = date(first.year, 1, 1), date(today.year, 1, 1)
    if not earliest <= start <= latest:
        raise ValidationError(
            _("Reports exist from %(first)s, the organisation's first activity, to %(now)s.")
            % {
                "first": date_format(earliest, "F Y" if kind == Report.Kind.MONTH else "Y"),
                "now": date_format(latest, "F Y" if kind == Report.Kind.MONTH else "Y"),
            }
        )


def check_period_ended(*, kind: str, start: date):
    """The period, when it has ended; else a ValidationError (a running month's figures
    are not final, and a future one has none)."""
    period = report_period(kind, start)
    if period.end > timezone.localdate():
        raise ValidationError(
            _("Only an ended period can be validated: %(period)s ends on %(end)s.")
            % {"period": period.label, "end": date_format(period.last_day, "j F Y")}
        )
    return period


def report_get_or_create(*, organisation: Organisation, kind: str, start) -> Report:
    """The report of that period, created empty the first time it is written to; raises
    ValidationError for a period outside the organisation's activity."""
    check_report_period(organisation=organisation, kind=kind, start=start)
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
    """Freeze today's figures as the ones sent; validating again refreshes them. Only a
    period that has ended can be validated: a running month's figures are not final."""
    period = check_period_ended(kind=report.kind, start=report.start)
    tables = report_tables((report.organisation_id,), period)
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
