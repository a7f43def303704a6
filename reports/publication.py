"""What an output shows outside, given what the monthly reports already show.

An organisation's monthly report is the unit that is sent outside. Every other output
that counts people adds monthly reports up: the annual report (its months), the figures
across organisations (each organisation's months), and the columns set beside a period
("previous month", "same month last year", "previous year": another output of the same
kind). Masked on its own, such an output could show a figure that is the sum of shown
parts and one masked part, and so give that part away: the federation's row for a
territory belongs to one organisation, and showed a count that organisation's own report
masks; a year showed a count that is the months shown plus the one month masked.

So each figure of an output is split into its parts, each looked up in the monthly report
that publishes it (as sent: its validated snapshot, or its live draft), and the figure is:

- **shown** when every part is shown: it is public anyway, and is never chosen to
  protect another figure (that would protect nothing);
- **masked** when one part at least is masked: shown, it would tell more than the monthly
  reports (with the shown parts, the masked one; with other outputs, sums of masked ones:
  a quarter minus its months, a year minus its quarters, rows gathered differently);
- left to the output's own protection when it has no parts (a monthly report itself, the
  same days of the month before).

So an output that adds monthly reports up never tells more than they do, and what the
monthly reports tell is each one's own audit. ``protect`` then masks around those marks
within the output, as around small counts.

The marks of a monthly report depend only on its figures and threshold: they are kept in
the cache under a digest of both, so that a year reads twelve months' marks without
masking them again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from core.time import Period, add_months
from organisations.models import Organisation
from reports import selectors, services
from reports.models import Report, RollupLock
from reports.report import (
    ReportFigures,
    compared_periods,
    deserialize,
    federation_tables,
    federation_threshold,
    for_outsiders,
    report_comparison,
    report_figures,
    report_period,
    report_tables,
)
from reports.suppression import (
    PRIMARY,
    SECONDARY,
    Cell,
    Key,
    Reason,
    SuppressedTable,
    find_masks,
    members_and_equations,
    protected_members,
)
from reports.tables import Table

# How long a month's marks are kept: they are found again from the figures themselves,
# so an old entry is never wrong, only unused.
CACHE_SECONDS = 60 * 60 * 24 * 30


@dataclass(frozen=True)
class Part:
    """One monthly report's share of a figure, as that report publishes it."""

    value: int
    shown: bool


ZERO = Part(0, True)

# Where a part is read in a published output: ("cell", table, row keys, column) with
# column None for the row's total, ("col", table, column), ("grand", table).
Ref = tuple


class Published:
    """An output as sent: its tables with their marks, by name."""

    def __init__(self, tables: list[SuppressedTable]) -> None:
        self.tables = {t.name: t for t in tables if t.name}

    def part(self, ref: Ref) -> Part:
        kind, name, *rest = ref
        table = self.tables.get(name)
        if table is None or not table.rows:
            return ZERO  # nobody counted: the table has no row
        if kind == "col":
            (j,) = rest
            cells = [table.column_totals[j] if table.column_totals else table.rows[0].cells[j]]
            return self._part(cells, whole=True)
        if kind == "grand":
            total = table.total
            return Part(0, False) if total is None else self._part([total], whole=True)
        covers, j = rest
        rows = [row for row in table.rows if row.covers & covers]
        if not rows:
            return ZERO
        cells = [row.total if j is None else row.cells[j] for row in rows]
        if any(cell is None for cell in cells):
            return Part(0, False)
        # A row of that output that gathers more than these ("Other places" of the month,
        # where the year shows one place) does not publish their share.
        return self._part(cells, whole=all(row.covers <= covers for row in rows))

    def _part(self, cells: list[Cell], *, whole: bool) -> Part:
        value = sum(c.value or 0 for c in cells)
        return Part(value, whole and not any(c.hidden for c in cells))


class Column(Published):
    """The key figures of a published output read in another column than the first: the
    same days of the month before, as a report of the month under way shows them."""

    def __init__(self, published: Published, column: int) -> None:
        self.tables = published.tables
        self.column = column

    def part(self, ref: Ref) -> Part:
        if ref[:2] == ("cell", "key"):
            ref = (*ref[:3], self.column)
        return super().part(ref)


def mark(value: int | None, parts: list[Part], threshold: int) -> Reason | bool | None:
    """What the parts make of a figure: True (public: shown, never a complement), a
    reason to mask it, or None (left to the output's own protection)."""
    if not parts or value is None:
        return None
    if all(p.shown for p in parts):
        # A figure that is not the sum of its parts (the figures changed since a month was
        # validated) is not public: it is left to the output's own protection.
        return True if sum(p.value for p in parts) == value else None
    if value == 0:
        return None  # zeros are shown: each part is zero too
    # One masked part at least: shown, the figure would tell more than the months do
    # (with the shown parts, the masked one; with other outputs, sums of masked ones).
    return PRIMARY if value < threshold else SECONDARY


@dataclass
class Sources:
    """The published outputs each figure of an output adds up, by where it stands; none
    for a figure no other output publishes (a monthly report's own, the same days of a
    month before in an organisation's report)."""

    # Every figure of the period: the months of its organisations.
    whole: list[Published] = field(default_factory=list)
    # The organisations side by side: row n's months.
    by_row: list[list[Published]] = field(default_factory=list)
    # The key figures' columns after the first: the periods set beside it.
    compared: list[list[Published]] = field(default_factory=list)

    def marks(self, tables: list[Table], threshold: int) -> tuple[frozenset[Key], dict]:
        """For ``protect``: the figures that are public, and those to mask."""
        public: set[Key] = set()
        fixed: dict[Key, Reason] = {}
        headline = [name for name, _label in selectors.headline_labels()]
        for t, table in enumerate(tables):
            values, _equations = members_and_equations(table)
            for key in protected_members(table, values):
                parts, ref = self._where(table, key, headline)
                found = mark(values[key], [p.part(ref) for p in parts], threshold)
                if found is True:  # worked out from what is shown anyway
                    public.add((t, *key))
                elif found:
                    fixed[(t, *key)] = found
        return frozenset(public), fixed

    def _where(self, table: Table, key: Key, headline: list[str]) -> tuple[list[Published], Ref]:
        kind = key[0]
        if table.name == "key":  # measures by period: one column per period
            _kind, i, j = key
            parts = self.whole if j == 0 else _at(self.compared, j - 1)
            return parts, ("cell", "key", frozenset({table.rows[i].key}), 0)
        if table.name == "organisations":  # the key figures, one row per organisation
            j = key[-1]
            ref = ("cell", "key", frozenset({headline[j]}), 0)
            return (_at(self.by_row, key[1]) if kind == "cell" else self.whole), ref
        if kind == "cell":
            return self.whole, ("cell", table.name, table.rows[key[1]].covers, key[2])
        if kind == "row":
            return self.whole, ("cell", table.name, table.rows[key[1]].covers, None)
        if kind == "col":
            return self.whole, ("col", table.name, key[1])
        return self.whole, ("grand", table.name)


def _at(parts: list[list[Published]], n: int) -> list[Published]:
    return parts[n] if n < len(parts) else []


def _digest(tables: list[Table], threshold: int, public: frozenset, fixed: dict) -> str:
    """What an output's marks depend on: its figures and what they count (not the words),
    its threshold and the marks other outputs give it."""
    shape = [
        [
            t.name,
            t.adds_up,
            list(t.kinds),
            sorted(t.rates.items()),
            list(t.activity_rows),
            str(t.chart_column),
            len(t.columns),
            [[row.key, row.values, list(row.members)] for row in t.rows],
        ]
        for t in tables
    ]
    given = [sorted(map(repr, public)), sorted((repr(k), v) for k, v in fixed.items())]
    text = json.dumps([threshold, shape, given], sort_keys=True, default=str)
    return "published:" + hashlib.sha256(text.encode()).hexdigest()


def cached_masks(tables, threshold, links, public=frozenset(), fixed=None) -> dict:
    """``find_masks``, kept in the cache by what its result depends on: a year or a
    federation reads many months, each masked once (the marks only: the words of the
    tables are written in each reader's language)."""
    digest = _digest(tables, threshold, public, fixed or {})
    found = cache.get(digest)
    if found is None:
        found = find_masks(tables, threshold, links, public, fixed)
        cache.set(digest, found, CACHE_SECONDS)
    return found


def _month_starts(period: Period, today: date | None = None) -> list[date]:
    """The months a period is made of: its whole months, or the month under way when the
    period is that month so far; none for other days."""
    today = today or timezone.localdate()
    running = period.end == today + timedelta(days=1)
    if period.start.day != 1 or not (period.end.day == 1 or running):
        return []
    starts = []
    start = period.start
    while start < period.end:
        starts.append(start)
        start = add_months(start, 1)
    return starts


class Publisher:
    """The outputs of some organisations as sent outside, each computed once."""

    def __init__(self, organisations: list[Organisation], today: date | None = None) -> None:
        self.organisations = organisations
        self.today = today or timezone.localdate()
        self.validated = {
            (r.organisation_id, r.kind, r.start): r
            for r in Report.objects.filter(
                organisation__in=organisations, validated_at__isnull=False
            )
        }
        self.first = {o.pk: services.first_activity(o).replace(day=1) for o in organisations}
        self.months: dict[tuple[int, date], Published] = {}
        # When the figures come from the rollups, a month's figures change only with its
        # rollups, and every write of those takes the month's lock row and stamps it: the
        # stamp names the month's figures in the cache.
        self.stamps = (
            {
                (lock.organisation_id, lock.month): lock.refreshed_at
                for lock in RollupLock.objects.filter(organisation__in=organisations)
            }
            if settings.REPORTS_USE_ROLLUPS
            else {}
        )

    # -- the unit: an organisation's month ----------------------------------------------

    def month(self, organisation: Organisation, start: date) -> Published:
        found = self.months.get((organisation.pk, start))
        if found is None:
            found = self._month(organisation, start)
            self.months[(organisation.pk, start)] = found
        return found

    def _month(self, organisation: Organisation, start: date) -> Published:
        report = self.validated.get((organisation.pk, Report.Kind.MONTH, start))
        if report is not None:  # as sent
            threshold = report.snapshot_threshold or organisation.small_count_threshold
            tables = deserialize(report.snapshot)
            return Published(for_outsiders(tables, threshold, masks=cached_masks))
        threshold = organisation.small_count_threshold
        stamp = self.stamps.get((organisation.pk, start))
        version = stamp.timestamp() if stamp else None
        name = f"published-month:{organisation.pk}:{start}:{threshold}:{version}:{self.today}"
        found = cache.get(name) if stamp else None
        if found is None:
            tables = report_tables(
                (organisation.pk,), Period.month(start), self.today, compare=False
            )
            found = Published(for_outsiders(tables, threshold, masks=cached_masks))
            if stamp:
                cache.set(name, found, CACHE_SECONDS)
        return found

    def _months_of(self, organisations: list[Organisation], period: Period) -> list[Published]:
        """The monthly reports a period adds up: its whole months, or the month under way
        when the period is that month so far. None for other days (the same days of the
        month before, which no report publishes)."""
        return [
            self.month(organisation, start)
            for start in _month_starts(period, self.today)
            for organisation in organisations
            if start >= self.first[organisation.pk]  # before: nothing to publish
        ]

    # -- outputs that add months up -------------------------------------------------------

    def sources(self, organisations: list[Organisation], period: Period) -> Sources:
        current = report_comparison(period, self.today).current
        unit = len(organisations) == 1 and period.kind == "month"
        sources = Sources(whole=[] if unit else self._months_of(organisations, current))
        if len(organisations) > 1:
            sources.by_row = [self._months_of([o], current) for o in organisations]
        for j, (_label, other) in enumerate(compared_periods(period, self.today), 1):
            # The months of the period set beside (a month is its own report)...
            split = self._months_of(organisations, other)
            if not split and len(organisations) > 1 and period.kind == "month":
                # ... or the same days of a month before, which each organisation's own
                # report of the month under way sets beside it, in the same column.
                split = [Column(self.compared_month(o, period), j) for o in organisations]
            sources.compared.append(split)
        return sources

    def compared_month(self, organisation: Organisation, period: Period) -> Published:
        """An organisation's report of a month with the periods set beside it."""
        tables = report_tables((organisation.pk,), period, self.today)
        threshold = organisation.small_count_threshold
        return Published(for_outsiders(tables, threshold, masks=cached_masks))

    def mask(
        self,
        tables: list[Table],
        threshold: int,
        organisations: list[Organisation],
        period: Period,
    ) -> list[SuppressedTable]:
        sources = self.sources(organisations, period)
        return for_outsiders(
            tables, threshold, lambda grouped: sources.marks(grouped, threshold), cached_masks
        )


def report_for_outsiders(
    report: Report, organisation: Organisation, figures: ReportFigures | None = None
) -> list[SuppressedTable]:
    """A monthly or annual report as sent: each figure masked as the monthly reports
    it adds up, and as the periods set beside it, publish it."""
    figures = figures or report_figures(report, organisation)
    period = report_period(report.kind, report.start)
    return Publisher([organisation]).mask(figures.tables, figures.threshold, [organisation], period)


def federation_for_outsiders(
    organisations: list[Organisation], period: Period
) -> list[SuppressedTable]:
    """The figures across organisations as sent: each organisation's row, each territory
    and place (which belong to one organisation), each total, masked as the
    organisations' own monthly reports publish them."""
    tables = federation_tables(organisations, period)
    threshold = federation_threshold(organisations)
    return Publisher(organisations).mask(tables, threshold, organisations, period)
