"""Dashboard and report speed at scale, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/terrain_bench_dashboard \
        .venv/bin/python bench/dashboard.py --encounters 1000000

Fills a dedicated database (dropped and recreated: never point it at real data) with one
organisation's realistic field work over three years, loaded with COPY: sessions, anonymous
encounters, topics, non-take-up signals and referrals. Then it prints, for the dashboard of
a month, a year and all time: p50/p95 server time over repeated requests (in-process Django
test client, so it is server time without the network), the number of SQL queries; and the
time to produce the monthly PDF and XLSX. The rollups are rebuilt after the load (timed),
and every figure is measured twice: on the rollups (daily and monthly), then on the live tables
(settings.REPORTS_USE_ROLLUPS off). ``--keep`` reuses a filled database; ``--rollups-only``
skips the live tables (minutes at a million encounters).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from core.time import PARIS  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Relative weights from DOMAIN.md: rights with more non-take-up get more signals.
RIGHT_WEIGHTS = {
    "rsa": 34,
    "prime-activite": 27,
    "css": 38,
    "ame": 49,
    "aides-logement": 20,
    "aah": 10,
    "aspa": 15,
    "retraite": 32,
    "ash": 50,
    "cheque-energie": 25,
}
REASONS = ["non_knowledge", "non_demand", "non_receipt", "non_proposal"]
OUTCOMES = ["proposed", "accepted", "done", "declined", "unknown"]
TOPICS = ["rights", "health", "housing", "employment", "family", "food", "energy", "digital"]
PARTNER_KINDS = [
    "ccas",
    "caf",
    "cpam",
    "msa",
    "france_travail",
    "mission_locale",
    "department_social",
    "health_centre",
    "food_bank",
]
PARTNER_WEIGHTS = [30, 28, 10, 6, 8, 6, 6, 3, 3]


def _recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    if not (name.startswith("terrain_bench") or name.endswith("_bench")):
        sys.exit(
            "The bench database name must start with terrain_bench or end with _bench: "
            "it is dropped."
        )
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _fill(n_encounters: int, seed: int = 1) -> dict:
    from django.db import connection

    from encounters.models import Right
    from organisations.models import Role
    from tests.organisations.factories import MembershipFactory, OrganisationFactory
    from tests.territories.factories import PartnerFactory, PlaceFactory, TerritoryFactory

    rng = random.Random(seed)
    org = OrganisationFactory(name="EVS du Conflent (bench)", slug="bench")
    manager = MembershipFactory(organisation=org, role=Role.MANAGER).user
    members = [MembershipFactory(organisation=org).user.pk for _ in range(30)]
    top = TerritoryFactory(organisation=org, name="Conflent Canigó", kind="intercommunality")
    communes = [
        TerritoryFactory(organisation=org, name=f"Commune {i}", parent=top) for i in range(12)
    ]
    places = [PlaceFactory(territory=rng.choice(communes), name=f"Lieu {i}") for i in range(40)]
    partners = {
        kind: [PartnerFactory(organisation=org, kind=kind, name=f"{kind} {i}").pk for i in range(2)]
        for kind in PARTNER_KINDS
    }
    rights = {r.code: r.pk for r in Right.objects.all()}
    right_codes = list(RIGHT_WEIGHTS)
    right_weights = list(RIGHT_WEIGHTS.values())

    per_session = 20
    n_sessions = max(1, n_encounters // per_session)
    start = datetime(2024, 1, 1, tzinfo=PARIS)
    now = datetime.now(tz=PARIS)
    span_days = (datetime(2026, 12, 31, tzinfo=PARIS) - start).days
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.connection
        with raw.cursor() as cur:
            with cur.copy(
                "COPY outreach_outreachsession (id, organisation_id, is_detached, kind, "
                "territory_id, place_id, starts_at, ends_at, status, cancel_reason, objectives, "
                "brief_contacts, refusals, atmosphere, next_time, comments, created_at, updated_at)"
                " FROM STDIN"
            ) as copy:
                sessions = []
                for i in range(n_sessions):
                    place = rng.choice(places)
                    day = start + timedelta(days=rng.randrange(span_days))
                    begin = day.replace(hour=rng.choice([8, 9, 10, 14, 16]))
                    end = begin + timedelta(hours=rng.choice([2, 3, 3, 4]))
                    kind = rng.choice(["stand", "permanence", "walkabout", "mobile_office"])
                    copy.write_row(
                        (
                            i + 1,
                            org.pk,
                            False,
                            kind,
                            place.territory_id,
                            place.pk,
                            begin,
                            end,
                            "done",
                            "",
                            "",
                            rng.randrange(5, 40),
                            rng.randrange(0, 8),
                            "",
                            "",
                            "",
                            now,
                            now,
                        )
                    )
                    sessions.append((i + 1, begin, end))
            with cur.copy(
                "COPY encounters_encounter (id, organisation_id, session_id, author_id, "
                "occurred_at, kind, age_band, gender, first_time, duration_band, language, "
                "note, client_uuid, is_late, created_at, updated_at) FROM STDIN"
            ) as copy:
                encounters = []
                for e in range(n_encounters):
                    sid, begin, end = sessions[e % n_sessions]
                    when = begin + (end - begin) * rng.random()
                    copy.write_row(
                        (
                            e + 1,
                            org.pk,
                            sid,
                            rng.choice(members),
                            when,
                            "conversation" if rng.random() < 0.85 else "on_site_help",
                            rng.choice(["18_25", "26_39", "40_59", "60_74", "unknown"]),
                            rng.choice(["not_stated", "woman", "man"]),
                            rng.random() < 0.6,
                            rng.choice(["under_5", "5_15", "15_30"]),
                            "fr",
                            "",
                            uuid.UUID(int=rng.getrandbits(128)),
                            False,
                            now,
                            now,
                        )
                    )
                    encounters.append(when)
            with cur.copy(
                "COPY encounters_encountertopic (organisation_id, encounter_id, topic) FROM STDIN"
            ) as copy:
                for e in range(n_encounters):
                    for topic in rng.sample(TOPICS, rng.choice([1, 1, 2])):
                        copy.write_row((org.pk, e + 1, topic))
            with cur.copy(
                "COPY encounters_nontakeupsignal (organisation_id, encounter_id, right_id, reason)"
                " FROM STDIN"
            ) as copy:
                for e in range(n_encounters):
                    if rng.random() < 0.3:
                        code = rng.choices(right_codes, right_weights)[0]
                        copy.write_row((org.pk, e + 1, rights[code], rng.choice(REASONS)))
            with cur.copy(
                "COPY encounters_referral (organisation_id, encounter_id, partner_id, "
                "partner_kind, topic, outcome) FROM STDIN"
            ) as copy:
                for e in range(n_encounters):
                    if rng.random() < 0.35:
                        kind = rng.choices(PARTNER_KINDS, PARTNER_WEIGHTS)[0]
                        partner = rng.choice(partners[kind]) if rng.random() < 0.8 else None
                        copy.write_row(
                            (
                                org.pk,
                                e + 1,
                                partner,
                                kind,
                                "",
                                rng.choices(OUTCOMES, [40, 25, 20, 5, 10])[0],
                            )
                        )
        for table in ("outreach_outreachsession", "encounters_encounter"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        cursor.execute("ANALYZE")
    return {
        "org": org,
        "manager": manager,
        "load_seconds": time.perf_counter() - t0,
        "sessions": n_sessions,
    }


def _measure(client, url: str, params: dict, runs: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params)  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return statistics.median(times), p95, len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--encounters", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="reuse the filled database")
    parser.add_argument(
        "--rollups-only", action="store_true", help="skip the (slow) live-table measures"
    )
    parser.add_argument(
        "--no-rebuild",
        action="store_true",
        help="with --keep: read the rollups as they are (minutes saved at a million)",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database named terrain_bench...")
    if not args.keep:
        _recreate_database(url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    from organisations.models import Organisation, Role

    call_command("migrate", verbosity=0)  # a kept database gets the newer tables too
    if args.keep and Organisation.objects.filter(slug="bench").exists():
        org = Organisation.objects.get(slug="bench")
        manager = org.memberships.filter(role=Role.MANAGER).first().user
        info = {"org": org, "manager": manager, "load_seconds": 0.0, "sessions": "kept"}
    else:
        info = _fill(args.encounters)
    client = Client()
    client.force_login(info["manager"])
    print(
        f"Loaded {args.encounters:,} encounters in {info['sessions']} sessions "
        f"in {info['load_seconds']:.1f} s"
    )
    if args.keep and args.no_rebuild:
        print("Kept the rollups as they were")
    else:
        _rebuild(info["org"].pk)
    for use_rollups in (True,) if args.rollups_only else (True, False):
        settings.REPORTS_USE_ROLLUPS = use_rollups
        print("\n" + ("With the rollups" if use_rollups else "On the live tables"))
        _measure_all(client, args.runs)


def _rebuild(organisation_id: int) -> None:
    from django.db import connection

    from reports.rollups import MONTHLY, ROLLUP_MODELS, rollup_rebuild

    t0 = time.perf_counter()
    rows = rollup_rebuild(organisation_id=organisation_id)
    with connection.cursor() as cursor:
        # A rebuild over kept rollups deletes and inserts every row: compact the tables,
        # or the dead rows of the previous run double what the scans read (--keep).
        for model in (*ROLLUP_MODELS, *MONTHLY.values()):
            cursor.execute(f"VACUUM (FULL, ANALYZE) {model._meta.db_table}")
        cursor.execute("ANALYZE")
    print(
        f"Rebuilt the rollups in {time.perf_counter() - t0:.1f} s: "
        + ", ".join(f"{name} {n:,}" for name, n in rows.items())
    )


def _measure_all(client, runs: int) -> None:
    from django.db.models import Count

    from encounters.models import Encounter

    print(f"{'view':<34} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    cases = [
        ("dashboard, a month", "/dashboard/", {"period": "month", "on": "2026-03-15"}),
        ("dashboard, a year", "/dashboard/", {"period": "year", "on": "2025-06-01"}),
        (
            "dashboard, all time",
            "/dashboard/",
            {"period": "custom", "start": "2020-01-01", "end": "2026-12-31"},
        ),
        (
            "dashboard, days and months",  # monthly rows plus daily ones around them
            "/dashboard/",
            {"period": "custom", "start": "2024-01-15", "end": "2026-11-10"},
        ),
        ("monthly report page", "/reports/month/2026-03/", {}),
    ]
    # The member filter reads the live tables whatever the setting (no member dimension
    # in the rollups): the busiest member.
    member = (Encounter.objects.values("author_id").annotate(n=Count("pk")).order_by("-n")[0])[
        "author_id"
    ]
    cases += [
        (
            "dashboard, a month, one member",
            "/dashboard/",
            {"period": "month", "on": "2026-03-15", "member": member},
        ),
        (
            "dashboard, a year, one member",
            "/dashboard/",
            {"period": "year", "on": "2025-06-01", "member": member},
        ),
    ]
    # The last three months of a place (live tables: the rollups have no place for
    # signals and referrals) and of a territory with its sub-territories (rollups).
    from territories.models import Territory

    busiest = (
        Encounter.objects.values("session__place_id").annotate(n=Count("pk")).order_by("-n")[0]
    )["session__place_id"]
    root = Territory.objects.filter(parent__isnull=True).order_by("pk").first()
    cases += [
        ("place, last three months", f"/places/{busiest}/figures/", {}),
        ("territory tree, last three months", f"/territories/{root.pk}/figures/", {}),
    ]
    for label, url_, params in cases:
        p50, p95, queries = _measure(client, url_, params, runs)
        print(f"{label:<34} {p50:>8.1f} {p95:>8.1f} {queries:>8}")
    for fmt in ("pdf", "xlsx"):
        p50, p95, queries = _measure(client, f"/reports/month/2026-03/download.{fmt}", {}, 5)
        print(f"{'monthly ' + fmt.upper():<34} {p50:>8.1f} {p95:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
