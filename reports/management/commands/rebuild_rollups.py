from __future__ import annotations

import time
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError

from organisations.models import Organisation
from reports.rollups import rollup_rebuild


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = (
        "Recompute the daily and monthly rollups of the dashboard from the live tables: "
        "after a bulk load or a data fix. The write services keep them exact otherwise."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--organisation", help="an organisation's slug (default: all)")
        parser.add_argument(
            "--from", dest="start", help="first day, YYYY-MM-DD (default: the first)"
        )
        parser.add_argument(
            "--to", dest="last", help="last day, YYYY-MM-DD, included (default: the last)"
        )

    def handle(self, *args, **options) -> None:
        start = _day(options["start"]) if options["start"] else None
        end = _day(options["last"]) + timedelta(days=1) if options["last"] else None
        if start and end and end <= start:
            raise CommandError("--to must not be before --from.")
        organisations = Organisation.objects.order_by("pk")
        if options["organisation"]:
            organisations = organisations.filter(slug=options["organisation"])
            if not organisations:
                raise CommandError(f"No organisation with the slug {options['organisation']!r}.")
        for organisation in organisations:
            t0 = time.perf_counter()
            rows = rollup_rebuild(organisation_id=organisation.pk, start=start, end=end)
            if options["verbosity"]:
                counts = ", ".join(f"{name} {n}" for name, n in rows.items())
                self.stdout.write(
                    f"{organisation.slug}: {counts} ({time.perf_counter() - t0:.1f} s)"
                )
