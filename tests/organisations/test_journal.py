"""The journal of sensitive actions: written by the services, read by managers, never edited."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.contrib.admin.sites import site
from django.test import Client, RequestFactory
from django.urls import reverse

from core.time import local_datetime
from organisations import services
from organisations.models import Invitation, JournalAction, JournalEntry, Role
from tests.organisations.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


def _actions(org) -> list[str]:
    return list(
        JournalEntry.objects.filter(organisation=org)
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_sensitive_actions_are_journalled_with_who_what_and_when(member_client, org):
    manager = member_client(Role.MANAGER)
    manager.post(reverse("member_invite"), {"email": "nouvelle@example.org", "role": "volunteer"})
    invitation = Invitation.objects.get()
    manager.post(reverse("invitation_revoke", args=[invitation.pk]))
    member = MembershipFactory(organisation=org, role=Role.VOLUNTEER)
    edit = reverse("member_edit", args=[member.pk])
    manager.post(edit, {"role": Role.COORDINATOR, "is_active": "on"})
    manager.post(edit, {"role": Role.COORDINATOR})
    services.organisation_update(
        organisation=org, by=manager.membership, small_count_threshold=5, name=org.name
    )
    # A report can be validated once its month has ended, from the first activity on.
    OutreachSessionFactory(
        territory=TerritoryFactory(organisation=org),
        starts_at=local_datetime(date(2026, 3, 10), time(9)),
    )
    assert manager.post(reverse("report_validate", args=["month", "2026-03"])).status_code == 302
    manager.get(reverse("report_download", args=["month", "2026-03", "csv"]))
    manager.get(reverse("data_export"))
    assert _actions(org) == [
        JournalAction.INVITATION_SENT,
        JournalAction.INVITATION_WITHDRAWN,
        JournalAction.ROLE_CHANGED,
        JournalAction.MEMBER_DEACTIVATED,
        JournalAction.SETTINGS_CHANGED,
        JournalAction.REPORT_VALIDATED,
        JournalAction.REPORT_EXPORTED,
        JournalAction.DATA_DOWNLOADED,
    ]
    role_change = JournalEntry.objects.get(action=JournalAction.ROLE_CHANGED)
    assert role_change.actor == manager.membership.user
    assert role_change.target == member.user.email
    assert "→" in role_change.details
    settings_entry = JournalEntry.objects.get(action=JournalAction.SETTINGS_CHANGED)
    assert "11 → 5" in settings_entry.details

    page = manager.get(reverse("journal"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Journal des actions sensibles" in text
    assert "Invitation envoyée" in text
    assert "nouvelle@example.org" in text


def test_accepting_an_invitation_is_journalled(member_client, org):
    from tests.hardening.test_invitations_bound import _invite

    path = _invite(member_client(Role.MANAGER), "invitee@example.org")
    owner = Client()
    owner.force_login(UserFactory(username="invitee@example.org"))
    owner.post(path)
    assert _actions(org)[-1] == JournalAction.INVITATION_ACCEPTED


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.COORDINATOR])
def test_only_managers_read_the_journal(member_client, role):
    assert member_client(role).get(reverse("journal")).status_code == 403


def test_a_manager_reads_only_their_organisations_journal(member_client, org):
    other = OrganisationFactory(slug="autre-journal")
    JournalEntry.objects.create(
        organisation=other, actor_label="x", action=JournalAction.DATA_DOWNLOADED, target="SECRET"
    )
    page = member_client(Role.MANAGER).get(reverse("journal")).content.decode()
    assert "SECRET" not in page


def test_an_entry_is_never_changed_or_deleted(org):
    entry = JournalEntry.objects.create(
        organisation=org, actor_label="x", action=JournalAction.DATA_DOWNLOADED
    )
    entry.target = "changed"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()
    admin = site._registry[JournalEntry]
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, entry)
    assert not admin.has_delete_permission(request, entry)


def test_no_url_writes_the_journal():
    """The journal page is the only route; the admin's own routes are read-only above."""
    names = [n for n in _all_names() if n and "journal" in n]
    assert [n for n in names if not n.startswith("organisations_journalentry")] == ["journal"]


def _all_names():
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns)
            elif isinstance(p, URLPattern):
                yield p.name

    return list(walk(get_resolver().url_patterns))


def test_the_journal_is_kept_a_year_then_deleted_by_the_retention_command(org):
    from datetime import datetime, timedelta
    from io import StringIO

    from django.core.management import call_command

    from core.time import PARIS

    old = JournalEntry.objects.create(
        organisation=org, actor_label="x", action=JournalAction.DATA_DOWNLOADED
    )
    recent = JournalEntry.objects.create(
        organisation=org, actor_label="x", action=JournalAction.DATA_DOWNLOADED
    )
    now = datetime(2026, 12, 2, 12, tzinfo=PARIS)
    JournalEntry.objects.filter(pk=old.pk).update(at=now - timedelta(days=370))
    JournalEntry.objects.filter(pk=recent.pk).update(at=now - timedelta(days=300))
    out = StringIO()
    call_command("apply_retention", "--today", "2026-12-02", "--dry-run", stdout=out)
    assert "would delete 1 entries" in out.getvalue()
    assert JournalEntry.objects.count() == 2
    call_command("apply_retention", "--today", "2026-12-02", stdout=StringIO())
    assert list(JournalEntry.objects.values_list("pk", flat=True)) == [recent.pk]
