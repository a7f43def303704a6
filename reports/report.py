"""What a monthly or annual report holds, and how it is frozen when validated."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from core.time import Period
from organisations.models import Organisation
from reports import selectors
from reports.models import Report
from reports.selectors import Scope
from reports.suppression import SuppressedTable, suppress, suppress_primary
from reports.tables import Row, Table

# Key figures that count activity, not people: never masked.
_ACTIVITY_ROWS = 2  # sessions held, hours in the field (first rows of the key figures)


def report_period(kind: str, start: date) -> Period:
    return Period.month(start) if kind == Report.Kind.MONTH else Period.year(start)


def report_tables(organisation_ids: tuple[int, ...], period: Period) -> list[Table]:
    """The figures of a report, live from the database."""
    scope = Scope(organisation_ids, period)
    if period.kind == "month":
        compare = [
            (_("Previous month"), scope.with_period(period.previous())),
            (_("Same month last year"), scope.with_period(period.same_last_year())),
        ]
    else:
        compare = [(_("Previous year"), scope.with_period(period.previous()))]
    return [
        selectors.key_figures_table(scope, compare),
        selectors.signals_by_right_and_reason(scope),
        selectors.referral_funnel(scope),
        selectors.referrals_by_partner(scope),
        selectors.topics(scope),
        selectors.by_territory(scope),
        selectors.conversations_by_place(scope),
    ]


def serialize(tables: list[Table]) -> list[dict]:
    return [
        {
            "title": t.title,
            "description": t.description,
            "row_header": t.row_header,
            "columns": list(t.columns),
            "rows": [[row.label, list(row.values)] for row in t.rows],
            "totals": t.totals,
            "chart": t.chart,
        }
        for t in tables
    ]


def deserialize(data: list[dict]) -> list[Table]:
    return [
        Table(
            title=t["title"],
            description=t["description"],
            row_header=t["row_header"],
            columns=list(t["columns"]),
            rows=[Row(label, list(values)) for label, values in t["rows"]],
            totals=t["totals"],
            chart=t["chart"],
        )
        for t in data
    ]


@dataclass
class ReportFigures:
    tables: list[Table]
    # Titles of the tables whose live figures differ from the validated snapshot.
    changed: list[str]
    # The small-count threshold to mask them with.
    threshold: int


def report_figures(report: Report, organisation: Organisation) -> ReportFigures:
    """The figures to show: the snapshot once validated (and what changed since), with
    the small-count threshold of that moment, so that the report stays as it was sent."""
    live = report_tables((organisation.pk,), report_period(report.kind, report.start))
    if not report.is_validated:
        return ReportFigures(live, [], organisation.small_count_threshold)
    frozen = deserialize(report.snapshot)
    # Compare the numbers, table by table and row by row. Not the labels: they are
    # translated, and the snapshot keeps the language of whoever validated it.
    changed = [
        before.title
        for before, now in zip(frozen, live, strict=False)
        if [row.values for row in before.rows] != [row.values for row in now.rows]
    ]
    threshold = report.snapshot_threshold or organisation.small_count_threshold
    return ReportFigures(frozen, changed, threshold)


def for_outsiders(tables: list[Table], threshold: int) -> list[SuppressedTable]:
    """Small counts masked. The key figures are separate measures without totals: primary
    masking only, and none on the activity rows (sessions held, hours)."""
    key, *others = tables
    return [suppress_primary(key, threshold, skip_rows=_ACTIVITY_ROWS)] + [
        suppress(t, threshold) for t in others
    ]


def federation_threshold(organisations: list[Organisation]) -> int:
    """The small-count threshold of figures across several organisations: the strictest
    of theirs, so that no member organisation's rule is weakened by the others'."""
    return max(o.small_count_threshold for o in organisations)
