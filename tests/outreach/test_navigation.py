"""The bottom bar marks the section a page belongs to."""

from __future__ import annotations

import re

import pytest

from organisations.models import Role
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


def _current(response) -> list[str]:
    nav = response.content.decode().split('<nav class="tabbar"')[1].split("</nav>")[0]
    return re.findall(r'aria-current="page"><span aria-hidden="true">.</span>([^<]+)</a>', nav)


def test_field_mode_and_the_conversation_form_belong_to_today(member_client, org):
    client = member_client(Role.COORDINATOR)
    session = OutreachSessionFactory(territory=TerritoryFactory(organisation=org))
    for url in (f"/sessions/{session.pk}/field/", f"/sessions/{session.pk}/encounters/new/"):
        assert _current(client.get(url)) == ["Aujourd’hui"], url


@pytest.mark.parametrize(
    ("url", "section"),
    [
        ("/", "Accueil"),
        ("/today/", "Aujourd’hui"),
        ("/agenda/", "Agenda"),
        ("/calendar/", "Agenda"),
        ("/territories/", "Territoires"),
        ("/places/", "Territoires"),
        ("/partners/", "Partenaires"),
        ("/members/", None),
    ],
)
def test_each_page_marks_one_section(member_client, url, section):
    response = member_client(Role.MANAGER).get(url)
    assert response.status_code == 200
    assert _current(response) == ([section] if section else [])


def test_a_session_page_belongs_to_the_agenda(member_client, org):
    session = OutreachSessionFactory(territory=TerritoryFactory(organisation=org))
    response = member_client(Role.COORDINATOR).get(f"/sessions/{session.pk}/")
    assert _current(response) == ["Agenda"]
