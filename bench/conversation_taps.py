"""How long a typical conversation takes to log on a phone: taps, screens and time.

A volunteer, in field mode at 390x844 in Chromium, logs one conversation: an age band,
two topics, one non-take-up signal (RSA, the person did not know it) and one referral
(to the CAF), then saves. The script plays it as a person would (tap the chips, open the
closed parts, open a drop-down and pick in it) and prints:

- taps: every tap on the screen; a drop-down counts two (open it, pick in it);
- drop-downs opened, and screens scrolled (page height / screen height) to reach the
  last control;
- seconds: a keystroke-level estimate (K. Card, T. Moran, A. Newell): 1.5 s to find
  and tap a chip or a button, 3 s for a drop-down (open, read, scroll, pick), 1 s per
  screen scrolled; the typing of a note is left out (the same in every design);
- the wall-clock time the automation took (machine time, for reference only).

    .venv/bin/python bench/conversation_taps.py            # own server, demo data
    .venv/bin/python bench/conversation_taps.py --base http://127.0.0.1:8000   # running one

Like scripts/screenshots.py, without --base it migrates a throw-away SQLite database,
loads seed_demo and serves it with runserver on a free port.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/lib/chromium/chromium")
TAP_S, DROPDOWN_S, SCROLL_S = 1.5, 3.0, 1.0


class Taps:
    def __init__(self, page: Page):
        self.page = page
        self.taps = 0
        self.dropdowns = 0
        self.lowest = 0.0  # bottom of the lowest control touched, in page pixels

    def _seen(self, locator) -> None:
        box = locator.bounding_box()
        scroll = self.page.evaluate("scrollY")
        if box:
            self.lowest = max(self.lowest, scroll + box["y"] + box["height"])

    def tap(self, locator) -> None:
        locator.scroll_into_view_if_needed()
        self._seen(locator)
        locator.click()
        self.taps += 1

    def choose(self, select, label: str) -> None:
        select.scroll_into_view_if_needed()
        self._seen(select)
        select.select_option(label=label)
        self.taps += 2
        self.dropdowns += 1


def _chip_or_select(t: Taps, page: Page, name: str, label: str) -> None:
    """Pick ``label`` for the field ``name``: a chip (radio) if the form has one."""
    chip = page.locator(f"label.chip:has(input[name='{name}'])", has_text=label)
    if chip.count():
        t.tap(chip.first)
    else:
        t.choose(page.locator(f"select[name='{name}']"), label)


def _open(t: Taps, page: Page, summary_text: str) -> None:
    """Open the closed part whose title is ``summary_text`` (a regular expression)."""
    summary = page.locator("details.rows > summary", has_text=re.compile(summary_text))
    if summary.count() and not summary.first.evaluate("s => s.parentElement.open"):
        t.tap(summary.first)


def conversation(page: Page, session_pk: int) -> dict:
    page.goto(f"/sessions/{session_pk}/field/")
    started = time.monotonic()
    t = Taps(page)
    t.tap(page.locator("a[href$='/encounters/new/']").first)
    page.wait_for_selector("form.encounter-form")
    top = page.url
    t.tap(page.locator("label.chip", has_text="40–59 ans").first)
    t.tap(page.locator("label.chip", has_text="Droits et prestations").first)
    t.tap(page.locator("label.chip", has_text="Logement").first)
    _open(t, page, r"^\s*Signa.* non-recours")
    _chip_or_select(t, page, "signals-0-right", "RSA")
    _open(t, page, r"^\s*Orientations\s*$")
    caf = page.locator("select[name='referrals-0-partner'] option", has_text="CAF")
    label = caf.first.inner_text().strip() if caf.count() else "CAF"
    _chip_or_select(t, page, "referrals-0-partner", label)
    height = page.evaluate("innerHeight")
    screens = max(t.lowest / height - 1, 0)
    t.tap(page.locator("form.encounter-form button[type=submit]").first)
    page.wait_for_url(lambda url: url != top)
    wall = time.monotonic() - started
    estimate = (t.taps - 2 * t.dropdowns) * TAP_S + t.dropdowns * DROPDOWN_S + screens * SCROLL_S
    return {
        "taps": t.taps,
        "dropdowns": t.dropdowns,
        "screens": round(screens, 1),
        "seconds": round(estimate, 1),
        "wall": round(wall, 2),
        "saved": "/field/" in page.url,
    }


def _serve() -> tuple[subprocess.Popen, str]:
    db = Path(tempfile.mkdtemp()) / "taps.sqlite3"
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": f"sqlite:///{db}"}
    for args in (["migrate", "-v0"], ["seed_demo", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.2)
    return server, f"http://127.0.0.1:{port}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", help="a running server with the demo data")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    server = None
    base = args.base
    if not base:
        server, base = _serve()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
            )
            context = browser.new_context(
                viewport={"width": 390, "height": 844},
                is_mobile=True,
                has_touch=True,
                locale="fr-FR",
                timezone_id="Europe/Paris",
                base_url=base,
            )
            page = context.new_page()
            page.goto("/login/")
            page.fill("input[name=username]", "benevole@prades.demo")
            page.fill("input[name=password]", "terrain-demo")
            page.click("main button[type=submit]")
            page.wait_for_load_state()
            page.goto("/today/")
            # Today's session, or else the next one (field mode opens for any session).
            link = page.locator("main a[href^='/sessions/']").first
            session_pk = int(link.get_attribute("href").strip("/").split("/")[1])
            for run in range(args.runs):
                r = conversation(page, session_pk)
                print(
                    f"run {run + 1}: {r['taps']} taps ({r['dropdowns']} drop-downs), "
                    f"{r['screens']} screens scrolled, about {r['seconds']} s for a person "
                    f"(automation {r['wall']} s), saved: {r['saved']}"
                )
            browser.close()
    finally:
        if server:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
