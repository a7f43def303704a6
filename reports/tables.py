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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ChartKind = Literal["bar", "line", "funnel", "none"]


@dataclass
class Row:
    label: str
    values: list[int | None]

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

    def __post_init__(self) -> None:
        for row in self.rows:
            self._check(row)

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

    def add_row(self, label: str, values: list[int | None]) -> Row:
        row = Row(label, list(values))
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
        """Whether each row has a total of its own (the table has several columns)."""
        return len(self.columns) > 1 and len(self.rows) > 0

    @property
    def has_column_totals(self) -> bool:
        """Whether each column has a total of its own (the table has several rows)."""
        return len(self.rows) > 1 and len(self.columns) > 0

    @property
    def has_grand_total(self) -> bool:
        """Whether the grand total is a figure of its own, beside row and column totals."""
        return self.has_row_totals and self.has_column_totals

    def row_totals(self) -> list[int]:
        return [row.total() for row in self.rows]

    def column_totals(self) -> list[int]:
        return [sum(row.values[j] or 0 for row in self.rows) for j in range(len(self.columns))]

    def grand_total(self) -> int:
        return sum(self.row_totals())

    def column(self, index: int) -> list[int | None]:
        return [row.values[index] for row in self.rows]
