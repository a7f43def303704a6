"""The last three months of a place and of a territory, on their pages (issue 14)."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from core.time import PARIS, Period
from reports import selectors
from reports.rollups import rollup_rebuild
from reports.selectors import Scope
from territories.models import Place
from tests.territories.factories import PlaceFactory, TerritoryFactory

pytestmark = pytest.mark.django_db
# February, March and April 2026 (April so far): the ``field`` fixture's March and April.
NOW = datetime(2026, 4, 20, 10, tzinfo=PARIS)
THREE_MONTHS = Period.custom(date(2026, 2, 1), date(2026, 4, 30))


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(params=[False, True], ids=["live", "rollups"])
def rollups(request, settings, field):
    settings.REPORTS_USE_ROLLUPS = request.param
    if request.param:
        rollup_rebuild()
    return request.param


def _rows(table) -> dict[str, list]:
    return {row.key: row.values for row in table.rows}


def test_a_territory_counts_its_sub_territories(field, rollups):
    prades, gare = field["prades"], field["gare"]
    org = (field["org"].pk,)
    table = selectors.recent_months(Scope(org, THREE_MONTHS, (prades.pk, gare.pk)))
    # March: the market's two encounters in Prades and the late one in Gare.
    assert _rows(table) == {
        "2026-02-01": [0, 0, 0],
        "2026-03-01": [3, 3, 2],
        "2026-04-01": [1, 1, 1],
    }
    assert _rows(selectors.recent_months(Scope(org, THREE_MONTHS, (gare.pk,)))) == {
        "2026-02-01": [0, 0, 0],
        "2026-03-01": [1, 1, 0],
        "2026-04-01": [0, 0, 0],
    }


def test_a_place_counts_the_sessions_held_there(field, rollups):
    market = Place.objects.get(name="Marché du mardi")
    table = selectors.recent_months(Scope((field["org"].pk,), THREE_MONTHS, place_id=market.pk))
    assert _rows(table) == {
        "2026-02-01": [0, 0, 0],
        "2026-03-01": [2, 2, 2],
        "2026-04-01": [1, 1, 1],
    }


def _cells(page: str) -> list[list[str]]:
    """The table's rows, headings first: measures down, months across."""
    table = page.split("<table")[1].split("</table>")[0]
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>.*?</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", table)
    ]


def test_the_territory_fragment_in_french_and_english(field, member_client, rollups):
    client = member_client(organisation=field["org"])  # a volunteer: the whole figures
    url = reverse("territory_figures", args=[field["prades"].pk])
    page = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in page
    assert _cells(page) == [
        ["", "fév. 2026", "mars 2026", "avr. 2026"],
        ["Rencontres", "0", "3", "1"],
        ["Signaux", "0", "3", "1"],
        ["Orientations", "0", "2", "1"],
    ]
    client.cookies["django_language"] = "en"
    page = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert _cells(page)[0] == ["", "Feb. 2026", "March 2026", "April 2026"]
    assert "Encounters" in page and "Rencontres" not in page


def test_small_counts_are_shown_to_the_team(field, member_client):
    # Like the dashboard: these pages are the team's own, nothing is masked.
    client = member_client(organisation=field["org"])
    market = Place.objects.get(name="Marché du mardi")
    page = client.get(reverse("place_figures", args=[market.pk])).content.decode()
    assert _cells(page)[1:] == [
        ["Rencontres", "0", "2", "1"],
        ["Signaux", "0", "2", "1"],
        ["Orientations", "0", "2", "1"],
    ]


def test_without_javascript_the_link_opens_a_whole_page(field, member_client):
    client = member_client(organisation=field["org"])
    market = Place.objects.get(name="Marché du mardi")
    url = reverse("place_figures", args=[market.pk])
    detail = client.get(reverse("place_detail", args=[market.pk])).content.decode()
    assert f'hx-get="{url}"' in detail and 'hx-trigger="load"' in detail
    assert f'href="{url}"' in detail
    # Once in the page's content, not in its title.
    assert "<title>Marché du mardi · Terrain</title>" in detail
    assert detail.count(f'hx-get="{url}"') == 1
    page = client.get(url).content.decode()
    assert "<html" in page and "<h1>Les trois derniers mois</h1>" in page
    assert reverse("place_detail", args=[market.pk]) in page
    territory = client.get(reverse("territory_detail", args=[field["prades"].pk])).content
    assert reverse("territory_figures", args=[field["prades"].pk]).encode() in territory


def test_another_organisations_place_or_territory_is_not_found(field, other_org, member_client):
    client = member_client(organisation=field["org"])
    theirs = TerritoryFactory(organisation=other_org)
    place = PlaceFactory(territory=theirs)
    assert client.get(reverse("territory_figures", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("place_figures", args=[place.pk])).status_code == 404
    assert client.get(reverse("place_figures", args=[999999])).status_code == 404


def test_outsiders_are_sent_to_log_in(field, client):
    response = client.get(reverse("territory_figures", args=[field["prades"].pk]))
    assert response.status_code == 302
