"""Factories of outreach sessions."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import factory
from django.utils import timezone

from core.time import PARIS, local_day
from outreach.models import OutreachSession, SessionKind, SessionStatus
from reports import counters
from tests.territories.factories import TerritoryFactory


class OutreachSessionFactory(factory.django.DjangoModelFactory):
    """A two-hour stand, tomorrow at 9:00 Paris time unless told otherwise."""

    class Meta:
        model = OutreachSession
        skip_postgeneration_save = True

    organisation = factory.SelfAttribute("territory.organisation")
    territory = factory.SubFactory(TerritoryFactory)
    kind = SessionKind.STAND
    starts_at = factory.LazyFunction(
        lambda: datetime.combine(timezone.localdate() + timedelta(days=1), time(9), tzinfo=PARIS)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.set(extracted, through_defaults={"organisation": self.organisation})

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        # Written behind the services' back: count it as they would (a held session
        # moves the figures of its day; a planned or cancelled one does not).
        if create and instance.status == SessionStatus.DONE:
            counters.recount_days(
                organisation_id=instance.organisation_id, days=[local_day(instance.starts_at)]
            )


def ongoing_session(organisation, **kwargs):
    """A session of ``organisation`` under way now (started an hour ago, two hours left):
    field mode accepts taps and conversations on it."""
    now = timezone.now()
    return OutreachSessionFactory(
        territory=TerritoryFactory(organisation=organisation, name="Prades"),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=2),
        **kwargs,
    )
