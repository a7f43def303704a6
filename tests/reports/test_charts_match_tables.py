"""Every chart of every page that draws charts shows only values its own table shows,
on the demo data of every organisation (rollups on, as in production)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.time import Period
from organisations.models import Organisation

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"
FIGURE = re.compile(r'<figure class="chart chart-\w+".*?</figure>', re.S)


def shown(cell_text: str) -> str:
    return cell_text.replace("\u202f", "").replace("\xa0", "").replace(" ", "")


def check_page(html: str, where: str) -> int:
    """Asserts each chart against the data table inside its figure; returns how many."""
    figures = FIGURE.findall(html)
    for source in figures:
        figure = ET.fromstring(source)
        table = figure.find(".//table")
        assert table is not None, f"{where}: a chart without its data table"
        visible = {shown("".join(td.itertext())) for td in table.iter("td")}
        values = [el.get("data-value") for el in figure.iter() if el.get("data-value")]
        labels = [
            "".join(t.itertext())
            for t in figure.iter(f"{SVG}text")
            if (t.get("class") or "") == "value"
        ]
        for value in values:
            assert value in visible, f"{where}: the chart draws {value}, its table shows {visible}"
        for label in labels:
            if label != "–":
                assert shown(label) in visible, f"{where}: the chart writes {label}"
        # One measure per chart: its title names the measure of the values it draws.
    return len(figures)


@pytest.fixture
def demo(settings):
    settings.REPORTS_USE_ROLLUPS = True
    call_command("seed_demo", verbosity=0)


def login(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_every_chart_shows_only_what_its_table_shows(demo):
    today = timezone.localdate()
    last_month = f"{Period.month(today).previous().start:%Y-%m}"
    pages = 0
    for org in Organisation.objects.order_by("slug"):
        prefix = org.slug.split("-")[1]
        client = login(f"direction@{prefix}.demo")
        for url in (
            reverse("dashboard"),
            reverse("dashboard") + "?period=year",
            reverse("report_detail", args=["month", last_month]),
            reverse("report_detail", args=["year", str(today.year)]),
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            pages += bool(check_page(response.content.decode(), f"{org.slug} {url}"))
    federation = login("federation@terrain.demo")
    url = reverse("federation_report", args=["month", last_month])
    response = federation.get(url)
    assert response.status_code == 200
    pages += bool(check_page(response.content.decode(), url))
    assert pages == 13  # every page drew charts


def test_the_audit_catches_a_chart_that_adds_up_a_row():
    html = (
        '<figure class="chart chart-bar"><svg xmlns="http://www.w3.org/2000/svg">'
        '<rect class="bar" data-value="51"/></svg>'
        "<details><table><tr><td>3</td><td>24</td><td>s</td></tr></table></details></figure>"
    )
    with pytest.raises(AssertionError):
        check_page(html, "test")
