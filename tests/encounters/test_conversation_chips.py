"""The conversation form on one screen: the usual rights and partners as one-tap chips,
rights named beside their acronym, the same field names as the formsets (no JS needed)."""

from __future__ import annotations

import html
import re
import uuid

import pytest

from encounters.models import NonTakeUpSignal, Referral, Right
from organisations.models import Role
from territories.models import Partner
from tests.encounters.factories import EncounterFactory, ReferralFactory
from tests.outreach.factories import OutreachSessionFactory, ongoing_session
from tests.territories.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(org):
    return ongoing_session(org)


def _chips(page: str, name: str) -> list[str]:
    """The labels of the radio chips named ``name``, in order."""
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", label)).split())
        for label in re.findall(
            rf'<label class="chip[^"]*"><input type="radio" name="{name}"[^>]*>(.*?)</label>',
            page,
            re.S,
        )
    ]


def test_the_session_partners_come_first_then_the_usual_ones(member_client, org, session):
    client = member_client(Role.VOLUNTEER)
    for name in ("Aaa structure jamais utilisée", "Banque alimentaire", "CAF", "CCAS"):
        PartnerFactory(organisation=org, name=name)
    caf = Partner.objects.get(organisation=org, name="CAF")
    ccas = Partner.objects.get(organisation=org, name="CCAS")
    other = OutreachSessionFactory(territory=session.territory)
    for _ in range(3):  # the most used lately, but not in this session
        ReferralFactory(encounter=EncounterFactory(session=other), partner=ccas)
    ReferralFactory(encounter=EncounterFactory(session=session), partner=caf)
    page = client.get(f"/sessions/{session.pk}/encounters/new/").content.decode()
    assert _chips(page, "referrals-0-partner")[:4] == [
        "Personne",
        "CAF",
        "CCAS",
        "Aaa structure jamais utilisée",
    ]


def test_rights_show_their_name_beside_the_acronym(member_client, session):
    page = member_client(Role.VOLUNTEER).get(f"/sessions/{session.pk}/encounters/new/")
    page = page.content.decode()
    chips = _chips(page, "signals-0-right")
    assert chips[0] == "Aucun"
    assert "RSA Revenu de solidarité active" in chips
    # The other rights, in the drop-downs of the other rows, too.
    assert "AME — Aide médicale de l'État" in html.unescape(page)


def test_a_conversation_sent_from_the_chips_saves_its_signal_and_referral(
    member_client, org, session
):
    caf = PartnerFactory(organisation=org, name="CAF")
    rsa = Right.objects.get(code="rsa")
    response = member_client(Role.VOLUNTEER).post(
        f"/sessions/{session.pk}/encounters/new/",
        {
            "client_uuid": str(uuid.uuid4()),
            "kind": "conversation",
            "age_band": "40_59",
            "gender": "not_stated",
            "first_time": "True",
            "topics": ["rights", "housing"],
            "duration_band": "5_15",
            "language": "fr",
            "note": "",
            "signals-TOTAL_FORMS": "3",
            "signals-INITIAL_FORMS": "0",
            "signals-0-right": str(rsa.pk),
            "signals-0-reason": "non_knowledge",
            "signals-1-reason": "non_knowledge",
            "signals-2-reason": "non_knowledge",
            "referrals-TOTAL_FORMS": "2",
            "referrals-INITIAL_FORMS": "0",
            "referrals-0-partner": str(caf.pk),
            "referrals-0-outcome": "proposed",
            "referrals-1-partner": "",
            "referrals-1-outcome": "proposed",
        },
    )
    assert response.status_code == 302
    assert NonTakeUpSignal.objects.get().right == rsa
    assert Referral.objects.get().partner == caf


def test_a_refused_form_keeps_the_chosen_chips(member_client, org, session):
    caf = PartnerFactory(organisation=org, name="CAF")
    fsl = Right.objects.get(code="fsl")  # not among the usual six: added to the chips
    response = member_client(Role.VOLUNTEER).post(
        f"/sessions/{session.pk}/encounters/new/",
        {
            "client_uuid": str(uuid.uuid4()),
            "kind": "conversation",
            "age_band": "40_59",
            "gender": "not_stated",
            "first_time": "True",
            "duration_band": "5_15",
            "language": "fr",
            "note": "Mme Martin au 06 12 34 56 78",
            "signals-TOTAL_FORMS": "3",
            "signals-INITIAL_FORMS": "0",
            "signals-0-right": str(fsl.pk),
            "signals-0-reason": "non_request",
            "referrals-TOTAL_FORMS": "2",
            "referrals-INITIAL_FORMS": "0",
            "referrals-0-partner": str(caf.pk),
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert f'name="signals-0-right" value="{fsl.pk}" checked' in page
    assert f'name="referrals-0-partner" value="{caf.pk}" checked' in page
