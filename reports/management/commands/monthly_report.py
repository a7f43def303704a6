from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from organisations.models import Organisation
from reports import selectors
from reports.publication import report_for_outsiders
from reports.report import report_figures
from reports.report_views import FORMATS, parse_period, render_export


class Command(BaseCommand):
    help = "Write an organisation's monthly (or annual) report as PDF, XLSX or CSV."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--organisation", required=True, help="the organisation's slug")
        period = parser.add_mutually_exclusive_group(required=True)
        period.add_argument("--month", help="YYYY-MM")
        period.add_argument("--year", help="YYYY, for the annual report")
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument("--output", required=True, help="path of the file to write")
        parser.add_argument("--language", default="fr", choices=["fr", "en"])

    def handle(self, *args, **options) -> None:
        try:
            organisation = Organisation.objects.get(slug=options["organisation"])
        except Organisation.DoesNotExist:
            raise CommandError(
                f"No organisation with the slug {options['organisation']!r}."
            ) from None
        kind, key = ("month", options["month"]) if options["month"] else ("year", options["year"])
        try:
            kind, start = parse_period(kind, key)
        except Exception:
            raise CommandError(f"{key!r} is not a valid {kind} (YYYY-MM or YYYY).") from None
        with translation.override(options["language"]):
            report = selectors.report_saved_or_blank(
                organisation_id=organisation.pk, kind=kind, start=start
            )
            figures = report_figures(report, organisation)
            tables = report_for_outsiders(report, organisation, figures)
            content = render_export(
                options["format"], tables, organisation=organisation.name, report=report
            )
        output = Path(options["output"])
        output.write_bytes(content)
        state = "validated" if report.is_validated else "live, not validated"
        self.stdout.write(f"{output}: {len(content)} bytes ({state} figures).")
        if figures.changed:
            self.stdout.write(f"Changed since validation: {', '.join(figures.changed)}")
