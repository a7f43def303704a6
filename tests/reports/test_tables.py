"""Every total beside its parts: rounded parts add up to the rounded whole."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.time import PARIS, Period
from outreach.models import SessionStatus
from reports.report import federation_tables, for_outsiders
from reports.tables import round_to_total
from tests.organisations.factories import OrganisationFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import TerritoryFactory


def test_round_to_total_gives_the_units_left_to_the_largest_fractions():
    assert round_to_total([1.4, 1.4, 1.4]) == [2, 1, 1]
    assert round_to_total([463.3, 258.3, 668.4]) == [463, 258, 669]
    assert round_to_total([2.0, 3.0]) == [2, 3]
    assert round_to_total([]) == []


@given(st.lists(st.floats(0, 10_000, allow_nan=False), max_size=12))
def test_rounded_parts_add_up_to_the_rounded_whole(values):
    parts = round_to_total(values)
    assert sum(parts) == round(sum(values))
    assert all(abs(p - v) < 1 for p, v in zip(parts, values, strict=True))


@pytest.mark.django_db
def test_the_federations_hours_add_up_to_the_whole():
    """Three organisations of 1 h 24 each: 4.2 hours in all. Each rounded alone gave
    1 + 1 + 1 beside a whole of 4."""
    organisations = []
    for n in range(3):
        org = OrganisationFactory(name=f"Association {n}")
        start = datetime(2026, 10, 5 + n, 9, tzinfo=PARIS)
        OutreachSessionFactory(
            territory=TerritoryFactory(organisation=org),
            starts_at=start,
            ends_at=start + timedelta(minutes=84),
            status=SessionStatus.DONE,
        )
        organisations.append(org)
    tables = for_outsiders(federation_tables(organisations, Period.month(start.date())), 11)
    side_by_side, key = tables[0], tables[1]
    hours = 1  # selectors.headline_labels: sessions, hours...
    parts = [row.cells[hours].value for row in side_by_side.rows]
    whole = key.rows[1].cells[0].value
    assert whole == 4 and sum(parts) == 4
    assert side_by_side.column_totals[hours].value == whole
