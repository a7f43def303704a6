"""Factories of encounters and referrals."""

from __future__ import annotations

from datetime import timedelta

import factory

from territories.models import Partner
from tests.organisations.factories import UserFactory
from tests.outreach.factories import OutreachSessionFactory


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
