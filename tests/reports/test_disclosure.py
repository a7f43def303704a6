"""Whole reports, audited as an outsider would read them: nothing hidden can be pinned.

The attacker knows every figure a report publishes (key figures, every table, their
totals, the charts), what each mark means ("< 11" is 1 to 10, "s" at least 1: zeros are shown) and
how the tables relate (the month's encounters are the places' total, the territories'
total, conversations + on-site help...). For each hidden count, an integer programme
(SciPy's MILP, exact on integers, written apart from the suppression code's linear
relaxation) finds its smallest and largest possible value: they must differ.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from core.time import Period
from encounters.models import NonTakeUpReason, NonTakeUpSignal, ReferralOutcome, Right
from organisations.models import Organisation
from outreach.models import SessionStatus
from reports.report import for_outsiders, report_tables
from reports.suppression import SuppressedTable
from tests.encounters.factories import EncounterFactory, ReferralFactory
from tests.organisations.factories import OrganisationFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import PartnerFactory, PlaceFactory, TerritoryFactory

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


# ---------------------------------------------------------------------------------------
# What a report publishes, read from the output only
# ---------------------------------------------------------------------------------------


def figures(tables: list[SuppressedTable]) -> dict[tuple, object]:
    """Every published figure: (table, "cell", i, j), (table, "row", i), (table, "col", j),
    (table, "grand") -> its Cell. Totals count as published even when not shown."""
    found = {}
    for t, table in enumerate(tables):
        for i, row in enumerate(table.rows):
            for j, cell in enumerate(row.cells):
                found[(t, "cell", i, j)] = cell
            if row.total is not None:
                found[(t, "row", i)] = row.total
        for j, cell in enumerate(table.column_totals):
            if cell.value is not None:
                found[(t, "col", j)] = cell
        if table.grand_total is not None:
            found[(t, "grand")] = table.grand_total
    return found


def relations(tables: list[SuppressedTable]) -> list[dict[tuple, int]]:
    """Linear relations between published figures, each {figure: coefficient} = 0, from
    what the figures mean (not from the suppression code)."""
    rels: list[dict[tuple, int]] = []
    for t, table in enumerate(tables):
        n_rows, n_cols = len(table.rows), len(table.columns)
        for i, row in enumerate(table.rows):
            if row.total is not None:
                rels.append({(t, "row", i): 1, **{(t, "cell", i, j): -1 for j in range(n_cols)}})
        for j, cell in enumerate(table.column_totals):
            if cell.value is not None:
                rels.append({(t, "col", j): 1, **{(t, "cell", i, j): -1 for i in range(n_rows)}})
        if table.grand_total is not None:
            rels.append({(t, "grand"): 1, **{(t, "row", i): -1 for i in range(n_rows)}})
    at = {table.name: t for t, table in enumerate(tables)}

    def column(name: str, j: int) -> dict[tuple, int]:
        t = at[name]
        return {(t, "cell", i, j): 1 for i in range(len(tables[t].rows))}

    def everything(name: str) -> dict[tuple, int]:
        t = at[name]
        table = tables[t]
        return {
            (t, "cell", i, j): 1 for i in range(len(table.rows)) for j in range(len(table.columns))
        }

    def key(row: str, j: int = 0) -> dict[tuple, int]:
        t = at["key"]
        i = next(n for n, r in enumerate(tables[t].rows) if r.key == row)
        return {(t, "cell", i, j): 1}

    def funnel(step: int) -> dict[tuple, int]:
        return {(at["funnel"], "cell", step, 0): 1}

    def same(a: dict, b: dict) -> None:
        rel = dict(a)
        for k, v in b.items():
            rel[k] = rel.get(k, 0) - v
        rels.append(rel)

    encounters = column("places", 0)
    same(encounters, column("territories", 1))
    same(encounters, {**key("conversations"), **key("on_site_help")})
    for j in range(len(tables[at["key"]].columns)):
        same(
            {**key("conversations", j), **key("on_site_help", j)},
            {**key("first_time", j), **key("already_met", j)},
        )
    same(everything("signals"), key("signals"))
    same(everything("signals"), column("territories", 2))
    same(everything("partners"), key("referrals"))
    same(everything("partners"), funnel(0))
    same(everything("partners"), column("territories", 3))
    outcomes = ReferralOutcome.values
    done = column("partners", outcomes.index("done"))
    same(done, funnel(2))
    same({**column("partners", outcomes.index("accepted")), **done}, funnel(1))
    return rels


def pinned(tables: list[SuppressedTable], threshold: int) -> list[tuple]:
    """Hidden figures whose integer range, given everything published, is one value."""
    published = figures(tables)
    hidden = sorted((k for k, c in published.items() if c.hidden), key=repr)
    if not hidden:
        return []
    index = {k: n for n, k in enumerate(hidden)}
    rows, rhs = [], []
    for rel in relations(tables):
        coefficients = np.zeros(len(hidden))
        constant = 0
        for k, v in rel.items():
            if k in index:
                coefficients[index[k]] += v
            else:
                constant += v * (published[k].value or 0)
        if coefficients.any():
            rows.append(coefficients)
            rhs.append(-constant)
        else:
            assert constant == 0, f"a relation that does not hold: {rel}"
    # "< N" is 1 to N - 1; "s" is at least 1, since zeros are always shown.
    low = [1 for k in hidden]
    high = [threshold - 1 if published[k].reason == "primary" else np.inf for k in hidden]
    constraints = [LinearConstraint(np.array(rows), rhs, rhs)] if rows else []
    found = []
    for k, n in index.items():
        span = []
        for sign in (1, -1):
            c = np.zeros(len(hidden))
            c[n] = sign
            result = milp(
                c,
                constraints=constraints,
                integrality=np.ones(len(hidden)),
                bounds=Bounds(low, high),
            )
            if sign == -1 and result.status in (3, 4):  # no largest value
                span.append(math.inf)
                continue
            assert result.status == 0, result.message  # the true values always fit
            span.append(sign * result.fun)
        if span[1] != math.inf and round(span[0]) == round(span[1]):
            found.append((k, tables[k[0]].title, span))
    return found


def assert_protected(tables: list[SuppressedTable], threshold: int) -> None:
    for t, table in enumerate(tables):
        for (_t, *key), cell in figures([table]).items():
            if cell.hidden:
                assert cell.display == (f"< {threshold}" if cell.reason == "primary" else "s")
                if key[0] == "cell" and table.kinds and table.kinds[key[2]] == "rate":
                    continue  # a rate masked with its numerator
                # "< N" only on a small count, never on a larger one.
                if cell.reason == "primary":
                    assert 0 < cell.value < threshold, (table.title, key)
            elif cell.value and cell.value < threshold:
                # A small count shown: only activity (sessions, hours) or a rate.
                kind = "people"
                if key[0] == "cell":
                    kind = table.kinds[key[2]] if table.kinds else "people"
                    if table.name == "key" and key[1] in (0, 1):
                        kind = "activity"
                elif key[0] == "col":
                    kind = table.kinds[key[1]] if table.kinds else "people"
                assert kind != "people", (t, table.title, key, cell)
    assert pinned(tables, threshold) == []


# ---------------------------------------------------------------------------------------
# Random small months of field work
# ---------------------------------------------------------------------------------------

MARCH = date(2026, 3, 1)

encounter = st.tuples(
    st.integers(0, 2),  # place (2 = no fixed place)
    st.integers(0, 1),  # territory
    st.booleans(),  # on-site help rather than conversation
    st.booleans(),  # first time
    st.lists(st.tuples(st.integers(0, 2), st.integers(0, 3)), max_size=2),  # signals
    st.lists(st.tuples(st.integers(0, 1), st.integers(0, 4)), max_size=1),  # referrals
    st.booleans(),  # in February rather than March
)


def build(org, encounters) -> None:
    territories = [TerritoryFactory(organisation=org, name=f"T{n}") for n in range(2)]
    places = [PlaceFactory(territory=territories[n], name=f"P{n}") for n in range(2)]
    partners = [PartnerFactory(organisation=org, name=f"Partenaire {n}") for n in range(2)]
    rights = list(Right.objects.order_by("position")[:3])
    sessions = {}
    for place, territory, onsite, first, signals, referrals, february in encounters:
        month = 2 if february else 3
        key = (place, territory, month)
        if key not in sessions:
            start = datetime(2026, month, 3 + len(sessions), 9, tzinfo=PARIS)
            sessions[key] = OutreachSessionFactory(
                territory=territories[territory],
                place=places[place] if place < 2 else None,
                starts_at=start,
                ends_at=start + timedelta(hours=2 + len(sessions) % 3),
                status=SessionStatus.DONE,
                brief_contacts=len(sessions) * 7 % 13,
            )
        e = EncounterFactory(
            session=sessions[key],
            kind="on_site_help" if onsite else "conversation",
            first_time=first,
        )
        for right, reason in signals:
            NonTakeUpSignal.objects.get_or_create(
                organisation=org,
                encounter=e,
                right=rights[right],
                defaults={"reason": NonTakeUpReason.values[reason]},
            )
        for partner, outcome in referrals:
            ReferralFactory(
                encounter=e,
                partner=partners[partner],
                partner_kind=partners[partner].kind,
                outcome=ReferralOutcome.values[outcome],
            )


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    encounters=st.lists(encounter, min_size=0, max_size=30),
    threshold=st.sampled_from([3, 5, 11]),
)
def test_no_hidden_count_of_a_whole_report_is_pinned_down(encounters, threshold):
    org = OrganisationFactory()
    build(org, encounters)
    tables = for_outsiders(report_tables((org.pk,), Period.month(MARCH)), threshold)
    assert_protected(tables, threshold)


def test_the_audit_catches_a_link_between_tables():
    """The checker is not toothless: two tables, each safe alone, leak together."""
    org = OrganisationFactory()
    # 12 conversations: 11 met for the first time, 1 already met. The key figures alone
    # mask the 1; with the places' total of 12 published, 12 - 11 gives it away.
    build(org, [(0, 0, False, n < 11, [], [], False) for n in range(12)])
    tables = report_tables((org.pk,), Period.month(MARCH))
    from reports.suppression import protect

    alone = protect(tables, 11)  # each table on its own, no link between them
    assert pinned(alone, 11)
    assert pinned(for_outsiders(tables, 11), 11) == []


# ---------------------------------------------------------------------------------------
# The demo data of every organisation
# ---------------------------------------------------------------------------------------


@pytest.fixture
def demo():
    call_command("seed_demo", verbosity=0)


def test_demo_reports_of_every_organisation_pass_the_audit(demo):
    today = timezone.localdate()
    last_month = Period.month(today).previous()
    for org in Organisation.objects.all():
        threshold = org.small_count_threshold
        for period in (last_month, Period.year(today)):
            tables = for_outsiders(report_tables((org.pk,), period), threshold)
            assert_protected(tables, threshold)
    ids = tuple(Organisation.objects.values_list("pk", flat=True))
    assert_protected(for_outsiders(report_tables(ids, last_month), 11), 11)


def test_the_demo_prades_monthly_report_keeps_its_main_figures(demo):
    org = Organisation.objects.get(slug="evs-prades")
    last_month = Period.month(timezone.localdate()).previous()
    tables = for_outsiders(report_tables((org.pk,), last_month), org.small_count_threshold)
    key = tables[0]
    # The month's own column: every figure of at least 11 is readable.
    for row in key.rows:
        cell = row.cells[0]
        assert not cell.hidden or cell.value < org.small_count_threshold, row.label
    assert (
        sum(c.hidden for t in tables for c in t.all_cells())
        < sum(len(t.all_cells()) for t in tables) / 2
    )
