"""Reports sent outside say what they are; only ended periods are validated; report rows
exist only from the first activity to the current month."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from outreach.models import SessionStatus
from reports.models import Report
from tests.encounters.factories import EncounterFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def october(org):
    session = OutreachSessionFactory(
        territory=TerritoryFactory(organisation=org, name="Prades"),
        starts_at=datetime(2026, 10, 6, 9, tzinfo=PARIS),
        ends_at=datetime(2026, 10, 6, 12, tzinfo=PARIS),
        status=SessionStatus.DONE,
    )
    for _n in range(12):
        EncounterFactory(session=session)
    return session


def test_validated_pdf_xlsx_and_csv_name_who_validated_and_when(manager_client, org, october):
    manager = manager_client  # a manager of ``org``
    Report.objects.create(
        organisation=org, kind="month", start=date(2026, 10, 1), highlights="Marché animé."
    )
    assert manager.post(reverse("report_validate", args=["month", "2026-10"])).status_code == 302
    report = Report.objects.get()
    who = report.validated_by.get_full_name() or report.validated_by.username
    base = ("month", "2026-10")

    pdf = manager.get(reverse("report_download", args=[*base, "pdf"]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "EVS de Prades" in text and "octobre 2026" in text
    assert "validé" in text and "Validé par" in text and who in text
    assert str(timezone.localtime(report.validated_at).year) in text

    xlsx = load_workbook(
        io.BytesIO(manager.get(reverse("report_download", args=[*base, "xlsx"])).content)
    )
    first = xlsx.worksheets[0]
    assert first.title == "Bilan"
    cells = {r[0]: r[1] for r in first.iter_rows(values_only=True) if r and r[0]}
    assert cells["Organisation"] == "EVS de Prades" and cells["Période"] == "octobre 2026"
    assert cells["Statut"].startswith("validé") and cells["Validé par"] == who
    assert cells["Temps forts"] == "Marché animé."  # the narrative has its sheet

    content = manager.get(reverse("report_download", args=[*base, "csv"])).content
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == ["Organisation", "EVS de Prades"]
    assert ["Période", "octobre 2026"] in lines[:6]
    assert any(line[:2] == ["Validé par", who] for line in lines[:6])


def test_a_draft_says_it_is_a_draft(manager_client, org, october):
    content = manager_client.get(
        reverse("report_download", args=["month", "2026-10", "csv"])
    ).content
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    status = next(line[1] for line in lines if line and line[0] == "Statut")
    assert status.startswith("brouillon")


def test_only_an_ended_month_can_be_validated(manager_client, org, october):
    this_month = timezone.localdate().strftime("%Y-%m")
    response = manager_client.post(reverse("report_validate", args=["month", this_month]))
    assert response.status_code == 422
    assert "Seule une période terminée peut être validée" in response.content.decode()
    assert not Report.objects.filter(validated_at__isnull=False).exists()
    # No validate button either on the page of a running month.
    page = manager_client.get(reverse("report_detail", args=["month", this_month]))
    assert reverse("report_validate", args=["month", this_month]) not in page.content.decode()
    # A month that has not started is not a report at all (404), let alone validated.
    future = manager_client.post(reverse("report_validate", args=["month", "2099-12"]))
    assert future.status_code == 404 and not Report.objects.exists()


def test_report_rows_exist_only_from_the_first_activity_to_this_month(
    coordinator_client, org, october
):
    text = {"highlights": "Texte.", "difficulties": "", "partnerships": ""}
    # Years outside 2000-2100 are not served at all (404, like every URL of the app).
    outside = coordinator_client.post(reverse("report_narrative", args=["month", "1900-01"]), text)
    assert outside.status_code == 404
    response = coordinator_client.post(reverse("report_narrative", args=["month", "2026-09"]), text)
    assert response.status_code == 422
    message = "Les bilans existent à partir de la première activité de l’organisation"
    assert f"{message} (octobre 2026)" in response.content.decode()
    # A month that has not started: 404, like its page.
    future = coordinator_client.post(reverse("report_narrative", args=["month", "2099-12"]), text)
    assert future.status_code == 404
    assert not Report.objects.exists()
    ok = coordinator_client.post(reverse("report_narrative", args=["month", "2026-10"]), text)
    assert ok.status_code == 302 and Report.objects.count() == 1
