"""Forms of organisations: logging in, invitations and sign-up, memberships, settings."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from organisations.models import Invitation, Membership, Organisation, Role

User = get_user_model()


class LoginForm(AuthenticationForm):
    """Log in with an e-mail address (stored as the username)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Enter a correct e-mail address and password. If you have forgotten your "
            "password, reset it below."
        ),
    }
    username = forms.CharField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


def _role_field(allowed: list[str]) -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Role"), choices=[c for c in Role.choices if c[0] in allowed])


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "role"]

    def __init__(self, *args, allowed_roles: list[str], organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["role"] = _role_field(allowed_roles)
        self.fields["role"].initial = Role.VOLUNTEER

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if Membership.objects.filter(
            organisation=self.organisation, user__username=email, is_active=True
        ).exists():
            raise forms.ValidationError(_("This person is already a member."))
        return email


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    is_active = forms.BooleanField(
        label=_("Active member"),
        required=False,
        help_text=_("A deactivated member can no longer see this organisation."),
    )

    def __init__(self, *args, allowed_roles: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"] = _role_field(allowed_roles)


class OrganisationSettingsForm(forms.ModelForm):
    """What a manager sets for the whole organisation."""

    # The model takes any positive number; below 2 nothing would be masked, and above
    # 100 hardly anything would show.
    small_count_threshold = forms.IntegerField(
        label=_("Small-count threshold"),
        min_value=2,
        max_value=100,
        help_text=_(
            "In reports, exports and views for people outside the team, a count from 1 to "
            "this number minus one shows as “< threshold”. 11 is the practice of DGFiP "
            "and of the social-security statistics."
        ),
    )

    note_retention_months = forms.IntegerField(
        label=_("Keep notes for (months)"),
        min_value=1,
        max_value=60,
        # Left empty (an older form, a script), the current value stays.
        required=False,
        help_text=_(
            "The free text of conversations, debriefs and observations older than this is "
            "emptied every night (figures are kept). 24 months by default, from 1 to 60."
        ),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "small_count_threshold",
            "return_cards_enabled",
            "note_retention_months",
            "two_factor_required",
        ]

    def clean_note_retention_months(self) -> int:
        value = self.cleaned_data.get("note_retention_months")
        return self.instance.note_retention_months if value is None else value


class SignUpForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name or nickname"),
        max_length=150,
        help_text=_("How your team will see you."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def __init__(self, *args, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict:
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            user = User(
                username=self.email, email=self.email, first_name=data.get("first_name", "")
            )
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The 6 digits of your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].replace(" ", "").strip()
