"""Migrate a database made by an earlier release forward, and check no row is lost.

    python scripts/check_upgrade.py [--from REV] [--database NAME]

Checks REV (default: the last commit before the layers moved, b3cc6eb) out into a
temporary git worktree, migrates a fresh PostgreSQL database with it and loads the demo
data there, counts the rows of every table, then migrates the same database with this
checkout's code and counts again. Prints both counts and exits 1 if any table lost or
gained a row, or if a table disappeared. Needs PostgreSQL on 127.0.0.1:5432 (trust auth,
user postgres), as on the development machines and in CI.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SERVER = "postgres://postgres@127.0.0.1:5432"


def counts(dbname: str) -> dict[str, int]:
    with psycopg.connect(f"{SERVER}/{dbname}", autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def manage(cwd: Path, dbname: str, *args: str) -> None:
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": f"{SERVER}/{dbname}"}
    subprocess.run([PYTHON, "manage.py", *args], cwd=cwd, env=env, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="rev", default="b3cc6eb")
    parser.add_argument("--database", default="terrain_upgrade_check")
    args = parser.parse_args()
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
        conn.execute(f'CREATE DATABASE "{args.database}"')
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "previous"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(old), args.rev],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        try:
            manage(old, args.database, "migrate", "--verbosity", "0")
            manage(old, args.database, "seed_demo", "--verbosity", "0")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT)
    before = counts(args.database)
    manage(ROOT, args.database, "migrate", "--verbosity", "0")
    after = counts(args.database)
    lost = False
    print(f"{'table':<40} {'before':>9} {'after':>9}")
    for table, n in before.items():
        m = after.get(table)
        changed = table != "django_migrations" and m != n
        lost |= changed
        shown = "GONE" if m is None else m
        print(f"{table:<40} {n:>9} {shown:>9}" + ("  <-- differs" if changed else ""))
    print("\n" + ("ROWS DIFFER" if lost else f"Same rows in all {len(before) - 1} tables."))
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
