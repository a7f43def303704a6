"""Monthly and annual reports: the page, its narrative, validation and downloads."""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import ratelimit
from core.bounds import in_bounds
from core.labels import user_label
from core.time import Period
from organisations import journal
from organisations.models import DIRECTORY_EDITORS, JournalAction, Role
from organisations.tenancy import OrgRequest, member_required
from reports import exports, selectors, services
from reports.charts import chart_for, table_only
from reports.forms import ReportNarrativeForm
from reports.models import Report
from reports.publication import federation_for_outsiders, report_for_outsiders
from reports.report import (
    federation_threshold,
    report_comparison,
    report_figures,
    report_period,
)
from reports.suppression import legend, masked_summary

REPORT_READERS = DIRECTORY_EDITORS  # coordinators and managers
FORMATS = {
    "pdf": exports.PDF_CONTENT_TYPE,
    "xlsx": exports.XLSX_CONTENT_TYPE,
    "csv": exports.CSV_CONTENT_TYPE,
}


def _section(table, slug: str) -> dict:
    """A table of the report with its chart, or the table itself when it has no chart
    (several periods side by side scroll sideways on a phone, not the page)."""
    chart = chart_for(table, slug=slug) if table.chart != "none" else table_only(table)
    return {"table": table, "chart": chart}


def parse_period(kind: str, key: str) -> tuple[str, date]:
    """("month", "2026-03") → ("month", 1 March 2026); anything else → 404."""
    start = None
    try:
        if kind == Report.Kind.MONTH and re.fullmatch(r"\d{4}-\d{2}", key):
            year, month = key.split("-")
            start = date(int(year), int(month), 1)
        elif kind == Report.Kind.YEAR and re.fullmatch(r"\d{4}", key):
            start = date(int(key), 1, 1)
    except ValueError:  # month 00 or 13
        pass
    # Outside the years Terrain knows, a report has no neighbours to compare with; a period
    # that has not started yet has no figures at all.
    if start is None or not in_bounds(start) or start > timezone.localdate():
        raise Http404
    return kind, start


def period_key(kind: str, start: date) -> str:
    return f"{start:%Y-%m}" if kind == Report.Kind.MONTH else f"{start:%Y}"


def _report(request: OrgRequest, kind: str, key: str, *, for_writing: bool = False) -> Report:
    kind, start = parse_period(kind, key)
    if for_writing:
        return services.report_get_or_create(
            organisation=request.organisation, kind=kind, start=start
        )
    report = selectors.report_saved_or_blank(
        organisation_id=request.organisation.pk, kind=kind, start=start
    )
    # Reading a period before the organisation's first activity: no figures, as after
    # today, so 404 (the report list starts there too), unless a report of that period
    # was validated and sent, which stays where it was. A refused write (a POST) still
    # shows the page with its message (services.check_report_period).
    if request.method == "GET" and report.validated_at is None:
        first = services.first_activity(request.organisation)
        earliest = first.replace(day=1) if kind == Report.Kind.MONTH else date(first.year, 1, 1)
        if start < earliest:
            raise Http404
    return report


@require_GET
@member_required(REPORT_READERS)
def report_list(request: OrgRequest) -> HttpResponse:
    today = timezone.localdate()
    # Every month from the organisation's first activity to this one, newest first: the
    # same range as the reports that can be written (services.check_report_period).
    first = min(services.first_activity(request.organisation), today)
    months = []
    day = Period.month(today).start
    while day >= first.replace(day=1):
        months.append(day)
        day = Period.month(day).previous().start
    validated = {
        (r.kind, r.start): r
        for r in Report.objects.filter(
            organisation=request.organisation, validated_at__isnull=False
        )
    }
    context = {
        "months": [
            {"start": m, "key": period_key("month", m), "report": validated.get(("month", m))}
            for m in months
        ],
        "years": [
            {
                "start": date(y, 1, 1),
                "key": str(y),
                "report": validated.get(("year", date(y, 1, 1))),
            }
            for y in range(today.year, first.year - 1, -1)
        ],
        "federation": _federation_ids(request) is not None,
    }
    return render(request, "reports/report_list.html", context)


@require_GET
@member_required(REPORT_READERS)
def report_detail(request: OrgRequest, kind: str, key: str) -> HttpResponse:
    report = _report(request, kind, key)
    return _render_report(request, report, ReportNarrativeForm(instance=report))


def _render_report(
    request: OrgRequest,
    report: Report,
    form: ReportNarrativeForm,
    status: int = 200,
    refusal: list[str] | None = None,
) -> HttpResponse:
    figures = report_figures(report, request.organisation)
    tables = report_for_outsiders(report, request.organisation, figures)
    key = period_key(report.kind, report.start)
    context = {
        "report": report,
        "period": report_period(report.kind, report.start),
        "comparison": report_comparison(report_period(report.kind, report.start)),
        "key": key,
        "form": form,
        "changed": figures.changed,
        "sections": [_section(t, f"report-{n}") for n, t in enumerate(tables, 1)],
        "can_validate": request.membership.role == Role.MANAGER
        and report_period(report.kind, report.start).end <= timezone.localdate(),
        "downloads": [
            (fmt.upper(), reverse("report_download", args=[report.kind, key, fmt]))
            for fmt in FORMATS
        ],
        "threshold": figures.threshold,
        "legend": legend(figures.threshold),
        "masked_summary": masked_summary(tables),
        "refusal": refusal or [],
    }
    return render(request, "reports/report_detail.html", context, status=status)


def _refused(request: OrgRequest, kind: str, key: str, error: ValidationError) -> HttpResponse:
    """The report page again, with why the request was refused (422), nothing saved."""
    report = _report(request, kind, key)
    form = ReportNarrativeForm(instance=report)
    return _render_report(request, report, form, status=422, refusal=error.messages)


@require_POST
@member_required(REPORT_READERS)
def report_narrative(request: OrgRequest, kind: str, key: str) -> HttpResponse:
    try:
        report = _report(request, kind, key, for_writing=True)
    except ValidationError as error:
        return _refused(request, kind, key, error)
    form = ReportNarrativeForm(request.POST, instance=report)
    if not form.is_valid():
        return _render_report(request, report, form, status=422)
    services.report_save_narrative(report=report, data=form.cleaned_data, by=request.user)
    messages.success(request, _("The report's text has been saved."))
    return redirect("report_detail", report.kind, key)


@require_POST
@member_required({Role.MANAGER})
def report_validate(request: OrgRequest, kind: str, key: str) -> HttpResponse:
    try:
        services.check_period_ended(kind=kind, start=parse_period(kind, key)[1])
        report = _report(request, kind, key, for_writing=True)
        services.report_validate(report=report, by=request.user)
    except ValidationError as error:
        return _refused(request, kind, key, error)
    messages.success(request, _("The report is validated: its figures are frozen as sent."))
    return redirect("report_detail", report.kind, key)


@require_GET
@member_required(REPORT_READERS)
def report_download(request: OrgRequest, kind: str, key: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    report = _report(request, kind, key)
    with ratelimit.slot(
        "export", str(request.organisation.pk), size=settings.EXPORTS_AT_ONCE, timeout=300
    ) as free:
        if not free:
            return ratelimit.refused(
                request,
                _("Other reports of your organisation are being prepared: try again in a minute."),
            )
        tables = report_for_outsiders(report, request.organisation)
        content = render_export(fmt, tables, organisation=request.organisation.name, report=report)
    name = f"terrain-{slugify(request.organisation.slug)}-{key}.{fmt}"
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    journal.record(
        organisation=request.organisation,
        actor=request.user,
        action=JournalAction.REPORT_EXPORTED,
        target=report_period(report.kind, report.start).label,
        details=fmt.upper(),
    )
    return response


def report_header(report: Report, organisation: str, tables: list) -> list[tuple[str, str]]:
    """What a file sent outside says about itself: whose, which period, draft or
    validated (by whom, when), and how many figures were masked."""
    period = report_period(report.kind, report.start)
    lines = [
        (_("Organisation"), organisation),
        (_("Period"), period.label),
        (_("Compared with"), report_comparison(period).sentence),
    ]
    if report.is_validated:
        lines += [
            (_("Status"), _("validated: the figures are frozen as sent")),
            (_("Validated by"), user_label(report.validated_by)),
            (
                _("Validated on"),
                date_format(timezone.localtime(report.validated_at), "DATETIME_FORMAT"),
            ),
        ]
    else:
        lines.append((_("Status"), _("draft, not validated: the figures are live")))
    summary = masked_summary(tables)
    if summary:
        lines.append((_("Masked figures"), summary))
    return lines


def render_export(fmt: str, tables: list, *, organisation: str, report: Report) -> bytes:
    """The report as a PDF, XLSX or CSV file (also used by the monthly_report command)."""
    period = report_period(report.kind, report.start)
    header = report_header(report, organisation, tables)
    narrative = [
        (_("Highlights"), report.highlights),
        (_("Difficulties"), report.difficulties),
        (_("Partnerships"), report.partnerships),
    ]
    if fmt == "pdf":
        return exports.to_pdf(
            tables,
            organisation=organisation,
            period=period.label,
            narrative=narrative,
            header=header,
        )
    if fmt == "xlsx":
        return exports.to_xlsx(
            tables, title=f"{organisation} — {period.label}", header=header, narrative=narrative
        )
    return exports.to_csv(tables, header=header)


def _federation_ids(request: OrgRequest) -> tuple[int, ...] | None:
    """The organisations this person manages, when there are several (a federation)."""
    ids = tuple(m.organisation_id for m in request.memberships if m.role == Role.MANAGER)
    return ids if len(ids) > 1 else None


FEDERATION_KINDS = ("month", "quarter", "year")


def _federation_period(kind: str, key: str) -> Period:
    """ "month"/"2026-11", "quarter"/"2026-Q4", "year"/"2026" → the period; else 404."""
    if kind != "quarter":
        return report_period(*parse_period(kind, key))
    match = re.fullmatch(r"(\d{4})-Q([1-4])", key)
    start = date(int(match[1]), 3 * int(match[2]) - 2, 1) if match else None
    # The same years as months and years (core.bounds): outside, a quarter has no
    # neighbours to compare with; a quarter that has not started has no figures.
    if start is None or not in_bounds(start) or start > timezone.localdate():
        raise Http404
    return Period.quarter(start)


def federation_key(period: Period) -> str:
    if period.kind == "quarter":
        return f"{period.start.year}-Q{(period.start.month - 1) // 3 + 1}"
    return period_key(period.kind, period.start)


def _federation(request: OrgRequest, kind: str, key: str):
    ids = _federation_ids(request)
    if ids is None:
        raise PermissionDenied
    period = _federation_period(kind, key)
    organisations = sorted(
        (m.organisation for m in request.memberships if m.organisation_id in ids),
        key=lambda o: o.name,
    )
    threshold = federation_threshold(organisations)
    tables = federation_for_outsiders(organisations, period)
    return period, organisations, threshold, tables


def _federation_header(period: Period, organisations: list, tables: list) -> list:
    lines = [
        (_("Organisations"), ", ".join(o.name for o in organisations)),
        (_("Period"), period.label),
        (_("Compared with"), report_comparison(period).sentence),
        (_("Status"), _("figures across organisations, live: no report validates them")),
    ]
    summary = masked_summary(tables)
    if summary:
        lines.append((_("Masked figures"), summary))
    return lines


@require_GET
@member_required({Role.MANAGER})
def federation_home(request: OrgRequest) -> HttpResponse:
    """The last ended month, compared across organisations."""
    if _federation_ids(request) is None:
        raise PermissionDenied
    last = Period.month(timezone.localdate()).previous()
    return redirect("federation_report", "month", federation_key(last))


@require_GET
@member_required({Role.MANAGER})
def federation_report(request: OrgRequest, kind: str, key: str) -> HttpResponse:
    period, organisations, threshold, tables = _federation(request, kind, key)
    today = timezone.localdate()
    key = federation_key(period)
    context = {
        "period": period,
        "names": [o.name for o in organisations],
        "comparison": report_comparison(period),
        "sections": [_section(t, f"fed-{n}") for n, t in enumerate(tables, 1)],
        "threshold": threshold,
        "legend": legend(threshold),
        "masked_summary": masked_summary(tables),
        # Month / quarter / year of the same day, and the periods around this one.
        "kinds": [
            (
                label,
                reverse("federation_report", args=[k, federation_key(Period.of(k, period.start))]),
                k == period.kind,
            )
            for k, label in zip(
                FEDERATION_KINDS, (_("Month"), _("Quarter"), _("Year")), strict=True
            )
        ],
        "previous": reverse(
            "federation_report", args=[period.kind, federation_key(period.previous())]
        ),
        "next": reverse(
            "federation_report",
            args=[period.kind, federation_key(Period.of(period.kind, period.end))],
        )
        if period.end <= today
        else None,
        "downloads": [
            (fmt.upper(), reverse("federation_download", args=[period.kind, key, fmt]))
            for fmt in FORMATS
        ],
    }
    return render(request, "reports/federation_report.html", context)


@require_GET
@member_required({Role.MANAGER})
def federation_download(request: OrgRequest, kind: str, key: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    period, organisations, _threshold, tables = _federation(request, kind, key)
    header = _federation_header(period, organisations, tables)
    title = _("Figures across organisations")
    if fmt == "pdf":
        content = exports.to_pdf(tables, organisation=title, period=period.label, header=header)
    elif fmt == "xlsx":
        content = exports.to_xlsx(tables, title=f"{title} — {period.label}", header=header)
    else:
        content = exports.to_csv(tables, header=header)
    name = f"terrain-federation-{federation_key(period)}.{fmt}"
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
