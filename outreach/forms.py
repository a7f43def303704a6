"""Forms of planning: sessions, series, cancelling, debriefs, the agenda's filters."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import DayField
from core.forms import ScreenedTextMixin
from core.labels import user_label
from core.time import PARIS, local_datetime
from organisations.models import Organisation
from outreach.models import OutreachSession, SessionKind, SessionStatus
from outreach.selectors import planning_members
from outreach.services import SERIES_MAX_DAYS
from territories.models import Place, Territory, Weekday

User = get_user_model()


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return user_label(obj)


class MembersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return user_label(obj)


def _time_widget() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class _PlanningForm(ScreenedTextMixin, forms.Form):
    """What a single session and a series share: kind, where, who, why."""

    screened_fields = ("objectives",)

    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    territory = forms.ModelChoiceField(label=_("Territory"), queryset=Territory.objects.none())
    place = forms.ModelChoiceField(
        label=_("Place"),
        queryset=Place.objects.none(),
        required=False,
        empty_label=_("No fixed place"),
    )
    start_time = forms.TimeField(label=_("Start time"), widget=_time_widget())
    end_time = forms.TimeField(label=_("End time"), widget=_time_widget())
    lead = MemberChoiceField(
        label=_("Lead"), queryset=User.objects.none(), required=False, empty_label=_("Nobody yet")
    )
    members = MembersChoiceField(
        label=_("Team"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The lead is always part of the team."),
    )
    objectives = forms.CharField(
        label=_("Objectives"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the team wants to do or learn. No names of the people met."),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["territory"].queryset = Territory.objects.live().filter(
            organisation=organisation
        )
        self.fields["place"].queryset = (
            Place.objects.live().filter(organisation=organisation).select_related("territory")
        )
        members = planning_members(organisation=organisation)
        self.fields["lead"].queryset = members
        self.fields["members"].queryset = members
        self._places_of_territory()

    def _places_of_territory(self) -> None:
        """Offer only the places of the chosen territory (and of the territories inside
        it); a place of another territory is refused with a message that says so."""
        key = self.add_prefix("territory")
        chosen = self.data.get(key) if self.is_bound else self.initial.get("territory")
        chosen = getattr(chosen, "pk", chosen)
        if not chosen or not str(chosen).isdigit():
            return
        parents = dict(
            Territory.objects.filter(organisation=self.organisation).values_list("pk", "parent_id")
        )

        def inside(pk: int | None) -> bool:
            seen = set()
            while pk is not None and pk not in seen:
                if pk == int(chosen):
                    return True
                seen.add(pk)
                pk = parents.get(pk)
            return False

        within = [pk for pk in parents if inside(pk)]
        place = self.fields["place"]
        place.queryset = place.queryset.filter(territory_id__in=within)
        place.error_messages["invalid_choice"] = _(
            "This place is not in the chosen territory: choose one of its places, or "
            "change the territory."
        )

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end time must be after the start time."))
        return data


class SessionForm(_PlanningForm):
    day = DayField(label=_("Day"))
    field_order = ["kind", "territory", "place", "day", "start_time", "end_time"]

    def __init__(self, *args, session: OutreachSession | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.session = session
        if session is None:
            return
        if session.series_id is not None:
            self.fields["scope"] = forms.ChoiceField(
                label=_("Apply the change to"),
                choices=SCOPE_CHOICES,
                initial="this",
                widget=forms.RadioSelect,
            )
            self.order_fields(["scope"])
        self.fields["status"] = forms.ChoiceField(
            label=_("Status"),
            choices=[c for c in SessionStatus.choices if c[0] != SessionStatus.CANCELLED],
        )

    def clean(self) -> dict:
        data = super().clean()
        if (
            data.get("scope") == "following"
            and data.get("day")
            and data["day"] != timezone.localtime(self.session.starts_at, PARIS).date()
        ):
            self.add_error(
                "day",
                _(
                    "Move the day of one occurrence at a time; “this and following” changes "
                    "the rest."
                ),
            )
        return data

    @classmethod
    def initial_for(cls, session: OutreachSession) -> dict:
        start = timezone.localtime(session.starts_at, PARIS)
        end = timezone.localtime(session.ends_at, PARIS)
        return {
            "kind": session.kind,
            "territory": session.territory_id,
            "place": session.place_id,
            "day": start.date(),
            "start_time": start.time(),
            "end_time": end.time(),
            "lead": session.lead_id,
            "members": [u.pk for u in session.members.all()],
            "objectives": session.objectives,
            "status": session.status,
        }

    def datetimes(self) -> tuple:
        data = self.cleaned_data
        return (
            local_datetime(data["day"], data["start_time"]),
            local_datetime(data["day"], data["end_time"]),
        )


SCOPE_CHOICES = [
    ("this", _("This session only")),
    ("following", _("This session and the following ones")),
]


class SeriesForm(_PlanningForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Every"),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    first_date = DayField(label=_("From"))
    last_date = DayField(label=_("Until"))
    field_order = [
        "kind",
        "territory",
        "place",
        "weekdays",
        "start_time",
        "end_time",
        "first_date",
        "last_date",
    ]

    def clean(self) -> dict:
        data = super().clean()
        first, last = data.get("first_date"), data.get("last_date")
        if first and last:
            if last < first:
                self.add_error("last_date", _("The last day must not be before the first day."))
            elif (last - first).days > SERIES_MAX_DAYS:
                self.add_error(
                    "last_date",
                    _("A series can last two years at most: plan the next one later."),
                )
        return data


class CancelForm(ScreenedTextMixin, forms.Form):
    screened_fields = ("reason",)

    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to the team in the agenda (bad weather, bank holiday, illness…)."),
    )

    def __init__(self, *args, session: OutreachSession, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if session.series_id is not None:
            self.fields["scope"] = forms.ChoiceField(
                label=_("Cancel"),
                choices=[
                    ("this", _("This session only")),
                    ("following", _("This session and the following ones")),
                ],
                initial="this",
                widget=forms.RadioSelect,
            )


class DebriefForm(ScreenedTextMixin, forms.ModelForm):
    screened_fields = ("next_time", "comments")

    class Meta:
        model = OutreachSession
        fields = ["brief_contacts", "refusals", "atmosphere", "next_time", "comments"]
        widgets = {
            "brief_contacts": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "refusals": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "next_time": forms.Textarea(attrs={"rows": 3}),
            "comments": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "brief_contacts": _(
                "A hello, a flyer, a coffee: people met without a conversation. The taps of "
                "field mode are already counted here: correct the figure only if needed."
            ),
            "refusals": _("People who declined to talk: a normal outcome, worth counting."),
            "comments": _("No name, phone number or address of the people met."),
        }


class AgendaFilterForm(forms.Form):
    """Filters of the agenda; every field optional, as in a GET form."""

    view = forms.ChoiceField(
        label=_("View"),
        required=False,
        choices=[("week", _("Week")), ("month", _("Month"))],
    )
    date = DayField(label=_("Around"), required=False)
    territory = forms.ModelChoiceField(
        label=_("Territory"), required=False, queryset=Territory.objects.none()
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    member = MemberChoiceField(label=_("Member"), required=False, queryset=User.objects.none())

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = Territory.objects.live().filter(
            organisation=organisation
        )
        self.fields["territory"].empty_label = _("All territories")
        self.fields["kind"].choices = [("", _("All kinds")), *SessionKind.choices]
        self.fields["member"].queryset = planning_members(organisation=organisation)
        self.fields["member"].empty_label = _("All members")

    def filters(self) -> dict:
        """The valid filters; an invalid value is ignored rather than failing the page."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "view": data.get("view") or "week",
            "date": data.get("date") or timezone.localdate(),
            "territory": data.get("territory"),
            "kind": data.get("kind", ""),
            "member": data.get("member"),
        }


class StartNowForm(forms.Form):
    """ "Start a session now": what any member fills in on the spot, in three taps."""

    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices, widget=forms.RadioSelect)
    place = forms.ModelChoiceField(
        label=_("Place"),
        queryset=Place.objects.none(),
        required=False,
        empty_label=_("No fixed place"),
    )
    territory = forms.ModelChoiceField(
        label=_("Territory"),
        queryset=Territory.objects.none(),
        required=False,
        help_text=_("Without a place, where you are; with a place, its territory."),
    )
    hours = forms.TypedChoiceField(
        label=_("For about"),
        choices=[(1, _("1 hour")), (2, _("2 hours")), (3, _("3 hours")), (4, _("4 hours"))],
        coerce=int,
        initial=2,
        required=False,
        empty_value=2,
    )

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = Territory.objects.live().filter(
            organisation=organisation
        )
        self.fields["place"].queryset = (
            Place.objects.live().filter(organisation=organisation).select_related("territory")
        )

    def clean(self) -> dict:
        data = super().clean()
        place = data.get("place")
        if place is not None:
            data["territory"] = place.territory
        elif not data.get("territory") and "territory" not in self.errors:
            self.add_error("territory", _("Choose a place, or the territory where you are."))
        return data
