"""When a session takes taps and conversations, and the same UUID's same answer."""

from __future__ import annotations

import uuid
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone

from encounters.models import ContactTap, Encounter
from outreach.models import OutreachSession, SessionStatus
from tests.encounters.factories import conversation_post
from tests.encounters.test_field_mode import _tap
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


def _session(org, *, start: timedelta, hours: int = 3, **extra) -> OutreachSession:
    now = timezone.now()
    return OutreachSessionFactory(
        territory=TerritoryFactory(organisation=org),
        starts_at=now + start,
        ends_at=now + start + timedelta(hours=hours),
        **extra,
    )


@pytest.fixture
def session(org):
    return _session(org, start=-timedelta(hours=1))


def _reason(response) -> str:
    return unquote(response["X-Terrain-Reason"])


# --- Same UUID, same answer ---------------------------------------------------------


def test_a_replayed_tap_is_accepted_again_and_counted_once(volunteer_client, session):
    key = uuid.uuid4()
    first = _tap(volunteer_client, session, key=key, HTTP_HX_REQUEST="true")
    again = _tap(volunteer_client, session, key=key, HTTP_HX_REQUEST="true")
    assert first.status_code == again.status_code == 200
    assert ContactTap.objects.count() == 1
    assert OutreachSession.objects.get(pk=session.pk).brief_contacts == 1


def test_same_tap_uuid_with_another_kind_or_session_keeps_the_first_and_answers_409(
    volunteer_client, session, org
):
    key = uuid.uuid4()
    _tap(volunteer_client, session, key=key)
    other = _session(org, start=-timedelta(hours=1))
    for response in (
        _tap(volunteer_client, session, "refusal", key=key),
        _tap(volunteer_client, other, key=key),
    ):
        assert response.status_code == 409
        assert "première version est gardée" in _reason(response)
    tap = ContactTap.objects.get()
    assert (tap.session_id, tap.kind) == (session.pk, "contact")
    assert OutreachSession.objects.get(pk=other.pk).brief_contacts == 0


def test_a_replayed_note_is_accepted_again(volunteer_client, session):
    url = reverse("encounter_create", args=[session.pk])
    data = conversation_post()
    assert volunteer_client.post(url, data).status_code == 302
    again = volunteer_client.post(url, data)
    assert again.status_code == 302 and again.url == reverse("field_mode", args=[session.pk])
    assert Encounter.objects.count() == 1


def test_same_note_uuid_with_another_content_keeps_the_first_and_answers_409(
    volunteer_client, session
):
    url = reverse("encounter_create", args=[session.pk])
    data = conversation_post()
    volunteer_client.post(url, data)
    for change in ({"note": "Autre chose."}, {"age_band": "18_25"}, {"topics": ["health"]}):
        response = volunteer_client.post(url, {**data, **change})
        assert response.status_code == 409, change
        assert "première version est gardée" in response.content.decode()
    encounter = Encounter.objects.get()
    assert encounter.note == data["note"] and encounter.age_band == "40_59"


# --- When a session takes entries ----------------------------------------------------


def test_taps_and_notes_are_refused_on_a_cancelled_session(volunteer_client, org):
    session = _session(
        org, start=-timedelta(hours=1), status=SessionStatus.CANCELLED, cancel_reason="Pluie"
    )
    response = _tap(volunteer_client, session, HTTP_HX_REQUEST="true")
    assert response.status_code == 410
    assert "annulée" in _reason(response)
    note = volunteer_client.post(
        reverse("encounter_create", args=[session.pk]), conversation_post()
    )
    assert note.status_code == 410
    assert "annulée" in note.content.decode()
    assert not ContactTap.objects.exists() and not Encounter.objects.exists()
    page = volunteer_client.get(reverse("field_mode", args=[session.pk])).content.decode()
    assert "Cette action a été annulée" in page


def test_taps_and_notes_are_refused_before_the_session_starts(volunteer_client, org):
    tomorrow = _session(org, start=timedelta(days=1))
    response = _tap(volunteer_client, tomorrow)
    assert response.status_code == 422
    assert "pas encore commencé" in _reason(response)
    note = volunteer_client.post(
        reverse("encounter_create", args=[tomorrow.pk]), conversation_post()
    )
    assert note.status_code == 422
    assert not ContactTap.objects.exists() and not Encounter.objects.exists()
    # Setting up the stand a little before the start is fine.
    soon = _session(org, start=timedelta(minutes=20))
    assert _tap(volunteer_client, soon).status_code == 302


def test_an_entry_after_the_end_is_late_and_marked_so(volunteer_client, org):
    past = _session(org, start=-timedelta(days=2))
    assert _tap(volunteer_client, past).status_code == 302
    url = reverse("encounter_create", args=[past.pk])
    assert volunteer_client.post(url, conversation_post()).status_code == 302
    assert ContactTap.objects.get().is_late and Encounter.objects.get().is_late


def test_an_entry_made_during_the_session_and_sent_later_is_not_late(volunteer_client, org):
    ended = _session(org, start=-timedelta(hours=5), hours=2)
    during = (ended.ends_at - timedelta(minutes=10)).isoformat()
    tap = {"kind": "contact", "client_uuid": str(uuid.uuid4()), "at": during}
    assert volunteer_client.post(reverse("field_tap", args=[ended.pk]), tap).status_code == 302
    url = reverse("encounter_create", args=[ended.pk])
    assert volunteer_client.post(url, conversation_post(occurred_at=during)).status_code == 302
    assert not ContactTap.objects.get().is_late
    assert not Encounter.objects.get().is_late


def test_late_entries_follow_the_correction_rules(volunteer_client, coordinator_client, org):
    old = _session(org, start=-timedelta(days=10))
    refused = _tap(volunteer_client, old)
    assert refused.status_code == 422 and "coordinateur" in _reason(refused)
    assert _tap(coordinator_client, old).status_code == 302
    assert ContactTap.objects.get().is_late


def test_a_replay_of_a_saved_tap_is_accepted_after_the_session_is_cancelled(
    volunteer_client, session
):
    key = uuid.uuid4()
    _tap(volunteer_client, session, key=key)
    OutreachSession.objects.filter(pk=session.pk).update(
        status=SessionStatus.CANCELLED, cancel_reason="Pluie"
    )
    assert _tap(volunteer_client, session, key=key).status_code == 302
    assert ContactTap.objects.count() == 1


def test_same_note_uuid_with_other_signals_referrals_or_missing_answers_is_a_409(
    volunteer_client, session
):
    """A direct POST (no queue: curl) of a saved UUID with another content is refused with
    409 and its reason, whatever part differs; the first note is kept unchanged."""
    from encounters.models import Right

    url = reverse("encounter_create", args=[session.pk])
    energy = Right.objects.get(code="cheque-energie")
    rsa = Right.objects.get(code="rsa")
    data = conversation_post(
        **{
            "signals-0-right": str(energy.pk),
            "signals-0-reason": "non_knowledge",
            "referrals-0-partner_kind": "caf",
            "referrals-0-right": str(rsa.pk),
        }
    )
    assert volunteer_client.post(url, data).status_code == 302
    changes = (
        {"signals-0-right": str(rsa.pk)},
        {"signals-0-right": ""},
        {"referrals-0-partner_kind": "ccas"},
        {"referrals-0-right": ""},
        {"topics": ["rights", "energy", "health"]},
    )
    for change in changes:
        for extra in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = volunteer_client.post(url, {**data, **change}, **extra)
            assert response.status_code == 409, change
            assert "première version est gardée" in _reason(response)
    # Only the UUID and a kind: not the saved note either.
    bare = {"client_uuid": data["client_uuid"], "kind": "conversation"}
    assert volunteer_client.post(url, bare).status_code == 409
    # The same content again is still accepted.
    assert volunteer_client.post(url, data).status_code == 302
    encounter = Encounter.objects.get()
    assert list(encounter.signals.values_list("right__code", flat=True)) == ["cheque-energie"]
    assert list(encounter.referrals.values_list("partner_kind", flat=True)) == ["caf"]


def test_undo_of_a_tap_uuid_of_another_session_is_a_409(volunteer_client, session, org):
    key = uuid.uuid4()
    _tap(volunteer_client, session, key=key)
    other = _session(org, start=-timedelta(hours=1))
    response = volunteer_client.post(
        reverse("field_tap_undo", args=[other.pk]), {"tap": str(key)}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 409
    assert "pas été annulé" in _reason(response)
    assert ContactTap.objects.filter(client_uuid=key, session=session).exists()
    # Its own session takes it back; again is a no-op (idempotent), not a refusal.
    undo = reverse("field_tap_undo", args=[session.pk])
    assert volunteer_client.post(undo, {"tap": str(key)}, HTTP_HX_REQUEST="true").status_code == 200
    assert volunteer_client.post(undo, {"tap": str(key)}, HTTP_HX_REQUEST="true").status_code == 200
    assert not ContactTap.objects.exists()
