"""Outputs read together, as someone who receives all of them would.

Each organisation's monthly reports, the figures across organisations by month and by
quarter, and the columns set beside a period ("previous month") all count the same
people. The attacker holds every one of them and knows what each figure adds up: a cell
of the federation is the sum of its organisations' cells, a quarter the sum of its months,
a territory or a place belongs to one organisation. For each masked figure of any output,
a linear programme over the finest counts (an organisation, a month, a row, a column)
finds its smallest and largest value given everything published: they must differ.

Written apart from reports.publication: it reads only what the outputs show.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np
import pytest
from django.core.management import call_command
from django.utils import timezone
from scipy.optimize import linprog
from scipy.sparse import lil_matrix

from core.time import PARIS, Period, add_months
from organisations.models import Organisation
from outreach.models import SessionStatus
from reports import selectors
from reports.publication import (
    Part,
    Publisher,
    Sources,
    federation_for_outsiders,
    mark,
    report_for_outsiders,
)
from reports.report import report_tables
from reports.suppression import PRIMARY, SECONDARY
from tests.encounters.factories import EncounterFactory, EncounterTopicFactory
from tests.organisations.factories import OrganisationFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db
HEADLINE = [name for name, _label in selectors.headline_labels()]


class Attacker:
    """The finest counts as unknowns, every published figure as what it tells of them."""

    def __init__(self, organisations: list[Organisation], months: list[date]) -> None:
        truth: dict[tuple, int] = {}
        for o in organisations:
            for m in months:
                for table in report_tables((o.pk,), Period.month(m), compare=False):
                    for i, row in enumerate(table.rows):
                        for j, value in enumerate(row.values):
                            if table.protected(i, j) and value:
                                truth[(o.pk, m, table.name, row.key, j)] = value
        self.keys = list(truth)
        self.truth = np.array([truth[k] for k in self.keys])
        self.months = set(months)
        # (the unknowns it adds up, "shown"/"primary"/"secondary", value, threshold, where)
        self.facts: list[tuple[list[int], str, int, int, str]] = []

    def unknowns(self, orgs, months, name, keys=None, column=None) -> list[int] | None:
        if months is None or not set(months) <= self.months:
            return None  # days or months the attacker does not model: left out
        return [
            n
            for n, (o, m, table, key, j) in enumerate(self.keys)
            if o in orgs
            and m in months
            and table == name
            and (keys is None or key in keys)
            and (column is None or j == column)
        ]

    def read(self, tables, orgs, months, compared, threshold: int, where: str) -> None:
        """Every figure of an output: ``compared`` gives the months of each key column
        after the first (None: days no monthly report publishes, left out)."""
        for table in tables:
            if table.name == "organisations":
                for n, row in enumerate(table.rows):
                    for j, cell in enumerate(row.cells):
                        if HEADLINE[j] not in ("sessions", "hours"):
                            found = self.unknowns([orgs[n]], months, "key", {HEADLINE[j]}, 0)
                            self.fact(found, cell, threshold, f"{where} {row.label} {j}")
                for j, cell in enumerate(table.column_totals):
                    if HEADLINE[j] not in ("sessions", "hours"):
                        found = self.unknowns(orgs, months, "key", {HEADLINE[j]}, 0)
                        self.fact(found, cell, threshold, f"{where} organisations {j}")
                continue
            for row in table.rows:
                keys = set(row.members or (row.key,))
                for j, cell in enumerate(row.cells):
                    if table.kinds and table.kinds[j] != "people":
                        continue
                    if table.name == "key":
                        if row.key in ("sessions", "hours"):
                            continue
                        period = months if j == 0 else compared[j - 1]
                        found = self.unknowns(orgs, period, "key", keys)
                    else:
                        found = self.unknowns(orgs, months, table.name, keys, j)
                    self.fact(found, cell, threshold, f"{where} {table.name} {row.label} {j}")
                if row.total is not None:
                    found = self.unknowns(orgs, months, table.name, keys)
                    self.fact(found, row.total, threshold, f"{where} {table.name} {row.label}")
            for j, cell in enumerate(table.column_totals):
                if not table.kinds or table.kinds[j] == "people":
                    found = self.unknowns(orgs, months, table.name, None, j)
                    self.fact(found, cell, threshold, f"{where} {table.name} total {j}")
            if table.grand_total is not None:
                found = self.unknowns(orgs, months, table.name)
                self.fact(found, table.grand_total, threshold, f"{where} {table.name} total")

    def fact(self, found, cell, threshold: int, where: str) -> None:
        if found is None or cell.value is None:
            return
        assert int(self.truth[found].sum()) == cell.value, f"{where}: the model is wrong"
        kind = cell.reason if cell.hidden else "shown"
        self.facts.append((found, kind, cell.value, threshold, where))

    def pinned(self) -> list[tuple[str, float, float]]:
        """The masked figures whose smallest and largest possible values are one."""
        shown = [f for f in self.facts if f[1] == "shown"]
        hidden = [f for f in self.facts if f[1] != "shown"]
        a_eq = lil_matrix((len(shown), len(self.keys)))
        for r, (found, *_rest) in enumerate(shown):
            for n in found:
                a_eq[r, n] = 1
        b_eq = [value for _found, _kind, value, _threshold, _where in shown]
        # What a mark tells: at least 1 (zeros are shown), and "< N" at most N - 1.
        a_ub = lil_matrix((2 * len(hidden), len(self.keys)))
        b_ub = []
        for r, (found, kind, _value, threshold, _where) in enumerate(hidden):
            for n in found:
                a_ub[2 * r, n] = -1
                a_ub[2 * r + 1, n] = 1
            b_ub += [-1, threshold - 1 if kind == PRIMARY else 10**9]
        a_eq, a_ub = a_eq.tocsr(), a_ub.tocsr()
        found_pinned = []
        for found, _kind, _value, _threshold, where in hidden:
            span = []
            for sign in (1, -1):
                c = np.zeros(len(self.keys))
                c[found] = sign
                result = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, method="highs")
                assert result.status == 0, (where, result.message)  # the truth fits
                span.append(sign * result.fun)
            if span[1] - span[0] < 1 - 1e-6:
                found_pinned.append((where, span[0], span[1]))
        return found_pinned


@pytest.fixture
def demo(settings):
    settings.REPORTS_USE_ROLLUPS = True
    call_command("seed_demo", verbosity=0)


def read_all(organisations: list[Organisation], months: list[date]) -> Attacker:
    """Each organisation's monthly reports, the federation's months and its quarter, as
    sent."""
    attacker = Attacker(organisations, months)
    for o in organisations:
        for m in months:
            report = selectors.report_saved_or_blank(organisation_id=o.pk, kind="month", start=m)
            compared = [[add_months(m, -1)], [add_months(m, -12)]]
            threshold = o.small_count_threshold
            attacker.read(report_for_outsiders(report, o), [o.pk], [m], compared, threshold, o.name)
    ids = [o.pk for o in organisations]
    for m in months[1:]:
        compared = [[add_months(m, -1)], [add_months(m, -12)]]
        tables = federation_for_outsiders(organisations, Period.month(m))
        attacker.read(tables, ids, [m], compared, 11, f"federation {m}")
    # The quarter of the last month, up to it (its months are all read above).
    quarter = Period.quarter(months[-1])
    shown = [m for m in months if m >= quarter.start]
    if shown[0] == quarter.start:
        tables = federation_for_outsiders(organisations, quarter)
        attacker.read(tables, ids, shown, [None, None], 11, f"federation {quarter.label}")
    return attacker


def test_no_masked_figure_is_pinned_by_the_reports_and_the_federation_together(demo):
    last = Period.month(timezone.localdate()).previous()
    months = [add_months(last.start, -n) for n in range(2, -1, -1)]  # three ended months
    organisations = list(Organisation.objects.order_by("name"))
    assert read_all(organisations, months).pinned() == []
    # A territory belongs to one organisation: the federation shows its row exactly as
    # that organisation's own report does ("Quartier de la gare" was shown there, "s" here).
    own = {}
    for o in organisations:
        report = selectors.report_saved_or_blank(
            organisation_id=o.pk, kind="month", start=last.start
        )
        for table in report_for_outsiders(report, o):
            if table.name in ("territories", "places"):
                own |= {row.key: [c.display for c in row.cells] for row in table.rows}
    compared = 0
    for table in federation_for_outsiders(organisations, last):
        if table.name in ("territories", "places"):
            for row in table.rows:
                if row.key in own and row.key not in ("others", "place:none"):
                    assert [c.display for c in row.cells] == own[row.key], row.label
                    compared += 1
    assert compared >= 6


def two_organisations_one_small_topic() -> list[Organisation]:
    """Last month: A met 12 people about housing and 12 about rights; B met 3 about
    housing and 12 about rights. B's report masks its 3; the federation's housing row
    is 15."""
    last = Period.month(timezone.localdate()).previous().start
    found = []
    for name, housing in (("A", 12), ("B", 3)):
        org = OrganisationFactory(name=name)
        session = OutreachSessionFactory(
            territory=TerritoryFactory(organisation=org),
            starts_at=datetime.combine(last + timedelta(days=2), time(9), tzinfo=PARIS),
            ends_at=datetime.combine(last + timedelta(days=2), time(12), tzinfo=PARIS),
            status=SessionStatus.DONE,
        )
        for n in range(housing + 12):
            encounter = EncounterFactory(session=session)
            EncounterTopicFactory(encounter=encounter, topic="housing" if n < housing else "rights")
        found.append(org)
    return found


def test_the_federation_masks_what_a_member_masks(settings):
    settings.REPORTS_USE_ROLLUPS = True
    organisations = two_organisations_one_small_topic()
    last = Period.month(timezone.localdate()).previous()
    topics = next(t for t in federation_for_outsiders(organisations, last) if t.name == "topics")
    housing = next(row for row in topics.rows if row.key == "topic:housing")
    assert housing.cells[0].value == 15 and housing.cells[0].hidden
    assert read_all(organisations, [add_months(last.start, -1), last.start]).pinned() == []


def test_the_attacker_finds_what_outputs_masked_each_on_their_own_give_away(settings, monkeypatch):
    """Without the parts (every output masked on its own, as before), the federation's
    15 minus A's 12 gives B's 3 away: the audit above is not toothless."""
    settings.REPORTS_USE_ROLLUPS = True
    organisations = two_organisations_one_small_topic()
    monkeypatch.setattr(Publisher, "sources", lambda self, *a, **k: Sources())
    last = Period.month(timezone.localdate()).previous().start
    pinned = read_all(organisations, [add_months(last, -1), last]).pinned()
    assert any("Logement" in where for where, _low, _high in pinned), pinned


# ---------------------------------------------------------------------------------------
# The rule, figure by figure
# ---------------------------------------------------------------------------------------


def test_a_figure_whose_parts_are_all_shown_is_public():
    assert mark(30, [Part(12, True), Part(18, True)], 11) is True
    # Not the sum of its parts (the figures changed since a month was validated): left
    # to the output's own protection.
    assert mark(31, [Part(12, True), Part(18, True)], 11) is None


def test_a_figure_with_a_masked_part_is_masked():
    assert mark(15, [Part(12, True), Part(3, False)], 11) == SECONDARY
    assert mark(5, [Part(5, False)], 11) == PRIMARY
    # Two masked parts: their sum would be told (a quarter minus its months...).
    assert mark(32, [Part(20, True), Part(5, False), Part(7, False)], 11) == SECONDARY


def test_a_zero_is_shown():
    assert mark(0, [Part(0, True), Part(0, False)], 11) is None


# ---------------------------------------------------------------------------------------
# The pages, as the federation manager and an organisation read them
# ---------------------------------------------------------------------------------------
