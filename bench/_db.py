"""The benchmarks' own PostgreSQL databases: made when missing, so that a script runs
on a fresh machine without a `createdb` by hand."""

from __future__ import annotations

import sys


def ensure_database(url: str) -> None:
    """Create the database named at the end of ``url`` if it does not exist yet.

    Only names starting with ``terrain_bench`` are accepted: a benchmark never touches
    another database."""
    import psycopg
    from psycopg import sql

    if not url.startswith(("postgres://", "postgresql://")):
        return  # SQLite: the file is created on connection.
    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    if not name.startswith("terrain_bench"):
        sys.exit(f"A bench database name must start with terrain_bench (got {name!r}).")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created the database {name}.", file=sys.stderr)


def start_now_code(email: str = "benevole@prades.demo", slug: str = "evs-prades") -> str:
    """Python for ``manage.py shell -c`` that starts an action now for a demo member and
    prints ``PK <id>``: field entries are refused on a session that has not started, so
    a benchmark posting conversations needs one under way (a planned one may be days off)."""
    return (
        "from organisations.models import Membership;"
        "from outreach import services;"
        "from territories.models import Territory;"
        f"m = Membership.objects.select_related('organisation', 'user').get("
        f"organisation__slug={slug!r}, user__username={email!r});"
        "t = Territory.objects.filter(organisation=m.organisation).order_by('pk').first();"
        "s = services.session_start_now(organisation=m.organisation, kind='stand',"
        " territory=t, place=None, member=m.user);"
        "print('PK', s.pk)"
    )
