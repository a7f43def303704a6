"""Field mode on a phone, in Chromium: taps, conversations, offline queue, screening."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from encounters.models import ContactTap, Encounter, NonTakeUpSignal, Referral
from organisations.models import Role
from outreach.models import OutreachSession
from tests.organisations.factories import MembershipFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import PartnerFactory, TerritoryFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def field(org):
    """A volunteer and the session they are in right now."""
    user = MembershipFactory(organisation=org, role=Role.VOLUNTEER).user
    now = timezone.now()
    session = OutreachSessionFactory(
        territory=TerritoryFactory(organisation=org, name="Prades"),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=2),
        members=[user],
    )
    return user, session


def _open_field(login, user, session):
    page = login(user.email)
    page.goto(f"/sessions/{session.pk}/field/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mode terrain")
    return page


def _fill_conversation(page, note="Ne connaissait pas le chèque énergie."):
    page.get_by_role("radio", name="Femme", exact=True).check()
    page.get_by_role("radio", name="60–74 ans").check()
    page.get_by_role("checkbox", name="Énergie, factures").check()
    page.get_by_label("Note").fill(note)


def test_log_a_conversation_with_a_referral_and_a_signal(login, field, org):
    user, session = field
    PartnerFactory(organisation=org, name="CCAS de Prades", kind="ccas")
    page = _open_field(login, user, session)
    page.get_by_role("link", name=re.compile("Nouvel échange")).click()
    _fill_conversation(page)
    page.get_by_text("Signal de non-recours et orientation").click()
    # A right outside the usual ones: in the other rows, named beside its acronym.
    page.get_by_text("Autres signaux et orientations").click()
    page.locator("#id_signals-1-right").select_option(label="Chèque énergie")
    # The partner: one tap on its chip.
    page.get_by_role("radio", name="CCAS de Prades").check()
    page.get_by_role("button", name="Enregistrer l’échange").click()
    expect(page).to_have_url(re.compile(rf"/sessions/{session.pk}/field/$"))
    expect(page.get_by_text("Échange enregistré.")).to_be_visible()
    expect(page.get_by_text("1 échange pendant cette action")).to_be_visible()
    encounter = Encounter.objects.get()
    assert (encounter.gender, encounter.age_band, encounter.author) == ("woman", "60_74", user)
    assert NonTakeUpSignal.objects.get().right.code == "cheque-energie"
    assert Referral.objects.get().partner.name == "CCAS de Prades"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_count_contacts_and_undo_one(login, field):
    user, session = field
    page = _open_field(login, user, session)
    contact = page.locator("[data-count=contact]")
    for n in range(1, 4):
        page.get_by_role("button", name=re.compile("Contact bref")).click()
        expect(contact).to_have_text(str(n))
    page.get_by_role("button", name=re.compile("Refus")).click()
    expect(page.locator("[data-count=refusal]")).to_have_text("1")
    page.get_by_role("button", name=re.compile("Annuler le dernier")).click()
    expect(page.locator("[data-count=refusal]")).to_have_text("0")
    page.get_by_role("button", name=re.compile("Annuler le dernier")).click()
    expect(contact).to_have_text("2")
    session = OutreachSession.objects.get(pk=session.pk)
    assert (session.brief_contacts, session.refusals) == (2, 0)
    assert ContactTap.objects.filter(session=session).count() == 2


# Whether the offline queue is empty, read from the page with the shared queue module.
QUEUE_IS_EMPTY = "TerrainQueue.all().then((items) => items.length === 0)"


def _wait_until(page, script: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"timed out waiting for: {script}"
        page.wait_for_timeout(200)


def test_offline_conversations_and_contacts_are_sent_once_back_online(login, field):
    user, session = field
    page = _open_field(login, user, session)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    _wait_until(page, "navigator.serviceWorker.controller !== null")
    form_url = f"/sessions/{session.pk}/encounters/new/"
    # The field page and its form are kept for when the signal goes.
    _wait_until(
        page,
        f"caches.open('terrain-pages').then(c => c.match('{form_url}')).then(Boolean)",
    )
    page.context.set_offline(True)

    contact = page.locator("[data-count=contact]")
    for n in range(1, 4):
        page.get_by_role("button", name=re.compile("Contact bref")).click()
        expect(contact).to_have_text(str(n))
    for note in ("Première personne, parle du RSA.", "Deuxième personne, cherche un logement."):
        page.get_by_role("link", name=re.compile("Nouvel échange")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Nouvel échange")
        _fill_conversation(page, note)
        page.get_by_role("button", name="Enregistrer l’échange").click()
        expect(page.locator("#queued-note")).to_be_visible()
    expect(page.locator("#queue-status")).to_have_text("5 en attente")
    assert Encounter.objects.count() == 0 and ContactTap.objects.count() == 0

    page.context.set_offline(False)
    expect(page.locator("#queue-status")).to_be_hidden(timeout=30_000)
    assert Encounter.objects.count() == 2
    assert set(Encounter.objects.values_list("note", flat=True)) == {
        "Première personne, parle du RSA.",
        "Deuxième personne, cherche un logement.",
    }
    assert ContactTap.objects.count() == 3
    assert OutreachSession.objects.get(pk=session.pk).brief_contacts == 3


def test_double_tap_on_save_makes_one_encounter(login, field):
    user, session = field
    page = _open_field(login, user, session)
    page.goto(f"/sessions/{session.pk}/encounters/new/")
    _fill_conversation(page)
    page.get_by_role("button", name="Enregistrer l’échange").dblclick()
    expect(page).to_have_url(re.compile(rf"/sessions/{session.pk}/field/$"))
    expect(page.get_by_text("1 échange pendant cette action")).to_be_visible()
    assert Encounter.objects.count() == 1


def test_a_phone_number_in_the_note_is_refused_and_kept(login, field):
    user, session = field
    page = _open_field(login, user, session)
    page.goto(f"/sessions/{session.pk}/encounters/new/")
    note = "Dame seule, la rappeler au 06 12 34 56 78 pour le RSA."
    _fill_conversation(page, note)
    page.get_by_role("button", name="Enregistrer l’échange").click()
    expect(page.get_by_role("alert")).to_contain_text("rien n’a encore été enregistré")
    expect(page.get_by_label("Note")).to_have_value(note)
    expect(page.locator(".screened mark")).to_have_text("06 12 34 56 78")
    expect(page.get_by_role("radio", name="Femme", exact=True)).to_be_checked()
    assert Encounter.objects.count() == 0


def test_an_offline_note_refused_on_replay_is_corrected_and_sent_once(login, field):
    """Logged offline with a phone number in the note: back online the server refuses
    it, the item stays in the queue and the header links to the refused form; the
    volunteer corrects the note, which replaces the refused copy: saved once, at once,
    the queue empty."""
    user, session = field
    page = _open_field(login, user, session)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    _wait_until(page, "navigator.serviceWorker.controller !== null")
    form_url = f"/sessions/{session.pk}/encounters/new/"
    _wait_until(
        page,
        f"caches.open('terrain-pages').then(c => c.match('{form_url}')).then(Boolean)",
    )
    page.context.set_offline(True)
    page.get_by_role("link", name=re.compile("Nouvel échange")).click()
    _fill_conversation(page, "Dame seule, la rappeler au 06 12 34 56 78 pour le RSA.")
    page.get_by_role("button", name="Enregistrer l’échange").click()
    expect(page.locator("#queued-note")).to_be_visible()

    page.context.set_offline(False)
    status = page.locator("#queue-status")
    # Refused for good: "À revoir" in the header, which leads to the phone's list.
    expect(status).to_have_text("1 à revoir", timeout=30_000)
    expect(status).to_have_attribute("href", "/offline/")
    assert Encounter.objects.count() == 0

    status.click()
    item = page.locator("#queue-list li[data-state=review]")
    expect(item).to_contain_text("À revoir : refusé par le serveur, à corriger.")
    # The list is not drawn again while nothing changes: the link under the finger stays
    # the same element through a replay (a copy swapped in between the press and the
    # release made the tap do nothing).
    item.get_by_role("link", name="Corriger").evaluate("a => { a.dataset.mark = 'kept'; }")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(2_000)
    expect(item.get_by_role("link", name="Corriger")).to_have_attribute("data-mark", "kept")
    item.get_by_role("link", name="Corriger").click()
    expect(page).to_have_url(re.compile(r"/offline/\d+/$"))
    expect(page.get_by_role("alert")).to_contain_text("rien n’a encore été enregistré")
    expect(page.locator(".screened mark")).to_have_text("06 12 34 56 78")
    page.get_by_label("Note").fill("Dame seule, à revoir mardi pour le RSA.")
    page.get_by_role("button", name="Enregistrer l’échange").click()
    # The correction replaces its refused copy in the queue and goes to the server at
    # once (no "?queued=1": the server answered, not the service worker).
    expect(page).to_have_url(re.compile(rf"/sessions/{session.pk}/field/$"))
    expect(page.get_by_text("Échange enregistré.")).to_be_visible()
    assert list(Encounter.objects.values_list("note", flat=True)) == [
        "Dame seule, à revoir mardi pour le RSA."
    ]
    _wait_until(page, QUEUE_IS_EMPTY)
    expect(status).to_be_hidden()


NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_not_started_yet_offers_to_start_an_action_now(login, org):
    """Opened before its start, the field page says why nothing can be logged there and
    offers to start an action now; so does the page of a refused conversation."""
    user = MembershipFactory(organisation=org, role=Role.VOLUNTEER).user
    now = timezone.now()
    tomorrow = OutreachSessionFactory(
        territory=TerritoryFactory(organisation=org, name="Prades"),
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=1, hours=2),
        members=[user],
    )
    page = _open_field(login, user, tomorrow)
    warning = page.get_by_role("alert")
    expect(warning).to_contain_text("pas encore commencé")
    start = warning.get_by_role("link", name="Démarrer une action maintenant")
    for width in (390, 195):
        page.set_viewport_size({"width": width, "height": 844})
        assert page.evaluate(NO_SIDEWAYS_SCROLL), width
        page.screenshot(path=f"/tmp/field/not-started-{width}.png")
    page.set_viewport_size({"width": 390, "height": 844})
    start.click()
    expect(page).to_have_url(re.compile("/sessions/start/"))

    # A conversation posted there anyway (a form kept open since yesterday): refused,
    # with the same way out.
    page.goto(f"/sessions/{tomorrow.pk}/encounters/new/")
    _fill_conversation(page)
    page.get_by_role("button", name="Enregistrer l’échange").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Non enregistré")
    page.get_by_role("link", name="Démarrer une action maintenant").click()
    expect(page).to_have_url(re.compile("/sessions/start/"))
    assert Encounter.objects.count() == 0


def test_back_after_saving_then_saving_again_is_one_conversation(login, field):
    """Back to the form just saved (the browser restores what was filled in), saved
    again: the same conversation, not a second one. A new conversation is new."""
    user, session = field
    page = _open_field(login, user, session)
    _wait_until(page, "navigator.serviceWorker.controller !== null")
    page.get_by_role("link", name=re.compile("Nouvel échange")).click()
    _fill_conversation(page, "Une seule fois.")
    page.get_by_role("button", name="Enregistrer l’échange").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mode terrain")
    assert Encounter.objects.count() == 1
    page.go_back()
    expect(page.get_by_label("Note")).to_have_value("Une seule fois.")
    page.get_by_role("button", name="Enregistrer l’échange").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mode terrain")
    _wait_until(page, QUEUE_IS_EMPTY)
    assert list(Encounter.objects.values_list("note", flat=True)) == ["Une seule fois."]
    # Back again, another content this time: a new conversation (not a 409).
    page.go_back()
    page.get_by_label("Note").fill("Une autre personne.")
    page.get_by_role("button", name="Enregistrer l’échange").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mode terrain")
    _wait_until(page, QUEUE_IS_EMPTY)
    assert sorted(Encounter.objects.values_list("note", flat=True)) == [
        "Une autre personne.",
        "Une seule fois.",
    ]
