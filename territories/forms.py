from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.bounds import validate_day
from core.forms import ScreenedTextMixin
from organisations.models import Organisation
from territories.models import Observation, Partner, Place, Territory, Weekday


def _territory_choices(organisation: Organisation) -> QuerySet[Territory]:
    return Territory.objects.live().filter(organisation=organisation)


class OrganisationFormMixin:
    """Forms that offer related objects only from the current organisation."""

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        self.organisation = organisation
        super().__init__(*args, **kwargs)


class TerritoryForm(ScreenedTextMixin, OrganisationFormMixin, forms.ModelForm):
    # Names too: a territory or place named after a person met ("chez Fatima B.") is
    # shown everywhere and exported. Streets, schools and rooms named after people pass.
    screened_fields = ("name", "description")

    class Meta:
        model = Territory
        fields = ["name", "kind", "parent", "insee_code", "is_qpv", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        parents = _territory_choices(self.organisation)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents

    def clean_parent(self) -> Territory | None:
        parent = self.cleaned_data.get("parent")
        ancestor = parent
        while ancestor is not None and self.instance.pk:
            if ancestor.pk == self.instance.pk:
                raise forms.ValidationError(
                    _("A territory cannot be part of one of its own sub-territories.")
                )
            ancestor = ancestor.parent
        return parent


class PlaceForm(ScreenedTextMixin, OrganisationFormMixin, forms.ModelForm):
    screened_fields = ("name", "notes")
    best_days = forms.TypedMultipleChoiceField(
        label=_("Best days"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Place
        fields = [
            "name",
            "kind",
            "territory",
            "best_days",
            "best_from",
            "best_until",
            "latitude",
            "longitude",
            "notes",
        ]
        widgets = {
            "best_from": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "best_until": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "latitude": forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            "longitude": forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = _territory_choices(self.organisation)

    def clean(self) -> dict:
        data = super().clean()
        lat, lon = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lon is None):
            self.add_error(
                "longitude" if lon is None else "latitude",
                _("Give both the latitude and the longitude, or neither."),
            )
        start, end = data.get("best_from"), data.get("best_until")
        if start and end and end <= start:
            self.add_error("best_until", _("The end time must be after the start time."))
        return data


class PartnerForm(ScreenedTextMixin, OrganisationFormMixin, forms.ModelForm):
    # A structure's own name, address, phone and e-mail are public: only the free text.
    screened_fields = ("opening_hours",)

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = [
            "name",
            "kind",
            "territories",
            "address",
            "opening_hours",
            "phone",
            "email",
            "website",
        ]
        widgets = {
            "territories": forms.CheckboxSelectMultiple,
            "opening_hours": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }
        help_texts = {
            "phone": _("The structure's switchboard, never a person's own number."),
            "email": _("The structure's shared address, never a person's own."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territories"].queryset = _territory_choices(self.organisation)


class ObservationForm(ScreenedTextMixin, forms.ModelForm):
    screened_fields = ("text",)

    class Meta:
        model = Observation
        fields = ["observed_on", "text"]
        widgets = {
            "observed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["observed_on"].validators.append(validate_day)


class DirectoryFilterForm(OrganisationFormMixin, forms.Form):
    """Search and filters of a directory list; every field optional, as in a GET form."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    territory = forms.ModelChoiceField(
        label=_("Territory"), required=False, queryset=Territory.objects.none()
    )
    archived = forms.BooleanField(label=_("Show archived"), required=False)

    def __init__(self, *args, kinds, with_territory: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *kinds]
        if with_territory:
            self.fields["territory"].queryset = _territory_choices(self.organisation)
            self.fields["territory"].empty_label = _("All territories")
        else:
            del self.fields["territory"]

    def filters(self) -> dict:
        """The valid filters; an invalid value is ignored rather than failing the list."""
        self.is_valid()  # fills cleaned_data with the fields that are valid
        data = self.cleaned_data
        return {
            "q": data.get("q", ""),
            "kind": data.get("kind", ""),
            "territory": data.get("territory"),
            "archived": data.get("archived", False),
        }
