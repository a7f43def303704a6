"""A typical conversation (two topics, one signal, one referral) in at most 8 taps on one
screen, without a drop-down: the same walk as bench/conversation_taps.py."""

from __future__ import annotations

import importlib.util
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from encounters.models import Encounter, NonTakeUpSignal, Referral
from organisations.models import Role
from tests.organisations.factories import MembershipFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import PartnerFactory, TerritoryFactory

pytestmark = pytest.mark.django_db(transaction=True)

BENCH = Path(__file__).resolve().parents[2] / "bench" / "conversation_taps.py"


def _bench():
    spec = importlib.util.spec_from_file_location("conversation_taps", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_typical_conversation_takes_at_most_eight_taps(login, org):
    user = MembershipFactory(organisation=org, role=Role.VOLUNTEER).user
    for name in ("CAF des Pyrénées-Orientales", "CCAS de Prades", "Mission locale"):
        PartnerFactory(organisation=org, name=name)
    now = timezone.now()
    session = OutreachSessionFactory(
        territory=TerritoryFactory(organisation=org, name="Prades"),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=2),
        members=[user],
    )
    page = login(user.email)
    result = _bench().conversation(page, session.pk)
    assert result["saved"]
    assert result["taps"] <= 8, result
    assert result["dropdowns"] == 0, result
    assert result["screens"] <= 1, result
    encounter = Encounter.objects.get()
    assert sorted(encounter.topics.values_list("topic", flat=True)) == ["housing", "rights"]
    assert NonTakeUpSignal.objects.get().right.short_name == "RSA"
    assert Referral.objects.get().partner.name == "CAF des Pyrénées-Orientales"
