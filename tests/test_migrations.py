"""A database made by the release before the layers moved migrates forward without
losing a row (scripts/check_upgrade.py does the same from a real checkout of it)."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from encounters.models import Encounter
from organisations.models import Invitation, Membership, Organisation
from tests.encounters.factories import ReferralFactory
from tests.organisations.factories import MembershipFactory
from tests.territories.factories import ObservationFactory

# The leaves of the previous release (b3cc6eb): no ``organisations`` app yet.
PREVIOUS = [
    ("outreach", "0003_organisation_return_cards"),
    ("territories", "0001_territories_places_partners"),
    ("encounters", "0004_encounter_member_index"),
    ("reports", "0004_report_snapshot_threshold"),
    ("organisations", None),
]


def _rows() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_previous_release_migrates_forward_with_every_row():
    _migrate(PREVIOUS)
    # The moved models keep their tables: rows written at the previous state (the
    # schema is the same, so today's factories can write them) ...
    referral = ReferralFactory()
    MembershipFactory(organisation=referral.organisation)
    ObservationFactory(organisation=referral.organisation)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO outreach_invitation (organisation_id, email, role, token_hash, "
            "created_at, expires_at) VALUES (%s, 'x@example.org', 'volunteer', 'h', "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
            [referral.organisation_id],
        )
    ContentType.objects.filter(app_label="organisations").delete()
    ContentType.objects.get_or_create(app_label="outreach", model="membership")
    before = _rows()

    _migrate(_migrate_forward_targets())

    assert _rows() == {**before, "django_migrations": _rows()["django_migrations"]}
    # ... are read through the models' new home, with their relations.
    assert Organisation.objects.filter(pk=referral.organisation_id).exists()
    assert Membership.objects.filter(organisation_id=referral.organisation_id).count() == 1
    assert Invitation.objects.get().organisation_id == referral.organisation_id
    assert Encounter.objects.select_related("organisation").get().organisation.pk == (
        referral.organisation_id
    )
    # Admin permissions follow the moved models.
    assert ContentType.objects.filter(app_label="organisations", model="membership").exists()
    assert not ContentType.objects.filter(app_label="outreach", model="membership").exists()


def _migrate_forward_targets():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.fixture(autouse=True)
def _back_to_latest():
    yield
    call_command("migrate", verbosity=0)
