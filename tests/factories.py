"""Factories for the models of every app (factory-boy)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from outreach.models import Membership, Organisation, OutreachSession, Role, SessionKind
from territories.models import Observation, Partner, Place, Territory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Association {n}")
    slug = factory.Sequence(lambda n: f"asso-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}@example.org")
    email = factory.SelfAttribute("username")
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    password = factory.django.Password("correct-horse-battery")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.VOLUNTEER


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


class OutreachSessionFactory(factory.django.DjangoModelFactory):
    """A two-hour stand, tomorrow at 9:00 Paris time unless told otherwise."""

    class Meta:
        model = OutreachSession
        skip_postgeneration_save = True

    organisation = factory.SelfAttribute("territory.organisation")
    territory = factory.SubFactory(TerritoryFactory)
    kind = SessionKind.STAND
    starts_at = factory.LazyFunction(
        lambda: datetime.combine(
            timezone.localdate() + timedelta(days=1), time(9), tzinfo=ZoneInfo("Europe/Paris")
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.set(extracted, through_defaults={"organisation": self.organisation})


class EncounterFactory(factory.django.DjangoModelFactory):
    """An anonymous conversation during a session, logged by one of its members."""

    class Meta:
        model = "encounters.Encounter"

    organisation = factory.SelfAttribute("session.organisation")
    session = factory.SubFactory(OutreachSessionFactory)
    author = factory.SubFactory(UserFactory)
    occurred_at = factory.LazyAttribute(lambda o: o.session.starts_at + timedelta(minutes=30))
    note = "Parle de ses factures d'énergie, ne connaît pas le chèque énergie."
    client_uuid = factory.Faker("uuid4", cast_to=None)


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "encounters.Referral"

    organisation = factory.SelfAttribute("encounter.organisation")
    encounter = factory.SubFactory(EncounterFactory)
    partner_kind = Partner.Kind.CCAS
