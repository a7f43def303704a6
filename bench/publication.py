"""How long the outputs sent outside take to mask, read together (reports.publication).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/terrain_bench_publication \\
        .venv/bin/python bench/publication.py

Fills a dedicated database (dropped and recreated: never point it at real data) with the
demo data (three organisations, a year of field work), then prints, for each page a
manager sends outside (an organisation's monthly and annual report, the federation's
month, quarter and year): the server time with an empty cache (every month it adds up
masked for the first time, as after a deployment), with a warm cache (as once read), and
after one new conversation this month (the month under way masked again, the others
read from the cache); and how many figures each masks.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

from _db import ensure_database  # noqa: E402


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        sys.exit("Set DATABASE_URL to a terrain_bench_* PostgreSQL database.")
    ensure_database(url)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from core.time import Period
    from organisations.models import Organisation
    from reports import selectors
    from reports.publication import federation_for_outsiders, report_for_outsiders
    from reports.suppression import masked_summary
    from territories.models import Territory
    from tests.encounters.factories import EncounterFactory
    from tests.outreach.factories import OutreachSessionFactory

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("seed_demo", verbosity=0)
    today = timezone.localdate()
    month = Period.month(today).previous()
    quarter, year = Period.quarter(month.start), Period.year(month.start)
    users = get_user_model().objects
    federation, prades = Client(), Client()
    federation.force_login(users.get(username="federation@terrain.demo"))
    prades.force_login(users.get(username="direction@prades.demo"))
    pages = [
        ("Prades, monthly report", prades, f"/reports/month/{month.start:%Y-%m}/"),
        ("Prades, annual report", prades, f"/reports/year/{year.start:%Y}/"),
        ("Federation, month", federation, f"/federation/month/{month.start:%Y-%m}/"),
        (
            "Federation, quarter",
            federation,
            f"/federation/quarter/{quarter.start.year}-Q{(quarter.start.month - 1) // 3 + 1}/",
        ),
        ("Federation, year", federation, f"/federation/year/{year.start:%Y}/"),
    ]

    def timed(client, url) -> float:
        start = time.perf_counter()
        response = client.get(url, HTTP_HOST="localhost")
        assert response.status_code == 200, (url, response.status_code)
        return time.perf_counter() - start

    cold, warm, after = {}, {}, {}
    for name, client, url in pages:
        cache.clear()
        cold[name] = timed(client, url)
        warm[name] = min(timed(client, url) for _n in range(3))
    # One more conversation today, in Prades: its month is masked again, not the others.
    org = Organisation.objects.get(slug="evs-prades")
    territory = Territory.objects.filter(organisation=org).order_by("pk").first()
    session = OutreachSessionFactory(territory=territory, starts_at=timezone.now())
    EncounterFactory(session=session)
    for name, client, url in pages:
        after[name] = timed(client, url)
    organisations = list(Organisation.objects.order_by("name"))
    masked = {
        "Prades, monthly report": report_for_outsiders(
            selectors.report_saved_or_blank(
                organisation_id=org.pk, kind="month", start=month.start
            ),
            org,
        ),
        "Federation, month": federation_for_outsiders(organisations, month),
        "Federation, quarter": federation_for_outsiders(organisations, quarter),
        "Federation, year": federation_for_outsiders(organisations, year),
    }
    print(f"{'page':<26} {'cold':>7} {'warm':>7} {'after a write':>14}  masked")
    for name, _client, _url in pages:
        summary = masked_summary(masked[name]) if name in masked else ""
        print(
            f"{name:<26} {cold[name]:>6.2f}s {warm[name]:>6.2f}s {after[name]:>13.2f}s  {summary}"
        )


if __name__ == "__main__":
    main()
