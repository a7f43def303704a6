"""The worst requests a member can send, against gunicorn: each must answer well under 1 s.

Against gunicorn (2 sync workers) on a throw-away SQLite database seeded by seed_demo,
logged in as the demo volunteer (and the demo manager for the report text), it sends
each of these N times and prints the status and the latency (p50 and max):

- the longest note the form accepts (2,000 characters) full of findings (screened,
  highlighted, refused with 422);
- a note one character too long (refused before screening);
- a forged formset (signals-TOTAL_FORMS=99999999, referrals too);
- a body of 600 KB (over DATA_UPLOAD_MAX_MEMORY_SIZE: 413);
- 500 extra fields (over DATA_UPLOAD_MAX_NUMBER_FIELDS: 400);
- a monthly report's three sections of 10,000 characters full of findings (manager).

    .venv/bin/python bench/limits.py        # BENCH_PORT=8101, BENCH_RUNS=20

Loopback only; the database file is deleted at the end.
"""

from __future__ import annotations

import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._db import start_now_code  # noqa: E402
from bench._http import Member  # noqa: E402

PYTHON = os.environ.get("BENCH_PYTHON", sys.executable)
HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8101"))
RUNS = int(os.environ.get("BENCH_RUNS", "20"))
DB = Path(tempfile.gettempdir()) / f"terrain-bench-limits-{os.getpid()}.sqlite3"
ENV = {
    **os.environ,
    "DATABASE_URL": f"sqlite:///{DB}",
    "DEBUG": "false",
    "SECRET_KEY": "bench-limits-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "CRITICAL",
    "AXES_FAILURE_LIMIT": "1000",
}
FINDINGS = "Mme Dupont 06 12 34 56 78 jean.dupont@gmail.com 12 rue des Lilas né le 12/03/1985 "


def manage(*args: str) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=ENV, check=True, capture_output=True, text=True
    ).stdout


def conversation(token: str, **overrides) -> dict:
    data = {
        "csrfmiddlewaretoken": token,
        "client_uuid": str(uuid.uuid4()),
        "kind": "conversation",
        "age_band": "40_59",
        "gender": "woman",
        "first_time": "True",
        "topics": ["rights"],
        "duration_band": "5_15",
        "language": "fr",
        "note": "Ne connaissait pas le chèque énergie.",
        "signals-TOTAL_FORMS": "3",
        "signals-INITIAL_FORMS": "0",
        "referrals-TOTAL_FORMS": "2",
        "referrals-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def measure(label: str, member: Member, path: str, make_body) -> None:
    times, statuses, sizes = [], set(), []
    for _ in range(RUNS):
        body = make_body()
        start = time.perf_counter()
        status, html = member.request("POST", path, body)
        times.append((time.perf_counter() - start) * 1000)
        statuses.add(status)
        sizes.append(len(html))
    print(
        f"{label}: status {sorted(statuses)}, p50 {statistics.median(times):.0f} ms, "
        f"max {max(times):.0f} ms, page {max(sizes) // 1024} KB"
    )


def main() -> None:
    manage("migrate", "--noinput")
    manage("seed_demo")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    session = int(
        re.search(
            r"PK (\d+)",
            manage(
                "shell",
                "-c",
                start_now_code(),
            ),
        ).group(1)
    )
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "outreach.wsgi",
            "--workers",
            "2",
            "--bind",
            f"{HOST}:{PORT}",
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env=ENV,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection(HOST, PORT, timeout=1).request("GET", "/login/")
                break
            except OSError:
                time.sleep(0.1)
        volunteer = Member(HOST, PORT, "benevole@prades.demo")
        volunteer.login()
        path = f"/sessions/{session}/encounters/new/"
        token = volunteer.token(path)
        worst_note = (FINDINGS * 40)[:2000]
        measure(
            "2,000-character note full of findings",
            volunteer,
            path,
            lambda: conversation(token, note=worst_note),
        )
        measure(
            "2,001-character note",
            volunteer,
            path,
            lambda: conversation(token, note="a" * 2001),
        )
        measure(
            "forged TOTAL_FORMS=99999999",
            volunteer,
            path,
            lambda: conversation(
                token,
                **{"signals-TOTAL_FORMS": "99999999", "referrals-TOTAL_FORMS": "99999999"},
            ),
        )
        measure("600 KB body", volunteer, path, lambda: conversation(token, note="a" * 600_000))
        measure(
            "500 extra fields",
            volunteer,
            path,
            lambda: conversation(token, **{f"x{i}": "1" for i in range(500)}),
        )
        manager = Member(HOST, PORT, "direction@prades.demo")
        manager.login()
        month = time.strftime("%Y-%m")
        report = f"/reports/month/{month}/"
        manager_token = manager.token(report)
        section = (FINDINGS * 200)[:10_000]
        measure(
            "report text, 3 x 10,000 characters full of findings",
            manager,
            report + "text/",
            lambda: {
                "csrfmiddlewaretoken": manager_token,
                "highlights": section,
                "difficulties": section,
                "partnerships": section,
            },
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
        DB.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
