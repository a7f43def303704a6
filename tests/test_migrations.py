"""A database made by the release before the layers moved migrates forward without
losing a row (scripts/check_upgrade.py does the same from a real checkout of it)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from encounters.models import Encounter
from organisations.models import Invitation, Membership, Organisation

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


def _previous_apps():
    executor = MigrationExecutor(connection)
    return executor.loader.project_state([n for n in PREVIOUS if n[1]], at_end=True).apps


def _write_rows_as_the_previous_release(apps) -> int:
    """Rows of every kind, written through the previous release's models (its schema)."""
    now = timezone.now()
    user = apps.get_model("auth", "User").objects.create(username="a@example.org")
    org = apps.get_model("outreach", "Organisation").objects.create(name="EVS", slug="evs")
    apps.get_model("outreach", "Membership").objects.create(
        organisation=org, user=user, role="manager"
    )
    apps.get_model("outreach", "Invitation").objects.create(
        organisation=org,
        email="b@example.org",
        role="volunteer",
        token_hash="h",
        expires_at=now,
    )
    territory = apps.get_model("territories", "Territory").objects.create(
        organisation=org, name="Prades", kind="commune"
    )
    place = apps.get_model("territories", "Place").objects.create(
        organisation=org, territory=territory, name="Marché", kind="market"
    )
    partner = apps.get_model("territories", "Partner").objects.create(
        organisation=org, name="CAF", kind="caf"
    )
    apps.get_model("territories", "Observation").objects.create(
        organisation=org, territory=territory, observed_on=now.date(), text="Marché calme."
    )
    session = apps.get_model("outreach", "OutreachSession").objects.create(
        organisation=org,
        kind="stand",
        territory=territory,
        place=place,
        starts_at=now,
        ends_at=now + timedelta(hours=2),
        lead=user,
    )
    encounter = apps.get_model("encounters", "Encounter").objects.create(
        organisation=org,
        session=session,
        author=user,
        occurred_at=now,
        client_uuid=uuid.uuid4(),
    )
    right = apps.get_model("encounters", "Right").objects.order_by("pk").first()
    apps.get_model("encounters", "NonTakeUpSignal").objects.create(
        organisation=org, encounter=encounter, right=right, reason="non_demand"
    )
    apps.get_model("encounters", "Referral").objects.create(
        organisation=org, encounter=encounter, partner=partner, partner_kind="caf", right=right
    )
    apps.get_model("encounters", "ContactTap").objects.create(
        organisation=org,
        session=session,
        author=user,
        kind="contact",
        client_uuid=uuid.uuid4(),
    )
    return org.pk


@pytest.mark.django_db(transaction=True)
def test_previous_release_migrates_forward_with_every_row():
    _migrate(PREVIOUS)
    org_id = _write_rows_as_the_previous_release(_previous_apps())
    ContentType.objects.filter(app_label="organisations").delete()
    ContentType.objects.get_or_create(app_label="outreach", model="membership")
    before = _rows()

    _migrate(_migrate_forward_targets())

    after = _rows()
    assert {t: after.get(t) for t in before if t != "django_migrations"} == {
        t: n for t, n in before.items() if t != "django_migrations"
    }
    # The rows are read through the models' new home, with their relations.
    assert Organisation.objects.filter(pk=org_id).exists()
    assert Membership.objects.filter(organisation_id=org_id).count() == 1
    assert Invitation.objects.get().organisation_id == org_id
    encounter = Encounter.objects.select_related("organisation", "session__place").get()
    assert (encounter.organisation.pk, encounter.session.place.name) == (org_id, "Marché")
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
