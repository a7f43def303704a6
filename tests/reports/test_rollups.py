"""Daily rollups: the same figures as the live tables, kept exact by the write services."""

from __future__ import annotations

import importlib
import threading
import uuid
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from core.time import PARIS, Period
from encounters import services as encounter_services
from encounters.models import Encounter, EncounterKind, Referral, ReferralOutcome, Right, TapKind
from organisations.models import Organisation, Role
from outreach import services as session_services
from outreach.models import SessionStatus
from reports import rollups, selectors
from reports.measures import DIMENSIONS, MEASURES, ROLLUPS, SESSIONS
from reports.models import DailyHour, RollupLock
from reports.rollups import (
    MONTHLY,
    ROLLUP_MODELS,
    rollup_rebuild,
    rollup_refresh_day,
    rollup_refresh_days,
)
from reports.selectors import Scope, figure_sums
from tests.encounters.factories import EncounterFactory
from tests.organisations.factories import MembershipFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import PartnerFactory, PlaceFactory, TerritoryFactory

pytestmark = pytest.mark.django_db

SELECTORS = [
    selectors.field_activity,
    selectors.encounter_counts,
    selectors.headline,
    selectors.conversations_by_place,
    selectors.conversations_by_hour,
    selectors.encounters_by_weekday_and_hour,
    selectors.topics,
    selectors.signals_by_right_and_reason,
    selectors.signals_by_month,
    selectors.referrals_by_partner,
    selectors.referral_funnel,
    selectors.by_territory,
]


def at(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def _scopes(field) -> dict[str, Scope]:
    org = (field["org"].pk,)
    march = Period.month(date(2026, 3, 1))
    return {
        "march": Scope(org, march),
        "april": Scope(org, Period.month(date(2026, 4, 1))),
        "year": Scope(org, Period.year(date(2026, 1, 1))),
        "all time": Scope(org, Period.custom(date(2020, 1, 1), date(2026, 12, 31))),
        "gare": Scope(org, march, territory_ids=(field["gare"].pk,)),
        "prades and gare": Scope(org, march, territory_ids=(field["prades"].pk, field["gare"].pk)),
        "permanence": Scope(org, march, session_kind="permanence"),
        "both organisations": Scope((*org, field["other"].pk), march),
        "a day": Scope(org, Period.custom(date(2026, 3, 31), date(2026, 3, 31))),
        # Monthly rows for the whole months, daily rows for the days around them.
        "31 March to April": Scope(org, Period.custom(date(2026, 3, 31), date(2026, 4, 30))),
        "March to 7 April": Scope(org, Period.custom(date(2026, 3, 1), date(2026, 4, 7))),
        "2 March to 7 April, gare": Scope(
            org,
            Period.custom(date(2026, 3, 2), date(2026, 4, 7)),
            territory_ids=(field["gare"].pk,),
        ),
    }


def _plain(figure):
    return figure if isinstance(figure, dict) else asdict(figure)


def _figures(scope: Scope) -> list:
    return [_plain(selector(scope)) for selector in SELECTORS]


@pytest.fixture
def field(field, other_org):
    return {**field, "other": other_org}


@pytest.mark.parametrize("use_rollups", [False, True], ids=["live", "rollups"])
@pytest.mark.parametrize(
    "scope_name",
    [
        "march",
        "april",
        "year",
        "all time",
        "gare",
        "prades and gare",
        "permanence",
        "both organisations",
        "a day",
        "31 March to April",
        "March to 7 April",
        "2 March to 7 April, gare",
    ],
)
def test_every_selector_gives_the_live_figures(field, settings, use_rollups, scope_name):
    scope = _scopes(field)[scope_name]
    settings.REPORTS_USE_ROLLUPS = False
    live = _figures(scope)
    settings.REPORTS_USE_ROLLUPS = use_rollups
    # As the factories kept them (as the services do), then rebuilt from the live tables.
    assert _figures(scope) == live
    rollup_rebuild()
    assert _figures(scope) == live


def test_the_member_filter_reads_the_live_tables(field, settings, django_assert_num_queries):
    settings.REPORTS_USE_ROLLUPS = True
    rollup_rebuild()
    mine = Scope(
        (field["org"].pk,), Period.month(date(2026, 3, 1)), member_id=field["volunteer"].pk
    )
    assert selectors.encounter_counts(mine)["encounters"] == 1
    assert selectors.field_activity(mine)["sessions"] == 1


def test_one_query_for_the_headline_on_rollups(field, settings, django_assert_num_queries):
    settings.REPORTS_USE_ROLLUPS = True
    rollup_rebuild()
    with django_assert_num_queries(1):
        figures = selectors.headline(_scopes(field)["march"])
    assert figures["sessions"] == 2 and figures["encounters"] == 3 and figures["signals"] == 3


# --- Kept exact by the write services, in their transaction ----------------------------


@pytest.fixture
def team(org):
    prades = TerritoryFactory(organisation=org, name="Prades")
    gare = TerritoryFactory(organisation=org, name="Gare", parent=prades)
    return {
        "org": org,
        "prades": prades,
        "gare": gare,
        "market": PlaceFactory(territory=prades, name="Marché"),
        "caf": PartnerFactory(organisation=org, kind="caf", name="CAF 66"),
        "coordinator": MembershipFactory(organisation=org, role=Role.COORDINATOR),
        "rsa": Right.objects.get(code="rsa"),
        "css": Right.objects.get(code="css"),
    }


def _session(team, start: datetime, **kwargs):
    values = {
        "organisation": team["org"],
        "kind": "stand",
        "territory": team["prades"],
        "place": team["market"],
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "lead": team["coordinator"].user,
        "members": [],
        **kwargs,
    }
    return session_services.session_create(**values)


def _encounter(team, session, when: datetime, **fields) -> Encounter:
    data = encounter_services.EncounterData(
        fields={"kind": "conversation", "first_time": True, **fields},
        topics=["rights", "housing"],
        signals=[{"right": team["rsa"], "reason": "non_demand"}],
        referrals=[{"partner": team["caf"], "partner_kind": "caf", "outcome": "proposed"}],
    )
    encounter, _created = encounter_services.encounter_create(
        organisation=team["org"],
        session=session,
        author=team["coordinator"].user,
        client_uuid=uuid.uuid4(),
        data=data,
        occurred_at=when.astimezone(UTC),  # as the view gives it
    )
    return encounter


def _debrief(team, session, contacts: int = 10):
    return session_services.session_debrief(
        session=session,
        by=team["coordinator"],
        brief_contacts=contacts,
        refusals=1,
        atmosphere="good",
        next_time="",
        comments="",
    )


def _rollup_rows() -> dict[str, list]:
    """Every rollup row, daily and monthly, without its id, in a stable order."""
    rows = {}
    for model in (*ROLLUP_MODELS, *MONTHLY.values()):
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        rows[model.__name__] = sorted(model.objects.values_list(*fields), key=repr)
    return rows


def march(team, **kwargs) -> Scope:
    return Scope((team["org"].pk,), Period.month(date(2026, 3, 1)), **kwargs)


@pytest.fixture
def rollups_on(settings):
    settings.REPORTS_USE_ROLLUPS = True


@pytest.mark.usefixtures("rollups_on")
def test_a_new_encounter_and_its_correction_change_the_figures_in_the_same_transaction(team):
    session = _session(team, at(2026, 3, 3, 9))
    with transaction.atomic():
        encounter = _encounter(team, session, at(2026, 3, 3, 9, 30))
        figures = selectors.headline(march(team))
        assert (figures["encounters"], figures["signals"], figures["referrals"]) == (1, 1, 1)
        assert figures["sessions"] == 0  # planned, not held yet
        encounter_services.encounter_update(
            encounter=encounter,
            membership=team["coordinator"],
            data=encounter_services.EncounterData(
                fields={"kind": "on_site_help", "first_time": False},
                topics=["health"],
                signals=[],
                referrals=[],
            ),
        )
        figures = selectors.headline(march(team))
        assert (figures["conversations"], figures["on_site_help"]) == (0, 1)
        assert (figures["first_time"], figures["already_met"]) == (0, 1)
        assert (figures["signals"], figures["referrals"]) == (0, 0)
        assert [r.label for r in selectors.topics(march(team)).rows] == ["Santé"]
        assert selectors.signals_by_right_and_reason(march(team)).rows == []


@pytest.mark.usefixtures("rollups_on")
def test_taps_undo_and_debrief(team):
    session = _session(team, at(2026, 3, 3, 9))
    _debrief(team, session, contacts=10)
    assert selectors.field_activity(march(team)) == {
        "sessions": 1,
        "hours": 3.0,
        "brief_contacts": 10,
        "refusals": 1,
    }
    user = team["coordinator"].user
    with transaction.atomic():
        tap_uuid = uuid.uuid4()
        for kind, client_uuid in [(TapKind.CONTACT, tap_uuid), (TapKind.REFUSAL, uuid.uuid4())]:
            encounter_services.contact_tap(
                organisation=team["org"],
                session=session,
                author=user,
                kind=kind,
                client_uuid=client_uuid,
            )
        figures = selectors.field_activity(march(team))
        assert (figures["brief_contacts"], figures["refusals"]) == (11, 2)
        encounter_services.contact_tap_undo(
            organisation=team["org"], session=session, author=user, client_uuid=tap_uuid
        )
        assert selectors.field_activity(march(team))["brief_contacts"] == 10


@pytest.mark.usefixtures("rollups_on")
def test_a_referral_outcome_moves_the_funnel(team):
    session = _session(team, at(2026, 3, 3, 9))
    encounter = _encounter(team, session, at(2026, 3, 3, 9, 30))
    referral = Referral.objects.get(encounter=encounter)
    with transaction.atomic():
        encounter_services.referral_set_outcome(
            referral=referral, outcome="done", by=team["coordinator"]
        )
        funnel = [row.values[0] for row in selectors.referral_funnel(march(team)).rows]
        assert funnel == [1, 1, 1]
        by_partner = selectors.referrals_by_partner(march(team))
        assert by_partner.rows[0].values == [0, 0, 1, 0, 0]


@pytest.mark.usefixtures("rollups_on")
def test_moving_a_session_moves_its_figures_and_its_encounters_territory(team):
    session = _session(team, at(2026, 3, 3, 9))
    _debrief(team, session)
    _encounter(team, session, at(2026, 3, 3, 9, 30))
    session_services.session_update(
        session=session,
        kind="permanence",
        territory=team["gare"],
        place=None,
        starts_at=at(2026, 4, 7, 9),
        ends_at=at(2026, 4, 7, 11),
        lead=team["coordinator"].user,
        members=[],
    )
    assert selectors.field_activity(march(team))["sessions"] == 0
    april = Scope((team["org"].pk,), Period.month(date(2026, 4, 1)))
    assert selectors.field_activity(april)["hours"] == 2.0
    # The encounter stays on its day, under the session's new territory and kind.
    assert selectors.encounter_counts(march(team, session_kind="stand"))["encounters"] == 0
    assert selectors.encounter_counts(march(team, session_kind="permanence"))["encounters"] == 1
    gare = march(team, territory_ids=(team["gare"].pk,))
    assert selectors.by_territory(gare).rows[0].values == [0, 1, 1, 1]


def test_the_rebuild_gives_what_the_write_services_kept(team, settings):
    stand = _session(team, at(2026, 3, 3, 9))
    _debrief(team, stand)
    late = _session(team, at(2026, 3, 31, 21), kind="permanence", territory=team["gare"])
    _debrief(team, late, contacts=3)
    first = _encounter(team, stand, at(2026, 3, 3, 9, 30))
    _encounter(team, stand, at(2026, 3, 3, 10, 15), first_time=False)
    _encounter(team, late, at(2026, 3, 31, 23, 30), kind="on_site_help")
    planned = _session(team, at(2026, 3, 10, 9))
    _encounter(team, planned, at(2026, 3, 10, 9, 5))  # met someone before the rain
    session_services.session_cancel(session=planned, reason="Pluie")
    encounter_services.contact_tap(
        organisation=team["org"],
        session=stand,
        author=team["coordinator"].user,
        kind=TapKind.CONTACT,
        client_uuid=uuid.uuid4(),
    )
    encounter_services.referral_set_outcome(
        referral=Referral.objects.get(encounter=first), outcome="accepted", by=team["coordinator"]
    )
    kept = _rollup_rows()
    assert kept["DailyActivity"] and kept["DailyHour"]

    call_command("rebuild_rollups", "--organisation", team["org"].slug, verbosity=0)
    assert _rollup_rows() == kept
    rollup_rebuild(start=date(2026, 3, 1), end=date(2026, 4, 1))
    assert _rollup_rows() == kept

    settings.REPORTS_USE_ROLLUPS = False
    live = _figures(march(team))
    settings.REPORTS_USE_ROLLUPS = True
    assert _figures(march(team)) == live


def test_refreshing_an_empty_day_removes_its_rows(team):
    session = _session(team, at(2026, 3, 3, 9))
    encounter = _encounter(team, session, at(2026, 3, 3, 9, 30))
    # Removed behind the services' back (as a data fix would): the refresh catches up.
    Encounter.objects.filter(pk=encounter.pk).delete()
    rollup_refresh_day(organisation_id=team["org"].pk, day=date(2026, 3, 3))
    assert not any(_rollup_rows().values())
    assert RollupLock.objects.filter(organisation=team["org"], month=date(2026, 3, 1)).exists()


def test_dashboard_query_count_on_rollups_does_not_grow_with_data(
    manager_client, org, settings, django_assert_num_queries
):
    settings.REPORTS_USE_ROLLUPS = True
    territory = TerritoryFactory(organisation=org)
    params = {"period": "month", "on": "2026-03-15"}

    def add(n: int) -> None:
        for day in range(1, n + 1):
            session = OutreachSessionFactory(
                territory=territory,
                place=PlaceFactory(territory=territory),
                starts_at=at(2026, 3, day, 9),
                status=SessionStatus.DONE,
            )
            EncounterFactory(session=session, occurred_at=at(2026, 3, day, 9, 30))
        rollup_rebuild()

    add(1)
    # 18: the headline of the period, of the one before and of the same days last year.
    with django_assert_num_queries(18) as small:
        assert manager_client.get(reverse("dashboard"), params).status_code == 200
    add(20)
    with django_assert_num_queries(len(small.captured_queries)):
        manager_client.get(reverse("dashboard"), params)


def test_the_demo_data_gives_the_same_figures_on_rollups(settings):
    call_command("seed_demo", verbosity=0)
    org = Organisation.objects.get(slug="evs-prades")
    today = timezone.localdate()
    for period in (
        Period.month(today),
        Period.year(today),
        Period.year(date(today.year - 1, 1, 1)),
    ):
        scope = Scope((org.pk,), period)
        settings.REPORTS_USE_ROLLUPS = False
        live = _figures(scope)
        settings.REPORTS_USE_ROLLUPS = True
        assert _figures(scope) == live
    assert live[1]["encounters"] > 0


@pytest.mark.usefixtures("rollups_on")
def test_taps_during_a_session_skip_the_refresh_and_count_once_it_is_held(
    team, django_assert_max_num_queries
):
    session = _session(team, at(2026, 3, 3, 9))  # planned: its counts are not figures yet
    user = team["coordinator"].user
    # The UUID check, a savepoint, the tap, the total, the locked status, the release:
    # no rollup query.
    with django_assert_max_num_queries(6):
        encounter_services.contact_tap(
            organisation=team["org"],
            session=session,
            author=user,
            kind=TapKind.CONTACT,
            client_uuid=uuid.uuid4(),
        )
    assert selectors.field_activity(march(team))["brief_contacts"] == 0
    session.refresh_from_db()
    _debrief(team, session, contacts=session.brief_contacts)
    assert selectors.field_activity(march(team))["brief_contacts"] == 1


@pytest.fixture(params=["one statement", "one update per row"])
def increments(request, monkeypatch):
    """Both ways of adding to the rollups: one statement (PostgreSQL), or the ORM."""
    if request.param == "one update per row":
        monkeypatch.setattr(rollups, "ONE_STATEMENT_VENDORS", set())
    return request.param


@pytest.mark.usefixtures("increments")
def test_adding_encounters_writes_what_a_refresh_of_the_day_writes(team):
    """The additions of the field-mode hot path against a recompute from the live tables,
    on the cases a counter can get wrong: rows that do not exist yet (no session held),
    then rows a debrief wrote; repeated outcomes; an unknown partner; the same right with
    two rights; a repeated topic; another hour and kind; a night encounter whose UTC
    day is the day before."""
    session = _session(team, at(2026, 3, 3, 21))
    other = _session(team, at(2026, 3, 3, 9), kind="permanence", place=None)
    user = team["coordinator"].user

    def add(session, when, **fields):
        data = encounter_services.EncounterData(
            fields={"kind": "conversation", "first_time": True, **fields},
            topics=["rights", "housing", "rights"],
            signals=[
                {"right": team["rsa"], "reason": "non_demand"},
                {"right": team["css"], "reason": "non_knowledge"},
            ],
            referrals=[
                {"partner": team["caf"], "partner_kind": "caf", "outcome": "done"},
                {"partner": None, "partner_kind": "ccas", "outcome": "accepted"},
                {"partner": None, "partner_kind": "ccas", "outcome": "accepted"},
            ],
        )
        encounter_services.encounter_create(
            organisation=team["org"],
            session=session,
            author=user,
            client_uuid=uuid.uuid4(),
            data=data,
            occurred_at=when.astimezone(UTC),  # as the view gives it
        )

    def same_as_a_refresh():
        kept = _rollup_rows()
        rollup_refresh_days(
            organisation_id=team["org"].pk, days=[date(2026, 3, 3), date(2026, 3, 4)]
        )
        assert _rollup_rows() == kept
        return kept

    # No row yet for that day: the additions create them.
    add(session, at(2026, 3, 3, 21, 10))
    add(other, at(2026, 3, 3, 9, 40), kind="on_site_help", first_time=False)
    kept = same_as_a_refresh()
    assert len(kept["DailyPlace"]) == 2  # the market, and no place
    # Rows a refresh (the debrief's) wrote: the additions increment them.
    _debrief(team, session)
    add(session, at(2026, 3, 3, 22, 5), first_time=False)
    add(other, at(2026, 3, 3, 10, 5), first_time=False)
    add(session, at(2026, 3, 4, 0, 30), kind="on_site_help")  # 3 March in UTC
    kept = same_as_a_refresh()
    assert sum(row[-1] for row in kept["DailyHour"]) == 5


def test_a_new_encounter_costs_two_rollup_statements(team, django_assert_num_queries):
    session = _session(team, at(2026, 3, 3, 9))
    _encounter(team, session, at(2026, 3, 3, 9, 30))
    # A savepoint, the encounter, its topics, signals and referrals; the month's lock;
    # one statement for the 14 increments (activity, 2 topics, signal, referral, place,
    # hour; by day and by month); the release. A refresh would need about 40.
    expected = 8 if connection.vendor in rollups.ONE_STATEMENT_VENDORS else 21
    with django_assert_num_queries(expected):
        _encounter(team, session, at(2026, 3, 3, 9, 45))


def test_the_migration_sums_existing_daily_rows_into_the_monthly_ones(team):
    """An installation that had daily rollups before the monthly tables gets the same
    monthly rows from the migration as the write services keep."""
    from django.apps import apps

    migration = importlib.import_module("reports.migrations.0003_monthly_rollups")
    stand = _session(team, at(2026, 3, 3, 9))
    _debrief(team, stand)
    _encounter(team, stand, at(2026, 3, 3, 9, 30))
    _encounter(team, _session(team, at(2026, 4, 7, 9), place=None), at(2026, 4, 7, 9, 45))
    kept = _rollup_rows()
    for model in MONTHLY.values():
        model.objects.all().delete()
    migration.sum_the_daily_rows_by_month(apps, None)
    assert _rollup_rows() == kept


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_of_a_month_leave_exact_rollups(team):
    """Six phones log conversations at once on a day with no rollup row yet, while a
    coordinator holds a session of the same month: the month's lock makes them take
    turns, so that no row is created twice and no count is lost."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    if connection.vendor != "postgresql":
        pytest.skip("the test database of SQLite takes one writer at a time anyway")

    session = _session(team, at(2026, 3, 3, 9))
    other = _session(team, at(2026, 3, 17, 14), kind="permanence", place=None)
    start = threading.Barrier(7)

    def phone(n: int) -> None:
        try:
            start.wait()
            for i in range(4):
                _encounter(team, session, at(2026, 3, 3, 9, 10 * i + n))
        finally:
            connections.close_all()

    def debrief() -> None:
        try:
            start.wait()
            _debrief(team, other)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=7) as pool:
        futures = [pool.submit(phone, n) for n in range(6)] + [pool.submit(debrief)]
        for future in futures:
            future.result()

    kept = _rollup_rows()
    assert sum(row[8] for row in kept["DailyActivity"]) == 24  # encounters
    rollup_refresh_days(organisation_id=team["org"].pk, days=[date(2026, 3, 3), date(2026, 3, 17)])
    assert _rollup_rows() == kept


@pytest.mark.parametrize(
    ("first", "last", "months"),
    [
        (date(2026, 3, 1), date(2026, 3, 31), (date(2026, 3, 1), date(2026, 4, 1))),
        (date(2026, 3, 2), date(2026, 4, 30), (date(2026, 4, 1), date(2026, 5, 1))),
        (date(2025, 12, 15), date(2026, 2, 27), (date(2026, 1, 1), date(2026, 2, 1))),
        (date(2026, 3, 2), date(2026, 3, 30), None),
        (date(2026, 3, 15), date(2026, 4, 14), None),
    ],
)
def test_the_whole_months_of_a_period(first, last, months):
    assert Period.custom(first, last).whole_months() == months


# --- One definition per figure (reports/measures.py) -------------------------------


def _splits(table) -> list[tuple[str, ...]]:
    splits = [(), ("territory_id",), ("session_kind",), ("day",), ("month",), tuple(table.keys)]
    if table is DailyHour:
        splits.append(("weekday", "hour"))
    return list(dict.fromkeys(splits))


@pytest.mark.parametrize(
    ("table", "by"),
    [(table, by) for table in ROLLUPS for by in _splits(table)],
    ids=lambda value: value.__name__ if isinstance(value, type) else ",".join(value) or "-",
)
def test_figure_sums_reads_every_measure_the_same_from_both_sources(field, settings, table, by):
    """Every measure of every rollup table, split by every dimension the table has:
    the same from the rollups (kept by the factories as by the services) as from the
    live tables, on whole months, days around them and filters."""
    measures = tuple(ROLLUPS[table].values())
    scopes = _scopes(field)
    for name in ("march", "year", "31 March to April", "2 March to 7 April, gare", "permanence"):
        settings.REPORTS_USE_ROLLUPS = False
        live = figure_sums(scopes[name], measures, by)
        settings.REPORTS_USE_ROLLUPS = True
        assert figure_sums(scopes[name], measures, by) == live, name
        if name == "march":
            assert live and all(any(row.values()) for row in live.values())


def test_every_rollup_column_has_one_definition():
    """Each column of each rollup table names the measure it keeps, and every measure
    is kept somewhere: a column added without a definition, or a definition nothing
    reads, fails here."""
    for table in ROLLUP_MODELS:
        assert set(ROLLUPS[table]) == set(table.sums), table.__name__
        for column in table.keys:
            assert DIMENSIONS[column].rollup == column
    kept = {m for columns in ROLLUPS.values() for m in columns.values()}
    assert kept == set(MEASURES)


def test_each_count_is_the_same_in_sql_and_on_a_row_just_saved(team):
    """The refresh of a day and the live figures count a measure in SQL
    (Measure.aggregate), the addition of a new encounter on the rows just saved
    (Measure.of). On rows with every value a condition looks at (both kinds, met before
    or not, every outcome), both must count the same rows."""
    session = _session(team, at(2026, 3, 3, 9))
    for kind in EncounterKind.values:
        for first_time in (True, False):
            _encounter_with(team, session, at(2026, 3, 3, 9, 30), kind, first_time)
    checked = 0
    for name, measure in MEASURES.items():
        if measure.source is SESSIONS:
            continue  # a new encounter adds nothing to the sessions' measures
        source = measure.source
        rows = source.model.objects.filter(source.rows, organisation=team["org"])
        in_sql = rows.aggregate(n=measure.aggregate())["n"]
        assert sum(measure.of(row) for row in rows) == in_sql, name
        # The data tells the condition apart: some rows count, and if there is a
        # condition, some do not.
        assert 0 < in_sql <= rows.count(), name
        if measure.where:
            assert in_sql < rows.count(), name
        checked += 1
    assert checked == len(MEASURES) - 4  # all but the four of the sessions


@pytest.mark.usefixtures("increments")
def test_every_value_a_measure_looks_at_adds_up_as_a_refresh(team, settings):
    """Encounters of both kinds, met before or not, with referrals of every outcome,
    added one by one: the same rollup rows as a refresh of the day, and the same
    figures as the live tables for every measure."""
    session = _session(team, at(2026, 3, 3, 9))
    _debrief(team, session)
    for kind in EncounterKind.values:
        for first_time in (True, False):
            _encounter_with(team, session, at(2026, 3, 3, 9, 30), kind, first_time)
    kept = _rollup_rows()
    rollup_refresh_days(organisation_id=team["org"].pk, days=[date(2026, 3, 3)])
    assert _rollup_rows() == kept
    for table in ROLLUPS:
        measures = tuple(ROLLUPS[table].values())
        settings.REPORTS_USE_ROLLUPS = False
        live = figure_sums(march(team), measures, table.keys)
        settings.REPORTS_USE_ROLLUPS = True
        assert figure_sums(march(team), measures, table.keys) == live, table.__name__


def _encounter_with(team, session, when: datetime, kind: str, first_time: bool) -> Encounter:
    data = encounter_services.EncounterData(
        fields={"kind": kind, "first_time": first_time},
        topics=["rights", "health"],
        signals=[{"right": team["rsa"], "reason": reason} for reason in ("non_demand",)],
        referrals=[
            {"partner": team["caf"] if i % 2 else None, "partner_kind": "caf", "outcome": outcome}
            for i, outcome in enumerate(ReferralOutcome.values)
        ],
    )
    encounter, _created = encounter_services.encounter_create(
        organisation=team["org"],
        session=session,
        author=team["coordinator"].user,
        client_uuid=uuid.uuid4(),
        data=data,
        occurred_at=when.astimezone(UTC),  # as the view gives it
    )
    return encounter
