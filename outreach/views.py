"""Views of outreach sessions: planning, agenda, "Today", debriefs, calendar feeds."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, time, timedelta
from itertools import groupby
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import ratelimit
from core.http import render_form, render_page
from core.labels import user_label
from core.time import PARIS, local_datetime
from organisations.models import PLANNERS
from organisations.tenancy import OrgRequest, get_for_org, member_required
from outreach import ics, selectors, services
from outreach.forms import (
    AgendaFilterForm,
    CancelForm,
    DebriefForm,
    SeriesForm,
    SessionForm,
    StartNowForm,
)
from outreach.models import OutreachSession, SessionSeries
from territories import selectors as territory_selectors
from territories.models import Place


def _posted(request: OrgRequest):
    """The POST data, even empty: an empty POST is a bound form that fails to validate."""
    return request.POST if request.method == "POST" else None


def _date_or_none(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _planning_initial(request: OrgRequest) -> dict[str, Any]:
    """What a link or the territory drop-down passes to a planning form: "plan a session
    here" from a place (?place=), the territory chosen so far, the values of a session
    to repeat as a series (the session form sends itself here with GET)."""
    initial: dict[str, Any] = {"lead": request.user.pk}
    get = request.POST if request.POST.get("prefill") else request.GET
    place_id = get.get("place")
    if place_id and place_id.isdigit():
        place = Place.objects.filter(
            organisation=request.organisation, pk=place_id, archived_at__isnull=True
        ).first()
        if place:
            initial.update(place=place.pk, territory=place.territory_id)
    for name in ("kind", "territory", "start_time", "end_time", "lead", "objectives"):
        if get.get(name):
            initial[name] = get[name]
    if get.getlist("members"):
        initial["members"] = get.getlist("members")
    return initial


def _place_follows_territory(request: OrgRequest, form) -> None:
    """Changing the territory refreshes the place drop-down with that territory's places
    (htmx: the same page, GET with the form's values, only the place select swapped)."""
    form.fields["territory"].widget.attrs.update(
        {
            "hx-get": request.path,
            "hx-include": "closest form",
            "hx-select": "#id_place",
            "hx-target": "#id_place",
            "hx-swap": "outerHTML",
            "hx-trigger": "change",
            # No place can be picked from the old list while the new one is on its way.
            "hx-disabled-elt": "#id_place",
        }
    )


def _session_url(session: OutreachSession) -> str:
    return reverse("session_detail", args=[session.pk])


def _by_day(sessions: list[OutreachSession]) -> dict[date, list[OutreachSession]]:
    def day(s: OutreachSession) -> date:
        return timezone.localtime(s.starts_at, PARIS).date()

    return {d: list(group) for d, group in groupby(sessions, key=day)}


# --- Today -----------------------------------------------------------------


@require_GET
@member_required()
def today(request: OrgRequest) -> HttpResponse:
    context = selectors.my_sessions_today(organisation=request.organisation, user=request.user)
    return render(request, "outreach/today.html", context)


@require_http_methods(["GET", "POST"])
@member_required()
def session_start_now(request: OrgRequest) -> HttpResponse:
    """ "Start a session now", for every member: no planning needed to log in the field."""
    form = StartNowForm(_posted(request), organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session = services.session_start_now(
            organisation=request.organisation,
            kind=data["kind"],
            territory=data["territory"],
            place=data["place"],
            member=request.user,
            hours=data["hours"],
        )
        messages.success(request, _("The session has started: log what happens."))
        return redirect("field_mode", session.pk)
    context = {"title": _("Start a session now"), "cancel_url": reverse("today")}
    return render_form(request, "form_page.html", context, form=form)


# --- Agenda ----------------------------------------------------------------


def _period(view: str, around: date) -> tuple[date, date, date, date]:
    """First day, day after the last, and the anchors of the previous and next period."""
    if view == "month":
        first = around.replace(day=1)
        after = first + timedelta(days=monthrange(first.year, first.month)[1])
        previous = (first - timedelta(days=1)).replace(day=1)
        return first, after, previous, after
    first = around - timedelta(days=around.weekday())
    after = first + timedelta(days=7)
    return first, after, first - timedelta(days=7), after


@require_GET
@member_required()
def agenda(request: OrgRequest) -> HttpResponse:
    filter_form = AgendaFilterForm(request.GET, organisation=request.organisation)
    filters = filter_form.filters()
    view = filters["view"]
    first, after, previous, following = _period(view, filters["date"])
    start, end = local_datetime(first, time.min), local_datetime(after, time.min)
    sessions = selectors.agenda_sessions(
        organisation=request.organisation,
        start=start,
        end=end,
        territory=filters["territory"],
        kind=filters["kind"],
        member=filters["member"],
    )
    conflicts = selectors.agenda_conflicts(organisation=request.organisation, start=start, end=end)
    for s in sessions:
        clashing = conflicts.members.get(s.pk, set())
        s.conflicting_members = [user_label(m) for m in s.members.all() if m.pk in clashing]
        s.place_conflict = s.pk in conflicts.places
    member_conflicts, place_conflicts = selectors.conflict_lines(
        organisation=request.organisation, conflicts=conflicts, shown=sessions
    )
    by_day = _by_day(sessions)
    if view == "week":
        days = [
            (first + timedelta(days=i), by_day.get(first + timedelta(days=i), [])) for i in range(7)
        ]
    else:
        days = list(by_day.items())
    query = request.GET.copy()
    query.pop("date", None)

    def link(anchor: date) -> str:
        q = query.copy()
        q["date"] = anchor.isoformat()
        q["view"] = view
        return f"{request.path}?{q.urlencode()}"

    context: dict[str, Any] = {
        "filter_form": filter_form,
        "view": view,
        "first": first,
        "last": after - timedelta(days=1),
        "days": days,
        "session_count": len(sessions),
        "member_conflicts": member_conflicts,
        "place_conflicts": place_conflicts,
        "previous_url": link(previous),
        "next_url": link(following),
        "today_url": link(timezone.localdate()),
        "can_plan": request.membership.role in PLANNERS,
    }
    return render_page(request, "outreach/agenda.html", context)


# --- One session -----------------------------------------------------------


@require_GET
@member_required()
def session_detail(request: OrgRequest, pk: int) -> HttpResponse:
    session = selectors.session_detail(organisation=request.organisation, pk=pk)
    context = {
        "session": session,
        "can_plan": request.membership.role in PLANNERS,
        "can_debrief": services.debrief_allowed(session)
        and not services.debrief_locked_for(session, request.membership),
        "debrief_locked": services.debrief_locked_for(session, request.membership),
    }
    if session.series_id:
        context["series_rule"] = selectors.series_rule(session.series)
    return render(request, "outreach/session_detail.html", context)


@require_GET
@member_required(PLANNERS)
def session_check(request: OrgRequest) -> HttpResponse:
    """The warnings of the planning form, as it changes (htmx): which sessions the one
    being planned would clash with, before anything is saved."""
    get = request.GET
    day = _date_or_none(get.get("day"))
    clashes: list = []
    try:
        start = time.fromisoformat(get.get("start_time", ""))
        end = time.fromisoformat(get.get("end_time", ""))
    except ValueError:
        start = end = None
    if day and start and end and end > start:
        ids = {int(v) for v in [*get.getlist("members"), get.get("lead", "")] if v.isdigit()}
        place = get.get("place", "")
        editing = get.get("session", "")
        clashes = selectors.planning_clashes(
            organisation=request.organisation,
            starts_at=local_datetime(day, start),
            ends_at=local_datetime(day, end),
            place_id=int(place) if place.isdigit() else None,
            member_ids=ids,
            exclude_pk=int(editing) if editing.isdigit() else None,
        )
    return render(request, "outreach/_planning_check.html", {"clashes": clashes})


@require_GET
@member_required(PLANNERS)
def series_check(request: OrgRequest) -> HttpResponse:
    """The warnings of the series form, as it changes (htmx): which sessions already
    planned its occurrences would clash with, each listed once, before anything is
    saved. Incomplete or impossible values: no warning (the form says what is wrong)."""
    get = request.GET
    first, last = _date_or_none(get.get("first_date")), _date_or_none(get.get("last_date"))
    weekdays = sorted({int(v) for v in get.getlist("weekdays") if v in "0123456"})
    try:
        start = time.fromisoformat(get.get("start_time", ""))
        end = time.fromisoformat(get.get("end_time", ""))
    except ValueError:
        start = end = None
    clashes: list = []
    if (
        first
        and last
        and start
        and end
        and end > start
        and weekdays
        and 0 <= (last - first).days <= services.SERIES_MAX_DAYS
    ):
        place = get.get("place", "")
        clashes = selectors.series_clashes(
            organisation=request.organisation,
            occurrences=services.series_occurrences(
                weekdays=weekdays, start_time=start, end_time=end, first_date=first, last_date=last
            ),
            place_id=int(place) if place.isdigit() else None,
            member_ids={
                int(v) for v in [*get.getlist("members"), get.get("lead", "")] if v.isdigit()
            },
        )
    return render(request, "outreach/_planning_check.html", {"clashes": clashes, "series": True})


@require_GET
@member_required()
def series_detail(request: OrgRequest, pk: int) -> HttpResponse:
    series = get_for_org(SessionSeries.objects.select_related("territory", "place"), request, pk=pk)
    context = {
        "series": series,
        "rule": selectors.series_rule(series),
        "sessions": selectors.series_sessions(series=series),
    }
    return render(request, "outreach/series_detail.html", context)


@require_http_methods(["GET", "POST"])
@member_required(PLANNERS)
def session_create(request: OrgRequest) -> HttpResponse:
    initial = {"day": request.GET.get("day") or timezone.localdate(), **_planning_initial(request)}
    form = SessionForm(_posted(request), organisation=request.organisation, initial=initial)
    _place_follows_territory(request, form)
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.datetimes()
        data = form.cleaned_data
        try:
            session = services.session_create(
                organisation=request.organisation,
                kind=data["kind"],
                territory=data["territory"],
                place=data["place"],
                starts_at=starts_at,
                ends_at=ends_at,
                lead=data["lead"],
                members=data["members"],
                objectives=data["objectives"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The session has been planned."))
            return redirect(_session_url(session))
    context = {"title": _("Plan a session"), "cancel_url": reverse("agenda")}
    return render_form(request, "outreach/session_form.html", context, form=form)


@require_http_methods(["GET", "POST"])
@member_required(PLANNERS)
def series_create(request: OrgRequest) -> HttpResponse:
    initial = _planning_initial(request)
    prefill = request.method == "POST" and request.POST.get("prefill") == "1"
    day = _date_or_none((request.POST if prefill else request.GET).get("day"))
    initial["first_date"] = day or timezone.localdate()
    if day:  # a session repeated: the same weekday
        initial["weekdays"] = [day.weekday()]
    data = None if prefill else _posted(request)
    form = SeriesForm(data, organisation=request.organisation, initial=initial)
    _place_follows_territory(request, form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            series, count = services.series_create(
                organisation=request.organisation,
                kind=data["kind"],
                territory=data["territory"],
                place=data["place"],
                weekdays=data["weekdays"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                first_date=data["first_date"],
                last_date=data["last_date"],
                lead=data["lead"],
                members=data["members"],
                objectives=data["objectives"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(count)d sessions have been planned.") % {"count": count})
            url = reverse("agenda") + f"?view=month&date={series.first_date.isoformat()}"
            return redirect(url)
    context = {"title": _("Plan a recurring series"), "cancel_url": reverse("agenda")}
    return render_form(request, "outreach/series_form.html", context, form=form)


@require_http_methods(["GET", "POST"])
@member_required(PLANNERS)
def session_edit(request: OrgRequest, pk: int) -> HttpResponse:
    session = selectors.get_session_for_member(request, pk)
    form = SessionForm(
        _posted(request),
        organisation=request.organisation,
        session=session,
        initial={
            **SessionForm.initial_for(session),
            **({"territory": request.GET["territory"]} if request.GET.get("territory") else {}),
        },
    )
    _place_follows_territory(request, form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts_at, ends_at = form.datetimes()
        common = {
            "kind": data["kind"],
            "territory": data["territory"],
            "place": data["place"],
            "lead": data["lead"],
            "members": data["members"],
            "objectives": data["objectives"],
        }
        try:
            if data.get("scope") == "following":
                kept = services.session_has_field_data(session)
                services.series_update_following(
                    session=session,
                    start_time=data["start_time"],
                    end_time=data["end_time"],
                    **common,
                )
                if kept:
                    messages.success(
                        request,
                        _(
                            "This session keeps what was logged in it; the following ones "
                            "have changed."
                        ),
                    )
                else:
                    messages.success(
                        request, _("This session and the following ones have changed.")
                    )
                return redirect(reverse("agenda") + f"?date={data['day'].isoformat()}")
            services.session_update(
                session=session,
                starts_at=starts_at,
                ends_at=ends_at,
                status=data["status"],
                **common,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The session has been updated."))
            return redirect(_session_url(session))
    context = {
        "title": _("Change the session"),
        "cancel_url": _session_url(session),
        "editing": session,
    }
    return render_form(request, "outreach/session_form.html", context, form=form)


@require_http_methods(["GET", "POST"])
@member_required(PLANNERS)
def session_cancel(request: OrgRequest, pk: int) -> HttpResponse:
    session = selectors.get_session_for_member(request, pk)
    form = CancelForm(_posted(request), session=session)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.session_cancel(
                session=session,
                reason=form.cleaned_data["reason"],
                following=form.cleaned_data.get("scope") == "following",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Sessions cancelled: %(count)d.") % {"count": count})
            return redirect(_session_url(session))
    context = {
        "title": _("Cancel the session"),
        "cancel_url": _session_url(session),
        "session": session,
    }
    return render_form(request, "outreach/session_cancel.html", context, form=form)


@require_http_methods(["GET", "POST"])
@member_required()
def session_debrief(request: OrgRequest, pk: int) -> HttpResponse:
    session = selectors.get_session_for_member(request, pk)
    if services.debrief_locked_for(session, request.membership):
        raise PermissionDenied
    if not services.debrief_allowed(session):
        messages.warning(request, _("A debrief can be written once the session has started."))
        return redirect(_session_url(session))
    form = DebriefForm(_posted(request), instance=session)
    # Both figures side by side: what the debrief says, what field mode recorded.
    for name, count in services.recorded_taps(session).items():
        form.fields[name].help_text = _("Field mode recorded %(count)d.") % {"count": count}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.session_debrief(
                session=session,
                by=request.membership,
                brief_contacts=data["brief_contacts"],
                refusals=data["refusals"],
                atmosphere=data["atmosphere"],
                next_time=data["next_time"],
                comments=data["comments"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: the debrief has been saved."))
            return redirect(_session_url(session))
    context = {"title": _("Debrief"), "cancel_url": _session_url(session), "session": session}
    return render_form(request, "outreach/session_debrief.html", context, form=form)


# --- Calendar feeds --------------------------------------------------------


def _feeds_page(request: OrgRequest, new_url: str = "", new_scope: str = "") -> HttpResponse:
    feeds = selectors.live_feeds(organisation=request.organisation, member=request.membership)
    context = {
        "feeds": feeds,
        "new_url": new_url,
        # Calendar apps subscribe to webcal:// links (the same URL, another scheme).
        "webcal_url": "webcal://" + new_url.split("://", 1)[-1] if new_url else "",
        "new_scope": new_scope,
        "can_plan": request.membership.role in PLANNERS,
    }
    return render(request, "outreach/calendar_feeds.html", context)


@require_GET
@member_required()
def calendar_feeds(request: OrgRequest) -> HttpResponse:
    return _feeds_page(request)


def _renew(request: OrgRequest, *, member) -> HttpResponse:
    limit, window = settings.RATE_LIMITS["calendar_renew"]
    if not ratelimit.allow(
        "calendar_renew", str(request.membership.pk), limit=limit, window=window
    ):
        return ratelimit.refused(
            request, _("The calendar link has been renewed many times: try again later.")
        )
    _feed, token = services.calendar_feed_renew(
        organisation=request.organisation, member=member, by=request.membership
    )
    url = request.build_absolute_uri(reverse("calendar_feed_ics", args=[token]))
    # The raw token exists only in this response: only its hash is stored.
    return _feeds_page(request, new_url=url, new_scope="member" if member else "organisation")


@require_POST
@member_required()
def calendar_feed_renew(request: OrgRequest) -> HttpResponse:
    return _renew(request, member=request.membership)


@require_POST
@member_required(PLANNERS)
def org_calendar_feed_renew(request: OrgRequest) -> HttpResponse:
    return _renew(request, member=None)


@require_POST
@member_required()
def calendar_feed_revoke(request: OrgRequest) -> HttpResponse:
    services.calendar_feed_revoke(organisation=request.organisation, member=request.membership)
    messages.success(request, _("The calendar link has been revoked."))
    return redirect("calendar_feeds")


@require_POST
@member_required(PLANNERS)
def org_calendar_feed_revoke(request: OrgRequest) -> HttpResponse:
    services.calendar_feed_revoke(organisation=request.organisation, member=None)
    messages.success(request, _("The calendar link has been revoked."))
    return redirect("calendar_feeds")


@login_not_required
@require_GET
def calendar_feed_ics(request: OrgRequest, token: str) -> HttpResponse:
    feed = services.calendar_feed_for_token(token)
    if feed is None:
        raise Http404
    sessions = selectors.feed_sessions(feed=feed)
    name = feed.organisation.name
    if feed.member is not None:
        name = _("%(organisation)s — my sessions") % {"organisation": name}
    body = ics.calendar_for(
        name=name,
        sessions=sessions,
        url_for=lambda s: request.build_absolute_uri(_session_url(s)),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="terrain.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


def home_context(request: OrgRequest) -> dict[str, Any]:
    """What the home page shows: a volunteer's day, or the organisation's day."""
    if request.membership.role in PLANNERS:
        return {"sessions_today": selectors.sessions_today(organisation=request.organisation)}
    return selectors.my_sessions_today(organisation=request.organisation, user=request.user)


@require_GET
@member_required()
def home(request: OrgRequest) -> HttpResponse:
    context = {
        "counts": territory_selectors.directory_counts(organisation=request.organisation),
        **home_context(request),
    }
    return render(request, "outreach/home.html", context)


@login_not_required
def csrf_failure(request: OrgRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF_FAILURE_VIEW: a French page instead of the raw English one. It
    happens when a page was opened before a new login (its token is stale)."""
    return render(request, "403_csrf.html", status=403)


@login_not_required
@require_GET
def web_manifest(request: OrgRequest) -> HttpResponse:
    """The web app manifest: Terrain installs on the phone's home screen and opens on
    "Today", standalone, in the brand colour."""
    icons = [
        {"src": static(f"icons/terrain-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ] + [
        {
            "src": static(f"icons/terrain-maskable-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "maskable",
        }
        for size in (192, 512)
    ]
    manifest = {
        "id": "/",
        "name": _("Terrain: outreach in the field"),
        "short_name": "Terrain",
        "description": _("Plan outreach sessions and log contacts in the field, even offline."),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("today"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#fbfaf7",
        "theme_color": "#1f5f4a",
        "icons": icons,
    }
    response = JsonResponse(
        manifest,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "no-cache"
    return response
