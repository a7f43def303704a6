"""The hand-made month of field work that the figures are checked against."""

from __future__ import annotations

from datetime import datetime

import pytest

from core.time import PARIS
from encounters.models import Right
from organisations.models import Role
from outreach.models import SessionStatus
from tests.encounters.factories import (
    EncounterFactory,
    EncounterTopicFactory,
    NonTakeUpSignalFactory,
    ReferralFactory,
)
from tests.organisations.factories import MembershipFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import PartnerFactory, PlaceFactory, TerritoryFactory


def at(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def field(org, other_org):
    """March 2026 in Prades, by hand:

    - market stand, Tue 3 March 9:00–12:00 (3 h), done, 20 brief contacts, 4 refusals:
      encounters at 9:30 (first time, housing+rights, RSA non-demand, CAF referral done)
      and 10:15 (already met, health, CSS non-knowledge, CCAS referral accepted);
    - permanence in the Gare neighbourhood, Tue 31 March 21:00–23:59, done, 5 contacts:
      one encounter at 23:30 Paris time, which is still March (21:30 UTC);
    - a cancelled stand on 10 March with 7 contacts: never counted;
    - an April session with one encounter: outside March.
    """
    prades = TerritoryFactory(organisation=org, name="Prades")
    gare = TerritoryFactory(organisation=org, name="Gare", parent=prades)
    market = PlaceFactory(territory=prades, name="Marché du mardi")
    room = PlaceFactory(territory=gare, name="Salle de la mairie")
    volunteer = MembershipFactory(organisation=org, role=Role.VOLUNTEER).user
    done = SessionStatus.DONE
    stand = OutreachSessionFactory(
        territory=prades,
        place=market,
        starts_at=at(2026, 3, 3, 9),
        ends_at=at(2026, 3, 3, 12),
        status=done,
        brief_contacts=20,
        refusals=4,
        members=[volunteer],
    )
    late = OutreachSessionFactory(
        territory=gare,
        place=room,
        kind="permanence",
        starts_at=at(2026, 3, 31, 21),
        ends_at=at(2026, 3, 31, 23, 59),
        status=done,
        brief_contacts=5,
    )
    OutreachSessionFactory(
        territory=prades,
        starts_at=at(2026, 3, 10, 9),
        status=SessionStatus.CANCELLED,
        cancel_reason="Pluie",
        brief_contacts=7,
    )
    april = OutreachSessionFactory(
        territory=prades, place=market, starts_at=at(2026, 4, 7, 9), status=done, brief_contacts=9
    )
    caf = PartnerFactory(organisation=org, name="CAF 66", kind="caf")
    rsa, css = Right.objects.get(code="rsa"), Right.objects.get(code="css")

    e1 = EncounterFactory(session=stand, author=volunteer, occurred_at=at(2026, 3, 3, 9, 30))
    e2 = EncounterFactory(session=stand, occurred_at=at(2026, 3, 3, 10, 15), first_time=False)
    e3 = EncounterFactory(session=late, occurred_at=at(2026, 3, 31, 23, 30), kind="on_site_help")
    e4 = EncounterFactory(session=april, occurred_at=at(2026, 4, 7, 9, 30))
    for encounter, topic in [(e1, "housing"), (e1, "rights"), (e2, "health"), (e4, "health")]:
        EncounterTopicFactory(encounter=encounter, topic=topic)
    for encounter, right, reason in [
        (e1, rsa, "non_demand"),
        (e2, css, "non_knowledge"),
        (e3, rsa, "non_demand"),
        (e4, rsa, "non_receipt"),
    ]:
        NonTakeUpSignalFactory(encounter=encounter, right=right, reason=reason)
    ReferralFactory(encounter=e1, partner=caf, partner_kind="caf", outcome="done")
    ReferralFactory(encounter=e2, partner_kind="ccas", outcome="accepted")
    ReferralFactory(encounter=e4, partner=caf, partner_kind="caf", outcome="proposed")
    # Another organisation's busy March must never show.
    theirs = OutreachSessionFactory(
        territory=TerritoryFactory(organisation=other_org),
        starts_at=at(2026, 3, 3, 9),
        status=done,
        brief_contacts=100,
    )
    EncounterFactory(session=theirs, occurred_at=at(2026, 3, 3, 9, 30))
    return {"org": org, "prades": prades, "gare": gare, "volunteer": volunteer}
