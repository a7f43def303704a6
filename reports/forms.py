from __future__ import annotations

from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import DayField
from core.forms import ScreenedTextMixin
from core.labels import user_label
from core.time import Period
from organisations.models import Organisation
from outreach.models import SessionKind
from reports.models import Report
from territories.models import Territory
from territories.selectors import territory_subtree_ids

User = get_user_model()


class DashboardFilterForm(forms.Form):
    """Period, territory, session kind and member; every field optional, as in a GET form."""

    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[
            ("month", _("Month")),
            ("quarter", _("Quarter")),
            ("year", _("Year")),
            ("custom", _("Custom")),
        ],
    )
    on = DayField(
        label=_("Including the day"),
        required=False,
    )
    start = DayField(
        label=_("From"),
        required=False,
    )
    end = DayField(
        label=_("To (included)"),
        required=False,
    )
    territory = forms.ModelChoiceField(
        label=_("Territory"), required=False, queryset=Territory.objects.none()
    )
    kind = forms.ChoiceField(label=_("Kind of session"), required=False)
    member = forms.ModelChoiceField(label=_("Member"), required=False, queryset=User.objects.none())

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["territory"].queryset = (
            Territory.objects.live().filter(organisation=organisation).order_by("name")
        )
        self.fields["territory"].empty_label = _("All territories")
        self.fields["kind"].choices = [("", _("All kinds")), *SessionKind.choices]
        self.fields["member"].queryset = User.objects.filter(
            memberships__organisation=organisation
        ).order_by("first_name", "email")
        self.fields["member"].empty_label = _("Everyone")
        self.fields["member"].label_from_instance = user_label

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if data.get("period") == "custom" and start and end and end < start:
            self.add_error("end", _("The end must not be before the start."))
        return data

    def get_period(self, today: date | None = None) -> Period:
        """The chosen period; an invalid or missing choice falls back to this month."""
        self.is_valid()
        data = self.cleaned_data
        today = today or timezone.localdate()
        kind = data.get("period") or "month"
        if kind == "custom":
            start, end = data.get("start"), data.get("end")
            if start and end and end >= start:
                return Period.custom(start, end)
            kind = "month"
        return Period.of(kind, data.get("on") or today)

    def territory_ids(self) -> tuple[int, ...] | None:
        territory = self.cleaned_data.get("territory")
        if territory is None:
            return None
        return tuple(territory_subtree_ids(organisation=self.organisation, territory=territory))


class ReportNarrativeForm(ScreenedTextMixin, forms.ModelForm):
    screened_fields = ("highlights", "difficulties", "partnerships")

    class Meta:
        model = Report
        fields = ["highlights", "difficulties", "partnerships"]
        widgets = {
            "highlights": forms.Textarea(attrs={"rows": 4}),
            "difficulties": forms.Textarea(attrs={"rows": 4}),
            "partnerships": forms.Textarea(attrs={"rows": 4}),
        }
