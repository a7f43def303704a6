from __future__ import annotations

from django.urls import path

from organisations import views

urlpatterns = [
    path("organisation/none/", views.no_organisation, name="no_organisation"),
    path("organisation/switch/", views.organisation_switch, name="organisation_switch"),
    path("organisation/settings/", views.organisation_settings, name="organisation_settings"),
    path("organisation/journal/", views.journal_page, name="journal"),
    path("two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/code/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/off/", views.two_factor_turn_off, name="two_factor_turn_off"),
    path("members/", views.member_list, name="member_list"),
    path("members/invite/", views.member_invite, name="member_invite"),
    path("members/<int:pk>/", views.member_edit, name="member_edit"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
