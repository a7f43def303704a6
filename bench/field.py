"""Field mode under load: page weight on a phone and the latency of logging a conversation.

Against gunicorn (2 sync workers) on a dedicated PostgreSQL database filled by seed_demo:

- for the field page and the conversation form, in Chromium at 390x844: compressed
  bytes and number of requests on a first load (empty cache) and on a later load
  (the service worker serves the static files and keeps the page);
- p50/p95/p99 of POSTing a conversation at 8 and 32 concurrent connections (each one
  logged in, keep-alive, a new client UUID per post, a bounded number of posts);
- at 8 connections, the CPU time per post of the gunicorn workers, of PostgreSQL and of
  the load generator (from /proc: where the two cores go);
- for reference, the same at 8 connections for a replay (a UUID already saved: the
  login, the session and the UUID lookup, then a redirect; no form, no write): the
  floor of an authenticated POST on this machine.

    .venv/bin/python bench/field.py

Loopback only. The database is created if missing, migrated and seeded on each run;
the posted encounters are deleted at the end.
"""

from __future__ import annotations

import http.client
import os
import re
import resource
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._http import Member  # noqa: E402

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/terrain_bench_field"
)
HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8013"))
EMAIL, PASSWORD = "benevole@prades.demo", "terrain-demo"
POSTS_PER_LEVEL = {8: 400, 32: 800}
SKIP_POSTS = os.environ.get("BENCH_SKIP_POSTS") == "1"
CHROMIUM = "/usr/lib/chromium/chromium"

ENV = {
    **os.environ,
    "DATABASE_URL": DATABASE_URL,
    "DEBUG": "false",
    "SECRET_KEY": "bench-field-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
    "AXES_FAILURE_LIMIT": "1000",
}


def manage(*args: str) -> str:
    return subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", *args],
        cwd=ROOT,
        env=ENV,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def session_pk() -> int:
    """An action started now by the demo volunteer (entries need a session under way)."""
    from bench._db import start_now_code

    out = manage("shell", "-c", start_now_code())
    return int(re.search(r"PK (\d+)", out).group(1))


def conversation(token: str, client_uuid: str | None = None) -> dict:
    return {
        "csrfmiddlewaretoken": token,
        "client_uuid": client_uuid or str(uuid.uuid4()),
        "kind": "conversation",
        "age_band": "40_59",
        "gender": "woman",
        "first_time": "True",
        "topics": ["rights", "energy"],
        "duration_band": "5_15",
        "language": "fr",
        "note": "Ne connaissait pas le chèque énergie ; orientée vers le CCAS.",
        "signals-TOTAL_FORMS": "3",
        "signals-INITIAL_FORMS": "0",
        "signals-0-right": "",
        "referrals-TOTAL_FORMS": "2",
        "referrals-INITIAL_FORMS": "0",
        "referrals-0-partner_kind": "ccas",
        "referrals-0-outcome": "proposed",
    }


def post_latency(pk: int, connections: int, total: int, replay: str | None = None) -> list[float]:
    """Timings of ``total`` posts over ``connections`` connections; with ``replay``, every
    post carries that UUID (saved by the first one)."""
    members = []
    for _ in range(connections):
        member = Member(HOST, PORT, EMAIL, PASSWORD)
        member.login()
        _, html = member.request("GET", f"/sessions/{pk}/encounters/new/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        members.append((member, token))
    timings: list[float] = []
    lock = threading.Lock()
    per = total // connections

    def run(member: Member, token: str) -> None:
        mine = []
        for _ in range(per):
            start = time.perf_counter()
            status, _ = member.request(
                "POST", f"/sessions/{pk}/encounters/new/", conversation(token, replay)
            )
            mine.append(time.perf_counter() - start)
            assert status == 302, status
        with lock:
            timings.extend(mine)

    threads = [threading.Thread(target=run, args=m) for m in members]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return timings


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue  # a PostgreSQL backend that has ended
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _postgres() -> list[int]:
    out = subprocess.run(["pgrep", "-f", "postgres: "], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def cpu_per_post(
    server: subprocess.Popen, pk: int, connections: int, total: int
) -> tuple[list[float], str]:
    """Post as post_latency does, and say how much CPU each post cost, by process."""
    workers, postgres = _children(server.pid), _postgres()
    me = resource.getrusage(resource.RUSAGE_SELF)
    before = (_cpu_seconds(workers), _cpu_seconds(postgres), me.ru_utime + me.ru_stime)
    timings = post_latency(pk, connections, total)
    me = resource.getrusage(resource.RUSAGE_SELF)
    after = (_cpu_seconds(workers), _cpu_seconds(postgres), me.ru_utime + me.ru_stime)
    workers_ms, postgres_ms, client_ms = (
        1000 * (b - a) / len(timings) for a, b in zip(before, after, strict=True)
    )
    return timings, (
        f"CPU per post: gunicorn workers {workers_ms:.1f} ms, PostgreSQL {postgres_ms:.1f} ms, "
        f"load generator {client_ms:.1f} ms"
    )


def percentiles(timings: list[float]) -> str:
    q = statistics.quantiles(timings, n=100)
    return f"p50 {q[49] * 1000:.1f} ms, p95 {q[94] * 1000:.1f} ms, p99 {q[98] * 1000:.1f} ms"


# --- Page weight in Chromium ------------------------------------------------------------


def _login(context) -> object:
    page = context.new_page()
    page.goto("/login/")
    page.fill("input[name=username]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    # Let the page after login finish (its icon comes late): not counted as the next one.
    page.wait_for_load_state("networkidle")
    return page


def _measure(context, page, path: str) -> tuple[int, int, int, int]:
    """HTML bytes, all bytes from the network (compressed, as sent), requests to the
    server, and requests answered by the service worker, for one load of ``path``."""
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    responses: dict[str, dict] = {}
    sizes: dict[str, int] = {}
    cdp.on("Network.responseReceived", lambda e: responses.__setitem__(e["requestId"], e))
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    page.goto(path, wait_until="networkidle")
    page.wait_for_timeout(500)
    html = server = from_sw = requests = 0
    for rid, event in responses.items():
        if event["response"].get("fromServiceWorker"):
            from_sw += 1
            continue
        requests += 1
        server += sizes.get(rid, 0)
        if event["type"] == "Document":
            html = sizes.get(rid, 0) - len(str(event["response"].get("headersText", "")))
    cdp.detach()
    return html, server, requests, from_sw


def page_weight(pk: int) -> list[str]:
    from playwright.sync_api import sync_playwright

    lines = []
    args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
    ]
    base = {"viewport": {"width": 390, "height": 844}, "base_url": f"http://{HOST}:{PORT}"}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=args)
        for path, name in (
            (f"/sessions/{pk}/field/", "field page"),
            (f"/sessions/{pk}/encounters/new/", "conversation form"),
        ):
            # First load: empty cache, no service worker yet (blocked while logging in,
            # so that the login page does not install it first).
            context = browser.new_context(service_workers="block", **base)
            page = _login(context)
            context.new_cdp_session(page).send("Network.clearBrowserCache")
            first = _measure(context, page, path)
            context.close()
            # Later load: the service worker from the first visit is in control.
            context = browser.new_context(**base)
            page = _login(context)
            page.goto(path, wait_until="networkidle")
            page.wait_for_function("navigator.serviceWorker.controller !== null")
            page.wait_for_timeout(1000)
            later = _measure(context, page, path)
            context.close()
            for label, (html, total, requests, from_sw) in (
                ("first load", first),
                ("later load", later),
            ):
                lines.append(
                    f"| {name} | {label} | {html / 1024:.1f} KB | {total / 1024:.1f} KB "
                    f"| {requests} | {from_sw} |"
                )
        browser.close()
    return lines


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from bench._db import ensure_database

    ensure_database(DATABASE_URL)
    manage("migrate", "--verbosity", "0")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    manage("seed_demo")
    pk = session_pk()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "outreach.wsgi",
            "--workers",
            "2",
            "--bind",
            f"{HOST}:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
    )
    try:
        for _ in range(50):
            try:
                http.client.HTTPConnection(HOST, PORT, timeout=1).request("GET", "/login/")
                break
            except OSError:
                time.sleep(0.2)
        print(
            "| page | load | HTML (compressed) | all transferred | requests to the server "
            "| served by the service worker |"
        )
        print("|---|---|---|---|---|---|")
        for line in page_weight(pk):
            print(line)
        print()
        for connections, total in {} if SKIP_POSTS else POSTS_PER_LEVEL.items():
            post_latency(pk, connections, connections * 5)  # warm-up
            timings, cpu = cpu_per_post(server, pk, connections, total)
            print(
                f"POST a conversation, {connections} connections, {len(timings)} posts: "
                f"{percentiles(timings)}"
            )
            if connections == 8:
                print(cpu)
        if not SKIP_POSTS:
            replay = str(uuid.uuid4())
            post_latency(pk, 8, 8 * 5, replay)  # saves it once, and warms up
            timings = post_latency(pk, 8, POSTS_PER_LEVEL[8], replay)
            print(f"Replay of a saved conversation, 8 connections: {percentiles(timings)}")
    finally:
        server.terminate()
        server.wait(timeout=10)
        manage(
            "shell",
            "-c",
            "from encounters.models import Encounter;"
            "Encounter.objects.filter(note__startswith='Ne connaissait pas le chèque énergie ;')"
            ".delete()",
        )


if __name__ == "__main__":
    main()
