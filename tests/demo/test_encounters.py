from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count

from demo.encounters import seed_encounters
from encounters.models import Encounter, NonTakeUpSignal, Referral
from organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_seeded_encounters_look_like_the_field_and_are_not_doubled():
    call_command("seed_demo", verbosity=0)
    prades = Organisation.objects.get(slug="evs-prades")
    count = Encounter.objects.filter(organisation=prades).count()
    assert count > 200
    assert seed_encounters(prades) == 0
    assert Encounter.objects.filter(organisation=prades).count() == count

    kinds = dict(Referral.objects.values_list("partner_kind").annotate(n=Count("pk")).order_by())
    top_two = sorted(kinds, key=kinds.get, reverse=True)[:2]
    assert set(top_two) == {"ccas", "caf"}
    rights = dict(
        NonTakeUpSignal.objects.values_list("right__code").annotate(n=Count("pk")).order_by()
    )
    # ASH and AME (about half never claimed) come up more than the prime d'activité.
    assert rights["ash"] + rights["ame"] > 2 * rights["prime-activite"]
