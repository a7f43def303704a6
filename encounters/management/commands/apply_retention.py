"""Empty the free text older than each organisation's retention (run it daily)."""

from __future__ import annotations

from datetime import date, time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.time import local_datetime
from encounters.retention import retention_apply, retention_cutoff
from organisations import journal
from organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Empty the notes of encounters, debriefs and observations older than each "
        "organisation's retention (figures are kept). Idempotent: run it every day."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be emptied, change nothing."
        )
        parser.add_argument("--organisation", help="Only this organisation (its short name).")
        parser.add_argument("--today", help="Reference day YYYY-MM-DD (default: today).")

    def handle(self, *args, dry_run: bool, organisation: str | None, today: str | None, **kw):
        day = timezone.localdate()
        if today:
            try:
                day = date.fromisoformat(today)
            except ValueError as error:
                raise CommandError(f"--today: {error}") from error
        org = None
        if organisation:
            org = Organisation.objects.filter(slug=organisation).first()
            if org is None:
                raise CommandError(f"No organisation {organisation!r}.")
        results = retention_apply(today=day, dry_run=dry_run, organisation=org)
        journal_before = local_datetime(
            retention_cutoff(months=settings.JOURNAL_RETENTION_MONTHS, today=day), time.min
        )
        purged = journal.purge(before=journal_before, dry_run=dry_run)
        verb = "would empty" if dry_run else "emptied"
        for result in results:
            self.stdout.write(
                f"{result.organisation.slug}: {verb} {result.encounter_notes} encounter notes, "
                f"{result.encounter_changes} corrections, {result.debriefs} debriefs, "
                f"{result.observations} observations (kept from {result.cutoff.isoformat()})"
            )
        self.stdout.write(
            f"journal: {'would delete' if dry_run else 'deleted'} {purged} entries older than "
            f"{settings.JOURNAL_RETENTION_MONTHS} months"
        )
