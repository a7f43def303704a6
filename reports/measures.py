"""What each figure counts: defined once, read from the live tables or from the rollups.

A ``Measure`` is a count of rows (or a sum of a column) of one live table, the
``Source``, that meet a condition: "conversations" are the encounters of kind
conversation, "referrals_accepted" the referrals accepted or done, "field_time" the sum
of the sessions' durations. A ``Dimension`` is what figures are split by (territory,
place, hour, topic, right, reason…), with its value on each live table and in the
rollups.

Three things derive from these definitions and nothing else:

- the live figures (``reports.selectors.figure_sums`` on the live tables: the member
  filter, and the reference the rollups are tested against), through
  ``Measure.aggregate`` and ``Dimension.live``;
- the refresh of a day (``reports.rollups``: one GROUP BY per source, the same
  aggregates), through ``ROLLUPS``, which names the measure of each rollup column;
- the addition of a new encounter (``reports.rollups.rollup_add_encounter``: a few
  increments), through ``Measure.of`` and ``Dimension.of``, which evaluate the same
  condition and the same value on the rows just saved.

So "what counts as a conversation" is written here, once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    Count,
    DurationField,
    Expression,
    ExpressionWrapper,
    F,
    Q,
    Sum,
)
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncDate, TruncMonth
from django.utils import timezone

from core.time import PARIS
from encounters.models import (
    Encounter,
    EncounterKind,
    EncounterTopic,
    NonTakeUpSignal,
    Referral,
    ReferralOutcome,
)
from outreach.models import OutreachSession, SessionStatus
from reports.models import (
    DailyActivity,
    DailyHour,
    DailyPlace,
    DailyReferral,
    DailySignal,
    DailyTopic,
    Rollup,
)


@dataclass(frozen=True)
class Source:
    """A live table the figures count: its rows, the moment that gives their day, the
    path to their session (territory and kind) and, for the children of an encounter,
    the name of the relation from the encounter."""

    name: str
    model: type
    when: str
    session: str  # "" for the sessions themselves, else a path ending in "__"
    rows: Q = field(default_factory=Q)  # which rows count at all
    relation: str = ""  # from Encounter (topics, signals, referrals)


SESSIONS = Source("sessions", OutreachSession, "starts_at", "", rows=Q(status=SessionStatus.DONE))
ENCOUNTERS = Source("encounters", Encounter, "occurred_at", "session__")
TOPICS = Source(
    "topics", EncounterTopic, "encounter__occurred_at", "encounter__session__", relation="topics"
)
SIGNALS = Source(
    "signals",
    NonTakeUpSignal,
    "encounter__occurred_at",
    "encounter__session__",
    relation="signals",
)
REFERRALS = Source(
    "referrals",
    Referral,
    "encounter__occurred_at",
    "encounter__session__",
    relation="referrals",
)
SOURCES = (SESSIONS, ENCOUNTERS, TOPICS, SIGNALS, REFERRALS)
# The children of an encounter: their day, territory and kind are their encounter's.
CHILDREN = (TOPICS, SIGNALS, REFERRALS)


@dataclass(frozen=True)
class Measure:
    """A count of the source's rows that meet ``where`` (field: allowed values), or the
    sum of ``total`` over them."""

    source: Source
    where: tuple[tuple[str, tuple], ...] = ()
    total: str | Expression | None = None

    def condition(self, prefix: str = "") -> Q | None:
        if not self.where:
            return None
        return Q(**{f"{prefix}{name}__in": list(values) for name, values in self.where})

    def aggregate(self, prefix: str = "", distinct: bool = False):
        """The SQL aggregate over the source's rows, reached through ``prefix`` (an
        encounter's children are counted from the encounters as ``signals__``…)."""
        condition = self.condition(prefix)
        if self.total is None:
            return Count(f"{prefix}pk", filter=condition, distinct=distinct)
        if prefix or distinct:
            raise ValueError("a sum is read from its own table")
        return Sum(self.total, filter=condition)

    def of(self, row: Any) -> int:
        """The measure of one row just saved (the addition of a new encounter)."""
        if self.total is not None:
            raise ValueError("only counts are added row by row")
        return int(all(getattr(row, name) in values for name, values in self.where))


_DURATION = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())
_ACCEPTED = (ReferralOutcome.ACCEPTED, ReferralOutcome.DONE)

MEASURES: dict[str, Measure] = {
    "sessions": Measure(SESSIONS),
    "field_time": Measure(SESSIONS, total=_DURATION),
    "brief_contacts": Measure(SESSIONS, total="brief_contacts"),
    "refusals": Measure(SESSIONS, total="refusals"),
    "encounters": Measure(ENCOUNTERS),
    "conversations": Measure(ENCOUNTERS, where=(("kind", (EncounterKind.CONVERSATION,)),)),
    "on_site_help": Measure(ENCOUNTERS, where=(("kind", (EncounterKind.ON_SITE_HELP,)),)),
    "first_time": Measure(ENCOUNTERS, where=(("first_time", (True,)),)),
    "already_met": Measure(ENCOUNTERS, where=(("first_time", (False,)),)),
    "topics": Measure(TOPICS),  # encounters that touched on a topic
    "signals": Measure(SIGNALS),
    "referrals": Measure(REFERRALS),
    "referrals_accepted": Measure(REFERRALS, where=(("outcome", _ACCEPTED),)),
    "referrals_done": Measure(REFERRALS, where=(("outcome", (ReferralOutcome.DONE,)),)),
}


def _on_session(name: str) -> Callable[[Source], Any]:
    return lambda source: F(f"{source.session}{name}")


def _on_moment(function: Callable[[str], Expression]) -> Callable[[Source], Any]:
    return lambda source: function(source.when)


def _month(value: date | datetime) -> date:
    return (value.date() if isinstance(value, datetime) else value).replace(day=1)


@dataclass(frozen=True)
class Dimension:
    """What figures are split by.

    ``live(source)`` is its SQL value on a live table (None where the table has no such
    value), ``of(row, encounter, session)`` its value on a row of a new encounter,
    ``rollup`` the rollup column (or expression) it is read from, ``clean`` what turns
    a value read into the figure's (a day into its month). ``daily_only``: the monthly
    rollups cannot give it (the weekday of a day)."""

    live: Callable[[Source], Any]
    of: Callable[[Any, Encounter, OutreachSession], Any] | None
    rollup: str | Expression
    clean: Callable[[Any], Any] | None = None
    daily_only: bool = False
    on_encounter: bool = True  # the same on an encounter's children as on the encounter


def _row_field(name: str, *sources: Source) -> Dimension:
    return Dimension(
        live=lambda source: F(name) if source in sources else None,
        of=lambda row, encounter, session: getattr(row, name),
        rollup=name,
        on_encounter=False,
    )


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment, PARIS)


DIMENSIONS: dict[str, Dimension] = {
    "day": Dimension(
        live=_on_moment(lambda when: TruncDate(when, tzinfo=PARIS)),
        of=lambda row, encounter, session: _local(encounter.occurred_at).date(),
        rollup="day",
        daily_only=True,  # a monthly row is on the first day of its month
    ),
    "territory_id": Dimension(
        live=_on_session("territory_id"),
        of=lambda row, encounter, session: session.territory_id,
        rollup="territory_id",
    ),
    "session_kind": Dimension(
        live=_on_session("kind"),
        of=lambda row, encounter, session: session.kind,
        rollup="session_kind",
    ),
    "place_id": Dimension(
        live=_on_session("place_id"),
        of=lambda row, encounter, session: session.place_id,
        rollup="place_id",
    ),
    "hour": Dimension(
        live=_on_moment(lambda when: ExtractHour(when, tzinfo=PARIS)),
        of=lambda row, encounter, session: _local(encounter.occurred_at).hour,
        rollup="hour",
    ),
    "weekday": Dimension(
        live=_on_moment(lambda when: ExtractIsoWeekDay(when, tzinfo=PARIS)),
        of=None,
        rollup=ExtractIsoWeekDay("day"),
        daily_only=True,
    ),
    "month": Dimension(
        live=_on_moment(lambda when: TruncMonth(when, tzinfo=PARIS)),
        of=None,
        # By day in the rollups (the monthly rows are on their first day), added up by
        # month in Python: truncating a date in SQL casts every row to a timestamp.
        rollup="day",
        clean=_month,
    ),
    "topic": _row_field("topic", TOPICS),
    "right_id": _row_field("right_id", SIGNALS),
    "reason": _row_field("reason", SIGNALS),
    "partner_id": _row_field("partner_id", REFERRALS),
    "partner_kind": _row_field("partner_kind", REFERRALS),
    "outcome": _row_field("outcome", REFERRALS),
}
# Every rollup row is keyed by these, then by its table's own keys (Rollup.keys).
ROLLUP_KEYS = ("day", "territory_id", "session_kind")

# The measure kept in each column of each daily rollup table (the monthly tables hold
# the same columns, summed by month).
ROLLUPS: dict[type[Rollup], dict[str, str]] = {
    DailyActivity: {name: name for name in DailyActivity.sums},
    DailyTopic: {"encounters": "topics"},
    DailySignal: {"signals": "signals"},
    DailyReferral: {"referrals": "referrals"},
    DailyPlace: {"encounters": "encounters", "field_time": "field_time"},
    DailyHour: {"encounters": "encounters"},
}


def zero(name: str) -> int | timedelta:
    """A measure over no row, as the rollup columns start."""
    return timedelta() if name == "field_time" else 0
