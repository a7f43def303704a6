"""Time in Europe/Paris: local days and wall-clock times, month arithmetic, periods.

Every day, month and period of Terrain is a local one. A period is a half-open range of
local dates [start, end). Its datetime bounds are midnight in Europe/Paris, so an
encounter at 23:30 on 31 March belongs to March even though it is 21:30 or 22:30 UTC.
Knows no domain: the apps above all take their time from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

PARIS = ZoneInfo("Europe/Paris")


def local_datetime(day: date, at: time) -> datetime:
    """``day`` at wall-clock time ``at`` in Europe/Paris, as an aware datetime.

    zoneinfo picks the right offset for each day: 9:00 is 08:00 UTC in winter and
    07:00 UTC in summer. A time that does not exist (2:30 on the March change) comes
    out as the same instant as 3:30 summer time, as zoneinfo's fold=0 rule gives.
    """
    return datetime.combine(day, at, tzinfo=PARIS)


def local_day(moment: datetime) -> date:
    """The day in Europe/Paris of an aware ``moment``."""
    return moment.astimezone(PARIS).date()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """Local midnight at the start of ``day`` and of the next day."""
    return local_datetime(day, time.min), local_datetime(day + timedelta(days=1), time.min)


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after (or before) the month of ``day``."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # exclusive

    @classmethod
    def month(cls, day: date) -> Period:
        first = day.replace(day=1)
        return cls("month", first, add_months(first, 1))

    @classmethod
    def quarter(cls, day: date) -> Period:
        first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        return cls("quarter", first, add_months(first, 3))

    @classmethod
    def year(cls, day: date) -> Period:
        return cls("year", date(day.year, 1, 1), date(day.year + 1, 1, 1))

    @classmethod
    def custom(cls, start: date, last: date) -> Period:
        return cls("custom", start, last + timedelta(days=1))

    @classmethod
    def of(cls, kind: str, day: date) -> Period:
        return {"month": cls.month, "quarter": cls.quarter, "year": cls.year}[kind](day)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def whole_months(self) -> tuple[date, date] | None:
        """The whole months inside the period, as [first day, end), or None."""
        first = self.start if self.start.day == 1 else add_months(self.start, 1)
        end = self.end.replace(day=1)
        return (first, end) if first < end else None

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time(0), tzinfo=PARIS)

    @property
    def end_at(self) -> datetime:
        return datetime.combine(self.end, time(0), tzinfo=PARIS)

    def previous(self) -> Period:
        """The period just before, of the same kind and length."""
        if self.kind == "month":
            return Period.month(add_months(self.start, -1))
        if self.kind == "quarter":
            return Period.quarter(add_months(self.start, -3))
        if self.kind == "year":
            return Period.year(date(self.start.year - 1, 1, 1))
        if self.start.day == 1 and self.end.day == 1:
            # Whole months (1 to 30 November): the same number of whole months before
            # (1 to 31 October), not the same number of days (2 to 31 October).
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
            return Period("custom", add_months(self.start, -months), self.start)
        length = self.end - self.start
        return Period("custom", self.start - length, self.start)

    def last_twelve_months(self) -> Period:
        """The twelve whole months that end with the period's last month (for trends)."""
        return Period("custom", add_months(self.last_day, -11), Period.month(self.last_day).end)

    def same_last_year(self) -> Period:
        try:
            start = self.start.replace(year=self.start.year - 1)
            end = self.end.replace(year=self.end.year - 1)
        except ValueError:  # 29 February
            start = self.start.replace(year=self.start.year - 1, day=28)
            end = self.end.replace(year=self.end.year - 1, day=28)
        return Period(self.kind, start, end)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return date_format(self.start, "F Y")
        if self.kind == "quarter":
            return _("Q%(quarter)s %(year)s") % {
                "quarter": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        if self.kind == "year":
            return str(self.start.year)
        first, last = self.start, self.last_day
        if first == last:
            return span_label(self)
        # What the two ends share is said once: "du 1er au 30 novembre 2026",
        # "du 30 octobre au 9 novembre 2026", "du 30 décembre 2025 au 2 janvier 2026".
        end = f"{_day(last)} {date_format(last, 'F Y')}"
        if (first.year, first.month) == (last.year, last.month):
            start = _day(first)
        elif first.year == last.year:
            start = f"{_day(first)} {date_format(first, 'F')}"
        else:
            start = f"{_day(first)} {date_format(first, 'F Y')}"
        return _("%(start)s to %(end)s") % {"start": start, "end": end}


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February: the 28th of the year before
        return day.replace(year=day.year - 1, day=28)


def _months_back(day: date, months: int) -> date:
    """The same day ``months`` earlier, or the last day of that month when it is shorter
    (31 March -> 28 February)."""
    first = add_months(day, -months)
    last = add_months(first, 1) - timedelta(days=1)
    return first.replace(day=min(day.day, last.day))


def _day(day: date) -> str:
    # "1er décembre" in French, "1 December" in English, "2 décembre" after it.
    return pgettext("the first day of a month", "1") if day.day == 1 else str(day.day)


def span_label(period: Period) -> str:
    """Days of a period in words: "1er–2 décembre 2026", "30 novembre – 2 décembre 2026"."""
    first, last = period.start, period.last_day
    if first == last:
        return f"{_day(first)} {date_format(first, 'F Y')}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{_day(first)}–{_day(last)} {date_format(last, 'F Y')}"
    if first.year == last.year:
        return f"{_day(first)} {date_format(first, 'F')} – {_day(last)} {date_format(last, 'F Y')}"
    return f"{_day(first)} {date_format(first, 'F Y')} – {_day(last)} {date_format(last, 'F Y')}"


@dataclass(frozen=True)
class Comparison:
    """A period and what it is fairly compared with. A period still running (today is in
    it) is cut at today, and compared with the same number of days at the start of the
    period before and of the same period last year: 1–2 December with 1–2 November, never
    with the whole of November."""

    current: Period
    previous: Period
    last_year: Period
    running: bool
    # Reports of a running year or quarter stop at the last ended month (see
    # reports.report.report_comparison): the sentence says so.
    ended_months: bool = False
    # Custom dates are compared with the days just before them and a year earlier: the
    # sentence names both, day by day.
    custom: bool = False

    @classmethod
    def of(cls, period: Period, today: date) -> Comparison:
        custom = period.kind == "custom"
        if not period.start <= today < period.end:
            return cls(period, period.previous(), period.same_last_year(), False, custom=custom)
        current = Period("custom", period.start, today + timedelta(days=1))
        months = {"month": 1, "quarter": 3, "year": 12}.get(period.kind)
        if months is None:  # custom dates: the same number of days just before
            before = period.previous()
            previous = Period("custom", before.start, before.start + (current.end - current.start))
        else:
            previous = Period(
                "custom",
                add_months(period.start, -months),
                _months_back(today, months) + timedelta(days=1),
            )
        last_year = Period(
            "custom", _year_before(period.start), _months_back(today, 12) + timedelta(days=1)
        )
        return cls(current, previous, last_year, True, custom=custom)

    @property
    def sentence(self) -> str:
        if self.custom:
            return self._custom_sentence()
        if self.ended_months and self.previous == self.last_year:  # a year
            return _(
                "%(current)s: the months ended so far (the month under way is left out "
                "until it ends), compared with the same months: %(previous)s."
            ) % {"current": span_label(self.current), "previous": span_label(self.previous)}
        if self.ended_months:
            return _(
                "%(current)s: the months ended so far (the month under way is left out "
                "until it ends), compared with the same months: %(previous)s and "
                "%(last_year)s."
            ) % {
                "current": span_label(self.current),
                "previous": span_label(self.previous),
                "last_year": span_label(self.last_year),
            }
        if self.running and self.previous == self.last_year:  # a year: one comparison
            return _("%(current)s so far, compared with the same days: %(previous)s.") % {
                "current": span_label(self.current),
                "previous": span_label(self.previous),
            }
        if self.running:
            return _(
                "%(current)s so far, compared with the same days: %(previous)s and %(last_year)s."
            ) % {
                "current": span_label(self.current),
                "previous": span_label(self.previous),
                "last_year": span_label(self.last_year),
            }
        if self.previous == self.last_year:
            return _("%(current)s, compared with %(previous)s.") % {
                "current": self.current.label,
                "previous": self.previous.label,
            }
        return _("%(current)s, compared with %(previous)s and %(last_year)s.") % {
            "current": self.current.label,
            "previous": self.previous.label,
            "last_year": self.last_year.label,
        }

    def _custom_sentence(self) -> str:
        # Days in words on both sides ("1er–30 novembre 2026"), never a label that
        # brings its own preposition ("du … au …") into the sentence.
        words = {
            "current": span_label(self.current),
            "previous": span_label(self.previous),
            "last_year": span_label(self.last_year),
        }
        if self.previous == self.last_year:  # a whole year: the year before, once
            return (
                pgettext(
                    "custom dates",
                    "%(current)s, compared with %(previous)s (just before and a year earlier).",
                )
                % words
            )
        return (
            pgettext(
                "custom dates",
                "%(current)s, compared with %(previous)s (just before) and %(last_year)s "
                "(a year earlier).",
            )
            % words
        )
