"""A manager sets the organisation's name, small-count threshold and return cards."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db
URL = reverse("organisation_settings")


def test_a_manager_turns_on_return_cards_and_the_form_offers_them(
    org, manager_client, volunteer_client
):
    session = OutreachSessionFactory(territory=TerritoryFactory(organisation=org))
    form_url = reverse("encounter_create", args=[session.pk])
    assert 'name="return_card_code"' not in volunteer_client.get(form_url).content.decode()

    response = manager_client.post(
        URL,
        {
            "name": "EVS de Prades",
            "small_count_threshold": "5",
            "return_cards_enabled": "on",
            "note_retention_months": "24",
        },
        follow=True,
    )
    assert "Les paramètres de l’organisation ont été enregistrés." in response.content.decode()
    org.refresh_from_db()
    assert (org.small_count_threshold, org.return_cards_enabled) == (5, True)
    assert 'name="return_card_code"' in volunteer_client.get(form_url).content.decode()


@pytest.mark.parametrize(
    ("threshold", "message"),
    [
        ("1", "Assurez-vous que cette valeur est supérieure ou égale à 2."),
        ("101", "Assurez-vous que cette valeur est inférieure ou égale à 100."),
        ("onze", "Saisissez un nombre entier."),
    ],
)
def test_a_wrong_threshold_keeps_the_input_and_saves_nothing(
    org, manager_client, threshold, message
):
    response = manager_client.post(URL, {"name": "Nouveau nom", "small_count_threshold": threshold})
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert 'value="Nouveau nom"' in html and f'value="{threshold}"' in html
    org.refresh_from_db()
    assert (org.name, org.small_count_threshold) == ("EVS de Prades", 11)


def test_only_managers_change_the_settings_and_see_the_menu_entry(
    org, manager_client, coordinator_client
):
    assert URL in manager_client.get(reverse("home")).content.decode()
    assert URL not in coordinator_client.get(reverse("home")).content.decode()
    response = coordinator_client.post(
        URL, {"name": "Pris", "small_count_threshold": "2", "return_cards_enabled": "on"}
    )
    assert response.status_code == 403
    org.refresh_from_db()
    assert (org.name, org.small_count_threshold, org.return_cards_enabled) == (
        "EVS de Prades",
        11,
        False,
    )
