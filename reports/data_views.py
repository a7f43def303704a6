"""Données et confidentialité: what Terrain keeps, for how long, and a download of it."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from organisations import journal
from organisations.models import JournalAction, Role
from organisations.tenancy import OrgRequest, member_required
from reports.data_export import EXPORT_FILES, organisation_data_zip


@require_GET
@member_required({Role.MANAGER})
def data_privacy(request: OrgRequest) -> HttpResponse:
    context = {
        "organisation": request.organisation,
        "months": request.organisation.note_retention_months,
        "files": EXPORT_FILES,
    }
    return render(request, "reports/data_privacy.html", context)


@require_GET
@member_required({Role.MANAGER})
def data_export(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    response = HttpResponse(organisation_data_zip(organisation), content_type="application/zip")
    name = f"terrain-{organisation.slug}-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    journal.record(
        organisation=organisation,
        actor=request.user,
        action=JournalAction.DATA_DOWNLOADED,
        target=name,
    )
    return response
