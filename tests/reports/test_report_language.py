"""A validated report reads in the reader's language, whoever validated it (issue 14).

The snapshot holds numbers and keys; the words are written when the report is read.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from core.time import PARIS, Period
from organisations.models import Role
from reports.models import Report
from reports.report import report_figures, report_tables, serialize
from territories.models import Place

pytestmark = pytest.mark.django_db
MARCH = reverse("report_detail", args=["month", "2026-03"])


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(datetime(2026, 5, 10, 10, tzinfo=PARIS), tick=False):
        yield


@pytest.fixture
def manager(field, member_client):
    return member_client(Role.MANAGER, organisation=field["org"])


def _read(client, lang: str) -> dict:
    """The report's tables as the page takes them (before small categories are gathered
    and small counts masked, which would hide most rows of this small month)."""
    client.cookies["django_language"] = lang
    assert client.get(MARCH).status_code == 200
    report = Report.objects.select_related("organisation").get(start=date(2026, 3, 1))
    with translation.override(lang):
        tables = report_figures(report, report.organisation).tables
    return {t.name: (t.title, [r.label for r in t.rows]) for t in tables}


def _validate(client, lang: str) -> None:
    client.cookies["django_language"] = lang
    response = client.post(reverse("report_validate", args=["month", "2026-03"]))
    assert response.status_code == 302
    assert Report.objects.get(start=date(2026, 3, 1)).is_validated


def test_validated_in_french_read_in_english(manager):
    _validate(manager, "fr")
    tables = _read(manager, "en")
    assert tables["key"][0] == "Key figures"
    assert "Conversations" in tables["key"][1] and "Échanges" not in tables["key"][1]
    assert tables["funnel"] == (
        "Referrals: from proposed to done",
        ["Proposed", "Accepted", "Done"],
    )
    assert tables["topics"][0] == "Topics of the conversations"
    assert "Housing" in tables["topics"][1] and "Logement" not in tables["topics"][1]
    # Names are data: as they were.
    assert "Marché du mardi" in tables["places"][1]
    assert "Prades" in tables["territories"][1]
    page = manager.get(MARCH).content.decode()
    assert "Chiffres clés" not in page and "Sujets abordés" not in page


def test_validated_in_english_read_in_french(manager):
    _validate(manager, "en")
    tables = _read(manager, "fr")
    assert tables["key"][0] == "Chiffres clés"
    assert "Échanges" in tables["key"][1]
    assert tables["funnel"][1] == ["Proposée", "Acceptée", "Réalisée"]
    assert "Logement" in tables["topics"][1] and "Housing" not in tables["topics"][1]
    page = manager.get(MARCH).content.decode()
    assert "Key figures" not in page and "Topics of the conversations" not in page


def test_the_downloads_follow_the_reader_too(manager):
    _validate(manager, "fr")
    manager.cookies["django_language"] = "en"
    response = manager.get(reverse("report_download", args=["month", "2026-03", "csv"]))
    text = response.content.decode("utf-8-sig")
    cells = {c for row in csv.reader(io.StringIO(text), delimiter=";") for c in row}
    assert {"Key figures", "Topics of the conversations", "Conversations"} <= cells
    assert not {"Chiffres clés", "Sujets abordés", "Échanges"} & cells


def test_a_place_renamed_since_keeps_the_name_it_was_sent_with(manager):
    _validate(manager, "fr")
    Place.objects.filter(name="Marché du mardi").update(name="Marché couvert")
    assert "Marché du mardi" in _read(manager, "en")["places"][1]


def _store(snapshot: list[dict]) -> None:
    Report.objects.filter(start=date(2026, 3, 1)).update(snapshot=snapshot)


def test_an_old_snapshot_of_sentences_reads_in_english(manager, field):
    """Snapshots validated by earlier versions: words of the validator's language, rows
    without keys (or even without table names: then by position)."""
    _validate(manager, "fr")
    with translation.override("fr"):
        french = serialize(report_tables((field["org"].pk,), Period.month(date(2026, 3, 1))))
    keyless = [
        {
            **t,
            "rows": [
                [label, values, key if t["name"] in ("key", "funnel") else ""]
                for label, values, key in t["rows"]
            ],
        }
        for t in french
    ]
    _store(keyless)
    tables = _read(manager, "en")
    assert tables["key"][0] == "Key figures"
    assert "Housing" in tables["topics"][1] and "Logement" not in tables["topics"][1]
    assert "Marché du mardi" in tables["places"][1]

    positional = [
        {k: t[k] for k in ("title", "description", "row_header", "columns", "totals", "chart")}
        | {"rows": [[label, values] for label, values, _key in t["rows"]]}
        for t in french
    ]
    _store(positional)
    tables = _read(manager, "en")
    assert tables["key"][0] == "Key figures" and "Conversations" in tables["key"][1]
    assert tables["funnel"][1] == ["Proposed", "Accepted", "Done"]
    assert "Housing" in tables["topics"][1]
    # And still in French for a French reader, with the figures as validated.
    assert "Logement" in _read(manager, "fr")["topics"][1]
