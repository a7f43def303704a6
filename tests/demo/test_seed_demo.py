from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command

from organisations.models import Membership, Organisation, Role
from territories.models import Partner, Territory

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, list]:
    """Every row of every project model, without timestamps that move on each save."""
    snapshot = {}
    for app in ("outreach", "territories", "encounters"):
        for model in apps.get_app_config(app).get_models():
            fields = [
                f.attname
                for f in model._meta.concrete_fields
                if f.attname not in {"updated_at", "created_at"} and f.name != "password"
            ]
            snapshot[model._meta.label] = list(model.objects.order_by("pk").values_list(*fields))
    return snapshot


def test_seed_demo_twice_gives_the_same_data(capsys):
    call_command("seed_demo")
    first = _snapshot()
    call_command("seed_demo")
    assert _snapshot() == first
    assert "terrain-demo" in capsys.readouterr().out


def test_seed_demo_looks_like_the_field():
    call_command("seed_demo", verbosity=0)
    assert set(Organisation.objects.values_list("slug", flat=True)) >= {
        "evs-prades",
        "cs-mosson",
        "bus-picardie",
    }
    prades = Organisation.objects.get(slug="evs-prades")
    assert Territory.objects.get(organisation=prades, name="Prades").insee_code == "66149"
    kinds = set(Partner.objects.filter(organisation=prades).values_list("kind", flat=True))
    assert {"ccas", "caf", "cpam", "msa", "france_travail", "mission_locale"} <= kinds
    assert set(
        Membership.objects.filter(organisation=prades).values_list("role", flat=True)
    ) == set(Role.values)
    # One demo user belongs to every organisation, to show the switcher.
    assert Membership.objects.filter(user__username="federation@terrain.demo").count() == 3


def test_rights_reference_list_is_loaded_by_migration():
    from encounters.models import Right

    codes = set(Right.objects.values_list("code", flat=True))
    assert {"rsa", "prime-activite", "css", "ame", "aah", "aspa", "ash", "cheque-energie"} <= codes
    assert Right.objects.get(code="ame").administered_by == "CPAM"


def test_missing_reference_rights_come_back_after_migrate_without_overwriting_edits():
    from django.apps import apps as global_apps

    from encounters.apps import ensure_reference_rights
    from encounters.models import Right

    Right.objects.filter(code="rsa").update(name="RSA (nom modifié)")
    Right.objects.filter(code="ame").delete()
    ensure_reference_rights(sender=global_apps.get_app_config("encounters"))
    assert Right.objects.get(code="ame").administered_by == "CPAM"
    assert Right.objects.get(code="rsa").name == "RSA (nom modifié)"
