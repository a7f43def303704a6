from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from outreach.models import Organisation


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
    highlights = models.TextField(_("highlights"), blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    partnerships = models.TextField(_("partnerships"), blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-start"]
        constraints = [
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
