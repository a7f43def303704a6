"""A manager changes the period and the territory, sees the figures change, gets the PDF."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.time import PARIS
from organisations.models import Role
from outreach.models import SessionStatus
from tests.encounters.factories import EncounterFactory
from tests.organisations.factories import MembershipFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _work(territory, when: datetime, encounters: int) -> None:
    session = OutreachSessionFactory(
        territory=territory,
        starts_at=when,
        ends_at=when + timedelta(hours=3),
        status=SessionStatus.DONE,
        brief_contacts=10,
    )
    for minute in range(encounters):
        EncounterFactory(session=session, occurred_at=when + timedelta(minutes=minute))


def test_manager_filters_the_dashboard_and_downloads_the_pdf(login, org):
    today = timezone.localdate()
    this_month = datetime(today.year, today.month, 1, 9, tzinfo=PARIS)
    last_year = this_month.replace(year=today.year - 1)
    prades = TerritoryFactory(organisation=org, name="Prades")
    ria = TerritoryFactory(organisation=org, name="Ria-Sirach")
    _work(prades, this_month, 4)
    _work(ria, this_month + timedelta(hours=5), 3)
    _work(prades, last_year, 9)
    manager = MembershipFactory(organisation=org, role=Role.MANAGER).user

    page = login(manager.email)
    page.goto("/dashboard/")
    conversations = page.locator(".figure-card", has_text="Échanges").locator(".figure-value")
    expect(conversations).to_have_text("7")

    page.get_by_label("Période", exact=True).select_option("year")
    page.get_by_label("Période contenant le").fill(last_year.strftime("%Y-%m-%d"))
    page.get_by_label("Période contenant le").dispatch_event("change")
    expect(conversations).to_have_text("9")
    assert f"on={last_year:%Y-%m-%d}" in page.url and "period=year" in page.url

    page.get_by_label("Période", exact=True).select_option("month")
    page.get_by_label("Période contenant le").fill(today.strftime("%Y-%m-%d"))
    page.get_by_label("Période contenant le").dispatch_event("change")
    expect(conversations).to_have_text("7")
    page.get_by_text("Plus de filtres").click()
    page.get_by_label("Territoire", exact=True).select_option(label="Ria-Sirach")
    expect(conversations).to_have_text("3")

    page.goto(f"/reports/month/{today:%Y-%m}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF").click()
    expect(page.locator(".download-status")).to_contain_text("prêt")
    path = download_info.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download_info.value.suggested_filename.endswith(f"{today:%Y-%m}.pdf")


def test_chart_text_stays_readable_on_a_phone_zoomed_to_200_percent(login, org):
    today = timezone.localdate()
    this_month = datetime(today.year, today.month, 1, 9, tzinfo=PARIS)
    _work(TerritoryFactory(organisation=org, name="Prades"), this_month, 4)
    _work(TerritoryFactory(organisation=org, name="Ria-Sirach"), this_month, 3)
    manager = MembershipFactory(organisation=org, role=Role.MANAGER).user
    page = login(manager.email)
    # 390 px at 200 % zoom: 195 CSS pixels.
    page.set_viewport_size({"width": 195, "height": 844})
    page.goto("/dashboard/")
    sizes = page.evaluate(
        """() => Array.from(document.querySelectorAll('figure.chart svg text')).map(t => {
            const svg = t.ownerSVGElement;
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return parseFloat(getComputedStyle(t).fontSize) * scale;
        })"""
    )
    assert sizes and min(sizes) >= 11.5, min(sizes)
    # The drawing scrolls inside its box; the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 195
    headings = page.locator(".chart-block h3").all_inner_texts()
    assert "Rencontres par territoire" in headings
