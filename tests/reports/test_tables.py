"""Every total beside its parts: rounded parts add up to the rounded whole."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.time import PARIS, Period
from outreach.models import SessionStatus
from reports.report import federation_tables, for_outsiders, report_tables
from reports.tables import round_half_up, round_to_total
from tests.organisations.factories import OrganisationFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import PlaceFactory, TerritoryFactory


def test_round_to_total_gives_the_units_left_to_the_largest_fractions():
    assert round_to_total([1.4, 1.4, 1.4]) == [2, 1, 1]
    assert round_to_total([463.3, 258.3, 668.4]) == [463, 258, 669]
    assert round_to_total([2.0, 3.0]) == [2, 3]
    assert round_to_total([]) == []


@given(st.lists(st.floats(0, 10_000, allow_nan=False), max_size=12))
def test_rounded_parts_add_up_to_the_rounded_whole(values):
    parts = round_to_total(values)
    assert sum(parts) == round_half_up(sum(values))
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


@pytest.mark.django_db
def test_the_hours_by_place_add_up_to_the_key_figure():
    """The tester's Picardie month: 3 h 30 at the market and 3 h at Grandvilliers. The key
    figure said 6 (6.5 rounded half to even) beside places of 4 + 3 = 7."""
    org = OrganisationFactory()
    territory = TerritoryFactory(organisation=org)
    for day, minutes in ((1, 210), (2, 180)):
        start = datetime(2026, 11, day, 9, tzinfo=PARIS)
        OutreachSessionFactory(
            territory=territory,
            place=PlaceFactory(organisation=org, territory=territory),
            starts_at=start,
            ends_at=start + timedelta(minutes=minutes),
            status=SessionStatus.DONE,
        )
    tables = report_tables((org.pk,), Period.month(datetime(2026, 11, 1).date()))
    key, places = tables[0], next(t for t in tables if t.name == "places")
    hours = key.rows[key.row_index("hours")].values[0]
    by_place = [row.values[1] for row in places.rows]
    assert hours == 7
    assert sorted(by_place) == [3, 4] and sum(by_place) == hours
