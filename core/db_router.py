"""Send read-only dashboard and report queries to a replica when there is one.

Only code that asks for it reads from the replica: ``selectors`` of dashboards and
reports wrap their queries in ``reporting_db()``. Everything else, including every read
that follows a write in the same request, stays on the primary, so nobody sees their
own encounter vanish because the replica lags a second behind.
"""

from __future__ import annotations

from django.conf import settings

REPLICA = "replica"


def reporting_db() -> str:
    """The alias dashboards and reports read from: the replica if configured."""
    return REPLICA if REPLICA in settings.DATABASES else "default"


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        return None  # the default: the primary, unless a query says .using(reporting_db())

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data: a replica row may relate to a primary row.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
