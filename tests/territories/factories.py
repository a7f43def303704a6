"""Factories of the territory directory."""

from __future__ import annotations

import factory

from territories.models import Observation, Partner, Place, Territory
from tests.organisations.factories import OrganisationFactory


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Commune {n}")
    kind = Territory.Kind.COMMUNE


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    organisation = factory.SelfAttribute("territory.organisation")
    territory = factory.SubFactory(TerritoryFactory)
    name = factory.Sequence(lambda n: f"Place du marché {n}")
    kind = Place.Kind.MARKET


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"CCAS {n}")
    kind = Partner.Kind.CCAS


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    organisation = factory.SelfAttribute("territory.organisation")
    territory = factory.SubFactory(TerritoryFactory)
    observed_on = factory.Faker("date_this_year")
    text = "Beaucoup de passage le mardi matin, près des cars."
