"""The root URLs: authentication, sessions (this app), and every app's own urls."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from organisations import views as organisation_views
from organisations.forms import LoginForm
from outreach import views

# A body over DATA_UPLOAD_MAX_MEMORY_SIZE answers 413 with a French page, not a bare 400.
handler400 = "outreach.errors.bad_request"

urlpatterns = [
    path("", views.home, name="home"),
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    # Before Django's own: the same view behind a rate limit.
    path("password_reset/", organisation_views.password_reset, name="password_reset"),
    path("", include("django.contrib.auth.urls")),
    path("", include("organisations.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("today/", views.today, name="today"),
    path("agenda/", views.agenda, name="agenda"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/check/", views.session_check, name="session_check"),
    path("sessions/start/", views.session_start_now, name="session_start_now"),
    path("sessions/series/new/", views.series_create, name="series_create"),
    path("sessions/series/check/", views.series_check, name="series_check"),
    path("sessions/series/<int:pk>/", views.series_detail, name="series_detail"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/debrief/", views.session_debrief, name="session_debrief"),
    path("calendar/", views.calendar_feeds, name="calendar_feeds"),
    path("calendar/renew/", views.calendar_feed_renew, name="calendar_feed_renew"),
    path("calendar/revoke/", views.calendar_feed_revoke, name="calendar_feed_revoke"),
    path(
        "calendar/organisation/renew/",
        views.org_calendar_feed_renew,
        name="org_calendar_feed_renew",
    ),
    path(
        "calendar/organisation/revoke/",
        views.org_calendar_feed_revoke,
        name="org_calendar_feed_revoke",
    ),
    path(
        "calendar/feed/<str:token>.ics",
        views.calendar_feed_ics,
        name="calendar_feed_ics",
    ),
    path("", include("territories.urls")),
    path("", include("encounters.urls")),
    path("", include("reports.urls")),
    path("admin/", admin.site.urls),
]
