"""The journal of sensitive actions: written here, read by managers, never edited."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from core.labels import user_label
from organisations.models import JournalAction, JournalEntry, Organisation

__all__ = ["JournalAction", "entries", "purge", "record"]


def _label(user: AbstractBaseUser | None) -> str:
    if user is None:
        return "—"
    name, email = user_label(user), user.email
    return f"{name} ({email})" if name != email else email


def record(
    *,
    organisation: Organisation | int,
    actor: AbstractBaseUser | None,
    action: str,
    target: str = "",
    details: str = "",
) -> JournalEntry:
    """Write one entry (inside the caller's transaction, so it exists iff the action did)."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    entry = JournalEntry(
        organisation_id=organisation_id,
        actor=actor,
        actor_label=_label(actor)[:254],
        action=action,
        target=target[:254],
        details=details[:500],
    )
    entry.full_clean(exclude=["organisation", "actor"])
    entry.save()
    return entry


def entries(*, organisation: Organisation, limit: int = 500) -> QuerySet[JournalEntry]:
    """The latest entries of one organisation, newest first."""
    return JournalEntry.objects.filter(organisation=organisation).order_by("-at", "-pk")[:limit]


def purge(*, before, dry_run: bool = False) -> int:
    """Entries older than ``before`` (a datetime), past the journal's retention: deleted
    in bulk by the daily retention command, the only deletion there is."""
    old = JournalEntry.objects.filter(at__lt=before)
    count = old.count()
    if not dry_run:
        # QuerySet.delete() does not call JournalEntry.delete(), which refuses one by one.
        old.delete()
    return count
