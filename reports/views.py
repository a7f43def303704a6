"""Dashboard views: figures for the team, by period, territory, kind and member."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.http import render_page
from core.time import Comparison, Period
from organisations.models import Role
from organisations.tenancy import OrgRequest, member_required
from reports import selectors
from reports.charts import chart_for
from reports.forms import DashboardFilterForm
from reports.selectors import Scope


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
    period = form.get_period()
    member = form.cleaned_data.get("member")
    scope = Scope(
        organisation_ids=(request.organisation.pk,),
        period=period,
        territory_ids=form.territory_ids(),
        session_kind=form.cleaned_data.get("kind") or "",
        member_id=member.pk if member else None,
    )
    # A period still running is compared with the same days of the one before.
    comparison = Comparison.of(period, timezone.localdate())
    tables = dashboard_tables(scope)
    context = {
        "form": form,
        "period": period,
        "comparison": comparison,
        "cards": _headline_cards(
            selectors.headline(scope.with_period(comparison.current)),
            selectors.headline(scope.with_period(comparison.previous)),
            selectors.headline(scope.with_period(comparison.last_year)),
        ),
        "charts": _charts(tables, "chart"),
    }
    return render_page(request, "reports/dashboard.html", context, partial="panels")


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
