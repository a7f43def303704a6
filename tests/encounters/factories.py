"""Factories of encounters and referrals."""

from __future__ import annotations

import uuid
from datetime import timedelta

import factory

from core.time import local_day
from reports import counters
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

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        # Written behind the services' back: counted as the service counts a new one.
        if create:
            counters.count_new_encounter(
                instance, session=instance.session, topics=[], signals=[], referrals=[]
            )


class _EncounterChildFactory(factory.django.DjangoModelFactory):
    """A row added to an encounter already counted: its day is counted again, as the
    services do after a correction."""

    class Meta:
        abstract = True

    organisation = factory.SelfAttribute("encounter.organisation")
    encounter = factory.SubFactory(EncounterFactory)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            counters.recount_days(
                organisation_id=instance.organisation_id,
                days=[local_day(instance.encounter.occurred_at)],
            )


class ReferralFactory(_EncounterChildFactory):
    class Meta:
        model = "encounters.Referral"

    partner_kind = Partner.Kind.CCAS


class EncounterTopicFactory(_EncounterChildFactory):
    class Meta:
        model = "encounters.EncounterTopic"

    topic = "rights"


class NonTakeUpSignalFactory(_EncounterChildFactory):
    class Meta:
        model = "encounters.NonTakeUpSignal"

    right = factory.LazyFunction(lambda: _right("rsa"))
    reason = "non_demand"


def _right(code: str):
    from encounters.models import Right

    return Right.objects.get(code=code)


def conversation_post(**overrides) -> dict:
    """What the conversation form posts for a typical conversation: the formsets'
    management data with no signal or referral row filled, a fresh client UUID."""
    return {
        "client_uuid": str(uuid.uuid4()),
        "kind": "conversation",
        "age_band": "40_59",
        "gender": "not_stated",
        "first_time": "True",
        "topics": ["rights", "energy"],
        "duration_band": "5_15",
        "language": "fr",
        "note": "Ne savait pas qu'elle avait droit au chèque énergie.",
        "signals-TOTAL_FORMS": "3",
        "signals-INITIAL_FORMS": "0",
        "referrals-TOTAL_FORMS": "2",
        "referrals-INITIAL_FORMS": "0",
        **overrides,
    }
