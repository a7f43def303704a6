"""Small-count protection for figures shown outside the team.

In a village, "2 people met at the food bank queue, aged 16-25, non-take-up of AME" can
point at someone. So reports and exports meant for outsiders mask small counts, as
statistical offices do (DGFiP, CMS): "primary and secondary suppression".

- **Primary**: a count from 1 to ``threshold - 1`` is shown as "< threshold". Zero is
  shown: it says nobody, which identifies nobody.
- **Secondary**: totals are public, so a masked cell must not be recoverable by
  subtraction. Each "equation" of the table (a row and its total, a column and its total,
  the totals and the grand total) must then hold either no masked member or at least two,
  and when its total is shown the masked members together must not add up to a small
  count either (the sum is published by subtraction: "these two cells make 7"). Where an
  equation breaks the rule, one more member is masked, the smallest non-zero one,
  preferring interior cells to totals and cells that do not break another equation.
- Finally a linear-algebra audit: masked cells can also be found by combining several
  equations (two blocks of masked cells joined by one cell, say). Any masked member that
  the equations pin down exactly gets company until none is.

Totals are treated as public even when the table does not show them: the same totals
usually appear elsewhere in the report (the month's number of encounters, say).
What this does not guard against: bounds reasoning beyond "each masked count is at least
1" (an outsider may narrow a masked count to a range, never to a value), and equations
spread over several tables that share cells.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Literal

from django.utils.formats import number_format

from reports.tables import ChartKind, Table

Reason = Literal["primary", "secondary"]
PRIMARY: Reason = "primary"
SECONDARY: Reason = "secondary"

# A member of the table: ("cell", i, j), ("row", i), ("col", j) or ("grand",).
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
    """What a masked count shows: "< 11"."""
    return f"< {number_format(threshold, force_grouping=True)}"


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
    """``total = sum(parts)``: one row, column or line of totals of the table."""

    total: Key
    parts: tuple[Key, ...]

    @property
    def members(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


def members_and_equations(table: Table) -> tuple[dict[Key, int | None], list[Equation]]:
    """Every figure of ``table`` by key (None for "no figure"), and the equations that
    link them. Shared with the tests, which check the result against the same equations."""
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
            values[("col", j)] = total
            equations.append(Equation(("col", j), tuple(("cell", i, j) for i in range(n_rows))))
    if table.has_grand_total:
        values[("grand",)] = table.grand_total()
        equations.append(Equation(("grand",), tuple(("col", j) for j in range(n_cols))))
        equations.append(Equation(("grand",), tuple(("row", i) for i in range(n_rows))))
    return values, equations


# Interior cells are masked first, then row and column totals, the grand total last.
_KIND_RANK = {"cell": 0, "row": 1, "col": 1, "grand": 2}


class _Suppressor:
    def __init__(self, table: Table, threshold: int) -> None:
        self.threshold = threshold
        self.values, self.equations = members_and_equations(table)
        self.n_rows, self.n_cols = len(table.rows), len(table.columns)
        self.two_way = table.has_grand_total
        self.order = {key: n for n, key in enumerate(self.values)}
        self.equations_of: dict[Key, list[Equation]] = {key: [] for key in self.values}
        for equation in self.equations:
            for key in equation.members:
                self.equations_of[key].append(equation)
        self.hidden: dict[Key, Reason] = {
            key: PRIMARY
            for key, value in self.values.items()
            if value is not None and 1 <= value < threshold
        }

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
        if equation.total in self.hidden:
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
        return (_KIND_RANK[key[0]], broken - mended, self.value(key), self.order[key])

    def candidates(self, equation: Equation) -> list[Key]:
        return [
            key
            for key in equation.members
            if key not in self.hidden and self.values[key] is not None and self.values[key] > 0
        ]

    def mask_one_in(self, equations: list[Equation]) -> bool:
        options = {key for equation in equations for key in self.candidates(equation)}
        if not options:
            return False
        self.hidden[min(options, key=self.cost)] = SECONDARY
        return True

    def usable(self, key: Key) -> bool:
        return key in self.hidden or (self.values[key] or 0) > 0

    def complete_rectangle(self, equation: Equation) -> bool:
        """In a two-way table, protect the lone masked cell (i, j) of a row or column with
        the cheapest rectangle (i, j), (i, k), (b, j), (b, k): every row and column it
        touches then holds two masked cells. Masking one cell at a time would pick each
        corner for one line only and often mask twice as many cells."""
        hidden = self.hidden_in(equation)
        if not self.two_way or len(hidden) != 1 or hidden[0][0] != "cell":
            return False
        _kind, i, j = hidden[0]
        best: tuple[int, int, list[Key]] | None = None
        for b in range(self.n_rows):
            for k in range(self.n_cols):
                if b == i or k == j:
                    continue
                corners = [("cell", i, k), ("cell", b, j), ("cell", b, k)]
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
        while pinned := determined(self.equations, set(self.hidden)):
            # Mask one more figure next to the first pinned one (or, when its equations
            # have nothing left to mask, anywhere near masked figures), then settle again.
            near = [equation for equation in self.equations if self.hidden_in(equation)]
            if not (self.mask_one_in(self.equations_of[pinned[0]]) or self.mask_one_in(near)):
                break  # everything non-zero is masked: nothing can be pinned then
            self.settle()
        return self.hidden


def determined(equations: list[Equation], hidden: set[Key]) -> list[Key]:
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
        for key, sign in [(equation.total, 1), *((part, -1) for part in equation.parts)]:
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


# ---------------------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------------------


def _build(table: Table, hidden: dict[Key, Reason], threshold: int | None) -> SuppressedTable:
    values, _equations = members_and_equations(table)

    def cell(key: Key) -> Cell:
        value = values[key]
        reason = hidden.get(key)
        if reason is not None and threshold is not None:
            return Cell(value, True, reason, hidden_label(threshold))
        return Cell(value, False, None, format_count(value))

    rows = tuple(
        SuppressedRow(
            label=row.label,
            cells=tuple(cell(("cell", i, j)) for j in range(len(table.columns))),
            total=cell(("row", i)) if table.has_row_totals else None,
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
    )


def suppress(table: Table, threshold: int) -> SuppressedTable:
    """``table`` with small counts masked, for eyes outside the team.

    ``threshold`` is the organisation's ``small_count_threshold`` (11 by default): counts
    from 1 to ``threshold - 1`` are masked, and enough others that none can be worked out.
    """
    return _build(table, _Suppressor(table, threshold).run(), threshold)


def suppress_primary(table: Table, threshold: int, *, skip_rows: int = 0) -> SuppressedTable:
    """Only the primary masking, for a table of separate measures that publishes no
    totals (the key figures: each row is its own count, no row or column adds up), so no
    hidden cell can be worked out and no secondary masking is needed. The first
    ``skip_rows`` rows count activity, not people (sessions, hours), and stay shown."""
    hidden: dict[Key, Reason] = {
        ("cell", i, j): "primary"
        for i, row in enumerate(table.rows)
        if i >= skip_rows
        for j, value in enumerate(row.values)
        if value is not None and 0 < value < threshold
    }
    return _build(replace(table, totals=False), hidden, threshold)


def displayed(table: Table | SuppressedTable) -> SuppressedTable:
    """A table as charts and exports take it: a suppressed table as is, a plain table with
    every figure shown (for the team's own screens)."""
    if isinstance(table, SuppressedTable):
        return table
    return _build(table, {}, None)
