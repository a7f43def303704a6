"""Every page, as every role, at 390 and 195 px (200 % zoom), in French and English, in
the states people meet (menu open, form with errors, guard findings, offline banner and
queued items, empty lists): axe-core finds nothing, nothing scrolls sideways, and at
200 % zoom the fixed bars never cover more than a quarter of the screen.

axe-core is vendored under tests/browser/vendor/axe-core/ (MPL-2.0) and injected into
each page; the app never serves it.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from encounters.models import Encounter
from organisations.models import Membership, Organisation, Role
from outreach.models import OutreachSession
from territories.models import Partner, Place, Territory
from tests.organisations.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
PASSWORD = "terrain-demo"

# axe files text the same colour as its background under "incomplete" (it could be a
# hiding trick), which is how a white-on-white menu passed Lighthouse: count it as failed,
# with any other measured contrast below the threshold axe left undecided.
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations', 'incomplete']});
  const nodes = (v, list) => `${v.id}: ${list.slice(0, 3)
    .map((n) => n.target.join(' ') + ' (' + (n.failureSummary || '').split('\\n')[1] + ')')
    .join('; ')}`;
  const found = result.violations.map((v) => nodes(v, v.nodes));
  for (const v of result.incomplete.filter((v) => v.id === 'color-contrast')) {
    const failing = v.nodes.filter((n) => n.any.some((c) => c.data && (
      c.data.messageKey === 'equalRatio'
      || (c.data.contrastRatio
          && c.data.contrastRatio < parseFloat(c.data.expectedContrastRatio)))));
    if (failing.length) found.push(`color-contrast (undecided by axe): ${failing.slice(0, 3)
      .map((n) => n.target.join(' ') + ' ' + JSON.stringify(n.any[0].data)).join('; ')}`);
  }
  return found;
}"""

# Width of the page beyond the viewport, and the share of the screen covered by bars that
# stay put while the content scrolls (fixed or sticky and on screen).
LAYOUT = """() => {
  const overflow = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  let covered = 0;
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (style.position !== 'fixed' && style.position !== 'sticky') continue;
    if (el.closest('details:not([open]) > :not(summary)')) continue;
    const r = el.getBoundingClientRect();
    const visible = Math.min(r.bottom, innerHeight) - Math.max(r.top, 0);
    if (r.width > 0 && visible > 0) covered += visible;
  }
  return {overflow, covered: covered / innerHeight};
}"""


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)
    prades = Organisation.objects.get(slug="evs-prades")
    now = timezone.now()
    planned = (
        OutreachSession.objects.filter(
            organisation=prades, starts_at__gt=now, status="planned", place__isnull=False
        )
        .order_by("starts_at")
        .first()
    )
    done = (
        OutreachSession.objects.filter(organisation=prades, starts_at__lt=now, status="done")
        .order_by("-starts_at")
        .first()
    )
    series_id = (
        OutreachSession.objects.filter(organisation=prades, series__isnull=False)
        .values_list("series_id", flat=True)
        .first()
    )
    territory = Territory.objects.get(organisation=prades, name="Prades")
    # A session under way now: field entries are refused before a session starts.
    ongoing = OutreachSession.objects.create(
        organisation=prades,
        kind=planned.kind,
        territory=planned.territory,
        place=planned.place,
        starts_at=now - timedelta(minutes=30),
        ends_at=now + timedelta(hours=2),
        status="in_progress",
    )
    place = Place.objects.filter(organisation=prades).order_by("pk").first()
    partner = Partner.objects.filter(organisation=prades).order_by("pk").first()
    encounter = Encounter.objects.filter(organisation=prades).order_by("-pk").first()
    month = (timezone.localdate().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    # An organisation with nothing yet: every list shows its empty state.
    empty = OrganisationFactory(name="Nouvelle association", slug="nouvelle")
    newcomer = MembershipFactory(organisation=empty, role=Role.MANAGER).user
    newcomer.set_password(PASSWORD)
    newcomer.save()
    coordinator = [
        "/",
        "/today/",
        "/agenda/",
        "/agenda/?view=month",
        "/sessions/new/",
        "/sessions/series/new/",
        f"/sessions/{planned.pk}/",
        f"/sessions/{planned.pk}/edit/",
        f"/sessions/series/{series_id}/",
        f"/sessions/{planned.pk}/cancel/",
        f"/sessions/{done.pk}/debrief/",
        f"/sessions/{planned.pk}/field/",
        f"/sessions/{planned.pk}/encounters/new/",
        f"/encounters/{encounter.pk}/",
        f"/encounters/{encounter.pk}/edit/",
        "/territories/",
        f"/territories/{territory.pk}/",
        f"/territories/{territory.pk}/edit/",
        f"/territories/{territory.pk}/observations/new/",
        "/territories/new/",
        "/places/",
        "/places/?q=zzzz",
        f"/places/{place.pk}/",
        f"/places/{place.pk}/figures/",
        f"/territories/{territory.pk}/figures/",
        "/places/new/",
        "/partners/",
        f"/partners/{partner.pk}/",
        "/partners/new/",
        "/referrals/",
        "/reports/",
        f"/reports/month/{month}/",
        "/calendar/",
        "/dashboard/",
        "/password_change/",
    ]
    return {
        "place": place,
        "territory": territory,
        "planned": planned,
        "ongoing": ongoing,
        "roles": {
            "coordination@prades.demo": coordinator,
            "benevole@prades.demo": [
                "/",
                "/today/",
                f"/sessions/{planned.pk}/field/",
                f"/sessions/{planned.pk}/encounters/new/",
                "/referrals/",
                "/agenda/",
            ],
            "direction@prades.demo": [
                "/dashboard/",
                "/dashboard/?period=year",
                "/members/",
                "/members/invite/",
                f"/members/{Membership.objects.filter(organisation=prades).first().pk}/",
                "/organisation/settings/",
                f"/reports/month/{month}/",
            ],
            "federation@terrain.demo": ["/", f"/federation/month/{month}/"],
            newcomer.email: [
                "/",
                "/today/",
                "/agenda/",
                "/territories/",
                "/places/",
                "/partners/",
                "/referrals/",
                "/reports/",
                "/dashboard/",
                "/members/",
            ],
        },
    }


class Audit:
    """Collects what axe and the layout checks find, page by page, to report at once."""

    def __init__(self, width: int):
        self.width = width
        self.problems: list[str] = []

    def check(self, page, what: str) -> None:
        if not page.evaluate("typeof axe !== 'undefined'"):
            page.add_script_tag(content=AXE)
        for violation in page.evaluate(RUN_AXE):
            self.problems.append(f"{what}: {violation}")
        layout = page.evaluate(LAYOUT)
        if layout["overflow"] > 0:
            self.problems.append(f"{what}: {layout['overflow']} px of sideways scroll")
        if self.width < 300 and layout["covered"] > 0.25:
            self.problems.append(f"{what}: fixed bars cover {layout['covered']:.0%} of the screen")


def _phone(chromium, live_server, width: int, lang: str):
    context = chromium.new_context(
        viewport={"width": width, "height": 844 if width >= 390 else 422},
        is_mobile=True,
        has_touch=True,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        base_url=live_server.url,
        # axe is injected as a script tag: our CSP (script-src 'self') would refuse it.
        bypass_csp=True,
    )
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    return context


def _login(context, email: str):
    page = context.new_page()
    page.goto("/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    return page


def _states(page, audit: Audit, label: str, planned, ongoing, place, territory) -> None:
    """The states a page does not show as loaded."""
    # The last three months, loaded into the place and territory pages by htmx.
    for url in (f"/places/{place.pk}/", f"/territories/{territory.pk}/"):
        page.goto(url)
        page.locator("#recent-figures").wait_for()
        audit.check(page, f"{label} {url} with its figures")
    # Forms sent empty or wrong: errors beside the fields.
    for url in ("/places/new/", "/sessions/new/", f"/sessions/{planned.pk}/cancel/"):
        page.goto(url)
        page.locator("main form [type=submit]").last.click()
        page.wait_for_load_state()
        audit.check(page, f"{label} {url} with errors")
    # The planning form's warning of a clash, shown as the form changes (htmx).
    page.goto("/sessions/new/")
    start = timezone.localtime(planned.starts_at)
    if planned.place_id:
        page.select_option("#id_place", value=str(planned.place_id))
    page.fill("#id_day", start.date().isoformat())
    page.fill("#id_start_time", start.strftime("%H:%M"))
    page.fill("#id_end_time", (start + timedelta(hours=1)).strftime("%H:%M"))
    page.locator("#id_end_time").dispatch_event("change")
    expect(page.locator("#planning-check li").first).to_be_visible()
    audit.check(page, f"{label} planning form with a clash")
    # The anonymity guard's findings, highlighted in the note.
    page.goto(f"/sessions/{ongoing.pk}/encounters/new/")
    page.locator("textarea[name=note]").fill("Mme Martin, 06 12 34 56 78, 3 rue des Lilas")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".screened")).to_be_visible()
    audit.check(page, f"{label} conversation with guard findings")


def _offline_states(page, audit: Audit, label: str, planned) -> None:
    """Offline: the queue counter in the header and the "saved on this phone" banner."""
    page.goto(f"/sessions/{planned.pk}/field/")
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=20_000)
    form_url = f"/sessions/{planned.pk}/encounters/new/"
    page.wait_for_function(
        f"caches.open('terrain-pages').then(c => c.match('{form_url}')).then(Boolean)",
        timeout=20_000,
    )
    page.context.set_offline(True)
    page.locator("button.tap-contact").click()
    expect(page.locator("#queue-status")).to_be_visible()
    audit.check(page, f"{label} field mode offline with a queued tap")
    page.locator(f"a[href='{form_url}']").first.click()
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("#queued-note")).to_be_visible()
    audit.check(page, f"{label} offline banner and queued items")
    page.context.set_offline(False)


@pytest.mark.parametrize("width", [390, 195], ids=["390px", "195px-200%-zoom"])
def test_axe_finds_nothing_in_any_state(chromium, live_server, demo, width):
    audit = Audit(width)
    for lang in ("fr", "en"):
        for email, pages in demo["roles"].items():
            context = _phone(chromium, live_server, width, lang)
            page = _login(context, email)
            for url in pages:
                response = page.goto(url)
                assert response.status == 200, (url, response.status)
                label = f"[{lang} {width}px {email}] {url}"
                audit.check(page, label)
            # The menus, open.
            page.goto("/")
            for menu in page.locator("details.menu > summary").all():
                menu.click()
                audit.check(page, f"[{lang} {width}px {email}] menu open")
                menu.click()
            if email == "coordination@prades.demo":
                _states(
                    page,
                    audit,
                    f"[{lang} {width}px {email}]",
                    demo["planned"],
                    demo["ongoing"],
                    demo["place"],
                    demo["territory"],
                )
            if email == "benevole@prades.demo" and lang == "fr":
                _offline_states(page, audit, f"[{lang} {width}px {email}]", demo["planned"])
            context.close()
    assert audit.problems == [], "\n".join(audit.problems)


def test_the_audit_sees_a_contrast_failure(chromium, live_server, demo):
    """The check itself: white text on white, as the account menu once was, is caught."""
    audit = Audit(390)
    context = _phone(chromium, live_server, 390, "fr")
    page = _login(context, "coordination@prades.demo")
    page.locator("details.account-menu > summary").click()
    page.add_style_tag(content=".topbar .menu-panel a.menu-item { color: #fff; }")
    audit.check(page, "menu")
    context.close()
    assert any(re.search(r"color-contrast", p) for p in audit.problems)
