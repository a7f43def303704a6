"""Each dashboard figure against figures computed by hand on a small fixture."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import translation

from core.time import Period
from reports import selectors
from reports.rollups import rollup_rebuild
from reports.selectors import Scope

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


@pytest.fixture(autouse=True, params=[False, True], ids=["live", "rollups"])
def rollups(request, settings):
    """Every figure below twice: from the live tables, then from the rollups (rebuilt:
    the ``field`` fixture writes with factories, not through the services)."""
    settings.REPORTS_USE_ROLLUPS = request.param
    if request.param and "field" in request.fixturenames:
        request.getfixturevalue("field")
        rollup_rebuild()


def march(field, **kwargs) -> Scope:
    return Scope((field["org"].pk,), Period.month(date(2026, 3, 1)), **kwargs)


def test_field_activity(field):
    assert selectors.field_activity(march(field)) == {
        "sessions": 2,
        "hours": 6.0,  # 3 h + 2 h 59, rounded to a tenth
        "brief_contacts": 25,
        "refusals": 4,
    }


def test_encounter_counts_and_the_last_evening_of_the_month(field):
    assert selectors.encounter_counts(march(field)) == {
        "encounters": 3,
        "conversations": 2,
        "on_site_help": 1,
        "first_time": 2,
        "already_met": 1,
    }
    april = Scope((field["org"].pk,), Period.month(date(2026, 4, 1)))
    assert selectors.encounter_counts(april)["encounters"] == 1


def test_territory_filter_includes_sub_territories(field):
    only_gare = march(field, territory_ids=(field["gare"].pk,))
    assert selectors.encounter_counts(only_gare)["encounters"] == 1
    assert selectors.field_activity(only_gare)["sessions"] == 1
    whole = march(field, territory_ids=(field["prades"].pk, field["gare"].pk))
    assert selectors.encounter_counts(whole)["encounters"] == 3


def test_kind_and_member_filters(field):
    assert selectors.field_activity(march(field, session_kind="permanence"))["sessions"] == 1
    mine = march(field, member_id=field["volunteer"].pk)
    assert selectors.encounter_counts(mine)["encounters"] == 1
    assert selectors.field_activity(mine)["sessions"] == 1


def test_signals_by_right_and_reason(field):
    table = selectors.signals_by_right_and_reason(march(field))
    reasons = ["non_knowledge", "non_demand", "non_receipt", "non_proposal"]
    cells = {row.label: dict(zip(reasons, row.values, strict=True)) for row in table.rows}
    assert cells == {
        "RSA": {"non_knowledge": 0, "non_demand": 2, "non_receipt": 0, "non_proposal": 0},
        "CSS": {"non_knowledge": 1, "non_demand": 0, "non_receipt": 0, "non_proposal": 0},
    }


def test_signals_by_month(field):
    year = Scope((field["org"].pk,), Period.year(date(2026, 1, 1)))
    table = selectors.signals_by_month(year)
    assert len(table.columns) == 12 and table.columns[2] == "mars 2026"
    # Month names from the locale: never "Jui" for both June and July.
    assert table.columns[5:8] == ["juin 2026", "juil. 2026", "août 2026"]
    assert table.columns[0] == "jan. 2026"
    by_reason = {row.label.split(" ")[0]: row.values for row in table.rows}
    assert by_reason["Non-demande"][2] == 2 and by_reason["Non-connaissance"][2] == 1
    assert by_reason["Non-réception"][3] == 1
    assert sum(sum(row.values) for row in table.rows) == 4


def test_signals_by_month_of_a_period_starting_mid_month(field):
    # 31 March to 30 April: the 31 March signal counts in a "Mar 2026" column.
    scope = Scope((field["org"].pk,), Period.custom(date(2026, 3, 31), date(2026, 4, 30)))
    table = selectors.signals_by_month(scope)
    assert table.columns == ["mars 2026", "avr. 2026"]
    by_reason = {row.label.split(" ")[0]: row.values for row in table.rows}
    assert by_reason["Non-demande"] == [1, 0]
    assert by_reason["Non-réception"] == [0, 1]


def test_referrals_by_partner_and_funnel(field):
    table = selectors.referrals_by_partner(march(field))
    by_label = {row.label: row.values for row in table.rows}
    # columns: proposed, accepted, done, declined, unknown
    assert by_label == {
        "CAF 66": [0, 0, 1, 0, 0],
        "CCAS (centre communal d’action sociale)": [0, 1, 0, 0, 0],
    }
    assert [r.values[0] for r in selectors.referral_funnel(march(field)).rows] == [2, 2, 1]


def test_topics_and_hours(field):
    assert {r.label: r.values[0] for r in selectors.topics(march(field)).rows} == {
        "Logement": 1,
        "Droits et prestations": 1,
        "Santé": 1,
    }
    hours = {r.label: r.values[0] for r in selectors.conversations_by_hour(march(field)).rows}
    assert hours["9 h"] == 1 and hours["10 h"] == 1 and hours["23 h"] == 1 and hours["15 h"] == 0


def test_weekday_by_hour(field):
    table = selectors.encounters_by_weekday_and_hour(march(field))
    # Weekday names from the locale, Monday first.
    assert [row.label for row in table.rows][:2] == ["lundi", "mardi"]
    assert table.columns[0] == "9 h" and table.columns[-1] == "23 h"
    cells = {
        (row.label, column): value
        for row in table.rows
        for column, value in zip(table.columns, row.values, strict=True)
        if value
    }
    # 3 March 9:30 and 10:15, 31 March 23:30 (still March, Paris time): all Tuesdays.
    assert cells == {("mardi", "9 h"): 1, ("mardi", "10 h"): 1, ("mardi", "23 h"): 1}


def test_a_heat_map_writes_each_count_and_draws_what_its_table_shows(field):
    from reports.charts import heat_map

    figure = heat_map(selectors.encounters_by_weekday_and_hour(march(field)), slug="t")
    assert figure.count('data-value="1"') == 3 and 'role="img"' in figure
    assert "Le plus fréquenté" in figure or "Busiest" in figure


def test_by_place_and_by_territory(field):
    places = {r.label: r.values for r in selectors.conversations_by_place(march(field)).rows}
    assert places["Marché du mardi"] == [2, 3, 7]  # 2 encounters in 3 h: 6.7 per 10 h
    assert places["Salle de la mairie"] == [1, 3, 3]
    territories = {r.label: r.values for r in selectors.by_territory(march(field)).rows}
    assert territories == {"Prades": [1, 2, 2, 2], "Gare": [1, 1, 1, 0]}


def test_previous_period_and_same_month_last_year():
    march_ = Period.month(date(2026, 3, 15))
    assert march_.previous() == Period.month(date(2026, 2, 1))
    assert march_.same_last_year() == Period.month(date(2025, 3, 1))
    assert Period.quarter(date(2026, 1, 5)).previous() == Period.quarter(date(2025, 10, 1))
    custom = Period.custom(date(2026, 3, 1), date(2026, 3, 10))
    assert custom.previous() == Period("custom", date(2026, 2, 19), date(2026, 3, 1))
    assert march_.start_at.utcoffset() == timedelta(hours=1)
    assert Period.month(date(2026, 4, 1)).start_at.utcoffset() == timedelta(hours=2)


def test_last_twelve_months_end_with_the_period():
    assert Period.month(date(2026, 3, 10)).last_twelve_months() == Period(
        "custom", date(2025, 4, 1), date(2026, 4, 1)
    )
    assert Period.year(date(2026, 5, 1)).last_twelve_months() == Period(
        "custom", date(2026, 1, 1), date(2027, 1, 1)
    )
