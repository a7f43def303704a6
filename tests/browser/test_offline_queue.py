"""The offline queue as a volunteer lives it, in Chromium at 390x844 (issue 11): items
are independent, a stale token or an expired login keeps the item (first send as on a
replay), the field page tells the truth offline, and logging out never drops anything."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from encounters.models import ContactTap, Encounter
from organisations.models import Role
from outreach.models import OutreachSession
from tests.browser.test_field_mode import (
    QUEUE_IS_EMPTY,
    _fill_conversation,
    _open_field,
    _wait_until,
)
from tests.organisations.factories import MembershipFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery"


def _session_now(org, user, **extra):
    now = timezone.now()
    return OutreachSessionFactory(
        territory=TerritoryFactory(organisation=org),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=2),
        members=[user],
        **extra,
    )


@pytest.fixture
def volunteer(org):
    return MembershipFactory(organisation=org, role=Role.VOLUNTEER).user


def _ready(page, *paths):
    """The service worker controls the page and keeps ``paths`` for no signal."""
    _wait_until(page, "navigator.serviceWorker.controller !== null")
    for path in paths:
        _wait_until(
            page, f"caches.open('terrain-pages').then(c => c.match('{path}')).then(Boolean)"
        )


def _tap(page, name="Contact bref"):
    page.get_by_role("button", name=re.compile(name)).click()


def _queue(page):
    return page.evaluate("TerrainQueue.all()")


def _login_behind(page, email):
    """Log in again through the browser's own cookies, not the page: the page keeps the
    CSRF token it was rendered with, now stale (what another tab does)."""
    request = page.context.request

    def token(path):
        html = request.get(path).text()
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    request.post(
        "/logout/", form={"csrfmiddlewaretoken": token("/")}, headers={"Referer": page.url}
    )
    response = request.post(
        "/login/",
        form={"csrfmiddlewaretoken": token("/login/"), "username": email, "password": PASSWORD},
        headers={"Referer": page.url},
    )
    assert response.ok


def test_a_refused_item_does_not_block_the_others(login, org, volunteer):
    """Offline, two taps on a session that the coordinator then replaces (404) and two
    on another session: back online the second session gets its two taps, the first two
    wait in "À revoir" with their reason."""
    replaced = _session_now(org, volunteer)
    other = _session_now(org, volunteer)
    page = _open_field(login, volunteer, replaced)
    page.goto("/today/")
    _ready(page, f"/sessions/{replaced.pk}/field/", f"/sessions/{other.pk}/field/")
    page.context.set_offline(True)
    for session in (replaced, other):
        page.goto(f"/sessions/{session.pk}/field/")
        for n in (1, 2):
            _tap(page)
            expect(page.locator("[data-count=contact]")).to_have_text(str(n))
    expect(page.locator("#queue-status")).to_have_text("4 en attente")
    OutreachSession.objects.filter(pk=replaced.pk).delete()

    page.context.set_offline(False)
    status = page.locator("#queue-status")
    expect(status).to_have_text("2 à revoir", timeout=30_000)
    assert ContactTap.objects.filter(session=other).count() == 2
    assert OutreachSession.objects.get(pk=other.pk).brief_contacts == 2
    status.click()
    items = page.locator("#queue-list li[data-state=review]")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("cette action n’existe plus")
    # Discarding is the volunteer's choice, asked once per item.
    page.once("dialog", lambda dialog: dialog.accept())
    items.first.get_by_role("button", name="Supprimer").click()
    expect(items).to_have_count(1)
    expect(status).to_have_text("1 à revoir")


def test_a_stale_token_on_first_send_keeps_the_tap_until_login(login, org, volunteer):
    session = _session_now(org, volunteer)
    page = _open_field(login, volunteer, session)
    _ready(page)
    _login_behind(page, volunteer.email)  # another tab: this page's token is now stale
    _tap(page)
    status = page.locator("#queue-status")
    expect(status).to_have_text("1 en attente · reconnectez-vous pour envoyer")
    expect(page.locator("[data-count=contact]")).to_have_text("1")
    assert ContactTap.objects.count() == 0
    page.reload()  # the page now has the current token: the tap goes
    _wait_until(page, QUEUE_IS_EMPTY)
    expect(status).to_be_hidden()
    assert ContactTap.objects.filter(session=session).count() == 1


def _log_in(page, email):
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def test_an_expired_login_keeps_notes_and_taps_then_sends_them(login, org, volunteer):
    session = _session_now(org, volunteer)
    page = _open_field(login, volunteer, session)
    _ready(page)
    # A note written while the login expires: kept, the login page asked for.
    page.get_by_role("link", name=re.compile("Nouvel échange")).click()
    _fill_conversation(page, "Parle du chèque énergie, revient mardi.")
    page.context.clear_cookies()
    page.get_by_role("button", name="Enregistrer l’échange").click()
    page.wait_for_url(re.compile("/login/"))
    assert Encounter.objects.count() == 0
    _log_in(page, volunteer.email)
    expect(page).to_have_url(re.compile(rf"/sessions/{session.pk}/field/"))
    _wait_until(page, QUEUE_IS_EMPTY)
    assert list(Encounter.objects.values_list("note", flat=True)) == [
        "Parle du chèque énergie, revient mardi."
    ]

    # A tap while the login has expired: kept, counted on the page, sent after login.
    page.context.clear_cookies()
    _tap(page)
    status = page.locator("#queue-status")
    expect(status).to_have_text("1 en attente · reconnectez-vous pour envoyer")
    expect(page.locator("[data-count=contact]")).to_have_text("1")
    assert ContactTap.objects.count() == 0
    status.click()
    _log_in(page, volunteer.email)
    expect(page).to_have_url(re.compile(rf"/sessions/{session.pk}/field/"))
    _wait_until(page, QUEUE_IS_EMPTY)
    assert ContactTap.objects.filter(session=session).count() == 1


def test_offline_the_field_page_tells_the_truth(login, org, volunteer):
    """Taps that reached the server, taps and a note kept on the phone: the kept page
    shows them all, lists the note, and the banner goes once they are sent."""
    session = _session_now(org, volunteer)
    page = _open_field(login, volunteer, session)
    _ready(page, f"/sessions/{session.pk}/field/", f"/sessions/{session.pk}/encounters/new/")
    contact, refusal = page.locator("[data-count=contact]"), page.locator("[data-count=refusal]")
    for n in (1, 2, 3):
        _tap(page)
        expect(contact).to_have_text(str(n))
    _wait_until(page, "TerrainQueue.all().then((items) => items.length === 0)")
    page.context.set_offline(True)
    _tap(page)
    _tap(page)
    _tap(page, "Refus")
    expect(contact).to_have_text("5")
    page.get_by_role("link", name=re.compile("Nouvel échange")).click()
    _fill_conversation(page, "Cherche un logement.")
    page.get_by_role("button", name="Enregistrer l’échange").click()
    # The kept field page, rendered before the last taps: 5 and 1 all the same.
    expect(page.locator("#queued-note")).to_be_visible()
    expect(contact).to_have_text("5")
    expect(refusal).to_have_text("1")
    note = page.locator("#queue-list li[data-state=pending]")
    expect(note).to_have_count(1)
    expect(note).to_contain_text("Échange")
    expect(page.locator("#queue-status")).to_have_text("4 en attente")
    # "You: N" agrees with the counters: the taps on the phone are in it, and said so.
    mine = page.locator("[data-mine]")
    expect(mine).to_have_text("Vous : 5 contacts, 1 refus, dont 3 en attente sur ce téléphone")
    page.screenshot(path="/tmp/field/offline-field-page.png")
    page.set_viewport_size({"width": 195, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path="/tmp/field/offline-field-page-195.png")
    page.set_viewport_size({"width": 390, "height": 844})

    page.context.set_offline(False)
    expect(page.locator("#queued-note")).to_be_hidden(timeout=30_000)
    expect(page.locator("#queue-status")).to_be_hidden()
    expect(page.locator("#queue-list")).to_be_hidden()
    expect(contact).to_have_text("5")
    expect(refusal).to_have_text("1")
    expect(mine).to_have_text("Vous : 5 contacts, 1 refus")
    assert ContactTap.objects.filter(kind="contact").count() == 5
    assert Encounter.objects.count() == 1
    # The note left the phone: it is listed with the conversations, without a reload.
    expect(page.get_by_role("heading", name="1 échange pendant cette action")).to_be_visible()
    expect(page.locator("#conversations")).to_contain_text("Cherche un logement.")


def test_logging_out_never_drops_the_queue(login, org, volunteer):
    session = _session_now(org, volunteer)
    page = _open_field(login, volunteer, session)
    _ready(page, f"/sessions/{session.pk}/field/")
    page.context.set_offline(True)
    _tap(page)
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Se déconnecter").click()
    for _ in range(50):
        if dialogs:
            break
        page.wait_for_timeout(100)
    assert dialogs and "Pas de réseau" in dialogs[-1]
    expect(page.locator("#queue-status")).to_have_text("1 en attente")
    assert len(_queue(page)) == 1

    # Back online, with an item the server refuses for good: it stays on the phone.
    OutreachSession.objects.filter(pk=session.pk).update(status="cancelled", cancel_reason="Pluie")
    page.context.set_offline(False)
    page.get_by_role("button", name="Se déconnecter").click(force=True)
    page.wait_for_url(re.compile("/login/"))
    assert "restent sur ce téléphone" in dialogs[-1]
    assert len(_queue(page)) == 1

    # The same volunteer finds it at the next login; nobody else sees or sends it.
    other = MembershipFactory(organisation=org, role=Role.VOLUNTEER).user
    for email in (other.email, volunteer.email):
        page.goto("/login/")
        _log_in(page, email)
        page.goto("/offline/")
        if email == other.email:
            expect(page.locator("#queue-empty")).to_be_visible()
            page.locator(".account-menu summary").click()
            page.get_by_role("button", name="Se déconnecter").click()
            page.wait_for_url(re.compile("/login/"))
    item = page.locator("#queue-list li[data-state=review]")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("annulée")
    assert ContactTap.objects.count() == 0


def test_today_and_its_field_pages_open_without_signal(login, org, volunteer):
    """Installed on the home screen, the app opens on "Today" even without signal."""
    session = _session_now(org, volunteer)
    page = login(volunteer.email)
    page.goto("/today/")
    manifest = page.evaluate(
        "fetch(document.querySelector('link[rel=manifest]').href).then((r) => r.json())"
    )
    assert manifest["start_url"] == "/today/" and manifest["display"] == "standalone"
    _ready(page, "/today/", f"/sessions/{session.pk}/field/")
    page.context.set_offline(True)
    page.goto("/today/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aujourd’hui")
    page.get_by_role("link", name=re.compile("Mode terrain")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mode terrain")
    page.goto("/offline/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sur ce téléphone")


def test_chromium_finds_the_app_installable(login, volunteer):
    """Chromium's own installability checks (what its install prompt and Lighthouse's
    former PWA audit use): manifest, icons, service worker, start URL."""
    page = login(volunteer.email)
    page.goto("/today/")
    _ready(page)
    cdp = page.context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Playwright's contexts are incognito ones, which never install: nothing else.
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []
    manifest = cdp.send("Page.getAppManifest")
    assert not manifest.get("errors")


def test_a_note_saved_after_a_logout_in_another_tab_is_sent_after_login(login, org, volunteer):
    """Tab B logs out (its login page then speaks for nobody); tab A, still showing the
    form, saves a conversation: it is kept for its author, never for "nobody", and sent
    once they log in again, whatever the other tab said meanwhile (issue 11: it was
    retried under no one's name, then "Rien n'attend" and lost)."""
    session = _session_now(org, volunteer)
    page = _open_field(login, volunteer, session)
    _ready(page)
    page.get_by_role("link", name=re.compile("Nouvel échange")).click()
    _fill_conversation(page, "Perdu en route ?")
    other_tab = page.context.new_page()
    other_tab.goto("/today/")
    other_tab.locator(".account-menu summary").click()
    other_tab.get_by_role("button", name="Se déconnecter").click()
    other_tab.wait_for_url(re.compile("/login/"))
    # The other tab's login page has spoken to the service worker (nobody logged in).
    _wait_until(other_tab, "TerrainQueue.getMeta('user').then((u) => u === '')")
    page.get_by_role("button", name="Enregistrer l’échange").click()
    page.wait_for_url(re.compile("/login/"))
    other_tab.wait_for_timeout(500)
    item = page.evaluate("TerrainQueue.all()")
    assert [(i["state"], i["user"]) for i in item] == [("login", str(volunteer.pk))]
    _log_in(page, volunteer.email)
    _wait_until(page, QUEUE_IS_EMPTY, timeout=30)
    assert list(Encounter.objects.values_list("note", flat=True)) == ["Perdu en route ?"]


def test_a_note_sent_on_to_the_form_by_a_login_elsewhere_is_kept(login, org, volunteer):
    """The post reaches the server while the login is renewed in another tab: sent to the
    login page, which (logged in by then) sends it on to "next", the form, as a GET that
    answers 200. That is no save: the note is kept and sent again (it was dropped)."""
    session = _session_now(org, volunteer)
    page = _open_field(login, volunteer, session)
    _ready(page)
    form_url = f"/sessions/{session.pk}/encounters/new/"
    page.goto(form_url)
    _fill_conversation(page, "Renvoyé au formulaire.")

    def to_login(route):
        if route.request.method != "POST":
            return route.continue_()
        return route.fulfill(status=302, headers={"Location": f"/login/?next={form_url}"})

    page.context.route(re.compile(r".*/encounters/new/$"), to_login)
    page.get_by_role("button", name="Enregistrer l’échange").click()
    page.wait_for_url(re.compile(rf"/sessions/{session.pk}/field/"))
    assert [i["state"] for i in _queue(page)] == ["login"]
    assert Encounter.objects.count() == 0
    page.context.unroute_all()
    page.reload()
    _wait_until(page, QUEUE_IS_EMPTY, timeout=30)
    assert list(Encounter.objects.values_list("note", flat=True)) == ["Renvoyé au formulaire."]


def test_an_item_of_a_replaced_or_cancelled_action_is_sent_to_another(login, org, volunteer):
    """A tap kept offline for an action the coordinator replaced (404), a conversation
    for one cancelled (410): "À revoir" offers to send them to another action of the
    day (or to start one now); sent there, each is saved once, where it was sent."""
    replaced = _session_now(org, volunteer)
    cancelled = _session_now(org, volunteer)
    other = _session_now(org, volunteer)
    page = _open_field(login, volunteer, replaced)
    page.goto("/today/")
    _ready(page, f"/sessions/{replaced.pk}/field/", f"/sessions/{cancelled.pk}/encounters/new/")
    page.context.set_offline(True)
    page.goto(f"/sessions/{replaced.pk}/field/")
    _tap(page)
    expect(page.locator("[data-count=contact]")).to_have_text("1")
    page.goto(f"/sessions/{cancelled.pk}/encounters/new/")
    _fill_conversation(page, "Partie ailleurs.")
    page.get_by_role("button", name="Enregistrer l’échange").click()
    expect(page.locator("#queue-status")).to_have_text("2 en attente")
    OutreachSession.objects.filter(pk=replaced.pk).delete()
    OutreachSession.objects.filter(pk=cancelled.pk).update(
        status="cancelled", cancel_reason="Pluie"
    )
    page.context.set_offline(False)
    status = page.locator("#queue-status")
    expect(status).to_have_text("2 à revoir", timeout=30_000)
    page.goto("/offline/")
    items = page.locator("#queue-list li[data-state=review]")
    expect(items).to_have_count(2)
    for n in (2, 1):
        item = items.first
        # Sent again as it is, it would only be refused again.
        expect(item.get_by_role("button", name="Renvoyer")).to_have_count(0)
        item.get_by_role("button", name="Envoyer vers une autre action").click()
        choice = item.get_by_label("L’envoyer vers")
        expect(choice).to_be_visible()
        # The cancelled action is not offered; the action of the day and "start now" are.
        assert str(cancelled.pk) not in choice.locator("option").evaluate_all(
            "(options) => options.map((o) => o.value)"
        )
        expect(item.get_by_role("link", name=re.compile("Démarrer une action"))).to_be_visible()
        if n == 2:
            page.screenshot(path="/tmp/field/move-to-another-action.png")
            page.set_viewport_size({"width": 195, "height": 844})
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            page.screenshot(path="/tmp/field/move-to-another-action-195.png", full_page=True)
            page.set_viewport_size({"width": 390, "height": 844})
        choice.select_option(str(other.pk))
        item.get_by_role("button", name="Envoyer", exact=True).click()
        expect(items).to_have_count(n - 1, timeout=30_000)
    _wait_until(page, QUEUE_IS_EMPTY, timeout=30)
    assert ContactTap.objects.filter(session=other).count() == 1
    assert list(Encounter.objects.values_list("session_id", "note")) == [
        (other.pk, "Partie ailleurs.")
    ]
    assert OutreachSession.objects.get(pk=other.pk).brief_contacts == 1


def test_a_tap_on_an_action_not_started_can_be_sent_to_one_under_way(login, org, volunteer):
    """The field page of tomorrow's action keeps its tap buttons: a tap there is refused
    (422, not started) and goes to "À revoir", which offers to send it to an action
    under way (a tap has nothing to correct)."""
    now = timezone.now()
    tomorrow = OutreachSessionFactory(
        territory=TerritoryFactory(organisation=org),
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=1, hours=2),
        members=[volunteer],
    )
    under_way = _session_now(org, volunteer)
    page = _open_field(login, volunteer, tomorrow)
    _tap(page)
    expect(page.locator("#queue-status")).to_have_text("1 à revoir", timeout=30_000)
    page.goto("/offline/")
    item = page.locator("#queue-list li[data-state=review]")
    expect(item).to_have_count(1)
    item.get_by_role("button", name="Envoyer vers une autre action").click()
    item.get_by_label("L’envoyer vers").select_option(str(under_way.pk))
    item.get_by_role("button", name="Envoyer", exact=True).click()
    _wait_until(page, QUEUE_IS_EMPTY, timeout=30)
    assert ContactTap.objects.filter(session=under_way).count() == 1
    assert not ContactTap.objects.filter(session=tomorrow).exists()
