"""Dashboard views: figures for the team, by period, territory, kind and member."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.http import INVALID, render_page
from core.time import Comparison, Period, add_months, span_label
from organisations.models import Role
from organisations.tenancy import OrgRequest, get_for_org, member_required
from reports import selectors
from reports.charts import chart_for
from reports.forms import DashboardFilterForm
from reports.selectors import Scope
from reports.suppression import displayed
from territories.models import Place, Territory
from territories.selectors import territory_subtree_ids


def _headline_cards(current: dict, previous: dict, last_year: dict | None = None) -> list[dict]:
    cards = []
    for key, label in selectors.headline_labels():
        now, before = current[key], previous[key]
        delta = round(now - before, 1)
        cards.append(
            {
                "key": key,
                "label": label,
                "value": now,
                "previous": before,
                "delta": delta,
                "last_year": None if last_year is None else last_year[key],
            }
        )
    return cards


def dashboard_tables(scope: Scope) -> list:
    """The tables of the dashboard, in the order they are shown."""
    # The monthly trend always spans the twelve months up to the end of the period.
    trend = scope.with_period(scope.period.last_twelve_months())
    return [
        selectors.signals_by_right_and_reason(scope),
        selectors.signals_by_month(trend),
        selectors.referral_funnel(scope),
        selectors.referrals_by_partner(scope),
        selectors.conversations_by_place(scope),
        selectors.encounters_by_weekday_and_hour(scope),
        selectors.topics(scope),
        selectors.by_territory(scope),
    ]


def _charts(tables: list, prefix: str) -> list[dict]:
    return [
        {"table": t, "html": chart_for(t, slug=f"{prefix}-{n}")} for n, t in enumerate(tables, 1)
    ]


@require_GET
@member_required()
def dashboard(request: OrgRequest) -> HttpResponse:
    if request.membership.role == Role.VOLUNTEER:
        return _team_this_month(request)
    form = DashboardFilterForm(request.GET, organisation=request.organisation)
    today = timezone.localdate()
    period = form.get_period(today)
    if period.start > today:
        return _not_started(request, form, period)
    cut = ""
    if period.kind == "custom" and period.last_day > today:
        # Custom dates that end after today: the days to come have no figures, and
        # comparing them would compare nothing with something. Cut at today, and say so.
        period = Period.custom(period.start, today)
        cut = _(
            "The chosen dates end after today: the figures stop at %(today)s, "
            "the days after it have not happened yet."
        ) % {"today": span_label(Period.custom(today, today))}
    member = form.cleaned_data.get("member")
    scope = Scope(
        organisation_ids=(request.organisation.pk,),
        period=period,
        territory_ids=form.territory_ids(),
        session_kind=form.cleaned_data.get("kind") or "",
        member_id=member.pk if member else None,
    )
    # A period still running is compared with the same days of the one before.
    comparison = Comparison.of(period, today)
    tables = dashboard_tables(scope)
    context = {
        "form": form,
        "period": period,
        "cut": cut,
        "not_started": "",
        "comparison": comparison,
        "cards": _headline_cards(
            selectors.headline(scope.with_period(comparison.current)),
            selectors.headline(scope.with_period(comparison.previous)),
            selectors.headline(scope.with_period(comparison.last_year)),
        ),
        "charts": _charts(tables, "chart"),
    }
    return render_page(request, "reports/dashboard.html", context, partial="panels")


def _not_started(request: OrgRequest, form: DashboardFilterForm, period: Period) -> HttpResponse:
    """A period that has not started has no figures: 404, as the reports answer, with the
    form kept so that another period is one change away. htmx does not swap a 404, so
    the filter's own request gets the same message as an invalid choice (422)."""
    context = {
        "form": form,
        "period": period,
        "not_started": _("%(period)s has not started yet: its figures start on %(start)s.")
        % {
            "period": period.label[:1].upper() + period.label[1:],
            "start": span_label(Period.custom(period.start, period.start)),
        },
    }
    htmx = getattr(request, "htmx", None)
    status = INVALID if htmx and not htmx.boosted else 404
    return render_page(request, "reports/dashboard.html", context, partial="panels", status=status)


def _team_this_month(request: OrgRequest) -> HttpResponse:
    period = Period.month(timezone.localdate())
    comparison = Comparison.of(period, timezone.localdate())
    scope = Scope(organisation_ids=(request.organisation.pk,), period=period)
    context = {
        "period": period,
        "comparison": comparison,
        "cards": _headline_cards(
            selectors.headline(scope.with_period(comparison.current)),
            selectors.headline(scope.with_period(comparison.previous)),
        ),
        "charts": _charts([selectors.topics(scope), selectors.referral_funnel(scope)], "team"),
    }
    return render(request, "reports/team_month.html", context)


def _last_three_months() -> Period:
    """This month so far and the two before it."""
    today = timezone.localdate()
    return Period.custom(add_months(today, -2), Period.month(today).last_day)


def _recent_figures(request: OrgRequest, entry, table, detail_url: str) -> HttpResponse:
    # Team-internal figures, shown whole like the dashboard's (to volunteers too): the
    # small-count masking is for what leaves the team (reports, exports, federation).
    shown = displayed(table)
    # One row per measure, one column per month: short headings, narrow enough for a phone.
    measures = [(name, shown.column(j)) for j, name in enumerate(shown.columns)]
    context = {
        "entry": entry,
        "table": shown,
        "months": [row.label for row in shown.rows],
        "measures": measures,
        "detail_url": detail_url,
    }
    return render_page(request, "reports/recent_figures.html", context, partial="figures")


@require_GET
@member_required()
def place_figures(request: OrgRequest, pk: int) -> HttpResponse:
    place = get_for_org(Place, request, pk=pk)
    scope = Scope((request.organisation.pk,), _last_three_months(), place_id=place.pk)
    table = selectors.recent_months(scope)
    return _recent_figures(request, place, table, reverse("place_detail", args=[place.pk]))


@require_GET
@member_required()
def territory_figures(request: OrgRequest, pk: int) -> HttpResponse:
    territory = get_for_org(Territory, request, pk=pk)
    # The territory and its sub-territories, as the dashboard's territory filter.
    subtree = territory_subtree_ids(organisation=request.organisation, territory=territory)
    scope = Scope((request.organisation.pk,), _last_three_months(), tuple(subtree))
    table = selectors.recent_months(scope)
    url = reverse("territory_detail", args=[territory.pk])
    return _recent_figures(request, territory, table, url)
