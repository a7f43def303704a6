from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from outreach import planning_views, views
from outreach.forms import LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("", include("django.contrib.auth.urls")),
    path("organisation/none/", views.no_organisation, name="no_organisation"),
    path("organisation/switch/", views.organisation_switch, name="organisation_switch"),
    path("organisation/settings/", views.organisation_settings, name="organisation_settings"),
    path("members/", views.member_list, name="member_list"),
    path("members/invite/", views.member_invite, name="member_invite"),
    path("members/<int:pk>/", views.member_edit, name="member_edit"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("today/", planning_views.today, name="today"),
    path("agenda/", planning_views.agenda, name="agenda"),
    path("sessions/new/", planning_views.session_create, name="session_create"),
    path("sessions/series/new/", planning_views.series_create, name="series_create"),
    path("sessions/<int:pk>/", planning_views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", planning_views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/cancel/", planning_views.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/debrief/", planning_views.session_debrief, name="session_debrief"),
    path("calendar/", planning_views.calendar_feeds, name="calendar_feeds"),
    path("calendar/renew/", planning_views.calendar_feed_renew, name="calendar_feed_renew"),
    path("calendar/revoke/", planning_views.calendar_feed_revoke, name="calendar_feed_revoke"),
    path(
        "calendar/organisation/renew/",
        planning_views.org_calendar_feed_renew,
        name="org_calendar_feed_renew",
    ),
    path(
        "calendar/organisation/revoke/",
        planning_views.org_calendar_feed_revoke,
        name="org_calendar_feed_revoke",
    ),
    path(
        "calendar/feed/<str:token>.ics",
        planning_views.calendar_feed_ics,
        name="calendar_feed_ics",
    ),
    path("", include("territories.urls")),
    path("", include("encounters.urls")),
    path("", include("reports.urls")),
    path("admin/", admin.site.urls),
]
