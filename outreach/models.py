"""Outreach sessions: series, sessions, their teams, debriefs and calendar feeds."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from core.bounds import validate_day
from organisations.models import Membership, Organisation

# A debrief stays open to volunteers this many days after the session ended.
DEBRIEF_OPEN_DAYS = 7


class SessionKind(models.TextChoices):
    STAND = "stand", _("Stand / base")
    WALKABOUT = "walkabout", _("Walkabout")
    PERMANENCE = "permanence", _("Drop-in session")
    MOBILE_OFFICE = "mobile_office", _("Mobile office")
    EVENT = "event", _("Public-space event")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Atmosphere(models.TextChoices):
    GOOD = "good", _("Good, open")
    CALM = "calm", _("Calm, few people")
    MIXED = "mixed", _("Mixed")
    TENSE = "tense", _("Tense")


class SessionSeries(models.Model):
    """A recurring plan ("every Tuesday and Thursday, 9:00 to 12:00") that made sessions.

    Times are local wall-clock times: each occurrence is built in Europe/Paris, so 9:00
    stays 9:00 across the clock changes. Editing "this and following" ends the series
    the day before and starts a new one.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.ForeignKey(
        "territories.Place",
        verbose_name=_("place"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    weekdays = models.JSONField(_("days of the week"), default=list)
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    first_date = models.DateField(_("from"))
    last_date = models.DateField(_("until"))
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    objectives = models.TextField(_("objectives"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["first_date", "start_time"]
        verbose_name = _("session series")
        verbose_name_plural = _("session series")
        indexes = [models.Index(fields=["organisation", "first_date"], name="series_org_first")]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("objectives"), 2000),
                name="series_objectives_max_length",
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="series_ends_after_start",
                violation_error_message=_("The end time must be after the start time."),
            ),
            models.CheckConstraint(
                condition=Q(last_date__gte=models.F("first_date")),
                name="series_last_date_after_first",
                violation_error_message=_("The last day must not be before the first day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def clean(self) -> None:
        super().clean()
        validate_day(self.first_date)
        validate_day(self.last_date)


class OutreachSession(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    series = models.ForeignKey(
        SessionSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
    )
    # Edited on its own: "this and following" changes on the series leave it alone.
    is_detached = models.BooleanField(default=False)
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.ForeignKey(
        "territories.Place",
        verbose_name=_("place"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True, max_length=1000)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team"),
        through="SessionAssignment",
        related_name="+",
        blank=True,
    )
    objectives = models.TextField(_("objectives"), blank=True, max_length=2000)
    # The debrief, after the session.
    brief_contacts = models.PositiveIntegerField(_("brief contacts"), default=0)
    refusals = models.PositiveIntegerField(_("refusals"), default=0)
    atmosphere = models.CharField(
        _("atmosphere"), max_length=20, choices=Atmosphere.choices, blank=True
    )
    next_time = models.TextField(_("what to change next time"), blank=True, max_length=2000)
    comments = models.TextField(_("comments"), blank=True, max_length=4000)
    debriefed_at = models.DateTimeField(_("debriefed on"), null=True, blank=True)
    debriefed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("outreach session")
        verbose_name_plural = _("outreach sessions")
        indexes = [
            models.Index(fields=["organisation", "starts_at"], name="session_org_start"),
            models.Index(fields=["organisation", "place", "starts_at"], name="session_org_place"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("comments"), 4000),
                name="session_comments_max_length",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("next_time"), 2000),
                name="session_next_time_max_length",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("objectives"), 2000),
                name="session_objectives_max_length",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("cancel_reason"), 1000),
                name="session_cancel_reason_max_length",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=SessionStatus.values), name="session_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=SessionStatus.CANCELLED) | ~Q(cancel_reason=""),
                name="session_cancelled_with_reason",
                violation_error_message=_("Give a reason for cancelling."),
            ),
            models.UniqueConstraint(
                fields=["series", "starts_at"],
                condition=Q(series__isnull=False),
                name="session_one_per_series_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.starts_at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        super().clean()
        validate_day(self.starts_at)
        validate_day(self.ends_at)

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED


class SessionAssignment(models.Model):
    """A member of a session's team; carries the organisation like every tenant row."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(
        OutreachSession, on_delete=models.CASCADE, related_name="assignments"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="assignment_unique")
        ]
        indexes = [models.Index(fields=["organisation", "user"], name="assignment_org_user")]


class SeriesMember(models.Model):
    """A member of a series' team, copied onto each new occurrence."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    series = models.ForeignKey(SessionSeries, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "user"], name="series_member_unique")
        ]
        indexes = [models.Index(fields=["organisation", "series"], name="seriesmember_org")]


class CalendarFeed(models.Model):
    """A secret iCalendar URL: a member's own sessions, or (member empty) the whole
    organisation's. Only a hash of the token is kept; renewing revokes the old one.
    An organisation's link lives only while the planner who made it (created_by) is an
    active planner; links made before created_by existed have none and keep working."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        Membership, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        Membership, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "member"], name="feed_org_member")]

    def __str__(self) -> str:
        return f"{self.organisation} / {self.member or '*'}"


class DebriefCorrection(models.Model):
    """A debrief count set below what field mode recorded (taps): only a coordinator or
    a manager may, and it is kept here, with both figures."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(
        OutreachSession, on_delete=models.CASCADE, related_name="count_corrections"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    corrected_at = models.DateTimeField(auto_now_add=True)
    field = models.CharField(max_length=30)
    recorded = models.PositiveIntegerField()
    old = models.PositiveIntegerField()
    new = models.PositiveIntegerField()

    class Meta:
        ordering = ["corrected_at", "pk"]
        indexes = [models.Index(fields=["organisation", "session"], name="debriefcorr_org_session")]
