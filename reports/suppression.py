"""Small-count protection for figures shown outside the team, in one place.

In a village, "2 people met at the food bank queue, aged 16-25, non-take-up of AME" can
point at someone. So every output meant for outsiders (report page, print, PDF, XLSX,
CSV, annual report, federation view) goes through ``protect``, which masks small counts
as statistical offices do ("secret statistique"):

- **What is protected**: counts of people (encounters, conversations, brief contacts,
  refusals, first-time, signals, referrals). Counts of sessions and hours identify no one
  and stay shown; a rate is masked when its numerator is.
- **Primary**: a count from 1 to ``threshold - 1`` shows "< threshold". Zero is shown:
  it says nobody, which identifies nobody.
- **Secondary**: more counts are masked so that none of the primary ones can be worked
  out. They show another mark, "s" (as INSEE writes it), never "< N": they are not small.
- **Linked tables**: a report publishes one count in several places (the month's
  referrals are a key figure, the first step of the funnel, the total of the partners'
  table and a column total of the territories'). ``protect`` takes the tables of a whole
  report and the links between them, and masks until no hidden count is pinned down by
  everything published together: each row, column and link is an equation, each masked
  count has the bounds its mark gives it ([1, N - 1] for "< N", at least 1 for "s"), and
  an exact linear-algebra check then a linear-programming check of every masked count's
  bounds (``audit``) must leave each of them at least two possible values. Where nothing
  is left to mask and the marks' own bounds still pin a count (two "< 3" adding up to a
  "< 3": 1 + 1 = 2), a small count itself shows "s": that is why "s" claims nothing about
  its value, and why "< N" is only ever written on a count from 1 to N - 1. Zeros are
  always shown.

Before masking, ``group_small`` gathers the small categories of a table into one
"Others" row, so that one line is masked instead of many.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Literal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reports.tables import AddsUp, ChartKind, ColumnKind, Row, Table

Reason = Literal["primary", "secondary"]
PRIMARY: Reason = "primary"
SECONDARY: Reason = "secondary"
SECONDARY_MARK = "s"

# A member of a table: ("cell", i, j), ("row", i), ("col", j) or ("grand",); in a whole
# report, the same prefixed with the table's index: (t, "cell", i, j)...
Key = tuple


@dataclass(frozen=True)
class Cell:
    value: int | None
    hidden: bool = False
    reason: Reason | None = None
    display: str = ""


@dataclass(frozen=True)
class SuppressedRow:
    label: str
    cells: tuple[Cell, ...]
    # The row's total, when the table has row totals (several columns), else None.
    total: Cell | None
    key: str = ""
    # The keys of the rows gathered into this one ("Other places"), else empty.
    members: tuple[str, ...] = ()

    @property
    def covers(self) -> frozenset[str]:
        """The keys of the rows whose people this row counts."""
        return frozenset(self.members or (self.key,))


@dataclass(frozen=True)
class SuppressedTable:
    """A table ready to show: each figure with its display text, masked or not."""

    title: str
    description: str
    row_header: str
    columns: tuple[str, ...]
    rows: tuple[SuppressedRow, ...]
    # Totals of each column when the table has several rows, else ().
    column_totals: tuple[Cell, ...]
    # The corner total, when the table has both row and column totals.
    grand_total: Cell | None
    totals: bool
    chart: ChartKind
    # None when nothing was masked on purpose (a table for the team itself).
    threshold: int | None
    adds_up: AddsUp = "both"
    kinds: tuple[ColumnKind, ...] = ()
    chart_column: int | Literal["total"] = 0
    name: str = ""

    @property
    def show_row_totals(self) -> bool:
        return self.totals and bool(self.rows) and self.rows[0].total is not None

    @property
    def show_column_totals(self) -> bool:
        return self.totals and bool(self.column_totals)

    @property
    def total(self) -> Cell | None:
        """The overall total, wherever the table's shape puts it."""
        if self.grand_total is not None:
            return self.grand_total
        if len(self.column_totals) == 1:
            return self.column_totals[0]
        if len(self.rows) == 1 and self.rows[0].total is not None:
            return self.rows[0].total
        if len(self.rows) == 1 and len(self.columns) == 1:
            return self.rows[0].cells[0]
        return None

    @property
    def hidden_count(self) -> int:
        return sum(c.hidden for c in self.all_cells())

    def count(self, reason: Reason) -> int:
        return sum(c.reason == reason for c in self.all_cells())

    def all_cells(self) -> list[Cell]:
        """Every figure, interior cells and totals."""
        cells = [c for row in self.rows for c in row.cells]
        cells += [row.total for row in self.rows if row.total is not None]
        cells += list(self.column_totals)
        if self.grand_total is not None:
            cells.append(self.grand_total)
        return cells

    def column(self, index: int) -> list[Cell]:
        return [row.cells[index] for row in self.rows]


def hidden_label(threshold: int) -> str:
    """What a masked small count shows: "< 11"."""
    return f"< {number_format(threshold, force_grouping=True)}"


def legend(threshold: int) -> str:
    """What the two marks mean, for every output that masks."""
    return _(
        "“%(small)s”: a count from 1 to %(max)s, masked so that no one can be recognised. "
        "“%(mark)s”: another figure masked so that the small ones cannot be worked out. "
        "A figure that adds up monthly reports (a year, a quarter, several organisations, "
        "a period set beside) is shown only where each of those reports shows its share."
    ) % {"small": hidden_label(threshold), "max": threshold - 1, "mark": SECONDARY_MARK}


def masked_summary(tables: list[SuppressedTable]) -> str:
    """ "12 figures masked (9 small counts, 3 to protect them)", or "" when none."""
    primary = sum(t.count(PRIMARY) for t in tables)
    secondary = sum(t.count(SECONDARY) for t in tables)
    if not primary + secondary:
        return ""
    total = primary + secondary
    parts = [
        ngettext("%(count)s small count", "%(count)s small counts", primary) % {"count": primary}
    ]
    if secondary:
        parts.append(
            ngettext(
                "%(count)s other to protect them", "%(count)s others to protect them", secondary
            )
            % {"count": secondary}
        )
    return _("%(masked)s: %(parts)s.") % {
        "masked": ngettext("%(count)s figure masked", "%(count)s figures masked", total)
        % {"count": total},
        "parts": _(" and ").join(parts),
    }


def format_count(value: int | None) -> str:
    """A count in the active language's format ("1 234" in French); blank for no figure."""
    if value is None:
        return ""
    return number_format(value, force_grouping=True)


# ---------------------------------------------------------------------------------------
# The table as a set of equations
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Equation:
    """``total = sum(parts)``: one row, column or line of totals of a table, or a link
    between tables of a report."""

    total: Key
    parts: tuple[Key, ...]
    # More members beside the total: ``total + also = sum(parts)``.
    also: tuple[Key, ...] = ()

    @property
    def members(self) -> tuple[Key, ...]:
        return (self.total, *self.also, *self.parts)


def members_and_equations(table: Table) -> tuple[dict[Key, int | None], list[Equation]]:
    """Every figure of ``table`` by key (None for "no figure"), and the equations that
    link them. Shared with the tests, which check the result against the same equations.
    A rate column has no total and is in no equation: it is masked with its numerator."""
    n_rows, n_cols = len(table.rows), len(table.columns)
    values: dict[Key, int | None] = {}
    for i, row in enumerate(table.rows):
        for j, value in enumerate(row.values):
            values[("cell", i, j)] = value
    equations: list[Equation] = []
    if table.has_row_totals:
        for i, total in enumerate(table.row_totals()):
            values[("row", i)] = total
            equations.append(Equation(("row", i), tuple(("cell", i, j) for j in range(n_cols))))
    if table.has_column_totals:
        for j, total in enumerate(table.column_totals()):
            if not table.additive(j):
                continue
            values[("col", j)] = total
            equations.append(Equation(("col", j), tuple(("cell", i, j) for i in range(n_rows))))
    if table.has_grand_total:
        values[("grand",)] = table.grand_total()
        equations.append(Equation(("grand",), tuple(("col", j) for j in range(n_cols))))
        equations.append(Equation(("grand",), tuple(("row", i) for i in range(n_rows))))
    return values, equations


def protected_members(table: Table, values: dict[Key, int | None]) -> set[Key]:
    """The members that count people: the ones masked when small."""
    protected = set()
    for key in values:
        if key[0] == "cell":
            if table.protected(key[1], key[2]):
                protected.add(key)
        elif key[0] == "col":
            if table.kind_of(key[1]) == "people":
                protected.add(key)
        else:  # row and grand totals exist only where every column counts people
            protected.add(key)
    return protected


def total_key(table: Table, column: int | None = None) -> Key | None:
    """Where ``table`` publishes the total of ``column`` (or its overall total, for None),
    as a member key; None when it has no row (the total is then zero)."""
    if not table.rows:
        return None
    if column is None:
        if table.has_grand_total:
            return ("grand",)
        if table.has_row_totals:  # one row
            return ("row", 0)
        column = 0
    if table.has_column_totals:
        return ("col", column)
    return ("cell", 0, column)


# Interior cells are masked first, then row and column totals, the grand total last.
_KIND_RANK = {"cell": 0, "row": 1, "col": 1, "grand": 2}
# A relation: sum(coefficient * member) == 0.
Relation = tuple[tuple[Key, int], ...]


def _relation(equation: Equation) -> Relation:
    return (
        (equation.total, 1),
        *((key, 1) for key in equation.also),
        *((part, -1) for part in equation.parts),
    )


class _Suppressor:
    """Primary then secondary masking over the tables of a report and their links."""

    def __init__(
        self,
        tables: list[Table],
        threshold: int,
        links: list[Equation],
        public: frozenset[Key] = frozenset(),
        fixed: dict[Key, Reason] | None = None,
    ) -> None:
        self.threshold = threshold
        self.public = public
        self.values: dict[Key, int | None] = {}
        self.equations: list[Equation] = []
        self.protected: set[Key] = set()
        self.shapes: dict[int, tuple[int, int, bool]] = {}
        for t, table in enumerate(tables):
            values, equations = members_and_equations(table)
            self.values.update({(t, *key): value for key, value in values.items()})
            self.protected |= {(t, *key) for key in protected_members(table, values)}
            self.equations += [
                Equation((t, *e.total), tuple((t, *p) for p in e.parts)) for e in equations
            ]
            self.shapes[t] = (len(table.rows), len(table.columns), table.has_grand_total)
        # A link holds only where both sides are published; one that does not hold (an
        # encounter outside any territory, say) is left out rather than trusted.
        for link in links:
            if (
                all(key in self.values for key in link.members)
                and sum(sign * self.value(key) for key, sign in _relation(link)) == 0
            ):
                self.equations.append(link)
        self.order = {key: n for n, key in enumerate(self.values)}
        self.equations_of: dict[Key, list[Equation]] = {key: [] for key in self.values}
        for equation in self.equations:
            for key in equation.members:
                self.equations_of[key].append(equation)
        self.hidden: dict[Key, Reason] = {
            key: PRIMARY
            for key in self.protected
            if self.values[key] is not None
            and 1 <= self.values[key] < threshold
            and key not in public
        }
        self.hidden.update(fixed or {})

    def value(self, key: Key) -> int:
        return self.values[key] or 0

    def hidden_in(self, equation: Equation) -> list[Key]:
        return [key for key in equation.members if key in self.hidden]

    def leaks(self, equation: Equation) -> bool:
        """Whether ``equation`` gives away a masked figure or a small sum of them."""
        hidden = self.hidden_in(equation)
        if not hidden:
            return False
        if len(hidden) == 1:
            return True
        if equation.total in self.hidden or equation.also:
            # total - masked parts = shown parts: nothing new is published.
            return False
        masked_sum = sum(self.value(key) for key in hidden)
        # Each masked count is at least 1, so a sum equal to their number pins each to 1.
        return 1 <= masked_sum < self.threshold or masked_sum == len(hidden)

    def cost(self, key: Key) -> tuple[int, int, int, int]:
        """Sort key of a candidate: kind, then how many equations masking it would break
        minus how many it would mend, then its value (mask as little as possible)."""
        broken = mended = 0
        for equation in self.equations_of[key]:
            hidden = len(self.hidden_in(equation))
            if hidden == 0:
                broken += 1
            elif hidden == 1:
                mended += 1
        return (_KIND_RANK[key[1]], broken - mended, self.value(key), self.order[key])

    def candidates(self, equation: Equation) -> list[Key]:
        return [
            key
            for key in equation.members
            if key in self.protected
            and key not in self.hidden
            and key not in self.public
            and self.value(key) > 0
        ]

    def mask_one_in(self, equations: list[Equation]) -> bool:
        options = {key for equation in equations for key in self.candidates(equation)}
        if not options:
            return False
        self.hidden[min(options, key=self.cost)] = SECONDARY
        return True

    def usable(self, key: Key) -> bool:
        return key in self.hidden or (
            key in self.protected and key not in self.public and self.value(key) > 0
        )

    def complete_rectangle(self, equation: Equation) -> bool:
        """In a two-way table, protect the lone masked cell (i, j) of a row or column with
        the cheapest rectangle (i, j), (i, k), (b, j), (b, k): every row and column it
        touches then holds two masked cells. Masking one cell at a time would pick each
        corner for one line only and often mask twice as many cells."""
        hidden = self.hidden_in(equation)
        if len(hidden) != 1 or hidden[0][1] != "cell":
            return False
        t, _kind, i, j = hidden[0]
        n_rows, n_cols, two_way = self.shapes[t]
        if not two_way:
            return False
        best: tuple[int, int, list[Key]] | None = None
        for b in range(n_rows):
            for k in range(n_cols):
                if b == i or k == j:
                    continue
                corners = [(t, "cell", i, k), (t, "cell", b, j), (t, "cell", b, k)]
                if not all(self.usable(key) for key in corners):
                    continue
                new = [key for key in corners if key not in self.hidden]
                option = (sum(self.value(key) for key in new), len(new), new)
                if best is None or option[:2] < best[:2]:
                    best = option
        if best is None:
            return False
        for key in best[2]:
            self.hidden[key] = SECONDARY
        return True

    def settle(self) -> None:
        """Mask more until no single equation leaks."""
        changed = True
        while changed:
            changed = False
            for equation in self.equations:
                if self.leaks(equation) and (
                    self.complete_rectangle(equation) or self.mask_one_in([equation])
                ):
                    changed = True

    def run(self) -> dict[Key, Reason]:
        self.settle()
        while pinned := audit(self.equations, self.values, self.hidden, self.threshold):
            # Mask one more figure next to the first pinned one (or, when its equations
            # have nothing left to mask, anywhere near masked figures), then settle again.
            near = [equation for equation in self.equations if self.hidden_in(equation)]
            if not (self.mask_one_in(self.equations_of[pinned[0]]) or self.mask_one_in(near)):
                # Everything is masked, and the marks' own bounds still pin a count (two
                # "< 3" making a "< 3": 1 + 1 = 2). Then a small count takes the mark
                # that says nothing of its value, "s".
                small = [key for key in pinned if self.hidden[key] == PRIMARY] or [
                    key
                    for equation in self.equations_of[pinned[0]]
                    for key in equation.members
                    if self.hidden.get(key) == PRIMARY
                ]
                if not small:
                    break
                self.hidden[small[0]] = SECONDARY
            self.settle()
        return self.hidden


def determined(equations: list[Equation], hidden: set[Key] | dict) -> list[Key]:
    """The masked members whose value the equations fix exactly, whatever the others.

    A masked member is fixed when its unit vector lies in the row space of the equations
    restricted to masked members: in the reduced row echelon form, it is a pivot whose
    row has no free (unfixed) member. Exact arithmetic with fractions.
    """
    columns = sorted(hidden, key=repr)
    index = {key: n for n, key in enumerate(columns)}
    matrix: list[list[Fraction]] = []
    for equation in equations:
        row = [Fraction(0)] * len(columns)
        touched = False
        for key, sign in _relation(equation):
            if key in index:
                row[index[key]] += sign
                touched = True
        if touched:
            matrix.append(row)
    pivots: list[int] = []  # pivot column of each reduced row
    rank = 0
    for col in range(len(columns)):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][col] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        lead = matrix[rank][col]
        matrix[rank] = [x / lead for x in matrix[rank]]
        for r in range(len(matrix)):
            if r != rank and matrix[r][col] != 0:
                factor = matrix[r][col]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        pivots.append(col)
        rank += 1
    free = [col for col in range(len(columns)) if col not in set(pivots)]
    return [columns[col] for r, col in enumerate(pivots) if all(matrix[r][f] == 0 for f in free)]


def prior_bounds(reason: Reason, threshold: int) -> tuple[int, float]:
    """What a mark alone tells: "< N" is 1 to N - 1, "s" at least 1 (zeros are shown)."""
    return (1, threshold - 1) if reason == PRIMARY else (1, math.inf)


def _programme(
    equations: list[Equation],
    values: dict[Key, int | None],
    hidden: dict[Key, Reason],
    threshold: int,
) -> tuple[list[Key], list[list[int]], list[int], list[tuple]]:
    """What is published, as a linear programme over the masked members: their keys, the
    equations' rows and right-hand sides, and each member's bounds from its mark."""
    keys = sorted(hidden, key=repr)
    index = {key: n for n, key in enumerate(keys)}
    rows, rhs = [], []
    for equation in equations:
        coefficients = [0] * len(keys)
        constant = 0
        touched = False
        for key, sign in _relation(equation):
            if key in index:
                coefficients[index[key]] += sign
                touched = True
            else:
                constant += sign * (values.get(key) or 0)
        if touched:
            rows.append(coefficients)
            rhs.append(-constant)
    box = [
        (low, None if high == math.inf else high)
        for low, high in (prior_bounds(hidden[key], threshold) for key in keys)
    ]
    return keys, rows, rhs, box


def bounds(
    equations: list[Equation],
    values: dict[Key, int | None],
    hidden: dict[Key, Reason],
    threshold: int,
    only: set[Key] | None = None,
) -> dict[Key, tuple[float, float]]:
    """The smallest and largest value of each masked member (of ``only`` those, when
    given) given everything published (the equations with their shown members, and the
    bounds of each mark): a linear programme per member and direction (HiGHS, through
    SciPy)."""
    from scipy.optimize import linprog  # loaded only when something is masked

    keys, rows, rhs, box = _programme(equations, values, hidden, threshold)
    found: dict[Key, tuple[float, float]] = {}
    for n, key in enumerate(keys):
        if only is not None and key not in only:
            continue
        if not any(row[n] for row in rows):
            found[key] = prior_bounds(hidden[key], threshold)
            continue
        objective = [0] * len(keys)
        span = []
        for sign in (1, -1):
            objective[n] = sign
            result = linprog(objective, A_eq=rows, b_eq=rhs, bounds=box, method="highs")
            if result.status == 3:  # unbounded
                span.append(-math.inf if sign == 1 else math.inf)
            elif result.status != 0:  # infeasible cannot happen: the true values fit
                span.append(values.get(key) or 0)
            else:
                span.append(sign * result.fun)
        found[key] = (span[0], span[1])
    return found


# How many solutions ``free_members`` tries before the members left get a programme each.
PROBES = 6


def free_members(
    equations: list[Equation],
    values: dict[Key, int | None],
    hidden: dict[Key, Reason],
    threshold: int,
) -> set[Key]:
    """Masked members shown to have two whole values at least, cheaply: a few solutions
    of the programme (the sum of the masked members made smallest, largest, then a few
    fixed pseudo-random directions); a member that takes two values whole numbers apart
    in them has at least two possible values, and needs no programme of its own (two per
    member otherwise: the cost of masking a large report)."""
    from random import Random

    from scipy.optimize import linprog

    keys, rows, rhs, box = _programme(equations, values, hidden, threshold)
    if not rows:
        return set()
    seen_low = [math.inf] * len(keys)
    seen_high = [-math.inf] * len(keys)
    draw = Random(len(keys))  # the same directions for the same report
    directions = [[1] * len(keys), [-1] * len(keys)]
    directions += [[draw.choice((-1, 1)) for _key in keys] for _n in range(PROBES - 2)]
    for objective in directions:
        result = linprog(objective, A_eq=rows, b_eq=rhs, bounds=box, method="highs")
        if result.status != 0:
            continue
        for n, x in enumerate(result.x):
            seen_low[n] = min(seen_low[n], x)
            seen_high[n] = max(seen_high[n], x)
    return {
        key
        for n, key in enumerate(keys)
        if math.ceil(seen_low[n] - 1e-6) < math.floor(seen_high[n] + 1e-6)
    }


def pinned_by(span: tuple[float, float]) -> bool:
    """Whether a range leaves at most one whole value."""
    low, high = span
    if math.isinf(high) or math.isinf(low):
        return False
    return math.floor(high + 1e-6) <= math.ceil(low - 1e-6)


def audit(
    equations: list[Equation],
    values: dict[Key, int | None],
    hidden: dict[Key, Reason],
    threshold: int,
) -> list[Key]:
    """The masked members that what is published pins down to one value: first the exact
    linear-algebra check (cheap), then the bounds of each remaining one."""
    if not hidden:
        return []
    exact = determined(equations, set(hidden))
    if exact:
        return exact
    undecided = set(hidden) - free_members(equations, values, hidden, threshold)
    return [
        key
        for key, span in bounds(equations, values, hidden, threshold, undecided).items()
        if pinned_by(span) and not pinned_by(prior_bounds(hidden[key], threshold))
    ]


# ---------------------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------------------


def _build(table: Table, hidden: dict[Key, Reason], threshold: int | None) -> SuppressedTable:
    values, _equations = members_and_equations(table)
    # A rate is masked with its numerator: with the hours shown, it would give it away.
    for j, k in table.rates.items():
        for i in range(len(table.rows)):
            if ("cell", i, k) in hidden and values.get(("cell", i, j)) is not None:
                hidden[("cell", i, j)] = SECONDARY

    def cell(key: Key) -> Cell:
        value = values.get(key)
        reason = hidden.get(key)
        if reason is not None and threshold is not None:
            mark = hidden_label(threshold) if reason == PRIMARY else SECONDARY_MARK
            return Cell(value, True, reason, mark)
        return Cell(value, False, None, format_count(value))

    rows = tuple(
        SuppressedRow(
            label=row.label,
            cells=tuple(cell(("cell", i, j)) for j in range(len(table.columns))),
            total=cell(("row", i)) if table.has_row_totals else None,
            key=row.key,
            members=row.members,
        )
        for i, row in enumerate(table.rows)
    )
    return SuppressedTable(
        title=table.title,
        description=table.description,
        row_header=table.row_header,
        columns=tuple(table.columns),
        rows=rows,
        column_totals=(
            tuple(cell(("col", j)) for j in range(len(table.columns)))
            if table.has_column_totals
            else ()
        ),
        grand_total=cell(("grand",)) if table.has_grand_total else None,
        totals=table.totals,
        chart=table.chart,
        threshold=threshold,
        adds_up=table.adds_up,
        kinds=tuple(table.kind_of(j) for j in range(len(table.columns))),
        chart_column=table.chart_column,
        name=table.name,
    )


def find_masks(
    tables: list[Table],
    threshold: int,
    links: list[Equation] = (),
    public: frozenset[Key] = frozenset(),
    fixed: dict[Key, Reason] | None = None,
) -> dict[Key, Reason]:
    """The figures ``protect`` masks, by member key ``(t, *key)``, and why."""
    return _Suppressor(list(tables), threshold, list(links), public, fixed).run()


# ``find_masks`` or a function that gives the same (reports.publication keeps it in the
# cache).
FindMasks = Callable[..., dict[Key, Reason]]


def protect(
    tables: list[Table],
    threshold: int,
    links: list[Equation] = (),
    public: frozenset[Key] = frozenset(),
    fixed: dict[Key, Reason] | None = None,
    masks: FindMasks = find_masks,
) -> list[SuppressedTable]:
    """The tables of one output with small counts masked, for eyes outside the team.

    ``links`` are the equations between tables (members keyed ``(t, *key)``, ``t`` the
    index of the table): counts published in several places are protected across all.
    ``public`` are figures another output already shows (never masked here, never a
    complement: hiding them would protect nothing) and ``fixed`` the marks another
    output gives the same figures (kept here, so that one figure has one mark)."""
    hidden = masks(list(tables), threshold, list(links), public, fixed)
    by_table: dict[int, dict[Key, Reason]] = {t: {} for t in range(len(tables))}
    for (t, *key), reason in hidden.items():
        by_table[t][tuple(key)] = reason
    return [_build(table, by_table[t], threshold) for t, table in enumerate(tables)]


def suppress(table: Table, threshold: int) -> SuppressedTable:
    """One table alone with small counts masked (``threshold`` is the organisation's
    ``small_count_threshold``, 11 by default)."""
    return protect([table], threshold)[0]


def group_small(table: Table, threshold: int, label: str, all_label: str = "") -> Table:
    """``table`` with its categories of fewer than ``threshold`` people (but more than
    none, counted by the table's main measure) gathered into one last row ``label``
    ("Other rights"), or ``all_label`` when every row was small: one row to mask instead
    of many, and often none. Needs two such rows at least; a rate is computed again from
    its columns (encounters per 10 hours: numerator and hours added)."""
    if table.adds_up == "none" or not table.rows:
        return table
    # A row is small by its main count of people: the row's total where every column
    # counts the same thing, else the column the chart draws (or a rate's numerator).
    main = table.chart_column
    if main != "total":
        main = table.rates.get(main, main)
    if main == "total" or table.kind_of(main) != "people":
        people = [j for j in range(len(table.columns)) if table.kind_of(j) == "people"]
    else:
        people = [main]

    def size(row: Row) -> int:
        return sum(row.values[j] or 0 for j in people)

    small = [row for row in table.rows if 0 < size(row) < threshold]
    if len(small) < 2:
        return table
    kept = [row for row in table.rows if row not in small]
    merged: list[int | None] = []
    for j in range(len(table.columns)):
        if table.additive(j):
            merged.append(sum(row.values[j] or 0 for row in small))
        else:
            merged.append(None)
    hours = next((k for k in range(len(table.columns)) if table.kind_of(k) == "activity"), None)
    for j, k in table.rates.items():
        if hours is not None and merged[hours]:
            merged[j] = round(10 * (merged[k] or 0) / merged[hours])
    others = Row(
        label if kept else all_label or label, merged, "others", tuple(row.key for row in small)
    )
    return replace(table, rows=[*kept, others])


def displayed(table: Table | SuppressedTable) -> SuppressedTable:
    """A table as charts and exports take it: a suppressed table as is, a plain table with
    every figure shown (for the team's own screens)."""
    if isinstance(table, SuppressedTable):
        return table
    return _build(table, {}, None)
