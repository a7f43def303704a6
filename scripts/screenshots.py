"""Take screenshots of the main pages at a phone's size (390x844) into docs/screenshots/.

Runs its own server on a throw-away SQLite database loaded with the demo data, logs in
as demo users in headless Debian Chromium, and saves one PNG per page.
Usage: make screenshots   (or DEBUG=true .venv/bin/python scripts/screenshots.py)
"""

from __future__ import annotations

import datetime
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/lib/chromium/chromium")
PASSWORD = "terrain-demo"

# (file name, demo user, path, what to do on the page before the shot)
PAGES: list[tuple[str, str, str, str | None]] = [
    ("01-login", "", "/login/", None),
    ("02-home-coordinator", "coordination@prades.demo", "/", None),
    ("03-territories", "coordination@prades.demo", "/territories/", None),
    ("04-territory-detail", "coordination@prades.demo", "territory:Prades", None),
    ("05-places-search", "benevole@prades.demo", "/places/?q=marche", None),
    ("06-partners", "benevole@prades.demo", "/partners/", None),
    ("07-place-form-invalid", "coordination@prades.demo", "/places/new/", "submit"),
    ("08-members", "direction@prades.demo", "/members/", None),
    ("09-switch-organisation", "federation@terrain.demo", "/", "open-org-menu"),
    ("10-today-volunteer", "benevole@prades.demo", "/today/", None),
    ("11-field-mode", "benevole@prades.demo", "/today/", "field"),
    ("12-new-conversation", "benevole@prades.demo", "/today/", "conversation"),
    ("13-conversation-phone-number", "benevole@prades.demo", "/today/", "identifying-note"),
    ("14-agenda-week", "coordination@prades.demo", "/agenda/", None),
    ("15-referrals-to-follow", "coordination@prades.demo", "/referrals/", None),
    ("16-dashboard", "direction@prades.demo", "/dashboard/?period=year", None),
    ("17-dashboard-charts", "direction@prades.demo", "/dashboard/?period=year", "scroll-charts"),
    ("18-monthly-report", "direction@prades.demo", "report:previous-month", None),
    ("19-account-menu", "coordination@prades.demo", "/", "open-account-menu"),
    ("20-conversation-signal-referral", "benevole@prades.demo", "/today/", "conversation-rows"),
]
EXTRA = os.environ.get("SCREENSHOT_PAGES", "")  # "name=user=path;..." for later pages


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    db = Path(tempfile.mkdtemp()) / "screens.sqlite3"
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": f"sqlite:///{db}"}
    _manage(env, "migrate", "-v0")
    _manage(env, "seed_demo", "-v0")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        _shoot(base)
    finally:
        server.terminate()
        server.wait(10)


def _shoot(base: str) -> None:
    pages = list(PAGES)
    for item in filter(None, EXTRA.split(";")):
        name, user, path = item.split("=", 2)
        pages.append((name, user, path, None))
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        contexts: dict[str, object] = {}
        for name, user, path, action in pages:
            if user not in contexts:
                context = browser.new_context(
                    viewport={"width": 390, "height": 844},
                    device_scale_factor=1,
                    is_mobile=True,
                    has_touch=True,
                    locale="fr-FR",
                    timezone_id="Europe/Paris",
                    base_url=base,
                )
                if user:
                    page = context.new_page()
                    page.goto("/login/")
                    page.fill("input[name=username]", user)
                    page.fill("input[name=password]", PASSWORD)
                    page.click("main button[type=submit]")
                    page.wait_for_load_state()
                    page.close()
                contexts[user] = context
            page = contexts[user].new_page()
            if path == "report:previous-month":
                today = datetime.date.today()
                first = today.replace(day=1) - datetime.timedelta(days=1)
                page.goto(f"/reports/month/{first:%Y-%m}/")
            elif path.startswith("territory:"):
                page.goto("/territories/?q=" + path.split(":", 1)[1])
                page.click("#results a.card-link >> nth=0")
            else:
                page.goto(path)
            if action == "submit":
                page.fill("input[name=name]", "Parvis de la médiathèque")
                page.fill("input[name=latitude]", "42.61")
                page.click("main button[type=submit].primary")
            elif action == "open-org-menu":
                page.click(".org-menu summary")
            elif action == "open-account-menu":
                page.click(".account-menu summary")
            elif action in ("field", "conversation", "identifying-note", "conversation-rows"):
                # Today's session, or (on a day without one) the next from its page.
                if not page.locator("main a:has-text('Mode terrain')").count():
                    page.click("main a[href^='/sessions/']")
                    page.wait_for_load_state("networkidle")
                page.click("main a:has-text('Mode terrain')")
                page.wait_for_load_state("networkidle")
                if action != "field":
                    page.click("text=Nouvel échange")
                    page.wait_for_load_state("networkidle")
                if action == "conversation-rows":
                    page.click("details.rows > summary")
                    page.locator("details.rows > summary").first.scroll_into_view_if_needed()
                if action == "identifying-note":
                    page.fill("textarea[name=note]", "Mme Garcia, joignable au 06 12 34 56 78.")
                    page.click("main button[type=submit].primary")
                    page.wait_for_load_state("networkidle")
                    page.locator(".screened").scroll_into_view_if_needed()
            elif action == "scroll-charts":
                page.locator("figure.chart").first.scroll_into_view_if_needed()
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)
            print(f"docs/screenshots/{name}.png")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
