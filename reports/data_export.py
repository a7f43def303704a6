"""The organisation's data, as a ZIP of CSV files (a manager's download).

One CSV per kind of row, every query filtered on the organisation: another
organisation's rows never appear. Text cells that a spreadsheet would read as a
formula (=, +, -, @ first) are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable

from django.db.models import QuerySet

from encounters.models import Encounter, EncounterTopic, NonTakeUpSignal, Referral
from organisations.models import Membership, Organisation
from outreach.models import OutreachSession
from reports.models import Report
from territories.models import Observation, Partner, Place, Territory

# (file name, model, columns read with values_list, header)
_TABLES: tuple[tuple[str, type, tuple[str, ...]], ...] = (
    (
        "encounters.csv",
        Encounter,
        (
            "id",
            "occurred_at",
            "session_id",
            "kind",
            "age_band",
            "gender",
            "first_time",
            "duration_band",
            "language",
            "return_card_code",
            "note",
        ),
    ),
    ("encounter_topics.csv", EncounterTopic, ("encounter_id", "topic")),
    ("signals.csv", NonTakeUpSignal, ("encounter_id", "right__short_name", "reason")),
    (
        "referrals.csv",
        Referral,
        ("encounter_id", "partner__name", "partner_kind", "right__short_name", "topic", "outcome"),
    ),
    (
        "sessions.csv",
        OutreachSession,
        (
            "id",
            "kind",
            "territory__name",
            "place__name",
            "starts_at",
            "ends_at",
            "status",
            "objectives",
            "cancel_reason",
            "brief_contacts",
            "refusals",
            "atmosphere",
            "next_time",
            "comments",
        ),
    ),
    ("observations.csv", Observation, ("id", "territory__name", "observed_on", "text")),
    (
        "territories.csv",
        Territory,
        ("id", "name", "kind", "insee_code", "is_qpv", "parent_id", "description"),
    ),
    ("places.csv", Place, ("id", "name", "kind", "territory__name", "notes")),
    (
        "partners.csv",
        Partner,
        ("id", "name", "kind", "address", "opening_hours", "phone", "email", "website"),
    ),
    (
        "members.csv",
        Membership,
        ("user__first_name", "user__email", "role", "is_active", "created_at"),
    ),
    (
        "reports.csv",
        Report,
        ("kind", "start", "highlights", "difficulties", "partnerships", "validated_at"),
    ),
)

EXPORT_FILES = tuple(name for name, _, _ in _TABLES)


def _safe(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv(columns: tuple[str, ...], rows: Iterable[tuple]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.replace("__", "_") for column in columns])
    for row in rows:
        writer.writerow([_safe(value) for value in row])
    # With a BOM: spreadsheets then read the accents right.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _rows(model: type, organisation: Organisation, columns: tuple[str, ...]) -> QuerySet:
    return model.objects.filter(organisation=organisation).order_by("pk").values_list(*columns)


def organisation_data_zip(organisation: Organisation) -> bytes:
    """Every row of the organisation, one CSV per table, zipped."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, model, columns in _TABLES:
            rows = _rows(model, organisation, columns).iterator(chunk_size=2000)
            archive.writestr(name, _csv(columns, rows))
    return buffer.getvalue()
