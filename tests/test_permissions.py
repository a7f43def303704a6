"""Every view x every role x own and other organisation: 200/302, 403, 404, 405."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.models import Invitation, Role
from tests.encounters.factories import EncounterFactory, ReferralFactory
from tests.organisations.factories import MembershipFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import (
    ObservationFactory,
    PartnerFactory,
    PlaceFactory,
    TerritoryFactory,
)

V, C, M = Role.VOLUNTEER, Role.COORDINATOR, Role.MANAGER
EVERYONE = {V, C, M}
EDITORS = {C, M}


@dataclass(frozen=True)
class Case:
    url_name: str
    method: str
    allowed: set[str]
    obj: str | None = None  # which fixture object's pk goes in the URL
    data: tuple = ()
    ok: int = 200
    wrong_method: str | None = None
    # The view looks the object up before checking the role, because the rule depends
    # on the object (a volunteer corrects their own encounter): another organisation's
    # object answers 404 to every role.
    lookup_first: bool = False

    def __str__(self) -> str:
        return f"{self.method} {self.url_name}"


CASES = [
    Case("home", "get", EVERYONE, wrong_method="post"),
    Case("territory_list", "get", EVERYONE, wrong_method="post"),
    Case("territory_detail", "get", EVERYONE, obj="territory", wrong_method="post"),
    Case("territory_create", "get", EDITORS, wrong_method="put"),
    Case(
        "territory_create", "post", EDITORS, data=(("name", "Vinça"), ("kind", "commune")), ok=302
    ),
    Case("territory_edit", "get", EDITORS, obj="territory", wrong_method="delete"),
    Case(
        "territory_edit",
        "post",
        EDITORS,
        obj="territory",
        data=(("name", "Prades"), ("kind", "commune")),
        ok=302,
    ),
    Case("territory_archive", "post", EDITORS, obj="territory", ok=302, wrong_method="get"),
    Case("place_list", "get", EVERYONE, wrong_method="post"),
    Case("place_detail", "get", EVERYONE, obj="place", wrong_method="post"),
    Case("place_create", "get", EDITORS),
    Case("place_edit", "get", EDITORS, obj="place"),
    Case("place_archive", "post", EDITORS, obj="place", ok=302, wrong_method="get"),
    Case("partner_list", "get", EVERYONE, wrong_method="post"),
    Case("partner_detail", "get", EVERYONE, obj="partner", wrong_method="post"),
    Case("partner_create", "get", EDITORS),
    Case("partner_edit", "get", EDITORS, obj="partner"),
    Case("partner_archive", "post", EDITORS, obj="partner", ok=302, wrong_method="get"),
    Case("observation_create", "get", EDITORS, obj="territory"),
    Case("observation_edit", "get", EDITORS, obj="observation"),
    Case("observation_archive", "post", EDITORS, obj="observation", ok=302, wrong_method="get"),
    Case("member_list", "get", EDITORS, wrong_method="post"),
    Case("member_invite", "get", EDITORS, wrong_method="put"),
    Case("member_edit", "get", EDITORS, obj="membership"),
    Case("invitation_revoke", "post", EDITORS, obj="invitation", ok=302, wrong_method="get"),
    Case("password_change", "get", EVERYONE),
    Case("organisation_settings", "get", {M}, wrong_method="put"),
    Case(
        "organisation_settings",
        "post",
        {M},
        data=(
            ("name", "EVS Prades"),
            ("small_count_threshold", "5"),
            ("note_retention_months", "24"),
        ),
        ok=302,
    ),
    # Outreach sessions. "@name" in data stands for the pk of that fixture object.
    Case("today", "get", EVERYONE, wrong_method="post"),
    Case("agenda", "get", EVERYONE, wrong_method="post"),
    Case("session_detail", "get", EVERYONE, obj="session", wrong_method="post"),
    Case("session_create", "get", EDITORS, wrong_method="put"),
    Case(
        "session_create",
        "post",
        EDITORS,
        data=(
            ("kind", "stand"),
            ("territory", "@territory"),
            ("day", "2026-03-31"),
            ("start_time", "09:00"),
            ("end_time", "12:00"),
        ),
        ok=302,
    ),
    Case("series_create", "get", EDITORS, wrong_method="put"),
    Case("session_edit", "get", EDITORS, obj="session", wrong_method="delete"),
    Case("session_cancel", "get", EDITORS, obj="session", wrong_method="put"),
    Case("session_cancel", "post", EDITORS, obj="session", data=(("reason", "Pluie"),), ok=302),
    Case("session_debrief", "get", EVERYONE, obj="session", wrong_method="put"),
    Case(
        "session_debrief",
        "post",
        EVERYONE,
        obj="session",
        data=(("brief_contacts", "12"), ("refusals", "2")),
        ok=302,
    ),
    Case("session_start_now", "get", EVERYONE, wrong_method="put"),
    Case("calendar_feeds", "get", EVERYONE, wrong_method="post"),
    Case("calendar_feed_renew", "post", EVERYONE, wrong_method="get"),
    Case("calendar_feed_revoke", "post", EVERYONE, ok=302, wrong_method="get"),
    Case("org_calendar_feed_renew", "post", EDITORS, wrong_method="get"),
    Case("org_calendar_feed_revoke", "post", EDITORS, ok=302, wrong_method="get"),
    # Field mode.
    Case("field_mode", "get", EVERYONE, obj="session", wrong_method="post"),
    Case(
        "field_tap",
        "post",
        EVERYONE,
        obj="session",
        data=(("kind", "contact"), ("client_uuid", "@uuid")),
        ok=302,
        wrong_method="get",
    ),
    Case("field_tap_undo", "post", EVERYONE, obj="session", ok=302, wrong_method="get"),
    Case("encounter_create", "get", EVERYONE, obj="session", wrong_method="put"),
    Case(
        "encounter_create",
        "post",
        EVERYONE,
        obj="session",
        data=(
            ("client_uuid", "@uuid"),
            ("kind", "conversation"),
            ("age_band", "unknown"),
            ("gender", "not_stated"),
            ("first_time", "True"),
            ("duration_band", "5_15"),
            ("language", "fr"),
            ("signals-TOTAL_FORMS", "0"),
            ("signals-INITIAL_FORMS", "0"),
            ("referrals-TOTAL_FORMS", "0"),
            ("referrals-INITIAL_FORMS", "0"),
        ),
        ok=302,
    ),
    Case("encounter_detail", "get", EVERYONE, obj="encounter", wrong_method="post"),
    # Another member's encounter: volunteers correct only their own.
    Case("encounter_edit", "get", EDITORS, obj="encounter", wrong_method="put", lookup_first=True),
    Case("referral_list", "get", EVERYONE, wrong_method="post"),
    Case(
        "referral_outcome",
        "post",
        EVERYONE,
        obj="referral",
        data=(("outcome", "done"),),
        ok=302,
        wrong_method="get",
    ),
]


def _objects(organisation) -> dict:
    territory = TerritoryFactory(organisation=organisation)
    session = OutreachSessionFactory(
        territory=territory,
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() - timedelta(days=1) + timedelta(hours=3),
        # Every member so far is on its team: the team debriefs (issue 11).
        members=[m.user for m in organisation.memberships.all()],
    )
    encounter = EncounterFactory(session=session)
    return {
        "uuid": SimpleNamespace(pk=uuid.uuid4()),
        "encounter": encounter,
        "referral": ReferralFactory(encounter=encounter),
        "territory": territory,
        "place": PlaceFactory(territory=territory),
        "partner": PartnerFactory(organisation=organisation),
        "observation": ObservationFactory(territory=territory),
        "membership": MembershipFactory(organisation=organisation, role=V),
        # Started yesterday: its debrief is open to its team and coordinators.
        "session": session,
        "invitation": Invitation.objects.create(
            organisation=organisation,
            email=f"invite@{organisation.slug}.org",
            role=V,
            token_hash=f"hash-{organisation.slug}",
            expires_at=timezone.now() + timedelta(days=3),
        ),
    }


def _data(case: Case, objects: dict) -> dict:
    return {
        k: objects[v[1:]].pk if isinstance(v, str) and v.startswith("@") else v
        for k, v in case.data
    }


def _url(case: Case, objects: dict) -> str:
    args = [objects[case.obj].pk] if case.obj else []
    return reverse(case.url_name, args=args)


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=str)
@pytest.mark.parametrize("role", [V, C, M])
def test_own_organisation(case, role, member_client, org):
    client = member_client(role)
    objects = _objects(org)
    response = getattr(client, case.method)(_url(case, objects), _data(case, objects))
    expected = case.ok if role in case.allowed else 403
    assert response.status_code == expected, response.content[:500]


@pytest.mark.django_db
@pytest.mark.parametrize("case", [c for c in CASES if c.obj], ids=str)
@pytest.mark.parametrize("role", [V, C, M])
def test_other_organisation_objects_answer_404(case, role, member_client, org, other_org):
    client = member_client(role)
    _objects(org)
    theirs = _objects(other_org)
    response = getattr(client, case.method)(_url(case, theirs), _data(case, theirs))
    # A role without the right is refused before the object is looked up: 403 tells
    # nothing about the other organisation either.
    expected = 404 if role in case.allowed or case.lookup_first else 403
    assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("case", [c for c in CASES if c.wrong_method], ids=str)
def test_wrong_method_answers_405(case, member_client, org):
    client = member_client(M)
    response = getattr(client, case.wrong_method)(_url(case, _objects(org)))
    assert response.status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=str)
def test_anonymous_is_sent_to_login(case, client, org):
    url = _url(case, _objects(org))
    response = getattr(client, case.method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_deactivated_member_loses_access(member_client):
    client = member_client(C)
    client.membership.is_active = False
    client.membership.save()
    response = client.get(reverse("territory_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("no_organisation")
    assert client.get(reverse("no_organisation")).status_code == 403
