"""Field mode: taps, conversations, referrals, corrections, idempotency, isolation."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from encounters import services
from encounters.models import (
    ContactTap,
    Encounter,
    EncounterChange,
    NonTakeUpSignal,
    Referral,
    Right,
)
from organisations.models import Role
from outreach.models import OutreachSession
from tests.encounters.factories import EncounterFactory, ReferralFactory, conversation_post
from tests.outreach.factories import OutreachSessionFactory, ongoing_session
from tests.territories.factories import PartnerFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(org):
    return ongoing_session(org)


def _tap(client, session, kind="contact", key=None, **extra):
    return client.post(
        reverse("field_tap", args=[session.pk]),
        {"kind": kind, "client_uuid": str(key or uuid.uuid4())},
        **extra,
    )


# --- Taps -----------------------------------------------------------------------


def test_taps_count_once_per_uuid_and_keep_session_totals(volunteer_client, session):
    key = uuid.uuid4()
    for _ in range(3):  # a double tap, then a replay from the offline queue
        assert _tap(volunteer_client, session, key=key).status_code == 302
    _tap(volunteer_client, session, "refusal")
    session.refresh_from_db()
    assert (session.brief_contacts, session.refusals) == (1, 1)
    assert ContactTap.objects.filter(session=session).count() == 2


def test_htmx_tap_answers_the_counters_fragment(volunteer_client, session):
    response = _tap(volunteer_client, session, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="counters"' in html and "<html" not in html
    assert 'data-count="contact">1<' in html


def test_undo_takes_back_the_members_last_tap_only(volunteer_client, member_client, session):
    other = member_client(Role.VOLUNTEER)
    _tap(volunteer_client, session, "refusal")
    last = uuid.uuid4()
    _tap(volunteer_client, session, "contact", key=last)
    _tap(other, session, "contact")
    undo = reverse("field_tap_undo", args=[session.pk])
    volunteer_client.post(undo, {"tap": str(last)})
    # Undoing the same tap again (a replay) changes nothing.
    volunteer_client.post(undo, {"tap": str(last)})
    session.refresh_from_db()
    assert (session.brief_contacts, session.refusals) == (1, 1)
    # Without a key: the member's last remaining tap.
    volunteer_client.post(undo)
    session.refresh_from_db()
    assert (session.brief_contacts, session.refusals) == (1, 0)
    assert ContactTap.objects.get(session=session).author == other.membership.user


def test_bad_tap_answers_422(volunteer_client, session):
    response = volunteer_client.post(reverse("field_tap", args=[session.pk]), {"kind": "x"})
    assert response.status_code == 422


# --- Conversations ----------------------------------------------------------------


def test_log_a_conversation_with_a_signal_and_a_referral(volunteer_client, session, org):
    caf = PartnerFactory(organisation=org, name="CAF des Pyrénées-Orientales", kind="caf")
    energy = Right.objects.get(code="cheque-energie")
    data = conversation_post(
        **{
            "signals-0-right": energy.pk,
            "signals-0-reason": "non_knowledge",
            "referrals-0-partner": caf.pk,
            "referrals-0-right": Right.objects.get(code="prime-activite").pk,
            "referrals-0-outcome": "proposed",
            "referrals-1-partner_kind": "ccas",
            "referrals-1-topic": "energy",
            "referrals-1-outcome": "accepted",
        }
    )
    response = volunteer_client.post(reverse("encounter_create", args=[session.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("field_mode", args=[session.pk])
    encounter = Encounter.objects.get()
    assert encounter.organisation == org
    assert encounter.author == volunteer_client.membership.user
    assert sorted(encounter.topics.values_list("topic", flat=True)) == ["energy", "rights"]
    assert NonTakeUpSignal.objects.get().right == energy
    referrals = {r.partner_kind: r for r in Referral.objects.all()}
    assert referrals["caf"].partner == caf
    assert referrals["ccas"].partner is None and referrals["ccas"].outcome == "accepted"


def test_the_same_conversation_posted_twice_is_saved_once(volunteer_client, session):
    url = reverse("encounter_create", args=[session.pk])
    data = conversation_post()
    first = volunteer_client.post(url, data)
    second = volunteer_client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert Encounter.objects.count() == 1
    # The same UUID with another content (here, invalid) keeps the saved one and says
    # so with a 409 (issue 11: "same UUID, same answer").
    data["age_band"] = "nonsense"
    assert volunteer_client.post(url, data).status_code == 409
    assert Encounter.objects.count() == 1


def test_service_is_idempotent_on_client_uuid(session, org):
    key = uuid.uuid4()
    data = services.EncounterData(fields={"note": ""}, topics=["health"])
    one, created = services.encounter_create(
        organisation=org, session=session, author=None, client_uuid=key, data=data
    )
    two, created_again = services.encounter_create(
        organisation=org, session=session, author=None, client_uuid=key, data=data
    )
    assert created and not created_again and one.pk == two.pk


def test_a_phone_number_in_the_note_saves_nothing_and_keeps_the_text(volunteer_client, session):
    note = "Dame seule, rappeler au 06 12 34 56 78 pour le RSA."
    response = volunteer_client.post(
        reverse("encounter_create", args=[session.pk]), conversation_post(note=note)
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "rien n’a encore été enregistré" in html
    assert "06 12 34 56 78</textarea>" not in html or note in html
    assert "<mark" in html
    assert note.replace("'", "&#x27;") in html
    assert Encounter.objects.count() == 0


def test_a_referral_needs_a_partner_or_a_kind(volunteer_client, session):
    response = volunteer_client.post(
        reverse("encounter_create", args=[session.pk]),
        conversation_post(**{"referrals-0-topic": "housing", "referrals-0-outcome": "proposed"}),
    )
    assert response.status_code == 422
    assert "Choisissez une structure ou un type de structure." in response.content.decode()
    assert Encounter.objects.count() == 0


def test_another_organisations_session_answers_404(volunteer_client, other_org):
    theirs = OutreachSessionFactory(territory=TerritoryFactory(organisation=other_org))
    response = volunteer_client.post(
        reverse("encounter_create", args=[theirs.pk]), conversation_post()
    )
    assert response.status_code == 404
    assert _tap(volunteer_client, theirs).status_code == 404
    assert Encounter.objects.count() == ContactTap.objects.count() == 0


def test_other_organisations_partner_is_refused(volunteer_client, session, other_org):
    theirs = PartnerFactory(organisation=other_org)
    response = volunteer_client.post(
        reverse("encounter_create", args=[session.pk]),
        conversation_post(**{"referrals-0-partner": theirs.pk, "referrals-0-outcome": "proposed"}),
    )
    assert response.status_code == 422
    assert Encounter.objects.count() == 0


def test_field_page_query_count(volunteer_client, session, django_assert_max_num_queries):
    for _ in range(5):
        ReferralFactory(encounter=EncounterFactory(session=session))
    with django_assert_max_num_queries(16):
        response = volunteer_client.get(reverse("field_mode", args=[session.pk]))
    assert response.status_code == 200
    assert "Mode terrain" in response.content.decode()


# --- Corrections within 24 hours, and the audit trail ------------------------------


def _edit(client, encounter, **overrides):
    data = conversation_post(**overrides)
    del data["client_uuid"]
    return client.post(reverse("encounter_edit", args=[encounter.pk]), data)


def test_volunteer_corrects_own_encounter_within_24_hours(volunteer_client, session):
    user = volunteer_client.membership.user
    encounter = EncounterFactory(session=session, author=user, age_band="18_25")
    response = _edit(volunteer_client, encounter, age_band="26_39")
    assert response.status_code == 302
    change = EncounterChange.objects.get(field="age_band")
    assert (change.old, change.new, change.member) == ("18_25", "26_39", user)
    assert EncounterChange.objects.filter(encounter=encounter, field="topics").exists()

    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert _edit(volunteer_client, encounter, age_band="40_59").status_code == 403
        coordinator = volunteer_client.__class__()
        from tests.organisations.factories import MembershipFactory

        membership = MembershipFactory(organisation=session.organisation, role=Role.COORDINATOR)
        coordinator.force_login(membership.user)
        assert _edit(coordinator, encounter, age_band="40_59").status_code == 302
    encounter.refresh_from_db()
    assert encounter.age_band == "40_59"
    assert EncounterChange.objects.filter(field="age_band").count() == 2


def test_volunteer_cannot_correct_someone_elses(volunteer_client, session):
    encounter = EncounterFactory(session=session)
    assert _edit(volunteer_client, encounter).status_code == 403


def test_correction_keeps_referral_outcome_when_unchanged(coordinator_client, session):
    encounter = EncounterFactory(session=session)
    referral = ReferralFactory(encounter=encounter, partner_kind="ccas", outcome="accepted")
    response = _edit(
        coordinator_client,
        encounter,
        **{
            "referrals-TOTAL_FORMS": "2",
            "referrals-INITIAL_FORMS": "1",
            "referrals-0-partner_kind": "ccas",
            "referrals-0-outcome": "accepted",
        },
    )
    assert response.status_code == 302
    assert Referral.objects.get().pk == referral.pk


# --- Referrals to follow -------------------------------------------------------------


def test_referrals_to_follow_and_outcome_update(volunteer_client, session, org):
    open_one = ReferralFactory(encounter=EncounterFactory(session=session, note="Au marché"))
    ReferralFactory(encounter=EncounterFactory(session=session), outcome="done")
    response = volunteer_client.get(reverse("referral_list"))
    assert list(response.context["referrals"]) == [open_one]
    assert "Au marché" in response.content.decode()

    response = volunteer_client.post(
        reverse("referral_outcome", args=[open_one.pk]), {"outcome": "done"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'id="referral-{open_one.pk}"' in response.content.decode()
    open_one.refresh_from_db()
    assert open_one.outcome == "done"
    assert open_one.outcome_updated_by == volunteer_client.membership.user
    change = EncounterChange.objects.get()
    assert (change.old, change.new) == ("proposed", "done")
    assert list(volunteer_client.get(reverse("referral_list")).context["referrals"]) == []


def test_referral_list_query_count(volunteer_client, session, django_assert_num_queries):
    for _ in range(5):
        ReferralFactory(encounter=EncounterFactory(session=session))
    with django_assert_num_queries(4):
        volunteer_client.get(reverse("referral_list"))


# --- Return cards ------------------------------------------------------------------


def test_return_cards_are_off_by_default(volunteer_client, session):
    response = volunteer_client.get(reverse("encounter_create", args=[session.pk]))
    assert "return_card_code" not in response.content.decode()


def test_return_card_code_links_encounters(volunteer_client, session, org):
    org.return_cards_enabled = True
    org.save()
    url = reverse("encounter_create", args=[session.pk])
    assert "return_card_code" in volunteer_client.get(url).content.decode()
    volunteer_client.post(url, conversation_post(return_card_code=" k7p 4qx "))
    volunteer_client.post(url, conversation_post(return_card_code="K7P4QX", first_time="False"))
    assert list(Encounter.objects.values_list("return_card_code", flat=True)) == ["K7P4QX"] * 2
    encounter = Encounter.objects.first()
    response = volunteer_client.get(reverse("encounter_detail", args=[encounter.pk]))
    assert response.context["same_card"] == 2
    assert (
        volunteer_client.post(url, conversation_post(return_card_code="06-12")).status_code == 422
    )


def test_card_codes_avoid_ambiguous_characters():
    codes = {services.return_card_code_new() for _ in range(200)}
    assert len(codes) == 200
    assert not any(set(code) & set("01IOL") for code in codes)


# --- Service worker ------------------------------------------------------------------


def test_service_worker_is_served_from_the_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    # The static file itself, which loads the queue module the pages use too.
    assert response.content == (settings.BASE_DIR / "static/js/sw.js").read_bytes()
    assert "importScripts(QUEUE_SCRIPT)" in response.content.decode()


def test_session_counters_stay_consistent_with_taps(volunteer_client, session):
    for kind in ["contact", "contact", "refusal", "contact"]:
        _tap(volunteer_client, session, kind)
    volunteer_client.post(reverse("field_tap_undo", args=[session.pk]))
    session = OutreachSession.objects.get(pk=session.pk)
    taps = ContactTap.objects.filter(session=session)
    assert session.brief_contacts == taps.filter(kind="contact").count() == 2
    assert session.refusals == taps.filter(kind="refusal").count() == 1
