"""Données et confidentialité: the page and the ZIP of CSV, managers only, one organisation."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from organisations.models import Role
from reports.data_export import EXPORT_FILES
from tests.encounters.factories import EncounterFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import ObservationFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_orgs(org, other_org):
    for organisation, word in ((org, "Prades"), (other_org, "Ailleurs")):
        territory = TerritoryFactory(organisation=organisation, name=f"Territoire {word}")
        session = OutreachSessionFactory(territory=territory, comments=f"Débrief {word}")
        EncounterFactory(session=session, note=f"Note de {word}")
        ObservationFactory(territory=territory, text=f"Observation {word}")


def _read(response) -> dict[str, list[list[str]]]:
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {
        name: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
        for name in archive.namelist()
    }


def test_the_page_says_what_is_kept_and_for_how_long(member_client, org):
    org.note_retention_months = 18
    org.save()
    response = member_client(Role.MANAGER).get(reverse("data_privacy"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Données et confidentialité" in html
    assert "18 mois" in html
    assert reverse("data_export") in html


def test_the_zip_holds_every_table_with_only_this_organisations_rows(member_client, two_orgs):
    response = member_client(Role.MANAGER).get(reverse("data_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment;" in response["Content-Disposition"]
    tables = _read(response)
    assert set(tables) == set(EXPORT_FILES)
    everything = repr(tables)
    for mine in ("Note de Prades", "Débrief Prades", "Observation Prades", "Territoire Prades"):
        assert mine in everything
    for theirs in ("Ailleurs",):
        assert theirs not in everything
    assert len(tables["encounters.csv"]) == 2  # header and one row


def test_formula_like_text_is_neutralised(member_client, org):
    territory = TerritoryFactory(organisation=org)
    ObservationFactory(territory=territory, text='=HYPERLINK("x")')
    tables = _read(member_client(Role.MANAGER).get(reverse("data_export")))
    assert tables["observations.csv"][1][-1] == '\'=HYPERLINK("x")'


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.COORDINATOR])
def test_only_managers(member_client, role):
    client = member_client(role)
    assert client.get(reverse("data_privacy")).status_code == 403
    assert client.get(reverse("data_export")).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("data_export"))
    assert response.status_code == 302
