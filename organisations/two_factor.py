"""Two-factor sign-in: a code from an authenticator app (TOTP), recovery codes.

Optional for every member; required for coordinators and managers of an organisation
that turns it on. Wrong codes count as failed logins for django-axes (username and
address), so the lockout covers the second factor too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisations.models import MEMBER_ADMINS

RECOVERY_CODES = 10
# Set at sign-in for a person who has an app: no query on every request to find out.
PENDING = "two_factor_pending"
# Pages a signed-in person reaches before their second factor: the two-factor pages,
# logging out, static files and the language switch.
OPEN_PREFIXES = ("/two-factor/", "/logout/", "/static/", "/i18n/", "/sw.js")


def is_required(request: HttpRequest) -> bool:
    """Whether one of the person's organisations requires a second factor of their role."""
    return any(
        m.role in MEMBER_ADMINS and m.organisation.two_factor_required
        for m in getattr(request, "memberships", [])
    )


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
    StaticDevice.objects.filter(user=device.user).delete()
    static = StaticDevice.objects.create(user=device.user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
    return codes


@transaction.atomic
def turn_off(*, user: AbstractBaseUser) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def recovery_codes_left(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def mark_pending(request: HttpRequest, user: AbstractBaseUser) -> None:
    """At sign-in: a person with an app must give a code before anything else."""
    if user_has_device(user):
        request.session[PENDING] = True


def mark_done(request: HttpRequest) -> None:
    request.session.pop(PENDING, None)


class TwoFactorMiddleware:
    """Send a signed-in person to the code page (they have an app) or to the set-up page
    (their organisation requires one) before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith(OPEN_PREFIXES):
            target = None
            if request.session.get(PENDING) and not user.is_verified():
                target = "two_factor_verify"
            elif is_required(request) and not user_has_device(user):
                target = "two_factor_setup"
            if target is not None:
                url = reverse(target)
                if request.method == "GET" and url_has_allowed_host_and_scheme(
                    request.get_full_path(), allowed_hosts={request.get_host()}
                ):
                    url += "?" + _next(request.get_full_path())
                return redirect(url)
        return self.get_response(request)


def _next(path: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"next": path})
