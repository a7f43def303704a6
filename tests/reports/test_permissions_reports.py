"""Every dashboard and report view x every role, wrong methods, and no leak across orgs."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse

from core.time import PARIS
from organisations.models import Role
from outreach.models import SessionStatus
from tests.encounters.factories import EncounterFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db
V, C, M = Role.VOLUNTEER, Role.COORDINATOR, Role.MANAGER
MONTH = ("month", "2026-10")
NARRATIVE = {"highlights": "Belle saison.", "difficulties": "", "partnerships": ""}

# (url name, args, method, data, roles allowed, status when allowed, wrong method)
CASES = [
    ("dashboard", (), "get", {}, {V, C, M}, 200, "post"),
    ("report_list", (), "get", {}, {C, M}, 200, "post"),
    ("report_detail", MONTH, "get", {}, {C, M}, 200, "post"),
    ("report_detail", ("year", "2026"), "get", {}, {C, M}, 200, "delete"),
    ("report_narrative", MONTH, "post", NARRATIVE, {C, M}, 302, "get"),
    ("report_validate", MONTH, "post", {}, {M}, 302, "get"),
    ("report_download", (*MONTH, "csv"), "get", {}, {C, M}, 200, "post"),
    ("report_download", (*MONTH, "xlsx"), "get", {}, {C, M}, 200, "post"),
    ("report_download", (*MONTH, "pdf"), "get", {}, {C, M}, 200, "post"),
]
IDS = [f"{c[2]} {c[0]} {'/'.join(c[1])}" for c in CASES]


@pytest.fixture(autouse=True)
def first_activity(org):
    """Reports exist from the first activity: the organisation started in October."""
    OutreachSessionFactory(
        territory=TerritoryFactory(organisation=org),
        starts_at=datetime(2026, 10, 6, 9, tzinfo=PARIS),
        status=SessionStatus.PLANNED,  # planned, never held: no figure changes
    )


@pytest.mark.parametrize("case", CASES, ids=IDS)
@pytest.mark.parametrize("role", [V, C, M])
def test_roles(case, role, member_client):
    name, args, method, data, allowed, ok, _wrong = case
    response = getattr(member_client(role), method)(reverse(name, args=args), data)
    assert response.status_code == (ok if role in allowed else 403)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_wrong_method(case, member_client):
    name, args, _method, _data, _allowed, _ok, wrong = case
    assert getattr(member_client(M), wrong)(reverse(name, args=args)).status_code == 405


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_anonymous_goes_to_login(case, client):
    name, args, method, *_rest = case
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_federation_report_is_for_managers_of_several_organisations(member_client):
    for role in (V, C, M):
        response = member_client(role).get(reverse("federation_report", args=MONTH))
        assert response.status_code == 403


def test_another_organisations_figures_never_show(manager_client, other_org):
    paris = PARIS
    session = OutreachSessionFactory(
        territory=TerritoryFactory(organisation=other_org, name="Leur quartier"),
        starts_at=datetime(2026, 10, 6, 9, tzinfo=paris),
        ends_at=datetime(2026, 10, 6, 12, tzinfo=paris),
        status=SessionStatus.DONE,
        brief_contacts=50,
    )
    for minute in range(12):
        EncounterFactory(
            session=session, occurred_at=datetime(2026, 10, 6, 9, minute, tzinfo=paris)
        )
    dashboard = manager_client.get(reverse("dashboard"), {"period": "month", "on": "2026-10-06"})
    assert all(card["value"] == 0 for card in dashboard.context["cards"])
    report = manager_client.get(reverse("report_detail", args=MONTH)).content.decode()
    assert "Leur quartier" not in report
    csv = manager_client.get(reverse("report_download", args=(*MONTH, "csv"))).content.decode()
    assert "Leur quartier" not in csv and ";50" not in csv
