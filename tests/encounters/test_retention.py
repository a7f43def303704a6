"""Retention of free text: apply_retention empties old notes and keeps every figure."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

import pytest
from django.apps import apps
from django.core.management import call_command

from core.time import PARIS
from encounters.models import Encounter, EncounterChange
from encounters.retention import retention_apply, retention_cutoff
from outreach.models import OutreachSession
from reports.models import Rollup
from territories.models import Observation
from tests.encounters.factories import EncounterFactory, ReferralFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import ObservationFactory, TerritoryFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=PARIS)


@pytest.fixture
def data(org, other_org):
    """For each organisation: an old and a recent session with debriefs and encounters."""
    made = {}
    for organisation in (org, other_org):
        territory = TerritoryFactory(organisation=organisation)
        sessions = {}
        for label, day in (("old", date(2024, 11, 15)), ("recent", date(2026, 6, 1))):
            session = OutreachSessionFactory(
                territory=territory,
                starts_at=_at(day),
                ends_at=_at(day) + timedelta(hours=2),
                brief_contacts=7,
                refusals=2,
                next_time=f"Venir plus tôt ({label}).",
                comments=f"Beaucoup de monde ({label}).",
            )
            encounter = EncounterFactory(session=session, note=f"Note {label}.")
            ReferralFactory(encounter=encounter)
            EncounterChange.objects.create(
                organisation=organisation,
                encounter=encounter,
                field="note",
                old="Ancienne note.",
                new=f"Note {label}.",
            )
            ObservationFactory(territory=territory, observed_on=day, text=f"Vu ({label}).")
            sessions[label] = session
        made[organisation.pk] = sessions
    return made


def _figures() -> dict:
    """Every rollup row and every count a figure reads, for comparison."""
    figures = {}
    for model in apps.get_models():
        if issubclass(model, Rollup) and not model._meta.abstract:
            rows = model.objects.order_by("pk").values()
            figures[model.__name__] = [{k: v for k, v in row.items() if k != "id"} for row in rows]
    figures["sessions"] = list(
        OutreachSession.objects.order_by("pk").values_list("pk", "brief_contacts", "refusals")
    )
    figures["encounters"] = list(
        Encounter.objects.order_by("pk").values_list("pk", "kind", "age_band", "occurred_at")
    )
    return figures


def test_cutoff_counts_whole_months_back():
    assert retention_cutoff(months=24, today=TODAY) == date(2024, 12, 2)
    assert retention_cutoff(months=1, today=date(2026, 3, 31)) == date(2026, 2, 28)


def test_old_free_text_is_emptied_recent_kept(org, data):
    results = retention_apply(today=TODAY, organisation=org)
    assert [
        (r.encounter_notes, r.encounter_changes, r.debriefs, r.observations) for r in results
    ] == [(1, 1, 1, 1)]
    old, recent = data[org.pk]["old"], data[org.pk]["recent"]
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.next_time, old.comments) == ("", "")
    assert recent.comments == "Beaucoup de monde (recent)."
    assert Encounter.objects.get(session=old).note == ""
    assert Encounter.objects.get(session=recent).note == "Note recent."
    change = EncounterChange.objects.get(encounter__session=old)
    assert (change.old, change.new) == ("", "")
    assert set(Observation.objects.filter(organisation=org).values_list("text", flat=True)) == {
        "",
        "Vu (recent).",
    }


def test_figures_are_the_same_before_and_after(org, data):
    call_command("rebuild_rollups")
    before = _figures()
    assert before["DailyActivity"] and before["MonthlyReferral"]  # figures to compare
    call_command("apply_retention", today=TODAY.isoformat())
    assert _figures() == before
    # Recomputed from the live tables, the figures are the same too.
    call_command("rebuild_rollups")
    assert _figures() == before


def test_each_organisation_keeps_its_own_retention(org, other_org, data):
    other_org.note_retention_months = 60
    other_org.save()
    retention_apply(today=TODAY)
    assert Encounter.objects.get(session=data[org.pk]["old"]).note == ""
    assert Encounter.objects.get(session=data[other_org.pk]["old"]).note == "Note old."


def test_a_second_run_changes_nothing(org, data):
    retention_apply(today=TODAY)
    again = retention_apply(today=TODAY)
    assert sum(result.total for result in again) == 0


def test_dry_run_counts_and_changes_nothing(org, data, capsys):
    call_command("apply_retention", "--dry-run", today=TODAY.isoformat())
    out = capsys.readouterr().out
    assert f"{org.slug}: would empty 1 encounter notes, 1 corrections, 1 debriefs" in out
    assert Encounter.objects.filter(note="").count() == 0


def test_it_logs_what_it_did(org, data, caplog):
    with caplog.at_level(logging.INFO, logger="encounters.retention"):
        call_command("apply_retention", today=TODAY.isoformat())
    assert any(
        org.slug in record.getMessage() and "1 encounter notes" in record.getMessage()
        for record in caplog.records
    )


def test_the_setting_is_on_the_organisation_settings_page(member_client, org):
    from django.urls import reverse

    from organisations.models import Role

    client = member_client(Role.MANAGER)
    url = reverse("organisation_settings")
    assert "note_retention_months" in client.get(url).content.decode()
    data = {
        "name": org.name,
        "small_count_threshold": 11,
        "note_retention_months": 61,
    }
    response = client.post(url, data)
    assert response.status_code == 422
    response = client.post(url, {**data, "note_retention_months": 12})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.note_retention_months == 12
    # A form sent without the field (an older page) keeps the setting.
    del data["note_retention_months"]
    assert client.post(url, data).status_code == 302
    org.refresh_from_db()
    assert org.note_retention_months == 12
