"""The figures of the dashboard and the reports: one function per figure, SQL aggregates.

Every selector takes a ``Scope`` (which organisations, which period, which territory,
session kind and member) and returns plain numbers or a ``Table``. Queries run on the
reporting database alias (a read replica when configured) and never loop over rows in
Python: each figure is one or two GROUP BY queries whatever the amount of data.

Every selector reads its measures through ``figure_sums`` (what each measure counts is
defined once, in reports.measures). Without a member filter, and unless
``settings.REPORTS_USE_ROLLUPS`` is off, it reads the daily and monthly rollups (kept
exact by the write services) instead of the encounters: a few hundred rows a day instead
of every encounter. The live tables answer the member filter (the rollups have no member
dimension), and are the reference the rollups are tested against.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import F, Q, QuerySet, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.db_router import reporting_db
from core.time import Period
from encounters.models import (
    Encounter,
    NonTakeUpReason,
    ReferralOutcome,
    Right,
    Topic,
)
from outreach.models import OutreachSession, SessionStatus
from reports.measures import (
    CHILDREN,
    DIMENSIONS,
    ENCOUNTERS,
    MEASURES,
    ROLLUP_KEYS,
    ROLLUPS,
    SESSIONS,
    Source,
    zero,
)
from reports.models import Report, Rollup
from reports.rollups import MONTHLY
from reports.tables import Table, round_half_up, round_to_total
from territories.models import Partner, Place, Territory


@dataclass(frozen=True)
class Scope:
    organisation_ids: tuple[int, ...]
    period: Period
    territory_ids: tuple[int, ...] | None = None  # a territory and its sub-territories
    session_kind: str = ""
    member_id: int | None = None
    place_id: int | None = None  # one place (its page's figures)

    def with_period(self, period: Period) -> Scope:
        return dataclasses.replace(self, period=period)


def _sessions(scope: Scope) -> QuerySet[OutreachSession]:
    qs = OutreachSession.objects.using(reporting_db()).filter(
        organisation_id__in=scope.organisation_ids,
        starts_at__gte=scope.period.start_at,
        starts_at__lt=scope.period.end_at,
        status=SessionStatus.DONE,
    )
    if scope.territory_ids is not None:
        qs = qs.filter(territory_id__in=scope.territory_ids)
    if scope.session_kind:
        qs = qs.filter(kind=scope.session_kind)
    if scope.member_id:
        qs = qs.filter(Q(assignments__user_id=scope.member_id) | Q(lead_id=scope.member_id))
    if scope.place_id is not None:
        qs = qs.filter(place_id=scope.place_id)
    return qs


def _encounter_filter(scope: Scope, prefix: str = "") -> Q:
    """Conditions on encounters, reached through ``prefix`` (e.g. "encounter__")."""
    q = Q(
        **{
            f"{prefix}organisation_id__in": scope.organisation_ids,
            f"{prefix}occurred_at__gte": scope.period.start_at,
            f"{prefix}occurred_at__lt": scope.period.end_at,
        }
    )
    if scope.territory_ids is not None:
        q &= Q(**{f"{prefix}session__territory_id__in": scope.territory_ids})
    if scope.session_kind:
        q &= Q(**{f"{prefix}session__kind": scope.session_kind})
    if scope.member_id:
        q &= Q(**{f"{prefix}author_id": scope.member_id})
    if scope.place_id is not None:
        q &= Q(**{f"{prefix}session__place_id": scope.place_id})
    return q


def _encounters(scope: Scope) -> QuerySet[Encounter]:
    return Encounter.objects.using(reporting_db()).filter(_encounter_filter(scope))


def _use_rollups(scope: Scope) -> bool:
    # The rollups have no member dimension, and count signals and referrals by territory,
    # not by place: a member's or a place's figures come from the live tables.
    return scope.member_id is None and scope.place_id is None and settings.REPORTS_USE_ROLLUPS


Sums = dict[tuple, dict[str, Any]]


def figure_sums(scope: Scope, measures: Iterable[str], by: tuple[str, ...] = ()) -> Sums:
    """The measures of the scope (names of reports.measures.MEASURES) split by the
    dimensions ``by`` (names of DIMENSIONS): ``{by values: {measure: value}}``.

    The one way the figures are read: from the rollups when they can answer (no member
    filter, ``settings.REPORTS_USE_ROLLUPS``), else from the live tables, with the same
    definitions. A measure over no row is 0 (no time for field time). Aggregation stays
    in SQL: one query on the rollups; on the live tables one per source (the sessions,
    the encounters with the signals and referrals counted beside them when the split
    allows, the topics...). Without a split, one row ``()``; with one, only the values
    where some measure is not nothing."""
    measures = tuple(dict.fromkeys(measures))
    if _use_rollups(scope):
        found = _rollup_figures(scope, measures, by)
    else:
        found = _live_figures(scope, measures, by)
    cleans = [DIMENSIONS[d].clean for d in by]
    sums: Sums = {}
    for key, values in found:
        key = tuple(clean(v) if clean else v for clean, v in zip(cleans, key, strict=True))
        row = sums.setdefault(key, {m: zero(m) for m in measures})
        for m, value in values.items():
            if value is not None:
                row[m] += value
    if not by:
        return {(): sums.get((), {m: zero(m) for m in measures})}
    # A split shows what happened: no row where every measure is nothing (the rollup
    # row of a territory holds its referrals even when it had none).
    return {key: row for key, row in sums.items() if any(row.values())}


def figure_totals(scope: Scope, measures: Iterable[str]) -> dict[str, Any]:
    """The measures over the whole scope (``figure_sums`` without a split)."""
    measures = tuple(measures)
    return figure_sums(scope, measures)[()]


def _rollup_table(measures: tuple[str, ...], by: tuple[str, ...]) -> type[Rollup]:
    """The first rollup table (the smallest) that holds every measure and dimension."""
    for table, columns in ROLLUPS.items():
        keys = (*ROLLUP_KEYS, *table.keys)
        if set(measures) <= set(columns.values()) and all(
            not isinstance(DIMENSIONS[d].rollup, str) or DIMENSIONS[d].rollup in keys for d in by
        ):
            return table
    raise ValueError(f"No rollup table holds {measures} by {by}")


def _rollup_figures(scope: Scope, measures: tuple[str, ...], by: tuple[str, ...]):
    table = _rollup_table(measures, by)
    column = {m: c for c, m in ROLLUPS[table].items()}
    rows = _rollup_sums(table, scope, by, {m: column[m] for m in measures})
    for key, values in rows.items():
        yield key, dict(zip(measures, values, strict=True))


def _rollup_filter(scope: Scope, start, end) -> Q:
    q = Q(organisation_id__in=scope.organisation_ids, day__gte=start, day__lt=end)
    if scope.territory_ids is not None:
        q &= Q(territory_id__in=scope.territory_ids)
    if scope.session_kind:
        q &= Q(session_kind=scope.session_kind)
    return q


def _rollup_sums(daily: type[Rollup], scope: Scope, by: tuple[str, ...], sums: dict) -> dict:
    """The rollup rows of the scope summed by the dimensions ``by``: ``{by values:
    [sums]}``.

    ``sums`` names each sum and its column. The whole months of the period read the
    monthly table, the days around them the daily one: one query (UNION ALL of the two
    parts when the period has both), whatever the length of the period; a dimension
    only the days give (the weekday) reads the daily table. A sum over no row is None."""
    period = scope.period
    db = reporting_db()
    # Without a grouping column, group by organisation (a federation has several rows).
    group = {f"d_{d}": _rollup_value(d) for d in by} or {"d_": F("organisation_id")}
    names = [f"sum_{name}" for name in sums]
    aggregates = {f"sum_{name}": Sum(column) for name, column in sums.items()}

    def part(model, q):
        return (
            model.objects.using(db)
            .filter(q)
            .values(**group)
            .annotate(**aggregates)
            .values_list(*group, *names)
            .order_by()
        )

    months = period.whole_months()
    if months is None or any(DIMENSIONS[d].daily_only for d in by):
        rows = part(daily, _rollup_filter(scope, period.start, period.end))
    else:
        first, end = months
        rows = part(MONTHLY[daily], _rollup_filter(scope, first, end))
        if period.start < first or end < period.end:
            days = _rollup_filter(scope, period.start, first) | _rollup_filter(
                scope, end, period.end
            )
            rows = rows.union(part(daily, days), all=True)
    totals: dict[tuple, list] = {}
    for row in rows:
        key = row[: len(by)]
        values = row[len(group) :]
        if key not in totals:
            totals[key] = list(values)
        else:
            totals[key] = [
                b if a is None else a if b is None else a + b
                for a, b in zip(totals[key], values, strict=True)
            ]
    return totals


def _rollup_value(dimension: str):
    value = DIMENSIONS[dimension].rollup
    return F(value) if isinstance(value, str) else value


def _live_rows(scope: Scope, source: Source) -> QuerySet:
    db = reporting_db()
    if source is SESSIONS:
        if scope.member_id:
            # The member filter joins the team and could repeat a session.
            return OutreachSession.objects.using(db).filter(pk__in=_sessions(scope).values("pk"))
        return _sessions(scope)
    prefix = "" if source is ENCOUNTERS else "encounter__"
    return source.model.objects.using(db).filter(source.rows, _encounter_filter(scope, prefix))


def _live_figures(scope: Scope, measures: tuple[str, ...], by: tuple[str, ...]):
    """One aggregate query per source of the measures; the children of an encounter
    (topics, signals, referrals) are counted in the encounters' query when their split
    is one of the encounter (territory, hour…), as distinct rows of the join."""
    by_source: dict[Source, list[str]] = defaultdict(list)
    for m in measures:
        by_source[MEASURES[m].source].append(m)
    folded = []
    if ENCOUNTERS in by_source and all(DIMENSIONS[d].on_encounter for d in by):
        folded = [source for source in CHILDREN if source in by_source]
    for source in by_source:
        if source in folded:
            continue
        joined = folded if source is ENCOUNTERS else []
        aggregates = {}
        for child in [source, *joined]:
            prefix = f"{child.relation}__" if child is not source else ""
            for m in by_source[child]:
                aggregates[f"m_{m}"] = MEASURES[m].aggregate(prefix, distinct=bool(joined))
        qs = _live_rows(scope, source)
        if by:
            dims = {f"d_{d}": DIMENSIONS[d].live(source) for d in by}
            rows = qs.values(**dims).annotate(**aggregates).order_by()
        else:
            rows = [qs.aggregate(**aggregates)]
        for row in rows:
            yield (
                tuple(row[f"d_{d}"] for d in by),
                {m[2:]: value for m, value in row.items() if m.startswith("m_")},
            )


def _hours(duration: timedelta | None) -> float:
    return round((duration or timedelta()).total_seconds() / 3600, 1)


FIELD_ACTIVITY = ("sessions", "field_time", "brief_contacts", "refusals")
ENCOUNTER_COUNTS = ("encounters", "conversations", "on_site_help", "first_time", "already_met")
HEADLINE = (*FIELD_ACTIVITY, *ENCOUNTER_COUNTS, "signals", "referrals")


def _field_activity_from(row: dict) -> dict[str, float | int]:
    return {
        "sessions": row["sessions"],
        "hours": _hours(row["field_time"]),
        "brief_contacts": row["brief_contacts"],
        "refusals": row["refusals"],
    }


def field_activity(scope: Scope) -> dict[str, float | int]:
    """Sessions held, hours in the field, brief contacts and refusals (one query)."""
    return _field_activity_from(figure_totals(scope, FIELD_ACTIVITY))


def encounter_counts(scope: Scope) -> dict[str, int]:
    """Conversations, on-site help, first time met versus already met (one query)."""
    return figure_totals(scope, ENCOUNTER_COUNTS)


def headline(scope: Scope) -> dict[str, float | int]:
    """The key figures of the top of the dashboard (one query on the rollups; two on the
    live tables: the sessions, the encounters with their signals and referrals)."""
    row = figure_totals(scope, HEADLINE)
    return {
        **_field_activity_from(row),
        **{key: row[key] for key in (*ENCOUNTER_COUNTS, "signals", "referrals")},
    }


def conversations_by_place(scope: Scope) -> Table:
    """Where to stand: encounters, hours in the field and encounters per 10 hours by place."""
    # Places where a session was held, and places where someone was met.
    sums = figure_sums(scope, ("encounters", "field_time"), by=("place_id",))
    names = dict(
        Place.objects.using(reporting_db())
        .filter(pk__in=[pk for (pk,) in sums if pk])
        .values_list("pk", "name")
    )
    table = Table(
        title=_("Encounters by place"),
        description=_("Encounters, hours in the field and encounters per ten hours, by place."),
        row_header=_("Place"),
        columns=[_("Encounters"), _("Hours in the field"), _("Encounters per 10 h")],
        chart="bar",
        adds_up="columns",
        kinds=["people", "activity", "rate"],
        rates={2: 0},
        chart_column=2,
        name="places",
    )
    rows = []
    for (pk,), figures in sums.items():
        h = _hours(figures["field_time"])
        n = figures["encounters"]
        rate = round_half_up(10 * n / h) if h else None
        key = f"place:{pk}" if pk else "place:none"
        rows.append([names.get(pk, _("No fixed place")), n, h, rate, key])
    # Whole hours that add up to the key figure's hours (rounded once, from the same
    # sum): 3.5 + 3 shown 4 + 3 = 7 beside a key figure of 6 was two roundings.
    whole = _hours(sum((f["field_time"] or timedelta() for f in sums.values()), timedelta()))
    rounded = round_to_total([r[2] for r in rows], round_half_up(whole))
    for row, hours in zip(rows, rounded, strict=True):
        row[2] = hours
    for label, n, h, rate, key in sorted(rows, key=lambda r: (-r[1], r[0])):
        table.add_row(label, [n, h, rate], key)
    return table


def encounters_by_weekday_and_hour(scope: Scope) -> Table:
    """When to stand: encounters by day of the week and hour of the day, Paris time.

    On the rollups, from the daily hour counts (the monthly ones have no weekday): one
    GROUP BY over a few rows a day, whatever the number of encounters."""
    cells = {
        key: figures["encounters"]
        for key, figures in figure_sums(scope, ("encounters",), by=("weekday", "hour")).items()
        if figures["encounters"]
    }
    hours = sorted({hour for _weekday, hour in cells})
    hours = list(range(hours[0], hours[-1] + 1)) if hours else []
    table = Table(
        title=_("Encounters by day of the week and hour"),
        description=_(
            "Number of encounters that started in each hour of each weekday, Paris time."
        ),
        row_header=_("Day"),
        columns=[f"{hour} h" for hour in hours],
        chart="heatmap",
        chart_column="total",
        name="weekday_hour",
    )
    monday = date(2024, 1, 1)  # a Monday: weekday names from the locale
    for weekday in range(1, 8):
        label = date_format(monday + timedelta(days=weekday - 1), "l")
        table.add_row(label, [cells.get((weekday, hour), 0) for hour in hours], str(weekday))
    return table


def conversations_by_hour(scope: Scope) -> Table:
    """When to stand: encounters by hour of the day, in Paris time."""
    counts = {
        hour: figures["encounters"]
        for (hour,), figures in figure_sums(scope, ("encounters",), by=("hour",)).items()
    }
    table = Table(
        title=_("Encounters by hour of the day"),
        description=_("Number of encounters that started in each hour, Paris time."),
        row_header=_("Hour"),
        columns=[_("Encounters")],
        chart="bar",
        name="hours",
    )
    if counts:
        for hour in range(min(counts), max(counts) + 1):
            table.add_row(f"{hour} h", [counts.get(hour, 0)])
    return table


def topics(scope: Scope) -> Table:
    counts = {
        topic: figures["topics"]
        for (topic,), figures in figure_sums(scope, ("topics",), by=("topic",)).items()
    }
    table = Table(
        title=_("Topics of the conversations"),
        description=_("How many encounters touched on each topic (one encounter, several topics)."),
        row_header=_("Topic"),
        columns=[_("Encounters")],
        name="topics",
    )
    for value, label in sorted(Topic.choices, key=lambda c: -counts.get(c[0], 0)):
        if counts.get(value):
            table.add_row(str(label), [counts[value]], f"topic:{value}")
    return table


def signals_by_right_and_reason(scope: Scope) -> Table:
    """Non-take-up signals: a right x reason table with totals."""
    cells: dict[int, dict[str, int]] = defaultdict(dict)
    for (right_id, reason), figures in figure_sums(
        scope, ("signals",), by=("right_id", "reason")
    ).items():
        cells[right_id][reason] = figures["signals"]
    rights = Right.objects.using(reporting_db()).filter(pk__in=cells).order_by("position")
    table = Table(
        title=_("Non-take-up signals by right and reason"),
        description=_("Signals of non-take-up noted in conversations, by right and by reason."),
        row_header=_("Right"),
        columns=[str(label) for label in NonTakeUpReason.labels],
        totals=True,
        chart_column="total",
        name="signals",
    )
    for right in rights:
        values = [cells[right.pk].get(r, 0) for r in NonTakeUpReason.values]
        table.add_row(right.short_name, values, f"right:{right.code}")
    return table


def signals_by_month(scope: Scope) -> Table:
    """Monthly trend of non-take-up signals: one row per reason, one column per month."""
    cells: dict = defaultdict(dict)
    for (month, reason), figures in figure_sums(
        scope, ("signals",), by=("month", "reason")
    ).items():
        cells[reason][month] = figures["signals"]
    months = []
    day = scope.period.start.replace(day=1)
    while day < scope.period.end:
        months.append(day)
        day = Period.month(day).end
    table = Table(
        title=_("Non-take-up signals by month"),
        description=_("Number of non-take-up signals each month, by reason."),
        row_header=_("Reason"),
        columns=[month_label(m) for m in months],
        chart="line",
        name="signals_by_month",
    )
    for reason, label in NonTakeUpReason.choices:
        table.add_row(str(label), [cells[reason].get(m, 0) for m in months])
    return table


def referrals_by_partner(scope: Scope) -> Table:
    """Referrals by partner (or kind of partner when none was named) and outcome."""
    cells: dict = defaultdict(dict)
    for (partner_id, kind, outcome), figures in figure_sums(
        scope, ("referrals",), by=("partner_id", "partner_kind", "outcome")
    ).items():
        key = ("p", partner_id) if partner_id else ("k", kind)
        cells[key][outcome] = cells[key].get(outcome, 0) + figures["referrals"]
    names = dict(
        Partner.objects.using(reporting_db())
        .filter(pk__in=[k[1] for k in cells if k[0] == "p"])
        .values_list("pk", "name")
    )
    kinds = dict(Partner.Kind.choices)
    table = Table(
        title=_("Referrals by partner and outcome"),
        description=_("Referrals made, by partner structure and by what became of them."),
        row_header=_("Partner"),
        columns=[str(label) for label in ReferralOutcome.labels],
        totals=True,
        chart_column="total",
        name="partners",
    )
    rows = []
    for key, outcomes in cells.items():
        label = names.get(key[1], "?") if key[0] == "p" else str(kinds.get(key[1], key[1]))
        row_key = f"partner:{key[1]}" if key[0] == "p" else f"kind:{key[1]}"
        rows.append((label, [outcomes.get(o, 0) for o in ReferralOutcome.values], row_key))
    for label, values, row_key in sorted(rows, key=lambda r: (-sum(r[1]), r[0])):
        table.add_row(label, values, row_key)
    return table


def referral_funnel(scope: Scope) -> Table:
    """Referrals proposed, then accepted, then done as reported by the person (one query)."""
    row = figure_totals(scope, ("referrals", "referrals_accepted", "referrals_done"))
    table = Table(
        title=_("Referrals: from proposed to done"),
        description=_(
            "Referrals proposed, accepted (or done), and done as the person told us later."
        ),
        row_header=_("Step"),
        columns=[_("Referrals")],
        chart="funnel",
        # The steps are nested (done is part of accepted), not parts of a whole.
        adds_up="none",
        name="funnel",
    )
    table.add_row(_("Proposed"), [row["referrals"]], "proposed")
    table.add_row(_("Accepted"), [row["referrals_accepted"]], "accepted")
    table.add_row(_("Done"), [row["referrals_done"]], "done")
    return table


def by_territory(scope: Scope) -> Table:
    """Sessions, encounters, signals and referrals by territory of the session."""
    sums = {
        pk: figures
        for (pk,), figures in figure_sums(
            scope, ("sessions", "encounters", "signals", "referrals"), by=("territory_id",)
        ).items()
        if figures["sessions"] or figures["encounters"]
    }
    names = dict(
        Territory.objects.using(reporting_db()).filter(pk__in=sums).values_list("pk", "name")
    )
    table = Table(
        title=_("By territory"),
        description=_("Sessions held, encounters, non-take-up signals and referrals by territory."),
        row_header=_("Territory"),
        columns=[_("Sessions"), _("Encounters"), _("Signals"), _("Referrals")],
        totals=True,
        # Four measures: each column adds up, a row never does.
        adds_up="columns",
        kinds=["activity", "people", "people", "people"],
        chart_column=1,
        name="territories",
    )
    for pk in sorted(sums, key=lambda pk: names.get(pk, "")):
        figures = sums[pk]
        table.add_row(
            names.get(pk, "?"),
            [figures[m] for m in ("sessions", "encounters", "signals", "referrals")],
            f"territory:{pk}",
        )
    return table


def key_figures_table(scope: Scope, compare: list[tuple[str, Scope]]) -> Table:
    """The headline figures for the scope and the periods it is compared with."""
    figures = [headline(scope)] + [headline(other) for _label, other in compare]
    table = Table(
        title=_("Key figures"),
        description=_("The main counts of the period, beside the periods compared."),
        row_header=_("Figure"),
        columns=[scope.period.label] + [label for label, _other in compare],
        chart="none",
        adds_up="none",
        activity_rows=ACTIVITY_FIGURES,
        name="key",
    )
    for key, label in headline_labels():
        table.add_row(str(label), [round_half_up(f[key]) for f in figures], key)
    return table


# The key figures that count activity, not people (sessions held, hours in the field).
ACTIVITY_FIGURES = (0, 1)


def month_label(day) -> str:
    """A month as the locale abbreviates it: "juil. 2026", "July 2026" (Django's "N")."""
    return date_format(day, "N Y")


def headline_labels() -> list[tuple[str, str]]:
    return [
        ("sessions", _("Sessions held")),
        ("hours", _("Hours in the field")),
        ("brief_contacts", _("Brief contacts")),
        ("conversations", _("Conversations")),
        ("on_site_help", _("On-site help")),
        ("refusals", _("Refusals")),
        ("first_time", _("Met for the first time")),
        ("already_met", _("Already met")),
        ("signals", _("Non-take-up signals")),
        ("referrals", _("Referrals")),
    ]


def report_saved_or_blank(*, organisation_id: int, kind: str, start) -> Report:
    """The saved report of that period, or an unsaved empty one: reading a report that
    nobody has written yet creates nothing."""
    return Report.objects.filter(
        organisation_id=organisation_id, kind=kind, start=start
    ).first() or (Report(organisation_id=organisation_id, kind=kind, start=start))


def recent_months(scope: Scope) -> Table:
    """Encounters, non-take-up signals and referrals each month of the scope's period, for
    the scope's territories or for one place (``scope.place_id``): the small table of the
    place and territory pages, read like every figure (``figure_sums``)."""
    measures = ("encounters", "signals", "referrals")
    sums = figure_sums(scope, measures, ("month",))
    cells = {month: [row[m] for m in measures] for (month,), row in sums.items()}
    table = Table(
        title=_("The last three months"),
        description=_("Encounters, non-take-up signals and referrals each month."),
        row_header=_("Month"),
        columns=[_("Encounters"), _("Signals"), _("Referrals")],
        totals=True,
        chart="none",
        adds_up="columns",
        name="recent",
    )
    day = scope.period.start.replace(day=1)
    while day < scope.period.end:
        table.add_row(month_label(day), cells.get(day, [0, 0, 0]), day.isoformat())
        day = Period.month(day).end
    return table
