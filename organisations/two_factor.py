"""Two-factor sign-in: a code from an authenticator app (TOTP), recovery codes, passkeys
(django-otp-webauthn, as a second factor only: the password still comes first).

Optional for every member; required for coordinators and managers of an organisation
that turns it on. Checked on every request, so a session opened before it applied is
held too. Wrong codes count as failed logins for django-axes (username and
address), so the lockout covers the second factor too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from urllib.parse import urlencode

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from organisations.models import MEMBER_ADMINS

RECOVERY_CODES = 10
# Pages a signed-in person reaches before their second factor: the two-factor pages,
# logging out, static files, the language switch, and what every page links to (the web
# manifest: redirected, the browser logs a console error on the second-step page).
OPEN_PREFIXES = (
    "/two-factor/",
    "/logout/",
    "/static/",
    "/i18n/",
    "/sw.js",
    "/manifest.webmanifest",
)


def is_required(request: HttpRequest) -> bool:
    """Whether one of the person's organisations requires a second factor of their role."""
    return any(
        m.role in MEMBER_ADMINS and m.organisation.two_factor_required
        for m in getattr(request, "memberships", [])
    )


def second_factor_annotation() -> ExpressionWrapper:
    """Whether the member's user has a confirmed second factor (an app or a passkey), as
    a column of the memberships query the tenancy middleware runs on every request
    anyway: the requirement is checked per request without one more query."""
    user = OuterRef("user_id")
    app = Exists(TOTPDevice.objects.filter(user=user, confirmed=True))
    passkey = Exists(WebAuthnCredential.objects.filter(user=user, confirmed=True))
    return ExpressionWrapper(Q(app) | Q(passkey), output_field=BooleanField())


def has_second_factor(request: HttpRequest) -> bool:
    memberships = getattr(request, "memberships", [])
    if memberships:
        return memberships[0].has_second_factor
    user = request.user
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    )


def has_app(user: AbstractBaseUser) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def passkeys(user: AbstractBaseUser) -> list[WebAuthnCredential]:
    return list(WebAuthnCredential.objects.filter(user=user).order_by("created_at"))


def passkey_rename(*, user: AbstractBaseUser, pk: int, name: str) -> None:
    passkey = WebAuthnCredential.objects.filter(user=user, pk=pk).first()
    if passkey is None:
        raise Http404
    passkey.name = name
    passkey.full_clean()
    passkey.save(update_fields=["name"])


@transaction.atomic
def passkey_delete(*, user: AbstractBaseUser, pk: int, required: bool) -> None:
    """Delete one of the person's passkeys; not the last second factor when required."""
    passkey = WebAuthnCredential.objects.select_for_update().filter(user=user, pk=pk).first()
    if passkey is None:
        raise Http404
    others = WebAuthnCredential.objects.filter(user=user).exclude(pk=pk).exists()
    if required and not others and not has_app(user):
        raise ValidationError(
            _("Your organisation requires a second factor: add another one before this.")
        )
    passkey.delete()


def wait_seconds(devices: Iterable[Device]) -> int:
    """How long django-otp still refuses every code after wrong ones (0: not throttled)."""
    now = timezone.now()
    waits = [
        math.ceil((data["locked_until"] - now).total_seconds())
        for allowed, data in (device.verify_is_allowed() for device in devices)
        if not allowed and data and "locked_until" in data
    ]
    return max([0, *waits])


def wait_message(seconds: int) -> str:
    return ngettext(
        "Wait %(count)d second before trying again.",
        "Wait %(count)d seconds before trying again.",
        seconds,
    ) % {"count": seconds}


def pending_device(user: AbstractBaseUser) -> TOTPDevice:
    """The app being set up (not yet confirmed), made on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="app", confirmed=False)


@transaction.atomic
def confirm(*, device: TOTPDevice) -> list[str]:
    """Confirm the app; returns fresh recovery codes (shown once, then only hashed use)."""
    TOTPDevice.objects.filter(user=device.user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return issue_recovery_codes(user=device.user)


@transaction.atomic
def issue_recovery_codes(*, user: AbstractBaseUser) -> list[str]:
    """Fresh recovery codes, replacing any earlier ones (shown once by the caller)."""
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
    return codes


def needs_recovery_codes(user: AbstractBaseUser) -> bool:
    """A member whose second factor is a passkey and who never got recovery codes (they
    come with the app; a passkey alone left no way back in after losing the phone)."""
    return (
        WebAuthnCredential.objects.filter(user=user).exists()
        and not StaticDevice.objects.filter(user=user).exists()
    )


@transaction.atomic
def turn_off(*, user: AbstractBaseUser) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    WebAuthnCredential.objects.filter(user=user).delete()


def recovery_codes_left(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user=user).count()


class TwoFactorMiddleware:
    """On every request (not only at sign-in, so that sessions opened earlier are caught
    too): send a signed-in person who has a second factor but has not given it in this
    session to the code page, and one whose organisation requires it to the set-up page,
    before anything else. ``request.two_factor_held`` tells templates to hide the app's
    navigation (its links would only bounce back)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        request.two_factor_held = False
        if user.is_authenticated:
            target = None
            if has_second_factor(request):
                if not user.is_verified():
                    target = "two_factor_verify"
            elif is_required(request):
                target = "two_factor_setup"
            request.two_factor_held = target is not None
            if target is not None and not request.path.startswith(OPEN_PREFIXES):
                url = reverse(target)
                if request.method == "GET" and url_has_allowed_host_and_scheme(
                    request.get_full_path(), allowed_hosts={request.get_host()}
                ):
                    url += "?" + urlencode({"next": request.get_full_path()})
                return redirect(url)
        return self.get_response(request)
