from __future__ import annotations

from core.db_router import PrimaryReplicaRouter, reporting_db


def test_reports_read_from_the_primary_without_a_replica(settings):
    assert "replica" not in settings.DATABASES
    assert reporting_db() == "default"


def test_reports_read_from_the_replica_when_configured(monkeypatch):
    from django.conf import settings

    # Mutate the dict in place (and undo it): overriding DATABASES makes Django warn.
    monkeypatch.setitem(settings.DATABASES, "replica", dict(settings.DATABASES["default"]))
    assert reporting_db() == "replica"


def test_writes_and_migrations_stay_on_the_primary():
    router = PrimaryReplicaRouter()
    assert router.db_for_write(object) == "default"
    assert router.db_for_read(object) is None
    assert router.allow_migrate("replica", "encounters") is False
    assert router.allow_migrate("default", "encounters") is True
