"""Daily and monthly rollups of the dashboard figures, kept exact by the write services.

``rollup_refresh_day`` recomputes every daily rollup row of one organisation and local
day from the live tables (delete, then insert), then the monthly rows of its month from
the daily ones; the write services of encounters and sessions call it inside their own
transaction, after their writes, so that the figures change in the same commit as the
data. A ``RollupLock`` row per month, locked by an upsert, makes two writers of the same
month take turns: the second one recomputes after the first has committed, and sees its
rows (READ COMMITTED takes a new snapshot per statement).

``rollup_add_encounter`` is the hot path of field mode: a new conversation adds one to a
few counters (daily and monthly) under the same lock, instead of recomputing the day. A
refresh waiting on the lock then sees the new encounter; an addition waiting on a
refresh increments the rows the refresh has just written, which could not see the
uncommitted encounter.

``rollup_rebuild`` recomputes a range of days with one aggregate query per live table,
whatever the number of days: for the ``rebuild_rollups`` command, a bulk load or a fix.

What each column counts is not written here: the refresh and the addition both derive
it from reports.measures (``ROLLUPS`` names the measure of each column), as the live
figures do.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Max, Min, Q, Sum
from django.db.models.functions import TruncMonth

from core.time import add_months, local_datetime, local_day
from encounters.models import Encounter, EncounterTopic, NonTakeUpSignal, Referral
from organisations.models import Organisation
from outreach.models import OutreachSession
from reports.measures import (
    DIMENSIONS,
    ENCOUNTERS,
    MEASURES,
    REFERRALS,
    ROLLUP_KEYS,
    ROLLUPS,
    SIGNALS,
    SOURCES,
    TOPICS,
    Source,
    zero,
)
from reports.models import (
    DailyActivity,
    DailyHour,
    DailyPlace,
    DailyReferral,
    DailySignal,
    DailyTopic,
    MonthlyActivity,
    MonthlyHour,
    MonthlyPlace,
    MonthlyReferral,
    MonthlySignal,
    MonthlyTopic,
    Rollup,
    RollupLock,
)

ROLLUP_MODELS: tuple[type[Rollup], ...] = (
    DailyActivity,
    DailyTopic,
    DailySignal,
    DailyReferral,
    DailyPlace,
    DailyHour,
)
# The monthly table of each daily one: the sums of its rows by month.
MONTHLY: dict[type[Rollup], type[Rollup]] = {
    DailyActivity: MonthlyActivity,
    DailyTopic: MonthlyTopic,
    DailySignal: MonthlySignal,
    DailyReferral: MonthlyReferral,
    DailyPlace: MonthlyPlace,
    DailyHour: MonthlyHour,
}
_BATCH = 2000


def _between(field: str, start: date | None, end: date | None) -> Q:
    """``field`` (a datetime) within the local days [start, end); open where None."""
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": local_datetime(start, time.min)})
    if end is not None:
        q &= Q(**{f"{field}__lt": local_datetime(end, time.min)})
    return q


def _fed_by(source: Source) -> list[tuple[type[Rollup], dict[str, str]]]:
    """The rollup tables ``source`` feeds, each with the columns it gives (column:
    measure), from the definitions in reports.measures."""
    fed = []
    for table, columns in ROLLUPS.items():
        mine = {column: m for column, m in columns.items() if MEASURES[m].source is source}
        if mine:
            fed.append((table, mine))
    return fed


def _blank(table: type[Rollup], organisation_id: int, keys: dict[str, Any]) -> Rollup:
    """A new rollup row: its columns at their defaults (None for the field time of a
    place where no session was held), or 0."""
    row = table(organisation_id=organisation_id, **keys)
    for column, m in ROLLUPS[table].items():
        if getattr(row, column) is None and not table._meta.get_field(column).null:
            setattr(row, column, zero(m))
    return row


def _compute(organisation_id: int, start: date | None, end: date | None) -> dict[type, list]:
    """Every rollup row of the organisation for the days [start, end): one aggregate
    query per live table (sessions, encounters, topics, signals, referrals), grouped by
    day, territory, kind and the keys of the tables it feeds, with the measures of
    reports.measures; each row is then added to the rollup rows it falls in."""
    rows: dict[type[Rollup], dict[tuple, Rollup]] = {table: {} for table in ROLLUPS}
    for source in SOURCES:
        fed = _fed_by(source)
        dims = list(dict.fromkeys([*ROLLUP_KEYS, *(k for table, _c in fed for k in table.keys)]))
        names = list(dict.fromkeys(m for _table, columns in fed for m in columns.values()))
        grouped = (
            source.model.objects.filter(
                source.rows, _between(source.when, start, end), organisation_id=organisation_id
            )
            .values(**{f"d_{d}": DIMENSIONS[d].live(source) for d in dims})
            .annotate(**{f"m_{m}": MEASURES[m].aggregate() for m in names})
            .order_by()
        )
        for row in grouped.iterator():
            for table, columns in fed:
                keys = {k: row[f"d_{k}"] for k in (*ROLLUP_KEYS, *table.keys)}
                key = tuple(keys.values())
                target = rows[table].get(key)
                if target is None:
                    target = rows[table][key] = _blank(table, organisation_id, keys)
                for column, m in columns.items():
                    value, before = row[f"m_{m}"], getattr(target, column)
                    if value is not None:
                        setattr(target, column, value if before is None else before + value)
    return {table: list(by_key.values()) for table, by_key in rows.items()}


def _days(organisation_id: int, start: date | None, end: date | None) -> Q:
    days = Q(organisation_id=organisation_id)
    if start is not None:
        days &= Q(day__gte=start)
    if end is not None:
        days &= Q(day__lt=end)
    return days


def _month(day: date) -> date:
    return day.replace(day=1)


def _replace_days(organisation_id: int, start: date | None, end: date | None) -> dict[str, int]:
    """Delete the daily rollup rows of the days [start, end) and insert them afresh."""
    rows = _compute(organisation_id, start, end)
    days = _days(organisation_id, start, end)
    counts = {}
    for model in ROLLUP_MODELS:
        model.objects.filter(days).delete()
        model.objects.bulk_create(rows[model], batch_size=_BATCH)
        counts[model.__name__] = len(rows[model])
    return counts


def _replace_months(organisation_id: int, first: date | None, end: date | None) -> dict:
    """The monthly rows of the months [first, end) afresh, summed from the daily rows
    (one aggregate query per table)."""
    months = _days(organisation_id, first, end)
    counts = {}
    for daily, monthly in MONTHLY.items():
        sums = (
            daily.objects.filter(months)
            .annotate(month=TruncMonth("day"))
            .values("month", "territory_id", "session_kind", *daily.keys)
            .annotate(**{f"total_{name}": Sum(name) for name in daily.sums})
            .order_by()
        )
        rows = [
            monthly(
                organisation_id=organisation_id,
                day=row["month"],
                territory_id=row["territory_id"],
                session_kind=row["session_kind"],
                **{key: row[key] for key in daily.keys},
                **{name: row[f"total_{name}"] for name in daily.sums},
            )
            for row in sums.iterator()
        ]
        monthly.objects.filter(months).delete()
        monthly.objects.bulk_create(rows, batch_size=_BATCH)
        counts[monthly.__name__] = len(rows)
    return counts


def _lock_months(organisation_id: int, days: Iterable[date]) -> None:
    """Take the row lock of the month of each day, in date order (two writers never wait
    on each other in a cycle), creating the rows that do not exist yet: one upsert, since
    INSERT ... ON CONFLICT DO UPDATE locks the row it updates until the end of the
    transaction, as SELECT ... FOR UPDATE would."""
    months = sorted({_month(day) for day in days})
    RollupLock.objects.bulk_create(
        [RollupLock(organisation_id=organisation_id, month=m) for m in months],
        update_conflicts=True,
        unique_fields=["organisation", "month"],
        update_fields=["refreshed_at"],
        batch_size=_BATCH,
    )


# Where a row's counts are added with one UPDATE per row but all in one statement
# (data-modifying WITH queries); elsewhere one ORM update per row.
ONE_STATEMENT_VENDORS = {"postgresql"}

Addition = tuple[type[Rollup], dict[str, Any], dict[str, int]]


def _add(additions: list[Addition]) -> None:
    """Add each addition's counts to its row (model, key), creating the missing rows.
    Only under the month's lock: two writers could otherwise both find no row and both
    create one."""
    if connection.vendor in ONE_STATEMENT_VENDORS:
        found = _update_in_one_statement(additions)
    else:
        found = [
            model.objects.filter(**key).update(**{c: F(c) + n for c, n in counts.items() if n})
            for model, key, counts in additions
        ]
    for (model, key, counts), n in zip(additions, found, strict=True):
        if not n:
            model.objects.create(**key, **counts)


def _update_in_one_statement(additions: list[Addition]) -> list[int]:
    """The UPDATEs of ``additions`` in one round trip: how many rows each one found."""
    parts, params = [], []
    for i, (model, key, counts) in enumerate(additions):
        table = connection.ops.quote_name(model._meta.db_table)
        sets = []
        for name, n in counts.items():
            if n:
                column = connection.ops.quote_name(name)
                sets.append(f"{column} = {column} + %s")
                params.append(n)
        where = []
        for name, value in key.items():
            column = connection.ops.quote_name(name)
            if value is None:
                where.append(f"{column} IS NULL")
            else:
                where.append(f"{column} = %s")
                params.append(value)
        parts.append(
            f"u{i} AS (UPDATE {table} SET {', '.join(sets)} "
            f"WHERE {' AND '.join(where)} RETURNING 1)"
        )
    counts = ", ".join(f"(SELECT count(*) FROM u{i})" for i in range(len(additions)))
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(parts)} SELECT {counts}", params)
        return list(cursor.fetchone())


def rollup_add_encounter(
    encounter: Encounter,
    *,
    session: OutreachSession,
    topics: list[str],
    signals: list[NonTakeUpSignal],
    referrals: list[Referral],
) -> None:
    """Count a new encounter, just saved with its children, in the rollups of its day.

    Call it inside the transaction that saved them. Two statements on PostgreSQL (the
    lock, then every increment) where ``rollup_refresh_day`` needs about 40. What it
    adds comes from the same definitions as the refresh (``Measure.of`` and
    ``Dimension.of`` of reports.measures), so it writes what a refresh of the day would
    write (tests/reports/test_rollups.py checks both ways)."""
    day = local_day(encounter.occurred_at)
    _lock_months(encounter.organisation_id, [day])
    saved = {
        ENCOUNTERS: [encounter],
        TOPICS: [
            EncounterTopic(organisation_id=encounter.organisation_id, topic=topic)
            for topic in dict.fromkeys(topics)
        ],
        SIGNALS: signals,
        REFERRALS: referrals,
    }
    # The counts to add to each rollup row (table, keys), from every source at once:
    # the activity row of the day gets its encounter, signals and referrals in one update.
    counts: dict[tuple, Counter] = {}
    for source, saved_rows in saved.items():
        for table, columns in _fed_by(source):
            for row in saved_rows:
                keys = tuple(
                    (k, DIMENSIONS[k].of(row, encounter, session))
                    for k in (*ROLLUP_KEYS, *table.keys)
                )
                added = counts.setdefault((table, keys), Counter())
                for column, m in columns.items():
                    added[column] += MEASURES[m].of(row)
    rows: list[Addition] = [
        (table, {"organisation_id": encounter.organisation_id, **dict(keys)}, dict(added))
        for (table, keys), added in counts.items()
    ]
    # Each row of the day, and the row of its month in the monthly table.
    _add(
        rows
        + [
            (MONTHLY[table], {**keys, "day": _month(keys["day"])}, added)
            for table, keys, added in rows
        ]
    )


def rollup_refresh_days(*, organisation_id: int, days: Iterable[date]) -> None:
    """Recompute the rollups of some days of an organisation (see rollup_refresh_day)."""
    days = sorted(set(days))
    with transaction.atomic():
        _lock_months(organisation_id, days)
        for day in days:
            _replace_days(organisation_id, day, day + timedelta(days=1))
        for month in sorted({_month(day) for day in days}):
            _replace_months(organisation_id, month, add_months(month, 1))


def rollup_refresh_day(*, organisation_id: int, day: date) -> None:
    """Recompute every rollup row of one organisation and local day from the live tables.

    Call it after the writes, inside the writing transaction: the lock it takes on the
    day makes a concurrent writer of the same day wait, then recompute with both writes.
    """
    rollup_refresh_days(organisation_id=organisation_id, days=[day])


def rollup_refresh_session(*, session: OutreachSession, also: Iterable[date] = ()) -> None:
    """After a change to a session: its start day (and ``also``, e.g. its former start
    day) and every day one of its encounters happened on, since their territory and kind
    come from the session."""
    days = {local_day(session.starts_at), *also}
    days.update(
        local_day(moment)
        for moment in Encounter.objects.filter(session_id=session.pk).values_list(
            "occurred_at", flat=True
        )
    )
    rollup_refresh_days(organisation_id=session.organisation_id, days=days)


def _span(organisation_id: int) -> tuple[date, date] | None:
    """The first and last local days with a session or an encounter (two queries)."""
    moments = [
        *OutreachSession.objects.filter(organisation_id=organisation_id)
        .aggregate(first=Min("starts_at"), last=Max("starts_at"))
        .values(),
        *Encounter.objects.filter(organisation_id=organisation_id)
        .aggregate(first=Min("occurred_at"), last=Max("occurred_at"))
        .values(),
    ]
    moments = [m for m in moments if m is not None]
    return (local_day(min(moments)), local_day(max(moments))) if moments else None


def rollup_rebuild(
    *,
    organisation_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Recompute the rollups of the days [start, end) (all days when None) of one
    organisation, or of every one: one aggregate query per live table and organisation,
    not one per day. Returns the number of rows written per table."""
    if organisation_id is None:
        ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = [organisation_id]
    total: dict[str, int] = defaultdict(int)
    for org_id in ids:
        with transaction.atomic():
            span = _span(org_id)
            first = start or (span[0] if span else None)
            last = end or (span[1] + timedelta(days=1) if span else None)
            if first is not None and last is not None and first < last:
                # Writers of these months wait until the rebuild commits, and vice versa.
                months = [first]
                while months[-1] < _month(last - timedelta(days=1)):
                    months.append(add_months(months[-1], 1))
                _lock_months(org_id, months)
            counts = _replace_days(org_id, start, end)
            counts.update(
                _replace_months(
                    org_id,
                    _month(start) if start is not None else None,
                    add_months(end - timedelta(days=1), 1) if end is not None else None,
                )
            )
        for name, n in counts.items():
            total[name] += n
        if progress is not None:
            rows = ", ".join(f"{name} {n}" for name, n in counts.items())
            progress(f"organisation {org_id}: {rows}")
    return dict(total)
