from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import views as webauthn

from organisations import views

# django-otp-webauthn's JSON endpoints, under /two-factor/ (reachable before the second
# step) and in its own namespace (its template tags and scripts reverse these names);
# completing a sign-in goes through our view, which counts failures for the lockout.
passkey_api = [
    path(
        "registration/begin/",
        webauthn.BeginCredentialRegistrationView.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        webauthn.CompleteCredentialRegistrationView.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        webauthn.BeginCredentialAuthenticationView.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        views.PasskeyAuthenticationComplete.as_view(),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        # The scripts' French, the same for everyone: no login needed to read it.
        login_not_required(JavaScriptCatalog.as_view(packages=["django_otp_webauthn"])),
        name="js-i18n-catalog",
    ),
]

urlpatterns = [
    path("organisation/none/", views.no_organisation, name="no_organisation"),
    path("organisation/switch/", views.organisation_switch, name="organisation_switch"),
    path("organisation/settings/", views.organisation_settings, name="organisation_settings"),
    path("organisation/journal/", views.journal_page, name="journal"),
    path("two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/code/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/off/", views.two_factor_turn_off, name="two_factor_turn_off"),
    path("two-factor/passkeys/", include((passkey_api, "otp_webauthn"))),
    path("two-factor/passkeys/<int:pk>/rename/", views.passkey_rename, name="passkey_rename"),
    path("two-factor/passkeys/<int:pk>/delete/", views.passkey_delete, name="passkey_delete"),
    path("members/", views.member_list, name="member_list"),
    path("members/invite/", views.member_invite, name="member_invite"),
    path("members/<int:pk>/", views.member_edit, name="member_edit"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
