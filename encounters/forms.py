"""Forms of field mode: the conversation note, its signals and referrals, taps."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import ScreenedTextMixin
from encounters.models import (
    Encounter,
    NonTakeUpReason,
    ReferralOutcome,
    Right,
    TapKind,
    Topic,
)
from territories.models import Partner

# --- Field mode ----------------------------------------------------------------


def _first_time(value: object) -> bool:
    return value in (True, "True", "true", "1")


class EncounterForm(ScreenedTextMixin, forms.ModelForm):
    """The conversation note: big radio chips with defaults, a free note that is screened."""

    screened_fields = ("note",)

    first_time = forms.TypedChoiceField(
        label=gettext_lazy("Met before?"),
        choices=[(True, gettext_lazy("First time")), (False, gettext_lazy("Already met"))],
        coerce=_first_time,
        widget=forms.RadioSelect,
        initial=True,
    )
    topics = forms.MultipleChoiceField(
        label=gettext_lazy("Topics"),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    # Set by the phone when the form is sent: a note queued offline keeps its time.
    occurred_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Encounter
        fields = [
            "kind",
            "age_band",
            "gender",
            "first_time",
            "topics",
            "duration_band",
            "language",
            "note",
            "return_card_code",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "age_band": forms.RadioSelect,
            "gender": forms.RadioSelect,
            "duration_band": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 3}),
            "return_card_code": forms.TextInput(
                attrs={
                    "autocomplete": "off",
                    "autocapitalize": "characters",
                    "spellcheck": "false",
                    "maxlength": 8,
                }
            ),
        }

    def __init__(self, *args, return_cards: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not return_cards:
            del self.fields["return_card_code"]
        else:
            self.fields["return_card_code"].help_text = gettext_lazy(
                "The code on the card handed to the person, or on the card they show."
            )
        if self.instance.pk:
            del self.fields["client_uuid"]
            del self.fields["occurred_at"]
            self.initial["topics"] = list(self.instance.topics.values_list("topic", flat=True))
        for name in ("kind", "age_band", "gender", "duration_band"):
            # A radio group always has a value: no empty "-----" choice.
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0] != ""]

    def clean_return_card_code(self) -> str | None:
        code = (self.cleaned_data.get("return_card_code") or "").strip().upper().replace(" ", "")
        if not code:
            return None
        if not re.fullmatch(r"[A-Z0-9]{4,8}", code):
            raise forms.ValidationError(_("A card code has 4 to 8 letters or digits."))
        return code

    def encounter_fields(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name != "topics" and name in self.fields
        }


class RightChoiceField(forms.ModelChoiceField):
    """A right by its short name, with its full name beside when that says more."""

    def label_from_instance(self, obj: Right) -> str:
        return obj.short_name if obj.name == obj.short_name else f"{obj.short_name} — {obj.name}"


class SignalForm(forms.Form):
    """A non-take-up signal: a right and the reason. A row without a right is ignored."""

    right = RightChoiceField(
        label=gettext_lazy("Right"), queryset=Right.objects.filter(is_active=True), required=False
    )
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"),
        choices=NonTakeUpReason.choices,
        initial=NonTakeUpReason.NON_KNOWLEDGE,
        required=False,
    )

    def __init__(self, *args, organisation=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("right") and not data.get("reason"):
            self.add_error("reason", _("Choose the reason."))
        return data


class ReferralForm(forms.Form):
    """A referral: to a partner of the directory, or a kind of partner when the exact
    one is not known; for a topic or a right; with its outcome."""

    partner = forms.ModelChoiceField(
        label=gettext_lazy("Partner"), queryset=Partner.objects.none(), required=False
    )
    partner_kind = forms.ChoiceField(
        label=gettext_lazy("or kind of partner"),
        choices=[("", "—"), *Partner.Kind.choices],
        required=False,
    )
    right = RightChoiceField(
        label=gettext_lazy("For a right"),
        queryset=Right.objects.filter(is_active=True),
        required=False,
    )
    topic = forms.ChoiceField(
        label=gettext_lazy("or a topic"), choices=[("", "—"), *Topic.choices], required=False
    )
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        choices=ReferralOutcome.choices,
        initial=ReferralOutcome.PROPOSED,
        required=False,
    )

    def __init__(self, *args, organisation=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = (
            Partner.objects.live().filter(organisation=organisation).order_by("name")
        )

    def is_used(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return bool(
            data.get("partner")
            or data.get("partner_kind")
            or data.get("right")
            or data.get("topic")
        )

    def clean(self) -> dict:
        data = super().clean()
        if self.is_used() and not (data.get("partner") or data.get("partner_kind")):
            self.add_error("partner", _("Choose a partner or a kind of partner."))
        return data


class _RowsFormSet(forms.BaseFormSet):
    used_key = "right"

    def used_rows(self) -> list[dict]:
        return [f.cleaned_data for f in self.forms if self._used(f)]

    def _used(self, form: forms.Form) -> bool:
        return bool(getattr(form, "cleaned_data", {}).get(self.used_key))


class _SignalFormSet(_RowsFormSet):
    def clean(self) -> None:
        rights = [row["right"] for row in self.used_rows()]
        if len(rights) != len(set(rights)):
            raise forms.ValidationError(_("Give each right only once."))


class _ReferralFormSet(_RowsFormSet):
    def _used(self, form: forms.Form) -> bool:
        return hasattr(form, "cleaned_data") and form.is_used()

    def used_rows(self) -> list[dict]:
        rows = []
        for row in super().used_rows():
            row = dict(row)
            if not row.get("partner"):
                row["partner"] = None
            row["topic"] = row.get("topic") or ""
            row["outcome"] = row.get("outcome") or ReferralOutcome.PROPOSED
            row["right"] = row.get("right") or None
            rows.append(row)
        return rows


SIGNAL_ROWS = 3
REFERRAL_ROWS = 2
# At most this many rows of each, whatever TOTAL_FORMS a forged request claims: beyond
# absolute_max Django builds no form and the formset says "at most 10".
MAX_SIGNALS = 10
MAX_REFERRALS = 10


def signal_formset(data=None, *, organisation, initial=None):
    initial = initial or []
    cls = forms.formset_factory(
        SignalForm,
        formset=_SignalFormSet,
        extra=max(SIGNAL_ROWS - len(initial), 1),
        max_num=MAX_SIGNALS,
        absolute_max=MAX_SIGNALS,
        validate_max=True,
    )
    return cls(data, initial=initial, prefix="signals", form_kwargs={"organisation": organisation})


def referral_formset(data=None, *, organisation, initial=None):
    initial = initial or []
    cls = forms.formset_factory(
        ReferralForm,
        formset=_ReferralFormSet,
        extra=max(REFERRAL_ROWS - len(initial), 1),
        max_num=MAX_REFERRALS,
        absolute_max=MAX_REFERRALS,
        validate_max=True,
    )
    return cls(
        data, initial=initial, prefix="referrals", form_kwargs={"organisation": organisation}
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=ReferralOutcome.choices)


class TapForm(forms.Form):
    kind = forms.ChoiceField(choices=TapKind.choices)
    client_uuid = forms.UUIDField()
