"""Pages of an organisation: switching, members, invitations, settings."""

from __future__ import annotations

import hashlib
from base64 import b32encode

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp_webauthn import exceptions as webauthn_exceptions
from django_otp_webauthn.views import CompleteCredentialAuthenticationView

from core import ratelimit
from core.client import client_address
from core.http import render_form
from core.labels import user_label
from organisations import journal, selectors, services, two_factor
from organisations.forms import (
    InvitationForm,
    MembershipForm,
    OrganisationSettingsForm,
    SignUpForm,
    TwoFactorCodeForm,
)
from organisations.models import MEMBER_ADMINS, Invitation, Membership, Role
from organisations.tenancy import SESSION_KEY, OrgRequest, get_for_org, member_required

User = get_user_model()


def _allow(name: str, key: str) -> bool:
    limit, window = settings.RATE_LIMITS[name]
    return ratelimit.allow(name, key, limit=limit, window=window)


@login_not_required
@require_http_methods(["GET", "POST"])
def password_reset(request: OrgRequest) -> HttpResponse:
    """Django's password reset, with a limit per client and per e-mail address."""
    if request.method == "POST":
        email = (request.POST.get("email") or "").strip().lower()
        # The address is hashed: the cache never holds people's e-mail addresses.
        email_key = hashlib.sha256(email.encode()).hexdigest()
        if not _allow("password_reset_client", client_address(request)) or not _allow(
            "password_reset_email", email_key
        ):
            return ratelimit.refused(
                request,
                _(
                    "Several password reset e-mails have already been asked for: check your "
                    "inbox and your spam folder, or try again in an hour."
                ),
            )
    return auth_views.PasswordResetView.as_view()(request)


@require_GET
def no_organisation(request: OrgRequest) -> HttpResponse:
    if request.membership is not None:
        return redirect("home")
    return render(request, "organisations/no_organisation.html", status=403)


@require_POST
def organisation_switch(request: OrgRequest) -> HttpResponse:
    wanted = request.POST.get("organisation", "")
    membership = next((m for m in request.memberships if str(m.organisation_id) == wanted), None)
    if membership is None:
        raise PermissionDenied
    request.session[SESSION_KEY] = membership.organisation_id
    messages.success(
        request, _("You are now working in %(name)s.") % {"name": membership.organisation}
    )
    # Not back to the page we came from: its object belongs to the previous
    # organisation and would now answer 404.
    return redirect("home")


@require_GET
@member_required(MEMBER_ADMINS)
def member_list(request: OrgRequest) -> HttpResponse:
    context = {
        "members": selectors.member_list(organisation=request.organisation),
        "invitations": selectors.pending_invitations(organisation=request.organisation),
    }
    return render(request, "organisations/member_list.html", context)


@require_http_methods(["GET", "POST"])
@member_required(MEMBER_ADMINS)
def member_invite(request: OrgRequest) -> HttpResponse:
    form = InvitationForm(
        request.POST or None,
        allowed_roles=services.roles_assignable_by(request.membership),
        organisation=request.organisation,
    )
    if request.method == "POST" and form.is_valid():
        if not _allow("invitation", str(request.membership.pk)):
            return ratelimit.refused(
                request,
                _("You have sent many invitations in the last hour: try again later."),
            )
        services.invitation_create(
            organisation=request.organisation,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            invited_by=request.membership,
            accept_url_for=lambda token: request.build_absolute_uri(
                reverse("invitation_accept", args=[token])
            ),
        )
        messages.success(
            request,
            _("An invitation has been sent to %(email)s.") % {"email": form.cleaned_data["email"]},
        )
        return redirect("member_list")
    context = {"title": _("Invite a member"), "cancel_url": reverse("member_list")}
    return render_form(request, "form_page.html", context, form=form)


@require_http_methods(["GET", "POST"])
@member_required(MEMBER_ADMINS)
def member_edit(request: OrgRequest, pk: int) -> HttpResponse:
    membership = get_for_org(Membership.objects.select_related("user"), request, pk=pk)
    allowed = services.roles_assignable_by(request.membership)
    if membership.pk == request.membership.pk or membership.role not in allowed:
        raise PermissionDenied
    form = MembershipForm(
        request.POST or None,
        allowed_roles=allowed,
        initial={"role": membership.role, "is_active": membership.is_active},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                membership=membership,
                role=form.cleaned_data["role"],
                is_active=form.cleaned_data["is_active"],
                by=request.membership,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The membership has been updated."))
            return redirect("member_list")
    context = {
        "title": user_label(membership.user),
        "cancel_url": reverse("member_list"),
    }
    return render_form(request, "form_page.html", context, form=form)


@require_http_methods(["GET", "POST"])
@member_required({Role.MANAGER})
def organisation_settings(request: OrgRequest) -> HttpResponse:
    form = OrganisationSettingsForm(request.POST or None, instance=request.organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_update(
            organisation=request.organisation, by=request.membership, **form.cleaned_data
        )
        messages.success(request, _("The organisation's settings have been saved."))
        return redirect("organisation_settings")
    context = {"title": _("Organisation settings"), "cancel_url": reverse("home")}
    return render_form(request, "form_page.html", context, form=form)


@require_POST
@member_required(MEMBER_ADMINS)
def invitation_revoke(request: OrgRequest, pk: int) -> HttpResponse:
    invitation = get_for_org(Invitation, request, pk=pk)
    services.invitation_revoke(invitation=invitation, by=request.membership)
    messages.success(request, _("The invitation has been withdrawn."))
    return redirect("member_list")


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: OrgRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "organisations/invitation_invalid.html", status=404)
    existing = User.objects.filter(username=invitation.email).first()
    form = None
    if request.user.is_authenticated:
        if not services.invitation_is_for(invitation, request.user):
            # Signed in as someone else (a forwarded link): nothing changes.
            context = {"invitation": invitation, "existing": existing, "form": None}
            context["wrong_address"] = True
            return render(request, "organisations/invitation_accept.html", context, status=403)
        if request.method == "POST":
            return _accept(request, invitation, request.user)
    elif existing is None:
        form = SignUpForm(request.POST or None, email=invitation.email)
        if request.method == "POST" and not _allow("sign_up", client_address(request)):
            return ratelimit.refused(
                request, _("Too many sign-ups from this connection: try again in an hour.")
            )
        if request.method == "POST" and form.is_valid():
            try:
                user = services.user_create_from_invitation(
                    invitation=invitation,
                    first_name=form.cleaned_data["first_name"],
                    password=form.cleaned_data["password1"],
                )
            except ValidationError:
                return render(request, "organisations/invitation_invalid.html", status=404)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_KEY] = invitation.organisation_id
            messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.organisation})
            return redirect("home")
    context = {"invitation": invitation, "existing": existing, "form": form}
    context["wrong_address"] = False
    status = 422 if form is not None and form.is_bound and form.errors else 200
    return render(request, "organisations/invitation_accept.html", context, status=status)


def _accept(request: OrgRequest, invitation: Invitation, user) -> HttpResponse:
    try:
        services.invitation_accept(invitation=invitation, user=user)
    except ValidationError:
        return render(request, "organisations/invitation_invalid.html", status=404)
    request.session[SESSION_KEY] = invitation.organisation_id
    messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.organisation})
    return redirect("home")


@require_GET
@member_required({Role.MANAGER})
def journal_page(request: OrgRequest) -> HttpResponse:
    """The journal of sensitive actions, for managers; read-only, there is no edit path."""
    context = {"entries": list(journal.entries(organisation=request.organisation))}
    return render(request, "organisations/journal.html", context)


# --- Two-factor sign-in ---------------------------------------------------------


def _next_url(request: OrgRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return reverse("home")


@require_http_methods(["GET", "POST"])
def two_factor_setup(request: OrgRequest) -> HttpResponse:
    """Turn on a code from an authenticator app (shows the recovery codes once), and add,
    name and delete passkeys."""
    user = request.user
    if user_has_device(user) and not user.is_verified():
        return redirect("two_factor_verify")
    context = {
        "enabled": user_has_device(user),
        "required": two_factor.is_required(request),
        "passkeys": two_factor.passkeys(user),
        "next": _next_url(request),
    }
    if user.is_verified() and two_factor.needs_recovery_codes(user):
        # The first passkey of a member without the app: the codes, once, as for the app.
        codes = two_factor.issue_recovery_codes(user=user)
        context = {"codes": codes, "next": _next_url(request)}
        return render(request, "organisations/two_factor_codes.html", context)
    if two_factor.has_app(user):
        context["has_app"] = True
        context["codes_left"] = two_factor.recovery_codes_left(user)
        return render(request, "organisations/two_factor_setup.html", context)
    device = two_factor.pending_device(user)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # django-otp refuses every code for a while after a wrong one: say so, rather
        # than call a right code wrong.
        if wait := two_factor.wait_seconds([device]):
            form.add_error("code", two_factor.wait_message(wait))
        elif device.verify_token(form.cleaned_data["code"]):
            codes = two_factor.confirm(device=device)
            if not user.is_verified():
                otp_login(request, device)
            context = {"codes": codes, "next": _next_url(request)}
            return render(request, "organisations/two_factor_codes.html", context)
        else:
            form.add_error("code", _("This code is not the one your app shows: try again."))
    context |= {
        "has_app": False,
        "form": form,
        "secret": b32encode(device.bin_key).decode(),
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=4),
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "organisations/two_factor_setup.html", context, status=status)


@require_http_methods(["GET", "POST"])
def two_factor_verify(request: OrgRequest) -> HttpResponse:
    """The second step of signing in. Wrong codes count as failed logins (django-axes)."""
    user = request.user
    if user.is_verified() or not user_has_device(user):
        return redirect(_next_url(request))
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        return render(request, "registration/lockout.html", status=429)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # django-otp throttles each device (the app, the recovery codes) on its own and
        # compares no code with a throttled one. Refused while one was throttled, the code
        # may have been right: say to wait, and do not count it for the lockout.
        wait = two_factor.wait_seconds(devices_for_user(user))
        if device := match_token(user, form.cleaned_data["code"]):
            otp_login(request, device)
            return redirect(_next_url(request))
        if wait:
            form.add_error("code", two_factor.wait_message(wait))
        else:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if AxesProxyHandler.is_locked(request, credentials):
                return render(request, "registration/lockout.html", status=429)
            form.add_error("code", _("This code is not valid: try the one your app shows now."))
    status = 422 if form.is_bound and form.errors else 200
    context = {
        "form": form,
        "next": _next_url(request),
        "has_app": two_factor.has_app(user),
        "has_passkey": bool(two_factor.passkeys(user)),
    }
    return render(request, "organisations/two_factor_verify.html", context, status=status)


class PasskeyLockedOut(webauthn_exceptions.OTPWebAuthnApiError):
    status_code = 429
    default_code = "locked_out"


class PasskeyAuthenticationComplete(CompleteCredentialAuthenticationView):
    """The package's check of a passkey at the second step, under the same lockout as
    codes: a refused assertion (forged, replayed, another person's passkey, garbage)
    counts as a failed login for django-axes, and a locked account is refused first."""

    def post(self, request, *args, **kwargs):
        credentials = {"username": request.user.get_username()}
        locked = _("Too many failed attempts: signing in is blocked for a while.")
        if AxesProxyHandler.is_locked(request, credentials):
            raise PasskeyLockedOut(detail=locked)
        try:
            response = super().post(request, *args, **kwargs)
        except Exception as error:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if AxesProxyHandler.is_locked(request, credentials):
                raise PasskeyLockedOut(detail=locked) from error
            refused = _("This passkey was not accepted: try again.")
            if isinstance(error, webauthn_exceptions.OTPWebAuthnApiError):
                # The package's own messages are in English only.
                raise type(error)(detail=refused) from error
            # Malformed data the package does not translate: refused, never a 500.
            raise webauthn_exceptions.UnprocessableEntity(detail=refused) from error
        return response

    def get_success_url(self) -> str:
        return self.get_redirect_url() or reverse("home")


@require_POST
def passkey_rename(request: OrgRequest, pk: int) -> HttpResponse:
    if two_factor.has_second_factor(request) and not request.user.is_verified():
        return redirect("two_factor_verify")
    name = request.POST.get("name", "").strip()[:64]
    if name:
        two_factor.passkey_rename(user=request.user, pk=pk, name=name)
        messages.success(request, _("The passkey has been renamed."))
    else:
        messages.error(request, _("Give the passkey a name."))
    return redirect("two_factor_setup")


@require_POST
def passkey_delete(request: OrgRequest, pk: int) -> HttpResponse:
    if two_factor.has_second_factor(request) and not request.user.is_verified():
        return redirect("two_factor_verify")
    try:
        two_factor.passkey_delete(
            user=request.user, pk=pk, required=two_factor.is_required(request)
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The passkey has been deleted."))
    return redirect("two_factor_setup")


@require_POST
def two_factor_turn_off(request: OrgRequest) -> HttpResponse:
    if two_factor.is_required(request):
        raise PermissionDenied
    if request.user.is_verified():
        two_factor.turn_off(user=request.user)
        messages.success(request, _("Two-factor sign-in is off."))
    return redirect("two_factor_setup")
