"""Field mode: count contacts, log anonymous conversations, follow referrals.

Every POST carries a client UUID made by the phone: a double tap, a retry or a replay
from the offline queue finds the row already saved and answers as if it had just been
made, so the queue can drop the item.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.http import INVALID, render_page
from encounters import selectors, services
from encounters.forms import EncounterForm, OutcomeForm, TapForm, referral_formset, signal_formset
from encounters.models import Referral, ReferralOutcome
from organisations.tenancy import OrgRequest, get_for_org, member_required
from outreach.models import OutreachSession
from outreach.selectors import get_session_for_member, my_sessions_today


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return None


def _phone_time(value: str | None) -> datetime | None:
    """When the phone says the entry was made (it may have waited offline), if given."""
    try:
        when = parse_datetime(value or "")
    except ValueError:
        return None
    if when is not None and timezone.is_naive(when):
        return None
    return when


# Refusals for good: the phone's queue moves the item to "À revoir" on these statuses.
_REFUSAL_STATUS = {"conflict": 409, "cancelled": 410, "not_started": 422, "closed": 422}


def _refused(request: OrgRequest, refused: services.EntryRefused, session) -> HttpResponse:
    """The server's reason, as a page (and in a header, for the phone's queue)."""
    response = render(
        request,
        "encounters/entry_refused.html",
        {"session": session, "reason": refused.message, "code": refused.code},
        status=_REFUSAL_STATUS[refused.code],
    )
    response["X-Terrain-Reason"] = quote(refused.message)
    return response


def _entry_refusal(request: OrgRequest, session: OutreachSession) -> services.EntryRefused | None:
    """Why nothing can be logged in ``session`` now (its code and message), or None."""
    try:
        services.entry_check(session=session, membership=request.membership)
    except services.EntryRefused as refused:
        return refused
    return None


# --- The field page and its counters --------------------------------------------


def _field_context(request: OrgRequest, session: OutreachSession) -> dict[str, Any]:
    return {
        "session": session,
        "counts": selectors.tap_counts(session=session, author=request.user),
        "tap_uuid": uuid.uuid4(),
        "entry_refusal": _entry_refusal(request, session),
    }


def _move_targets(request: OrgRequest) -> list[OutreachSession]:
    """Where an item refused because its session is gone (404) or cancelled (410) may be
    sent instead: the member's sessions of the day that take entries."""
    today = my_sessions_today(organisation=request.organisation, user=request.user)["today"]
    return [s for s in today if not s.is_cancelled]


@require_GET
@member_required()
def field_mode(request: OrgRequest, pk: int) -> HttpResponse:
    session = get_session_for_member(request, pk)
    context = _field_context(request, session)
    if not request.htmx:
        context["encounters"] = selectors.session_encounters(session=session)
        context["move_targets"] = _move_targets(request)
    return render_page(request, "encounters/field.html", context, partial="counters")


def _counters_response(request: OrgRequest, session: OutreachSession) -> HttpResponse:
    if request.htmx:
        return render(request, "encounters/field.html#counters", _field_context(request, session))
    return redirect("field_mode", session.pk)


@require_POST
@member_required()
def tap(request: OrgRequest, pk: int) -> HttpResponse:
    session = get_session_for_member(request, pk)
    form = TapForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("This tap could not be counted."), status=INVALID)
    try:
        services.contact_tap(
            organisation=request.organisation,
            session=session,
            author=request.user,
            kind=form.cleaned_data["kind"],
            client_uuid=form.cleaned_data["client_uuid"],
            membership=request.membership,
            tapped_at=_phone_time(request.POST.get("at")),
        )
    except services.EntryRefused as refused:
        return _refused(request, refused, session)
    return _counters_response(request, session)


@require_POST
@member_required()
def tap_undo(request: OrgRequest, pk: int) -> HttpResponse:
    session = get_session_for_member(request, pk)
    try:
        undone = services.contact_tap_undo(
            organisation=request.organisation,
            session=session,
            author=request.user,
            client_uuid=_uuid(request.POST.get("tap")),
        )
    except services.EntryRefused as refused:
        return _refused(request, refused, session)
    if not request.htmx and undone is not None:
        messages.success(request, _("The last tap has been taken back."))
    return _counters_response(request, session)


# --- Conversations ----------------------------------------------------------------


def _data(form, signals, referrals) -> services.EncounterData:
    return services.EncounterData(
        fields=form.encounter_fields(),
        topics=form.cleaned_data["topics"],
        signals=[{"right": r["right"], "reason": r["reason"]} for r in signals.used_rows()],
        referrals=[
            {k: r[k] for k in ("partner", "partner_kind", "right", "topic", "outcome")}
            for r in referrals.used_rows()
        ],
    )


def _chips(org, session, signals, referrals) -> dict:
    """One-tap choices for the first signal and referral rows (the organisation's usual
    rights and partners), keeping the row's current value among them."""
    rights = selectors.chip_rights(organisation=org)
    partners = selectors.chip_partners(organisation=org, session=session)
    # A forged post without the formsets' management data has no rows at all.
    right = signals.forms[0]["right"] if signals.forms else None
    partner = referrals.forms[0]["partner"] if referrals.forms else None
    for bound, chips in ((right, rights), (partner, partners)):
        chosen = bound.value() if bound is not None else None
        if chosen and str(chosen) not in {str(c.pk) for c in chips}:
            extra = (
                bound.field.queryset.filter(pk=chosen).first() if str(chosen).isdigit() else None
            )
            if extra:
                chips.append(extra)
    return {
        "chip_rights": rights,
        "chip_partners": partners,
        "chip_right": str((right.value() if right is not None else "") or ""),
        "chip_partner": str((partner.value() if partner is not None else "") or ""),
    }


def _form_page(request, session, form, signals, referrals, **extra) -> HttpResponse:
    invalid = form.is_bound and not (
        form.is_valid() and signals.is_valid() and referrals.is_valid()
    )
    context = {
        "session": session,
        "form": form,
        "signals": signals,
        "referrals": referrals,
        **_chips(request.organisation, session, signals, referrals),
        "new_card_code": services.return_card_code_new(),
        **extra,
    }
    return render(
        request, "encounters/encounter_form.html", context, status=INVALID if invalid else 200
    )


@require_http_methods(["GET", "POST"])
@member_required()
def encounter_create(request: OrgRequest, pk: int) -> HttpResponse:
    session = get_session_for_member(request, pk)
    org = request.organisation
    if request.method == "POST":
        client_uuid = _uuid(request.POST.get("client_uuid"))
        saved = client_uuid and services.encounter_for_client_uuid(
            organisation=org, client_uuid=client_uuid
        )
        if saved:
            # A double tap or a replay: it is saved already, say so and move on; the same
            # UUID with another content keeps the first one and says so (409).
            form = EncounterForm(request.POST, return_cards=org.return_cards_enabled)
            signals = signal_formset(request.POST, organisation=org)
            referrals = referral_formset(request.POST, organisation=org)
            valid = form.is_valid() and signals.is_valid() and referrals.is_valid()
            try:
                services.encounter_replay_check(
                    encounter=saved,
                    session=session,
                    author=request.user,
                    data=_data(form, signals, referrals) if valid else None,
                )
            except services.EntryRefused as refused:
                return _refused(request, refused, session)
            messages.info(request, _("This conversation was already saved."))
            return redirect("field_mode", session.pk)
        try:
            late = services.entry_check(
                session=session,
                membership=request.membership,
                when=_phone_time(request.POST.get("occurred_at")),
            )
        except services.EntryRefused as refused:
            return _refused(request, refused, session)
        form = EncounterForm(request.POST, return_cards=org.return_cards_enabled)
        signals = signal_formset(request.POST, organisation=org)
        referrals = referral_formset(request.POST, organisation=org)
        if form.is_valid() and signals.is_valid() and referrals.is_valid():
            services.encounter_create(
                organisation=org,
                session=session,
                author=request.user,
                client_uuid=form.cleaned_data["client_uuid"],
                data=_data(form, signals, referrals),
                occurred_at=services.encounter_time(
                    sent_at=form.cleaned_data.get("occurred_at"), session=session
                ),
                is_late=late,
            )
            messages.success(request, _("Conversation saved."))
            return redirect("field_mode", session.pk)
    else:
        form = EncounterForm(
            initial={"client_uuid": uuid.uuid4()}, return_cards=org.return_cards_enabled
        )
        signals = signal_formset(organisation=org)
        referrals = referral_formset(organisation=org)
    return _form_page(request, session, form, signals, referrals)


@require_GET
@member_required()
def encounter_detail(request: OrgRequest, pk: int) -> HttpResponse:
    encounter = selectors.encounter_for_member(request, pk)
    context = {
        "encounter": encounter,
        "can_edit": services.encounter_editable_by(encounter, request.membership),
        **selectors.encounter_detail(encounter=encounter),
    }
    return render(request, "encounters/encounter_detail.html", context)


@require_http_methods(["GET", "POST"])
@member_required()
def encounter_edit(request: OrgRequest, pk: int) -> HttpResponse:
    encounter = selectors.encounter_for_member(request, pk)
    if not services.encounter_editable_by(encounter, request.membership):
        raise PermissionDenied
    org = request.organisation
    signal_rows, referral_rows = selectors.encounter_form_rows(encounter)
    cards = org.return_cards_enabled or bool(encounter.return_card_code)
    if request.method == "POST":
        form = EncounterForm(request.POST, instance=encounter, return_cards=cards)
        signals = signal_formset(request.POST, organisation=org, initial=signal_rows)
        referrals = referral_formset(request.POST, organisation=org, initial=referral_rows)
        if form.is_valid() and signals.is_valid() and referrals.is_valid():
            services.encounter_update(
                encounter=encounter,
                membership=request.membership,
                data=_data(form, signals, referrals),
            )
            messages.success(request, _("The conversation has been corrected."))
            return redirect("encounter_detail", encounter.pk)
    else:
        form = EncounterForm(instance=encounter, return_cards=cards)
        signals = signal_formset(organisation=org, initial=signal_rows)
        referrals = referral_formset(organisation=org, initial=referral_rows)
    return _form_page(request, encounter.session, form, signals, referrals, encounter=encounter)


# --- Referrals to follow --------------------------------------------------------


@require_GET
@member_required()
def referral_list(request: OrgRequest) -> HttpResponse:
    include_closed = request.GET.get("all") == "1"
    context = {
        "referrals": selectors.referrals_to_follow(
            organisation=request.organisation, include_closed=include_closed
        ),
        "include_closed": include_closed,
        "outcome_choices": ReferralOutcome.choices,
    }
    return render_page(request, "encounters/referral_list.html", context)


@require_POST
@member_required()
def referral_outcome(request: OrgRequest, pk: int) -> HttpResponse:
    referral = get_for_org(
        Referral.objects.select_related(
            "partner", "right", "encounter__session__place", "encounter__session__territory"
        ),
        request,
        pk=pk,
    )
    form = OutcomeForm(request.POST)
    if form.is_valid():
        referral = services.referral_set_outcome(
            referral=referral, outcome=form.cleaned_data["outcome"], by=request.membership
        )
        if not request.htmx:
            messages.success(request, _("Outcome saved."))
    if request.htmx:
        return render(
            request,
            "encounters/referral_list.html#referral",
            {
                "referral": referral,
                "saved": form.is_valid(),
                "outcome_choices": ReferralOutcome.choices,
            },
            status=200 if form.is_valid() else INVALID,
        )
    return redirect(reverse("referral_list"))


# --- Offline --------------------------------------------------------------------


@login_not_required
@require_GET
def service_worker(request: OrgRequest) -> HttpResponse:
    """The service worker, a static file (static/js/sw.js) served from the root so that
    its scope is the whole site. The page registers it with the URL of the queue module
    it shares with it (js/queue.js), so nothing here knows the static files."""
    path = finders.find("js/sw.js") or staticfiles_storage.path("js/sw.js")
    with open(path, "rb") as source:
        response = HttpResponse(source.read(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@member_required()
def offline_queue(request: OrgRequest) -> HttpResponse:
    """What waits on this phone and what the server refused ("À revoir"). The list
    itself lives in the phone (js/field.js fills it from the queue); the page is kept
    by the service worker so that it opens without signal."""
    return render(
        request, "encounters/offline_queue.html", {"move_targets": _move_targets(request)}
    )


@login_not_required
@require_GET
def offline_token(request: OrgRequest) -> HttpResponse:
    """Who is logged in on this phone now, and the CSRF token of that login: what the
    service worker sends the queue with. Taken from the server at each replay, never
    from a page, which may be older than the last login (a page kept for no signal,
    shown when the server is slow; a tab left open)."""
    user = request.user
    response = JsonResponse(
        {"user": str(user.pk) if user.is_authenticated else "", "csrf": get_token(request)}
    )
    response["Cache-Control"] = "no-store"
    return response
