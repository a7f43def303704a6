"""The figures of the dashboard and the reports: one function per figure, SQL aggregates.

Every selector takes a ``Scope`` (which organisations, which period, which territory,
session kind and member) and returns plain numbers or a ``Table``. Queries run on the
reporting database alias (a read replica when configured) and never loop over rows in
Python: each figure is one or two GROUP BY queries whatever the amount of data.

Without a member filter, and unless ``settings.REPORTS_USE_ROLLUPS`` is off, the figures
read the daily rollups (reports.models.DailyActivity and its siblings, kept exact by the
write services) instead of the encounters: a few hundred rows a day instead of every
encounter. The live queries stay beside them: the member filter needs them, and they are
the reference the rollups are tested against.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncMonth
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.db_router import reporting_db
from core.time import PARIS, Period
from encounters.models import (
    Encounter,
    EncounterKind,
    EncounterTopic,
    NonTakeUpReason,
    NonTakeUpSignal,
    Referral,
    ReferralOutcome,
    Right,
    Topic,
)
from outreach.models import OutreachSession, SessionStatus
from reports.models import (
    DailyActivity,
    DailyHour,
    DailyPlace,
    DailyReferral,
    DailySignal,
    DailyTopic,
    Report,
    Rollup,
)
from reports.rollups import MONTHLY
from reports.tables import Table
from territories.models import Partner, Place, Territory


@dataclass(frozen=True)
class Scope:
    organisation_ids: tuple[int, ...]
    period: Period
    territory_ids: tuple[int, ...] | None = None  # a territory and its sub-territories
    session_kind: str = ""
    member_id: int | None = None

    def with_period(self, period: Period) -> Scope:
        return Scope(
            self.organisation_ids, period, self.territory_ids, self.session_kind, self.member_id
        )


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
    return q


def _encounters(scope: Scope) -> QuerySet[Encounter]:
    return Encounter.objects.using(reporting_db()).filter(_encounter_filter(scope))


def _use_rollups(scope: Scope) -> bool:
    # The rollups have no member dimension: a member's figures come from the live tables.
    return scope.member_id is None and settings.REPORTS_USE_ROLLUPS


def _rollup_filter(scope: Scope, start, end) -> Q:
    q = Q(organisation_id__in=scope.organisation_ids, day__gte=start, day__lt=end)
    if scope.territory_ids is not None:
        q &= Q(territory_id__in=scope.territory_ids)
    if scope.session_kind:
        q &= Q(session_kind=scope.session_kind)
    return q


def _rollup_sums(daily: type[Rollup], scope: Scope, by: tuple[str, ...], sums: dict) -> dict:
    """The rollup rows of the scope summed by the columns ``by``: ``{by values: [sums]}``.

    ``sums`` names each sum and its column. The whole months of the period read the
    monthly table, the days around them the daily one: one query (UNION ALL of the two
    parts when the period has both), whatever the length of the period. A sum over no
    row is None (a duration where no session was held, for instance)."""
    period = scope.period
    db = reporting_db()
    # Without a grouping column, group by organisation (a federation has several rows).
    group = by or ("organisation_id",)
    names = [f"sum_{name}" for name in sums]
    aggregates = {f"sum_{name}": Sum(column) for name, column in sums.items()}

    def part(model, q):
        return (
            model.objects.using(db)
            .filter(q)
            .values(*group)
            .annotate(**aggregates)
            .values_list(*group, *names)
            .order_by()
        )

    months = period.whole_months()
    if months is None:
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


def _activity_totals(scope: Scope) -> dict:
    """Every column of DailyActivity summed over the scope (one query)."""
    rows = _rollup_sums(DailyActivity, scope, (), {name: name for name in DailyActivity.sums})
    values = rows.get((), [None] * len(DailyActivity.sums))
    return {name: value or 0 for name, value in zip(DailyActivity.sums, values, strict=True)}


def _field_activity_from(row: dict) -> dict[str, float | int]:
    return {
        "sessions": row["sessions"],
        "hours": _hours(row["field_time"] or None),
        "brief_contacts": row["brief_contacts"],
        "refusals": row["refusals"],
    }


def _encounter_counts_from(row: dict) -> dict[str, int]:
    keys = ("encounters", "conversations", "on_site_help", "already_met", "first_time")
    return {key: row[key] for key in keys}


_DURATION = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())


def _hours(duration: timedelta | None) -> float:
    return round((duration or timedelta()).total_seconds() / 3600, 1)


def field_activity(scope: Scope) -> dict[str, float | int]:
    """Sessions held, hours in the field, brief contacts and refusals (one query)."""
    if _use_rollups(scope):
        return _field_activity_from(_activity_totals(scope))
    # Distinct rows first: the member filter joins the team and could repeat a session.
    ids = _sessions(scope).values("pk").distinct()
    row = (
        OutreachSession.objects.using(reporting_db())
        .filter(pk__in=ids)
        .aggregate(
            sessions=Count("pk"),
            duration=Sum(_DURATION),
            brief_contacts=Sum("brief_contacts"),
            refusals=Sum("refusals"),
        )
    )
    return {
        "sessions": row["sessions"],
        "hours": _hours(row["duration"]),
        "brief_contacts": row["brief_contacts"] or 0,
        "refusals": row["refusals"] or 0,
    }


def encounter_counts(scope: Scope) -> dict[str, int]:
    """Conversations, on-site help, first time met versus already met (one query)."""
    if _use_rollups(scope):
        return _encounter_counts_from(_activity_totals(scope))
    row = _encounters(scope).aggregate(
        encounters=Count("pk"),
        conversations=Count("pk", filter=Q(kind=EncounterKind.CONVERSATION)),
        on_site_help=Count("pk", filter=Q(kind=EncounterKind.ON_SITE_HELP)),
        # Not named "first_time": an aggregate may not shadow a field it filters on.
        met_first_time=Count("pk", filter=Q(first_time=True)),
        already_met=Count("pk", filter=Q(first_time=False)),
    )
    row["first_time"] = row.pop("met_first_time")
    return row


def headline(scope: Scope) -> dict[str, float | int]:
    """The key figures of the top of the dashboard (four queries; one on the rollups)."""
    if _use_rollups(scope):
        row = _activity_totals(scope)
        return {
            **_field_activity_from(row),
            **_encounter_counts_from(row),
            "signals": row["signals"],
            "referrals": row["referrals"],
        }
    figures = {**field_activity(scope), **encounter_counts(scope)}
    figures["signals"] = (
        NonTakeUpSignal.objects.using(reporting_db())
        .filter(_encounter_filter(scope, "encounter__"))
        .count()
    )
    figures["referrals"] = (
        Referral.objects.using(reporting_db())
        .filter(_encounter_filter(scope, "encounter__"))
        .count()
    )
    return figures


def conversations_by_place(scope: Scope) -> Table:
    """Where to stand: encounters, hours in the field and encounters per 10 hours by place."""
    if _use_rollups(scope):
        rows = [
            (pk, n, duration)
            for (pk,), (n, duration) in _rollup_sums(
                DailyPlace, scope, ("place_id",), {"n": "encounters", "duration": "field_time"}
            ).items()
        ]
        # As below: places where a session was held, places where someone was met.
        hours = {pk: duration for pk, _n, duration in rows if duration is not None}
        counts = {pk: n for pk, n, _duration in rows if n}
    else:
        hours = dict(
            _sessions(scope)
            .values("place_id")
            .annotate(duration=Sum(_DURATION))
            .values_list("place_id", "duration")
        )
        counts = dict(
            _encounters(scope)
            .values("session__place_id")
            .annotate(n=Count("pk"))
            .values_list("session__place_id", "n")
        )
    names = dict(
        Place.objects.using(reporting_db())
        .filter(pk__in=[pk for pk in {*hours, *counts} if pk])
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
    for pk in {*hours, *counts}:
        h = _hours(hours.get(pk))
        n = counts.get(pk, 0)
        rate = round(10 * n / h) if h else None
        key = f"place:{pk}" if pk else "place:none"
        rows.append((names.get(pk, _("No fixed place")), n, round(h), rate, key))
    for label, n, h, rate, key in sorted(rows, key=lambda r: (-r[1], r[0])):
        table.add_row(label, [n, h, rate], key)
    return table


def encounters_by_weekday_and_hour(scope: Scope) -> Table:
    """When to stand: encounters by day of the week and hour of the day, Paris time.

    On the rollups, from the daily hour counts (the monthly ones have no weekday): one
    GROUP BY over a few rows a day, whatever the number of encounters."""
    if _use_rollups(scope):
        counted = (
            DailyHour.objects.using(reporting_db())
            .filter(_rollup_filter(scope, scope.period.start, scope.period.end))
            .annotate(weekday=ExtractIsoWeekDay("day"))
            .values("weekday", "hour")
            .annotate(n=Sum("encounters"))
            .values_list("weekday", "hour", "n")
            .order_by()
        )
    else:
        counted = (
            _encounters(scope)
            .annotate(
                weekday=ExtractIsoWeekDay("occurred_at", tzinfo=PARIS),
                hour=ExtractHour("occurred_at", tzinfo=PARIS),
            )
            .values("weekday", "hour")
            .annotate(n=Count("pk"))
            .values_list("weekday", "hour", "n")
            .order_by()
        )
    cells = {(weekday, hour): n for weekday, hour, n in counted if n}
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
    if _use_rollups(scope):
        counts = {
            hour: n
            for (hour,), (n,) in _rollup_sums(
                DailyHour, scope, ("hour",), {"n": "encounters"}
            ).items()
        }
    else:
        counts = dict(
            _encounters(scope)
            .annotate(hour=ExtractHour("occurred_at", tzinfo=PARIS))
            .values("hour")
            .annotate(n=Count("pk"))
            .values_list("hour", "n")
        )
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
    if _use_rollups(scope):
        counts = {
            topic: n
            for (topic,), (n,) in _rollup_sums(
                DailyTopic, scope, ("topic",), {"n": "encounters"}
            ).items()
        }
    else:
        counts = dict(
            EncounterTopic.objects.using(reporting_db())
            .filter(_encounter_filter(scope, "encounter__"))
            .values("topic")
            .annotate(n=Count("pk"))
            .values_list("topic", "n")
        )
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
    if _use_rollups(scope):
        counted = [
            (*key, n)
            for key, (n,) in _rollup_sums(
                DailySignal, scope, ("right_id", "reason"), {"n": "signals"}
            ).items()
        ]
    else:
        counted = (
            NonTakeUpSignal.objects.using(reporting_db())
            .filter(_encounter_filter(scope, "encounter__"))
            .values("right_id", "reason")
            .annotate(n=Count("pk"))
            .values_list("right_id", "reason", "n")
        )
    for right_id, reason, n in counted:
        cells[right_id][reason] = n
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
    cells: dict = defaultdict(lambda: defaultdict(int))
    if _use_rollups(scope):
        # By month from the monthly rows, by day from the daily ones (the days around
        # the whole months), added up by month here: truncating a date to its month in
        # SQL casts every row to a timestamp, which costs more.
        for (day, reason), (n,) in _rollup_sums(
            DailySignal, scope, ("day", "reason"), {"n": "signals"}
        ).items():
            cells[reason][day.replace(day=1)] += n
    else:
        for month, reason, n in (
            NonTakeUpSignal.objects.using(reporting_db())
            .filter(_encounter_filter(scope, "encounter__"))
            .annotate(month=TruncMonth("encounter__occurred_at", tzinfo=PARIS))
            .values("month", "reason")
            .annotate(n=Count("pk"))
            .values_list("month", "reason", "n")
        ):
            cells[reason][month.date() if hasattr(month, "date") else month] = n
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
    if _use_rollups(scope):
        counted = [
            (*key, n)
            for key, (n,) in _rollup_sums(
                DailyReferral, scope, ("partner_id", "partner_kind", "outcome"), {"n": "referrals"}
            ).items()
        ]
    else:
        counted = (
            Referral.objects.using(reporting_db())
            .filter(_encounter_filter(scope, "encounter__"))
            .values("partner_id", "partner_kind", "outcome")
            .annotate(n=Count("pk"))
            .values_list("partner_id", "partner_kind", "outcome", "n")
        )
    for partner_id, kind, outcome, n in counted:
        key = ("p", partner_id) if partner_id else ("k", kind)
        cells[key][outcome] = cells[key].get(outcome, 0) + n
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
    if _use_rollups(scope):
        totals = _activity_totals(scope)
        row = {
            "proposed": totals["referrals"],
            "accepted": totals["referrals_accepted"],
            "done": totals["referrals_done"],
        }
    else:
        row = (
            Referral.objects.using(reporting_db())
            .filter(_encounter_filter(scope, "encounter__"))
            .aggregate(
                proposed=Count("pk"),
                accepted=Count(
                    "pk", filter=Q(outcome__in=[ReferralOutcome.ACCEPTED, ReferralOutcome.DONE])
                ),
                done=Count("pk", filter=Q(outcome=ReferralOutcome.DONE)),
            )
        )
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
    table.add_row(_("Proposed"), [row["proposed"]], "proposed")
    table.add_row(_("Accepted"), [row["accepted"]], "accepted")
    table.add_row(_("Done"), [row["done"]], "done")
    return table


def by_territory(scope: Scope) -> Table:
    """Sessions, encounters, signals and referrals by territory of the session."""
    if _use_rollups(scope):
        sums = {"held": "sessions", "n": "encounters", "s": "signals", "r": "referrals"}
        rows = [
            (t, *values)
            for (t,), values in _rollup_sums(DailyActivity, scope, ("territory_id",), sums).items()
        ]
        sessions = {t: held for t, held, _n, _s, _r in rows if held}
        encounters = {t: (n, s, r) for t, _held, n, s, r in rows if n}
    else:
        sessions = dict(
            _sessions(scope)
            .values("territory_id")
            .annotate(n=Count("pk", distinct=True))
            .values_list("territory_id", "n")
        )
        encounters = {
            t: (n, s, r)
            for t, n, s, r in _encounters(scope)
            .values("session__territory_id")
            .annotate(
                n=Count("pk", distinct=True),
                s=Count("signals", distinct=True),
                r=Count("referrals", distinct=True),
            )
            .values_list("session__territory_id", "n", "s", "r")
        }
    names = dict(
        Territory.objects.using(reporting_db())
        .filter(pk__in={*sessions, *encounters})
        .values_list("pk", "name")
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
    for pk in sorted({*sessions, *encounters}, key=lambda pk: names.get(pk, "")):
        n, s, r = encounters.get(pk, (0, 0, 0))
        table.add_row(names.get(pk, "?"), [sessions.get(pk, 0), n, s, r], f"territory:{pk}")
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
        table.add_row(str(label), [round(f[key]) for f in figures], key)
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


def recent_months(scope: Scope, *, place_id: int | None = None) -> Table:
    """Encounters, non-take-up signals and referrals each month of the scope's period, for
    the scope's territories or for one place: the small table of the place and territory
    pages (one query).

    A territory's figures read the rollups. A place's come from the live tables: the
    rollups count signals and referrals by territory, not by place, and one place over a
    few months is a narrow range of the (organisation, occurred_at) index."""
    cells: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    if place_id is None and _use_rollups(scope):
        sums = {"n": "encounters", "s": "signals", "r": "referrals"}
        for (day,), values in _rollup_sums(DailyActivity, scope, ("day",), sums).items():
            month = cells[day.replace(day=1)]
            for j, value in enumerate(values):
                month[j] += value or 0
    else:
        encounters = _encounters(scope)
        if place_id is not None:
            encounters = encounters.filter(session__place_id=place_id)
        for month, n, s, r in (
            encounters.annotate(month=TruncMonth("occurred_at", tzinfo=PARIS))
            .values("month")
            .annotate(
                n=Count("pk", distinct=True),
                s=Count("signals", distinct=True),
                r=Count("referrals", distinct=True),
            )
            .values_list("month", "n", "s", "r")
        ):
            cells[month.date() if hasattr(month, "date") else month] = [n, s, r]
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
        table.add_row(month_label(day), cells[day], day.isoformat())
        day = Period.month(day).end
    return table
