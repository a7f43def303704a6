"""Dashboard and reports as users reach them: roles, filters, validation, downloads."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from core.time import PARIS
from encounters.models import Right
from organisations.models import Role
from outreach.models import SessionStatus
from reports.models import Report
from reports.selectors import headline_labels
from tests.encounters.factories import (
    EncounterFactory,
    NonTakeUpSignalFactory,
    ReferralFactory,
)
from tests.organisations.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 20, 10, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def _month_of_field_work(
    org, *, encounters: int, territory_name: str = "Prades", day: int = 3, month: int = 10
):
    territory = TerritoryFactory(organisation=org, name=territory_name)
    session = OutreachSessionFactory(
        territory=territory,
        starts_at=datetime(2026, month, day, 9, tzinfo=PARIS),
        ends_at=datetime(2026, month, day, 12, tzinfo=PARIS),
        status=SessionStatus.DONE,
        brief_contacts=30,
        refusals=5,
    )
    rsa = Right.objects.get(code="rsa")
    for i in range(encounters):
        encounter = EncounterFactory(
            session=session, occurred_at=datetime(2026, month, day, 9, 10 + i, tzinfo=PARIS)
        )
        NonTakeUpSignalFactory(encounter=encounter, right=rsa, reason="non_demand")
        ReferralFactory(encounter=encounter, partner_kind="caf", outcome="proposed")
    return territory


def test_dashboard_shows_exact_figures_and_filters_by_territory(manager_client, org):
    _month_of_field_work(org, encounters=3, territory_name="Prades")
    ria = _month_of_field_work(org, encounters=2, territory_name="Ria", day=10)
    url = reverse("dashboard")
    page = manager_client.get(url, {"period": "month", "on": "2026-10-15"})
    cards = {c["key"]: c["value"] for c in page.context["cards"]}
    assert cards["conversations"] == 5  # the team's own screen: exact, no "< 11"
    assert cards["brief_contacts"] == 60
    assert "octobre 2026" in page.content.decode()

    fragment = manager_client.get(
        url,
        {"period": "month", "on": "2026-10-15", "territory": ria.pk},
        headers={"HX-Request": "true"},
    )
    assert b"<html" not in fragment.content
    assert {c["key"]: c["value"] for c in fragment.context["cards"]}["conversations"] == 2


def test_dashboard_compares_with_the_previous_period(manager_client, org):
    _month_of_field_work(org, encounters=4)
    page = manager_client.get(reverse("dashboard"), {"period": "month", "on": "2026-11-02"})
    card = next(c for c in page.context["cards"] if c["key"] == "conversations")
    assert (card["value"], card["previous"], card["delta"]) == (0, 4, -4)


def test_volunteers_see_their_team_this_month(volunteer_client, org):
    response = volunteer_client.get(reverse("dashboard"), {"period": "year"})
    assert response.status_code == 200
    assert response.templates[0].name == "reports/team_month.html"
    assert "Notre équipe ce mois-ci" in response.content.decode()


def test_dashboard_query_count_does_not_grow_with_data(
    manager_client, org, django_assert_max_num_queries
):
    _month_of_field_work(org, encounters=2)
    params = {"period": "month", "on": "2026-10-15"}
    with django_assert_max_num_queries(40) as small:
        manager_client.get(reverse("dashboard"), params)
    _month_of_field_work(org, encounters=25, territory_name="Ria", day=12)
    with django_assert_max_num_queries(40) as large:
        manager_client.get(reverse("dashboard"), params)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_report_masks_small_counts_and_freezes_on_validation(manager_client, org):
    _month_of_field_work(org, encounters=3)
    url = reverse("report_detail", args=["month", "2026-10"])
    page = manager_client.get(url).content.decode()
    assert "&lt; 11" in page  # 3 RSA signals in a village: masked for outsiders

    assert (
        manager_client.post(reverse("report_validate", args=["month", "2026-10"])).status_code
        == 302
    )
    report = Report.objects.get(organisation=org, kind="month", start=date(2026, 10, 1))
    assert report.is_validated and report.snapshot

    # A correction after validation: the report keeps what was sent and says so.
    _month_of_field_work(org, encounters=1, territory_name="Ria", day=20)
    response = manager_client.get(url)
    assert "Modifié depuis la validation" in response.content.decode()
    key_figures = response.context["sections"][0]["table"]
    conversations = next(r for r in key_figures.rows if r.label == "Échanges")
    assert conversations.cells[0].display == "< 11"
    assert conversations.cells[0].value == 3  # the frozen figure, not today's 4


def test_a_validated_report_keeps_the_threshold_it_was_sent_with(manager_client, org):
    _month_of_field_work(org, encounters=3)
    manager_client.post(reverse("report_validate", args=["month", "2026-10"]))
    org.small_count_threshold = 3  # lowered afterwards: 3 no longer hidden
    org.save()

    def conversations(key):
        response = manager_client.get(reverse("report_detail", args=["month", key]))
        key_figures = response.context["sections"][0]["table"]
        return next(r for r in key_figures.rows if r.label == "Échanges").cells[0].display

    assert conversations("2026-10") == "< 11"  # as it was sent
    _month_of_field_work(org, encounters=3, day=20, month=11)
    assert conversations("2026-11") == "3"  # not validated: today's setting
    xlsx = manager_client.get(reverse("report_download", args=["month", "2026-10", "xlsx"]))
    rows = list(
        load_workbook(io.BytesIO(xlsx.content))["Chiffres clés"].iter_rows(values_only=True)
    )
    assert next(r for r in rows if r and r[0] == "Échanges")[1] == "< 11"


def test_only_managers_validate(coordinator_client):
    url = reverse("report_validate", args=["month", "2026-10"])
    assert coordinator_client.post(url).status_code == 403
    assert not Report.objects.filter(validated_at__isnull=False).exists()


def test_narrative_is_screened_and_kept(coordinator_client, org):
    _month_of_field_work(org, encounters=1)  # reports exist from the first activity on
    url = reverse("report_narrative", args=["month", "2026-10"])
    text = "Belle rencontre avec M. Martin au marché."
    response = coordinator_client.post(
        url, {"highlights": text, "difficulties": "", "partnerships": ""}
    )
    assert response.status_code == 422
    assert text in response.content.decode()
    assert Report.objects.get().highlights == ""
    ok = coordinator_client.post(
        url, {"highlights": "Deux permanences pleines.", "difficulties": "", "partnerships": ""}
    )
    assert ok.status_code == 302
    assert Report.objects.get().highlights == "Deux permanences pleines."


def test_a_bad_period_is_404(manager_client):
    assert manager_client.get("/reports/month/2026-13/").status_code == 404
    assert manager_client.get("/reports/week/2026/").status_code == 404
    assert manager_client.get("/reports/month/2026-10/download.doc").status_code == 404


def test_downloads_are_real_files_with_the_right_figures(manager_client, org):
    _month_of_field_work(org, encounters=12)
    Report.objects.create(
        organisation=org, kind="month", start=date(2026, 10, 1), highlights="Marché très animé."
    )
    base = ("month", "2026-10")
    pdf = manager_client.get(reverse("report_download", args=[*base, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "octobre 2026" in text and "Échanges" in text
    assert "Temps forts" in text and "Marché très animé." in text

    xlsx = manager_client.get(reverse("report_download", args=[*base, "xlsx"]))
    workbook = load_workbook(io.BytesIO(xlsx.content))
    rows = list(workbook["Chiffres clés"].iter_rows(values_only=True))
    conversations = next(r for r in rows if r and r[0] == "Échanges")
    assert conversations[1] == 12 and isinstance(conversations[1], int)

    csv_response = manager_client.get(reverse("report_download", args=[*base, "csv"]))
    assert csv_response.content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig")), delimiter=";"))
    assert any(line[:2] == ["Échanges", "12"] for line in lines)


def test_monthly_report_command(tmp_path, org):
    _month_of_field_work(org, encounters=12)
    output = tmp_path / "octobre.xlsx"
    call_command(
        "monthly_report",
        organisation=org.slug,
        month="2026-10",
        format="xlsx",
        output=str(output),
    )
    rows = list(load_workbook(output)["Chiffres clés"].iter_rows(values_only=True))
    assert any(r and r[0] == "Échanges" and r[1] == 12 for r in rows)


def test_federation_sees_figures_across_organisations_masked(org, other_org):
    user = UserFactory()
    MembershipFactory(user=user, organisation=org, role=Role.MANAGER)
    MembershipFactory(user=user, organisation=other_org, role=Role.MANAGER)
    _month_of_field_work(org, encounters=6)
    _month_of_field_work(other_org, encounters=7, territory_name="Mosson")
    client = Client()
    client.force_login(user)
    response = client.get(reverse("federation_report", args=["month", "2026-10"]))
    assert response.status_code == 200
    tables = {section["table"].name: section["table"] for section in response.context["sections"]}
    key_figures = tables["key"]
    conversations = next(r for r in key_figures.rows if r.label == "Échanges")
    # Each organisation's own report masks its 6 and its 7: the whole, 13, would tell
    # more than they do (their sum), so it is masked too, everywhere it appears.
    assert conversations.cells[0].value == 13 and conversations.cells[0].display == "s"
    side = tables["organisations"]
    assert [r.label for r in side.rows] == ["Autre association", "EVS de Prades"]
    assert [r.cells[3].display for r in side.rows] == ["< 11", "< 11"]
    assert side.column_totals[3].display == "s"
    # Two small territories are gathered into one line rather than masked one by one.
    by_territory = tables["territories"]
    assert [(r.label, r.cells[1].value, r.cells[1].display) for r in by_territory.rows] == [
        ("Tous les territoires", 13, "s")
    ]
    # Sessions count no one: shown.
    sessions = next(r for r in key_figures.rows if r.key == "sessions")
    assert not sessions.cells[0].hidden


def test_federation_periods_and_downloads(org, other_org):
    user = UserFactory()
    MembershipFactory(user=user, organisation=org, role=Role.MANAGER)
    MembershipFactory(user=user, organisation=other_org, role=Role.MANAGER)
    _month_of_field_work(org, encounters=12)
    client = Client()
    client.force_login(user)
    quarter = client.get(reverse("federation_report", args=["quarter", "2026-Q4"]))
    assert quarter.status_code == 200 and "T4 2026" in quarter.content.decode()
    assert reverse("federation_report", args=["quarter", "2026-Q3"]) in quarter.content.decode()
    for bad in (("quarter", "2026-Q5"), ("quarter", "2026"), ("week", "2026-10")):
        assert client.get(reverse("federation_report", args=bad)).status_code == 404
    home = client.get(reverse("federation_home"))
    assert home.status_code == 302 and "/federation/month/" in home["Location"]
    xlsx = client.get(reverse("federation_download", args=["year", "2026", "xlsx"]))
    workbook = load_workbook(io.BytesIO(xlsx.content))
    about = {r[0]: r[1] for r in workbook["Bilan"].iter_rows(values_only=True) if r and r[0]}
    assert about["Période"] == "2026"
    assert (
        "EVS de Prades" in about["Organisations"] and "Autre association" in about["Organisations"]
    )
    csv_lines = client.get(reverse("federation_download", args=["month", "2026-10", "csv"]))
    assert csv_lines.content.decode("utf-8-sig").startswith("Organisations;")
    pdf = client.get(reverse("federation_download", args=["month", "2026-10", "pdf"]))
    assert pdf.content.startswith(b"%PDF")
    # One organisation's manager only: no federation, no menu entry.
    single = Client()
    single.force_login(MembershipFactory(organisation=org, role=Role.MANAGER).user)
    assert (
        single.get(reverse("federation_download", args=["month", "2026-10", "csv"])).status_code
        == 403
    )
    assert reverse("federation_home") not in single.get(reverse("dashboard")).content.decode()
    assert reverse("federation_home") in client.get(reverse("dashboard")).content.decode()


def test_federation_marks_each_organisation_as_its_own_report_does(org, other_org):
    """The tester's Mosson case: masked alone, the federation hid a figure one organisation
    publishes in its own report (as the complement of another's small count) and showed
    the total; the small count was then the total minus the published figures."""
    third = OrganisationFactory(name="Bus social", slug="bus-social")
    user = UserFactory()
    for organisation in (org, other_org, third):
        MembershipFactory(user=user, organisation=organisation, role=Role.MANAGER)
    _month_of_field_work(org, encounters=12)
    _month_of_field_work(other_org, encounters=5, territory_name="Mosson")
    _month_of_field_work(third, encounters=30, territory_name="Amiens")
    client = Client()
    client.force_login(user)
    federation = client.get(reverse("federation_report", args=["month", "2026-10"]))
    tables = {s["table"].name: s["table"] for s in federation.context["sections"]}
    side = tables["organisations"]
    names = [name for name, _label in headline_labels()]
    for n, organisation in enumerate(sorted((org, other_org, third), key=lambda o: o.name)):
        assert side.rows[n].label == organisation.name
        own = Client()
        own.force_login(user)
        own.post(reverse("organisation_switch"), {"organisation": organisation.pk})
        page = own.get(reverse("report_detail", args=["month", "2026-10"]))
        key = next(s["table"] for s in page.context["sections"] if s["table"].name == "key")
        marks = {row.key: row.cells[0] for row in key.rows}
        for j, name in enumerate(names):
            if name in marks:
                assert side.rows[n].cells[j].display == marks[name].display, (
                    organisation.name,
                    name,
                )
    # Other association's 5 referrals are masked; the others are published in their own
    # reports, so the whole cannot be shown beside them.
    referrals = names.index("referrals")
    shown = [r.cells[referrals] for r in side.rows]
    assert [c.hidden for c in shown] == [True, False, False]
    assert side.column_totals[referrals].hidden
    assert next(r for r in tables["key"].rows if r.key == "referrals").cells[0].hidden


def test_federation_needs_several_organisations(manager_client):
    response = manager_client.get(reverse("federation_report", args=["month", "2026-10"]))
    assert response.status_code == 403


def test_the_key_figures_show_as_a_table_on_the_report_page(manager_client, org):
    _month_of_field_work(org, encounters=12)
    page = manager_client.get(reverse("report_detail", args=["month", "2026-10"])).content.decode()
    key_figures = page.split("Chiffres clés", 1)[1].split("Signaux de non-recours", 1)[0]
    assert "<table" in key_figures and "Échanges" in key_figures and ">12<" in key_figures


def test_reading_or_downloading_a_report_creates_nothing(manager_client, org):
    # Reports are served from the organisation's first activity: a session in October.
    start = datetime(2026, 10, 6, 9, tzinfo=PARIS)
    OutreachSessionFactory(
        territory=TerritoryFactory(organisation=org),
        starts_at=start,
        ends_at=start.replace(hour=12),
    )
    assert (
        manager_client.get(reverse("report_detail", args=["month", "2026-10"])).status_code == 200
    )
    assert (
        manager_client.get(reverse("report_download", args=["month", "2026-10", "csv"])).status_code
        == 200
    )
    assert not Report.objects.exists()


@pytest.mark.parametrize("key", ["0001-Q1", "1999-Q4", "2101-Q1", "9999-Q4", "2026-Q0", "2026-Q5"])
def test_federation_quarters_outside_the_years_served_answer_404(org, other_org, key):
    user = UserFactory()
    MembershipFactory(user=user, organisation=org, role=Role.MANAGER)
    MembershipFactory(user=user, organisation=other_org, role=Role.MANAGER)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    assert client.get(reverse("federation_report", args=["quarter", key])).status_code == 404
    download = reverse("federation_download", args=["quarter", key, "csv"])
    assert client.get(download).status_code == 404


def test_the_report_list_runs_from_the_first_activity_to_this_month(manager_client, org):
    # First session in October 2025: thirteen months before November 2026. A list of the
    # last twelve months left October 2025 out.
    _month_of_field_work(org, encounters=1)
    OutreachSessionFactory(
        territory=TerritoryFactory(organisation=org, name="Gare"),
        starts_at=datetime(2025, 10, 7, 9, tzinfo=PARIS),
        ends_at=datetime(2025, 10, 7, 11, tzinfo=PARIS),
        status=SessionStatus.DONE,
    )
    page = manager_client.get(reverse("report_list")).content.decode()
    months = [
        f"{y}-{m:02d}"
        for y, m in [(2025, 10), (2025, 11), (2025, 12), *((2026, n) for n in range(1, 12))]
    ]
    for key in months:
        assert reverse("report_detail", args=["month", key]) in page, key
    for key in ("2025-09", "2026-12"):
        assert reverse("report_detail", args=["month", key]) not in page, key
    for key in ("2025", "2026"):
        assert reverse("report_detail", args=["year", key]) in page, key
    assert reverse("report_detail", args=["year", "2024"]) not in page


@pytest.mark.parametrize(
    "url",
    [
        ("report_detail", ["month", "2026-12"]),
        ("report_detail", ["month", "2099-12"]),
        ("report_detail", ["year", "2027"]),
        ("report_download", ["month", "2026-12", "csv"]),
        ("report_download", ["year", "2099", "pdf"]),
    ],
)
def test_a_period_that_has_not_started_is_404(manager_client, url):
    name, args = url
    assert manager_client.get(reverse(name, args=args)).status_code == 404
    # This month and this year are served (they are running).
    assert (
        manager_client.get(reverse("report_detail", args=["month", "2026-11"])).status_code == 200
    )
    assert manager_client.get(reverse("report_detail", args=["year", "2026"])).status_code == 200


@pytest.mark.parametrize(
    "args",
    [["month", "2026-12"], ["quarter", "2027-Q1"], ["year", "2027"], ["month", "2099-12"]],
)
def test_federation_periods_that_have_not_started_are_404(org, other_org, args):
    user = UserFactory()
    MembershipFactory(user=user, organisation=org, role=Role.MANAGER)
    MembershipFactory(user=user, organisation=other_org, role=Role.MANAGER)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("federation_report", args=args)).status_code == 404
    for fmt in ("pdf", "xlsx", "csv"):
        assert client.get(reverse("federation_download", args=[*args, fmt])).status_code == 404
    for running in (["month", "2026-11"], ["quarter", "2026-Q4"], ["year", "2026"]):
        assert client.get(reverse("federation_report", args=running)).status_code == 200
