"""Tests for reports.suppression: no small count can be read or worked out."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.suppression import (
    Cell,
    SuppressedTable,
    determined,
    displayed,
    members_and_equations,
    suppress,
)
from reports.tables import Row, Table


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def grid(values: list[list[int | None]], *, totals: bool = True) -> Table:
    return Table(
        title="Rencontres",
        description="Par territoire et par mois",
        row_header="Territoire",
        columns=[f"c{j}" for j in range(len(values[0]) if values else 1)],
        rows=[Row(f"r{i}", list(row)) for i, row in enumerate(values)],
        totals=totals,
    )


def shown(result: SuppressedTable) -> list[list[str]]:
    return [[c.display for c in row.cells] for row in result.rows]


# ---------------------------------------------------------------------------
# The checkers: what an outsider could work out from the published figures
# ---------------------------------------------------------------------------


def published_equations(result: SuppressedTable) -> list[list[Cell]]:
    """Each row, column and line of totals as [total, *parts], read from the output only."""
    equations = []
    if result.rows and result.rows[0].total is not None:
        equations += [[row.total, *row.cells] for row in result.rows]
    if result.column_totals:
        for j, total in enumerate(result.column_totals):
            equations.append([total, *result.column(j)])
    if result.grand_total is not None:
        equations.append([result.grand_total, *result.column_totals])
        equations.append([result.grand_total, *(row.total for row in result.rows)])
    return equations


def recomputable_by_subtraction(result: SuppressedTable) -> list[Cell]:
    """Masked figures that one equation gives away: the only masked member of a row,
    a column or a line of totals is its total minus the shown members."""
    found = []
    for equation in published_equations(result):
        hidden = [c for c in equation if c.hidden]
        if len(hidden) == 1:
            total, *parts = equation
            if hidden[0] is total:
                recomputed = sum(c.value or 0 for c in parts)
            else:
                recomputed = total.value - sum(c.value or 0 for c in parts if not c.hidden)
            assert recomputed == hidden[0].value  # the attack works: that is the leak
            found.append(hidden[0])
    return found


def rank(matrix: list[list[Fraction]]) -> int:
    matrix = [row[:] for row in matrix]
    r = 0
    for col in range(len(matrix[0]) if matrix else 0):
        pivot = next((k for k in range(r, len(matrix)) if matrix[k][col] != 0), None)
        if pivot is None:
            continue
        matrix[r], matrix[pivot] = matrix[pivot], matrix[r]
        for k in range(len(matrix)):
            if k != r and matrix[k][col] != 0:
                f = matrix[k][col] / matrix[r][col]
                matrix[k] = [a - f * b for a, b in zip(matrix[k], matrix[r], strict=True)]
        r += 1
    return r


def recomputable_by_combination(result: SuppressedTable) -> list[Cell]:
    """Masked figures that some combination of equations fixes: x is fixed exactly when
    adding the equation "x = ?" does not raise the rank of the masked part of the system.
    Written apart from suppression.determined, with ranks instead of pivots."""
    equations = published_equations(result)
    hidden = list({id(c): c for eq in equations for c in eq if c.hidden}.values())
    index = {id(c): n for n, c in enumerate(hidden)}
    matrix = []
    for total, *parts in equations:
        row = [Fraction(0)] * len(hidden)
        for cell, sign in [(total, 1), *((p, -1) for p in parts)]:
            if cell.hidden:
                row[index[id(cell)]] += sign
        matrix.append(row)
    base = rank(matrix)
    return [
        cell
        for n, cell in enumerate(hidden)
        if rank([*matrix, [Fraction(int(k == n)) for k in range(len(hidden))]]) == base
    ]


def small_sums_by_subtraction(result: SuppressedTable, threshold: int) -> list[int]:
    """Sums of masked parts that a shown total gives away and that are small counts."""
    sums = []
    for total, *parts in published_equations(result):
        hidden = [c for c in parts if c.hidden]
        if hidden and not total.hidden:
            masked = sum(c.value for c in hidden)
            if 1 <= masked < threshold or masked == len(hidden):
                sums.append(masked)
    return sums


def assert_safe(result: SuppressedTable, threshold: int) -> None:
    for cell in result.all_cells():
        if cell.value is not None and 1 <= cell.value < threshold:
            assert cell.hidden
        if cell.hidden:
            # "< N" only on a small count; a larger one masked to protect it reads "s".
            if cell.reason == "primary":
                assert cell.display == f"< {threshold}" or threshold >= 1000
            else:
                # "s" claims nothing: a larger count, or as a last resort a small
                # count that "< N" would give away.
                assert cell.display == "s"
            assert cell.value
        else:
            assert cell.reason is None
    assert recomputable_by_subtraction(result) == []
    assert recomputable_by_combination(result) == []
    assert small_sums_by_subtraction(result, threshold) == []


# ---------------------------------------------------------------------------
# Hand-made tables
# ---------------------------------------------------------------------------


def test_primary_masks_one_to_threshold_minus_one_and_shows_zero():
    result = suppress(grid([[0], [1], [10], [11], [250]], totals=True), 11)
    assert [c.hidden for c in result.column(0)] == [False, True, True, False, False]
    assert [c.reason for c in result.column(0)] == [None, "primary", "primary", None, None]
    assert [c.display for c in result.column(0)][:3] == ["0", "< 11", "< 11"]
    # 1 + 10 = 11 masked together, not a small sum; the total 272 stays exact.
    assert result.column_totals[0].display == "272"
    assert not result.column_totals[0].hidden
    assert_safe(result, 11)


def test_a_lone_small_cell_is_protected_by_the_cheapest_rectangle():
    # Rectangles through r0c0: with r2 and c1 (20 + 25 + 12 = 57) beats r1 and c2
    # (30 + 15 + 40); r1 and c1 cannot work, r1c1 is a zero that nothing hides.
    table = grid([[3, 20, 30], [15, 0, 40], [25, 12, 60]])
    result = suppress(table, 11)
    assert shown(result) == [
        ["< 11", "s", "30"],
        ["15", "0", "40"],
        ["s", "s", "60"],
    ]
    assert result.rows[0].cells[0].reason == "primary"
    assert {c.reason for c in result.all_cells() if c.hidden} == {"primary", "secondary"}
    # Totals are not small: they stay exact and shown.
    assert [c.display for c in result.column_totals] == ["43", "32", "130"]
    assert result.grand_total.display == "205"
    assert result.hidden_count == 4
    assert_safe(result, 11)


def test_a_rectangle_reuses_another_small_cell():
    # r0c0 and r1c2 are small: the rectangle through both costs 40 + 50 of masked
    # figures, less than any rectangle through the smaller 12.
    result = suppress(grid([[3, 12, 40], [50, 60, 4], [70, 80, 90]]), 11)
    assert shown(result)[0] == ["< 11", "12", "s"]
    assert shown(result)[1] == ["s", "60", "< 11"]
    assert result.hidden_count == 4
    assert_safe(result, 11)


def test_one_column_table_with_a_total():
    result = suppress(grid([[3], [20], [1234]]), 11)
    assert [c.display for c in result.column(0)] == ["< 11", "s", "1\xa0234"]
    assert [c.reason for c in result.column(0)] == ["primary", "secondary", None]
    assert result.column_totals[0].display == "1\xa0257"
    assert result.grand_total is None and result.rows[0].total is None
    assert result.total is result.column_totals[0]
    assert_safe(result, 11)


def test_one_column_whose_only_count_is_small_masks_the_total_too():
    result = suppress(grid([[5], [0], [0]]), 11)
    assert [c.display for c in result.column(0)] == ["< 11", "0", "0"]
    assert result.column_totals[0].hidden and result.column_totals[0].reason == "primary"
    assert_safe(result, 11)


def test_a_total_is_masked_when_nothing_else_can_protect_a_cell():
    # r1's 40 is masked for column 1; r1 has nothing else above zero, so its total goes.
    result = suppress(grid([[3, 50], [0, 40]]), 11)
    assert shown(result) == [["< 11", "s"], ["0", "s"]]
    assert result.rows[1].total.hidden and result.rows[1].total.reason == "secondary"
    assert_safe(result, 11)


def test_two_masked_cells_adding_up_to_a_small_count_take_a_third():
    # 3 + 4 = 7 would be published by subtraction (57 - 50).
    result = suppress(grid([[3, 4, 50]]), 11)
    assert shown(result) == [["< 11", "< 11", "s"]]
    assert result.rows[0].total.display == "57"
    assert result.total is result.rows[0].total
    assert_safe(result, 11)


def test_masked_cells_that_must_all_be_one():
    # Twelve masked 1s add up to 12 >= 11, but "12 masked counts, each at least 1, make 12"
    # says each is 1.
    result = suppress(grid([[1] * 12 + [40]]), 11)
    assert result.rows[0].cells[-1].hidden
    assert_safe(result, 11)


def test_threshold_one_masks_nothing_and_zero_tables_are_fine():
    assert suppress(grid([[1, 2], [3, 4]]), 1).hidden_count == 0
    result = suppress(grid([[0, 0], [0, 0]]), 11)
    assert result.hidden_count == 0
    assert result.grand_total.display == "0"


def test_empty_and_single_cell_tables():
    empty = Table("Vide", "", "Territoire", ["n"], [], totals=True)
    result = suppress(empty, 11)
    assert result.rows == () and result.column_totals == () and result.total is None
    single = suppress(grid([[4]]), 11)
    assert single.rows[0].cells[0].display == "< 11"
    assert single.total is single.rows[0].cells[0]


def test_none_is_a_blank_never_masked_and_counts_as_zero():
    result = suppress(grid([[None, 30, 3], [20, None, 40], [25, 12, None]]), 11)
    assert result.rows[0].cells[0] == Cell(None, False, None, "")
    assert result.rows[0].total.value == 33
    assert_safe(result, 11)


def test_display_follows_the_language_and_threshold():
    table = grid([[5, 1234567]], totals=True)
    assert shown(suppress(table, 11)) == [["< 11", "s"]]
    assert shown(suppress(table, 1)) == [["5", "1\xa0234\xa0567"]]
    with translation.override("en"):
        assert shown(suppress(table, 1)) == [["5", "1,234,567"]]
        assert suppress(table, 2000).rows[0].cells[0].display == "< 2,000"


def test_displayed_shows_everything_and_keeps_suppressed_tables():
    table = grid([[3, 20], [15, 4]])
    plain = displayed(table)
    assert plain.hidden_count == 0 and plain.threshold is None
    assert shown(plain) == [["3", "20"], ["15", "4"]]
    masked = suppress(table, 11)
    assert displayed(masked) is masked


def test_table_refuses_what_is_not_a_count():
    with pytest.raises(ValueError):
        grid([[1, -1]])
    with pytest.raises(TypeError):
        grid([[1, True]])
    with pytest.raises(ValueError):
        Table("T", "", "x", ["a", "b"], [Row("r", [1])])
    table = grid([[1], [2]])
    table.add_column("c1", [3, 4])
    table.add_row("r2", [5, 6])
    assert table.column_totals() == [8, 13] and table.row_totals() == [4, 6, 11]
    with pytest.raises(ValueError):
        table.add_column("c2", [1])


def test_determined_finds_a_cell_joining_two_masked_blocks():
    """Two blocks of masked cells joined by one masked cell: each line holds two masked
    cells, yet the joining cell is the block's margins minus each other."""
    # Rows 0-1 x cols 0-1 and rows 2-3 x cols 2-3 masked, plus r0c2 joining them.
    hidden_cells = {(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (0, 2)}
    table = grid([[20] * 5 for _ in range(5)])
    _values, equations = members_and_equations(table)
    pinned = determined(equations, {("cell", i, j) for i, j in hidden_cells})
    assert pinned == [("cell", 0, 2)]


# ---------------------------------------------------------------------------
# Property: random tables and thresholds
# ---------------------------------------------------------------------------

counts = st.one_of(
    st.just(0),
    st.integers(1, 12),
    st.integers(0, 60),
    st.integers(0, 5000),
    st.none(),
)


@st.composite
def tables(draw) -> Table:
    n_rows = draw(st.integers(0, 6))
    n_cols = draw(st.integers(1, 5))
    values = [draw(st.lists(counts, min_size=n_cols, max_size=n_cols)) for _ in range(n_rows)]
    table = Table("T", "", "x", [f"c{j}" for j in range(n_cols)], [], totals=draw(st.booleans()))
    for i, row in enumerate(values):
        table.add_row(f"r{i}", row)
    return table


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables(), threshold=st.integers(1, 20))
def test_no_masked_count_can_be_read_or_worked_out(table, threshold):
    result = suppress(table, threshold)
    assert_safe(result, threshold)
    # Values are kept exactly, masked or not; a zero or a large value is only ever masked
    # as a secondary, and the output has the table's shape.
    source = [row.values for row in table.rows]
    assert [[c.value for c in row.cells] for row in result.rows] == source
    for cell in result.all_cells():
        if cell.value is None or cell.value == 0:
            assert not cell.hidden
        elif cell.value >= threshold:
            assert cell.reason in (None, "secondary")
    # Idempotent and deterministic.
    assert suppress(table, threshold) == result


def test_primary_masking_only_for_separate_measures():
    table = Table("Key figures", "", "Figure", ["Oct", "Sep"], adds_up="none", activity_rows=(0,))
    table.add_row("Sessions", [3, 4])
    table.add_row("Conversations", [5, 40])
    table.add_row("Refusals", [0, 12])
    masked = suppress(table, 11)
    assert [c.display for c in masked.rows[0].cells] == ["3", "4"]  # activity: shown
    assert [c.hidden for c in masked.rows[1].cells] == [True, False]
    assert [c.hidden for c in masked.rows[2].cells] == [False, False]  # 0 and 12 shown
    assert not masked.show_row_totals and not masked.show_column_totals


def test_the_masked_figures_are_counted_in_words_that_agree():
    """ "22 petits effectifs et 1 autres…" read wrong: each count takes its own plural."""
    from reports.suppression import masked_summary

    one = suppress(grid([[3]], totals=False), 11)
    assert masked_summary([one]) == "1 chiffre masqué : 1 petit effectif."
    # Two small cells of a column with a large total: a third cell protects them.
    pair = suppress(grid([[3, 40], [40, 40]]), 11)
    primary, secondary = pair.count("primary"), pair.count("secondary")
    assert (primary, secondary) == (1, 3)
    assert masked_summary([pair]) == (
        "4 chiffres masqués : 1 petit effectif et 3 autres pour les protéger."
    )
