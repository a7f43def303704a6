from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation


class Report(models.Model):
    """The monthly (or annual) report of an organisation: narrative plus figures.

    The figures are computed live until a manager validates the report; validation stores
    a snapshot of them, so that an encounter corrected later shows as "changed since
    validation" instead of silently changing a report already sent to the board.
    """

    class Kind(models.TextChoices):
        MONTH = "month", _("Monthly report")
        YEAR = "year", _("Annual report")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    start = models.DateField()  # first day of the month or of the year
    highlights = models.TextField(_("highlights"), blank=True, max_length=10000)
    difficulties = models.TextField(_("difficulties"), blank=True, max_length=10000)
    partnerships = models.TextField(_("partnerships"), blank=True, max_length=10000)
    validated_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    # The small-count threshold of the organisation when the report was validated: the
    # report stays masked as it was sent if the setting changes later.
    snapshot_threshold = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("partnerships"), 10000),
                name="report_partnerships_max_length",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("difficulties"), 10000),
                name="report_difficulties_max_length",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("highlights"), 10000),
                name="report_highlights_max_length",
            ),
            models.UniqueConstraint(
                fields=["organisation", "kind", "start"], name="report_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(validated_at__isnull=True) | Q(snapshot__isnull=False),
                name="report_validated_with_snapshot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.kind} {self.start:%Y-%m}"

    @property
    def is_validated(self) -> bool:
        return self.validated_at is not None


# --- Rollups ------------------------------------------------------------------------
#
# The dashboard's counts per organisation, local (Europe/Paris) day, territory and kind
# of the session: the filters a dashboard applies, except the member one (which reads
# the live tables). Sessions count on the day they start, encounters (and their topics,
# signals and referrals) on the day they happened, as in reports.selectors.
#
# Each set of counts has two tables: by day (Daily*) and by month (Monthly*, whose ``day``
# is the first day of the month, the sum of the month's daily rows). A year or all time
# reads the monthly rows, about thirty times fewer; the days of a custom period that do
# not make a whole month read the daily ones. The write services keep both exact in
# their own transaction (reports.rollups); the rebuild_rollups command recomputes any
# range from the live tables.


class RollupLock(models.Model):
    """One row per organisation and month that has rollups: the lock that serialises the
    writes of that month's rollups, so that two concurrent writes cannot leave them
    stale (a month, not a day: two days of a month share their monthly rows)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # its first day
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "month"], name="rolluplock_org_month")
        ]


class Rollup(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()  # the day, or the first day of the month in Monthly* tables
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    session_kind = models.CharField(max_length=20)

    # The columns after (organisation, day, territory, session_kind) in each table's key,
    # and the counts summed over them.
    keys: tuple[str, ...] = ()
    sums: tuple[str, ...] = ()

    class Meta:
        abstract = True


class ActivityCounts(Rollup):
    """Sessions held (done) and their debrief counts; encounters, signals, referrals."""

    sessions = models.PositiveIntegerField(default=0)
    field_time = models.DurationField(default=timedelta)  # sum of (end - start)
    brief_contacts = models.PositiveIntegerField(default=0)
    refusals = models.PositiveIntegerField(default=0)
    encounters = models.PositiveIntegerField(default=0)
    conversations = models.PositiveIntegerField(default=0)
    on_site_help = models.PositiveIntegerField(default=0)
    first_time = models.PositiveIntegerField(default=0)
    already_met = models.PositiveIntegerField(default=0)
    signals = models.PositiveIntegerField(default=0)
    referrals = models.PositiveIntegerField(default=0)
    referrals_accepted = models.PositiveIntegerField(default=0)  # accepted or done
    referrals_done = models.PositiveIntegerField(default=0)

    sums = (
        "sessions",
        "field_time",
        "brief_contacts",
        "refusals",
        "encounters",
        "conversations",
        "on_site_help",
        "first_time",
        "already_met",
        "signals",
        "referrals",
        "referrals_accepted",
        "referrals_done",
    )

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "day", "territory", "session_kind"],
                name="%(class)s_key",
            )
        ]


class TopicCounts(Rollup):
    topic = models.CharField(max_length=20)
    encounters = models.PositiveIntegerField()

    keys = ("topic",)
    sums = ("encounters",)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "day", "territory", "session_kind", "topic"],
                name="%(class)s_key",
            )
        ]


class SignalCounts(Rollup):
    right = models.ForeignKey(
        "encounters.Right", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    reason = models.CharField(max_length=20)
    signals = models.PositiveIntegerField()

    keys = ("right_id", "reason")
    sums = ("signals",)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "day", "territory", "session_kind", "right", "reason"],
                name="%(class)s_key",
            )
        ]


class ReferralCounts(Rollup):
    partner = models.ForeignKey(
        "territories.Partner",
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        db_index=False,
    )
    partner_kind = models.CharField(max_length=30)
    outcome = models.CharField(max_length=20)
    referrals = models.PositiveIntegerField()

    keys = ("partner_id", "partner_kind", "outcome")
    sums = ("referrals",)

    class Meta:
        abstract = True
        indexes = [
            models.Index(
                fields=["organisation", "day", "territory", "session_kind"],
                name="%(class)s_org_day",
            )
        ]


class PlaceCounts(Rollup):
    """Encounters (by the place of their session) and field time of sessions held there."""

    place = models.ForeignKey(
        "territories.Place", on_delete=models.CASCADE, null=True, related_name="+", db_index=False
    )
    encounters = models.PositiveIntegerField(default=0)
    field_time = models.DurationField(null=True)  # None: no session held there that day

    keys = ("place_id",)
    sums = ("encounters", "field_time")

    class Meta:
        abstract = True
        indexes = [
            models.Index(
                fields=["organisation", "day", "territory", "session_kind"],
                name="%(class)s_org_day",
            )
        ]


class HourCounts(Rollup):
    """Encounters by hour of the day, Paris time."""

    hour = models.PositiveSmallIntegerField()
    encounters = models.PositiveIntegerField()

    keys = ("hour",)
    sums = ("encounters",)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "day", "territory", "session_kind", "hour"],
                name="%(class)s_key",
            )
        ]


class DailyActivity(ActivityCounts):
    pass


class DailyTopic(TopicCounts):
    pass


class DailySignal(SignalCounts):
    pass


class DailyReferral(ReferralCounts):
    pass


class DailyPlace(PlaceCounts):
    pass


class DailyHour(HourCounts):
    pass


class MonthlyActivity(ActivityCounts):
    pass


class MonthlyTopic(TopicCounts):
    pass


class MonthlySignal(SignalCounts):
    pass


class MonthlyReferral(ReferralCounts):
    pass


class MonthlyPlace(PlaceCounts):
    pass


class MonthlyHour(HourCounts):
    pass
