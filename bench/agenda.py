"""Server time and SQL queries of the month agenda and of "Today" at a realistic size.

Builds an organisation with 50 members and 2,000 sessions in one month (three members
each), then asks Django's test Client, in-process, for the month agenda (as a
coordinator) and for "Today" (as a volunteer with sessions today), and prints p50/p95
server time and the number of SQL queries. Everything it creates is deleted at the end.
The database is created if it does not exist.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/terrain_bench .venv/bin/python bench/agenda.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/terrain_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

from bench._db import ensure_database  # noqa: E402

ensure_database(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from core.time import PARIS  # noqa: E402
from organisations.models import Membership, Organisation, Role  # noqa: E402
from outreach.models import OutreachSession, SessionAssignment, SessionKind  # noqa: E402
from territories.models import Place, Territory  # noqa: E402

SLUG = "bench-agenda"
MEMBERS, SESSIONS, TEAM = 50, 2000, 3
WARMUP, RUNS = 2, 20
User = get_user_model()


def build() -> tuple[Organisation, object, object, datetime]:
    org = Organisation.objects.create(name="Bench agenda", slug=SLUG)
    users = User.objects.bulk_create(
        User(
            username=f"{SLUG}-{i}@example.org", email=f"{SLUG}-{i}@example.org", first_name=f"M{i}"
        )
        for i in range(MEMBERS)
    )
    Membership.objects.bulk_create(
        Membership(organisation=org, user=u, role=Role.COORDINATOR if i == 0 else Role.VOLUNTEER)
        for i, u in enumerate(users)
    )
    territory = Territory.objects.create(organisation=org, name="Prades", kind="commune")
    places = [
        Place.objects.create(organisation=org, territory=territory, name=f"Lieu {i}", kind="market")
        for i in range(20)
    ]
    today = timezone.localdate()
    first = today.replace(day=1)
    kinds = SessionKind.values
    sessions = []
    for i in range(SESSIONS):
        day = first + timedelta(days=i % 28)
        start = datetime(day.year, day.month, day.day, 8 + i % 10, tzinfo=PARIS)
        sessions.append(
            OutreachSession(
                organisation=org,
                territory=territory,
                place=places[i % len(places)],
                kind=kinds[i % len(kinds)],
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                lead=users[i % MEMBERS],
            )
        )
    sessions = OutreachSession.objects.bulk_create(sessions)
    SessionAssignment.objects.bulk_create(
        SessionAssignment(organisation=org, session=s, user=users[(i + k) % MEMBERS])
        for i, s in enumerate(sessions)
        for k in range(TEAM)
    )
    # The volunteer of "Today" works today and on the next days.
    volunteer = users[1]
    now = timezone.now()
    for hours in (1, 4, 26, 50, 74):
        start = now + timedelta(hours=hours)
        s = OutreachSession.objects.create(
            organisation=org,
            territory=territory,
            place=places[0],
            kind="permanence",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            lead=volunteer,
        )
        SessionAssignment.objects.bulk_create(
            SessionAssignment(organisation=org, session=s, user=u) for u in users[1:4]
        )
    return org, users[0], volunteer, first


def measure(client: Client, url: str) -> dict:
    for _ in range(WARMUP):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "queries": len(queries.captured_queries),
        "bytes": len(response.content),
    }


def cleanup() -> None:
    OutreachSession.objects.filter(organisation__slug=SLUG).delete()
    Place.objects.filter(organisation__slug=SLUG).delete()
    Territory.objects.filter(organisation__slug=SLUG).delete()
    Organisation.objects.filter(slug=SLUG).delete()
    User.objects.filter(username__startswith=f"{SLUG}-").delete()


def main() -> None:
    call_command("migrate", verbosity=0)
    cleanup()  # a previous run that was interrupted
    try:
        org, coordinator, volunteer, first = build()
        count = OutreachSession.objects.filter(organisation=org).count()
        as_coordinator, as_volunteer = Client(), Client()
        as_coordinator.force_login(coordinator)
        as_volunteer.force_login(volunteer)
        month = f"{reverse('agenda')}?view=month&date={first.isoformat()}"
        rows = [
            ("Month agenda (full page)", measure(as_coordinator, month)),
            (
                "Month agenda (htmx fragment)",
                measure(_htmx(as_coordinator), month),
            ),
            ("Today (volunteer)", measure(as_volunteer, reverse("today"))),
        ]
        print(f"{connection.vendor}, {MEMBERS} members, {count} sessions, {RUNS} runs each")
        print(f"{'page':<30} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'KiB':>7}")
        for name, r in rows:
            print(
                f"{name:<30} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['queries']:>8} "
                f"{r['bytes'] / 1024:>7.0f}"
            )
    finally:
        cleanup()


def _htmx(client: Client) -> Client:
    htmx = Client(headers={"HX-Request": "true"})
    htmx.cookies = client.cookies
    return htmx


if __name__ == "__main__":
    main()
