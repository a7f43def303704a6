from __future__ import annotations

import pytest
from django.urls import reverse

from territories.models import Observation, Partner, Place, Territory
from tests.territories.factories import PartnerFactory, PlaceFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


def test_coordinator_creates_a_territory_inside_their_organisation(coordinator_client, org):
    parent = TerritoryFactory(organisation=org, name="Conflent Canigó", kind="intercommunality")
    response = coordinator_client.post(
        reverse("territory_create"),
        {"name": "Prades", "kind": "commune", "parent": parent.pk, "insee_code": "66149"},
    )
    territory = Territory.objects.get(name="Prades")
    assert response.status_code == 302
    assert response["Location"] == reverse("territory_detail", args=[territory.pk])
    assert territory.organisation == org
    assert territory.parent == parent
    page = coordinator_client.get(response["Location"]).content.decode()
    assert "Conflent Canigó" in page  # breadcrumb to the parent


def test_invalid_territory_comes_back_with_input_and_french_message(coordinator_client):
    response = coordinator_client.post(
        reverse("territory_create"),
        {"name": "Vinça", "kind": "commune", "insee_code": "ABCDE", "description": "Village"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Un code INSEE comporte cinq caractères" in page
    assert 'value="Vinça"' in page and "Village</textarea>" in page
    assert "rien n’a encore été enregistré" in page
    assert not Territory.objects.filter(name="Vinça").exists()


def test_missing_name_is_refused(coordinator_client):
    response = coordinator_client.post(reverse("territory_create"), {"kind": "commune"})
    assert response.status_code == 422
    assert "Ce champ est obligatoire" in response.content.decode()
    assert Territory.objects.count() == 0


def test_a_territory_cannot_be_placed_under_its_own_descendant(coordinator_client, org):
    commune = TerritoryFactory(organisation=org, name="Prades")
    neighbourhood = TerritoryFactory(organisation=org, name="Gare", parent=commune)
    response = coordinator_client.post(
        reverse("territory_edit", args=[commune.pk]),
        {"name": "Prades", "kind": "commune", "parent": neighbourhood.pk},
    )
    assert response.status_code == 422
    commune.refresh_from_db()
    assert commune.parent is None


def test_another_organisations_territory_cannot_be_chosen(coordinator_client, other_org):
    theirs = TerritoryFactory(organisation=other_org)
    response = coordinator_client.post(
        reverse("place_create"), {"name": "Marché", "kind": "market", "territory": theirs.pk}
    )
    assert response.status_code == 422
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Place.objects.exists()


def test_place_needs_both_coordinates_and_ordered_hours(coordinator_client, org):
    territory = TerritoryFactory(organisation=org)
    response = coordinator_client.post(
        reverse("place_create"),
        {
            "name": "Place de la gare",
            "kind": "station_square",
            "territory": territory.pk,
            "latitude": "42.6179",
            "best_from": "10:00",
            "best_until": "09:00",
            "best_days": ["1", "3"],
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "la latitude et la longitude" in page
    assert "L’heure de fin doit être après l’heure de début" in page
    assert 'value="42.6179"' in page
    assert not Place.objects.exists()


def test_place_is_saved_with_days_and_map_links(coordinator_client, org):
    territory = TerritoryFactory(organisation=org)
    response = coordinator_client.post(
        reverse("place_create"),
        {
            "name": "Place de la gare",
            "kind": "station_square",
            "territory": territory.pk,
            "latitude": "42.6179",
            "longitude": "2.4256",
            "best_from": "08:00",
            "best_until": "10:00",
            "best_days": ["1", "3"],
        },
    )
    place = Place.objects.get()
    assert response.status_code == 302
    assert place.best_days == [1, 3]
    page = coordinator_client.get(reverse("place_detail", args=[place.pk])).content.decode()
    assert "geo:42.617900,2.425600" in page
    assert "mardi, jeudi" in page


def test_partner_serves_territories_of_the_same_organisation(coordinator_client, org):
    prades = TerritoryFactory(organisation=org, name="Prades")
    response = coordinator_client.post(
        reverse("partner_create"),
        {
            "name": "CCAS de Prades",
            "kind": "ccas",
            "territories": [prades.pk],
            "phone": "04 68 05 41 00",
            "website": "prades.fr",
        },
    )
    partner = Partner.objects.get()
    assert response.status_code == 302
    assert list(partner.territories.all()) == [prades]
    assert partner.partnerterritory_set.get().organisation == org
    assert partner.website == "https://prades.fr"


def test_partner_phone_must_look_like_a_phone(coordinator_client):
    response = coordinator_client.post(
        reverse("partner_create"), {"name": "CAF", "kind": "caf", "phone": "appeler Mme X"}
    )
    assert response.status_code == 422
    assert not Partner.objects.exists()


@pytest.mark.parametrize(
    "query, found",
    [
        ("herault", ["Clermont-l'Hérault"]),
        ("HÉRAULT", ["Clermont-l'Hérault"]),
        ("ecole", []),
        ("mosson", ["La Mosson"]),
        ("la mos", ["La Mosson"]),
        ("34079", ["Clermont-l'Hérault"]),
    ],
)
def test_search_ignores_accents_and_case(volunteer_client, org, query, found):
    TerritoryFactory(organisation=org, name="Clermont-l'Hérault", insee_code="34079")
    TerritoryFactory(organisation=org, name="La Mosson", kind="neighbourhood")
    response = volunteer_client.get(reverse("territory_list"), {"q": query})
    assert [t.name for t in response.context["entries"]] == found


def test_search_finds_places_by_accented_words(volunteer_client, org):
    PlaceFactory(territory=TerritoryFactory(organisation=org), name="Sortie de l'école")
    response = volunteer_client.get(reverse("place_list"), {"q": "ECOLE"})
    assert [p.name for p in response.context["entries"]] == ["Sortie de l'école"]


def test_list_filters_by_territory_including_sub_territories(volunteer_client, org):
    prades = TerritoryFactory(organisation=org, name="Prades")
    gare = TerritoryFactory(organisation=org, name="Gare", parent=prades)
    elsewhere = TerritoryFactory(organisation=org, name="Ria")
    PlaceFactory(territory=prades, name="Marché")
    PlaceFactory(territory=gare, name="Pôle multimodal")
    PlaceFactory(territory=elsewhere, name="Place de Ria")
    response = volunteer_client.get(reverse("place_list"), {"territory": prades.pk})
    assert sorted(p.name for p in response.context["entries"]) == ["Marché", "Pôle multimodal"]


def test_htmx_gets_only_the_results_fragment(volunteer_client, org):
    TerritoryFactory(organisation=org, name="Prades")
    full = volunteer_client.get(reverse("territory_list"), {"q": "prades"})
    fragment = volunteer_client.get(
        reverse("territory_list"), {"q": "prades"}, headers={"HX-Request": "true"}
    )
    assert b"<html" in full.content and b'id="results"' in full.content
    assert b"<html" not in fragment.content
    assert fragment.content.strip().startswith(b'<section id="results"')
    assert b"Prades" in fragment.content


def test_plain_get_form_works_without_javascript(volunteer_client, org):
    TerritoryFactory(organisation=org, name="Prades")
    TerritoryFactory(organisation=org, name="Ria", kind="neighbourhood")
    response = volunteer_client.get(reverse("territory_list"), {"kind": "neighbourhood"})
    page = response.content.decode()
    assert "<noscript>" in page and 'method="get"' in page
    assert [t.name for t in response.context["entries"]] == ["Ria"]


def test_an_invalid_filter_value_is_ignored_not_an_error(volunteer_client, org, other_org):
    TerritoryFactory(organisation=org, name="Prades")
    theirs = TerritoryFactory(organisation=other_org, name="Leur commune")
    response = volunteer_client.get(reverse("place_list"), {"territory": theirs.pk, "q": "x" * 500})
    assert response.status_code == 200


def test_archive_hides_and_restore_brings_back(coordinator_client, org):
    partner = PartnerFactory(organisation=org, name="MSA Grand Sud")
    coordinator_client.post(reverse("partner_archive", args=[partner.pk]))
    assert coordinator_client.get(reverse("partner_list")).context["entries"] == []
    archived = coordinator_client.get(reverse("partner_list"), {"archived": "on"})
    assert [p.name for p in archived.context["entries"]] == ["MSA Grand Sud"]
    coordinator_client.post(reverse("partner_archive", args=[partner.pk]), {"restore": "1"})
    assert [p.name for p in coordinator_client.get(reverse("partner_list")).context["entries"]] == [
        "MSA Grand Sud"
    ]


def test_observation_is_dated_and_signed(coordinator_client, org):
    territory = TerritoryFactory(organisation=org)
    response = coordinator_client.post(
        reverse("observation_create", args=[territory.pk]),
        {"observed_on": "2026-11-03", "text": "Beaucoup de familles au marché."},
    )
    assert response.status_code == 302
    observation = Observation.objects.get()
    assert observation.organisation == org
    assert observation.author == coordinator_client.membership.user
    page = coordinator_client.get(reverse("territory_detail", args=[territory.pk])).content.decode()
    assert "3 novembre 2026" in page and "Beaucoup de familles" in page


@pytest.mark.parametrize(
    "url_name, make",
    [
        ("territory_list", lambda org, i: TerritoryFactory(organisation=org)),
        ("place_list", lambda org, i: PlaceFactory(territory=TerritoryFactory(organisation=org))),
        ("partner_list", lambda org, i: _partner_with_territories(org)),
    ],
)
def test_list_query_count_does_not_grow_with_rows(
    volunteer_client, org, url_name, make, django_assert_max_num_queries
):
    for i in range(3):
        make(org, i)
    with django_assert_max_num_queries(8):
        small = volunteer_client.get(reverse(url_name))
    for i in range(30):
        make(org, i)
    with django_assert_max_num_queries(8):
        large = volunteer_client.get(reverse(url_name))
    assert len(large.context["entries"]) == len(small.context["entries"]) + 30


def _partner_with_territories(org):
    partner = PartnerFactory(organisation=org)
    for territory in (TerritoryFactory(organisation=org), TerritoryFactory(organisation=org)):
        partner.territories.add(territory, through_defaults={"organisation": org})
    return partner


def test_an_observation_naming_someone_is_kept_highlighted_and_not_saved(coordinator_client, org):
    territory = TerritoryFactory(organisation=org)
    text = "Mme Dupont attend au 06 12 34 56 78 pour son dossier RSA."
    response = coordinator_client.post(
        reverse("observation_create", args=[territory.pk]),
        {"observed_on": "2026-11-03", "text": text},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "pourrait permettre d’identifier une personne" in page
    assert "un numéro de téléphone : supprimez-le" in page
    assert f"{text}</textarea>" in page  # the text is kept as typed
    assert '<mark data-kind="phone">06 12 34 56 78</mark>' in page
    assert '<mark data-kind="name">' in page
    assert not Observation.objects.exists()


def test_a_territory_description_is_screened_too(coordinator_client):
    response = coordinator_client.post(
        reverse("territory_create"),
        {"name": "Prades", "kind": "commune", "description": "Contact : jean.dupont@gmail.com"},
    )
    assert response.status_code == 422
    assert not Territory.objects.exists()


@pytest.mark.parametrize(
    ("url_name", "data", "field"),
    [
        ("place_create", {"name": "Chez Fatima Benali", "kind": "other"}, "name"),
        (
            "territory_create",
            {"name": "Chez Kevin Martin 06 12 34 56 78", "kind": "quartier"},
            "name",
        ),
        (
            "partner_create",
            {"name": "CCAS", "kind": "ccas", "opening_hours": "Mme Dupont 0612345678"},
            "opening_hours",
        ),
    ],
)
def test_directory_names_and_hours_are_screened(coordinator_client, org, url_name, data, field):
    territory = TerritoryFactory(organisation=org)
    data = {**data, "territory": territory.pk}
    response = coordinator_client.post(reverse(url_name), data)
    assert response.status_code == 422
    assert "pourrait permettre d" in response.content.decode()
    assert response.context["form"].errors[field]
