"""Figure tables: the one data structure that suppression, charts and exports share.

A ``Table`` is a small grid of counts: rows (a label and one value per column) under
named columns, with optional totals. Values are non-negative counts, or ``None`` where a
figure does not apply (shown blank, counted as 0 in totals).

Totals follow the shape of the table, so that no total merely repeats a cell:

- several rows and several columns: a total per row, a total per column and a grand total;
- one column: a column total only (a row total would repeat its cell);
- one row: a row total only (column totals would repeat the cells);
- a single cell: no total at all.

The suppression module treats these totals as public even when ``totals`` is False (the
same totals usually appear elsewhere in a report), so ``totals`` only decides what is shown.

What adds up (``adds_up``), so that no total ever adds measures of different units:

- "both": every column counts the same thing (signals, by reason): rows and columns add up;
- "columns": each column is its own measure (encounters, hours, a rate): only the columns
  add up, never a row, and a rate column not even that;
- "none": every cell is its own figure (the key figures: measures by period).

What each column counts (``kinds``): "people" (encounters, signals, referrals: protected
from small counts), "activity" (sessions, hours: no one can be recognised from them) or
"rate" (derived from the people column ``rates[j]``: masked with it). The key figures say
it per row (``activity_rows``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

ChartKind = Literal["bar", "line", "funnel", "heatmap", "none"]
AddsUp = Literal["both", "columns", "none"]
ColumnKind = Literal["people", "activity", "rate"]


@dataclass
class Row:
    label: str
    values: list[int | None]
    # A stable name for the row when other tables refer to it ("conversations"...).
    key: str = ""
    # The keys of the rows gathered into this one ("Other places"), else empty.
    members: tuple[str, ...] = ()

    @property
    def covers(self) -> frozenset[str]:
        """The keys of the rows whose people this row counts."""
        return frozenset(self.members or (self.key,))

    def total(self) -> int:
        return sum(v for v in self.values if v is not None)


@dataclass
class Table:
    title: str
    description: str
    row_header: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    totals: bool = False
    # Which chart the PDF report draws beside the table.
    chart: ChartKind = "bar"
    adds_up: AddsUp = "both"
    # One per column; empty means every column counts people.
    kinds: list[ColumnKind] = field(default_factory=list)
    # Rate column -> the people column it divides (the rate is masked with it).
    rates: dict[int, int] = field(default_factory=dict)
    # Rows that count activity, not people (for "none" tables: the key figures).
    activity_rows: tuple[int, ...] = ()
    # The one column a bar chart draws ("total" for the rows' totals of a "both" table).
    chart_column: int | Literal["total"] = 0
    # A stable name, to link the tables of a report ("signals", "places"...).
    name: str = ""

    def __post_init__(self) -> None:
        for row in self.rows:
            self._check(row)

    def kind_of(self, j: int) -> ColumnKind:
        return self.kinds[j] if j < len(self.kinds) else "people"

    def protected(self, i: int, j: int) -> bool:
        """Whether cell (i, j) counts people (and is masked when small)."""
        return self.kind_of(j) == "people" and i not in self.activity_rows

    def additive(self, j: int) -> bool:
        return self.kind_of(j) != "rate"

    def row_index(self, key: str) -> int | None:
        return next((i for i, row in enumerate(self.rows) if row.key == key), None)

    def _check(self, row: Row) -> None:
        if len(row.values) != len(self.columns):
            raise ValueError(
                f"Row {row.label!r} has {len(row.values)} values for {len(self.columns)} columns."
            )
        for value in row.values:
            # bool is an int: refuse it, a True would silently count as 1.
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise TypeError(f"Row {row.label!r}: {value!r} is not a count.")
            if value is not None and value < 0:
                raise ValueError(f"Row {row.label!r}: a count cannot be negative ({value}).")

    def add_row(self, label: str, values: list[int | None], key: str = "") -> Row:
        row = Row(label, list(values), key)
        self._check(row)
        self.rows.append(row)
        return row

    def add_column(self, name: str, values: list[int | None]) -> None:
        if len(values) != len(self.rows):
            raise ValueError(f"Column {name!r} has {len(values)} values for {len(self.rows)} rows.")
        self.columns.append(name)
        for row, value in zip(self.rows, values, strict=True):
            row.values.append(value)
            self._check(row)

    # -- totals -------------------------------------------------------------------------

    @property
    def has_row_totals(self) -> bool:
        """Whether each row has a total of its own (several columns of one measure)."""
        return self.adds_up == "both" and len(self.columns) > 1 and len(self.rows) > 0

    @property
    def has_column_totals(self) -> bool:
        """Whether each column has a total of its own (the table has several rows)."""
        return self.adds_up != "none" and len(self.rows) > 1 and len(self.columns) > 0

    @property
    def has_grand_total(self) -> bool:
        """Whether the grand total is a figure of its own, beside row and column totals."""
        return self.has_row_totals and self.has_column_totals

    def row_totals(self) -> list[int]:
        return [row.total() for row in self.rows]

    def column_totals(self) -> list[int | None]:
        """The total of each column; None for a rate (rates do not add up)."""
        return [
            sum(row.values[j] or 0 for row in self.rows) if self.additive(j) else None
            for j in range(len(self.columns))
        ]

    def grand_total(self) -> int:
        return sum(self.row_totals())

    def column(self, index: int) -> list[int | None]:
        return [row.values[index] for row in self.rows]


def round_half_up(value: float) -> int:
    """6.5 hours shown 7, as people round (Python's ``round`` gives 6: half to even)."""
    return math.floor(value + 0.5)


def round_to_total(values: list[float], total: int | None = None) -> list[int]:
    """``values`` rounded so that they add up to their rounded sum, or to ``total`` where
    the page shows that whole rounded once elsewhere (largest remainders): 1.4 + 1.4 + 1.4
    is 4.2, shown 2 + 1 + 1 = 4, never 1 + 1 + 1 beside a total of 4."""
    floors = [math.floor(v) for v in values]
    short = (round_half_up(sum(values)) if total is None else total) - sum(floors)
    # The largest fractional parts get the units left over (the first one on a tie).
    order = sorted(range(len(values)), key=lambda n: (floors[n] - values[n], n))
    for n in order[: max(short, 0)]:
        floors[n] += 1
    return floors
